//! Lists every templated output of the site — pages, paginated lists, archives, columns,
//! feeds, site maps, redirects — with its template, site path, context and head tags.
//!
//! Each job names the values of pages, sections and columns its context shows. Planning again
//! under the same model (`zhen serve` after a post's text changed), a job none of whose values
//! was built anew is the previous build's job, kept without building its context.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use tera::Value;

use super::fingerprint::Memo;
use super::meta::{ArticleInfo, ListInfo, Meta};
use super::values::{Fresh, Values, obj};
use crate::site::archive::ARCHIVE_PATH;
use crate::site::columns::{COLUMNS_DIR, COLUMNS_PATH};
use crate::site::paginate::{Pager, page_count, paginate};
use crate::site::tags::TAGS_PATH;
use crate::site::{SEARCH_PAGE_PATH, SITEMAP_PAGE_PATH, Site, alias_path, category_path};

/// The page numbers to show around page `current` (1-based): the first, the last and two on
/// each side, with `{gap = true}` where numbers are left out. Small whatever the list's length,
/// so that a list of a thousand pages does not link every page from every page.
fn window(current: usize, pagers: &[Pager]) -> Value {
    let last = pagers.len();
    let mut shown: Vec<usize> = vec![1, last];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(last));
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::new();
    let mut previous = 0;
    for i in shown {
        if i > previous + 1 {
            out.push(obj([("gap", true.into())]));
        }
        let p = &pagers[i - 1];
        out.push(obj([
            ("index", p.index.into()),
            ("path", p.path.as_str().into()),
            ("current", (i == current).into()),
        ]));
        previous = i;
    }
    Value::from(out)
}

/// The page tags of archive pages.
const ARCHIVE_INFO: ListInfo<'static> = ListInfo {
    name: "归档",
    description: "",
    keywords: "归档",
    column_type: "归档",
};

/// URLs per sitemap file (the sitemaps.org limit); past it, sitemap.xml becomes an index.
const SITEMAP_LIMIT: usize = 50_000;

/// One output to render.
pub struct Job {
    pub template: String,
    /// Site path (`/theory/`, `/atom.xml`).
    pub path: String,
    /// The file it is written to (`theory/index.html`).
    pub output: String,
    /// Context variables besides the globals.
    pub vars: Vec<(&'static str, Value)>,
    /// When the page last changed (RFC 3339), for sitemap.xml; None keeps it out of the map.
    pub sitemap: Option<Option<String>>,
    /// The content file the page comes from, to name in template errors.
    pub source: Option<PathBuf>,
    /// The hash of `vars`, once a fingerprint needed it.
    pub vars_hash: OnceLock<u64>,
}

/// A value a job's context shows that can change while the model stays the same.
#[derive(Debug, Clone, Copy)]
enum Dep {
    Summary(usize),
    Page(usize),
    Section(usize),
    Column(usize),
}

impl Dep {
    fn fresh(self, f: &Fresh) -> bool {
        match self {
            Dep::Summary(i) => f.summaries[i],
            Dep::Page(i) => f.pages[i],
            Dep::Section(i) => f.sections[i],
            Dep::Column(i) => f.columns[i],
        }
    }
}

/// Builds the job list of a site.
pub struct Planner<'a> {
    site: &'a Site,
    values: &'a Values,
    /// Values many jobs share are hashed once into it.
    memo: &'a mut Memo,
    /// The jobs of the previous build, when the values were built for the same model: the
    /// planner then emits the same jobs in the same order.
    previous: Option<&'a [Arc<Job>]>,
    jobs: Vec<Arc<Job>>,
}

/// The newest date among `posts` (newest first), RFC 3339.
fn newest(site: &Site, posts: &[usize]) -> Option<String> {
    posts
        .iter()
        .filter_map(|&i| site.library.pages[i].meta.date.as_ref())
        .max()
        .map(super::values::rfc3339)
}

impl<'a> Planner<'a> {
    /// A planner; `previous` are the jobs of the last build, kept where nothing they show
    /// changed (ignored unless `values` kept that build's model).
    pub fn new(
        site: &'a Site,
        values: &'a Values,
        memo: &'a mut Memo,
        previous: Option<&'a [Arc<Job>]>,
    ) -> Self {
        Planner {
            site,
            values,
            memo,
            previous: previous.filter(|_| values.fresh.same_model),
            jobs: Vec::new(),
        }
    }

    /// The previous build's job at this place, if it is for `path` and none of `deps` is new.
    fn kept(&self, path: &str, deps: &[Dep]) -> Option<Arc<Job>> {
        let job = self.previous?.get(self.jobs.len())?;
        (job.path == path && !deps.iter().any(|d| d.fresh(&self.values.fresh))).then(|| job.clone())
    }

    /// Adds a job whose context `vars` builds, unless the previous build's can be kept.
    /// `deps` are the values of pages, sections and columns the context shows (all else in
    /// it comes from the configuration and the model).
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        template: &str,
        path: &str,
        sitemap: impl FnOnce() -> Option<Option<String>>,
        source: Option<&std::path::Path>,
        deps: Vec<Dep>,
        vars: impl FnOnce(&mut Self) -> Vec<(&'static str, Value)>,
    ) {
        if let Some(job) = self.kept(path, &deps) {
            self.jobs.push(job);
            return;
        }
        let vars = vars(self);
        self.jobs.push(Arc::new(Job {
            template: template.into(),
            path: path.into(),
            output: crate::site::permalink::output_file(path),
            vars,
            sitemap: sitemap(),
            source: source.map(PathBuf::from),
            vars_hash: OnceLock::new(),
        }));
    }

    /// Every output of the site.
    pub fn plan(mut self) -> Vec<Arc<Job>> {
        let site = self.site;
        let c = &site.config;
        self.home();
        for (i, page) in site.library.pages.iter().enumerate() {
            let template = page.meta.template.as_deref().unwrap_or("page.html");
            self.page(i, template);
        }
        for (ci, cat) in c.categories.iter().enumerate() {
            let base = category_path(&cat.slug);
            let posts = &site.categories[ci];
            let keywords = format!("{},{}", cat.name, c.title);
            let info = ListInfo {
                name: &cat.name,
                description: &cat.description,
                keywords: &keywords,
                column_type: &cat.column_type,
            };
            let list = List {
                template: "category.html",
                base: &base,
                items: posts,
                title: &cat.name,
                description: &cat.description,
                source: None,
            };
            let value = self.values.category_lists[ci].clone();
            self.list(&list, vec![("category", value)], &[], &info);
            self.feeds(
                &format!("{} - {}", cat.name, c.title),
                &cat.description,
                &base,
                posts,
            );
        }
        let info = ListInfo {
            name: "标签",
            description: "全部标签",
            keywords: "标签",
            column_type: "标签",
        };
        self.single("tags.html", TAGS_PATH, &info, Some(None), vec![], |p| {
            vec![("tags", Value::from(p.values.tags.clone()))]
        });
        for (ti, tag) in site.tags.iter().enumerate() {
            let info = ListInfo {
                name: &tag.name,
                description: "",
                keywords: &tag.name,
                column_type: "标签",
            };
            let list = List {
                template: "tag.html",
                base: &tag.path,
                items: &tag.posts,
                title: &tag.name,
                description: "",
                source: None,
            };
            self.list(
                &list,
                vec![("tag", self.values.tags[ti].clone())],
                &[],
                &info,
            );
        }
        self.sections();
        self.columns();
        self.archive();
        self.feeds(&c.title, &c.description, "/", &site.posts);
        self.site_map_page();
        if c.search.enabled {
            let info = ListInfo {
                name: "站内搜索",
                description: "",
                keywords: "搜索",
                column_type: "搜索",
            };
            // Its form offers the categories, columns and years to filter by.
            self.single(
                "search.html",
                SEARCH_PAGE_PATH,
                &info,
                Some(None),
                vec![],
                |p| vec![("years", p.values.archive.clone())],
            );
        }
        let info = ListInfo {
            name: "页面不存在",
            description: "",
            keywords: "",
            column_type: "其他",
        };
        self.single("404.html", "/404.html", &info, None, vec![], |_| vec![]);
        self.emit(
            "robots.txt",
            "/robots.txt",
            || None,
            None,
            vec![],
            |_| vec![],
        );
        self.aliases();
        self.sitemaps();
        self.jobs
    }

    fn meta(&self, path: &str, title: &str, description: &str) -> Meta {
        Meta::new(
            &self.site.config,
            path,
            title,
            if description.is_empty() {
                &self.site.config.description
            } else {
                description
            },
            "",
            false,
        )
    }

    fn home(&mut self) {
        let site = self.site;
        let c = &site.config;
        let root = site.library.sections.iter().position(|s| s.dir.is_empty());
        let section = root.map_or_else(Value::none, |i| self.values.sections[i].clone());
        let info = ListInfo {
            name: "首页",
            description: &c.description,
            keywords: &c.title,
            column_type: "首页",
        };
        let list = List {
            template: "index.html",
            base: "/",
            items: &site.home,
            title: &c.title,
            description: &c.description,
            source: None,
        };
        let deps: Vec<Dep> = root.map(Dep::Section).into_iter().collect();
        self.list(&list, vec![("section", section)], &deps, &info);
    }

    fn page(&mut self, i: usize, template: &str) {
        let site = self.site;
        let page = &site.library.pages[i];
        let info = &site.pages[i];
        let lastmod = || {
            let changed = page.meta.updated.as_ref().or(page.meta.date.as_ref());
            Some(changed.map(super::values::rfc3339))
        };
        self.emit(
            template,
            &info.path,
            lastmod,
            Some(&page.path),
            vec![Dep::Page(i)],
            |p| p.page_vars(i),
        );
    }

    /// The context of page `i`: its value, its category and its head tags.
    fn page_vars(&self, i: usize) -> Vec<(&'static str, Value)> {
        let site = self.site;
        let c = &site.config;
        let page = &site.library.pages[i];
        let info = &site.pages[i];
        let summary = &self.values.summaries[i];
        let text = |k: &str| {
            summary
                .get_from_path(k)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let image = text("cover");
        let image = if image.is_empty() {
            String::new()
        } else {
            c.absolute(&image)
        };
        let mut meta = Meta::new(
            c,
            &info.path,
            &page.meta.title,
            &text("description"),
            &image,
            info.category.is_some(),
        );
        let mut vars = vec![("page", self.values.pages[i].clone())];
        if let Some(ci) = info.category {
            let cat = &c.categories[ci];
            let pub_date = page
                .meta
                .date
                .as_ref()
                .map(|d| d.strftime("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
            let keywords = page.meta.tags.join(",");
            meta = meta
                .list(&ListInfo {
                    name: &cat.name,
                    description: &cat.description,
                    keywords: &cat.name,
                    column_type: &cat.column_type,
                })
                .article(&ArticleInfo {
                    title: &page.meta.title,
                    pub_date: &pub_date,
                    published: &text("date"),
                    source: &text("source"),
                    keywords: &keywords,
                    author: &text("author"),
                })
                .with_feed(
                    &cat.name,
                    &format!("{}atom.xml", category_path(&cat.slug)),
                    c,
                );
            vars.push(("category", self.values.category_refs[ci].clone()));
        }
        vars.push(("meta_tags", meta.into_value()));
        vars
    }

    fn sections(&mut self) {
        let site = self.site;
        for (si, (s, section)) in site.library.sections.iter().zip(&site.sections).enumerate() {
            if s.dir.is_empty()
                || s.dir == COLUMNS_DIR
                || crate::site::columns::column_key(&s.dir).is_some()
            {
                continue;
            }
            let template = s.meta.template.as_deref().unwrap_or("section.html");
            let description = s.meta.summary.clone().unwrap_or_default();
            let info = ListInfo {
                name: &s.meta.title,
                description: &description,
                keywords: &s.meta.title,
                column_type: "其他",
            };
            let list = List {
                template,
                base: &section.path,
                items: &section.pages,
                title: &s.meta.title,
                description: &description,
                source: Some(&s.path),
            };
            let value = self.values.sections[si].clone();
            self.list(&list, vec![("section", value)], &[Dep::Section(si)], &info);
        }
    }

    fn columns(&mut self) {
        let site = self.site;
        let c = &site.config;
        let root = site
            .library
            .sections
            .iter()
            .position(|s| s.dir == COLUMNS_DIR);
        let title = root.map_or("专题专栏", |i| {
            site.library.sections[i].meta.title.as_str()
        });
        let info = ListInfo {
            name: title,
            description: "",
            keywords: title,
            column_type: "专题专栏",
        };
        let mut deps: Vec<Dep> = root.map(Dep::Section).into_iter().collect();
        deps.extend((0..site.columns.len()).map(Dep::Column));
        self.single("columns.html", COLUMNS_PATH, &info, Some(None), deps, |p| {
            let section = root.map_or_else(Value::none, |i| p.values.sections[i].clone());
            let (active, past): (Vec<_>, Vec<_>) = site
                .columns
                .iter()
                .zip(&p.values.columns)
                .partition(|(col, _)| !col.ended);
            let values = |list: Vec<(_, &Value)>| {
                Value::from(list.into_iter().map(|(_, v)| v.clone()).collect::<Vec<_>>())
            };
            vec![
                ("section", section),
                ("columns", values(active)),
                ("past_columns", values(past)),
            ]
        });
        for (ci, col) in site.columns.iter().enumerate() {
            let s = &site.library.sections[col.section];
            let description = s.meta.summary.clone().unwrap_or_default();
            let info = ListInfo {
                name: &s.meta.title,
                description: &description,
                keywords: &s.meta.title,
                column_type: "专题专栏",
            };
            let list = List {
                template: "column.html",
                base: &col.path,
                items: &col.posts,
                title: &s.meta.title,
                description: &description,
                source: Some(&s.path),
            };
            let value = self.values.columns[ci].clone();
            self.list(&list, vec![("column", value)], &[Dep::Column(ci)], &info);
            self.feeds(
                &format!("{} - {}", s.meta.title, c.title),
                &description,
                &col.path,
                &col.posts,
            );
        }
    }

    fn archive(&mut self) {
        let site = self.site;
        self.single(
            "archive.html",
            ARCHIVE_PATH,
            &ARCHIVE_INFO,
            Some(None),
            vec![],
            |p| {
                let index = obj([
                    ("kind", "index".into()),
                    ("title", "归档".into()),
                    ("path", ARCHIVE_PATH.into()),
                    ("years", p.values.archive.clone()),
                ]);
                vec![("archive", index)]
            },
        );
        for y in &site.archive {
            self.archive_list(
                "year",
                format!("{}年", y.year),
                y.year,
                None,
                &y.path,
                &y.posts,
            );
            for m in &y.months {
                let title = format!("{}年{}月", m.year, m.month);
                self.archive_list("month", title, m.year, Some(m.month), &m.path, &m.posts);
            }
        }
    }

    /// The paginated list of one archive year or month.
    fn archive_list(
        &mut self,
        kind: &str,
        title: String,
        year: i16,
        month: Option<i8>,
        path: &str,
        posts: &[usize],
    ) {
        let value = obj([
            ("kind", kind.into()),
            ("title", title.as_str().into()),
            ("year", year.into()),
            ("month", month.map_or_else(Value::none, Value::from)),
            ("path", path.into()),
            ("count", posts.len().into()),
            ("years", self.values.archive.clone()),
        ]);
        let info = ListInfo {
            name: &title,
            ..ARCHIVE_INFO
        };
        let list = List {
            template: "archive.html",
            base: path,
            items: posts,
            title: &title,
            description: "",
            source: None,
        };
        self.list(&list, vec![("archive", value)], &[], &info);
    }

    fn site_map_page(&mut self) {
        let site = self.site;
        let listed: Vec<usize> = site
            .library
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                !s.dir.is_empty()
                    && s.dir != COLUMNS_DIR
                    && crate::site::columns::column_key(&s.dir).is_none()
            })
            .map(|(i, _)| i)
            .collect();
        let mut deps: Vec<Dep> = listed.iter().copied().map(Dep::Section).collect();
        deps.extend((0..site.columns.len()).map(Dep::Column));
        let info = ListInfo {
            name: "网站地图",
            description: "",
            keywords: "网站地图",
            column_type: "网站地图",
        };
        self.single(
            "sitemap.html",
            SITEMAP_PAGE_PATH,
            &info,
            Some(None),
            deps,
            |p| {
                let v = p.values;
                let sections = listed
                    .iter()
                    .map(|&i| v.sections[i].clone())
                    .collect::<Vec<_>>();
                vec![
                    ("categories", Value::from(v.category_lists.clone())),
                    ("columns", Value::from(v.columns.clone())),
                    ("years", v.archive.clone()),
                    ("sections", Value::from(sections)),
                    ("tag_count", site.tags.len().into()),
                ]
            },
        );
    }

    fn aliases(&mut self) {
        let site = self.site;
        for (page, info) in site.library.pages.iter().zip(&site.pages) {
            for alias in &page.meta.aliases {
                self.emit(
                    "alias.html",
                    &alias_path(alias),
                    || None,
                    Some(&page.path),
                    vec![],
                    |p| {
                        vec![
                            ("target", p.site.config.absolute(&info.path).into()),
                            ("target_path", info.path.as_str().into()),
                        ]
                    },
                );
            }
        }
    }

    /// `sitemap.xml` listing every page in the map once; past the limit, numbered files and
    /// an index.
    fn sitemaps(&mut self) {
        let c = &self.site.config;
        let mapped = self.jobs.iter().filter(|j| j.sitemap.is_some()).count();
        // The entries of the jobs in the map, from `skip` on, at most `take` of them.
        let entries = |jobs: &[Arc<Job>], skip: usize, take: usize| {
            let entries: Vec<Value> = jobs
                .iter()
                .filter_map(|j| Some((&j.path, j.sitemap.as_ref()?)))
                .skip(skip)
                .take(take)
                .map(|(path, lastmod)| {
                    obj([
                        ("permalink", c.absolute(path).into()),
                        (
                            "lastmod",
                            lastmod.as_deref().map_or_else(Value::none, Value::from),
                        ),
                    ])
                })
                .collect();
            vec![("entries", Value::from(entries))]
        };
        if mapped <= SITEMAP_LIMIT {
            self.emit(
                "sitemap.xml",
                "/sitemap.xml",
                || None,
                None,
                vec![],
                |p| entries(&p.jobs, 0, mapped),
            );
            return;
        }
        let files = mapped.div_ceil(SITEMAP_LIMIT);
        for i in 0..files {
            let path = format!("/sitemap{}.xml", i + 1);
            self.emit(
                "sitemap.xml",
                &path,
                || None,
                None,
                vec![],
                |p| entries(&p.jobs, i * SITEMAP_LIMIT, SITEMAP_LIMIT),
            );
        }
        self.emit(
            "sitemap_index.xml",
            "/sitemap.xml",
            || None,
            None,
            vec![],
            |_| {
                let maps = (1..=files)
                    .map(|i| Value::from(c.absolute(&format!("/sitemap{i}.xml"))))
                    .collect::<Vec<_>>();
                vec![("sitemaps", Value::from(maps))]
            },
        );
    }

    /// Atom and RSS feeds of `posts` at `base` + `atom.xml` / `rss.xml`.
    fn feeds(&mut self, title: &str, description: &str, base: &str, posts: &[usize]) {
        let c = &self.site.config;
        let shown = &posts[..posts.len().min(c.feed_limit)];
        let updated = newest(self.site, posts);
        let mut entries: Option<Value> = None;
        for (template, file) in [("atom.xml", "atom.xml"), ("rss.xml", "rss.xml")] {
            let path = format!("{base}{file}");
            let deps = shown.iter().map(|&i| Dep::Page(i)).collect();
            self.emit(
                template,
                &path,
                || None,
                None,
                deps,
                |p| {
                    let entries = entries
                        .get_or_insert_with(|| {
                            Value::from(
                                shown
                                    .iter()
                                    .map(|&i| p.values.pages[i].clone())
                                    .collect::<Vec<_>>(),
                            )
                        })
                        .clone();
                    let feed = obj([
                        ("title", title.into()),
                        (
                            "description",
                            if description.is_empty() {
                                c.description.as_str().into()
                            } else {
                                description.into()
                            },
                        ),
                        ("path", path.as_str().into()),
                        ("permalink", c.absolute(&path).into()),
                        ("link", c.absolute(base).into()),
                        (
                            "updated",
                            updated.as_deref().map_or_else(Value::none, Value::from),
                        ),
                        ("pages", entries),
                        ("full_content", c.feed_full_content.into()),
                    ]);
                    vec![("feed", feed)]
                },
            );
        }
    }

    /// One unpaginated page.
    fn single(
        &mut self,
        template: &str,
        path: &str,
        info: &ListInfo<'_>,
        sitemap: Option<Option<String>>,
        deps: Vec<Dep>,
        vars: impl FnOnce(&mut Self) -> Vec<(&'static str, Value)>,
    ) {
        self.emit(
            template,
            path,
            || sitemap,
            None,
            deps,
            |p| {
                let mut vars = vars(p);
                vars.push((
                    "meta_tags",
                    p.meta(path, info.name, info.description)
                        .list(info)
                        .into_value(),
                ));
                vars
            },
        );
    }

    /// The pages of a paginated list; each shows `vars` (whose values are `deps`), its
    /// page of the items and its page numbers.
    fn list(
        &mut self,
        list: &List<'_>,
        vars: Vec<(&'static str, Value)>,
        deps: &[Dep],
        info: &ListInfo<'_>,
    ) {
        let items = list.items;
        let per_page = self.site.config.paginate_by;
        // A list none of whose values is new keeps all its previous pages at once.
        let fresh = &self.values.fresh;
        let unchanged =
            !deps.iter().any(|d| d.fresh(fresh)) && !items.iter().any(|&i| fresh.summaries[i]);
        let start = self.jobs.len();
        if let Some(kept) = self
            .previous
            .filter(|_| unchanged)
            .and_then(|p| p.get(start..start + page_count(items.len(), per_page)))
        {
            self.jobs.extend(kept.iter().cloned());
            return;
        }
        let pagers = paginate(list.base, items.len(), per_page);
        let site = self.site;
        let mut lastmod = None;
        // Every page of the list shows the same pager links.
        let mut pager_links: Option<Value> = None;
        for pager in &pagers {
            let mut all = deps.to_vec();
            all.extend(items[pager.range.clone()].iter().map(|&i| Dep::Summary(i)));
            self.emit(
                list.template,
                &pager.path,
                || Some(lastmod.get_or_insert_with(|| newest(site, items)).clone()),
                list.source,
                all,
                |p| {
                    let links = pager_links
                        .get_or_insert_with(|| {
                            let links = Value::from(
                                pagers
                                    .iter()
                                    .map(|p| {
                                        obj([
                                            ("index", p.index.into()),
                                            ("path", p.path.as_str().into()),
                                        ])
                                    })
                                    .collect::<Vec<_>>(),
                            );
                            p.memo.share(&links);
                            links
                        })
                        .clone();
                    let mut vars = vars.clone();
                    vars.push(("paginator", p.paginator(items, pager, &pagers, links)));
                    vars.push((
                        "meta_tags",
                        p.meta(&pager.path, list.title, list.description)
                            .list(info)
                            .into_value(),
                    ));
                    vars
                },
            );
        }
    }

    fn paginator(&self, items: &[usize], pager: &Pager, pagers: &[Pager], links: Value) -> Value {
        let link = |i: usize| {
            pagers
                .get(i.wrapping_sub(1))
                .map_or_else(Value::none, |p| Value::from(p.path.as_str()))
        };
        obj([
            (
                "pages",
                Value::from(
                    items[pager.range.clone()]
                        .iter()
                        .map(|&i| self.values.summaries[i].clone())
                        .collect::<Vec<_>>(),
                ),
            ),
            ("current_index", pager.index.into()),
            ("number_pagers", pagers.len().into()),
            ("total_pages", items.len().into()),
            ("paginate_by", self.site.config.paginate_by.into()),
            ("first", link(1)),
            ("last", link(pagers.len())),
            (
                "previous",
                if pager.index > 1 {
                    link(pager.index - 1)
                } else {
                    Value::none()
                },
            ),
            ("next", link(pager.index + 1)),
            ("pagers", links),
            ("window", window(pager.index, pagers)),
        ])
    }
}

/// A paginated list: its template, where it lives, the pages it lists and what its head
/// tags call it.
struct List<'a> {
    template: &'a str,
    base: &'a str,
    items: &'a [usize],
    title: &'a str,
    description: &'a str,
    /// The content file that describes the list, to name in template errors.
    source: Option<&'a std::path::Path>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(current: usize, count: usize) -> String {
        let pagers = paginate("/l/", count * 10, 10);
        let w = window(current, &pagers);
        w.as_array()
            .unwrap()
            .iter()
            .map(|v| {
                match (
                    v.get_from_path("gap"),
                    v.get_from_path("index"),
                    v.get_from_path("current"),
                ) {
                    (Some(_), _, _) => "…".to_string(),
                    (_, Some(i), Some(c)) if c.as_bool() == Some(true) => format!("[{i}]"),
                    (_, Some(i), _) => i.to_string(),
                    _ => unreachable!(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn page_numbers_show_the_ends_and_the_neighbourhood() {
        assert_eq!(shown(1, 1), "[1]");
        assert_eq!(shown(1, 3), "[1] 2 3");
        assert_eq!(shown(5, 100), "1 … 3 4 [5] 6 7 … 100");
        assert_eq!(shown(100, 100), "1 … 98 99 [100]");
        assert_eq!(shown(3, 6), "1 2 [3] 4 5 6");
    }
}
