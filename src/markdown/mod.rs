//! Markdown -> HTML for one page: heading ids and TOC, highlighted code, `@/` links resolved
//! against the site's permalinks, bundle-relative images and links made absolute, the summary
//! (`<!-- more -->` or an excerpt), word count and reading time. Local photos become
//! `<picture>`s of the photo stage's variants; an image the reader could not see (a path with
//! spaces, a path on the author's computer, a wrong-case or missing file) is a located error.

pub mod headings;
pub mod highlight;
pub mod image;
pub mod shortcodes;
mod site;
pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options as CmarkOptions, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Lines, Location, did_you_mean};
use headings::{IdAllocator, TocEntry, heading_id, nest};
use image::ImageDirs;
pub use site::{MdCache, SavedMarkdown, SiteMarkdown, render_site};

/// The marker that ends a hand-written summary.
const MORE: &str = "<!-- more -->";

/// What a page's Markdown needs to know about the rest of the site.
pub struct Options<'a> {
    /// Content path (`tourism/x/index.md`) -> site path (`/tourism/2024/04/x/`).
    pub links: &'a HashMap<String, String>,
    /// The content path of the page (`theory/a.md`): relative links to other Markdown files
    /// (`b.md`, `../tourism/x.md#安排`, `x.html`, `x`) are resolved from its folder.
    pub rel: &'a str,
    /// For a page bundle: the site path of its folder, which relative image and link URLs
    /// are resolved against.
    pub asset_base: Option<&'a str>,
    /// Where local images are read from, for their width and height.
    pub images: ImageDirs<'a>,
    /// The site path relative images are published under (a bundle's or section's folder;
    /// for a single-file page, its own asset folder).
    pub image_base: Option<&'a str>,
    pub external_target_blank: bool,
    pub external_nofollow: bool,
    pub summary_length: usize,
    pub reading_speed: usize,
}

/// A link to an anchor of another page, checked once every page is rendered.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AnchorLink {
    pub target: String,
    pub anchor: String,
    pub location: Location,
}

/// A page's rendered Markdown.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    /// The HTML, as the (safe) template value every output that shows it shares.
    #[serde(with = "crate::cache::codec::safe_html")]
    pub content: tera::Value,
    /// Hash of the HTML, for fingerprints.
    pub content_hash: u64,
    /// The HTML before `<!-- more -->`, when the author wrote one.
    pub summary_html: Option<String>,
    /// Plain text for lists and `<meta name="description">`: the text before `<!-- more -->`,
    /// else the first `summary_length` characters.
    pub excerpt: String,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    pub reading_time: usize,
    /// Every heading id on the page, for anchor checks.
    pub ids: Vec<String>,
    pub anchor_links: Vec<AnchorLink>,
    /// Content paths of the pages its `@/` links point to.
    pub links_to: Vec<String>,
    /// Each image URL as written and its stamp (`ImageDirs::stamp`), so that a cached
    /// rendering is redone when a picture changes.
    pub image_stamps: Vec<(String, u64)>,
    /// The processed photos the page shows (their variants are published).
    pub pictures: Vec<Arc<crate::images::Picture>>,
    /// Other files the page shows that travel with it (site path, file): the images beside a
    /// single-file page.
    pub attachments: Vec<(String, PathBuf)>,
    /// The processed cover of the page or section (set by `render_site`).
    pub cover: Option<Arc<crate::images::Picture>>,
    /// What the page's author should know (another tool's shortcodes left in the text).
    pub warnings: Vec<Diagnostic>,
}

impl Default for Rendered {
    fn default() -> Self {
        Rendered {
            content: tera::Value::safe_string(""),
            content_hash: 0,
            summary_html: None,
            excerpt: String::new(),
            toc: Vec::new(),
            word_count: 0,
            reading_time: 0,
            ids: Vec::new(),
            anchor_links: Vec::new(),
            links_to: Vec::new(),
            image_stamps: Vec::new(),
            pictures: Vec::new(),
            attachments: Vec::new(),
            cover: None,
            warnings: Vec::new(),
        }
    }
}

fn cmark_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
}

fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")
}

fn is_relative(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('/')
        || url.starts_with('#')
        || url.starts_with("@/")
        || url.contains(':'))
}

/// Renders `body`, whose first line is line `line_offset + 1` of `file`. Broken `@/` links are
/// errors; every one is reported.
pub fn render(
    body: &str,
    line_offset: usize,
    file: &Path,
    opts: &Options<'_>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let body = &*shortcodes::fence_code(body);
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, cmark_options())
        .into_offset_iter()
        .collect();
    // Line starts are found once, and only on a page with links to anchors or broken links.
    let lines = std::cell::OnceCell::new();
    let locate = |range: std::ops::Range<usize>| {
        lines
            .get_or_init(|| Lines::new(body))
            .locate(range)
            .shifted(line_offset)
    };

    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut errors: Vec<Diagnostic> = unparsed_images(body, &events)
        .into_iter()
        .map(|(range, problem)| {
            Diagnostic::error(problem.message)
                .in_file(file)
                .at(locate(range))
                .help(problem.help)
        })
        .collect();
    let mut ids = IdAllocator::default();
    let mut toc = Vec::new();
    let mut rendered = Rendered::default();
    let mut all_text = String::new();
    let mut excerpt_text = String::new();
    let mut more_seen = false;
    // Whether each open link was written as raw HTML (and so needs a raw closing tag).
    let mut raw_links: Vec<bool> = Vec::new();
    // Depth of blocks whose text stays out of the excerpt (headings, tables, code).
    let mut hidden = 0usize;
    // Bytes of code so far, against highlight::MAX_HIGHLIGHTED.
    let mut highlighted = 0usize;

    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        i += 1;
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let end = find_end(&events, i - 1);
                let title: String = plain_text(&events[i..end]);
                let id = ids.unique(
                    id.as_ref()
                        .map_or_else(|| heading_id(&title), |s| s.to_string()),
                );
                toc.push(TocEntry {
                    level: heading_number(*level),
                    id: id.clone(),
                    title: title.trim().to_string(),
                    children: vec![],
                });
                rendered.ids.push(id.clone());
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                all_text.push_str(&title);
                all_text.push(' ');
                hidden += 1;
            }
            Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::Table) => {
                hidden -= 1;
                out.push(event.clone());
            }
            Event::Start(Tag::Table(_)) => {
                hidden += 1;
                out.push(event.clone());
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i - 1);
                let code: String = events[i..end]
                    .iter()
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(lang) => lang.as_ref(),
                    pulldown_cmark::CodeBlockKind::Indented => "",
                };
                all_text.push_str(&code);
                highlighted += code.len();
                let highlight = highlighted <= highlight::MAX_HIGHLIGHTED;
                out.push(Event::Html(
                    highlight::code_block(&code, lang, highlight).into(),
                ));
                i = end + 1;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let mut dest = dest_url.to_string();
                // A relative link to another Markdown file, as GitHub, mdBook and Hexo write.
                let sibling = is_relative(&dest)
                    .then(|| relative_target(opts.rel, &dest, opts.links))
                    .flatten();
                if sibling.is_none() && is_relative(&dest) && names_markdown(&dest) {
                    errors.push(
                        Diagnostic::error(format!("链接 {dest} 指向的文章不存在"))
                            .in_file(file)
                            .at(locate(range.clone()))
                            .help("相对链接从这篇文章所在的文件夹算起，例如 ../tourism/2024-04-02-peach.md；也可以写 @/ 加相对 content/ 的路径"),
                    );
                }
                let internal = match &sibling {
                    Some(target) => Some(target.as_str()),
                    None => dest_url.strip_prefix("@/"),
                };
                if let Some(target) = internal {
                    match resolve(target, opts.links) {
                        Ok((path, anchor)) => {
                            if let Some(anchor) = &anchor {
                                rendered.anchor_links.push(AnchorLink {
                                    target: target.split('#').next().unwrap_or(target).to_string(),
                                    anchor: anchor.clone(),
                                    location: locate(range.clone()),
                                });
                            }
                            rendered
                                .links_to
                                .push(target.split('#').next().unwrap_or(target).to_string());
                            dest = path;
                        }
                        Err(help) => errors.push(
                            Diagnostic::error(format!("内部链接 @/{target} 指向的文章不存在"))
                                .in_file(file)
                                .at(locate(range.clone()))
                                .help(help),
                        ),
                    }
                } else if let (true, Some(base)) = (is_relative(&dest), opts.asset_base) {
                    dest = format!("{base}{dest}");
                }
                if is_external(&dest) && (opts.external_target_blank || opts.external_nofollow) {
                    let mut rel = vec!["noopener"];
                    if opts.external_nofollow {
                        rel.push("nofollow");
                    }
                    let target = if opts.external_target_blank {
                        " target=\"_blank\""
                    } else {
                        ""
                    };
                    let title_attr = attr("title", title);
                    out.push(Event::Html(
                        format!(
                            "<a href=\"{}\"{title_attr}{target} rel=\"{}\">",
                            escape(&dest),
                            rel.join(" ")
                        )
                        .into(),
                    ));
                    raw_links.push(true);
                } else {
                    out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: dest.into(),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                    raw_links.push(false);
                }
            }
            Event::End(TagEnd::Link) => {
                if raw_links.pop() == Some(true) {
                    out.push(Event::Html("</a>".into()));
                } else {
                    out.push(event.clone());
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let end = find_end(&events, i - 1);
                let alt = plain_text(&events[i..end]);
                i = end + 1;
                let local = match opts.images.locate(dest_url) {
                    Ok(local) => local,
                    Err(problem) if image::is_computer_path(dest_url) => {
                        // No link check would see it: an error here.
                        errors.push(
                            Diagnostic::error(problem.message)
                                .in_file(file)
                                .at(locate(range.clone()))
                                .help(problem.help),
                        );
                        continue;
                    }
                    Err(problem) => {
                        // The picture is published as written, so that the link check (C1)
                        // refuses it in `zhen build` and reports it in `zhen check` with every
                        // other finding; this warning says how to fix it.
                        rendered.warnings.push(
                            Diagnostic::warning(problem.message)
                                .in_file(file)
                                .at(locate(range.clone()))
                                .help(problem.help),
                        );
                        out.push(Event::Html(
                            format!(
                                "<img src=\"{}\" alt=\"{}\">",
                                escape(dest_url),
                                escape(&alt)
                            )
                            .into(),
                        ));
                        continue;
                    }
                };
                rendered
                    .image_stamps
                    .push((dest_url.to_string(), opts.images.stamp(dest_url)));
                if let Some(picture) = local.as_deref().and_then(|f| opts.images.picture(f)) {
                    // The first picture is likely in view: fetched at once, the others lazily.
                    let lazy = !rendered.pictures.is_empty();
                    out.push(Event::Html(
                        picture
                            .html(alt.trim(), title, PROSE_SIZES, lazy, "")
                            .into(),
                    ));
                    rendered.pictures.push(picture);
                    continue;
                }
                let mut src = dest_url.to_string();
                if let (true, Some(base)) = (is_relative(&src), opts.image_base) {
                    src = format!("{base}{}", src.replace(' ', "%20"));
                    if let (Some(file), None) = (&local, opts.asset_base) {
                        let path = percent_encoding::percent_decode_str(&src).decode_utf8_lossy();
                        rendered.attachments.push((path.into_owned(), file.clone()));
                    }
                }
                let size = local.and_then(|_| opts.images.size(dest_url));
                let size = size
                    .map(|(w, h)| format!(" width=\"{w}\" height=\"{h}\""))
                    .unwrap_or_default();
                out.push(Event::Html(
                    format!(
                        "<img src=\"{}\" alt=\"{}\"{} loading=\"lazy\" decoding=\"async\"{size}>",
                        escape(&src),
                        escape(alt.trim()),
                        attr("title", title)
                    )
                    .into(),
                ));
            }
            Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE => {
                if !more_seen {
                    more_seen = true;
                    out.push(Event::Html(MORE.into()));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                all_text.push_str(t);
                if hidden == 0 && !more_seen {
                    excerpt_text.push_str(t);
                }
                out.push(event.clone());
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                all_text.push(' ');
                if hidden == 0 && !more_seen {
                    excerpt_text.push(' ');
                }
                out.push(event.clone());
            }
            _ => out.push(event.clone()),
        }
    }
    if !errors.is_empty() {
        // What it warned about is said too.
        errors.append(&mut rendered.warnings);
        return Err(errors);
    }
    if let Some(warning) = leftover_shortcodes(body, &events, &locate, file) {
        rendered.warnings.push(warning);
    }

    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    rendered.content_hash = xxhash_rust::xxh3::xxh3_64(html.as_bytes());
    rendered.content = tera::Value::safe_string(&html);
    if more_seen {
        let cut = html.find(MORE).unwrap_or(html.len());
        rendered.summary_html = Some(html[..cut].trim_end().to_string());
        rendered.excerpt = text::excerpt(&excerpt_text, usize::MAX);
    } else {
        rendered.excerpt = text::excerpt(&excerpt_text, opts.summary_length);
    }
    rendered.toc = nest(toc);
    rendered.word_count = text::word_count(&all_text);
    rendered.reading_time = text::reading_time(rendered.word_count, opts.reading_speed);
    Ok(rendered)
}

#[cfg(test)]
impl Rendered {
    /// The HTML.
    pub fn html(&self) -> &str {
        self.content.as_str().unwrap_or_default()
    }
}

/// How wide a picture in an article's text is shown: the whole screen on phones, at most the
/// article's column (54rem) elsewhere.
pub const PROSE_SIZES: &str = "(max-width: 54rem) 100vw, 54rem";

/// Image syntax CommonMark does not read as an image, so that it would be published as its
/// literal text: a destination with spaces (`![现场](桃花 节.jpg)`) or a path on the author's
/// computer with spaces. Text inside code is left alone.
fn unparsed_images(
    body: &str,
    events: &[(Event<'_>, std::ops::Range<usize>)],
) -> Vec<(std::ops::Range<usize>, image::Problem)> {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"!\[([^\]\n]*)\]\(([^)\n]*)\)").expect("a valid pattern")
    });
    // Where the parser saw code, images or HTML: no broken image syntax there.
    let taken: Vec<&std::ops::Range<usize>> = events
        .iter()
        .filter(|(e, _)| {
            matches!(
                e,
                Event::Code(_)
                    | Event::Start(Tag::CodeBlock(_))
                    | Event::Start(Tag::Image { .. })
                    | Event::Html(_)
                    | Event::InlineHtml(_)
            )
        })
        .map(|(_, r)| r)
        .collect();
    let mut found = Vec::new();
    for m in re.captures_iter(body) {
        let (Some(all), Some(alt), Some(dest)) = (m.get(0), m.get(1), m.get(2)) else {
            continue;
        };
        if taken
            .iter()
            .any(|r| r.start <= all.start() && all.start() < r.end)
        {
            continue;
        }
        let dest = dest.as_str().trim();
        if dest.starts_with('<') {
            continue;
        }
        let Some((_, rest)) = dest.split_once(char::is_whitespace) else {
            continue;
        };
        if !image::is_computer_path(dest) && rest.trim_start().starts_with(['"', '\'', '(']) {
            continue;
        }
        let problem = if image::is_computer_path(dest) {
            image::Problem {
                message: format!("图片地址 {dest} 是你电脑上的路径，读者的浏览器打不开"),
                help: "这是你电脑上的路径：把图片复制到这篇文章所在的文件夹，再只写文件名，例如 ![说明](照片.jpg)".into(),
            }
        } else {
            image::Problem {
                message: format!("图片地址 {dest} 里有空格，这一行会原样显示成文字，图片不会出现"),
                help: format!(
                    "把地址放进尖括号：![{}](<{dest}>)，或把文件改名去掉空格",
                    alt.as_str()
                ),
            }
        };
        found.push((all.range(), problem));
    }
    found
}

/// `s` with HTML's special characters escaped, for attribute values and text.
pub fn escape(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn attr(name: &str, value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!(" {name}=\"{}\"", escape(value))
    }
}

fn heading_number(level: HeadingLevel) -> u32 {
    level as u32
}

/// The index of the event closing the tag opened at `start`.
fn find_end(events: &[(Event<'_>, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len()
}

fn plain_text(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// One warning for the shortcodes of other tools left in the prose of a page (code is left
/// alone), located at the first.
fn leftover_shortcodes(
    body: &str,
    events: &[(Event<'_>, std::ops::Range<usize>)],
    locate: &dyn Fn(std::ops::Range<usize>) -> Location,
    file: &Path,
) -> Option<Diagnostic> {
    shortcodes::first_leftover(body)?;
    // Code blocks and inline code keep their text as written.
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    for (event, range) in events {
        if matches!(event, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)) {
            code.push(range.clone());
        }
    }
    let places = shortcodes::leftovers(body);
    let prose: Vec<usize> = places
        .into_iter()
        .filter(|at| !code.iter().any(|r| r.contains(at)))
        .collect();
    let &first = prose.first()?;
    let shown: String = body[first..]
        .chars()
        .take_while(|c| *c != '\n')
        .take(40)
        .collect();
    Some(
        Diagnostic::warning(format!(
            "文章里有 {} 处别的工具（Hugo、Hexo、Jekyll、mdBook）的短代码，zhen 不认识，会原样显示：{shown}",
            prose.len()
        ))
        .in_file(file)
        .at(locate(first..first + 2))
        .help("改写成 Markdown（图片 ![说明](文件)、链接 [文字](网址)、代码用 ``` 围起来），或用 zhen import 转换整个网站"),
    )
}

/// Whether a link names a Markdown file (`x.md`, `x.md#a`).
fn names_markdown(url: &str) -> bool {
    let path = url.split(['#', '?']).next().unwrap_or(url);
    path.ends_with(".md") || path.ends_with(".markdown")
}

/// The content path (with its `#anchor`) of the page a relative link from page `rel` names:
/// `b.md`, `../x/index.md#a`, `b.html` or `b` for `b.md`, a folder for its `index.md` or
/// `_index.md`; percent-encoded names are decoded. None when no page matches.
fn relative_target(rel: &str, url: &str, links: &HashMap<String, String>) -> Option<String> {
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if path.is_empty() {
        return None;
    }
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    let stem = joined
        .strip_suffix(".html")
        .or_else(|| joined.strip_suffix(".htm"))
        .unwrap_or(&joined);
    let candidates = [
        joined.clone(),
        format!("{stem}.md"),
        format!("{stem}/index.md"),
        format!("{stem}/_index.md"),
        joined.replace(".markdown", ".md"),
    ];
    let found = candidates.into_iter().find(|c| links.contains_key(c))?;
    Some(match anchor {
        Some(a) => format!("{found}#{a}"),
        None => found,
    })
}

/// `path.md#anchor` -> the page's site path with the anchor, or a hint naming close paths.
fn resolve(
    target: &str,
    links: &HashMap<String, String>,
) -> Result<(String, Option<String>), String> {
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (target, None),
    };
    match links.get(path) {
        Some(url) => Ok((
            match &anchor {
                Some(a) => format!("{url}#{a}"),
                None => url.clone(),
            },
            anchor,
        )),
        None => Err(match did_you_mean(path, links.keys().map(String::as_str)) {
            Some(s) => format!("你是不是想写 @/{s}？路径从 content/ 目录算起"),
            None => {
                "@/ 后面写文章文件相对 content/ 的路径，例如 @/tourism/2024-04-02-peach/index.md"
                    .into()
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(links: &HashMap<String, String>) -> Options<'_> {
        Options {
            links,
            rel: "tourism/peach/index.md",
            asset_base: Some("/tourism/2024/04/peach/"),
            images: ImageDirs::default(),
            image_base: Some("/tourism/2024/04/peach/"),
            external_target_blank: true,
            external_nofollow: false,
            summary_length: 20,
            reading_speed: 300,
        }
    }

    fn md(body: &str) -> Result<Rendered, Vec<Diagnostic>> {
        let mut links = HashMap::new();
        links.insert("theory/a.md".to_string(), "/theory/2024/01/a/".to_string());
        render(body, 3, Path::new("content/x.md"), &opts(&links))
    }

    #[test]
    fn code_past_the_highlighting_budget_is_plain() {
        let big = "let x = 1;\n".repeat(highlight::MAX_HIGHLIGHTED / 11 + 1);
        let r = md(&format!(
            "```rust\nfn a() {{}}\n```\n\n```rust\n{big}```\n\n```rust\nfn b() {{}}\n```\n"
        ))
        .unwrap();
        let blocks: Vec<&str> = r.html().split("<pre").skip(1).collect();
        assert_eq!(blocks.len(), 3);
        assert!(blocks[0].contains("class=\"hl-"));
        assert!(!blocks[2].contains("class=\"hl-"), "{}", blocks[2]);
        assert!(blocks[2].contains("fn b() {}"));
    }

    #[test]
    fn many_anchor_links_on_one_long_line_are_located() {
        let body = "见[这篇](@/theory/a.md#学习)。".repeat(20_000);
        let r = md(&body).unwrap();
        assert_eq!(r.anchor_links.len(), 20_000);
        let last = r.anchor_links.last().unwrap();
        assert_eq!(last.location.line, 4);
        let at = body.rfind('[').unwrap();
        assert_eq!(last.location.column, body[..at].chars().count() + 1);
        assert!(last.location.line_text.len() <= crate::diagnostics::MAX_SHOWN_LINE + 6);
    }

    #[test]
    fn gfm_features_render() {
        let r = md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~旧~~\n\n- [x] 完成\n\n脚注[^1]\n\n[^1]: 说明\n",
        )
        .unwrap();
        assert!(r.html().contains("<table>"), "{}", r.html());
        assert!(r.html().contains("<del>旧</del>"));
        assert!(r.html().contains("type=\"checkbox\""));
        assert!(r.html().contains("footnote"), "{}", r.html());
    }

    #[test]
    fn headings_get_ids_and_a_toc() {
        let r = md("## 活动安排\n\n### 第一天\n\n## 活动安排\n\n## Custom {#mine}\n").unwrap();
        assert!(r.html().contains("<h2 id=\"活动安排\">"), "{}", r.html());
        assert!(r.html().contains("<h2 id=\"活动安排-1\">"));
        assert!(r.html().contains("<h2 id=\"mine\">"));
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].children[0].title, "第一天");
    }

    #[test]
    fn relative_links_to_markdown_files_resolve_from_the_page_folder() {
        let links: HashMap<String, String> = [
            ("theory/a.md", "/theory/2024/01/a/"),
            ("tourism/peach/index.md", "/tourism/2024/04/peach/"),
            ("tourism/学习.md", "/tourism/2024/05/xue-xi/"),
            ("about/_index.md", "/about/"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let from = |rel: &str, url: &str| relative_target(rel, url, &links);
        assert_eq!(from("theory/b.md", "a.md").as_deref(), Some("theory/a.md"));
        assert_eq!(
            from("theory/b.md", "../tourism/peach/index.md#安排").as_deref(),
            Some("tourism/peach/index.md#安排")
        );
        assert_eq!(
            from("theory/b.md", "./a.html").as_deref(),
            Some("theory/a.md")
        );
        assert_eq!(from("theory/b.md", "a").as_deref(), Some("theory/a.md"));
        assert_eq!(
            from("theory/b.md", "../tourism/peach/").as_deref(),
            Some("tourism/peach/index.md")
        );
        assert_eq!(
            from("theory/b.md", "../about").as_deref(),
            Some("about/_index.md")
        );
        assert_eq!(
            from("theory/b.md", "../tourism/%E5%AD%A6%E4%B9%A0.md").as_deref(),
            Some("tourism/学习.md")
        );
        assert_eq!(from("theory/b.md", "../../x.md"), None);
        assert_eq!(from("theory/b.md", "photo.jpg"), None);
        let r = render(
            "见[上一篇](../../theory/a.md#学习)和[下一篇](nope.md)。",
            0,
            Path::new("b.md"),
            &opts(&links),
        );
        let errs = r.unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("nope.md"), "{:?}", errs[0]);
    }

    #[test]
    fn internal_links_resolve_and_broken_ones_are_located() {
        let r = md("见[这篇](@/theory/a.md#学习)。").unwrap();
        assert!(
            r.html()
                .contains("href=\"/theory/2024/01/a/#%E5%AD%A6%E4%B9%A0\""),
            "{}",
            r.html()
        );
        assert_eq!(r.anchor_links[0].anchor, "学习");
        let errs = md("第一行\n\n见[这篇](@/theory/b.md)。").unwrap_err();
        let text = errs[0].render(false);
        assert!(text.contains("content/x.md:6:2"), "{text}");
        assert!(text.contains("@/theory/a.md"), "{text}");
    }

    #[test]
    fn bundle_images_become_absolute_with_alt_and_lazy_loading() {
        let r = md("![桃花盛开](cover.svg)\n\n[外链](https://example.org)").unwrap();
        assert!(
            r.html().contains(
                "<img src=\"/tourism/2024/04/peach/cover.svg\" alt=\"桃花盛开\" loading=\"lazy\""
            ),
            "{}",
            r.html()
        );
        assert!(
            r.html().contains(
                "<a href=\"https://example.org\" target=\"_blank\" rel=\"noopener\">外链</a>"
            ),
            "{}",
            r.html()
        );
    }

    #[test]
    fn local_images_get_their_width_and_height() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("cover.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"675\"/>",
        )
        .unwrap();
        let links = HashMap::new();
        let mut o = opts(&links);
        o.images.folder = Some(dir.path());
        let r = render("![桃花](cover.svg)", 0, Path::new("x.md"), &o).unwrap();
        assert!(
            r.html().contains(
                "<img src=\"/tourism/2024/04/peach/cover.svg\" alt=\"桃花\" loading=\"lazy\" decoding=\"async\" width=\"1200\" height=\"675\">"
            ),
            "{}",
            r.html()
        );
        // A missing picture is published as written (the link check refuses it) with a
        // located warning that says how to fix it.
        let r = render("![缺](gone.png)", 0, Path::new("x.md"), &o).unwrap();
        assert!(
            r.html().contains("<img src=\"gone.png\" alt=\"缺\">"),
            "{}",
            r.html()
        );
        assert!(
            r.warnings[0]
                .render(false)
                .contains("找不到图片文件 gone.png")
        );
    }

    #[test]
    fn summaries_come_from_the_more_marker_or_an_excerpt() {
        let r = md("第一段文字。\n\n<!-- more -->\n\n第二段。").unwrap();
        assert_eq!(r.summary_html.as_deref(), Some("<p>第一段文字。</p>"));
        assert_eq!(r.excerpt, "第一段文字。");
        let r =
            md("## 标题\n\n**青溪镇**开展了一系列丰富多彩的志愿服务活动，受到群众欢迎。").unwrap();
        assert!(r.summary_html.is_none());
        assert_eq!(r.excerpt, "青溪镇开展了一系列丰富多彩的志愿服务活动…");
    }

    #[test]
    fn code_is_highlighted_and_words_counted() {
        let r = md("```python\nx = 1\n```\n\n青溪镇").unwrap();
        assert!(r.html().contains("hl-"), "{}", r.html());
        assert_eq!(r.word_count, 2 + 3);
        assert_eq!(r.reading_time, 1);
    }
}
