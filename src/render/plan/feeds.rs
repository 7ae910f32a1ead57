//! The jobs of feeds (Atom and RSS: site-wide, per category, per column) and of sitemap.xml.

use std::sync::Arc;

use tera::Value;

use super::{Dep, Job, Planner, newest};
use crate::render::values::obj;

/// URLs per sitemap file (the sitemaps.org limit); past it, sitemap.xml becomes an index.
const SITEMAP_LIMIT: usize = 50_000;

impl Planner<'_> {
    /// `sitemap.xml` listing every page in the map once; past the limit, numbered files and
    /// an index.
    pub(super) fn sitemaps(&mut self) {
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
    pub(super) fn feeds(&mut self, title: &str, description: &str, base: &str, posts: &[usize]) {
        let c = &self.site.config;
        let public: Vec<usize> = posts
            .iter()
            .copied()
            .filter(|&i| self.site.is_public(i))
            .take(c.feed_limit)
            .collect();
        let shown = public.as_slice();
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
}
