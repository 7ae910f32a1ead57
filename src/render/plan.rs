//! Lists every templated output of the site — pages, paginated lists, archives, columns,
//! feeds, site maps, redirects — with its template, site path, context and head tags.

use tera::Value;

use super::fingerprint::Memo;
use super::meta::{ArticleInfo, ListInfo, Meta};
use super::values::{Values, obj};
use crate::site::archive::ARCHIVE_PATH;
use crate::site::columns::{COLUMNS_DIR, COLUMNS_PATH};
use crate::site::paginate::{Pager, paginate};
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

/// One output to render.
pub struct Job {
    pub template: String,
    /// Site path (`/theory/`, `/atom.xml`).
    pub path: String,
    /// Context variables besides the globals.
    pub vars: Vec<(&'static str, Value)>,
    /// When the page last changed (RFC 3339), for sitemap.xml; None keeps it out of the map.
    pub sitemap: Option<Option<String>>,
    /// The content file the page comes from, to name in template errors.
    pub source: Option<std::path::PathBuf>,
}

/// Builds the job list of a site.
pub struct Planner<'a> {
    site: &'a Site,
    values: &'a Values,
    /// Values many jobs share are hashed once into it.
    memo: &'a mut Memo,
    pub jobs: Vec<Job>,
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
    pub fn new(site: &'a Site, values: &'a Values, memo: &'a mut Memo) -> Self {
        Planner {
            site,
            values,
            memo,
            jobs: Vec::new(),
        }
    }

    /// Every output of the site.
    pub fn plan(mut self) -> Vec<Job> {
        let site = self.site;
        let c = &site.config;
        self.home();
        for (i, page) in site.library.pages.iter().enumerate() {
            self.page(
                i,
                page.meta
                    .template
                    .clone()
                    .unwrap_or_else(|| "page.html".into()),
            );
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
            let value = self.values.category_lists[ci].clone();
            self.list(
                "category.html",
                &base,
                posts,
                vec![("category", value.clone())],
                &info,
                &cat.name,
                &cat.description,
            );
            self.feeds(
                &format!("{} - {}", cat.name, c.title),
                &cat.description,
                &base,
                posts,
            );
        }
        let tags = Value::from(self.values.tags.clone());
        self.single(
            "tags.html",
            TAGS_PATH,
            vec![("tags", tags)],
            &ListInfo {
                name: "标签",
                description: "全部标签",
                keywords: "标签",
                column_type: "标签",
            },
            Some(None),
        );
        for (ti, tag) in site.tags.iter().enumerate() {
            let keywords = tag.name.clone();
            let info = ListInfo {
                name: &tag.name,
                description: "",
                keywords: &keywords,
                column_type: "标签",
            };
            self.list(
                "tag.html",
                &tag.path,
                &tag.posts,
                vec![("tag", self.values.tags[ti].clone())],
                &info,
                &tag.name,
                "",
            );
        }
        self.sections();
        self.columns();
        self.archive();
        self.feeds(&c.title, &c.description, "/", &site.posts);
        self.site_map_page();
        if c.search.enabled {
            self.search_page();
        }
        self.single(
            "404.html",
            "/404.html",
            vec![],
            &ListInfo {
                name: "页面不存在",
                description: "",
                keywords: "",
                column_type: "其他",
            },
            None,
        );
        self.jobs.push(Job {
            template: "robots.txt".into(),
            path: "/robots.txt".into(),
            vars: vec![],
            sitemap: None,
            source: None,
        });
        self.aliases();
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
        self.list(
            "index.html",
            "/",
            &site.home,
            vec![("section", section)],
            &info,
            &c.title,
            &c.description,
        );
    }

    fn page(&mut self, i: usize, template: String) {
        let site = self.site;
        let c = &site.config;
        let page = &site.library.pages[i];
        let info = &site.pages[i];
        let value = self.values.pages[i].clone();
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
        let mut vars = vec![("page", value)];
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
        let lastmod = page
            .meta
            .updated
            .as_ref()
            .or(page.meta.date.as_ref())
            .map(super::values::rfc3339);
        self.jobs.push(Job {
            template,
            path: info.path.clone(),
            vars,
            sitemap: Some(lastmod),
            source: Some(page.path.clone()),
        });
    }

    fn sections(&mut self) {
        let site = self.site;
        for (si, (s, info)) in site.library.sections.iter().zip(&site.sections).enumerate() {
            if s.dir.is_empty()
                || s.dir == COLUMNS_DIR
                || crate::site::columns::column_key(&s.dir).is_some()
            {
                continue;
            }
            let template = s
                .meta
                .template
                .clone()
                .unwrap_or_else(|| "section.html".into());
            let description = s.meta.summary.clone().unwrap_or_default();
            let list = ListInfo {
                name: &s.meta.title,
                description: &description,
                keywords: &s.meta.title,
                column_type: "其他",
            };
            let before = self.jobs.len();
            self.list(
                &template,
                &info.path,
                &info.pages,
                vec![("section", self.values.sections[si].clone())],
                &list,
                &s.meta.title,
                &description,
            );
            for job in &mut self.jobs[before..] {
                job.source = Some(s.path.clone());
            }
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
        let section = root.map_or_else(Value::none, |i| self.values.sections[i].clone());
        let (active, past): (Vec<Value>, Vec<Value>) = {
            let (a, p): (Vec<_>, Vec<_>) = site
                .columns
                .iter()
                .zip(&self.values.columns)
                .partition(|(col, _)| !col.ended);
            (
                a.into_iter().map(|(_, v)| v.clone()).collect(),
                p.into_iter().map(|(_, v)| v.clone()).collect(),
            )
        };
        let title = root.map_or("专题专栏", |i| {
            site.library.sections[i].meta.title.as_str()
        });
        self.single(
            "columns.html",
            COLUMNS_PATH,
            vec![
                ("section", section),
                ("columns", Value::from(active)),
                ("past_columns", Value::from(past)),
            ],
            &ListInfo {
                name: title,
                description: "",
                keywords: title,
                column_type: "专题专栏",
            },
            Some(None),
        );
        for (col, value) in site.columns.iter().zip(&self.values.columns) {
            let s = &site.library.sections[col.section];
            let description = s.meta.summary.clone().unwrap_or_default();
            let info = ListInfo {
                name: &s.meta.title,
                description: &description,
                keywords: &s.meta.title,
                column_type: "专题专栏",
            };
            let before = self.jobs.len();
            self.list(
                "column.html",
                &col.path,
                &col.posts,
                vec![("column", value.clone())],
                &info,
                &s.meta.title,
                &description,
            );
            for job in &mut self.jobs[before..] {
                job.source = Some(s.path.clone());
            }
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
        let index = obj([
            ("kind", "index".into()),
            ("title", "归档".into()),
            ("path", ARCHIVE_PATH.into()),
            ("years", self.values.archive.clone()),
        ]);
        self.single(
            "archive.html",
            ARCHIVE_PATH,
            vec![("archive", index)],
            &ARCHIVE_INFO,
            Some(None),
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
        self.list(
            "archive.html",
            path,
            posts,
            vec![("archive", value)],
            &info,
            &title,
            "",
        );
    }

    fn site_map_page(&mut self) {
        let v = self.values;
        let sections: Vec<Value> = self
            .site
            .library
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                !s.dir.is_empty()
                    && s.dir != COLUMNS_DIR
                    && crate::site::columns::column_key(&s.dir).is_none()
            })
            .map(|(i, _)| v.sections[i].clone())
            .collect();
        let vars = vec![
            ("categories", Value::from(v.category_lists.clone())),
            ("columns", Value::from(v.columns.clone())),
            ("years", v.archive.clone()),
            ("sections", Value::from(sections)),
            ("tag_count", self.site.tags.len().into()),
        ];
        self.single(
            "sitemap.html",
            SITEMAP_PAGE_PATH,
            vars,
            &ListInfo {
                name: "网站地图",
                description: "",
                keywords: "网站地图",
                column_type: "网站地图",
            },
            Some(None),
        );
    }

    /// The search page: its form offers the categories, columns and years to filter by.
    fn search_page(&mut self) {
        self.single(
            "search.html",
            SEARCH_PAGE_PATH,
            vec![("years", self.values.archive.clone())],
            &ListInfo {
                name: "站内搜索",
                description: "",
                keywords: "搜索",
                column_type: "搜索",
            },
            Some(None),
        );
    }

    fn aliases(&mut self) {
        for (page, info) in self.site.library.pages.iter().zip(&self.site.pages) {
            for alias in &page.meta.aliases {
                let target = self.site.config.absolute(&info.path);
                self.jobs.push(Job {
                    template: "alias.html".into(),
                    path: alias_path(alias),
                    vars: vec![
                        ("target", target.into()),
                        ("target_path", info.path.as_str().into()),
                    ],
                    sitemap: None,
                    source: Some(page.path.clone()),
                });
            }
        }
    }

    /// Atom and RSS feeds of `posts` at `base` + `atom.xml` / `rss.xml`.
    fn feeds(&mut self, title: &str, description: &str, base: &str, posts: &[usize]) {
        let c = &self.site.config;
        let entries: Vec<Value> = posts
            .iter()
            .take(c.feed_limit)
            .map(|&i| self.values.pages[i].clone())
            .collect();
        let entries = Value::from(entries);
        for (template, file) in [("atom.xml", "atom.xml"), ("rss.xml", "rss.xml")] {
            let path = format!("{base}{file}");
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
                    newest(self.site, posts).map_or_else(Value::none, Value::from),
                ),
                ("pages", entries.clone()),
                ("full_content", c.feed_full_content.into()),
            ]);
            self.jobs.push(Job {
                template: template.into(),
                path,
                vars: vec![("feed", feed)],
                sitemap: None,
                source: None,
            });
        }
    }

    /// One unpaginated page.
    fn single(
        &mut self,
        template: &str,
        path: &str,
        mut vars: Vec<(&'static str, Value)>,
        info: &ListInfo<'_>,
        sitemap: Option<Option<String>>,
    ) {
        vars.push((
            "meta_tags",
            self.meta(path, info.name, info.description)
                .list(info)
                .into_value(),
        ));
        self.jobs.push(Job {
            template: template.into(),
            path: path.into(),
            vars,
            sitemap,
            source: None,
        });
    }

    /// The pages of a paginated list of `items` at `base`.
    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        template: &str,
        base: &str,
        items: &[usize],
        vars: Vec<(&'static str, Value)>,
        info: &ListInfo<'_>,
        title: &str,
        description: &str,
    ) {
        let pagers = paginate(base, items.len(), self.site.config.paginate_by);
        let lastmod = newest(self.site, items);
        let pager_links = Value::from(
            pagers
                .iter()
                .map(|p| obj([("index", p.index.into()), ("path", p.path.as_str().into())]))
                .collect::<Vec<_>>(),
        );
        // Every page of the list shows the same pager links.
        self.memo.share(&pager_links);
        for pager in &pagers {
            let mut vars = vars.clone();
            vars.push((
                "paginator",
                self.paginator(items, pager, &pagers, &pager_links),
            ));
            vars.push((
                "meta_tags",
                self.meta(&pager.path, title, description)
                    .list(info)
                    .into_value(),
            ));
            self.jobs.push(Job {
                template: template.into(),
                path: pager.path.clone(),
                vars,
                sitemap: Some(lastmod.clone()),
                source: None,
            });
        }
    }

    fn paginator(&self, items: &[usize], pager: &Pager, pagers: &[Pager], links: &Value) -> Value {
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
            ("pagers", links.clone()),
            ("window", window(pager.index, pagers)),
        ])
    }
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
