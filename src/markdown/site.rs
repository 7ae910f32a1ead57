//! The Markdown of a whole site: every page and section rendered in parallel (with
//! `zhen serve`'s cache, only those whose inputs changed), then links to other pages'
//! anchors checked.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::image::ImageDirs;
use super::{Options, Rendered, render};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::site::permalink::asset_dir;
use crate::site::{Model, Site};

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
