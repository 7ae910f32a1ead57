//! Runs the stages in order — config, content, site model, Markdown, render — and hands back
//! the outputs in memory. `build` writes them; `serve` and `check` drive the same stages.

use std::path::PathBuf;
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
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    /// "Today": decides which feature columns have ended.
    pub now: jiff::Timestamp,
}

/// A rendered site, still in memory.
pub struct Built {
    pub outputs: Vec<Output>,
    pub warnings: Vec<Diagnostic>,
    /// Time spent in each stage.
    pub timings: Vec<(&'static str, Duration)>,
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
/// back with the result.
pub fn run(options: &Options) -> Result<Built, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let library = crate::content::load(&config.content_dir(), &config.tz, options.drafts)?;
    let warnings = library.warnings.clone();
    lap("load");
    let site = Site::build(config, library, options.now)?;
    lap("model");
    let markdown = crate::markdown::render_site(&site)?;
    lap("markdown");
    let outputs = crate::render::render_site(&site, &markdown)?;
    lap("render");
    Ok(Built {
        outputs,
        warnings,
        timings,
    })
}
