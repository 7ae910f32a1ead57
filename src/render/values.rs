//! Template values built once per build and shared by every output that shows them: a light
//! summary of each page for lists, and the full page for its own output.

use std::sync::Arc;

use rayon::prelude::*;
use tera::{Map, Value};

use super::fingerprint::Memo;

use crate::config::{Category, Config};
use crate::content::{FrontMatter, Page, Section};
use crate::markdown::Rendered;
use crate::site::{Model, Site, category_path};

/// A map value from `(key, value)` pairs.
pub fn obj<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
    let mut map = Map::with_capacity(N);
    for (k, v) in pairs {
        map.insert(k.into(), v);
    }
    Value::from(map)
}

/// `base` (a map value) with `pairs` added or replaced.
pub fn extend<const N: usize>(base: &Value, pairs: [(&'static str, Value); N]) -> Value {
    let mut map = base.as_map().cloned().unwrap_or_default();
    for (k, v) in pairs {
        map.insert(k.into(), v);
    }
    Value::from(map)
}

fn opt(s: &Option<String>) -> Value {
    s.as_deref().map_or_else(Value::none, Value::from)
}

/// A time as templates receive it: RFC 3339 with the site's offset.
pub fn rfc3339(z: &jiff::ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn date(d: &Option<jiff::ZonedDateTime>) -> Value {
    d.as_ref()
        .map_or_else(Value::none, |z| Value::from(rfc3339(z)))
}

/// Every value the templates see, indexed like the site's pages, sections and categories.
pub struct Values {
    pub config: Value,
    /// Light per-page values for lists (no content).
    pub summaries: Vec<Value>,
    /// Full per-page values (summary plus content, TOC, neighbours).
    pub pages: Vec<Value>,
    pub sections: Vec<Value>,
    /// Parallel to `config.categories`: key, name, path … as posts mention their category.
    pub category_refs: Vec<Value>,
    /// The same with `count`, for the category's own list pages.
    pub category_lists: Vec<Value>,
    /// The same with `pages` (summaries, pinned first), for `get_category`.
    pub categories: Vec<Value>,
    /// Parallel to `site.tags`, with `count`.
    pub tags: Vec<Value>,
    /// Parallel to `site.columns`: the column's section fields plus `key`, `ended`, `count`
    /// (its posts come in the paginator of its page).
    pub columns: Vec<Value>,
    /// The archive's years, newest first, each with its months: what `/archive/` shows.
    pub archive: Value,
    /// Which values were built anew rather than kept from the previous build.
    pub fresh: Fresh,
    /// Parallel to `site.tags`: what posts show of their tags.
    tag_refs: Vec<Value>,
    inputs: Inputs,
}

/// Which values a build made anew (the others are the previous build's, unchanged).
pub struct Fresh {
    /// The values were built for the same model as the previous build's.
    pub same_model: bool,
    pub summaries: Vec<bool>,
    /// A page is fresh when its summary or a neighbour's is.
    pub pages: Vec<bool>,
    /// A section is fresh when its text or a listed page's summary is.
    pub sections: Vec<bool>,
    pub columns: Vec<bool>,
}

/// What the values were built from: a value whose inputs are the same `Arc`s is kept.
struct Inputs {
    model: Arc<Model>,
    pages: Vec<(Arc<Page>, Arc<Rendered>)>,
    sections: Vec<(Arc<Section>, Arc<Rendered>)>,
}

impl Values {
    /// Builds every value from the model and the rendered Markdown. Given the values of the
    /// previous build of the same model, keeps each value whose inputs are unchanged.
    pub fn build(
        site: &Site,
        pages_md: &[Arc<Rendered>],
        sections_md: &[Arc<Rendered>],
        previous: Option<&Values>,
    ) -> Values {
        let previous = previous.filter(|p| Arc::ptr_eq(&p.inputs.model, &site.model));
        let inputs = Inputs {
            model: site.model.clone(),
            pages: site
                .library
                .pages
                .iter()
                .cloned()
                .zip(pages_md.iter().cloned())
                .collect(),
            sections: site
                .library
                .sections
                .iter()
                .cloned()
                .zip(sections_md.iter().cloned())
                .collect(),
        };
        // Values of the model alone are kept whole under the same model.
        let (config, category_refs, category_lists, tag_refs, tags, archive) = match previous {
            Some(p) => (
                p.config.clone(),
                p.category_refs.clone(),
                p.category_lists.clone(),
                p.tag_refs.clone(),
                p.tags.clone(),
                p.archive.clone(),
            ),
            None => model_values(site),
        };

        let summary_fresh: Vec<bool> = (0..site.pages.len())
            .map(|i| {
                previous.is_none_or(|p| {
                    let (page, md) = &p.inputs.pages[i];
                    !Arc::ptr_eq(page, &site.library.pages[i]) || !Arc::ptr_eq(md, &pages_md[i])
                })
            })
            .collect();
        let summaries: Vec<Value> = (0..site.pages.len())
            .map(|i| match previous {
                Some(p) if !summary_fresh[i] => p.summaries[i].clone(),
                _ => summary(site, i, &pages_md[i], &category_refs, &tag_refs),
            })
            .collect();

        // Neighbours in the post list: `lower` is the older post, `higher` the newer one.
        let mut neighbours = vec![(None, None); site.pages.len()];
        for (k, &i) in site.posts.iter().enumerate() {
            neighbours[i] = (
                site.posts.get(k + 1).copied(),
                k.checked_sub(1).map(|j| site.posts[j]),
            );
        }
        let page_fresh: Vec<bool> = neighbours
            .iter()
            .enumerate()
            .map(|(i, (lower, higher))| {
                summary_fresh[i]
                    || lower.is_some_and(|j| summary_fresh[j])
                    || higher.is_some_and(|j| summary_fresh[j])
            })
            .collect();
        let neighbour = |j: Option<usize>| j.map_or_else(Value::none, |j| summaries[j].clone());
        let pages: Vec<Value> = (0..site.pages.len())
            .map(|i| match previous {
                Some(p) if !page_fresh[i] => p.pages[i].clone(),
                _ => {
                    let (lower, higher) = neighbours[i];
                    page(
                        site,
                        i,
                        &pages_md[i],
                        &summaries[i],
                        neighbour(lower),
                        neighbour(higher),
                    )
                }
            })
            .collect();

        let section_fresh: Vec<bool> = (0..site.sections.len())
            .map(|i| {
                previous.is_none_or(|p| {
                    let (section, md) = &p.inputs.sections[i];
                    !Arc::ptr_eq(section, &site.library.sections[i])
                        || !Arc::ptr_eq(md, &sections_md[i])
                        || site.sections[i].pages.iter().any(|&j| summary_fresh[j])
                })
            })
            .collect();
        let sections: Vec<Value> = (0..site.sections.len())
            .map(|i| match previous {
                Some(p) if !section_fresh[i] => p.sections[i].clone(),
                _ => section(site, i, &sections_md[i], &summaries),
            })
            .collect();

        let categories = site
            .categories
            .iter()
            .enumerate()
            .map(|(ci, posts)| {
                let pages = posts
                    .iter()
                    .map(|&p| summaries[p].clone())
                    .collect::<Vec<_>>();
                extend(&category_lists[ci], [("pages", Value::from(pages))])
            })
            .collect();

        let column_fresh: Vec<bool> = site
            .columns
            .iter()
            .map(|c| section_fresh[c.section])
            .collect();
        let columns = site
            .columns
            .iter()
            .enumerate()
            .map(|(ci, c)| match previous {
                Some(p) if !column_fresh[ci] => p.columns[ci].clone(),
                _ => extend(
                    &sections[c.section],
                    [
                        ("key", c.key.as_str().into()),
                        ("path", c.path.as_str().into()),
                        ("permalink", site.config.absolute(&c.path).into()),
                        ("ended", c.ended.into()),
                        ("count", c.posts.len().into()),
                    ],
                ),
            })
            .collect();

        Values {
            config,
            summaries,
            pages,
            sections,
            categories,
            tags,
            category_refs,
            category_lists,
            columns,
            archive,
            fresh: Fresh {
                same_model: previous.is_some(),
                summaries: summary_fresh,
                pages: page_fresh,
                sections: section_fresh,
                columns: column_fresh,
            },
            tag_refs,
            inputs,
        }
    }
}

/// The values that depend on the configuration and the model alone: config, category refs and
/// lists, tag refs and lists, the archive.
fn model_values(site: &Site) -> (Value, Vec<Value>, Vec<Value>, Vec<Value>, Vec<Value>, Value) {
    let config = config_value(&site.config);
    let category_refs: Vec<Value> = site
        .config
        .categories
        .iter()
        .map(|c| category_ref(&site.config, c))
        .collect();
    let category_lists: Vec<Value> = category_refs
        .iter()
        .zip(&site.categories)
        .map(|(r, posts)| extend(r, [("count", posts.len().into())]))
        .collect();
    let tag_refs: Vec<Value> = site
        .tags
        .iter()
        .map(|t| {
            obj([
                ("name", t.name.as_str().into()),
                ("slug", t.slug.as_str().into()),
                ("path", t.path.as_str().into()),
                ("permalink", site.config.absolute(&t.path).into()),
            ])
        })
        .collect();
    // Lists of tags show counts; posts mention their tags without (so that a new post
    // with a tag does not change every other post that has it).
    let tags = tag_refs
        .iter()
        .zip(&site.tags)
        .map(|(r, t)| extend(r, [("count", t.posts.len().into())]))
        .collect();
    let archive = Value::from(
        site.archive
            .iter()
            .map(|y| {
                let months = y
                    .months
                    .iter()
                    .map(|m| {
                        obj([
                            ("year", m.year.into()),
                            ("month", m.month.into()),
                            ("title", format!("{}年{}月", m.year, m.month).into()),
                            ("path", m.path.as_str().into()),
                            ("count", m.posts.len().into()),
                        ])
                    })
                    .collect::<Vec<_>>();
                obj([
                    ("year", y.year.into()),
                    ("title", format!("{}年", y.year).into()),
                    ("path", y.path.as_str().into()),
                    ("count", y.posts.len().into()),
                    ("months", Value::from(months)),
                ])
            })
            .collect::<Vec<_>>(),
    );
    (
        config,
        category_refs,
        category_lists,
        tag_refs,
        tags,
        archive,
    )
}

/// What lists show of page `i`.
fn summary(
    site: &Site,
    i: usize,
    md: &Rendered,
    category_refs: &[Value],
    tag_refs: &[Value],
) -> Value {
    let page = &site.library.pages[i];
    let info = &site.pages[i];
    let m = &page.meta;
    obj([
        ("title", m.title.as_str().into()),
        ("path", info.path.as_str().into()),
        ("permalink", site.config.absolute(&info.path).into()),
        ("slug", info.slug.as_str().into()),
        ("relative_path", page.rel.as_str().into()),
        ("date", date(&m.date)),
        ("updated", date(&m.updated)),
        ("description", description(m, md).into()),
        (
            "summary",
            md.summary_html
                .as_deref()
                .map_or_else(Value::none, Value::safe_string),
        ),
        ("cover", cover(m, md, &info.path)),
        ("cover_image", cover_image(md)),
        ("share_image", share_image(&site.config, m, md, &info.path)),
        (
            "category",
            info.category
                .map_or_else(Value::none, |c| category_refs[c].clone()),
        ),
        (
            "tags",
            Value::from(
                info.tags
                    .iter()
                    .map(|&t| tag_refs[t].clone())
                    .collect::<Vec<_>>(),
            ),
        ),
        // By front matter or by living in the column's folder.
        (
            "column",
            opt(&m
                .column
                .clone()
                .or_else(|| crate::site::columns::column_key(&page.section).map(str::to_string))),
        ),
        ("pinned", m.pinned.into()),
        ("draft", m.draft.into()),
        ("scheduled", (!m.draft && !site.is_public(i)).into()),
        ("weight", m.weight.into()),
        ("source", source(m, &site.config.default_source)),
        ("author", opt(&m.author)),
        ("word_count", md.word_count.into()),
        ("reading_time", md.reading_time.into()),
    ])
}

/// The full value of page `i`: its summary with content, TOC and neighbours.
fn page(
    site: &Site,
    i: usize,
    md: &Rendered,
    summary: &Value,
    lower: Value,
    higher: Value,
) -> Value {
    let m = &site.library.pages[i].meta;
    extend(
        summary,
        [
            ("content", md.content.clone()),
            ("toc", Value::from_serializable(&md.toc)),
            ("editor", opt(&m.editor)),
            // The summary the author wrote, if any (`description` falls back to an excerpt).
            ("lead", opt(&m.summary)),
            ("extra", Value::from_serializable(&m.extra)),
            ("aliases", Value::from(m.aliases.clone())),
            (
                "assets",
                Value::from(
                    site.library.pages[i]
                        .assets
                        .iter()
                        .map(|a| format!("{}{a}", site.pages[i].path))
                        .collect::<Vec<_>>(),
                ),
            ),
            ("lower", lower),
            ("higher", higher),
        ],
    )
}

/// The value of section `i`, with the summaries of its plain pages.
fn section(site: &Site, i: usize, md: &Rendered, summaries: &[Value]) -> Value {
    let s = &site.library.sections[i];
    let info = &site.sections[i];
    obj([
        ("title", s.meta.title.as_str().into()),
        (
            "description",
            s.meta.summary.as_deref().unwrap_or(&md.excerpt).into(),
        ),
        ("content", md.content.clone()),
        ("path", info.path.as_str().into()),
        ("permalink", site.config.absolute(&info.path).into()),
        ("relative_path", s.dir.as_str().into()),
        ("cover", cover(&s.meta, md, &info.path)),
        ("cover_image", cover_image(md)),
        ("start", date(&s.meta.start)),
        ("end", date(&s.meta.end)),
        (
            "pages",
            Value::from(
                info.pages
                    .iter()
                    .map(|&p| summaries[p].clone())
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "subsections",
            Value::from(
                info.subsections
                    .iter()
                    .map(|&j| site.sections[j].path.clone())
                    .collect::<Vec<_>>(),
            ),
        ),
        ("extra", Value::from_serializable(&s.meta.extra)),
    ])
}

/// Hashes each post's HTML (known from the Markdown stage), summary and page once, for
/// fingerprints. The hashes of values kept from the `previous` build are taken from it.
pub fn remember(
    values: &Values,
    pages_md: &[Arc<Rendered>],
    previous: Option<&Hashes>,
) -> (Memo, Hashes) {
    let mut memo = Memo::default();
    for md in pages_md {
        memo.remember(&md.content, md.content_hash);
    }
    let mut hashes = Hashes::default();
    for (group, fresh, kept, out) in [
        (
            &values.summaries,
            &values.fresh.summaries,
            previous.map(|p| &p.summaries),
            &mut hashes.summaries,
        ),
        (
            &values.pages,
            &values.fresh.pages,
            previous.map(|p| &p.pages),
            &mut hashes.pages,
        ),
    ] {
        // Summaries first: pages contain them.
        *out = group
            .par_iter()
            .zip(fresh)
            .enumerate()
            .map(|(i, (v, &fresh))| match kept {
                Some(k) if !fresh => k[i],
                _ => memo.hash(v),
            })
            .collect();
        for (v, &h) in group.iter().zip(out.iter()) {
            memo.remember(v, h);
        }
    }
    for v in values.sections.iter().chain(&values.columns) {
        memo.share(v);
    }
    (memo, hashes)
}

/// The hashes of the summaries and pages of a build, for the next one.
#[derive(Default)]
pub struct Hashes {
    summaries: Vec<u64>,
    pages: Vec<u64>,
}

/// The post's source (来源), else the site's `default_source`.
fn source(m: &FrontMatter, default: &str) -> Value {
    match &m.source {
        Some(s) => s.as_str().into(),
        None if !default.is_empty() => default.into(),
        None => Value::none(),
    }
}

fn description(m: &FrontMatter, md: &Rendered) -> String {
    m.summary.clone().unwrap_or_else(|| md.excerpt.clone())
}

/// The cover image as a site path: a photo's largest variant; other relative names resolved
/// against the page's folder (where the file travels with it).
fn cover(m: &FrontMatter, md: &Rendered, path: &str) -> Value {
    if let Some(picture) = &md.cover {
        return picture.src().into();
    }
    match &m.cover {
        None => Value::none(),
        Some(c) if !c.starts_with('/') && !c.contains(':') => {
            format!("{}{c}", crate::site::permalink::asset_dir(path)).into()
        }
        Some(c) => c.as_str().into(),
    }
}

/// The processed cover for templates (`src`, `srcset`, `webp_srcset`, `width`, `height`), or
/// none.
fn cover_image(md: &Rendered) -> Value {
    md.cover.as_ref().map_or_else(Value::none, |p| p.value())
}

/// The absolute URL of the image social cards show: the cover's 1200-px variant, else the
/// first photo of the text, else another cover (an SVG), else none (the site's share image).
fn share_image(config: &Config, m: &FrontMatter, md: &Rendered, path: &str) -> Value {
    if let Some(p) = md.cover.iter().chain(md.pictures.first()).next() {
        return config.absolute(&p.share_path()).into();
    }
    match cover(m, md, path).as_str() {
        Some(c) if c.starts_with("https://") || c.starts_with("http://") => c.into(),
        Some(c) if c.starts_with('/') => config.absolute(c).into(),
        _ => Value::none(),
    }
}

/// What templates know of a category wherever it is mentioned.
fn category_ref(config: &Config, c: &Category) -> Value {
    let path = category_path(&c.slug);
    obj([
        ("key", c.key.as_str().into()),
        ("name", c.name.as_str().into()),
        ("slug", c.slug.as_str().into()),
        ("description", c.description.as_str().into()),
        ("permalink", config.absolute(&path).into()),
        ("path", path.into()),
    ])
}

fn config_value(config: &Config) -> Value {
    let mut v = Value::from_serializable(config);
    if let Some(map) = v.as_map() {
        let mut map = map.clone();
        map.insert(
            "categories".into(),
            Value::from(
                config
                    .categories
                    .iter()
                    .map(|c| category_ref(config, c))
                    .collect::<Vec<_>>(),
            ),
        );
        v = Value::from(map);
    }
    v
}
