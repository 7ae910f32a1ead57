//! Reads every rendered HTML page once (lol_html, in parallel) into what the output rules need:
//! links and resources with their places in the HTML, element ids, images, `<meta>` tags,
//! `lang`, and the page's text; and resolves a link found on a page into a site path.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, doc_text, element, text};
use rayon::prelude::*;

use super::Audit;
use crate::output::Body;
use crate::site::alias_path;
use crate::site::permalink::output_file;

/// What a rendered page is, for the rules that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A post: article tags.
    Article,
    /// A plain page (关于我们): site tags only.
    Plain,
    /// Home, categories, tags, columns, archives, sections: list tags.
    List,
    /// A redirect left for an old URL.
    Redirect,
}

/// What a reference loads or points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Link,
    Image,
    Script,
    Stylesheet,
    Font,
    Frame,
    Media,
    Refresh,
}

impl RefKind {
    /// What to call it in messages.
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Link | RefKind::Refresh => "链接",
            RefKind::Image => "图片",
            RefKind::Script => "脚本",
            RefKind::Stylesheet => "样式表",
            RefKind::Font => "字体",
            RefKind::Frame => "嵌入页面",
            RefKind::Media => "音视频",
        }
    }
}

/// A URL written on a page.
#[derive(Debug, Clone)]
pub struct Ref {
    /// As written, HTML entities decoded.
    pub url: String,
    pub kind: RefKind,
    /// Byte range in the page's HTML.
    pub span: Range<usize>,
}

/// An `<img>`.
#[derive(Debug, Clone)]
pub struct Image {
    pub src: String,
    /// None when the attribute is missing.
    pub alt: Option<String>,
    /// `role="presentation"`/`"none"` or `aria-hidden="true"`: needs no text.
    pub decorative: bool,
    pub span: Range<usize>,
}

/// A `<video>`.
#[derive(Debug, Clone)]
pub struct Video {
    /// Its `src` (empty when it has `<source>` children instead).
    pub src: String,
    /// It has a `<track kind="captions">` or `"subtitles"`.
    pub captioned: bool,
    pub span: Range<usize>,
}

/// An inline `<script>` (without `src`): its code and where it starts in the HTML.
#[derive(Debug, Clone)]
pub struct InlineScript {
    pub code: String,
    pub span: Range<usize>,
}

/// One rendered HTML page.
pub struct Doc {
    /// Site path (`/theory/`, `/a/t1.html`).
    pub url: String,
    /// The page's bytes, shared with the output (UTF-8: an output that is not was read lossily).
    bytes: Arc<[u8]>,
    pub kind: Kind,
    /// Index into `Audit::sources` of the content file it shows.
    pub source: Option<usize>,
    /// `lang` of `<html>`: None when missing, or when there is no `<html>` tag.
    pub lang: Option<String>,
    pub ids: HashSet<String>,
    pub refs: Vec<Ref>,
    pub images: Vec<Image>,
    pub videos: Vec<Video>,
    pub scripts: Vec<InlineScript>,
    /// The `<html>` tag as written (`<html lang="en">`), when there is one.
    pub html_tag: Option<Range<usize>>,
    /// The links inside `<main>` (the page's own content, without header, nav and footer);
    /// None when it has no `<main>`.
    pub main_links: Option<Vec<String>>,
    /// `<meta name=… content=…>`, in order.
    pub meta: Vec<(String, String)>,
    /// Its text, entities decoded.
    pub text: String,
    /// The text of its `<style>` elements.
    pub styles: String,
}

/// The site path an output file is served at: `a/b/index.html` -> `/a/b/`.
pub fn url_of(output: &str) -> String {
    match output.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{output}"),
    }
}

/// Parses every HTML output of the audited site.
pub fn scan_site(audit: &Audit<'_>) -> Vec<Doc> {
    let site = audit.site;
    let mut kinds: HashMap<String, (Kind, Option<usize>)> = HashMap::new();
    for (i, s) in audit.sources.iter().enumerate() {
        let kind = match s.page {
            Some(p) if site.pages[p].category.is_some() => Kind::Article,
            Some(_) => Kind::Plain,
            None => Kind::List,
        };
        kinds.insert(output_file(&s.url), (kind, Some(i)));
    }
    // The 404 page is no list: it carries the site's tags only.
    kinds.insert("404.html".into(), (Kind::Plain, None));
    for page in &site.library.pages {
        for alias in &page.meta.aliases {
            kinds.insert(output_file(&alias_path(alias)), (Kind::Redirect, None));
        }
    }
    audit
        .outputs
        .par_iter()
        .filter(|o| o.path.ends_with(".html") || o.path.ends_with(".htm"))
        .filter_map(|o| {
            let bytes = match &o.body {
                Body::Rendered(bytes) => bytes.clone(),
                other => Arc::from(other.bytes().ok()?),
            };
            let (kind, source) = kinds.get(&o.path).copied().unwrap_or((Kind::List, None));
            Some(scan(url_of(&o.path), bytes, kind, source))
        })
        .collect()
}

#[derive(Default)]
struct Found {
    html_seen: bool,
    lang: Option<String>,
    ids: HashSet<String>,
    refs: Vec<Ref>,
    images: Vec<Image>,
    videos: Vec<Video>,
    scripts: Vec<InlineScript>,
    html_tag: Option<Range<usize>>,
    main_links: Option<Vec<String>>,
    meta: Vec<(String, String)>,
    text: String,
    styles: String,
}

/// Parses one page.
pub fn scan(url: String, bytes: Arc<[u8]>, kind: Kind, source: Option<usize>) -> Doc {
    // Rendered pages are UTF-8; a copied file that is not is read as far as it can be.
    let bytes = match std::str::from_utf8(&bytes) {
        Ok(_) => bytes,
        Err(_) => Arc::from(String::from_utf8_lossy(&bytes).as_bytes()),
    };
    let found = RefCell::new(Found::default());
    {
        let settings = Settings::new()
            .with_strict(false)
            .append_element_content_handler(element!("*", |el| {
                visit(&mut found.borrow_mut(), el);
                Ok(())
            }))
            .append_element_content_handler(text!("style", |t| {
                found.borrow_mut().styles.push_str(t.as_str());
                Ok(())
            }))
            .append_element_content_handler(element!("main", |_| {
                found.borrow_mut().main_links.get_or_insert_with(Vec::new);
                Ok(())
            }))
            .append_element_content_handler(element!("main a[href]", |el| {
                if let Some(href) = el.get_attribute("href") {
                    let href = decode(&href);
                    found
                        .borrow_mut()
                        .main_links
                        .get_or_insert_with(Vec::new)
                        .push(href);
                }
                Ok(())
            }))
            .append_element_content_handler(text!("script:not([src])", |t| {
                if let Some(s) = found.borrow_mut().scripts.last_mut() {
                    s.code.push_str(t.as_str());
                }
                Ok(())
            }))
            .append_document_content_handler(doc_text!(|t| {
                found.borrow_mut().text.push_str(t.as_str());
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // A page lol_html cannot finish is checked as far as it was read.
        let _ = rewriter.write(&bytes);
        let _ = rewriter.end();
    }
    let f = found.into_inner();
    Doc {
        url,
        kind,
        source,
        lang: if f.html_seen { f.lang } else { None },
        ids: f.ids,
        refs: f.refs,
        images: f.images,
        videos: f.videos,
        scripts: f.scripts,
        html_tag: f.html_tag,
        main_links: f.main_links,
        meta: f.meta,
        text: decode(&f.text),
        styles: f.styles,
        bytes,
    }
}

impl Doc {
    /// The page's HTML.
    pub fn html(&self) -> &str {
        std::str::from_utf8(&self.bytes).unwrap_or_default()
    }
}

fn decode(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

fn visit(found: &mut Found, el: &Element<'_, '_>) {
    let tag = el.tag_name();
    let attr = |name: &str| {
        // `has_attribute` compares without allocating; most elements lack most attributes.
        if !el.has_attribute(name) {
            return None;
        }
        el.attributes().iter().find(|a| a.name() == name).map(|a| {
            let span = a
                .value_source_location()
                .map_or_else(|| el.source_location().bytes(), |l| l.bytes());
            (decode(&a.value()), span)
        })
    };
    if let Some((id, _)) = attr("id") {
        found.ids.insert(id);
    }
    if tag == "a"
        && let Some((name, _)) = attr("name")
    {
        found.ids.insert(name);
    }
    let push = |found: &mut Found, name: &str, kind: RefKind| {
        if let Some((url, span)) = attr(name)
            && !url.trim().is_empty()
        {
            found.refs.push(Ref {
                url: url.trim().to_string(),
                kind,
                span,
            });
        }
    };
    match tag.as_str() {
        "html" => {
            found.html_seen = true;
            found.html_tag = Some(el.source_location().bytes());
            found.lang = attr("lang")
                .map(|(l, _)| l)
                .filter(|l| !l.trim().is_empty());
        }
        "a" | "area" => push(found, "href", RefKind::Link),
        "link" => {
            let rel = attr("rel")
                .map(|(r, _)| r.to_ascii_lowercase())
                .unwrap_or_default();
            let as_ = attr("as")
                .map(|(a, _)| a.to_ascii_lowercase())
                .unwrap_or_default();
            let rels: Vec<&str> = rel.split_whitespace().collect();
            let kind = if rels.contains(&"stylesheet") {
                RefKind::Stylesheet
            } else if rels.contains(&"modulepreload") {
                RefKind::Script
            } else if rels.iter().any(|r| matches!(*r, "preload" | "prefetch")) {
                match as_.as_str() {
                    "font" => RefKind::Font,
                    "script" => RefKind::Script,
                    "style" => RefKind::Stylesheet,
                    _ => RefKind::Link,
                }
            } else if rels.iter().any(|r| r.contains("icon")) {
                RefKind::Image
            } else {
                RefKind::Link
            };
            push(found, "href", kind);
        }
        "img" => {
            push(found, "src", RefKind::Image);
            srcset(found, attr("srcset"));
            let (src, span) =
                attr("src").unwrap_or_else(|| (String::new(), el.source_location().bytes()));
            let role = attr("role").map(|(r, _)| r).unwrap_or_default();
            let hidden = attr("aria-hidden").is_some_and(|(h, _)| h == "true");
            found.images.push(Image {
                src,
                alt: attr("alt").map(|(a, _)| a),
                decorative: hidden || role == "presentation" || role == "none",
                span,
            });
        }
        "source" => {
            push(found, "src", RefKind::Media);
            srcset(found, attr("srcset"));
            if let (Some((src, _)), Some(v)) = (attr("src"), found.videos.last_mut())
                && v.src.is_empty()
            {
                v.src = src;
            }
        }
        "script" => {
            push(found, "src", RefKind::Script);
            if attr("src").is_none() {
                found.scripts.push(InlineScript {
                    code: String::new(),
                    span: el.source_location().bytes(),
                });
            }
        }
        "iframe" | "frame" => push(found, "src", RefKind::Frame),
        "video" => {
            push(found, "src", RefKind::Media);
            push(found, "poster", RefKind::Image);
            found.videos.push(Video {
                src: attr("src").map(|(s, _)| s).unwrap_or_default(),
                captioned: false,
                span: el.source_location().bytes(),
            });
        }
        "track" => {
            push(found, "src", RefKind::Media);
            let kind = attr("kind").map(|(k, _)| k.to_ascii_lowercase());
            // A track without `kind` is subtitles.
            if matches!(kind.as_deref(), None | Some("captions" | "subtitles"))
                && let Some(v) = found.videos.last_mut()
            {
                v.captioned = true;
            }
        }
        "audio" | "embed" => {
            push(found, "src", RefKind::Media);
            push(found, "poster", RefKind::Image);
        }
        "object" => push(found, "data", RefKind::Media),
        "meta" => {
            if let (Some((name, _)), Some((content, _))) = (attr("name"), attr("content")) {
                found.meta.push((name, content));
            }
            let refresh =
                attr("http-equiv").is_some_and(|(h, _)| h.eq_ignore_ascii_case("refresh"));
            if refresh && let Some((content, span)) = attr("content") {
                let lower = content.to_ascii_lowercase();
                if let Some(i) = lower.find("url=") {
                    let target = content[i + 4..]
                        .trim()
                        .trim_matches(['\'', '"'])
                        .to_string();
                    found.refs.push(Ref {
                        url: target,
                        kind: RefKind::Refresh,
                        span,
                    });
                }
            }
        }
        _ => {}
    }
}

/// The URLs of a `srcset` (`a.jpg 1x, b.jpg 2x`).
fn srcset(found: &mut Found, value: Option<(String, Range<usize>)>) {
    if let Some((set, span)) = value {
        for candidate in set.split(',') {
            if let Some(url) = candidate.split_whitespace().next() {
                found.refs.push(Ref {
                    url: url.to_string(),
                    kind: RefKind::Image,
                    span: span.clone(),
                });
            }
        }
    }
}

/// Where a URL written on a page points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path of this site (percent-decoded, `..` resolved, no query) and its fragment.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// An http(s) URL of another host.
    External(String),
    /// mailto:, tel:, javascript:, data: and the like.
    Other,
}

/// Resolves `url`, written on the page at site path `page`, for a site whose host is `domain`.
pub fn resolve(url: &str, page: &str, domain: &str) -> Target {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let (rest, absolute) = if let Some(r) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .or_else(|| lower.strip_prefix("//"))
    {
        (&url[url.len() - r.len()..], true)
    } else {
        (url, false)
    };
    if absolute {
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = &rest[..host_end];
        if domain.is_empty() || !host.eq_ignore_ascii_case(domain) {
            let full = if lower.starts_with("//") {
                format!("https:{url}")
            } else {
                url.to_string()
            };
            return Target::External(full);
        }
        return internal(
            &format!("/{}", rest[host_end..].trim_start_matches('/')),
            page,
        );
    }
    let scheme = url
        .find(':')
        .filter(|&i| !url[..i].contains(['/', '?', '#']));
    if scheme.is_some() {
        return Target::Other;
    }
    internal(url, page)
}

fn internal(url: &str, page: &str) -> Target {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (url, None),
    };
    let raw_path = before_fragment.split('?').next().unwrap_or("");
    let joined = if raw_path.is_empty() {
        page.to_string()
    } else if raw_path.starts_with('/') {
        raw_path.to_string()
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{raw_path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if joined.ends_with('/') && path != "/" {
        path.push('/');
    }
    Target::Internal {
        path: percent_decode(&path),
        fragment,
    }
}

/// `%E5%AD%A6` -> `学`.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(html: &str) -> Doc {
        scan(
            "/a/".into(),
            Arc::from(html.as_bytes()),
            Kind::Article,
            None,
        )
    }

    #[test]
    fn pages_give_links_ids_images_meta_and_lang() {
        let d = doc(concat!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head>",
            "<meta name=\"SiteName\" content=\"青溪&amp;镇\">",
            "<link rel=\"stylesheet\" href=\"https://cdn.example/x.css\">",
            "<script src=\"/app.js\"></script></head><body>",
            "<h2 id=\"活动安排\">活动</h2><a href=\"/b/?x=1&amp;y=2#top\">b</a>",
            "<img src=\"p.jpg\" srcset=\"p2.jpg 2x\"><img src=\"q.jpg\" alt=\"\" role=\"presentation\">",
            "<p>浙ICP备00000000号-1</p></body></html>"
        ));
        assert_eq!(d.lang.as_deref(), Some("zh-CN"));
        assert!(d.ids.contains("活动安排"));
        assert_eq!(d.meta, vec![("SiteName".into(), "青溪&镇".into())]);
        let kinds: Vec<(&str, RefKind)> = d.refs.iter().map(|r| (r.url.as_str(), r.kind)).collect();
        assert!(kinds.contains(&("https://cdn.example/x.css", RefKind::Stylesheet)));
        assert!(kinds.contains(&("/app.js", RefKind::Script)));
        assert!(kinds.contains(&("/b/?x=1&y=2#top", RefKind::Link)));
        assert!(kinds.contains(&("p2.jpg", RefKind::Image)));
        assert_eq!(d.images.len(), 2);
        assert_eq!(d.images[0].alt, None);
        assert!(d.images[1].decorative);
        assert!(d.text.contains("浙ICP备00000000号-1"));
        let r = &d.refs.iter().find(|r| r.url == "/app.js").unwrap();
        assert_eq!(&d.html()[r.span.clone()], "/app.js");
    }

    #[test]
    fn missing_lang_is_none() {
        assert_eq!(doc("<html><body></body></html>").lang, None);
        assert_eq!(doc("<html lang=\"\"><body></body></html>").lang, None);
    }

    #[test]
    fn urls_resolve_against_the_page() {
        let int = |p: &str, f: Option<&str>| Target::Internal {
            path: p.into(),
            fragment: f.map(String::from),
        };
        let d = "www.qingxi.gov.cn";
        assert_eq!(resolve("/x/", "/a/b/", d), int("/x/", None));
        assert_eq!(resolve("c.jpg", "/a/b/", d), int("/a/b/c.jpg", None));
        assert_eq!(resolve("../c/", "/a/b/", d), int("/a/c/", None));
        assert_eq!(resolve("c.jpg", "/a/t1.html", d), int("/a/c.jpg", None));
        assert_eq!(resolve("#%E5%AD%A6", "/a/", d), int("/a/", Some("学")));
        assert_eq!(
            resolve("https://www.qingxi.gov.cn/tags/?q=1", "/", d),
            int("/tags/", None)
        );
        assert_eq!(resolve("/%E9%9D%92/", "/", d), int("/青/", None));
        assert_eq!(
            resolve("//cdn.example/x.js", "/", d),
            Target::External("https://cdn.example/x.js".into())
        );
        assert_eq!(resolve("mailto:a@b.cn", "/", d), Target::Other);
        assert_eq!(resolve("tel:12345", "/", d), Target::Other);
    }

    #[test]
    fn output_files_map_to_urls() {
        assert_eq!(url_of("index.html"), "/");
        assert_eq!(url_of("a/b/index.html"), "/a/b/");
        assert_eq!(url_of("a/t1_x.html"), "/a/t1_x.html");
        assert_eq!(url_of("404.html"), "/404.html");
    }
}
