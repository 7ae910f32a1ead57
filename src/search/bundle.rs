//! Writes the index files under `search-index/`: `meta.json` (page count, shard count, stop
//! characters, filter values), `t/<shard>.bin` (the terms whose hash falls in the shard, each
//! with its postings or, for a common term, the number of the file `t/<shard>.<n>.bin` holding
//! them), `d/<page>.json` (what a result shows) and `f/<filter>.json` (the pages of each filter
//! value). Pages are numbered newest first, so that page order is date order.
//!
//! A shard is a run of entries: the term's UTF-8 length (varint) and bytes, its page count
//! (varint), the byte length of its postings (varint; 0 when they are in a file of their own,
//! whose number follows as a varint), then the postings: each page as the gap from the
//! previous one (varint, the first from 0) followed by its weight (one byte). Varints are
//! LEB128 (seven bits a byte, low bits first). search.js reads the same.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use xxhash_rust::xxh3::Xxh3;

use super::postings::Postings;
use super::tokens::{STOP, han_hash, shard_hash};
use crate::output::{Body, Output};

/// The folder of the index in the output (`/search-index/meta.json`).
pub const BUNDLE_DIR: &str = "search-index";

/// Bytes of postings a shard aims at (less its common terms' files): a query of a few terms
/// then loads a few shards of this size besides the postings of its own terms.
const SHARD_BYTES: usize = 8 * 1024;

/// Pages past which a term's postings go into a file of their own, so that loading a shard
/// for a rare term does not bring a common term's postings along.
const SPILL_PAGES: usize = 400;

/// What the bundle needs of a page, in index order.
pub struct PageFiles<'a> {
    pub fragment: &'a Arc<[u8]>,
    pub filters: &'a BTreeMap<String, Vec<String>>,
}

/// One shard's files.
#[derive(Clone)]
pub struct Shard {
    pub main: Arc<[u8]>,
    pub spilled: Vec<Arc<[u8]>>,
}

/// Index order of pages with these `dates`: newest first; pages without a date after all
/// dated ones, in the order they came. `order[new] = old`.
pub fn order(dates: &[Option<&str>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..dates.len()).collect();
    order.sort_by(|&a, &b| match (dates[a], dates[b]) {
        (Some(x), Some(y)) => y.cmp(x).then(a.cmp(&b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(&b),
    });
    order
}

/// The number of shards for `postings`: a power of two, from the bytes kept in shards.
pub fn shard_count(postings: &Postings) -> usize {
    let inline = |len: usize| if len > SPILL_PAGES { 4 } else { 2 * len + 4 };
    let bytes: usize = postings
        .han
        .values()
        .map(|l| inline(l.len()) + 6)
        .sum::<usize>()
        + postings
            .words
            .iter()
            .map(|(w, l)| inline(l.len()) + w.len() + 2)
            .sum::<usize>();
    (bytes / SHARD_BYTES).clamp(1, 1 << 16).next_power_of_two()
}

/// A term of a shard: Chinese terms (by key) before words, each kind in order.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Term<'a> {
    Han(u64),
    Word(&'a str),
}

/// Encodes the shards of `postings` (`shards` of them) whose numbers `only` holds, or all.
pub fn encode(
    postings: &Postings,
    shards: usize,
    only: Option<&FxHashSet<usize>>,
) -> Vec<(usize, Shard)> {
    let mut buckets: Vec<Vec<(Term, &[u32])>> = (0..shards).map(|_| Vec::new()).collect();
    let wanted = |s: usize| only.is_none_or(|o| o.contains(&s));
    for (&k, list) in &postings.han {
        let s = han_hash(k) as usize & (shards - 1);
        if wanted(s) {
            buckets[s].push((Term::Han(k), list));
        }
    }
    for (w, list) in &postings.words {
        let s = shard_hash(w) as usize & (shards - 1);
        if wanted(s) {
            buckets[s].push((Term::Word(w), list));
        }
    }
    buckets
        .into_par_iter()
        .enumerate()
        .filter(|(s, _)| wanted(*s))
        .map(|(s, terms)| (s, encode_shard(terms)))
        .collect()
}

fn varint(out: &mut Vec<u8>, mut v: usize) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7F) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Pages as gaps (varints), each followed by its weight byte.
fn encode_list(out: &mut Vec<u8>, list: &[u32]) {
    let mut last = 0;
    for &e in list {
        let page = e >> 8;
        varint(out, (page - last) as usize);
        out.push((e & 0xFF) as u8);
        last = page;
    }
}

fn encode_shard(mut terms: Vec<(Term, &[u32])>) -> Shard {
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut main = Vec::with_capacity(SHARD_BYTES + SHARD_BYTES / 2);
    let mut spilled = Vec::new();
    let mut list_bytes = Vec::new();
    let mut buf = [0u8; 8];
    for (term, list) in terms {
        let text: &str = match term {
            Term::Han(k) => {
                let c =
                    |shift: u32| char::from_u32(((k >> shift) & 0x1F_FFFF) as u32).unwrap_or(' ');
                let mut at = 0;
                if k >> 42 != 0 {
                    at = c(21).encode_utf8(&mut buf).len();
                }
                let end = at + c(0).encode_utf8(&mut buf[at..]).len();
                std::str::from_utf8(&buf[..end]).unwrap_or_default()
            }
            Term::Word(w) => w,
        };
        varint(&mut main, text.len());
        main.extend_from_slice(text.as_bytes());
        varint(&mut main, list.len());
        list_bytes.clear();
        encode_list(&mut list_bytes, list);
        if list.len() > SPILL_PAGES {
            varint(&mut main, 0);
            varint(&mut main, spilled.len());
            spilled.push(Arc::from(list_bytes.as_slice()));
        } else {
            varint(&mut main, list_bytes.len());
            main.extend_from_slice(&list_bytes);
        }
    }
    Shard {
        main: Arc::from(main),
        spilled,
    }
}

fn file(path: String, bytes: Arc<[u8]>) -> Output {
    Output {
        path: format!("{BUNDLE_DIR}/{path}"),
        body: Body::Rendered(bytes),
    }
}

/// Every file of the index: `shards` (all of them, in order) and `pages` (in index order).
pub fn files(shards: &[Shard], pages: &[PageFiles]) -> Vec<Output> {
    let mut hash = Xxh3::new();
    let spilled: usize = shards.iter().map(|s| s.spilled.len()).sum();
    let mut out = Vec::with_capacity(shards.len() + spilled + pages.len() + 8);
    for (i, shard) in shards.iter().enumerate() {
        hash.update(&shard.main);
        out.push(file(format!("t/{i}.bin"), Arc::clone(&shard.main)));
        for (n, bytes) in shard.spilled.iter().enumerate() {
            hash.update(bytes);
            out.push(file(format!("t/{i}.{n}.bin"), Arc::clone(bytes)));
        }
    }
    for (i, page) in pages.iter().enumerate() {
        hash.update(page.fragment);
        out.push(file(format!("d/{i}.json"), Arc::clone(page.fragment)));
    }
    // Filter -> value -> its pages.
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for (key, values) in page.filters {
            for v in values {
                let list = filters.entry(key).or_default().entry(v).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
    }
    for (i, values) in filters.values().enumerate() {
        let mut bytes = b"{".to_vec();
        for (j, (value, list)) in values.iter().enumerate() {
            if j > 0 {
                bytes.push(b',');
            }
            bytes.extend(serde_json::to_vec(value).unwrap_or_default());
            bytes.push(b':');
            let gaps: Vec<u32> = list
                .iter()
                .scan(0, |last, &p| {
                    let gap = p - *last;
                    *last = p;
                    Some(gap)
                })
                .collect();
            bytes.extend(serde_json::to_vec(&gaps).unwrap_or_default());
        }
        bytes.push(b'}');
        hash.update(&bytes);
        out.push(file(format!("f/{i}.json"), Arc::from(bytes)));
    }
    let meta = serde_json::json!({
        "version": 2,
        "pages": pages.len(),
        "shards": shards.len(),
        "stop": STOP,
        "filters": filters.iter().map(|(k, v)| (*k, v.keys().collect::<Vec<_>>())).collect::<Vec<_>>(),
        "hash": format!("{:016x}", hash.digest()),
    });
    out.push(file(
        "meta.json".into(),
        Arc::from(meta.to_string().into_bytes()),
    ));
    out
}
