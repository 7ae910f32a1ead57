//! The search index of `zhen serve`, built off the rebuild path: a thread takes the pages of the
//! newest published site, indexes those that changed and swaps the index into the served
//! files, so a page reload never waits for the index. A panic while indexing is reported and
//! the next site is indexed afresh.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

use super::state::Shared;
use crate::search::Input;

/// Hands published sites to the indexing thread.
pub struct Indexer {
    jobs: Sender<(u64, Input)>,
}

impl Indexer {
    /// Starts the indexing thread.
    pub fn start(shared: Arc<Shared>) -> Indexer {
        let (jobs, rx) = channel();
        std::thread::spawn(move || run(&shared, &rx));
        Indexer { jobs }
    }

    /// Indexes `input`, the pages of the site published as `generation`.
    pub fn submit(&self, generation: u64, input: Input) {
        // The thread only stops with the process.
        let _ = self.jobs.send((generation, input));
    }
}

fn run(shared: &Shared, jobs: &Receiver<(u64, Input)>) {
    // Kept from site to site: only pages whose HTML changed are indexed again.
    let mut index = crate::search::Index::default();
    while let Ok(mut job) = jobs.recv() {
        // Sites published while the last index was built: only the newest counts.
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let (generation, input) = job;
        let start = Instant::now();
        let result = super::panic::catch(|| index.update(&input)).map_err(|message| {
            // The index may be half updated: the next site is indexed afresh.
            index = crate::search::Index::default();
            crate::diagnostics::Diagnostic::error(message)
        });
        match result {
            Ok(bundle) => {
                let millis = start.elapsed().as_secs_f64() * 1000.0;
                crate::cmd::report(bundle.warning.as_slice());
                if shared.swap_index(generation, bundle.files, input.documents.len(), millis) {
                    eprintln!(
                        "搜索索引已更新：{} 个页面，用时 {millis:.1} 毫秒",
                        input.documents.len()
                    );
                }
            }
            Err(e) => crate::cmd::report(&[e]),
        }
    }
}
