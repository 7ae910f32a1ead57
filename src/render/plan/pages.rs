//! The jobs of pages — posts with their head tags, plain pages — and of the redirects from
//! their old URLs.

use tera::Value;

use super::{Dep, Planner};
use crate::render::meta::{ArticleInfo, ListInfo, Meta};
use crate::render::values::rfc3339;
use crate::site::{alias_path, category_path};

impl Planner<'_> {
    pub(super) fn page(&mut self, i: usize, template: &str) {
        let site = self.site;
        let page = &site.library.pages[i];
        let info = &site.pages[i];
        let lastmod = || {
            if !site.is_public(i) {
                return None;
            }
            let changed = page.meta.updated.as_ref().or(page.meta.date.as_ref());
            Some(changed.map(rfc3339))
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
    pub(super) fn page_vars(&self, i: usize) -> Vec<(&'static str, Value)> {
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
        let image = text("share_image");
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

    pub(super) fn aliases(&mut self) {
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
}
