//! The site as served: the last good build in memory, the error of the last failed rebuild,
//! and what the last rebuild did. Rebuilding drives the same pipeline as `zhen build`, with
//! caches so that only what changed is redone; the search index follows in the background.

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::{broadcast, watch};

use super::indexer::Indexer;
use super::photos::Photos;
use super::watch::Changes;
use super::watermark::Marks;
use crate::output::{Body, Output};
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
    /// Whether the site model (URLs, lists, archive) was kept from the last rebuild.
    pub model_kept: bool,
    /// Pages and sections whose Markdown was rendered.
    pub markdown_rendered: usize,
    /// Outputs rendered from templates (the others were unchanged).
    pub outputs_rendered: usize,
    pub outputs: usize,
    /// Milliseconds from the start of the rebuild to the new site being served.
    pub millis: f64,
    /// Milliseconds per stage (load, model, markdown, render, publish).
    pub stages: Vec<(String, f64)>,
    /// The error of the last rebuild, when it failed (the last good site is still served).
    pub error: Option<String>,
    /// The served search index is older than the served pages; the new one is being built.
    pub index_pending: bool,
    /// Search indexes swapped in since start.
    pub index_builds: u64,
    /// Pages in the served search index.
    pub index_pages: usize,
    /// Files of the served search index (besides `outputs`).
    pub index_files: usize,
    /// Milliseconds the last search index took (in the background, after the pages).
    pub index_millis: f64,
}

/// Output path (`theory/index.html`) -> bytes.
pub type Files = rustc_hash::FxHashMap<String, Body>;

/// A published site: its files, its search index (swapped in on its own, when ready) and the
/// pages to watermark.
#[derive(Default, Clone)]
pub struct Served {
    files: Arc<Files>,
    index: Arc<Files>,
    /// Pages of posts that lack reviews, with what they lack.
    pub marks: Arc<Marks>,
}

impl Served {
    /// The file at an output path (`theory/index.html`, `search-index/meta.json`).
    pub fn get(&self, path: &str) -> Option<&Body> {
        self.files.get(path).or_else(|| self.index.get(path))
    }
}

/// The served site and how many sites were published before it.
#[derive(Default)]
struct Published {
    generation: u64,
    served: Served,
}

/// Everything the HTTP handlers and the rebuild loop share.
pub struct Shared {
    published: RwLock<Published>,
    pub status: RwLock<Status>,
    pub events: broadcast::Sender<Event>,
    /// Set at Ctrl-C: the event streams end, so that the server can stop.
    pub stopping: watch::Sender<bool>,
}

impl Shared {
    pub fn new() -> Arc<Shared> {
        Arc::new(Shared {
            published: RwLock::new(Published::default()),
            status: RwLock::new(Status::default()),
            events: broadcast::channel(16).0,
            stopping: watch::channel(false).0,
        })
    }

    /// The current site.
    pub fn served(&self) -> Served {
        self.published
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .served
            .clone()
    }

    /// Whether a build ever succeeded (else there is no site to show, only its errors).
    pub fn has_site(&self) -> bool {
        self.published
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .generation
            > 0
    }

    /// Serves `files` (watermarking `marks`) from now on; with `keep_index`, the previous
    /// search index stays served until the new one is swapped in. Returns the site's
    /// generation.
    fn publish(&self, files: Files, marks: Marks, keep_index: bool) -> u64 {
        let mut published = self
            .published
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let index = if keep_index {
            published.served.index.clone()
        } else {
            Arc::default()
        };
        published.generation += 1;
        published.served = Served {
            files: Arc::new(files),
            index,
            marks: Arc::new(marks),
        };
        published.generation
    }

    /// Replaces the search index with `index`, built from the site published as
    /// `generation`, unless a newer site was published since (its own index follows).
    pub fn swap_index(
        &self,
        generation: u64,
        index: Vec<Output>,
        pages: usize,
        millis: f64,
    ) -> bool {
        {
            let mut published = self
                .published
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            if published.generation != generation {
                return false;
            }
            let count = index.len();
            published.served.index =
                Arc::new(index.into_iter().map(|o| (o.path, o.body)).collect());
            // Still under the lock, so that a newer site's status is never overwritten.
            let mut s = self.status.write().unwrap_or_else(PoisonError::into_inner);
            s.index_files = count;
            s.index_pending = false;
            s.index_builds += 1;
            s.index_pages = pages;
            s.index_millis = millis;
        }
        true
    }

    pub fn status(&self) -> Status {
        self.status
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// What runs beside the rebuilds: the search indexer and the maker of photo variants.
pub struct Background {
    pub indexer: Indexer,
    pub photos: Photos,
}

/// [`rebuild`], surviving a panic in any stage: it is reported like a failed rebuild, as an
/// internal error, and the caches are thrown away (they may be half updated), so that the
/// next rebuild starts afresh.
pub fn rebuild_safely(
    shared: &Shared,
    background: &Background,
    options: &Options,
    cache: &mut Cache,
    changes: &Changes,
) -> String {
    guarded(shared, cache, changes, |cache| {
        rebuild(shared, background, options, cache, changes)
    })
}

/// Runs `rebuild` on `cache`; a panic is recorded as the failure of the rebuild after
/// `changes`, and `cache` is reset.
fn guarded(
    shared: &Shared,
    cache: &mut Cache,
    changes: &Changes,
    rebuild: impl FnOnce(&mut Cache) -> String,
) -> String {
    let start = Instant::now();
    match super::panic::catch(|| rebuild(&mut *cache)) {
        Ok(line) => line,
        Err(message) => {
            *cache = Cache::default();
            crate::cmd::report(&[crate::diagnostics::Diagnostic::error(message.clone())]);
            let mut s = shared
                .status
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            s.builds += 1;
            s.changed = changed(changes);
            s.millis = start.elapsed().as_secs_f64() * 1000.0;
            s.error = Some(message.clone());
            drop(s);
            let _ = shared.events.send(Event::Error(message));
            format!("{} → zhen 内部错误，{}", what(changes), kept(shared))
        }
    }
}

/// The changed paths, as the status shows them.
fn changed(changes: &Changes) -> Vec<String> {
    changes
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

/// What a rebuild was for, in its log line.
fn what(changes: &Changes) -> String {
    if changes.paths.is_empty() {
        "首次生成".to_string()
    } else {
        format!("变更：{}", changed(changes).join("、"))
    }
}

/// What the browser shows after a failed rebuild, in its log line.
fn kept(shared: &Shared) -> &'static str {
    if shared.has_site() {
        "继续显示上一次的网站"
    } else {
        "还没有可以显示的网站：浏览器里显示这些错误，改正并保存后自动刷新"
    }
}

/// Rebuilds after `changes` (everything on the first build or when site.toml changed),
/// publishes the result and tells the browsers. Returns the log line.
fn rebuild(
    shared: &Shared,
    background: &Background,
    options: &Options,
    cache: &mut Cache,
    changes: &Changes,
) -> String {
    let start = Instant::now();
    if changes.config_changed() {
        *cache = Cache::default();
    } else if !changes.paths.is_empty() {
        // The loader then re-reads just these files, unless the set of files changed.
        cache.files.changed = Some(changes.paths.iter().map(|p| options.root.join(p)).collect());
    }
    let result = pipeline::run(options, Some(cache));
    let mut status = shared.status();
    status.builds += 1;
    status.changed = changed(changes);
    let what = what(changes);
    let mut index_job = None;
    let mut photos = Vec::new();
    let mut checked = None;
    let published = result.is_ok();
    let (line, event) = match result {
        Ok(mut built) => {
            status.error = None;
            photos = std::mem::take(&mut built.pending_images);
            status.files_read = cache.files.reads;
            status.model_kept = cache.model_kept;
            status.markdown_rendered = cache.markdown.renders;
            status.outputs_rendered = cache.render.renders;
            status.stages = built
                .timings
                .iter()
                .map(|(n, d)| (n.to_string(), d.as_secs_f64() * 1000.0))
                .collect();
            status.outputs = built.outputs.len();
            let before = start.elapsed();
            let files = built
                .outputs
                .iter()
                .map(|o| (o.path.clone(), o.body.clone()))
                .collect();
            let marks = super::watermark::marks(&built.site);
            let generation = shared.publish(files, marks, built.search.is_some());
            // From the change to the new site being served.
            let served = start.elapsed();
            let millis = served.as_secs_f64() * 1000.0;
            status.millis = millis;
            status
                .stages
                .push(("publish".into(), (served - before).as_secs_f64() * 1000.0));
            status.index_pending = built.search.is_some();
            crate::cmd::report(&built.warnings);
            index_job = built.search.take().map(|input| (generation, input));
            checked = Some(built);
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
            status.millis = start.elapsed().as_secs_f64() * 1000.0;
            crate::cmd::report(&errors);
            let text = errors
                .iter()
                .map(|d| d.render(false))
                .collect::<Vec<_>>()
                .join("\n\n");
            status.error = Some(text.clone());
            (
                format!(
                    "{what} → 生成失败（{} 个错误），{}",
                    errors.len(),
                    kept(shared)
                ),
                Event::Error(text),
            )
        }
    };
    {
        let mut s = shared
            .status
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        // The indexer keeps its own fields up to date, and the site it indexes stays served
        // when the rebuild failed.
        status.index_builds = s.index_builds;
        status.index_pages = s.index_pages;
        status.index_millis = s.index_millis;
        status.index_files = if published && !status.index_pending {
            0
        } else {
            s.index_files
        };
        if !published {
            status.index_pending = s.index_pending;
        }
        *s = status;
    }
    // After the status, so that the indexer's report follows this rebuild's.
    if let Some((generation, input)) = index_job {
        background.indexer.submit(generation, input);
    }
    background.photos.submit(photos);
    // What `zhen build` would refuse shows in the preview too, over the new pages. Checked
    // while the index is built, so that the index does not wait for the check.
    let refused = checked.and_then(|built| refusal(&built, options, &mut cache.scans));
    // Nobody listening is fine.
    let _ = shared.events.send(event);
    match refused {
        Some((n, text)) => {
            shared
                .status
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .error = Some(text.clone());
            eprintln!("{text}\n");
            let _ = shared.events.send(Event::Error(text));
            format!("{line}；但有 {n} 个问题 zhen build 会拒绝发布（浏览器里也显示了）")
        }
        None => line,
    }
}

/// The problems `zhen build` would refuse the built site for, as the count and the text the
/// overlay shows; None when it would publish it. Pages whose bytes `scans` holds the scan of
/// (the last rebuild's) are not read again; `scans` then holds this site's.
fn refusal(
    built: &pipeline::Built,
    options: &Options,
    scans: &mut crate::check::html::Scans,
) -> Option<(usize, String)> {
    let now = options.now.to_zoned_datetime(built.site.config.tz.clone());
    let (n, body) = match crate::check::refusals(built, now, scans) {
        Ok(findings) if findings.is_empty() => return None,
        Ok(findings) => (findings.len(), crate::check::report::plain(&findings)),
        Err(errors) => (
            errors.len(),
            errors
                .iter()
                .map(|d| d.render(false))
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
    };
    Some((
        n,
        format!("预览照常显示，但 zhen build 会因为下面 {n} 个问题拒绝发布这个网站：\n\n{body}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_rebuild_is_a_failed_one_and_resets_the_cache() {
        let shared = Shared::new();
        let mut events = shared.events.subscribe();
        let changes = Changes {
            paths: vec!["content/a.md".into()],
        };
        let mut cache = Cache {
            model_kept: true,
            ..Cache::default()
        };
        let line = guarded(&shared, &mut cache, &changes, |cache| {
            cache.files.reads = 5;
            panic!("half way")
        });
        assert!(!cache.model_kept && cache.files.reads == 0, "a fresh cache");
        assert_eq!(
            line,
            "变更：content/a.md → zhen 内部错误，还没有可以显示的网站：浏览器里显示这些错误，改正并保存后自动刷新"
        );
        let status = shared.status();
        let message = "zhen 内部错误：half way，请把这段信息报告给开发者";
        assert_eq!(status.error.as_deref(), Some(message));
        assert_eq!(
            (status.builds, status.changed),
            (1, vec!["content/a.md".into()])
        );
        assert_eq!(events.try_recv().ok(), Some(Event::Error(message.into())));
        // With a site served, it stays.
        shared.publish(Files::default(), Marks::default(), false);
        let line = guarded(&shared, &mut cache, &changes, |_| panic!("again"));
        assert!(
            line.ends_with("zhen 内部错误，继续显示上一次的网站"),
            "{line}"
        );
        assert!(shared.has_site());
        // The next rebuild runs normally.
        assert_eq!(
            guarded(&shared, &mut cache, &changes, |_| "ok".into()),
            "ok"
        );
    }
}
