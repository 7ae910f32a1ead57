//! What `zhen serve` keeps of the render stage from one run to the next: the values, jobs and
//! outputs of the last run, each output with its fingerprint and the lookups its render made,
//! and where each new job finds its previous output.

use std::collections::HashMap;
use std::sync::Arc;

use std::path::Path;

use super::functions::Call;
use super::plan::Job;
use super::values::{Hashes, Values};
use crate::output::Body;

/// What the last run of `zhen serve` planned and rendered, kept where the next run's inputs
/// are the same.
#[derive(Default)]
pub struct RenderCache {
    last: Option<Last>,
    /// Lists of lookups, shared by the outputs that made the same ones.
    calls: HashMap<Vec<Call>, Arc<[Call]>>,
    /// How many outputs the last run rendered (the rest were unchanged).
    pub renders: usize,
}

/// The values, jobs and outputs of a run.
pub struct Last {
    /// None when restored from disk: the values are then all built anew.
    pub values: Option<Arc<Values>>,
    pub hashes: Hashes,
    pub jobs: Vec<Arc<Job>>,
    /// Parallel to `jobs` (None where rendering failed).
    pub rendered: Vec<Option<Arc<Rendered>>>,
}

/// An output with the fingerprint of what it was rendered from and the lookups it made.
pub struct Rendered {
    pub fingerprint: u64,
    pub calls: Arc<[Call]>,
    pub body: Body,
}

impl Last {
    /// The previous output of each of `jobs`: at the same place under the same model (where
    /// the planner lists the same jobs in the same order), else found by path.
    pub fn outputs_for(&self, jobs: &[Arc<Job>], same_model: bool) -> Vec<Option<&Arc<Rendered>>> {
        let at: HashMap<&str, usize> = if same_model {
            HashMap::new()
        } else {
            self.jobs
                .iter()
                .enumerate()
                .map(|(i, j)| (j.path.as_str(), i))
                .collect()
        };
        jobs.iter()
            .enumerate()
            .map(|(k, job)| {
                let i = match self.jobs.get(k) {
                    Some(old) if Arc::ptr_eq(old, job) || old.path == job.path => k,
                    _ => *at.get(job.path.as_str())?,
                };
                self.rendered[i].as_ref()
            })
            .collect()
    }
}

/// What of a [`RenderCache`] a build keeps on disk (`.zhen-cache/`): each output's site path,
/// file, fingerprint, lookups and the hash of its bytes; its bytes are the file the build
/// wrote.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct SavedRender(pub Vec<SavedOutput>);

/// One output of [`SavedRender`].
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SavedOutput {
    /// Site path.
    pub path: String,
    /// The file it was written to, relative to the output folder.
    pub output: String,
    fingerprint: u64,
    calls: Vec<Call>,
    /// [`Body::hash`] of its bytes.
    hash: u64,
}

impl SavedRender {
    /// Whether an output called `now()`, whose answer changes every time.
    pub fn uses_now(&self) -> bool {
        self.0.iter().any(|o| o.calls.contains(&Call::Now))
    }
}

impl RenderCache {
    /// The outputs of the last run, for the disk.
    pub fn save(&self) -> SavedRender {
        let Some(last) = &self.last else {
            return SavedRender::default();
        };
        let outputs = last.jobs.iter().zip(&last.rendered);
        SavedRender(
            outputs
                .filter_map(|(job, r)| {
                    let r = r.as_ref()?;
                    Some(SavedOutput {
                        path: job.path.clone(),
                        output: job.output.clone(),
                        fingerprint: r.fingerprint,
                        calls: r.calls.to_vec(),
                        hash: r.body.hash().ok()?,
                    })
                })
                .collect(),
        )
    }

    /// A cache holding the outputs an earlier build saved, each the file it wrote in `out`
    /// (`Body::Previous`, not read: the caller has made sure they are unchanged). Found by
    /// path.
    pub fn restore(saved: SavedRender, out: &Path) -> RenderCache {
        let mut cache = RenderCache::default();
        let mut jobs = Vec::with_capacity(saved.0.len());
        let mut rendered = Vec::with_capacity(saved.0.len());
        for o in saved.0 {
            rendered.push(Some(Arc::new(Rendered {
                fingerprint: o.fingerprint,
                calls: cache.share(o.calls),
                body: Body::Previous {
                    file: out.join(&o.output),
                    hash: o.hash,
                },
            })));
            jobs.push(Arc::new(Job {
                template: String::new(),
                path: o.path,
                output: o.output,
                vars: Vec::new(),
                sitemap: None,
                source: None,
                vars_hash: Default::default(),
            }));
        }
        cache.last = Some(Last {
            values: None,
            hashes: Hashes::default(),
            jobs,
            rendered,
        });
        cache
    }

    /// The shared list equal to `calls`.
    pub fn share(&mut self, calls: Vec<Call>) -> Arc<[Call]> {
        self.calls
            .entry(calls)
            .or_insert_with_key(|c| Arc::from(c.as_slice()))
            .clone()
    }

    /// Keeps what this run planned and rendered for the next.
    pub fn keep(&mut self, last: Last, renders: usize) {
        self.renders = renders;
        self.last = Some(last);
        // Lists no output made any longer are forgotten.
        self.calls.retain(|_, list| Arc::strong_count(list) > 1);
    }

    /// Takes what the last run planned and rendered.
    pub fn take(&mut self) -> Option<Last> {
        self.last.take()
    }
}
