//! P3 and P6, what a page's head carries and loads: the government page tags every rendered
//! page must have (SiteName, SiteDomain, SiteIDCode; Column* on lists; ArticleTitle, PubDate,
//! ContentSource on articles), and nothing loaded from another host: scripts (also those an
//! inline loader such as 百度统计's adds), stylesheets, fonts and embedded pages (video players
//! of commercial platforms carry ads).

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
/// An absolute URL in a script's code.
static SCRIPT_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:https?:)?//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s'"`)]*"#)
        .expect("valid pattern")
});
/// What a script does when it loads something.
const LOADS: &[&str] = &[
    "createElement",
    ".src",
    "document.write",
    "import(",
    "fetch(",
    "XMLHttpRequest",
    "sendBeacon",
    "new Image",
    "insertAdjacentHTML",
    "getScript",
    "$.ajax",
];
/// Video platforms whose embedded players show advertisements.
const AD_PLAYERS: &[&str] = &[
    "qq.com",
    "youku.com",
    "iqiyi.com",
    "bilibili.com",
    "ixigua.com",
    "sohu.com",
    "le.com",
    "mgtv.com",
    "youtube.com",
    "douyin.com",
    "kuaishou.com",
    "weibo.com",
    "56.com",
    "pptv.com",
];
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
        "ContentSource" => "在文章开头的 +++ 之间写 source = \"来源单位\"，或在 site.toml 写 default_source".into(),
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
    for script in &doc.scripts {
        if !LOADS.iter().any(|l| script.code.contains(l)) {
            continue;
        }
        for m in SCRIPT_URL.find_iter(&script.code) {
            let Some(url) = other_host(audit, m.as_str(), &doc.url) else {
                continue;
            };
            let span = doc.html()[script.span.start..]
                .find(m.as_str())
                .map_or(script.span.clone(), |i| {
                    script.span.start + i..script.span.start + i + m.len()
                });
            let (file, location) = audit.locate(doc, m.as_str(), span);
            let mut d = Diagnostic::warning(format!("页面里的脚本从其他网站加载 {url}"))
                .help("这是统计、广告或跟踪代码（例如百度统计、CNZZ）：政府和宣传网站不应加载第三方跟踪脚本，请删去这段 <script>")
                .at(location);
            if let Some(file) = file {
                d = d.in_file(file);
            }
            out.push(Finding::new(Rule::P6, d, url).on_page(&doc.url));
        }
    }
    for r in doc.refs.iter().filter(|r| r.kind == RefKind::Frame) {
        let Some(url) = other_host(audit, &r.url, &doc.url) else {
            continue;
        };
        let host = url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', '?', '#', ':']).next())
            .unwrap_or("")
            .to_ascii_lowercase();
        let player = AD_PLAYERS
            .iter()
            .any(|p| host == *p || host.ends_with(&format!(".{p}")));
        let (file, location) = audit.locate(doc, &r.url, r.span.clone());
        let d = if player {
            Diagnostic::warning(format!("嵌入了视频平台 {host} 的播放器 {url}")).help(
                "商业视频平台的播放器会播放广告、推荐其他视频：把视频文件放进文章文件夹，用 <video controls src=\"视频.mp4\"> 播放",
            )
        } else {
            Diagnostic::warning(format!("嵌入了其他网站的页面 {url}")).help(
                "嵌入的页面可能带有广告、弹窗或跟踪代码：确认对方是政府或公共服务网站，或改成普通链接",
            )
        };
        let mut d = d.at(location);
        if let Some(file) = file {
            d = d.in_file(file);
        }
        out.push(Finding::new(Rule::P6, d, url).on_page(&doc.url));
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
