//! Heading ids (Chinese headings keep readable ids, repeats get suffixes) and the table of
//! contents built from them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// One heading in the table of contents, with the headings under it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u32,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// An id for heading text: letters (any script) and digits kept, ASCII lowercased, white space
/// and dashes folded to one `-`, punctuation dropped. `## 活动 安排！` -> `活动-安排`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() { "section".into() } else { id }
}

/// Hands out unique ids within one page: the second `概述` becomes `概述-1`.
#[derive(Default)]
pub struct IdAllocator {
    seen: HashMap<String, usize>,
}

impl IdAllocator {
    pub fn unique(&mut self, id: String) -> String {
        let Some(&last) = self.seen.get(&id) else {
            self.seen.insert(id.clone(), 0);
            return id;
        };
        let mut n = last;
        loop {
            n += 1;
            let candidate = format!("{id}-{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(id, n);
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }
}

/// Nests a flat list of headings under the nearest shallower one.
pub fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for entry in flat {
        insert(&mut roots, entry);
    }
    roots
}

fn insert(level: &mut Vec<TocEntry>, entry: TocEntry) {
    match level.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => level.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_ids_stay_readable() {
        assert_eq!(heading_id("活动安排"), "活动安排");
        assert_eq!(heading_id(" 一、活动 安排！"), "一活动-安排");
        assert_eq!(heading_id("Step 2: Install"), "step-2-install");
        assert_eq!(heading_id("！！"), "section");
    }

    #[test]
    fn repeated_ids_get_suffixes() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.unique("概述".into()), "概述");
        assert_eq!(ids.unique("概述".into()), "概述-1");
        assert_eq!(ids.unique("概述-1".into()), "概述-1-1");
        assert_eq!(ids.unique("概述".into()), "概述-2");
    }

    #[test]
    fn toc_nests_by_level() {
        let e = |level, id: &str| TocEntry {
            level,
            id: id.into(),
            title: id.into(),
            children: vec![],
        };
        let toc = nest(vec![e(2, "a"), e(3, "b"), e(3, "c"), e(2, "d"), e(4, "e")]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[1].children[0].id, "e");
    }
}
