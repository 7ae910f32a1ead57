//! P3 and P6, what a page's head carries and loads: the government page tags every rendered
//! page must have (SiteName, SiteDomain, SiteIDCode; Column* on lists; ArticleTitle, PubDate,
//! ContentSource on articles), and no script, stylesheet or font loaded from another host.

use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;

use super::html::{Doc, Kind, RefKind, Target, resolve};
use super::{Audit, Finding, Rule};
use crate::config::SiteKind;
use crate::diagnostics::{Diagnostic, Location};
use crate::output::Body;

static PUB_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$").expect("valid pattern"));
/// `url(…)` and `@import "…"` of another host in CSS.
static CSS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)"#)
        .expect("valid pattern")
});

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for doc in audit.docs() {
        tags(audit, doc, &mut out);
        scripts(audit, doc, &mut out);
    }
    stylesheets(audit, &mut out);
    out
}

/// The tags `doc` must carry.
fn required(audit: &Audit<'_>, kind: Kind) -> Vec<&'static str> {
    let mut names = match kind {
        Kind::Redirect => return Vec::new(),
        _ => vec!["SiteName", "SiteDomain"],
    };
    if audit.site.config.kind == SiteKind::Gov {
        names.push("SiteIDCode");
    }
    match kind {
        Kind::List => names.extend([
            "ColumnName",
            "ColumnDescription",
            "ColumnKeywords",
            "ColumnType",
        ]),
        Kind::Article => names.extend(["ArticleTitle", "PubDate", "ContentSource"]),
        Kind::Plain | Kind::Redirect => {}
    }
    names
}

fn tags(audit: &Audit<'_>, doc: &Doc, out: &mut Vec<Finding>) {
    let severity = audit.gov_error();
    let value = |name: &str| {
        doc.meta
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.trim())
            .filter(|c| !c.is_empty())
    };
    let source = doc.source.map(|i| &audit.sources[i]);
    let has_source = source
        .and_then(|s| s.page)
        .is_some_and(|p| audit.site.library.pages[p].meta.source.is_some())
        || !audit.site.config.default_source.trim().is_empty();
    for name in required(audit, doc.kind) {
        let problem = match (name, value(name)) {
            // A post without any source is C5's finding.
            ("ContentSource", None) if !has_source => continue,
            (_, None) => format!("页面缺少 <meta name=\"{name}\">"),
            ("PubDate", Some(v)) if !PUB_DATE.is_match(v) => {
                format!("<meta name=\"PubDate\"> 的值“{v}”不是 YYYY-MM-DD HH:MM 格式")
            }
            _ => continue,
        };
        let mut d = Diagnostic::error(problem).help(hint(name));
        d.severity = severity;
        out.push(Finding::new(Rule::P3, d, name).on_page(&doc.url));
    }
}

fn hint(name: &str) -> String {
    match name {
        "SiteName" | "SiteDomain" => "模板的 <head> 里要有 {{ meta_tags }}；SiteDomain 来自 site.toml 的 base_url，请写完整网址".into(),
        "SiteIDCode" => "在 site.toml 的 [identity] 写 site_id，并确认模板的 <head> 里有 {{ meta_tags }}".into(),
        "ContentSource" => "在文章的 front matter 写 source = \"来源单位\"，或在 site.toml 写 default_source".into(),
        "ArticleTitle" | "PubDate" => "文章页的模板 <head> 里要有 {{ meta_tags }}；文章须有 title 和 date".into(),
        _ => "列表页的模板 <head> 里要有 {{ meta_tags }}；栏目的 description 写在 site.toml 或 _index.md 里".into(),
    }
}

fn other_host(audit: &Audit<'_>, url: &str, page: &str) -> Option<String> {
    match resolve(url, page, audit.site.config.domain()) {
        Target::External(u) => Some(u),
        _ => None,
    }
}

fn warn_external(what: &str, url: &str) -> Diagnostic {
    Diagnostic::warning(format!("从其他网站加载{what} {url}")).help(
        "政府和宣传网站不应从第三方加载脚本、样式和字体（广告、统计和跟踪脚本会被扣分）：把文件放进 static/ 从本站加载",
    )
}

/// `<script src>`, stylesheets, preloaded fonts and `url()` in `<style>` from other hosts.
fn scripts(audit: &Audit<'_>, doc: &Doc, out: &mut Vec<Finding>) {
    for r in &doc.refs {
        if !matches!(
            r.kind,
            RefKind::Script | RefKind::Stylesheet | RefKind::Font
        ) {
            continue;
        }
        if let Some(url) = other_host(audit, &r.url, &doc.url) {
            let (file, location) = audit.locate(doc, &r.url, r.span.clone());
            let mut d = warn_external(r.kind.noun(), &url).at(location);
            if let Some(file) = file {
                d = d.in_file(file);
            }
            out.push(Finding::new(Rule::P6, d, url).on_page(&doc.url));
        }
    }
    for m in CSS_URL.captures_iter(&doc.styles) {
        let url = m[1].to_string();
        if let Some(full) = other_host(audit, &url, &doc.url) {
            let span = doc.html().find(&url).map_or(0..0, |i| i..i + url.len());
            let (file, location) = audit.locate(doc, &url, span);
            let mut d = warn_external("样式资源", &full).at(location);
            if let Some(file) = file {
                d = d.in_file(file);
            }
            out.push(Finding::new(Rule::P6, d, full).on_page(&doc.url));
        }
    }
}

/// Stylesheets of the site that import or load fonts and images from other hosts.
fn stylesheets(audit: &Audit<'_>, out: &mut Vec<Finding>) {
    for o in audit.outputs.iter().filter(|o| o.path.ends_with(".css")) {
        let Ok(bytes) = o.body.bytes() else { continue };
        let css = String::from_utf8_lossy(&bytes);
        let page = format!("/{}", o.path);
        for m in CSS_URL.captures_iter(&css) {
            let found = m.get(1).map_or(0..0, |g| g.range());
            let Some(url) = other_host(audit, &css[found.clone()], &page) else {
                continue;
            };
            let file = match &o.body {
                Body::File(p) => p.clone(),
                _ => PathBuf::from(&page),
            };
            out.push(Finding::new(
                Rule::P6,
                warn_external("样式资源", &url)
                    .in_file(file)
                    .at(Location::in_source(&css, found)),
                url,
            ));
        }
    }
}
