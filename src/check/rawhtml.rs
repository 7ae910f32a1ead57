//! S1, active content in Markdown (errors): `<script>`, `on*=` event handlers, `javascript:`
//! URLs (in raw HTML and in Markdown links), and `<iframe>`/`<embed>`/`<object>` from hosts not
//! in `[check] allow_embeds`. Read from pulldown-cmark's HTML events of each content file, so
//! findings point at the Markdown line; templates are the site owner's and are not read.

use std::cell::RefCell;
use std::ops::Range;

use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, element};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Lines};

/// Attributes holding a URL that a browser may load or follow.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "xlink:href",
];

/// Something a reader's browser would run or load from elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Active {
    Script,
    /// The attribute, e.g. `onerror`.
    Handler(String),
    /// The URL.
    ScriptUrl(String),
    /// The tag and the host it loads from.
    Embed(String, String),
}

/// Every active thing in raw HTML `html`, with its byte range in `html`.
pub fn find(html: &str, allow_embeds: &[String]) -> Vec<(Range<usize>, Active)> {
    let found = RefCell::new(Vec::new());
    {
        let settings = Settings::new()
            .with_strict(false)
            .append_element_content_handler(element!("*", |el| {
                visit(el, allow_embeds, &mut found.borrow_mut());
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // What lol_html cannot read is checked as far as it got.
        let _ = rewriter.write(html.as_bytes());
        let _ = rewriter.end();
    }
    found.into_inner()
}

fn visit(el: &Element<'_, '_>, allow_embeds: &[String], out: &mut Vec<(Range<usize>, Active)>) {
    let tag = el.tag_name();
    let span = el.source_location().bytes();
    if tag == "script" {
        out.push((span.clone(), Active::Script));
    }
    for a in el.attributes() {
        let name = a.name();
        let at = a
            .value_source_location()
            .map_or(span.clone(), |l| l.bytes());
        if name.starts_with("on") && name.len() > 2 {
            out.push((at.clone(), Active::Handler(name.clone())));
        }
        if URL_ATTRIBUTES.contains(&name.as_str()) {
            let url = html_escape::decode_html_entities(&a.value()).into_owned();
            if runs_script(&url) {
                out.push((at.clone(), Active::ScriptUrl(url.trim().to_string())));
            } else if matches!(tag.as_str(), "iframe" | "embed" | "object" | "frame")
                && matches!(name.as_str(), "src" | "data")
                && let Some(host) = host_of(&url)
                && !allowed(&host, allow_embeds)
            {
                out.push((at, Active::Embed(tag.clone(), host)));
            }
        }
    }
}

/// Whether following `url` runs script: `javascript:` and `vbscript:`, and HTML in a `data:`
/// URL, however spaced or cased (browsers drop tabs and newlines inside a scheme).
pub fn runs_script(url: &str) -> bool {
    let folded: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(20)
        .flat_map(char::to_lowercase)
        .collect();
    folded.starts_with("javascript:")
        || folded.starts_with("vbscript:")
        || folded.starts_with("data:text/html")
}

/// The host an absolute or protocol-relative URL loads from; None for a URL of the site itself.
fn host_of(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .split_once("://")
        .map(|(_, r)| r)
        .or_else(|| url.strip_prefix("//"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host);
    Some(host.to_ascii_lowercase())
}

/// Whether `host` is an allowed host or below one.
fn allowed(host: &str, allow: &[String]) -> bool {
    allow.iter().any(|a| {
        let a = a.trim().to_ascii_lowercase();
        host == a || host.ends_with(&format!(".{a}"))
    })
}

/// What of a Markdown body a browser would act on, by byte range in the body.
#[derive(Default)]
struct Parts {
    /// Raw HTML blocks and inline tags.
    html: Vec<Range<usize>>,
    /// Links and images with their URLs.
    urls: Vec<(Range<usize>, String)>,
}

/// The raw HTML of a Markdown body and the URLs of its links and images.
fn html_parts(body: &str) -> Parts {
    // Other tools' code shortcodes are code, as the Markdown stage renders them (same offsets).
    let body = &*crate::markdown::shortcodes::fence_code(body);
    let mut parts = Parts::default();
    let mut in_block = false;
    for (event, range) in Parser::new_ext(body, pulldown_cmark::Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                in_block = true;
                parts.html.push(range);
            }
            Event::End(TagEnd::HtmlBlock) => in_block = false,
            Event::InlineHtml(_) | Event::Html(_) if !in_block => parts.html.push(range),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                parts.urls.push((range, dest_url.to_string()));
            }
            _ => {}
        }
    }
    parts
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let allow = &audit.site.config.check.allow_embeds;
    // Every content file in parallel; the findings keep the files' order.
    let per_file: Vec<Vec<Finding>> = audit
        .sources
        .par_iter()
        .map(|source| {
            let mut out = Vec::new();
            let Ok(split) = crate::content::frontmatter::split(&source.text) else {
                return out;
            };
            // The body is a slice of the text.
            let offset = source.text.len() - split.body.len();
            let Parts { html, urls } = html_parts(split.body);
            let mut found: Vec<(Range<usize>, Active)> = Vec::new();
            for part in html {
                found.extend(
                    find(&split.body[part.clone()], allow)
                        .into_iter()
                        .map(|(r, a)| (part.start + r.start..part.start + r.end, a)),
                );
            }
            for (range, url) in urls {
                if runs_script(&url) {
                    found.push((range, Active::ScriptUrl(url)));
                }
            }
            if found.is_empty() {
                return out;
            }
            found.sort_by_key(|(r, _)| r.start);
            let lines = Lines::new(&source.text);
            for (range, active) in found {
                let range = offset + range.start..offset + range.end;
                let text = source.text[range.clone()].to_string();
                out.push(source.finding(
                    Rule::S1,
                    diagnostic(&active, allow),
                    lines.locate(range),
                    text,
                ));
            }
            out
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

fn diagnostic(active: &Active, allow: &[String]) -> Diagnostic {
    const WHY: &str = "文章里的脚本会在每位读者的浏览器里运行，可能被用来挂马、跳转或统计读者";
    match active {
        Active::Script => Diagnostic::error("文章里有 <script> 脚本").help(format!(
            "{WHY}；请删除它。访问统计、客服等代码应由网站管理员放进主题模板，而不是写在文章里"
        )),
        Active::Handler(name) => Diagnostic::error(format!("文章的 HTML 里有事件脚本 {name}="))
            .help(format!(
                "{WHY}；请删除 {name}=\"…\" 这一段属性，保留其余内容"
            )),
        Active::ScriptUrl(url) => Diagnostic::error(format!(
            "链接 {} 会运行脚本",
            url.chars().take(40).collect::<String>()
        ))
        .help(format!("{WHY}；链接请写成 https:// 开头的网址")),
        Active::Embed(tag, host) => {
            let list = if allow.is_empty() {
                "（目前为空）".to_string()
            } else {
                allow.join("、")
            };
            Diagnostic::error(format!("文章嵌入了来自 {host} 的 <{tag}>，这个网站不在允许名单里"))
                .help(format!(
                    "只允许嵌入可信网站的视频或页面（允许名单：{list}）；确实可信的话，请在 site.toml 的 [check] 里加上 allow_embeds = [\"{host}\"]"
                ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(html: &str) -> Vec<Active> {
        find(html, &["player.bilibili.com".to_string()])
            .into_iter()
            .map(|(_, a)| a)
            .collect()
    }

    #[test]
    fn scripts_handlers_and_script_urls_are_found() {
        assert_eq!(
            kinds("<script src=\"https://hm.baidu.com/hm.js\"></script>"),
            vec![Active::Script]
        );
        assert_eq!(
            kinds("<img src=x OnError=\"alert(1)\">"),
            vec![Active::Handler("onerror".into())]
        );
        assert_eq!(
            kinds("<a href=\" JaVa\tScRiPt:alert(1)\">x</a>"),
            vec![Active::ScriptUrl("JaVa\tScRiPt:alert(1)".into())]
        );
        assert_eq!(
            kinds("<a href=\"javascript&#58;alert(1)\">x</a>"),
            vec![Active::ScriptUrl("javascript:alert(1)".into())]
        );
        assert!(
            kinds("<section style=\"color:red\"><p>正文</p><a href=\"/a/\">x</a></section>")
                .is_empty()
        );
    }

    #[test]
    fn embeds_are_allowed_only_from_listed_hosts() {
        assert!(
            kinds("<iframe src=\"//player.bilibili.com/player.html?bvid=1\"></iframe>").is_empty()
        );
        assert!(kinds("<iframe src=\"/local/page.html\"></iframe>").is_empty());
        assert_eq!(
            kinds("<iframe src=\"https://evil.example/x\"></iframe>"),
            vec![Active::Embed("iframe".into(), "evil.example".into())]
        );
        assert_eq!(
            kinds("<object data=\"https://bilibili.com.evil.example/x\"></object>"),
            vec![Active::Embed(
                "object".into(),
                "bilibili.com.evil.example".into()
            )]
        );
    }
}
