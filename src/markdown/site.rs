//! The Markdown of a whole site: every page and section rendered in parallel (with
//! `zhen serve`'s cache, only those whose inputs changed), then links to other pages'
//! anchors checked. Each item's cover is resolved here too, against the Markdown file's folder.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::image::ImageDirs;
use super::{Options, Rendered, render};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::images::Images;
use crate::site::permalink::asset_dir;
use crate::site::{Model, Site};

/// The rendered Markdown of every page and section, indexed like the site's.
pub struct SiteMarkdown {
    pub pages: Vec<Arc<Rendered>>,
    pub sections: Vec<Arc<Rendered>>,
}

impl SiteMarkdown {
    /// The warnings of every page and section.
    pub fn warnings(&self) -> impl Iterator<Item = &crate::diagnostics::Diagnostic> {
        self.pages
            .iter()
            .chain(&self.sections)
            .flat_map(|r| &r.warnings)
    }
}

/// Rendered Markdown kept between builds (by `zhen serve`): a page is rendered again only when
/// its text, its folder's URL or the URL of a page it links to changed.
#[derive(Default)]
pub struct MdCache {
    last: Option<Last>,
    /// How many pages and sections the last run rendered.
    pub renders: usize,
    /// Set by the caller when it knows that no file but Markdown changed since the last run
    /// (serve's watcher named only `.md` files): the images a kept page shows are then the
    /// same, and are not looked at again (a stat and a hash for every image of every page).
    pub images_unchanged: bool,
}

/// The model of the last run (while it is the same, so are every URL and link target and the
/// order of the items; None when restored from disk) and its entries, pages then sections.
type Last = (Option<Arc<Model>>, Vec<Option<Entry>>);

struct Entry {
    name: String,
    key: u64,
    /// None when restored from disk (then only the key tells whether it can be kept).
    source: Option<Source>,
    rendered: Arc<Rendered>,
}

/// What of an [`MdCache`] a build keeps on disk (`.zhen-cache/`): each item's name, key and
/// rendering.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct SavedMarkdown(pub Vec<(String, u64, Arc<Rendered>)>);

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
    /// The content path of its file (`theory/a.md`, `about/_index.md`).
    rel: std::borrow::Cow<'a, str>,
    line_offset: usize,
    path: &'a Path,
    asset_base: Option<String>,
    /// The site path its relative images are published under.
    image_base: String,
    /// The front matter's cover, as written.
    cover: Option<&'a str>,
    source: Source,
}

impl Item<'_> {
    /// What the rendering of this item depends on, given the pages it links to.
    fn key(&self, links: &HashMap<String, String>, targets: &[String]) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(self.body.as_bytes());
        h.update(self.asset_base.as_deref().unwrap_or("\0").as_bytes());
        h.update(self.cover.unwrap_or("\0").as_bytes());
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
    images: &Images,
    mut cache: Option<&mut MdCache>,
) -> Result<SiteMarkdown, Vec<Diagnostic>> {
    let items = items(site);
    let previous = cache
        .as_deref_mut()
        .map(|c| c.previous(site, &items))
        .unwrap_or_default();
    let images_unchanged = cache.as_deref().is_some_and(|c| c.images_unchanged);
    let kept: Vec<Option<(u64, Arc<Rendered>)>> = items
        .par_iter()
        .enumerate()
        .map(|(k, item)| previous.kept(k, item, site, images, images_unchanged))
        .collect();
    let results: Vec<Outcome> = items
        .par_iter()
        .zip(kept)
        .map(|(item, kept)| match kept {
            Some((key, r)) => Ok((Some(key), r)),
            None => render_item(site, item, images).map(|r| (None, Arc::new(r))),
        })
        .collect();
    if let Some(cache) = cache {
        cache.store(site, &items, &results, previous);
    }

    let mut errors = Vec::new();
    let mut rendered: Vec<Arc<Rendered>> = results
        .into_iter()
        .map(|r| match r {
            Ok((_, rendered)) => rendered,
            Err(e) => {
                errors.extend(e);
                Arc::default()
            }
        })
        .collect();
    let sections = rendered.split_off(site.library.pages.len());
    let pages = rendered;
    if errors.is_empty() {
        errors = check_anchors(site, &pages);
    }
    if errors.is_empty() {
        Ok(SiteMarkdown { pages, sections })
    } else {
        Err(errors)
    }
}

/// Renders one item's Markdown and resolves its cover; the problems of both are reported.
fn render_item(site: &Site, item: &Item<'_>, images: &Images) -> Result<Rendered, Vec<Diagnostic>> {
    let opts = options(site, item, images);
    let body = render(item.body, item.line_offset, item.path, &opts);
    let cover = item.cover.map(|c| cover(c, item, &opts)).transpose();
    match (body, cover) {
        (Ok(mut r), Ok(picture)) => {
            if let Some(c) = item.cover {
                r.image_stamps.push((c.to_string(), opts.images.stamp(c)));
                // An SVG or GIF cover beside a single-file page travels with it.
                if let (None, None, Ok(Some(file))) =
                    (&picture, &item.asset_base, opts.images.locate(c))
                    && !c.starts_with('/')
                {
                    r.attachments
                        .push((format!("{}{c}", item.image_base), file));
                }
            }
            r.cover = picture.flatten();
            Ok(r)
        }
        (body, cover) => {
            let mut errors = body.err().unwrap_or_default();
            errors.extend(cover.err());
            Err(errors)
        }
    }
}

/// The processed picture of a cover (None for a remote image, an SVG or GIF), or the located
/// reason it cannot be shown.
fn cover(
    written: &str,
    item: &Item<'_>,
    opts: &Options<'_>,
) -> Result<Option<Arc<crate::images::Picture>>, Diagnostic> {
    match opts.images.locate(written) {
        Ok(file) => Ok(file.and_then(|f| opts.images.picture(&f))),
        Err(problem) => {
            let meta = match &item.source {
                Source::Page(p) => &p.meta,
                Source::Section(s) => &s.meta,
            };
            let at = crate::content::fields::COVER_KEYS
                .iter()
                .find_map(|k| crate::site::locate_key(item.path, meta, k));
            Err(
                Diagnostic::error(format!("封面 cover = \"{written}\"：{}", problem.message))
                    .in_file(item.path)
                    .at_opt(at)
                    .help(problem.help),
            )
        }
    }
}

/// An item's rendering, with its key when it was kept (none when rendered now).
type Outcome = Result<(Option<u64>, Arc<Rendered>), Vec<Diagnostic>>;

/// The pages, then the sections, of `site`.
fn items(site: &Site) -> Vec<Item<'_>> {
    let pages = site
        .library
        .pages
        .iter()
        .zip(&site.pages)
        .map(|(page, info)| Item {
            body: &page.body,
            rel: page.rel.as_str().into(),
            line_offset: page.body_line_offset,
            path: &page.path,
            asset_base: page
                .rel
                .ends_with("/index.md")
                .then(|| asset_dir(&info.path)),
            image_base: asset_dir(&info.path),
            cover: page.meta.cover.as_deref(),
            source: Source::Page(page.clone()),
        });
    let sections = site
        .library
        .sections
        .iter()
        .zip(&site.sections)
        .map(|(s, info)| Item {
            body: &s.body,
            rel: if s.dir.is_empty() {
                "_index.md".into()
            } else {
                format!("{}/_index.md", s.dir).into()
            },
            line_offset: s.body_line_offset,
            path: &s.path,
            asset_base: Some(info.path.clone()),
            image_base: info.path.clone(),
            cover: s.meta.cover.as_deref(),
            source: Source::Section(s.clone()),
        });
    pages.chain(sections).collect()
}

/// How an item of `site` is rendered.
fn options<'a>(site: &'a Site, item: &'a Item<'a>, images: &'a Images) -> Options<'a> {
    let c = &site.config;
    Options {
        links: &site.links,
        rel: &item.rel,
        asset_base: item.asset_base.as_deref(),
        images: ImageDirs {
            folder: item.path.parent(),
            root: Some(&c.root),
            images: Some(images),
        },
        image_base: Some(&item.image_base),
        external_target_blank: c.markdown.external_links_target_blank,
        external_nofollow: c.markdown.external_links_nofollow,
        summary_length: c.summary_length,
        reading_speed: c.reading_speed,
    }
}

/// The last run's entries, and where each item of this run finds its own.
#[derive(Default)]
struct Previous {
    same_model: bool,
    entries: Vec<Option<Entry>>,
    /// Parallel to the items: the index of the item's entry.
    at: Vec<Option<usize>>,
}

impl Previous {
    /// The key and rendering of item `k` when they can be kept: the same file under the same
    /// model, or the same key (text, asset folder, URLs of linked pages), and the same sizes
    /// of the images it shows (taken as the same when `images_unchanged`).
    fn kept(
        &self,
        k: usize,
        item: &Item<'_>,
        site: &Site,
        images: &Images,
        images_unchanged: bool,
    ) -> Option<(u64, Arc<Rendered>)> {
        let entry = self.entries.get((*self.at.get(k)?)?)?.as_ref()?;
        let r = &entry.rendered;
        let same_images = images_unchanged || {
            let dirs = options(site, item, images).images;
            r.image_stamps
                .iter()
                .all(|(url, stamp)| dirs.stamp(url) == *stamp)
        };
        let same = (self.same_model && entry.source.as_ref().is_some_and(|s| s.same(&item.source)))
            || entry.key == item.key(&site.links, &r.links_to);
        (same && same_images).then(|| (entry.key, r.clone()))
    }
}

impl MdCache {
    /// Takes the last run's entries: under the same model an item finds its entry at its own
    /// place, else by name.
    fn previous(&mut self, site: &Site, items: &[Item<'_>]) -> Previous {
        let Some((model, entries)) = self.last.take() else {
            return Previous::default();
        };
        let same_model = model.is_some_and(|m| Arc::ptr_eq(&m, &site.model));
        let at = if same_model {
            (0..items.len())
                .map(|k| (k < entries.len()).then_some(k))
                .collect()
        } else {
            let by_name: HashMap<&str, usize> = entries
                .iter()
                .enumerate()
                .filter_map(|(i, e)| Some((e.as_ref()?.name.as_str(), i)))
                .collect();
            items
                .iter()
                .map(|item| by_name.get(item.source.name().as_ref()).copied())
                .collect()
        };
        Previous {
            same_model,
            entries,
            at,
        }
    }

    /// Keeps this run's renderings for the next: kept entries move over, new ones get their
    /// key.
    fn store(&mut self, site: &Site, items: &[Item<'_>], results: &[Outcome], previous: Previous) {
        self.renders = results
            .iter()
            .filter(|r| matches!(r, Ok((None, _))))
            .count();
        let keys: Vec<Option<u64>> = items
            .par_iter()
            .zip(results)
            .map(|(item, result)| match result {
                Ok((None, r)) => Some(item.key(&site.links, &r.links_to)),
                _ => None,
            })
            .collect();
        let Previous {
            mut entries, at, ..
        } = previous;
        let next = items
            .iter()
            .zip(results)
            .zip(keys)
            .enumerate()
            .map(|(k, ((item, result), key))| {
                let (kept, rendered) = result.as_ref().ok()?;
                match (kept, at.get(k).copied().flatten()) {
                    (Some(_), Some(i)) => entries[i].take().map(|mut e| {
                        e.source = Some(item.source.clone());
                        e
                    }),
                    _ => Some(Entry {
                        name: item.source.name().into_owned(),
                        key: key?,
                        source: Some(item.source.clone()),
                        rendered: rendered.clone(),
                    }),
                }
            })
            .collect();
        self.last = Some((Some(site.model.clone()), next));
    }

    /// The entries of the last run, for the disk.
    pub fn save(&self) -> SavedMarkdown {
        let entries = self.last.iter().flat_map(|(_, e)| e.iter().flatten());
        SavedMarkdown(
            entries
                .map(|e| (e.name.clone(), e.key, e.rendered.clone()))
                .collect(),
        )
    }

    /// A cache holding the entries saved by an earlier build: found by name, kept when their
    /// key is the same.
    pub fn restore(saved: SavedMarkdown) -> MdCache {
        let entries = saved
            .0
            .into_iter()
            .map(|(name, key, rendered)| {
                Some(Entry {
                    name,
                    key,
                    source: None,
                    rendered,
                })
            })
            .collect();
        MdCache {
            last: Some((None, entries)),
            renders: 0,
            images_unchanged: false,
        }
    }
}

/// Every `@/page.md#anchor` link must name a heading of that page.
fn check_anchors(site: &Site, pages: &[Arc<Rendered>]) -> Vec<Diagnostic> {
    let ids: rustc_hash::FxHashMap<&str, &[String]> = site
        .library
        .pages
        .iter()
        .zip(pages)
        .map(|(p, r)| (p.rel.as_str(), r.ids.as_slice()))
        .collect();
    let mut errors = Vec::new();
    for (page, r) in site.library.pages.iter().zip(pages) {
        for link in &r.anchor_links {
            let known = ids.get(link.target.as_str()).copied().unwrap_or_default();
            if known.contains(&link.anchor) {
                continue;
            }
            let help = match did_you_mean(&link.anchor, known.iter().map(String::as_str)) {
                Some(s) => format!("你是不是想写 #{s}？"),
                None if known.is_empty() => "那篇文章没有小标题，去掉 # 后面的部分即可".to_string(),
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
    errors
}
