//! The site's styles as its pages get them, for A3–A5: the theme's stylesheets with the site's
//! own changes — static/ files that replace a theme file or add one, `<style>` blocks and
//! `style="…"` attributes in the site's templates, a theme of the site's own — in cascade
//! order; and what they declare in normal and in senior mode (关怀模式): custom properties and
//! the winning declaration of a property for a selector.

use std::collections::HashMap;
use std::path::PathBuf;

use regex::Regex;

use super::css::{self, Decl, StyleRule};
use crate::config::Config;
use crate::output::Body;
use crate::render::theme::{self, Theme};

/// One stylesheet, or the styles written in one template.
pub struct Sheet {
    /// The file to name in findings.
    pub path: PathBuf,
    /// Its whole text (declaration spans point into it).
    pub text: String,
    /// Written for this site (not the built-in theme's).
    pub own: bool,
    pub rules: Vec<StyleRule>,
}

/// Normal pages, or senior mode (`.care` on `<html>`, or the `#care` switch checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Normal,
    Care,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::Normal, Mode::Care];

    /// `（关怀模式）` for senior mode, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Normal => "",
            Mode::Care => "（关怀模式）",
        }
    }
}

/// A declaration and the sheet it is in.
#[derive(Clone, Copy)]
pub struct Found<'a> {
    pub sheet: &'a Sheet,
    pub rule: &'a StyleRule,
    pub decl: &'a Decl,
}

impl Found<'_> {
    /// Same declaration.
    pub fn same(&self, other: &Found<'_>) -> bool {
        std::ptr::eq(self.decl, other.decl)
    }
}

/// Stylesheets in cascade order, indexed by the selector they style in each mode.
pub struct Styles {
    pub sheets: Vec<Sheet>,
}

/// The site's styles and the built-in theme's, to compare with.
pub struct SiteStyles {
    pub site: Styles,
    pub builtin: Styles,
}

impl SiteStyles {
    /// Reads the theme's and the site's stylesheets and the styles in the site's templates.
    pub fn load(config: &Config) -> SiteStyles {
        let builtin_theme = Theme::load(&config.root, theme::BUILTIN_NAME).ok();
        let mut builtin = builtin_theme
            .as_ref()
            .map(|t| theme_sheets(t, false))
            .unwrap_or_default();
        let theme = Theme::load(&config.root, &config.theme).ok();
        let own_theme = config.theme != theme::BUILTIN_NAME
            || config.root.join("themes").join(&config.theme).is_dir();
        let mut files = match &theme {
            Some(t) => theme_sheets(t, own_theme),
            None => Vec::new(),
        };
        for (rel, body) in theme::files_on_disk(&config.root.join("static")).unwrap_or_default() {
            if let Some(sheet) = sheet(&rel, &body, true) {
                match files.iter_mut().find(|(r, _)| *r == rel) {
                    Some(slot) => slot.1 = sheet,
                    None => files.push((rel, sheet)),
                }
            }
        }
        let templates =
            theme::templates_on_disk(&config.root.join("templates")).unwrap_or_default();
        let base = templates
            .iter()
            .chain(theme.iter().flat_map(|t| &t.templates))
            .find(|t| t.name == "base.html")
            .map(|t| t.text.clone())
            .unwrap_or_default();
        let order = |sheets: &mut Vec<(String, Sheet)>, base: &str| {
            sheets.sort_by_key(|(rel, _)| base.find(&format!("/{rel}")).unwrap_or(usize::MAX));
        };
        order(&mut files, &base);
        let mut site: Vec<Sheet> = files.into_iter().map(|(_, s)| s).collect();
        for t in &templates {
            site.extend(template_styles(&t.origin, &t.text));
        }
        let builtin_base = builtin_theme
            .iter()
            .flat_map(|t| &t.templates)
            .find(|t| t.name == "base.html")
            .map(|t| t.text.clone())
            .unwrap_or_default();
        order(&mut builtin, &builtin_base);
        SiteStyles {
            site: Styles { sheets: site },
            builtin: Styles {
                sheets: builtin.into_iter().map(|(_, s)| s).collect(),
            },
        }
    }

    /// Whether the site changes anything of the built-in theme's styles.
    pub fn changed(&self) -> bool {
        self.site.sheets.iter().any(|s| s.own)
    }

    /// Whether the site wrote `decl` of `rule` itself: not the same declaration for the same
    /// selectors in the built-in theme (a copied file's unchanged lines are the theme's).
    pub fn written_by_site(&self, rule: &StyleRule, decl: &Decl) -> bool {
        !self.builtin.sheets.iter().any(|s| {
            s.rules.iter().any(|r| {
                r.selectors == rule.selectors
                    && r.decls
                        .iter()
                        .any(|d| d.name == decl.name && d.value == decl.value)
            })
        })
    }

    /// The first declaration in `list` that the site wrote differently from the built-in
    /// theme, else the first of the site's own.
    pub fn cause<'a>(&self, list: &[Found<'a>]) -> Option<Found<'a>> {
        let own = list.iter().filter(|f| f.sheet.own);
        own.clone()
            .find(|f| self.written_by_site(f.rule, f.decl))
            .or_else(|| own.clone().next())
            .copied()
    }
}

fn theme_sheets(theme: &Theme, own: bool) -> Vec<(String, Sheet)> {
    theme
        .static_files
        .iter()
        .filter_map(|(rel, body)| sheet(rel, body, own).map(|s| (rel.clone(), s)))
        .collect()
}

/// A `.css` file as a sheet.
fn sheet(rel: &str, body: &Body, own: bool) -> Option<Sheet> {
    if !rel.to_ascii_lowercase().ends_with(".css") {
        return None;
    }
    let path = match body {
        Body::File(p) => p.clone(),
        _ => PathBuf::from(format!("<内置主题>/static/{rel}")),
    };
    let text = String::from_utf8_lossy(&body.bytes().ok()?).into_owned();
    let rules = css::parse(&text);
    Some(Sheet {
        path,
        text,
        own,
        rules,
    })
}

/// The `<style>` blocks and `style="…"` attributes of a template, as one sheet whose spans
/// point into the template.
fn template_styles(path: &std::path::Path, text: &str) -> Option<Sheet> {
    static BLOCK: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    static INLINE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let block =
        BLOCK.get_or_init(|| Regex::new(r"(?is)<style\b[^>]*>(.*?)</style\s*>").expect("regex"));
    let inline = INLINE
        .get_or_init(|| Regex::new(r#"(?i)\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("regex"));
    let shift = |mut decls: Vec<Decl>, by: usize| {
        for d in &mut decls {
            d.span = d.span.start + by..d.span.end + by;
        }
        decls
    };
    let mut rules = Vec::new();
    for m in block.captures_iter(text).filter_map(|c| c.get(1)) {
        for mut rule in css::parse(m.as_str()) {
            rule.decls = shift(rule.decls, m.start());
            rules.push(rule);
        }
    }
    for m in inline
        .captures_iter(text)
        .filter_map(|c| c.get(1).or(c.get(2)))
    {
        rules.push(StyleRule {
            selectors: vec![format!("style=\"{}\"", m.as_str().trim())],
            media: None,
            decls: shift(css::parse_inline(m.as_str()), m.start()),
        });
    }
    (!rules.is_empty()).then(|| Sheet {
        path: path.to_path_buf(),
        text: text.to_string(),
        own: true,
        rules,
    })
}

/// Selectors that stand for the whole page in senior mode.
const CARE_ROOTS: &[&str] = &[
    ".care",
    "html.care",
    ":root.care",
    "body.care",
    "#care:checked ~ *",
];
/// Selectors that stand for the whole page.
const ROOTS: &[&str] = &[":root", "html", "*"];

/// `sel` as it applies in `mode`: senior-mode prefixes taken off (in senior mode only), the
/// whole page as `:root`; None when it does not apply in `mode`.
fn applies(sel: &str, mode: Mode) -> Option<String> {
    let sel = sel.replace("#care:checked~", "#care:checked ~ ");
    let sel = sel.split_whitespace().collect::<Vec<_>>().join(" ");
    if CARE_ROOTS.contains(&sel.as_str()) {
        return (mode == Mode::Care).then(|| ":root".to_string());
    }
    for root in CARE_ROOTS {
        if let Some(rest) = sel.strip_prefix(root).and_then(|r| r.strip_prefix(' ')) {
            let rest = rest.strip_prefix("~ ").unwrap_or(rest);
            return (mode == Mode::Care).then(|| rest.to_string());
        }
    }
    if sel.contains(".care") || sel.contains("#care:checked") {
        // Other senior-mode selectors (the switch's own knob …) are left alone.
        return None;
    }
    if ROOTS.contains(&sel.as_str()) {
        return Some(":root".to_string());
    }
    Some(sel)
}

/// Declarations by (selector as it applies, property), winners last.
pub type Index<'a> = HashMap<(String, String), Vec<Found<'a>>>;

impl Styles {
    /// Every declaration that applies in `mode`, by selector and property, in cascade order
    /// (`@media print` left out).
    pub fn index(&self, mode: Mode) -> Index<'_> {
        let mut index: Index<'_> = HashMap::new();
        for sheet in &self.sheets {
            for rule in &sheet.rules {
                if rule
                    .media
                    .as_deref()
                    .is_some_and(|m| m.to_ascii_lowercase().contains("print"))
                {
                    continue;
                }
                for sel in &rule.selectors {
                    let Some(sel) = applies(sel, mode) else {
                        continue;
                    };
                    for decl in &rule.decls {
                        index
                            .entry((sel.clone(), decl.name.clone()))
                            .or_default()
                            .push(Found { sheet, rule, decl });
                    }
                }
            }
        }
        index
    }
}

/// What a mode's styles declare, with the custom properties of the page resolved.
pub struct Cascade<'a> {
    pub mode: Mode,
    pub index: Index<'a>,
    vars: HashMap<String, Found<'a>>,
}

impl<'a> Cascade<'a> {
    pub fn new(styles: &'a Styles, mode: Mode) -> Cascade<'a> {
        let index = styles.index(mode);
        let mut vars = HashMap::new();
        for sel in [":root", "body"] {
            for ((s, name), found) in &index {
                if s == sel
                    && name.starts_with("--")
                    && let Some(win) = winner(found)
                {
                    vars.insert(name.clone(), win);
                }
            }
        }
        Cascade { mode, index, vars }
    }

    /// The winning declaration of `property` for `selector` (as it applies in this mode).
    pub fn get(&self, selector: &str, property: &str) -> Option<Found<'a>> {
        self.index
            .get(&(selector.to_string(), property.to_string()))
            .and_then(|f| winner(f))
    }

    /// The first of `properties` that `selector` declares.
    pub fn get_any(&self, selector: &str, properties: &[&str]) -> Option<Found<'a>> {
        properties.iter().find_map(|p| self.get(selector, p))
    }

    /// The selectors this mode styles.
    pub fn selectors(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.index.keys().map(|(s, _)| s.as_str()).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The value of `found` with custom properties replaced (the selector's own ones first),
    /// and the custom property declarations it went through.
    pub fn value(&self, selector: &str, found: Found<'a>) -> Option<(String, Vec<Found<'a>>)> {
        let mut vars: HashMap<String, Found<'a>> = self.vars.clone();
        for ((s, name), list) in &self.index {
            if s == selector
                && name.starts_with("--")
                && let Some(win) = winner(list)
            {
                vars.insert(name.clone(), win);
            }
        }
        let values: HashMap<String, &str> = vars
            .iter()
            .map(|(k, f)| (k.clone(), f.decl.value.as_str()))
            .collect();
        let mut through = Vec::new();
        let value = css::resolve(&found.decl.value, &values, &mut |name| {
            if let Some(f) = vars.get(name) {
                through.push(*f);
            }
        })?;
        Some((value, through))
    }

    /// The declaration of one of `properties` that `selector` gets: its own, else that of the
    /// selector it is written inside (`.a .b` → `.a`), else the page's (`body`, `:root`).
    pub fn inherited(&self, selector: &str, properties: &[&str]) -> Option<(Found<'a>, bool)> {
        if let Some(own) = self.get_any(selector, properties) {
            return Some((own, true));
        }
        let parts: Vec<&str> = selector
            .split(' ')
            .filter(|p| !matches!(*p, ">" | "~" | "+"))
            .collect();
        (1..parts.len())
            .rev()
            .map(|n| parts[..n].join(" "))
            .chain(["body".to_string(), ":root".to_string()])
            .find_map(|s| self.get_any(&s, properties))
            .map(|f| (f, false))
    }
}

/// The declaration that wins among `list` (cascade order): the last `!important` one, else the
/// last.
fn winner<'a>(list: &[Found<'a>]) -> Option<Found<'a>> {
    list.iter()
        .rev()
        .find(|f| f.decl.important)
        .or_else(|| list.last())
        .copied()
}

/// Whether `selector` stands for the whole page (`:root`, `body`).
pub fn is_page(selector: &str) -> bool {
    selector == ":root" || selector == "body"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(css: &str) -> Styles {
        Styles {
            sheets: vec![Sheet {
                path: PathBuf::from("a.css"),
                text: css.to_string(),
                own: true,
                rules: css::parse(css),
            }],
        }
    }

    #[test]
    fn senior_mode_overrides_variables() {
        let s = styles(
            ":root{--text:#333;--size:1rem}.care,#care:checked ~ *{--size:1.25rem}body{font-size:var(--size);color:var(--text)}.care .meta{color:#000}",
        );
        let normal = Cascade::new(&s, Mode::Normal);
        let care = Cascade::new(&s, Mode::Care);
        let size = |c: &Cascade<'_>| {
            let f = c.get("body", "font-size").unwrap();
            c.value("body", f).unwrap().0
        };
        assert_eq!(size(&normal), "1rem");
        assert_eq!(size(&care), "1.25rem");
        assert!(normal.get(".meta", "color").is_none());
        assert_eq!(care.get(".meta", "color").unwrap().decl.value, "#000");
    }

    #[test]
    fn inherits_from_the_enclosing_selector() {
        let s = styles("body{background:#fff}.band{background:#b5121b}.band a{color:#fff}");
        let c = Cascade::new(&s, Mode::Normal);
        let (bg, own) = c
            .inherited(".band a", &["background-color", "background"])
            .unwrap();
        assert!(!own);
        assert_eq!(bg.decl.value, "#b5121b");
    }
}
