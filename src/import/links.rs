//! The links and images of an imported post, rewritten for its new place: a local image or
//! attachment is moved beside the post (the link then names the file beside it), a link to
//! another imported file or to its old URL becomes an `@/` link, anything missing is reported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag};
use regex::Regex;

/// Where a link points once resolved.
pub enum Target {
    /// Another imported file: the text to write (a marker replaced by its `@/` link later).
    Page(String),
    /// A file to move beside the post.
    Asset(PathBuf),
}

/// What rewriting needs from the import.
pub struct Env<'a> {
    /// Folders relative references are looked for in, first match wins.
    pub dirs: &'a [PathBuf],
    /// Folders published at the site root, for `/images/x.png`.
    pub roots: &'a [PathBuf],
    /// The folder the source's own `@/` links start from.
    pub content: Option<&'a Path>,
    /// The source site's host (`blog.example.com`): absolute links to it are local.
    pub host: Option<&'a str>,
    /// A Markdown file or an old URL as the link to write, when it is an imported page.
    pub page: &'a dyn Fn(Option<&Path>, &str) -> Option<String>,
}

/// The result for one post.
#[derive(Default)]
pub struct Rewritten {
    pub body: String,
    /// Files to copy beside the post: source file -> name beside it.
    pub assets: BTreeMap<PathBuf, String>,
    pub problems: Vec<String>,
    /// Local images referenced, and how many of them lack alt text.
    pub images: usize,
    pub missing_alt: usize,
    pub missing_files: usize,
    /// Anchors of links within the page (`#x`), to check against its headings.
    pub anchors: Vec<String>,
}

static HTML_SRC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<(?:img|source|video|audio|a)\b[^>]*?\s(?:src|href)\s*=\s*["']([^"']+)["']"#)
        .unwrap()
});
static REF_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?").unwrap());

fn external(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with("zhen-import-ref:")
        || dest.starts_with("//")
        || lower.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme.len() < 12
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
}

/// The site path of an absolute URL on the source's own `host` (`https://host/a/b` -> `/a/b`).
fn own_path(dest: &str, host: &str) -> Option<String> {
    let rest = dest
        .strip_prefix("https://")
        .or_else(|| dest.strip_prefix("http://"))
        .or_else(|| dest.strip_prefix("//"))?;
    let (h, path) = rest.split_once('/').unwrap_or((rest, ""));
    let bare = |x: &str| x.trim_start_matches("www.").to_ascii_lowercase();
    (bare(h) == bare(host)).then(|| format!("/{path}"))
}

/// Rewrites `body`.
pub fn rewrite(body: &str, env: &Env<'_>) -> Rewritten {
    let mut r = Rewritten::default();
    // (range of the destination text, replacement)
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut seen_ranges = std::collections::BTreeSet::new();
    let mut handle = |range: std::ops::Range<usize>,
                      dest: &str,
                      image: bool,
                      alt_empty: bool,
                      r: &mut Rewritten| {
        if !seen_ranges.insert(range.start) {
            return;
        }
        if let Some(anchor) = dest.strip_prefix('#').filter(|a| !a.is_empty()) {
            r.anchors.push(anchor.to_string());
            return;
        }
        // Alt text is missing on remote images too; only local ones are resolved.
        if image && alt_empty {
            r.missing_alt += 1;
            r.problems
                .push(format!("图片 {dest} 没有替代文字（alt），请补上"));
        }
        let own = env.host.and_then(|h| own_path(dest, h));
        let dest = own.as_deref().unwrap_or(dest);
        if own.is_none() && external(dest) {
            return;
        }
        if image {
            r.images += 1;
        }
        match resolve(dest, env) {
            Some(Target::Page(link)) => edits.push((range, link)),
            Some(Target::Asset(file)) => {
                let name = asset_name(&mut r.assets, &file);
                edits.push((range, name));
            }
            None => {
                // Not an imported file, an old URL or a static file: a dead link once built.
                let what = if image { "图片" } else { "链接" };
                r.missing_files += 1;
                r.problems.push(format!("{what} {dest} 找不到，原样保留"));
            }
        }
    };

    let parser = Parser::new_ext(body, Options::all()).into_offset_iter();
    let mut alt_open: Option<(std::ops::Range<usize>, String, String)> = None;
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                alt_open = Some((range, dest_url.to_string(), String::new()));
            }
            Event::Text(t) | Event::Code(t) if alt_open.is_some() => {
                if let Some((_, _, alt)) = alt_open.as_mut() {
                    alt.push_str(&t);
                }
            }
            Event::End(pulldown_cmark::TagEnd::Image) => {
                if let Some((range, dest, alt)) = alt_open.take()
                    && let Some(at) = locate(body, &range, &dest)
                {
                    handle(at, &dest, true, alt.trim().is_empty(), &mut r);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(at) = locate(body, &range, &dest_url) {
                    handle(at, &dest_url, false, false, &mut r);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let h = h.to_string();
                if let Some(base) = body[range.clone()].find(&h).map(|i| range.start + i) {
                    for c in HTML_SRC.captures_iter(&h) {
                        let m = c.get(1).unwrap();
                        let image = !c[0].to_ascii_lowercase().starts_with("<a");
                        let alt_empty = image && !c[0].to_ascii_lowercase().contains("alt=");
                        handle(
                            base + m.start()..base + m.end(),
                            m.as_str(),
                            image,
                            alt_empty,
                            &mut r,
                        );
                    }
                }
            }
            _ => {}
        }
    }
    for c in REF_DEF.captures_iter(body) {
        let m = c.get(1).unwrap();
        handle(m.range(), m.as_str(), false, false, &mut r);
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = body.to_string();
    for (range, text) in edits {
        // Keep an anchor or query written after the path.
        let old = &out[range.clone()];
        let tail = old
            .find(['#', '?'])
            .map(|i| old[i..].to_string())
            .unwrap_or_default();
        let new = if text.contains('#') {
            text
        } else {
            format!("{text}{tail}")
        };
        out.replace_range(range, &new);
    }
    r.body = out;
    r
}

/// The destination text inside the source of a link whose whole source is `range`.
fn locate(
    body: &str,
    range: &std::ops::Range<usize>,
    dest: &str,
) -> Option<std::ops::Range<usize>> {
    let slice = body.get(range.clone())?;
    let paren = slice.rfind("](").map_or(0, |i| i + 2);
    let decoded = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
    for candidate in [dest, decoded.as_ref(), &dest.replace(' ', "%20")] {
        if let Some(i) = slice[paren..].find(candidate) {
            let start = range.start + paren + i;
            return Some(start..start + candidate.len());
        }
    }
    None
}

/// A name beside the post for `file`, unique among the post's assets.
fn asset_name(assets: &mut BTreeMap<PathBuf, String>, file: &Path) -> String {
    if let Some(n) = assets.get(file) {
        return n.clone();
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let (stem, ext) = name
        .rsplit_once('.')
        .map_or((name.as_str(), ""), |(s, e)| (s, e));
    let mut candidate = name.clone();
    let mut n = 2;
    while candidate == "index.md" || assets.values().any(|v| *v == candidate) {
        candidate = if ext.is_empty() {
            format!("{stem}-{n}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        n += 1;
    }
    let candidate = candidate.replace(' ', "-");
    assets.insert(file.to_path_buf(), candidate.clone());
    candidate
}

/// Where `dest` points.
fn resolve(dest: &str, env: &Env<'_>) -> Option<Target> {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    if decoded.is_empty() {
        return None;
    }
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(inside) = decoded.strip_prefix("@/") {
        candidates.extend(env.content.map(|c| c.join(inside)));
    } else if let Some(abs) = decoded.strip_prefix('/') {
        // An old URL of an imported page.
        if let Some(link) = (env.page)(None, &decoded) {
            return Some(Target::Page(link));
        }
        candidates.extend(env.roots.iter().map(|r| r.join(abs)));
        // Hexo writes `/post-name/image.png` for an asset folder.
        candidates.extend(env.dirs.iter().map(|d| d.join(abs)));
        if let Some((_, name)) = abs.rsplit_once('/').filter(|(_, n)| !n.is_empty()) {
            candidates.extend(env.dirs.first().map(|d| d.join(name)));
        }
    } else {
        candidates.extend(env.dirs.iter().map(|d| d.join(&decoded)));
    }
    for c in candidates {
        let Some(c) = normalize(&c) else { continue };
        if c.is_file() {
            if super::read::is_markdown(&c) {
                return (env.page)(Some(&c), &decoded).map(Target::Page);
            }
            if is_template(&c) {
                return None;
            }
            return Some(Target::Asset(c));
        }
        if c.is_dir() {
            for index in ["index.md", "_index.md", "README.md"] {
                if c.join(index).is_file() {
                    return (env.page)(Some(&c.join(index)), &decoded).map(Target::Page);
                }
            }
        }
        // `foo` or `foo.html` for `foo.md`.
        let md = c.with_extension("md");
        if md.is_file() {
            return (env.page)(Some(&md), &decoded).map(Target::Page);
        }
    }
    None
}

/// Whether `file` is a page template of the source tool (HTML with front matter or Liquid),
/// which only that tool can render: never copied as it is.
fn is_template(file: &Path) -> bool {
    let html = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    html && std::fs::read_to_string(file)
        .is_ok_and(|t| t.starts_with("---") || t.contains("{{") || t.contains("{%"))
}

/// A local file named by a front matter field (`cover = "/images/a.jpg"`): Some(file) when
/// it exists, Some(None) when it is local but missing, None when it is a remote URL.
pub fn field_file(value: &str, env: &Env<'_>) -> Option<Option<PathBuf>> {
    let own = env.host.and_then(|h| own_path(value, h));
    let value = own.as_deref().unwrap_or(value);
    if own.is_none() && external(value) {
        return None;
    }
    Some(match resolve(value, env) {
        Some(Target::Asset(f)) => Some(f),
        _ => None,
    })
}

/// Claims a name beside the post for `file`.
pub fn claim(assets: &mut BTreeMap<PathBuf, String>, file: &Path) -> String {
    asset_name(assets, file)
}

/// `a/b/../c` -> `a/c` without touching the disk; None when `..` climbs above the start.
fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}
