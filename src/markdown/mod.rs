//! Markdown -> HTML for one page: heading ids and TOC, highlighted code, `@/` links resolved
//! against the site's permalinks, bundle-relative images and links made absolute, the summary
//! (`<!-- more -->` or an excerpt), word count and reading time.

pub mod headings;
pub mod highlight;
pub mod image;
pub mod text;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options as CmarkOptions, Parser, Tag, TagEnd};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::site::permalink::asset_dir;
use crate::site::{Model, Site};
use headings::{IdAllocator, TocEntry, heading_id, nest};
use image::ImageDirs;

/// The marker that ends a hand-written summary.
const MORE: &str = "<!-- more -->";

/// What a page's Markdown needs to know about the rest of the site.
pub struct Options<'a> {
    /// Content path (`tourism/x/index.md`) -> site path (`/tourism/2024/04/x/`).
    pub links: &'a HashMap<String, String>,
    /// For a page bundle: the site path of its folder, which relative image and link URLs
    /// are resolved against.
    pub asset_base: Option<&'a str>,
    /// Where local images are read from, for their width and height.
    pub images: ImageDirs<'a>,
    pub external_target_blank: bool,
    pub external_nofollow: bool,
    pub summary_length: usize,
    pub reading_speed: usize,
}

/// A link to an anchor of another page, checked once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorLink {
    pub target: String,
    pub anchor: String,
    pub location: Location,
}

/// A page's rendered Markdown.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The HTML, as the (safe) template value every output that shows it shares.
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
    /// Each image URL as written and the size read for it, so that a cached rendering is
    /// redone when a picture changes.
    pub image_sizes: Vec<(String, Option<(u64, u64)>)>,
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
            image_sizes: Vec::new(),
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
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(body, cmark_options())
        .into_offset_iter()
        .collect();
    let locate =
        |range: std::ops::Range<usize>| Location::in_source(body, range).shifted(line_offset);

    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut errors = Vec::new();
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
                out.push(Event::Html(highlight::code_block(&code, lang).into()));
                i = end + 1;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let mut dest = dest_url.to_string();
                if let Some(target) = dest_url.strip_prefix("@/") {
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
                let mut src = dest_url.to_string();
                if let (true, Some(base)) = (is_relative(&src), opts.asset_base) {
                    src = format!("{base}{src}");
                }
                let size = opts.images.size(dest_url);
                rendered.image_sizes.push((dest_url.to_string(), size));
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
                i = end + 1;
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
        return Err(errors);
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

/// The rendered Markdown of every page and section, indexed like the site's.
pub struct SiteMarkdown {
    pub pages: Vec<Arc<Rendered>>,
    pub sections: Vec<Arc<Rendered>>,
}

/// Rendered Markdown kept between builds (by `zhen serve`): a page is rendered again only when
/// its text, its folder's URL or the URL of a page it links to changed.
#[derive(Default)]
pub struct MdCache {
    /// The model of the last run (while it is the same, so are every URL and link target and
    /// the order of the items) and its entries, pages then sections.
    last: Option<(Arc<Model>, Vec<Option<Entry>>)>,
    /// How many pages and sections the last run rendered.
    pub renders: usize,
}

struct Entry {
    name: String,
    key: u64,
    source: Source,
    rendered: Arc<Rendered>,
}

/// The loaded file an item comes from; the same `Arc` means the same text.
#[derive(Clone)]
enum Source {
    Page(Arc<crate::content::Page>),
    Section(Arc<crate::content::Section>),
}

impl Source {
    fn same(&self, other: &Source) -> bool {
        match (self, other) {
            (Source::Page(a), Source::Page(b)) => Arc::ptr_eq(a, b),
            (Source::Section(a), Source::Section(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The item's name in the cache: the content path of its file.
    fn name(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Source::Page(p) => p.rel.as_str().into(),
            Source::Section(s) => format!("{}/_index.md", s.dir).into(),
        }
    }
}

/// One page or section to render.
struct Item<'a> {
    body: &'a str,
    line_offset: usize,
    path: &'a Path,
    asset_base: Option<String>,
    source: Source,
}

impl Item<'_> {
    /// What the rendering of this item depends on, given the pages it links to.
    fn key(&self, links: &HashMap<String, String>, targets: &[String]) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(self.body.as_bytes());
        h.update(self.asset_base.as_deref().unwrap_or("\0").as_bytes());
        for t in targets {
            h.update(t.as_bytes());
            h.update(links.get(t).map_or("\0", String::as_str).as_bytes());
        }
        h.digest()
    }
}

/// Renders every page and section in parallel (with a `cache`, only those whose inputs
/// changed), then checks links to anchors of other pages.
pub fn render_site(
    site: &Site,
    mut cache: Option<&mut MdCache>,
) -> Result<SiteMarkdown, Vec<Diagnostic>> {
    fn options<'a>(site: &'a Site, item: &'a Item<'a>) -> Options<'a> {
        let c = &site.config;
        let asset_base = item.asset_base.as_deref();
        Options {
            links: &site.links,
            asset_base,
            images: ImageDirs {
                folder: asset_base.and(item.path.parent()),
                root: Some(&c.root),
            },
            external_target_blank: c.markdown.external_links_target_blank,
            external_nofollow: c.markdown.external_links_nofollow,
            summary_length: c.summary_length,
            reading_speed: c.reading_speed,
        }
    }
    let pages = site
        .library
        .pages
        .iter()
        .zip(&site.pages)
        .map(|(page, info)| Item {
            body: &page.body,
            line_offset: page.body_line_offset,
            path: &page.path,
            asset_base: page
                .rel
                .ends_with("/index.md")
                .then(|| asset_dir(&info.path)),
            source: Source::Page(page.clone()),
        });
    let sections = site
        .library
        .sections
        .iter()
        .zip(&site.sections)
        .map(|(s, info)| Item {
            body: &s.body,
            line_offset: s.body_line_offset,
            path: &s.path,
            asset_base: Some(info.path.clone()),
            source: Source::Section(s.clone()),
        });
    let items: Vec<Item<'_>> = pages.chain(sections).collect();

    // The previous entry of each item: at the same place under the same model, else by name.
    let (same_model, mut old) = match cache.as_deref_mut().and_then(|c| c.last.take()) {
        Some((model, entries)) => (Arc::ptr_eq(&model, &site.model), entries),
        None => (false, Vec::new()),
    };
    let at: Vec<Option<usize>> = if same_model {
        (0..items.len())
            .map(|k| (k < old.len()).then_some(k))
            .collect()
    } else {
        let by_name: HashMap<&str, usize> = old
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((e.as_ref()?.name.as_str(), i)))
            .collect();
        items
            .iter()
            .map(|item| by_name.get(item.source.name().as_ref()).copied())
            .collect()
    };
    let cached: Vec<Option<(u64, Arc<Rendered>)>> = items
        .par_iter()
        .zip(&at)
        .map(|(item, at)| {
            let entry = old.get((*at)?)?.as_ref()?;
            let r = &entry.rendered;
            let images = options(site, item).images;
            let same_images = r
                .image_sizes
                .iter()
                .all(|(url, size)| images.size(url) == *size);
            // Under the same model the same file needs no key to be reused.
            let same = (same_model && entry.source.same(&item.source))
                || entry.key == item.key(&site.links, &r.links_to);
            (same && same_images).then(|| (entry.key, r.clone()))
        })
        .collect();
    // The key of a kept item, none for one rendered now.
    type Outcome = Result<(Option<u64>, Arc<Rendered>), Vec<Diagnostic>>;
    let results: Vec<Outcome> = items
        .par_iter()
        .zip(cached)
        .map(|(item, cached)| match cached {
            Some((key, r)) => Ok((Some(key), r)),
            None => render(item.body, item.line_offset, item.path, &options(site, item))
                .map(|r| (None, Arc::new(r))),
        })
        .collect();
    if let Some(cache) = cache {
        cache.renders = results
            .iter()
            .filter(|r| matches!(r, Ok((None, _))))
            .count();
        let keys: Vec<Option<u64>> = items
            .par_iter()
            .zip(&results)
            .map(|(item, result)| match result {
                Ok((None, r)) => Some(item.key(&site.links, &r.links_to)),
                _ => None,
            })
            .collect();
        let entries = items
            .iter()
            .zip(&results)
            .zip(keys)
            .zip(at)
            .map(|(((item, result), key), at)| {
                let (kept, rendered) = result.as_ref().ok()?;
                match (kept, at) {
                    (Some(_), Some(i)) => old[i].take().map(|mut e| {
                        e.source = item.source.clone();
                        e
                    }),
                    _ => Some(Entry {
                        name: item.source.name().into_owned(),
                        key: key?,
                        source: item.source.clone(),
                        rendered: rendered.clone(),
                    }),
                }
            })
            .collect();
        cache.last = Some((site.model.clone(), entries));
    }
    let results: Vec<Result<Arc<Rendered>, Vec<Diagnostic>>> = results
        .into_iter()
        .map(|r| r.map(|(_, rendered)| rendered))
        .collect();
    let mut results = results;
    let section_results = results.split_off(site.library.pages.len());
    let (pages, sections) = (results, section_results);
    let mut errors = Vec::new();
    let mut unwrap = |results: Vec<Result<Arc<Rendered>, Vec<Diagnostic>>>| {
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|e| {
                    errors.extend(e);
                    Arc::default()
                })
            })
            .collect::<Vec<_>>()
    };
    let pages = unwrap(pages);
    let sections = unwrap(sections);
    if errors.is_empty() {
        let ids: rustc_hash::FxHashMap<&str, &[String]> = site
            .library
            .pages
            .iter()
            .zip(&pages)
            .map(|(p, r)| (p.rel.as_str(), r.ids.as_slice()))
            .collect();
        for (page, r) in site.library.pages.iter().zip(&pages) {
            for link in &r.anchor_links {
                let known = ids.get(link.target.as_str()).copied().unwrap_or_default();
                if !known.contains(&link.anchor) {
                    let help = match did_you_mean(&link.anchor, known.iter().map(String::as_str)) {
                        Some(s) => format!("你是不是想写 #{s}？"),
                        None if known.is_empty() => {
                            "那篇文章没有小标题，去掉 # 后面的部分即可".to_string()
                        }
                        None => format!("那篇文章的小标题锚点有：{}", known.join("、")),
                    };
                    errors.push(
                        Diagnostic::error(format!(
                            "链接的锚点 #{} 在 @/{} 中不存在",
                            link.anchor, link.target
                        ))
                        .in_file(&page.path)
                        .at(link.location.clone())
                        .help(help),
                    );
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(SiteMarkdown { pages, sections })
    } else {
        Err(errors)
    }
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
            asset_base: Some("/tourism/2024/04/peach/"),
            images: ImageDirs::default(),
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
        let r = render(
            "![桃花](cover.svg)\n\n![缺](gone.png)",
            0,
            Path::new("x.md"),
            &o,
        )
        .unwrap();
        assert!(
            r.html().contains(
                "<img src=\"/tourism/2024/04/peach/cover.svg\" alt=\"桃花\" loading=\"lazy\" decoding=\"async\" width=\"1200\" height=\"675\">"
            ),
            "{}",
            r.html()
        );
        assert!(
            r.html()
                .contains("alt=\"缺\" loading=\"lazy\" decoding=\"async\">"),
            "no size for a missing file: {}",
            r.html()
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
