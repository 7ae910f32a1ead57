//! Tags: one list per tag, slugs in pinyin, ordered by how many posts carry them.

use std::collections::BTreeMap;

use super::slug::slugify;
use crate::content::Page;

/// A tag and the posts that carry it, newest first.
#[derive(Debug, Clone)]
pub struct TagInfo {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub posts: Vec<usize>,
}

/// The site path of the list of all tags.
pub const TAGS_PATH: &str = "/tags/";

/// Tags of `posts` (newest first), most used first, then by name; and for each page the
/// indexes of its tags. Tags whose slugs are equal are one tag (first spelling wins).
pub fn build(
    posts: &[usize],
    pages: &[std::sync::Arc<Page>],
    overrides: &BTreeMap<String, String>,
) -> (Vec<TagInfo>, Vec<Vec<usize>>) {
    let slug_of = |name: &str| {
        let s = slugify(name, overrides);
        if s.is_empty() { "tag".to_string() } else { s }
    };
    let mut by_slug: BTreeMap<String, TagInfo> = BTreeMap::new();
    for &i in posts {
        for name in &pages[i].meta.tags {
            let slug = slug_of(name);
            let tag = by_slug.entry(slug.clone()).or_insert_with(|| TagInfo {
                name: name.clone(),
                path: format!("{TAGS_PATH}{slug}/"),
                slug,
                posts: vec![],
            });
            if tag.posts.last() != Some(&i) {
                tag.posts.push(i);
            }
        }
    }
    let mut tags: Vec<TagInfo> = by_slug.into_values().collect();
    tags.sort_by(|a, b| {
        b.posts
            .len()
            .cmp(&a.posts.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    let index: BTreeMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let mut per_page = vec![Vec::new(); pages.len()];
    for &i in posts {
        for name in &pages[i].meta.tags {
            let t = index[slug_of(name).as_str()];
            if !per_page[i].contains(&t) {
                per_page[i].push(t);
            }
        }
    }
    (tags, per_page)
}
