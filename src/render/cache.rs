//! What `zhen serve` keeps of the render stage from one run to the next: the values, jobs and
//! outputs of the last run, each output with its fingerprint and the lookups its render made,
//! and where each new job finds its previous output.

use std::collections::HashMap;
use std::sync::Arc;

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
    pub values: Arc<Values>,
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

impl RenderCache {
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
