//! Writes the index files under `search-index/`: `meta.json` (page count, shard count, stop
//! characters, filter values), `t/<shard>.json` (the postings of the terms whose hash falls in
//! the shard: page numbers as gaps, each followed by its weight), `d/<page>.json` (what a
//! result shows) and `f/<filter>.json` (the pages of each filter value). Pages are numbered
//! newest first, so that page order is date order.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::Xxh3;

use super::doc::Doc;
use super::tokens::{STOP, han_text, shard_hash};
use crate::output::{Body, Output};

/// The folder of the index in the output (`/search-index/meta.json`).
pub const BUNDLE_DIR: &str = "search-index";

/// Bytes a shard aims at: a query of a few terms then loads a few tens of KB.
const SHARD_BYTES: usize = 24 * 1024;

/// What the bundle keeps of a page once its terms are in the postings.
pub struct Entry {
    pub fragment: Arc<[u8]>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub date: Option<String>,
}

impl Entry {
    pub fn of(doc: &Doc) -> Entry {
        Entry {
            fragment: Arc::clone(&doc.fragment),
            filters: doc.filters.clone(),
            date: doc.date.clone(),
        }
    }
}

/// Term -> the pages that have it, as `page << 8 | weight` in page order.
#[derive(Default)]
pub struct Postings {
    han: FxHashMap<u64, Vec<u32>>,
    words: FxHashMap<Box<str>, Vec<u32>>,
}

impl Postings {
    /// Adds the terms of `doc`, the page numbered `id` (pages are added in increasing order).
    pub fn add(&mut self, id: u32, doc: &Doc) {
        for &(k, w) in &doc.han {
            self.han.entry(k).or_default().push(id << 8 | u32::from(w));
        }
        for (t, w) in &doc.words {
            let entry = id << 8 | u32::from(*w);
            match self.words.get_mut(t) {
                Some(list) => list.push(entry),
                None => {
                    self.words.insert(t.clone(), vec![entry]);
                }
            }
        }
    }
}

fn file(path: String, bytes: Vec<u8>) -> Output {
    Output {
        path: format!("{BUNDLE_DIR}/{path}"),
        body: Body::Rendered(Arc::from(bytes)),
    }
}

/// The index files of `entries` (numbered as in `postings`).
pub fn files(postings: Postings, entries: &[Entry]) -> Vec<Output> {
    // Newest first; pages without a date after all dated ones, in the order they came.
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| match (&entries[a].date, &entries[b].date) {
        (Some(x), Some(y)) => y.cmp(x).then(a.cmp(&b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(&b),
    });
    let mut number = vec![0u32; entries.len()];
    for (new, &old) in order.iter().enumerate() {
        number[old] = new as u32;
    }
    let renumber = |list: &mut Vec<u32>| {
        for p in list.iter_mut() {
            *p = number[(*p >> 8) as usize] << 8 | (*p & 0xFF);
        }
        list.sort_unstable();
    };
    let Postings { han, words } = postings;
    let mut terms: Vec<(String, Vec<u32>)> = han
        .into_iter()
        .map(|(k, l)| (han_text(k), l))
        .chain(words.into_iter().map(|(w, l)| (w.into_string(), l)))
        .collect();
    let total: usize = terms.iter().map(|(_, l)| l.len()).sum();
    let shards = (total * 6 / SHARD_BYTES).clamp(1, 4096).next_power_of_two();
    let mut sharded: Vec<Vec<u8>> = vec![b"{".to_vec(); shards];
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (term, mut list) in terms {
        renumber(&mut list);
        let out = &mut sharded[(shard_hash(&term) as usize) & (shards - 1)];
        if out.len() > 1 {
            out.push(b',');
        }
        let _ = write!(out, "\"{term}\":[");
        gaps(out, list.iter().map(|p| (p >> 8, Some(p & 0xFF))));
        out.push(b']');
    }
    let mut hash = Xxh3::new();
    let mut out = Vec::with_capacity(shards + entries.len() + 8);
    for (i, mut bytes) in sharded.into_iter().enumerate() {
        bytes.push(b'}');
        hash.update(&bytes);
        out.push(file(format!("t/{i}.json"), bytes));
    }
    for (new, &old) in order.iter().enumerate() {
        hash.update(&entries[old].fragment);
        out.push(Output {
            path: format!("{BUNDLE_DIR}/d/{new}.json"),
            body: Body::Rendered(Arc::clone(&entries[old].fragment)),
        });
    }
    // Filter -> value -> its pages.
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (new, &old) in order.iter().enumerate() {
        for (key, values) in &entries[old].filters {
            for v in values {
                let pages = filters.entry(key).or_default().entry(v).or_default();
                if pages.last() != Some(&(new as u32)) {
                    pages.push(new as u32);
                }
            }
        }
    }
    for (i, values) in filters.values().enumerate() {
        let mut bytes = b"{".to_vec();
        for (j, (value, pages)) in values.iter().enumerate() {
            if j > 0 {
                bytes.push(b',');
            }
            bytes.extend(serde_json::to_vec(value).unwrap_or_default());
            bytes.extend(b":[");
            gaps(&mut bytes, pages.iter().map(|&p| (p, None)));
            bytes.push(b']');
        }
        bytes.push(b'}');
        hash.update(&bytes);
        out.push(file(format!("f/{i}.json"), bytes));
    }
    let meta = serde_json::json!({
        "version": 1,
        "pages": entries.len(),
        "shards": shards,
        "stop": STOP,
        "filters": filters.iter().map(|(k, v)| (*k, v.keys().collect::<Vec<_>>())).collect::<Vec<_>>(),
        "hash": format!("{:016x}", hash.digest()),
    });
    out.push(file("meta.json".into(), meta.to_string().into_bytes()));
    out
}

/// Writes page numbers as gaps from the previous one, each followed by its weight if any.
fn gaps(out: &mut Vec<u8>, pages: impl Iterator<Item = (u32, Option<u32>)>) {
    let mut last = 0;
    for (i, (page, weight)) in pages.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = write!(out, "{}", page - last);
        if let Some(w) = weight {
            let _ = write!(out, ",{w}");
        }
        last = page;
    }
}
