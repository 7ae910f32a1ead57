//! A5, larger text in a site's own templates and styles: nothing may stop readers from
//! enlarging the page (a viewport that forbids zooming, `text-size-adjust: none`, which turns
//! off WeChat's large-text mode) — errors; and what breaks the layout when they do (the page's
//! font size in px, a fixed height that cuts off its text) — warnings.

use std::sync::OnceLock;

use regex::Regex;

use super::css;
use super::styles::{SiteStyles, is_page};
use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location, Severity};

pub fn check(audit: &Audit<'_>, styles: &SiteStyles) -> Vec<Finding> {
    let mut out = Vec::new();
    for (path, text) in audit.templates() {
        if !path.starts_with("<内置主题>") {
            out.extend(viewport(audit, path, text));
        }
    }
    for sheet in styles.site.sheets.iter().filter(|s| s.own) {
        for rule in sheet.rules.iter().filter(|r| !print(r)) {
            for decl in rule
                .decls
                .iter()
                .filter(|d| styles.written_by_site(rule, d))
            {
                let at = || Location::in_source(&sheet.text, decl.span.clone());
                let problem = problem(rule, decl);
                if let Some((severity, message, help)) = problem {
                    let mut d = Diagnostic::error(message)
                        .help(help)
                        .in_file(&sheet.path)
                        .at(at());
                    d.severity = match severity {
                        Severity::Error => audit.gov_error(),
                        s => s,
                    };
                    out.push(Finding::new(
                        Rule::A5,
                        d,
                        format!("{}: {}", decl.name, decl.value),
                    ));
                }
            }
        }
    }
    out
}

/// What is wrong with one declaration of the site's own styles.
fn problem(rule: &css::StyleRule, decl: &css::Decl) -> Option<(Severity, String, &'static str)> {
    let value = decl.value.trim().to_ascii_lowercase();
    if decl.name.ends_with("text-size-adjust") && (value == "none" || decl.important) {
        return Some((
            Severity::Error,
            format!(
                "{}: {} 会让微信的“字体大小”设置失效，老人调大字也没用",
                decl.name, decl.value
            ),
            "删掉这一行；要防止手机横屏时自动放大文字，写 -webkit-text-size-adjust: 100%（不要加 !important）",
        ));
    }
    let page = rule
        .selectors
        .iter()
        .any(|s| is_page(s) || s == "html" || s == "*");
    if decl.name == "font-size" && page && css::is_absolute(&value) {
        return Some((
            Severity::Warning,
            format!(
                "整个页面的字号写死成了 {}，读者在浏览器里调大字号时文字不跟着变大",
                decl.value
            ),
            "用 rem 或百分比：例如 16px 写成 1rem（100%），或者在 css/brand.css 里改 --text-size",
        ));
    }
    if decl.name == "height" && fixed(&value) && clips(rule) && !media(rule) {
        return Some((
            Severity::Warning,
            format!(
                "{} 的高度固定为 {}，又设了 overflow: hidden：文字放大到 200% 时会被截掉",
                rule.selectors.join(", "),
                decl.value
            ),
            "把 height 改成 min-height，或者去掉 overflow: hidden，让这一块随文字变高",
        ));
    }
    None
}

/// A fixed height that does not grow with the text (not `auto`, a percentage or a minimum;
/// not the 1 px of text hidden for screen readers only).
fn fixed(value: &str) -> bool {
    ["px", "rem", "em", "pt"].iter().any(|u| value.ends_with(u))
        && css::px(value).is_some_and(|h| h > 2.0)
}

/// Whether the rule is for printing only.
fn print(rule: &css::StyleRule) -> bool {
    rule.media
        .as_deref()
        .is_some_and(|m| m.to_ascii_lowercase().contains("print"))
}

/// Whether the rule hides what overflows its box.
fn clips(rule: &css::StyleRule) -> bool {
    rule.decls.iter().any(|d| {
        matches!(
            d.name.as_str(),
            "overflow" | "overflow-y" | "overflow-block"
        ) && matches!(d.value.trim(), "hidden" | "clip")
    })
}

/// Whether the rule styles a picture, a video or an icon rather than text.
fn media(rule: &css::StyleRule) -> bool {
    rule.selectors.iter().all(|s| {
        let last = s.rsplit(' ').next().unwrap_or(s).to_ascii_lowercase();
        [
            "img",
            "svg",
            "video",
            "iframe",
            "canvas",
            "picture",
            "icon",
            "logo",
            "avatar",
            "thumb",
            "cover",
            "banner-img",
        ]
        .iter()
        .any(|w| last.contains(w))
    })
}

/// A `<meta name="viewport">` that forbids zooming.
fn viewport(audit: &Audit<'_>, path: &std::path::Path, text: &str) -> Vec<Finding> {
    static META: OnceLock<Regex> = OnceLock::new();
    let re = META.get_or_init(|| {
        Regex::new(r#"(?i)<meta\b[^>]*name\s*=\s*["']?viewport[^>]*>"#).expect("regex")
    });
    let mut out = Vec::new();
    for m in re.find_iter(text) {
        let tag = m.as_str().to_ascii_lowercase().replace(' ', "");
        let no_zoom = tag.contains("user-scalable=no") || tag.contains("user-scalable=0");
        let max = tag
            .split("maximum-scale=")
            .nth(1)
            .and_then(|r| {
                r.split(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .next()
                    .and_then(|n| n.parse::<f32>().ok())
            })
            .filter(|m| *m < 2.0);
        if !no_zoom && max.is_none() {
            continue;
        }
        let mut d = Diagnostic::error("页面禁止了缩放（viewport 里的 user-scalable=no 或 maximum-scale 小于 2）：看不清的读者没法用两指放大")
            .help("删掉 viewport 里的 user-scalable=no 和 maximum-scale，只留 width=device-width, initial-scale=1")
            .in_file(path)
            .at(Location::in_source(text, m.range()));
        d.severity = audit.gov_error();
        out.push(Finding::new(Rule::A5, d, m.as_str().to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(css_text: &str) -> Vec<String> {
        css::parse(css_text)
            .iter()
            .flat_map(|r| r.decls.iter().filter_map(move |d| problem(r, d)))
            .map(|(_, m, _)| m)
            .collect()
    }

    #[test]
    fn flags_what_stops_larger_text() {
        assert_eq!(problems("html{-webkit-text-size-adjust:none}").len(), 1);
        assert_eq!(
            problems("body{-webkit-text-size-adjust:100%!important}").len(),
            1
        );
        assert!(problems("html{-webkit-text-size-adjust:100%}").is_empty());
        assert_eq!(problems("body{font-size:14px}").len(), 1);
        assert!(problems(".note{font-size:14px}").is_empty());
        assert_eq!(problems(".nav a{height:40px;overflow:hidden}").len(), 1);
        assert!(problems(".nav a{min-height:40px;overflow:hidden}").is_empty());
        assert!(problems(".logo img{height:40px;overflow:hidden}").is_empty());
        assert!(problems(".visually-hidden{height:1px;overflow:hidden}").is_empty());
    }
}
