//! The jobs of lists: the one-page home, the paginated category, tag, section, column and
//! archive lists, and one-page lists (tags, columns, archive index, site map, search, 404).

use tera::Value;

use super::{Dep, Planner, newest};
use crate::content::Section;
use crate::render::meta::ListInfo;
use crate::render::values::obj;
use crate::site::SITEMAP_PAGE_PATH;
use crate::site::archive::ARCHIVE_PATH;
use crate::site::columns::{COLUMNS_DIR, COLUMNS_PATH};
use crate::site::paginate::{Pager, page_count, paginate};

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

/// How many posts of the home order the home page's template is given: enough for 头条,
/// 要闻 and four pictures for 图片新闻.
const HOME_ITEMS: usize = 40;

/// The page tags of archive pages.
const ARCHIVE_INFO: ListInfo<'static> = ListInfo {
    name: "归档",
    description: "",
    keywords: "归档",
    column_type: "归档",
};

impl Planner<'_> {
    /// The home page: one page, as portals have, whose `paginator` holds the first
    /// `HOME_ITEMS` posts of the home order (pinned first); older posts are reached through
    /// the category lists and the archive, so there is no `/page/N/` under `/`. `this_year`
    /// (the build's year in the site's zone) lets the template leave the year out of dates.
    pub(super) fn home(&mut self) {
        let site = self.site;
        let c = &site.config;
        let root = site.library.sections.iter().position(|s| s.dir.is_empty());
        let info = ListInfo {
            name: "首页",
            description: &c.description,
            keywords: &c.title,
            column_type: "首页",
        };
        let items = &site.home;
        let pager = Pager {
            index: 1,
            path: "/".into(),
            range: 0..items.len().min(HOME_ITEMS),
        };
        let mut deps: Vec<Dep> = root.map(Dep::Section).into_iter().collect();
        deps.extend(items[pager.range.clone()].iter().map(|&i| Dep::Summary(i)));
        self.emit(
            "index.html",
            "/",
            || Some(newest(site, items)),
            None,
            deps,
            |p| {
                let section = root.map_or_else(Value::none, |i| p.values.sections[i].clone());
                let pagers = std::slice::from_ref(&pager);
                let links = Value::from(vec![obj([("index", 1.into()), ("path", "/".into())])]);
                // The year the lists' dates leave out (`11-28` this year, `2025-12-30` before).
                let this_year = jiff::Timestamp::now()
                    .to_zoned_datetime(c.tz.clone())
                    .year();
                vec![
                    ("section", section),
                    ("this_year", this_year.into()),
                    ("paginator", p.paginator(items, &pager, pagers, links)),
                    (
                        "meta_tags",
                        p.meta("/", &c.title, &c.description)
                            .list(&info)
                            .into_value(),
                    ),
                ]
            },
        );
    }

    pub(super) fn sections(&mut self) {
        let site = self.site;
        for (si, (s, section)) in site.library.sections.iter().zip(&site.sections).enumerate() {
            if s.dir.is_empty()
                || s.dir == COLUMNS_DIR
                || crate::site::columns::column_key(&s.dir).is_some()
            {
                continue;
            }
            let template = s.meta.template.as_deref().unwrap_or("section.html");
            let value = ("section", self.values.sections[si].clone());
            let list = (template, section.path.as_str(), section.pages.as_slice());
            self.section_list(s, list, "其他", value, Dep::Section(si));
        }
    }

    pub(super) fn columns(&mut self) {
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
            let value = ("column", self.values.columns[ci].clone());
            let list = ("column.html", col.path.as_str(), col.posts.as_slice());
            self.section_list(s, list, "专题专栏", value, Dep::Column(ci));
            let description = s.meta.summary.clone().unwrap_or_default();
            self.feeds(
                &format!("{} - {}", s.meta.title, c.title),
                &description,
                &col.path,
                &col.posts,
            );
        }
    }

    /// The paginated list a section's `_index.md` describes (a plain section or a feature
    /// column): `list` is its template, base path and items; `var` its value in the context,
    /// which `dep` names.
    fn section_list(
        &mut self,
        s: &Section,
        (template, base, items): (&str, &str, &[usize]),
        column_type: &str,
        var: (&'static str, Value),
        dep: Dep,
    ) {
        let description = s.meta.summary.clone().unwrap_or_default();
        let info = ListInfo {
            name: &s.meta.title,
            description: &description,
            keywords: &s.meta.title,
            column_type,
        };
        let list = List {
            template,
            base,
            items,
            title: &s.meta.title,
            description: &description,
            source: Some(&s.path),
        };
        self.list(&list, vec![var], &[dep], &info);
    }

    pub(super) fn archive(&mut self) {
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
    pub(super) fn archive_list(
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

    pub(super) fn site_map_page(&mut self) {
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

    /// One unpaginated page.
    pub(super) fn single(
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
    pub(super) fn list(
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

    pub(super) fn paginator(
        &self,
        items: &[usize],
        pager: &Pager,
        pagers: &[Pager],
        links: Value,
    ) -> Value {
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
pub(super) struct List<'a> {
    pub(super) template: &'a str,
    pub(super) base: &'a str,
    pub(super) items: &'a [usize],
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    /// The content file that describes the list, to name in template errors.
    pub(super) source: Option<&'a std::path::Path>,
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
