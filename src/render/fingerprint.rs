//! Fingerprints of outputs: a hash of everything an output was rendered from (its templates
//! through inheritance and includes, its context, the globals and the lookups it made), so that
//! `zhen serve` renders again only the outputs whose fingerprint changed.

use std::collections::HashMap;
use std::hash::Hash;

use tera::Value;
use xxhash_rust::xxh3::Xxh3;

use super::functions::{Call, Lookup};

/// Hashes of large values already known in this build, by the address of their shared data
/// (maps, and strings long enough to live behind a reference count): a post's HTML or summary
/// is hashed once, however many outputs show it. Only valid while those values are alive.
#[derive(Default)]
pub struct Memo {
    known: rustc_hash::FxHashMap<(usize, usize), u64>,
}

/// Strings at least this long are shared, not inlined, by tera values.
const SHARED_STRING: usize = 256;

impl Memo {
    fn key(v: &Value) -> Option<(usize, usize)> {
        if let Some(map) = v.as_map() {
            return Some((map as *const _ as usize, 0));
        }
        v.as_str()
            .filter(|s| s.len() >= SHARED_STRING)
            .map(|s| (s.as_ptr() as usize, s.len()))
    }

    fn known(&self, v: &Value) -> Option<u64> {
        self.known.get(&Self::key(v)?).copied()
    }

    /// Notes that `v` hashes to `hash`.
    pub fn remember(&mut self, v: &Value, hash: u64) {
        if let Some(k) = Self::key(v) {
            self.known.insert(k, hash);
        }
    }

    /// The hash of `v`, from memory when known.
    pub fn hash(&self, v: &Value) -> u64 {
        if let Some(h) = self.known(v) {
            return h;
        }
        let mut h = Xxh3::new();
        hash_value(v, &mut h, self);
        h.digest()
    }

    /// Hashes `v` and remembers it, for a value many outputs share.
    pub fn share(&mut self, v: &Value) {
        let hash = self.hash(v);
        self.remember(v, hash);
    }
}

/// Feeds a template value into `h`; values the memo knows are fed as their hash.
pub fn hash_value(v: &Value, h: &mut Xxh3, memo: &Memo) {
    if let Some(known) = memo.known(v) {
        h.update(b"#");
        h.update(&known.to_le_bytes());
    } else if let Some(s) = v.as_str() {
        h.update(if v.is_safe() { b"S" } else { b"s" });
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    } else if let Some(map) = v.as_map() {
        // Maps keep insertion order (tera's `preserve_order`), and zhen builds every value in
        // a fixed order, so equal values are walked alike without sorting.
        h.update(b"{");
        for (k, v) in map {
            h.update(k.as_str().unwrap_or_default().as_bytes());
            h.update(b":");
            hash_value(v, h, memo);
        }
        h.update(b"}");
    } else if let Some(items) = v.as_array() {
        h.update(b"[");
        for item in items {
            hash_value(item, h, memo);
        }
        h.update(b"]");
    } else {
        h.update(v.name().as_bytes());
        match (v.as_i64(), v.as_u64(), v.as_f64(), v.as_bool()) {
            (Some(n), _, _, _) => h.update(&n.to_le_bytes()),
            (_, Some(n), _, _) => h.update(&n.to_le_bytes()),
            (_, _, Some(f), _) => h.update(&f.to_bits().to_le_bytes()),
            (_, _, _, Some(b)) => h.update(&[u8::from(b)]),
            _ => h.update(v.to_string().as_bytes()),
        }
    }
}

/// The hash of each template with everything it extends or includes, by name.
pub fn template_hashes(sources: &[(&str, &str)]) -> rustc_hash::FxHashMap<String, u64> {
    let texts: HashMap<&str, &str> = sources.iter().copied().collect();
    texts
        .keys()
        .map(|&name| {
            let mut seen = vec![name];
            let mut i = 0;
            while i < seen.len() {
                for dep in referenced(texts[seen[i]]) {
                    if let Some((&known, _)) = texts.get_key_value(dep)
                        && !seen.contains(&known)
                    {
                        seen.push(known);
                    }
                }
                i += 1;
            }
            seen.sort_unstable();
            let mut h = Xxh3::new();
            for n in seen {
                h.update(n.as_bytes());
                h.update(texts[n].as_bytes());
            }
            (name.to_string(), h.digest())
        })
        .collect()
}

/// Names of templates a template text extends or includes (over-approximated: any quoted
/// name after `extends` or `include`).
fn referenced(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for keyword in ["extends", "include"] {
        for (at, _) in text.match_indices(keyword) {
            let rest = text[at + keyword.len()..].trim_start();
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                out.push(&rest[1..1 + end]);
            }
        }
    }
    out
}

/// The hash of a context (or of the globals).
pub fn vars_hash(vars: &[(&'static str, Value)], memo: &Memo) -> u64 {
    let mut h = Xxh3::new();
    for (name, value) in vars {
        h.update(name.as_bytes());
        hash_value(value, &mut h, memo);
    }
    h.digest()
}

/// The hash of the answers, now, to the lookups an output made when it was last rendered.
pub fn calls_hash(calls: &[Call], lookup: &Lookup, memo: &Memo) -> u64 {
    let mut h = Xxh3::new();
    for call in calls {
        call.hash(&mut h);
        h.update(&lookup.answer_hash(call, memo).to_le_bytes());
    }
    h.digest()
}

/// The fingerprint of an output from the hashes of its template (with the globals), its
/// context and its lookups' answers.
pub fn fingerprint(template: u64, path: &str, vars: u64, calls: u64) -> u64 {
    let mut parts = [0u8; 24];
    for (chunk, part) in parts.chunks_mut(8).zip([template, vars, calls]) {
        chunk.copy_from_slice(&part.to_le_bytes());
    }
    xxhash_rust::xxh3::xxh3_64_with_seed(path.as_bytes(), xxhash_rust::xxh3::xxh3_64(&parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::values::obj;

    fn hash(v: &Value) -> u64 {
        Memo::default().hash(v)
    }

    #[test]
    fn equal_values_hash_equally() {
        let a = obj([("title", "甲".into()), ("n", 1.into())]);
        let b = obj([("title", "甲".into()), ("n", 1.into())]);
        assert_eq!(hash(&a), hash(&b));
        assert_ne!(
            hash(&a),
            hash(&obj([("title", "乙".into()), ("n", 1.into())]))
        );
        assert_ne!(hash(&Value::from("x")), hash(&Value::safe_string("x")));
    }

    #[test]
    fn remembered_values_hash_as_remembered() {
        let big = Value::safe_string(&"字".repeat(200));
        let page = obj([("content", big.clone())]);
        let plain = hash(&page);
        let mut memo = Memo::default();
        memo.remember(&big, 42);
        assert_ne!(memo.hash(&page), plain);
        memo.remember(&page, 7);
        assert_eq!(memo.hash(&page), 7);
        // A copy made elsewhere is not the remembered value.
        assert_eq!(
            Memo::default().hash(&obj([("content", Value::safe_string(&"字".repeat(200)))])),
            plain
        );
    }

    #[test]
    fn template_hashes_follow_extends_and_includes() {
        let sources = [
            ("base.html", "{% include \"footer.html\" %}"),
            ("footer.html", "v1"),
            ("page.html", "{% extends \"base.html\" %}"),
            ("tag.html", "plain"),
        ];
        let before = template_hashes(&sources);
        let mut changed = sources;
        changed[1].1 = "v2";
        let after = template_hashes(&changed);
        assert_ne!(before["page.html"], after["page.html"]);
        assert_ne!(before["base.html"], after["base.html"]);
        assert_eq!(before["tag.html"], after["tag.html"]);
    }
}
