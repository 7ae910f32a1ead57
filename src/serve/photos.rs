//! The variants of new photos in `zhen serve`, made off the rebuild path: a rebuild publishes a
//! photo the image cache lacks as its original (so it shows at once), hands it here, and goes
//! on; a thread makes the variants (in parallel) and then asks the rebuild loop for a rebuild,
//! which finds them in the cache and serves them instead. Other edits rebuild meanwhile.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use rayon::prelude::*;

use super::watch::Changes;
use crate::images::{Picture, encode};

/// Hands pictures to the thread that makes their variants.
pub struct Photos {
    jobs: Sender<Vec<Arc<Picture>>>,
}

impl Photos {
    /// Starts the thread: variants go to `cache_dir` (the image cache of `root`); when some are
    /// made, the changed photos are sent to `rebuild`.
    pub fn start(root: PathBuf, cache_dir: PathBuf, rebuild: Sender<Changes>) -> Photos {
        let (jobs, rx) = channel();
        std::thread::spawn(move || run(&root, &cache_dir, &rx, &rebuild));
        Photos { jobs }
    }

    /// Makes the variants of `pending` (nothing when empty).
    pub fn submit(&self, pending: Vec<Arc<Picture>>) {
        if !pending.is_empty() {
            // The thread only stops with the process.
            let _ = self.jobs.send(pending);
        }
    }
}

fn run(
    root: &std::path::Path,
    cache_dir: &std::path::Path,
    jobs: &Receiver<Vec<Arc<Picture>>>,
    rebuild: &Sender<Changes>,
) {
    while let Ok(mut batch) = jobs.recv() {
        // Rebuilds while the last batch was made list the same photos again: take them once.
        while let Ok(more) = jobs.try_recv() {
            batch.extend(more);
        }
        batch.sort_by(|a, b| a.key().cmp(b.key()));
        batch.dedup_by(|a, b| a.key() == b.key());
        batch.retain(|p| !encode::missing(p, cache_dir).is_empty());
        if batch.is_empty() {
            continue;
        }
        if std::fs::create_dir_all(cache_dir).is_err() {
            continue;
        }
        let start = std::time::Instant::now();
        let results: Vec<_> = batch
            .par_iter()
            .map(|p| (p, encode::make(p, cache_dir)))
            .collect();
        let mut made = Vec::new();
        for (p, result) in results {
            match result {
                Ok(()) => made.push(
                    p.source
                        .strip_prefix(root)
                        .unwrap_or(&p.source)
                        .to_path_buf(),
                ),
                Err(e) => crate::cmd::report(&[e]),
            }
        }
        if !made.is_empty() {
            eprintln!(
                "照片已处理：{} 张，用时 {:.1} 秒，换上压缩后的图片",
                made.len(),
                start.elapsed().as_secs_f64()
            );
            let _ = rebuild.send(Changes { paths: made });
        }
    }
}
