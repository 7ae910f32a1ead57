//! A4, senior mode (关怀模式) in a site's own templates and styles: every page still has the
//! switch, and in senior mode body text stays at least 18 px with a line height of at least
//! 1.3, tap targets at least 60 px (44 px on normal pages) — reported where the site's change
//! broke what the built-in theme provides.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use super::css;
use super::styles::{Cascade, Found, Mode, SiteStyles, Styles};
use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location};

pub fn check(audit: &Audit<'_>, styles: &SiteStyles) -> Vec<Finding> {
    let mut out = Vec::new();
    if audit
        .templates()
        .iter()
        .any(|(path, _)| !path.starts_with("<内置主题>"))
    {
        out.extend(switch(audit));
    }
    if styles.changed() {
        out.extend(sizes(audit, styles));
    }
    out
}

/// Whether a page's HTML has a senior-mode switch: the theme's `#care` checkbox, or a button,
/// link or label named 关怀模式 / 长辈版 / 适老模式 ….
pub fn has_switch(html: &str) -> bool {
    static SWITCH: OnceLock<Regex> = OnceLock::new();
    let re = SWITCH.get_or_init(|| {
        Regex::new(
            r#"(?is)\sid\s*=\s*["']?care["'\s>]|<(?:button|a|label)\b[^>]*>(?:[^<]|<(?:span|i|b|em|strong|svg|img|path)\b[^>]*>|</(?:span|i|b|em|strong|svg|path)>){0,400}?(?:关怀模式|关怀版|长辈版|长辈模式|长者模式|适老模式|适老化|老年模式|大字版|大字模式)"#,
        )
        .expect("regex")
    });
    re.is_match(html)
}

/// Pages without the switch, reported once at the template that writes `<body>`.
fn switch(audit: &Audit<'_>) -> Vec<Finding> {
    let mut missing = Vec::new();
    let mut pages = 0;
    for o in audit.outputs.iter().filter(|o| o.path.ends_with(".html")) {
        let Ok(bytes) = o.body.bytes() else { continue };
        let html = String::from_utf8_lossy(&bytes);
        if html.contains("http-equiv=\"refresh\"") && html.len() < 4096 {
            continue;
        }
        pages += 1;
        if !has_switch(&html) {
            missing.push(super::html::url_of(&o.path));
        }
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let mut d = Diagnostic::error(format!(
        "{} 个页面（共 {pages} 个）没有关怀模式开关，例如 {}",
        missing.len(),
        missing.iter().take(3).cloned().collect::<Vec<_>>().join("、")
    ))
    .help("政府网站要提供不靠浏览器缩放的关怀模式（长辈版）：改回默认主题的 templates/base.html 里 id=\"care\" 的开关和它的 label，或者放一个写着“关怀模式”的按钮；自己改的模板不要删掉它");
    d.severity = audit.gov_error();
    // The template that writes the page without a switch (a base template's child may not).
    let templates = audit.templates();
    let template = templates
        .iter()
        .find(|(_, text)| text.contains("<body") && !has_switch(text))
        .or_else(|| templates.iter().find(|(_, text)| text.contains("<body")));
    if let Some((path, text)) = template {
        let at = text.find("<body").unwrap_or(0);
        d = d.in_file(path).at(Location::in_source(text, at..at + 5));
    }
    let mut f = Finding::new(Rule::A4, d, "关怀模式开关");
    f.pages = missing;
    vec![f]
}

/// What senior mode must keep: (property, selector filter, minimum, unit words).
fn sizes(audit: &Audit<'_>, styles: &SiteStyles) -> Vec<Finding> {
    let known: HashSet<(Mode, String, &str)> = small(&styles.builtin)
        .into_iter()
        .map(|s| (s.mode, s.selector, s.what))
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for s in small(&styles.site) {
        if known.contains(&(s.mode, s.selector.clone(), s.what)) {
            continue;
        }
        let Some(cause) = styles.cause(&s.from) else {
            continue;
        };
        if !seen.insert((
            cause.sheet.path.clone(),
            cause.decl.span.start,
            s.mode,
            s.what,
        )) {
            continue;
        }
        let (name, min, help) = match s.what {
            "font-size" => (
                "正文字号",
                "18px",
                "关怀模式的正文至少 18px（默认主题是 20px）：不要用 px 写死 body 的字号，改在 css/brand.css 的 --text-size 里调",
            ),
            "line-height" => (
                "正文行高",
                "1.3 倍",
                "关怀模式的行高至少 1.3 倍（建议 1.6 以上）：改 css/brand.css 的 --leading",
            ),
            _ => (
                "可点的链接和按钮高度",
                if s.mode == Mode::Care { "60px" } else { "44px" },
                "老人手指点不准：按钮和导航链接在关怀模式下至少 60px 高，平时至少 44px；改 css/brand.css 的 --tap",
            ),
        };
        let message = format!(
            "{}{}只有 {}，至少要 {min}：{}",
            name,
            s.mode.label(),
            s.shown,
            s.selector
        );
        let mut d = Diagnostic::error(message)
            .help(help)
            .in_file(&cause.sheet.path)
            .at(Location::in_source(
                &cause.sheet.text,
                cause.decl.span.clone(),
            ));
        d.severity = audit.gov_error();
        out.push(Finding::new(Rule::A4, d, s.shown));
    }
    out
}

/// A size under senior mode's minimum.
struct Small<'a> {
    mode: Mode,
    selector: String,
    what: &'static str,
    shown: String,
    from: Vec<Found<'a>>,
}

fn small(styles: &Styles) -> Vec<Small<'_>> {
    let mut out = Vec::new();
    for mode in Mode::ALL {
        let c = Cascade::new(styles, mode);
        // Body text: the page's font size and line height.
        let text = c
            .get("body", "font-size")
            .or_else(|| c.get(":root", "font-size"));
        let mut font = 16.0;
        if let Some(found) = text
            && let Some((value, through)) = c.value("body", found)
            && let Some(size) = css::px(&value)
        {
            font = size;
            if mode == Mode::Care && size < 17.95 {
                out.push(Small {
                    mode,
                    selector: "body".into(),
                    what: "font-size",
                    shown: format!("{size:.0}px"),
                    from: chain(found, through),
                });
            }
        }
        if mode == Mode::Care
            && let Some(found) = c.get("body", "line-height")
            && let Some((value, through)) = c.value("body", found)
            && let Some(lh) = css::leading(&value, font)
            && lh < 1.295
        {
            out.push(Small {
                mode,
                selector: "body".into(),
                what: "line-height",
                shown: format!("{lh:.2} 倍"),
                from: chain(found, through),
            });
        }
        let min = if mode == Mode::Care { 59.5 } else { 43.5 };
        for selector in c.selectors() {
            if !tap_target(selector) {
                continue;
            }
            let Some(found) = c.get_any(selector, &["min-height", "height"]) else {
                continue;
            };
            if let Some((value, through)) = c.value(selector, found)
                && let Some(h) = css::px(&value)
                && h > 0.0
                && h < min
            {
                out.push(Small {
                    mode,
                    selector: selector.to_string(),
                    what: "tap",
                    shown: format!("{h:.0}px"),
                    from: chain(found, through),
                });
            }
        }
    }
    out
}

fn chain<'a>(first: Found<'a>, mut rest: Vec<Found<'a>>) -> Vec<Found<'a>> {
    rest.insert(0, first);
    rest
}

/// Whether the element a selector styles is something to tap: a link, a button, a summary,
/// a toggle.
fn tap_target(selector: &str) -> bool {
    let last = selector.rsplit(' ').next().unwrap_or(selector);
    let element = last
        .split([':', '.', '[', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(element.as_str(), "a" | "button" | "summary")
        || ["toggle", "btn", "button"]
            .iter()
            .any(|w| last.to_ascii_lowercase().contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_switches() {
        assert!(has_switch(
            r#"<input type="checkbox" id="care" class="care-input">"#
        ));
        assert!(has_switch(
            r#"<a href="/care/"><i class="icon"></i>长辈版</a>"#
        ));
        assert!(has_switch("<button type=button>切换到关怀模式</button>"));
        assert!(!has_switch("<p>本站提供关怀模式。</p>"));
        assert!(!has_switch(r#"<div id="careers">招聘</div>"#));
    }

    #[test]
    fn tap_targets() {
        assert!(tap_target(".nav-list a"));
        assert!(tap_target(".care-toggle"));
        assert!(tap_target("button:hover"));
        assert!(!tap_target(".nav-list"));
        assert!(!tap_target(".article"));
    }
}
