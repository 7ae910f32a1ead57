//! Term -> the pages that have it, as `page << 8 | weight` in page order: filled from pages'
//! terms, renumbered into index order once a whole site is read, and patched page by page
//! when serve re-reads one page (only the terms of that page are touched).

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::doc::Doc;
use super::tokens::{han_hash, shard_hash};

#[derive(Default)]
pub struct Postings {
    pub han: FxHashMap<u64, Vec<u32>>,
    pub words: FxHashMap<Box<str>, Vec<u32>>,
}

fn entry(page: u32, weight: u8) -> u32 {
    page << 8 | u32::from(weight)
}

impl Postings {
    /// Adds the terms of `doc` as page `page`, numbered above every page added before.
    pub fn push(&mut self, page: u32, doc: &Doc) {
        for &(k, w) in &doc.han {
            self.han.entry(k).or_default().push(entry(page, w));
        }
        for (t, w) in &doc.words {
            let e = entry(page, *w);
            match self.words.get_mut(t) {
                Some(list) => list.push(e),
                None => {
                    self.words.insert(t.clone(), vec![e]);
                }
            }
        }
    }

    /// Adds the terms of `doc` as page `page` wherever it falls; `touched` gets the shard hash
    /// of every term.
    pub fn insert(&mut self, page: u32, doc: &Doc, touched: &mut impl FnMut(u32)) {
        let place = |list: &mut Vec<u32>, e: u32| {
            let at = list.partition_point(|&x| x >> 8 < page);
            list.insert(at, e);
        };
        for &(k, w) in &doc.han {
            place(self.han.entry(k).or_default(), entry(page, w));
            touched(han_hash(k));
        }
        for (t, w) in &doc.words {
            match self.words.get_mut(t) {
                Some(list) => place(list, entry(page, *w)),
                None => {
                    self.words.insert(t.clone(), vec![entry(page, *w)]);
                }
            }
            touched(shard_hash(t));
        }
    }

    /// Takes the terms of `doc`, page `page`, out again (a term left with no page goes).
    pub fn remove(&mut self, page: u32, doc: &Doc, touched: &mut impl FnMut(u32)) {
        let take = |list: &mut Vec<u32>| {
            let at = list.partition_point(|&x| x >> 8 < page);
            if list.get(at).is_some_and(|&x| x >> 8 == page) {
                list.remove(at);
            }
            list.is_empty()
        };
        for &(k, _) in &doc.han {
            if self.han.get_mut(&k).is_some_and(take) {
                self.han.remove(&k);
            }
            touched(han_hash(k));
        }
        for (t, _) in &doc.words {
            if self.words.get_mut(t).is_some_and(take) {
                self.words.remove(t);
            }
            touched(shard_hash(t));
        }
    }

    /// Gives page `p` the number `number[p]` and sorts every list again.
    pub fn renumber(&mut self, number: &[u32]) {
        let lists: Vec<&mut Vec<u32>> = self
            .han
            .values_mut()
            .chain(self.words.values_mut())
            .collect();
        lists.into_par_iter().for_each(|list| {
            for e in list.iter_mut() {
                *e = number[(*e >> 8) as usize] << 8 | (*e & 0xFF);
            }
            list.sort_unstable();
        });
    }
}
