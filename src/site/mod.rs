//! The site model: which pages are posts, their permalinks, and the lists built from them
//! (home, categories, tags, sections). Pure data; nothing here renders or writes.

pub mod archive;
pub mod columns;
pub mod paginate;
pub mod permalink;
pub mod slug;
pub mod tags;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::Timestamp;

use crate::config::Config;
use crate::content::{FrontMatter, Library, Page, Section};
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
pub use columns::ColumnInfo;
use permalink::{output_file, post_path, unsafe_file};
use slug::slugify;
pub use tags::TagInfo;

/// What the model adds to a loaded page.
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// Site path, e.g. `/tourism/2024/04/peach-blossom/`.
    pub path: String,
    pub slug: String,
    /// Index into `config.categories` for posts; None for plain pages (关于我们 ...).
    pub category: Option<usize>,
    /// Indexes into `Site::tags`.
    pub tags: Vec<usize>,
}

/// What the model adds to a section.
#[derive(Debug, Clone)]
pub struct SectionInfo {
    pub path: String,
    /// Plain pages of the section (not posts), by weight then newest first.
    pub pages: Vec<usize>,
    /// Indexes of the sections directly below.
    pub subsections: Vec<usize>,
}

/// What the model derives from the configuration and the library: permalinks, lists, tags,
/// archive, columns. Shared, so that a rebuild that changes no input of it (a post's text
/// edited in `zhen serve`) keeps it, and later stages can tell so by its identity.
pub struct Model {
    /// Parallel to `library.pages`.
    pub pages: Vec<PageInfo>,
    /// Parallel to `library.sections`.
    pub sections: Vec<SectionInfo>,
    /// Every post, newest first.
    pub posts: Vec<usize>,
    /// Posts for the home page: pinned first, then newest first.
    pub home: Vec<usize>,
    /// Parallel to `config.categories`: its posts, pinned first, then newest first.
    pub categories: Vec<Vec<usize>>,
    /// By number of posts, then name.
    pub tags: Vec<TagInfo>,
    /// Years with posts, newest first.
    pub archive: Vec<archive::Year>,
    /// Feature columns, active ones first.
    pub columns: Vec<ColumnInfo>,
    /// Content path (`theory/a.md`) -> site path, for `@/` links and `get_url`.
    pub links: HashMap<String, String>,
    /// Content path -> index into `library.pages`.
    pub page_index: HashMap<String, usize>,
    /// Section folder -> index into `library.sections`.
    pub section_index: HashMap<String, usize>,
    /// "Today", as the model was built for it.
    now: Timestamp,
}

/// The whole site, ready for Markdown rendering and templates: the configuration, the loaded
/// content and the model derived from them (whose fields it shows as its own).
#[derive(Clone)]
pub struct Site {
    pub config: Config,
    pub library: Library,
    pub model: Arc<Model>,
}

impl std::ops::Deref for Site {
    type Target = Model;

    fn deref(&self) -> &Model {
        &self.model
    }
}

/// Paths zhen generates itself, with what to call them in messages.
pub const GENERATED: &[(&str, &str)] = &[
    ("/", "首页"),
    (tags::TAGS_PATH, "标签列表"),
    (archive::ARCHIVE_PATH, "归档"),
    (columns::COLUMNS_PATH, "专题列表"),
    (SITEMAP_PAGE_PATH, "网站地图"),
    ("/404.html", "404 页面"),
];

/// The message of the error for a post without a date (`zhen check` reports it as F1).
pub const UNDATED: &str = "文章缺少发布日期 date";

/// The site path of the human-readable site map (网站地图).
pub const SITEMAP_PAGE_PATH: &str = "/sitemap/";

/// The site path of the search page (when `[search]` is enabled).
pub const SEARCH_PAGE_PATH: &str = "/search/";

/// An alias as a site path: `old/url` -> `/old/url/`, `/a.html` stays.
pub fn alias_path(alias: &str) -> String {
    let p = format!("/{}", alias.trim_start_matches('/'));
    if p.ends_with('/') || p.rsplit('/').next().is_some_and(|l| l.contains('.')) {
        p
    } else {
        format!("{p}/")
    }
}

/// The site path of a category's list.
pub fn category_path(slug: &str) -> String {
    format!("/{slug}/")
}

/// The site path of a section folder (`about` -> `/about/`, `` -> `/`).
pub fn section_path(dir: &str, overrides: &BTreeMap<String, String>) -> String {
    let mut path = String::from("/");
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        path.push_str(&slugify(part, overrides));
        path.push('/');
    }
    path
}

impl Site {
    /// Whether page `i` may reach readers: not a draft and not dated after the build's "now".
    /// The others are built only for a preview (`--drafts`, `--future`, serve), marked by the
    /// theme, and kept out of feeds and sitemaps.
    pub fn is_public(&self, i: usize) -> bool {
        let meta = &self.library.pages[i].meta;
        !meta.draft
            && meta
                .date
                .as_ref()
                .is_none_or(|d| d.timestamp() <= self.model.now)
    }

    /// Builds the model; every problem (unknown category or column, missing date, two sources
    /// for one URL) is reported. `now` decides which feature columns have ended.
    /// With the `previous` site of a rebuild, its model is kept when none of its inputs changed
    /// (the configuration, `now`, and every file but its Markdown body).
    pub fn build(
        config: Config,
        library: Library,
        now: Timestamp,
        previous: Option<&Site>,
    ) -> Result<Site, Vec<Diagnostic>> {
        if let Some(p) = previous
            && p.model.now == now
            && p.config.same_as(&config)
            && same_shape(&p.library, &library, &config.slug_overrides)
        {
            return Ok(Site {
                config,
                library,
                model: p.model.clone(),
            });
        }
        let overrides = &config.slug_overrides;
        let section_paths: HashMap<&str, String> = library
            .sections
            .iter()
            .map(|s| (s.dir.as_str(), section_path(&s.dir, overrides)))
            .collect();

        let mut errors = Vec::new();
        let mut pages = Vec::with_capacity(library.pages.len());
        for page in &library.pages {
            match page_info(&config, page, &section_paths) {
                Ok(info) => pages.push(info),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        // Newest first; the content path breaks ties so builds are reproducible.
        let newest_first = |a: &usize, b: &usize| {
            let (pa, pb) = (&library.pages[*a], &library.pages[*b]);
            pb.meta
                .date
                .cmp(&pa.meta.date)
                .then_with(|| pa.rel.cmp(&pb.rel))
        };
        let mut posts: Vec<usize> = (0..pages.len())
            .filter(|&i| pages[i].category.is_some())
            .collect();
        posts.sort_by(newest_first);
        let mut home = posts.clone();
        home.sort_by(|a, b| {
            let (pa, pb) = (&library.pages[*a], &library.pages[*b]);
            pb.meta
                .pinned
                .cmp(&pa.meta.pinned)
                .then_with(|| newest_first(a, b))
        });
        let mut categories = vec![Vec::new(); config.categories.len()];
        for &i in &home {
            if let Some(c) = pages[i].category {
                categories[c].push(i);
            }
        }
        let (tags, page_tags) = tags::build(&posts, &library.pages, overrides);
        for (info, t) in pages.iter_mut().zip(page_tags) {
            info.tags = t;
        }
        let archive = archive::build(&posts, &library.pages);
        let is_post: Vec<bool> = pages.iter().map(|p| p.category.is_some()).collect();
        let columns = columns::build(&library, &is_post, &section_paths, now, newest_first)?;

        let sections = library
            .sections
            .iter()
            .map(|s| {
                // Plain pages only: posts are listed by category, archive and column.
                let mut members: Vec<usize> = (0..pages.len())
                    .filter(|&i| library.pages[i].section == s.dir && pages[i].category.is_none())
                    .collect();
                members.sort_by(|a, b| {
                    library.pages[*a]
                        .meta
                        .weight
                        .cmp(&library.pages[*b].meta.weight)
                        .then_with(|| newest_first(a, b))
                });
                let subsections = library
                    .sections
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| {
                        !o.dir.is_empty() && o.dir.rsplit_once('/').map_or("", |(p, _)| p) == s.dir
                    })
                    .map(|(j, _)| j)
                    .collect();
                SectionInfo {
                    path: section_paths[s.dir.as_str()].clone(),
                    pages: members,
                    subsections,
                }
            })
            .collect::<Vec<_>>();

        let links = library
            .pages
            .iter()
            .zip(&pages)
            .map(|(p, info)| (p.rel.clone(), info.path.clone()))
            .chain(library.sections.iter().zip(&sections).map(|(s, info)| {
                let rel = if s.dir.is_empty() {
                    "_index.md".to_string()
                } else {
                    format!("{}/_index.md", s.dir)
                };
                (rel, info.path.clone())
            }))
            .collect();

        let page_index = library
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.rel.clone(), i))
            .collect();
        let section_index = library
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.dir.clone(), i))
            .collect();
        let site = Site {
            config,
            library,
            model: Arc::new(Model {
                pages,
                sections,
                posts,
                home,
                categories,
                tags,
                archive,
                columns,
                links,
                page_index,
                section_index,
                now,
            }),
        };
        site.check_collisions()?;
        Ok(site)
    }

    /// Two sources writing the same output file is an error naming both; a path that would
    /// leave the output folder (`aliases = ["../../x"]`) or cannot be a file is an error at the
    /// line that gives it.
    fn check_collisions(&self) -> Result<(), Vec<Diagnostic>> {
        let mut owners: HashMap<String, String> = HashMap::new();
        let mut errors = Vec::new();
        let mut claim =
            |path: &str, owner: String, file: Option<(&std::path::Path, &FrontMatter, &str)>| {
                let out = output_file(path);
                let located = |d: Diagnostic| match file {
                    Some((f, meta, key)) => d.in_file(f).at_opt(locate_key(f, meta, key)),
                    None => d,
                };
                if let Some(why) = unsafe_file(&out) {
                    errors.push(
                    located(Diagnostic::error(format!("网址 {path} 不能用：{why}")))
                        .help("网址只能指向网站里面：例如 aliases = [\"/old/page.html\"]，不要用 ..、反斜杠或完整的 http 地址"),
                );
                } else if let Some(previous) = owners.get(&out) {
                    errors.push(
                        located(Diagnostic::error(format!(
                            "两个来源会生成同一个网址 {path}：{previous} 和 {owner}"
                        )))
                        .help("给其中一篇文章写一个不同的 slug = \"...\"，或改文件名"),
                    );
                } else {
                    owners.insert(out, owner);
                }
            };
        for (path, owner) in GENERATED {
            claim(path, owner.to_string(), None);
        }
        if self.config.search.enabled {
            claim(SEARCH_PAGE_PATH, "搜索页".into(), None);
        }
        for c in &self.config.categories {
            claim(&category_path(&c.slug), format!("分类“{}”", c.name), None);
        }
        for (s, info) in self.library.sections.iter().zip(&self.sections) {
            // The root section and columns/ describe the home page and the list of columns.
            if !s.dir.is_empty() && s.dir != columns::COLUMNS_DIR {
                claim(
                    &info.path,
                    s.path.display().to_string(),
                    Some((&s.path, &s.meta, "slug")),
                );
            }
        }
        for (p, info) in self.library.pages.iter().zip(&self.pages) {
            claim(
                &info.path,
                p.path.display().to_string(),
                Some((&p.path, &p.meta, "slug")),
            );
            for alias in &p.meta.aliases {
                claim(
                    &alias_path(alias),
                    format!("{} 的旧网址", p.path.display()),
                    Some((&p.path, &p.meta, "aliases")),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Whether two libraries agree in everything the model is built from: the same files, in the
/// same places, with the same front matter but for what only a page's own value shows (its
/// title, when that does not give its slug, its summary, cover, source …), and the same
/// sections; Markdown bodies may differ.
fn same_shape(a: &Library, b: &Library, overrides: &BTreeMap<String, String>) -> bool {
    let same_page = |x: &Arc<Page>, y: &Arc<Page>| {
        Arc::ptr_eq(x, y)
            || (x.rel == y.rel
                && x.path == y.path
                && x.stem == y.stem
                && x.section == y.section
                && x.assets == y.assets
                && x.meta.same_but_presentation(&y.meta)
                && page_slug(x, overrides) == page_slug(y, overrides))
    };
    let same_section = |x: &Arc<Section>, y: &Arc<Section>| {
        Arc::ptr_eq(x, y)
            || (x.dir == y.dir && x.path == y.path && x.assets == y.assets && x.meta == y.meta)
    };
    a.pages.len() == b.pages.len()
        && a.sections.len() == b.sections.len()
        && a.loose_files == b.loose_files
        && a.pages.iter().zip(&b.pages).all(|(x, y)| same_page(x, y))
        && a.sections
            .iter()
            .zip(&b.sections)
            .all(|(x, y)| same_section(x, y))
}

/// A page's path and category. A post (a page with a category, given or from its folder)
/// needs a date and a configured category.
fn page_info(
    config: &Config,
    page: &Page,
    section_paths: &HashMap<&str, String>,
) -> Result<PageInfo, Diagnostic> {
    let overrides = &config.slug_overrides;
    let keys: Vec<&str> = config.categories.iter().map(|c| c.key.as_str()).collect();
    // From the front matter, else the folder the post is in (`content/theory/…`).
    let given: Vec<&str> = if page.meta.categories.is_empty() {
        let first = page.rel.split('/').next().unwrap_or("");
        if page.rel.contains('/') && config.category_index(first).is_some() {
            vec![first]
        } else {
            vec![]
        }
    } else {
        page.meta.categories.iter().map(String::as_str).collect()
    };
    let slug = page_slug(page, overrides);
    let Some(&key) = given.first() else {
        let base = section_paths
            .get(page.section.as_str())
            .cloned()
            .unwrap_or_else(|| "/".into());
        return Ok(PageInfo {
            path: format!("{base}{slug}/"),
            slug,
            category: None,
            tags: vec![],
        });
    };
    let Some(ci) = given.iter().find_map(|g| config.category_index(g)) else {
        let mut help = format!("可用的分类：{}", config.category_choices());
        let candidates = keys
            .iter()
            .copied()
            .chain(config.categories.iter().map(|c| c.name.as_str()));
        if let Some(s) = did_you_mean(key, candidates) {
            help = format!("你是不是想写 \"{s}\"？{help}");
        }
        return Err(Diagnostic::error(format!(
            "分类 \"{}\" 没有在 site.toml 里配置",
            given.join("、")
        ))
        .in_file(&page.path)
        .at_opt(
            locate_key(&page.path, &page.meta, "category")
                .or_else(|| locate_key(&page.path, &page.meta, "categories"))
                .or_else(|| locate_key(&page.path, &page.meta, "taxonomies")),
        )
        .help(help));
    };
    let Some(date) = &page.meta.date else {
        return Err(Diagnostic::error(UNDATED)
            .in_file(&page.path)
            .help("在文章开头的 +++ 之间写上 date = 2024-01-02（或 2024-01-02 09:30:00）；没有日期的文章在检查中算作“从未更新”"));
    };
    Ok(PageInfo {
        path: post_path(&config.permalink, &config.categories[ci].slug, date, &slug),
        slug,
        category: Some(ci),
        tags: vec![],
    })
}

/// The slug of a page: `slug` from front matter, else its file name (date prefix removed) in
/// pinyin, else its title in pinyin.
fn page_slug(page: &Page, overrides: &BTreeMap<String, String>) -> String {
    let explicit = page.meta.slug.as_deref().map(|s| slugify(s, overrides));
    let slug = [explicit, Some(slugify(&page.stem, overrides))]
        .into_iter()
        .flatten()
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| slugify(&page.meta.title, overrides));
    if slug.is_empty() { "post".into() } else { slug }
}

/// Where `key` is written in the front matter of `file`, for messages about its value.
pub fn locate_key(file: &std::path::Path, meta: &FrontMatter, key: &str) -> Option<Location> {
    let text = std::fs::read_to_string(file).ok()?;
    meta.key_location(&text, key)
}
