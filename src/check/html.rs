//! Reads every rendered HTML page once (in parallel, with the byte tokenizer of `tokens.rs`)
//! into what the output rules need: links and resources with their places in the HTML, element
//! ids, images, `<meta>` tags, `lang`, and the page's text; and resolves a link found on a page
//! into a site path.

#[cfg(test)]
mod oracle;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::Audit;
use super::tokens::{StartTag, Token, Tokenizer};
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ref {
    /// As written, HTML entities decoded.
    pub url: String,
    pub kind: RefKind,
    /// Byte range in the page's HTML.
    pub span: Range<usize>,
}

/// An `<img>`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Image {
    pub src: String,
    /// None when the attribute is missing.
    pub alt: Option<String>,
    /// `role="presentation"`/`"none"` or `aria-hidden="true"`: needs no text.
    pub decorative: bool,
    pub span: Range<usize>,
}

/// A `<video>`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Video {
    /// Its `src` (empty when it has `<source>` children instead).
    pub src: String,
    /// It has a `<track kind="captions">` or `"subtitles"`.
    pub captioned: bool,
    pub span: Range<usize>,
}

/// An inline `<script>` (without `src`): its code and where it starts in the HTML.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InlineScript {
    pub code: String,
    pub span: Range<usize>,
}

/// What the rules read of one page's HTML (a function of its bytes alone, so that a build can
/// keep it for the next: [`Scans`]). Spans are byte ranges of [`Doc::html`].
#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scan {
    /// `lang` of `<html>`: None when missing, or when there is no `<html>` tag.
    pub lang: Option<String>,
    #[serde(serialize_with = "crate::cache::codec::sorted")]
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
    /// Its text, entities decoded: not kept in the build cache (it is most of a scan's
    /// bytes), so None in a scan read back from it; [`Doc::text`] reads the page again then.
    #[serde(skip)]
    text: Option<String>,
    /// The personal numbers in `text` (`privacy::find`), for C4.
    pub numbers: Vec<crate::privacy::Number>,
    /// The text of its `<style>` elements.
    pub styles: String,
}

/// The scans of a build's pages by output file, each with the hash of the bytes it read
/// ([`Body::hash`]): the next build reads again only the pages whose bytes hash otherwise.
#[derive(Default, Clone)]
pub struct Scans {
    pages: HashMap<String, (u64, Arc<Scan>)>,
    /// How many pages the build that made these read (the others were kept).
    pub read: usize,
}

/// One rendered HTML page: where it is, what it is, and its [`Scan`] (the rules read its
/// fields through `Deref`).
pub struct Doc {
    /// Site path (`/theory/`, `/a/t1.html`).
    pub url: String,
    pub kind: Kind,
    /// Index into `Audit::sources` of the content file it shows.
    pub source: Option<usize>,
    /// The output file and the hash of its bytes: the key of its scan.
    output: String,
    hash: u64,
    scan: Arc<Scan>,
    /// Whether the scan is an earlier build's.
    kept: bool,
    /// The output's bytes, read when a rule first asks for them when the scan was kept.
    body: Body,
    /// The page's bytes (UTF-8: an output that is not was read lossily).
    bytes: OnceLock<Arc<[u8]>>,
    /// The page scanned again, when a rule asks for the text of a kept scan.
    again: OnceLock<Arc<Scan>>,
}

impl std::ops::Deref for Doc {
    type Target = Scan;

    fn deref(&self) -> &Scan {
        &self.scan
    }
}

/// The site path an output file is served at: `a/b/index.html` -> `/a/b/`.
pub fn url_of(output: &str) -> String {
    match output.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{output}"),
    }
}

/// Parses every HTML output of the audited site; a page whose bytes hash as they did when
/// `kept` scanned it is not read again.
pub fn scan_site(audit: &Audit<'_>, kept: &Scans) -> Vec<Doc> {
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
            // A previous output's hash is known without reading it.
            let bytes = match &o.body {
                Body::Rendered(bytes) => Some(bytes.clone()),
                Body::Previous { .. } => None,
                other => Some(Arc::from(other.bytes().ok()?)),
            };
            let hash = match (&o.body, &bytes) {
                (Body::Previous { hash, .. }, _) => *hash,
                (_, Some(bytes)) => crate::output::hash_bytes(bytes),
                (_, None) => return None,
            };
            let (kind, source) = kinds.get(&o.path).copied().unwrap_or((Kind::List, None));
            let mut doc = match kept.pages.get(&o.path) {
                Some((h, scan)) if *h == hash => Doc {
                    url: url_of(&o.path),
                    kind,
                    source,
                    output: String::new(),
                    hash,
                    scan: scan.clone(),
                    kept: true,
                    body: o.body.clone(),
                    bytes: OnceLock::new(),
                    again: OnceLock::new(),
                },
                _ => {
                    let bytes = match bytes {
                        Some(bytes) => bytes,
                        None => Arc::from(o.body.bytes().ok()?),
                    };
                    scan(url_of(&o.path), bytes, kind, source)
                }
            };
            doc.output.clone_from(&o.path);
            doc.hash = hash;
            Some(doc)
        })
        .collect()
}

impl Scans {
    /// Every page's scan by output file, for the disk.
    pub fn entries(&self) -> Vec<(&str, &(u64, Arc<Scan>))> {
        self.pages.iter().map(|(k, v)| (k.as_str(), v)).collect()
    }

    /// The scans [`Scans::entries`] gave, read back.
    pub fn from_entries(entries: Vec<(String, (u64, Arc<Scan>))>) -> Scans {
        Scans {
            pages: entries.into_iter().collect(),
            read: 0,
        }
    }

    /// The scans of `docs`, for the next build.
    pub fn of(docs: &[Doc]) -> Scans {
        Scans {
            pages: docs
                .iter()
                .map(|d| (d.output.clone(), (d.hash, d.scan.clone())))
                .collect(),
            read: docs.iter().filter(|d| !d.kept).count(),
        }
    }
}

#[derive(Default, Debug, PartialEq)]
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

/// An element open at the current place of the page, as far as the rules care.
struct Open {
    name: String,
    /// `<style>`, or a `<script>` without `src`: its text is kept apart.
    style: bool,
    inline_script: bool,
    main: bool,
}

/// Elements that have no end tag and never hold anything.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Parses one page.
pub fn scan(url: String, bytes: Arc<[u8]>, kind: Kind, source: Option<usize>) -> Doc {
    // Rendered pages are UTF-8; a copied file that is not is read as far as it can be.
    let (bytes, mut f) = match std::str::from_utf8(&bytes) {
        Ok(html) => {
            let f = read(html);
            (bytes, f)
        }
        Err(_) => {
            let html = String::from_utf8_lossy(&bytes).into_owned();
            let f = read(&html);
            (Arc::from(html.into_bytes()), f)
        }
    };
    // Every page's reading is kept until the rules are done: no spare capacity.
    f.refs.shrink_to_fit();
    f.images.shrink_to_fit();
    f.meta.shrink_to_fit();
    f.styles.shrink_to_fit();
    if let Some(links) = &mut f.main_links {
        links.shrink_to_fit();
    }
    let mut text = match html_escape::decode_html_entities(&f.text) {
        std::borrow::Cow::Borrowed(_) => f.text,
        std::borrow::Cow::Owned(decoded) => decoded,
    };
    text.shrink_to_fit();
    let scan = Scan {
        lang: if f.html_seen { f.lang } else { None },
        ids: f.ids,
        refs: f.refs,
        images: f.images,
        videos: f.videos,
        scripts: f.scripts,
        html_tag: f.html_tag,
        main_links: f.main_links,
        meta: f.meta,
        numbers: crate::privacy::find(&text),
        text: Some(text),
        styles: f.styles,
    };
    Doc {
        url,
        kind,
        source,
        output: String::new(),
        hash: 0,
        scan: Arc::new(scan),
        kept: false,
        body: Body::Rendered(bytes.clone()),
        bytes: OnceLock::from(bytes),
        again: OnceLock::new(),
    }
}

/// What the rules need of one page's HTML.
fn read(html: &str) -> Found {
    let mut found = Found::default();
    let mut open: Vec<Open> = Vec::new();
    // How many open elements are a `<main>`, a `<style>`, an inline `<script>`.
    let (mut mains, mut styles, mut scripts) = (0usize, 0usize, 0usize);
    let mut tokens = Tokenizer::new(html);
    while let Some(token) = tokens.next() {
        match token {
            Token::Text(range) => {
                let text = &html[range];
                found.text.push_str(text);
                if styles > 0 {
                    found.styles.push_str(text);
                }
                if scripts > 0
                    && let Some(s) = found.scripts.last_mut()
                {
                    s.code.push_str(text);
                }
            }
            Token::Start(tag) => {
                let el = Scanned { tag: &tag, html };
                visit(&mut found, &el);
                if tag.name == "main" {
                    found.main_links.get_or_insert_with(Vec::new);
                }
                if tag.name == "a"
                    && mains > 0
                    && let Some((href, _)) = el.attr("href")
                {
                    found.main_links.get_or_insert_with(Vec::new).push(href);
                }
                // lol_html's stack of open elements: void HTML elements and self-closed
                // foreign ones are not pushed.
                let pushed = if tokens.in_foreign() {
                    !tag.self_closing
                } else {
                    !is_void(&tag.name)
                };
                if pushed {
                    let o = Open {
                        style: tag.name == "style",
                        inline_script: tag.name == "script" && el.attr("src").is_none(),
                        main: tag.name == "main",
                        name: tag.name,
                    };
                    mains += usize::from(o.main);
                    styles += usize::from(o.style);
                    scripts += usize::from(o.inline_script);
                    open.push(o);
                }
            }
            Token::End(name) => {
                if let Some(i) = open.iter().rposition(|o| o.name == name) {
                    for o in open.drain(i..) {
                        mains -= usize::from(o.main);
                        styles -= usize::from(o.style);
                        scripts -= usize::from(o.inline_script);
                    }
                }
            }
        }
    }
    found
}

impl Doc {
    /// The page's text, entities decoded (read again from its file when its scan was kept).
    pub fn text(&self) -> &str {
        if let Some(text) = &self.scan.text {
            return text;
        }
        let again = self.again.get_or_init(|| {
            let bytes = Arc::from(self.html().as_bytes());
            scan(String::new(), bytes, self.kind, self.source).scan
        });
        again.text.as_deref().unwrap_or_default()
    }

    /// The page's HTML (read from its file on first use when its scan was kept; empty when
    /// that fails).
    pub fn html(&self) -> &str {
        let bytes = self.bytes.get_or_init(|| {
            let bytes = self.body.bytes().unwrap_or_default();
            match String::from_utf8_lossy(&bytes) {
                std::borrow::Cow::Borrowed(_) => Arc::from(bytes.into_owned()),
                std::borrow::Cow::Owned(lossy) => Arc::from(lossy.into_bytes()),
            }
        });
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

fn decode(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

/// A start tag as the rules read it.
trait Element {
    /// Lowercased.
    fn tag(&self) -> &str;
    /// From `<` to `>`.
    fn span(&self) -> Range<usize>;
    /// The first attribute `name` (ASCII case ignored): its value, entities decoded, and the
    /// value's byte range (the tag's when it has no value).
    fn attr(&self, name: &str) -> Option<(String, Range<usize>)>;
}

/// A start tag found by the tokenizer.
struct Scanned<'a> {
    tag: &'a StartTag,
    html: &'a str,
}

impl Element for Scanned<'_> {
    fn tag(&self) -> &str {
        &self.tag.name
    }

    fn span(&self) -> Range<usize> {
        self.tag.span.clone()
    }

    fn attr(&self, name: &str) -> Option<(String, Range<usize>)> {
        let a = self
            .tag
            .attrs
            .iter()
            .find(|a| self.html[a.name.clone()].eq_ignore_ascii_case(name))?;
        Some(match &a.value {
            Some(v) => (decode(&self.html[v.clone()]), v.clone()),
            None => (String::new(), self.span()),
        })
    }
}

fn visit(found: &mut Found, el: &impl Element) {
    let tag = el.tag();
    let attr = |name: &str| el.attr(name);
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
    match tag {
        "html" => {
            found.html_seen = true;
            found.html_tag = Some(el.span());
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
            let (src, span) = attr("src").unwrap_or_else(|| (String::new(), el.span()));
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
                    span: el.span(),
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
                span: el.span(),
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
    // `http://`, `https://` and `//`, any case, without lowercasing the whole URL.
    let scheme_len = ["http://", "https://", "//"]
        .iter()
        .find(|p| {
            url.len() >= p.len() && url.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        })
        .map(|p| p.len());
    if let Some(n) = scheme_len {
        let rest = &url[n..];
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = &rest[..host_end];
        if domain.is_empty() || !host.eq_ignore_ascii_case(domain) {
            let full = if url.starts_with("//") {
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
    // Most links are written as the site path they name: nothing to join, resolve or decode.
    if raw_path.starts_with('/')
        && !raw_path.contains("//")
        && !raw_path.contains("/.")
        && !raw_path.contains('%')
    {
        return Target::Internal {
            path: raw_path.to_string(),
            fragment,
        };
    }
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
    use proptest::prelude::*;

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
        assert!(d.text().contains("浙ICP备00000000号-1"));
        let r = &d.refs.iter().find(|r| r.url == "/app.js").unwrap();
        assert_eq!(&d.html()[r.span.clone()], "/app.js");
    }

    /// Pages that HTML reads in a special way: the tokenizer must read them as lol_html did.
    const TRICKY: &[&str] = &[
        "<!-- <a href=\"/in-comment/\"> --><a href=\"/after/\">x</a>",
        "<!--><a href=/a/>x</a><!---><a href=/b/>y</a>",
        "<!-- a -- b --!><img src=c.jpg>",
        "<script>var s = \"<a href='/in-script/'>\"; if (a</b) {}</script><a href=/real/>r</a>",
        "<script><!-- <script> </script> still --> </script><a href=/x/>x</a>",
        "<script><!-- x --></script><p id=after>",
        "<SCRIPT SRC=\"/App.js\"></SCRIPT><IMG SRC=\"a.jpg\" ALT=\"A\"><A HREF=\"/B/\">b</A>",
        "<a href=/plain/unquoted/?a=1&amp;b=2>u</a><img src=x.jpg alt=>",
        "<a href=\"/q/?x=1&amp;y=&lt;2&gt;&#x4E2D;&#20013;\">e</a>",
        "<a href='/single/' title='it\"s'>s</a><a\nhref\n=\n\"/spaced/\">sp</a>",
        "<a href=\"/first/\" href=\"/second/\" id=a ID=b>d</a>",
        "<img src=\"a.jpg\" alt><img src=\"b.jpg\" alt=\"\" aria-hidden=\"true\"><img/src=c.jpg>",
        "<style>a::before{content:\"<a href=/no/>\"}</style><style media=x>b{}</style>",
        "<title>标题 <a href=/no/> &amp;</title><textarea><img src=no.jpg></textarea>",
        "<noscript><img src=ns.jpg></noscript><iframe src=/f/><a href=/in-iframe/></iframe>",
        "<xmp><a href=/xmp/></xmp><noembed><a href=/n/></noembed><noframes><a href=/nf/></noframes>",
        "<svg><title>二维码 <a href=/svg-title/>x</a></title><style>.a{}</style><a href=/svg-a/>s</a></svg>",
        "<svg/><a href=/after-svg/>x</a></svg><script>x<a href=/no/></script>",
        "<svg><![CDATA[ <a href=/cdata/> ]]><path d=\"M0\"/></svg><![CDATA[ html <b>]]>",
        "<math><mi><a href=/mi/></mi><annotation-xml encoding=\"text/html\"><a href=/ax/></annotation-xml></math>",
        "<svg><p><a href=/broke-out/></a><style>x{}</style><script>y</script>",
        "<svg><font color=red><style>z</style></font></svg><svg><font><style>w</style></font></svg>",
        "<!DOCTYPE html><html LANG=\"zh-CN\"><head><meta name=\"SiteName\" content=\"镇&amp;村\"></head>",
        "<meta http-equiv=\"Refresh\" content=\"0; URL='/new/'\"><link rel=\"Stylesheet Preload\" href=/s.css>",
        "<main><a href=/m1/>1</a><div><a href=/m2/>2</a></main><a href=/out/>o</a>",
        "<div><main><a href=/m/></div><a href=/after-div/></a>",
        "<main><main><a href=/nested/></main><a href=/still/></main><a href=/gone/>",
        "<body><main><a href=/x/></body><a href=/y/>",
        "<video src=v.mp4 poster=p.jpg><track kind=Captions src=c.vtt></video><video><source src=s.mp4></video>",
        "<picture><source srcset=\"a.webp 1x, b.webp 2x\"><img src=a.jpg srcset=\"a.jpg 1x,b.jpg 2x\" alt=\"图\"></picture>",
        "<script>document.write('</scr' + 'ipt>')</script><a href=/ok/>",
        "</>text</ notatag><? php ?><a href=/after-bogus/>",
        "<a href=/unterminated/ title=\"never closed",
        "text <b>bold</b> 3 < 4 and 5 <6 <a href=/lt/>",
        "<p>电话 138 0013 8000</p><!-- 13800138000 --><script>var t='13800138000'</script>",
        "<a href=\"/x/\"/><br/><input value=\"<a href=/v/>\"><a href=/z/ >z</a >",
        "<plaintext><a href=/pt/>",
        "<scripts><a href=/not-script/></scripts><stylesheet><a href=/ss/>",
        "<script type=module>a<b</script ><script>c</script\n><a href=/end/>",
        "<iframe src=\"https://www.youtube.com/embed/x\"></iframe><embed src=e.swf><object data=o.pdf></object>",
        "<audio src=a.mp3></audio><area href=/area/><frame src=/frame/>",
        "<a name=\"锚点\">a</a><h2 id=\"活动&amp;安排\">h</h2>",
    ];

    #[test]
    fn the_tokenizer_reads_tricky_pages_as_lol_html_did() {
        for html in TRICKY {
            assert_eq!(read(html), oracle::read(html), "page: {html}");
        }
    }

    #[test]
    fn links_in_comments_scripts_and_raw_text_are_not_links() {
        let d = doc(TRICKY[0]);
        let urls: Vec<&str> = d.refs.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(urls, ["/after/"]);
        let d = doc(TRICKY[3]);
        let urls: Vec<&str> = d.refs.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(urls, ["/real/"]);
        assert!(d.scripts[0].code.contains("/in-script/"));
        let d = doc(TRICKY[6]);
        let kinds: Vec<(&str, RefKind)> = d.refs.iter().map(|r| (r.url.as_str(), r.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("/App.js", RefKind::Script),
                ("a.jpg", RefKind::Image),
                ("/B/", RefKind::Link)
            ]
        );
        let d = doc(TRICKY[8]);
        assert_eq!(d.refs[0].url, "/q/?x=1&y=<2>中中");
        assert_eq!(
            &d.html()[d.refs[0].span.clone()],
            "/q/?x=1&amp;y=&lt;2&gt;&#x4E2D;&#20013;"
        );
    }

    #[test]
    fn the_tokenizer_reads_the_sample_portal_as_lol_html_did() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = crate::pipeline::Options::new(root.to_path_buf(), jiff::Timestamp::now());
        let built = crate::pipeline::run(&options, None).expect("the sample portal builds");
        let mut pages = 0;
        for o in &built.outputs {
            if !o.path.ends_with(".html") {
                continue;
            }
            let bytes = o.body.bytes().expect("rendered");
            let html = std::str::from_utf8(&bytes).expect("UTF-8");
            assert_eq!(read(html), oracle::read(html), "page {}", o.path);
            pages += 1;
        }
        assert!(pages > 20, "{pages} pages");
    }

    fn fragment() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<a href=\"/a/?x=1&amp;y=2#t\">".to_string()),
            Just("<A HREF=/B/>".to_string()),
            Just("<a href='/c/' id=c>".to_string()),
            Just("</a>".to_string()),
            Just("<main>".to_string()),
            Just("</main>".to_string()),
            Just("<div class=\"x\">".to_string()),
            Just("</div>".to_string()),
            Just("<img src=\"p.jpg\" alt=\"图&lt;\">".to_string()),
            Just("<img src=q.jpg alt>".to_string()),
            Just("<br/>".to_string()),
            Just("<script>".to_string()),
            Just("<script src=\"/s.js\">".to_string()),
            Just("</script>".to_string()),
            Just("<style>".to_string()),
            Just("</style>".to_string()),
            Just("<title>".to_string()),
            Just("</title>".to_string()),
            Just("<textarea>".to_string()),
            Just("</textarea>".to_string()),
            Just("<svg>".to_string()),
            Just("</svg>".to_string()),
            Just("<svg/>".to_string()),
            Just("<math>".to_string()),
            Just("</math>".to_string()),
            Just("<mi>".to_string()),
            Just("<p>".to_string()),
            Just("<![CDATA[".to_string()),
            Just("]]>".to_string()),
            Just("<!--".to_string()),
            Just("-->".to_string()),
            Just("<!doctype html>".to_string()),
            Just("<meta name=\"n\" content=\"c&amp;\">".to_string()),
            Just("<html lang=zh>".to_string()),
            Just("<video src=v.mp4>".to_string()),
            Just("<track kind=captions>".to_string()),
            Just("<source src=s.mp4 srcset=\"a 1x, b 2x\">".to_string()),
            Just("<link rel=stylesheet href=/x.css>".to_string()),
            Just("<".to_string()),
            Just("</".to_string()),
            Just(">".to_string()),
            Just("-".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("=".to_string()),
            Just(" ".to_string()),
            Just("&amp;".to_string()),
            "[a-z镇村 0-9]{0,6}",
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn the_tokenizer_reads_any_page_as_lol_html_did(html in fragment()) {
            prop_assert_eq!(read(&html), oracle::read(&html), "page: {}", html);
        }
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
