//! One page's share of the index: its terms with their weights (a BM25 score with the title
//! counted apart, fixed when the page is read so that a page is never read twice), what its
//! result shows (the fragment) and its filter values and date key.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::extract::{self, TITLE_WEIGHT};
use super::tokens::{Term, terms};

/// BM25's term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Length (characters) a page's length is compared with: about a short news article. A fixed
/// length rather than the site's mean, so that a page's weights do not depend on the others.
const TYPICAL_LENGTH: f64 = 1500.0;
/// Body weights run 1..=BODY_MAX; a term in the title adds TITLE_BONUS, so a title match
/// always outranks body matches of the same terms.
const BODY_MAX: f64 = 100.0;
const TITLE_BONUS: u8 = 120;

/// A page as the index stores it.
pub struct Doc {
    pub url: String,
    /// Chinese terms (keys of `tokens::han_key`) and their weights.
    pub han: Vec<(u64, u8)>,
    pub words: Vec<(Box<str>, u8)>,
    /// The JSON the result is shown from.
    pub fragment: Arc<[u8]>,
    pub filters: BTreeMap<String, Vec<String>>,
    /// The `date` sort key (newest pages get the smallest numbers in the index).
    pub date: Option<String>,
    pub marked: bool,
}

#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    meta: &'a BTreeMap<String, String>,
    filters: &'a BTreeMap<String, Vec<String>>,
    /// The page's text (less the title), which the excerpt is cut from.
    content: String,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    body: f64,
    title: bool,
}

/// Reads the page at `url`.
pub fn read(url: &str, html: &[u8]) -> Doc {
    let page = extract::page(html);
    let mut han: FxHashMap<u64, Counts> = FxHashMap::default();
    let mut words: FxHashMap<Box<str>, Counts> = FxHashMap::default();
    let mut length = 0;
    for piece in &page.pieces {
        let title = piece.weight >= TITLE_WEIGHT;
        let weight = if title { 0.0 } else { f64::from(piece.weight) };
        let n = terms(&piece.text, |t| {
            let counts = match t {
                Term::Han(k) => han.entry(k).or_default(),
                Term::Word(w) => match words.get_mut(w) {
                    Some(c) => c,
                    None => words.entry(w.into()).or_default(),
                },
            };
            counts.body += weight;
            counts.title |= title;
        });
        if !title {
            length += n;
        }
    }
    let norm = K1 * (1.0 - B + B * length as f64 / TYPICAL_LENGTH);
    let weigh = |c: Counts| -> u8 {
        let body = if c.body > 0.0 {
            (c.body * (K1 + 1.0) / (c.body + norm) / (K1 + 1.0) * BODY_MAX)
                .round()
                .max(1.0) as u8
        } else {
            0
        };
        body + if c.title { TITLE_BONUS } else { 0 }
    };
    let text = page
        .pieces
        .iter()
        .filter(|p| p.weight == 1)
        .map(|p| p.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" ");
    let fragment = serde_json::to_vec(&Fragment {
        url,
        meta: &page.meta,
        filters: &page.filters,
        content: text,
    })
    .unwrap_or_default();
    let mut han: Vec<(u64, u8)> = han.into_iter().map(|(k, c)| (k, weigh(c))).collect();
    han.sort_unstable();
    Doc {
        url: url.to_string(),
        han,
        words: words.into_iter().map(|(w, c)| (w, weigh(c))).collect(),
        fragment: Arc::from(fragment),
        filters: page.filters,
        date: page.sort.get("date").cloned(),
        marked: page.marked,
    }
}
