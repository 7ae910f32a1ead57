//! Feature columns (专题专栏): the sections at `content/columns/<key>/`, the posts that join
//! them (by `column = "<key>"` or by living in the folder), and whether each has ended.

use std::collections::HashMap;

use jiff::Timestamp;

use super::locate_key;
use crate::content::Library;
use crate::diagnostics::{Diagnostic, did_you_mean};

/// The folder below content/ that holds feature columns.
pub const COLUMNS_DIR: &str = "columns";

/// The site path of the list of columns.
pub const COLUMNS_PATH: &str = "/columns/";

/// A feature column.
#[derive(Debug, Clone)]
pub struct ColumnInfo {
    /// Index into `library.sections`.
    pub section: usize,
    pub key: String,
    pub path: String,
    /// By weight, then newest first.
    pub posts: Vec<usize>,
    /// Its `end` date has passed: listed under 往期专题.
    pub ended: bool,
}

/// `columns/flower-festival` -> `flower-festival`.
pub fn column_key(dir: &str) -> Option<&str> {
    dir.strip_prefix(COLUMNS_DIR)?
        .strip_prefix('/')
        .filter(|k| !k.is_empty() && !k.contains('/'))
}

/// The columns of the library, active ones first (by weight, then newest start), then ended
/// ones (most recently ended first). `newest_first` orders pages. A post naming an unknown
/// column is an error listing the known ones.
pub fn build(
    library: &Library,
    is_post: &[bool],
    section_paths: &HashMap<&str, String>,
    now: Timestamp,
    newest_first: impl Fn(&usize, &usize) -> std::cmp::Ordering,
) -> Result<Vec<ColumnInfo>, Vec<Diagnostic>> {
    let mut columns: Vec<ColumnInfo> = library
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let key = column_key(&s.dir)?;
            Some(ColumnInfo {
                section: i,
                key: key.to_string(),
                path: section_paths[s.dir.as_str()].clone(),
                posts: vec![],
                ended: s.meta.end.as_ref().is_some_and(|end| end.timestamp() < now),
            })
        })
        .collect();
    let index: HashMap<String, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.key.clone(), i))
        .collect();
    let mut errors = Vec::new();
    for (i, page) in library.pages.iter().enumerate() {
        let by_folder = column_key(&page.section);
        let key = page.meta.column.as_deref().or(by_folder);
        let Some(key) = key else { continue };
        match index.get(key) {
            Some(&c) if is_post[i] || by_folder == Some(key) => columns[c].posts.push(i),
            Some(_) => {}
            None => {
                let known: Vec<&str> = columns.iter().map(|c| c.key.as_str()).collect();
                let mut help = if known.is_empty() {
                    format!("还没有任何专题：新建 content/{COLUMNS_DIR}/{key}/_index.md 即可创建")
                } else {
                    format!("现有专题：{}", known.join("、"))
                };
                if let Some(s) = did_you_mean(key, known.iter().copied()) {
                    help = format!("你是不是想写 \"{s}\"？{help}");
                }
                errors.push(
                    Diagnostic::error(format!("专题 \"{key}\" 不存在"))
                        .in_file(&page.path)
                        .at_opt(locate_key(&page.path, &page.meta, "column"))
                        .help(help),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let weight = |i: &usize| library.pages[*i].meta.weight;
    for c in &mut columns {
        c.posts
            .sort_by(|a, b| weight(a).cmp(&weight(b)).then_with(|| newest_first(a, b)));
    }
    let meta = |c: &ColumnInfo| &library.sections[c.section].meta;
    columns.sort_by(|a, b| {
        a.ended
            .cmp(&b.ended)
            .then_with(|| {
                if a.ended {
                    meta(b).end.cmp(&meta(a).end)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| meta(a).weight.cmp(&meta(b).weight))
            .then_with(|| meta(b).start.cmp(&meta(a).start))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_direct_children_of_columns_are_columns() {
        assert_eq!(column_key("columns/farm-stay"), Some("farm-stay"));
        assert_eq!(column_key("columns"), None);
        assert_eq!(column_key("columns/a/b"), None);
        assert_eq!(column_key("columnsx/a"), None);
        assert_eq!(column_key("about"), None);
    }
}
