//! Lists every templated output of the site — pages, paginated lists, archives, columns,
//! feeds, site maps, redirects — with its template, site path, context and head tags.
//!
//! Each job names the values of pages, sections and columns its context shows. Planning again
//! under the same model (`zhen serve` after a post's text changed), a job none of whose values
//! was built anew is the previous build's job, kept without building its context.

mod feeds;
mod lists;
mod pages;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use tera::Value;

use super::fingerprint::Memo;
use super::meta::{ListInfo, Meta};
use super::values::{Fresh, Values};
use crate::site::tags::TAGS_PATH;
use crate::site::{SEARCH_PAGE_PATH, Site, category_path};
use lists::List;

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
}
