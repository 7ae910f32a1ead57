//! The site as served: the last good build in memory, the error of the last failed rebuild,
//! and what the last rebuild did. Rebuilding drives the same pipeline as `zhen build`, with
//! caches so that only what changed is redone.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::broadcast;

use super::watch::Changes;
use crate::output::Body;
use crate::pipeline::{self, Cache, Options};

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: swap them.
    Css,
    /// The rebuild failed: show this message over the page.
    Error(String),
}

/// What the last rebuild did, for the log line and `/__zhen/status`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Status {
    /// Rebuilds finished since start (the first build counts).
    pub builds: u64,
    pub changed: Vec<String>,
    /// Content files read from disk.
    pub files_read: usize,
    /// Pages and sections whose Markdown was rendered.
    pub markdown_rendered: usize,
    /// Outputs rendered from templates (the others were unchanged).
    pub outputs_rendered: usize,
    pub outputs: usize,
    pub millis: f64,
    /// Milliseconds per stage (load, model, markdown, render).
    pub stages: Vec<(String, f64)>,
    /// The error of the last rebuild, when it failed (the last good site is still served).
    pub error: Option<String>,
}

/// Everything the HTTP handlers and the rebuild loop share.
pub struct Shared {
    /// Output path (`theory/index.html`) -> bytes.
    pub files: RwLock<Arc<HashMap<String, Body>>>,
    pub status: RwLock<Status>,
    pub events: broadcast::Sender<Event>,
}

impl Shared {
    pub fn new() -> Arc<Shared> {
        Arc::new(Shared {
            files: RwLock::new(Arc::new(HashMap::new())),
            status: RwLock::new(Status::default()),
            events: broadcast::channel(16).0,
        })
    }

    /// The current site.
    pub fn files(&self) -> Arc<HashMap<String, Body>> {
        self.files.read().map(|f| f.clone()).unwrap_or_default()
    }

    pub fn status(&self) -> Status {
        self.status.read().map(|s| s.clone()).unwrap_or_default()
    }
}

/// Rebuilds after `changes` (everything on the first build or when site.toml changed),
/// publishes the result and tells the browsers. Returns the log line.
pub fn rebuild(shared: &Shared, options: &Options, cache: &mut Cache, changes: &Changes) -> String {
    let start = Instant::now();
    if changes.config_changed() {
        *cache = Cache::default();
    }
    let result = pipeline::run(options, Some(cache));
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    let changed: Vec<String> = changes
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut status = shared.status();
    status.builds += 1;
    status.changed = changed.clone();
    status.millis = millis;
    let what = if changed.is_empty() {
        "首次生成".to_string()
    } else {
        format!("变更：{}", changed.join("、"))
    };
    let (line, event) = match result {
        Ok(built) => {
            status.error = None;
            status.files_read = cache.files.reads;
            status.markdown_rendered = cache.markdown.renders;
            status.outputs_rendered = cache.render.renders;
            status.outputs = built.outputs.len();
            status.stages = built
                .timings
                .iter()
                .map(|(n, d)| (n.to_string(), d.as_secs_f64() * 1000.0))
                .collect();
            let files = built
                .outputs
                .into_iter()
                .map(|o| (o.path, o.body))
                .collect();
            if let Ok(mut f) = shared.files.write() {
                *f = Arc::new(files);
            }
            crate::cmd::report(&built.warnings);
            let line = format!(
                "{what} → 重新渲染 {} 个输出（Markdown {} 篇），用时 {millis:.1} 毫秒",
                status.outputs_rendered, status.markdown_rendered
            );
            (
                line,
                if changes.only_css() {
                    Event::Css
                } else {
                    Event::Reload
                },
            )
        }
        Err(errors) => {
            crate::cmd::report(&errors);
            let text = errors
                .iter()
                .map(|d| d.render(false))
                .collect::<Vec<_>>()
                .join("\n\n");
            status.error = Some(text.clone());
            (
                format!(
                    "{what} → 生成失败（{} 个错误），继续显示上一次的网站",
                    errors.len()
                ),
                Event::Error(text),
            )
        }
    };
    if let Ok(mut s) = shared.status.write() {
        *s = status;
    }
    // Nobody listening is fine.
    let _ = shared.events.send(event);
    line
}
