//! Walks content/ and parses every Markdown file in parallel.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::tz::TimeZone;
use rayon::prelude::*;
use walkdir::WalkDir;

use super::frontmatter;
use super::{Library, Page, Section, read_utf8};
use crate::diagnostics::Diagnostic;

/// Whether a file or folder is something an editor or the OS left behind (`.swp`, `~`, `.#x`,
/// `.DS_Store`): never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
}

/// When a file was last seen changed: its modification time and length.
type Stamp = (Option<std::time::SystemTime>, u64);

/// Parsed files kept between builds (by `zhen serve`): a file whose stamp is unchanged is not
/// read again, and when the watcher names the files that changed, content/ is not walked.
#[derive(Default)]
pub struct FileCache {
    files: rustc_hash::FxHashMap<String, (Stamp, Result<Loaded, Vec<Diagnostic>>)>,
    /// What the last walk found.
    walk: Option<Arc<Walk>>,
    /// Files changed since the last load, as the watcher reported them (None: unknown).
    pub changed: Option<Vec<PathBuf>>,
    /// How many files the last load read from disk.
    pub reads: usize,
}

/// What of a [`FileCache`] a build keeps on disk (`.zhen-cache/`): every file that was read
/// without errors, with its stamp.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct SavedFiles(pub Vec<(String, Stamp, Loaded)>);

impl FileCache {
    /// The files read without errors, for the disk.
    pub fn save(&self) -> SavedFiles {
        SavedFiles(
            self.files
                .iter()
                .filter_map(|(rel, (stamp, loaded))| {
                    Some((rel.clone(), *stamp, loaded.as_ref().ok()?.clone()))
                })
                .collect(),
        )
    }

    /// A cache holding the files saved by an earlier build (content/ is walked again).
    pub fn restore(saved: SavedFiles) -> FileCache {
        FileCache {
            files: saved
                .0
                .into_iter()
                .map(|(rel, stamp, loaded)| (rel, (stamp, Ok(loaded))))
                .collect(),
            ..FileCache::default()
        }
    }
}

/// The files below content/: Markdown (path, path relative to content/, stamp) and others
/// (relative to content/).
#[derive(Default)]
struct Walk {
    markdown: Vec<(PathBuf, String, Stamp)>,
    others: Vec<String>,
    /// Folders with an `_index.md`.
    sections: BTreeSet<String>,
    /// Folders with an `index.md` (below content/ itself).
    bundles: BTreeSet<String>,
    /// Symbolic links found, which are not followed.
    links: Vec<Diagnostic>,
    /// Indices into `others` in string order: the files below a folder are one range of it.
    others_sorted: Vec<usize>,
}

impl Walk {
    /// Walks `content_dir`; stamps are taken when `stamps`.
    fn new(content_dir: &Path, stamps: bool) -> Result<Walk, Vec<Diagnostic>> {
        let mut walk = Walk::default();
        for entry in WalkDir::new(content_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
        {
            let entry = entry.map_err(|e| {
                vec![
                    Diagnostic::error(format!("无法读取 content 目录：{e}"))
                        .help("请确认 content/ 存在并且可以读取"),
                ]
            })?;
            if entry.depth() > 0 && entry.path_is_symlink() {
                walk.links.push(super::skipped_link(entry.path()));
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = rel_path(content_dir, entry.path());
            if rel.ends_with(".md") {
                let stamp = match (stamps, entry.metadata()) {
                    (true, Ok(m)) => stamp_of(&m),
                    _ => (None, 0),
                };
                walk.markdown.push((entry.path().to_path_buf(), rel, stamp));
            } else {
                walk.others.push(rel);
            }
        }
        walk.sections = walk
            .markdown
            .iter()
            .filter_map(|(_, rel, _)| rel.strip_suffix("_index.md"))
            .map(|d| d.trim_end_matches('/').to_string())
            .collect();
        walk.bundles = walk
            .markdown
            .iter()
            .filter_map(|(_, rel, _)| rel.strip_suffix("index.md"))
            .filter(|d| d.is_empty() || d.ends_with('/'))
            .map(|d| d.trim_end_matches('/').to_string())
            .filter(|d| !d.is_empty())
            .collect();
        walk.others_sorted = (0..walk.others.len()).collect();
        walk.others_sorted
            .sort_unstable_by(|&a, &b| walk.others[a].cmp(&walk.others[b]));
        Ok(walk)
    }

    /// The non-Markdown files below folder `dir` (at any depth), in walk order: a range of
    /// `others_sorted` found by binary search, so that a site of many bundles is not quadratic.
    fn files_below(&self, dir: &str) -> Vec<&str> {
        if dir.is_empty() {
            return self.others.iter().map(String::as_str).collect();
        }
        let prefix = format!("{dir}/");
        let sorted = &self.others_sorted;
        let from = sorted.partition_point(|&i| self.others[i].as_str() < prefix.as_str());
        let mut found: Vec<usize> = sorted[from..]
            .iter()
            .take_while(|&&i| self.others[i].starts_with(&prefix))
            .copied()
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| self.others[i].as_str()).collect()
    }

    /// Whether `file` lies inside a bundle's folder.
    fn in_bundle(&self, file: &str) -> bool {
        let mut dir = parent_dir(file);
        while !dir.is_empty() {
            if self.bundles.contains(dir) {
                return true;
            }
            dir = parent_dir(dir);
        }
        false
    }

    /// Takes the stamps of `changed` files again, when every one of them is a Markdown file
    /// the walk knows that is still there; false when the set of files may differ.
    fn update(&mut self, content_dir: &Path, changed: &[PathBuf]) -> bool {
        for path in changed {
            let Ok(inside) = path.strip_prefix(content_dir) else {
                continue;
            };
            let rel = rel_path(Path::new(""), inside);
            let Some(entry) = self.markdown.iter_mut().find(|(_, r, _)| *r == rel) else {
                return false;
            };
            match std::fs::metadata(path) {
                Ok(m) if m.is_file() => entry.2 = stamp_of(&m),
                _ => return false,
            }
        }
        true
    }
}

fn stamp_of(m: &std::fs::Metadata) -> Stamp {
    (m.modified().ok(), m.len())
}

/// Loads every page and section below `content_dir`. Drafts are left out unless `drafts`;
/// pages dated after `hold_after` (scheduled posts) are left out and listed in
/// `Library::scheduled`.
/// All broken files are reported, not just the first. With a `cache`, unchanged files are
/// taken from it instead of being read.
pub fn load(
    content_dir: &Path,
    tz: &TimeZone,
    drafts: bool,
    hold_after: Option<jiff::Timestamp>,
    mut cache: Option<&mut FileCache>,
) -> Result<Library, Vec<Diagnostic>> {
    // With the same files as last time, every cached file sits where it did.
    let mut same_files = false;
    let walk = match cache.as_deref_mut() {
        Some(c) => {
            let changed = c.changed.take();
            same_files = match (c.walk.as_mut().and_then(Arc::get_mut), changed) {
                (Some(walk), Some(changed)) => walk.update(content_dir, &changed),
                _ => false,
            };
            match (&c.walk, same_files) {
                (Some(walk), true) => walk.clone(),
                _ => {
                    let walk = Arc::new(Walk::new(content_dir, true)?);
                    c.walk = Some(walk.clone());
                    walk
                }
            }
        }
        None => Arc::new(Walk::new(content_dir, false)?),
    };
    let markdown = &walk.markdown;
    let place = Placement { walk: &walk };
    let parsed: Vec<Result<Loaded, Vec<Diagnostic>>> = match cache {
        None => markdown
            .par_iter()
            .map(|(path, rel, _)| load_file(path, rel, tz, &place))
            .collect(),
        Some(cache) => {
            let stale: Vec<usize> = (0..markdown.len())
                .filter(|&i| {
                    let (_, rel, stamp) = &markdown[i];
                    cache.files.get(rel).is_none_or(|(old, loaded)| {
                        old != stamp
                            || stamp.0.is_none()
                            || (!same_files && !place.holds(rel, loaded))
                    })
                })
                .collect();
            let fresh: Vec<_> = stale
                .par_iter()
                .map(|&i| load_file(&markdown[i].0, &markdown[i].1, tz, &place))
                .collect();
            cache.reads = stale.len();
            for (i, result) in stale.into_iter().zip(fresh) {
                let (_, rel, stamp) = &markdown[i];
                cache.files.insert(rel.clone(), (*stamp, result));
            }
            if !same_files {
                let present: BTreeSet<&str> =
                    markdown.iter().map(|(_, rel, _)| rel.as_str()).collect();
                cache.files.retain(|rel, _| present.contains(rel.as_str()));
            }
            markdown
                .iter()
                .map(|(_, rel, _)| cache.files[rel].1.clone())
                .collect()
        }
    };

    let mut library = Library::default();
    let mut errors = Vec::new();
    for result in parsed {
        match result {
            Ok(Loaded::Page(page, warnings)) => {
                library.warnings.extend(warnings);
                let due = page
                    .meta
                    .date
                    .as_ref()
                    .filter(|d| hold_after.is_some_and(|now| d.timestamp() > now));
                if let Some(due) = due {
                    library.scheduled.push((page.path.clone(), due.clone()));
                } else if drafts || !page.meta.draft {
                    library.pages.push(page);
                }
            }
            Ok(Loaded::Section(section, warnings)) => {
                library.warnings.extend(warnings);
                library.sections.push(section);
            }
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    library.warnings.extend(walk.links.iter().cloned());
    library.loose_files = walk
        .others
        .iter()
        .filter(|f| {
            let dir = parent_dir(f);
            !walk.sections.contains(dir) && !walk.in_bundle(f)
        })
        .cloned()
        .collect();
    Ok(library)
}

/// Where files sit among the others: a page's section and a bundle's or section's files
/// depend on the whole folder, so a cached file is only reused while they are unchanged.
struct Placement<'a> {
    walk: &'a Walk,
}

impl Placement<'_> {
    /// The section folder of a page, and the files of its bundle.
    fn page(&self, rel: &str) -> (String, Vec<String>) {
        let assets = rel
            .strip_suffix("/index.md")
            .map(|dir| {
                self.walk
                    .files_below(dir)
                    .into_iter()
                    .map(|f| relative_to(f, dir))
                    .collect()
            })
            .unwrap_or_default();
        (nearest(&self.walk.sections, parent_dir(rel)), assets)
    }

    /// The files of a section's own folder.
    fn section(&self, dir: &str) -> Vec<String> {
        self.walk
            .files_below(dir)
            .into_iter()
            .filter(|f| parent_dir(f) == dir)
            .map(|f| relative_to(f, dir))
            .collect()
    }

    /// Whether a cached file still sits as it did.
    fn holds(&self, rel: &str, loaded: &Result<Loaded, Vec<Diagnostic>>) -> bool {
        match loaded {
            Ok(Loaded::Page(p, _)) => self.page(rel) == (p.section.clone(), p.assets.clone()),
            Ok(Loaded::Section(s, _)) => self.section(&s.dir) == s.assets,
            Err(_) => true,
        }
    }
}

/// A content file read without errors: a post or a section, with its warnings.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub enum Loaded {
    Page(Arc<Page>, Vec<Diagnostic>),
    Section(Arc<Section>, Vec<Diagnostic>),
}

fn load_file(
    path: &Path,
    rel: &str,
    tz: &TimeZone,
    place: &Placement<'_>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let text = read_utf8(path).map_err(|d| vec![d])?;
    let split = frontmatter::split(&text).map_err(|d| vec![d.in_file(path)])?;
    let (mut meta, warnings) = frontmatter::parse(&split, &text, path, tz)?;
    let mut body = split.body;
    let mut body_line_offset = split.body_line_offset;
    if meta.title.trim().is_empty()
        && let Some((title, rest)) = heading_title(body)
    {
        // The `# ` heading is the title: shown once, by the template.
        meta.title = title;
        body_line_offset += body[..body.len() - rest.len()].matches('\n').count();
        body = rest;
    }
    if meta.title.trim().is_empty() {
        return Err(vec![missing_title(&meta, &text, path)]);
    }
    let body = body.to_string();
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    if file_name == "_index.md" {
        let dir = parent_dir(rel).to_string();
        return Ok(Loaded::Section(
            Arc::new(Section {
                path: path.to_path_buf(),
                assets: place.section(&dir),
                dir,
                meta,
                body,
                body_line_offset,
            }),
            warnings,
        ));
    }
    let stem_source = if file_name == "index.md" {
        parent_dir(rel).rsplit('/').next().unwrap_or("")
    } else {
        file_name.trim_end_matches(".md")
    };
    let stem = strip_date_prefix(stem_source);
    if meta.date.is_none() && stem.len() < stem_source.len() {
        // `2024-03-05-x.md`: the date the file name gives (never the file's own time).
        meta.date = super::date::parse_date(&stem_source[..10], tz).ok();
    }
    let (section, assets) = place.page(rel);
    Ok(Loaded::Page(
        Arc::new(Page {
            path: path.to_path_buf(),
            rel: rel.to_string(),
            stem: stem.to_string(),
            meta,
            body,
            body_line_offset,
            assets,
            section,
        }),
        warnings,
    ))
}

/// The text of a `# ` heading that opens `body` (blank lines before it allowed) and the body
/// after it.
fn heading_title(body: &str) -> Option<(String, &str)> {
    let start = body.len() - body.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let start = body[..start].rfind('\n').map_or(0, |i| i + 1);
    let rest = &body[start..];
    let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let title = rest[..line_end].trim().strip_prefix("# ")?;
    let title = title.trim_end_matches('#').trim();
    (!title.is_empty()).then(|| (title.to_string(), &rest[line_end..]))
}

/// The error for a page without a title, pointing at a misspelt `title` key when there is one.
fn missing_title(meta: &super::FrontMatter, text: &str, path: &Path) -> Diagnostic {
    let typo = meta
        .key_lines
        .iter()
        .find(|(k, _)| k != "title" && crate::diagnostics::did_you_mean(k, ["title"]).is_some());
    let d = Diagnostic::error("缺少标题 title").in_file(path);
    match typo {
        Some((key, line)) => d
            .at(crate::diagnostics::Location::line_of(text, *line))
            .help(format!("第 {line} 行的 `{key}` 你是不是想写 `title`？")),
        None => d
            .at(crate::diagnostics::Location::line_of(text, 1))
            .help("在文章开头的 +++ 之间写上 title = \"文章标题\"，或在正文第一行写 # 文章标题"),
    }
}

/// `2024-04-02-花海` -> `花海`; names without a date prefix are kept.
pub fn strip_date_prefix(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    let is_date = bytes.len() > 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && matches!(bytes[10], b'-' | b'_');
    if is_date { &stem[11..] } else { stem }
}

fn rel_path(base: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(base).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn relative_to(file: &str, dir: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        file[dir.len() + 1..].to_string()
    }
}

/// The deepest section folder containing `dir`.
fn nearest(sections: &BTreeSet<String>, mut dir: &str) -> String {
    loop {
        if sections.contains(dir) || dir.is_empty() {
            return dir.to_string();
        }
        dir = parent_dir(dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefixes_are_removed() {
        assert_eq!(
            strip_date_prefix("2024-04-02-peach-blossom"),
            "peach-blossom"
        );
        assert_eq!(strip_date_prefix("2024-05-20-好婆媳评选"), "好婆媳评选");
        assert_eq!(strip_date_prefix("2024-05-20"), "2024-05-20");
        assert_eq!(strip_date_prefix("contact"), "contact");
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".post.md.swp",
            "post.md~",
            ".#post.md",
            "#post.md#",
            ".DS_Store",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("post.md"));
    }
}
