//! Runs the stages in order — config, content, site model, Markdown, render, search index — and
//! hands back the outputs in memory. `build` writes them; `serve` and `check` drive the same stages.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::site::Site;

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub drafts: bool,
    /// Also pages dated after `now` (scheduled posts), which are otherwise held back.
    pub future: bool,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    /// "Today": decides which feature columns have ended.
    pub now: jiff::Timestamp,
    /// Leave the search index to the caller: `Built::search` then holds what to index
    /// (`zhen serve` indexes in the background so that pages reload at once).
    pub defer_search: bool,
    /// Leave the variants of photos not yet in the image cache to the caller: they are
    /// published as the originals and listed in `Built::pending_images` (`zhen serve` makes
    /// them in the background so that a new photo shows at once).
    pub defer_images: bool,
}

impl Options {
    /// A whole build of the site at `root` as `zhen build` makes it by default: published
    /// posts only, the site's own base_url, everything done before returning. Callers change
    /// the fields that differ (`Options { future: true, ..Options::new(root, now) }`).
    pub fn new(root: PathBuf, now: jiff::Timestamp) -> Options {
        Options {
            root,
            drafts: false,
            future: false,
            base_url: None,
            now,
            defer_search: false,
            defer_images: false,
        }
    }
}

/// What `zhen serve` keeps between builds so that a rebuild redoes only what changed (and
/// `zhen build` keeps on disk, `cache/`).
#[derive(Default)]
pub struct Cache {
    pub files: crate::content::FileCache,
    /// The site of the last run whose model was built.
    pub site: Option<Site>,
    /// Whether the last run kept the model of the run before (only Markdown text, titles and
    /// the like changed).
    pub model_kept: bool,
    pub markdown: crate::markdown::MdCache,
    pub render: crate::render::RenderCache,
    /// What the content checks read of each page, for pages whose bytes are the same.
    pub scans: crate::check::html::Scans,
    /// Whether the image stage may remove the variants no output uses from its disk cache
    /// (a build's outputs are the whole site; serve keeps its variants while it runs).
    pub prune_images: bool,
}

/// A rendered site, still in memory.
pub struct Built {
    pub outputs: Vec<Output>,
    /// The model the outputs were made from (`zhen check` reads it).
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
    /// Time spent in each stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// With `Options::defer_search`, the pages still to index (None when search is off).
    pub search: Option<crate::search::Input>,
    /// With `Options::defer_images`, the pictures whose variants are still to make.
    pub pending_images: Vec<std::sync::Arc<crate::images::Picture>>,
}

impl Built {
    /// How many HTML pages the site has.
    pub fn page_count(&self) -> usize {
        self.outputs
            .iter()
            .filter(|o| o.path.ends_with(".html"))
            .count()
    }
}

/// Loads and renders the site at `options.root`. Every error found is returned; warnings come
/// back with the result. With a `cache` (serve), only what changed since the last run is read,
/// rendered from Markdown and rendered from templates.
pub fn run(options: &Options, mut cache: Option<&mut Cache>) -> Result<Built, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    if let Some(c) = cache.as_deref_mut() {
        // Only Markdown files changed: every image is as it was.
        c.markdown.images_unchanged = c.files.changed.as_ref().is_some_and(|paths| {
            paths
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "md"))
        });
    }
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        crate::config::check_base_url(url).map_err(|why| {
            vec![
                Diagnostic::error(format!(
                    "命令行参数 --base-url \"{}\" 不是有效的网址：{why}",
                    url.escape_debug()
                ))
                .help(crate::config::BASE_URL_HELP.replace("base_url = ", "--base-url ")),
            ]
        })?;
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let library = crate::content::load(
        &config.content_dir(),
        &config.tz,
        options.drafts,
        (!options.future).then_some(options.now),
        cache.as_deref_mut().map(|c| &mut c.files),
    )?;
    let mut warnings = library.warnings.clone();
    warnings.extend(crate::render::theme::skipped_links(
        &config.root,
        &config.theme,
    ));
    lap("load");
    let previous = cache.as_deref_mut().and_then(|c| c.site.take());
    let site = Site::build(config, library, options.now, previous.as_ref());
    if let Some(c) = cache.as_deref_mut() {
        c.model_kept =
            matches!((&site, &previous), (Ok(s), Some(p)) if Arc::ptr_eq(&s.model, &p.model));
        // A failed build keeps the last good model to compare the next one with.
        c.site = site.as_ref().ok().cloned().or(previous);
    }
    let site = site?;
    lap("model");
    let images = crate::images::Images::new(&site.config.root, &site.config.images)
        .deferring(options.defer_images);
    let markdown = crate::markdown::render_site(
        &site,
        &images,
        cache.as_deref_mut().map(|c| &mut c.markdown),
    )?;
    warnings.extend(markdown.warnings().cloned());
    let mut site = site;
    if cache.is_none() {
        site.library.forget_bodies();
    }
    lap("markdown");
    let prune = cache.as_ref().is_none_or(|c| c.prune_images);
    let mut outputs = crate::render::render_site(&site, &markdown, cache.map(|c| &mut c.render))?;
    lap("render");
    let pending_images =
        crate::images::site::publish(&images, &site, &markdown, &mut outputs, prune)?;
    lap("images");
    let mut search = if site.config.search.enabled {
        // The index reads every page, the ones kept from the last build too.
        crate::search::input(&site, &crate::output::read_previous(&outputs)?)
    } else {
        None
    };
    if let Some(input) = &mut search {
        warnings.append(&mut input.warnings);
    }
    if !options.defer_search
        && let Some(input) = search.take()
    {
        let bundle = crate::search::index(&input);
        outputs.extend(bundle.files);
        warnings.extend(bundle.warning);
        lap("search");
    }
    Ok(Built {
        outputs,
        site,
        warnings,
        timings,
        search,
        pending_images,
    })
}
