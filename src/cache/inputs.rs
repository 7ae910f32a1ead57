//! Stamps (modification time and length) of the files a build reads and of the files it
//! wrote, which tell a later build whether anything changed since.

use std::path::Path;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;

/// Files by path (relative to the folder they were taken in) with their stamps, sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamps(pub Vec<(String, Stamp)>);

/// Modification time in nanoseconds since 1970 and length; None for a file that is missing.
pub type Stamp = Option<(u128, u64)>;

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::symlink_metadata(path).ok()?;
    let modified = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((modified.as_nanos(), m.len()))
}

/// The folders and files below the site folder that a build reads: site.toml, wording.toml,
/// urls.txt, content/, static/, templates/, themes/, data/ and the logo.
pub fn sources(config: &Config) -> Stamps {
    let root = &config.root;
    let mut names: Vec<String> = ["site.toml", "wording.toml", "urls.txt"]
        .map(String::from)
        .to_vec();
    if !config.identity.logo.is_empty() {
        names.push(config.identity.logo.clone());
    }
    for dir in ["content", "static", "templates", "themes", "data"] {
        for entry in WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
        {
            if let Ok(rel) = entry.path().strip_prefix(root) {
                names.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    of(root, names)
}

/// Every file in the output folder `out` (zhen's marker left out), sorted: what the last
/// build left there, or what is there now.
pub fn outputs(out: &Path) -> Stamps {
    // An output folder that cannot be listed (not there yet) has no files to compare.
    let names = crate::output::files(out, &|_| false).unwrap_or_default();
    of(out, names).sorted()
}

/// Whether a killed build left its staging, old or patch folder beside `out`
/// (`.public.zhen-staging-…`, `.public.zhen-old-…`, `.public.zhen-patch-…`), which the next build that writes removes.
pub fn leftovers(out: &Path) -> bool {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return false;
    };
    let prefix = format!(".{}.zhen-", name.to_string_lossy());
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    std::fs::read_dir(parent).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_prefix(&prefix).is_some_and(|rest| {
                ["staging-", "old-", "patch-"]
                    .iter()
                    .any(|k| rest.starts_with(k))
            })
        })
    })
}

/// The stamps of `names`, files relative to `dir`.
pub fn of(dir: &Path, names: Vec<String>) -> Stamps {
    let stamps: Vec<Stamp> = names.par_iter().map(|n| stamp(&dir.join(n))).collect();
    Stamps(names.into_iter().zip(stamps).collect())
}

impl Stamps {
    /// Takes the stamp of `name` (relative to `dir`) again, after the build itself wrote it.
    pub fn restamp(&mut self, dir: &Path, name: &str) {
        for (n, s) in &mut self.0 {
            if n == name {
                *s = stamp(&dir.join(name));
            }
        }
    }

    /// Takes the stamps of `names` (relative to `dir`) again: a file that is gone leaves,
    /// a new one joins in order.
    pub fn update(&mut self, dir: &Path, names: &[String]) {
        for name in names {
            let now = stamp(&dir.join(name));
            match self.0.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
                Ok(i) if now.is_none() => {
                    self.0.remove(i);
                }
                Ok(i) => self.0[i].1 = now,
                Err(i) if now.is_some() => self.0.insert(i, (name.clone(), now)),
                Err(_) => {}
            }
        }
    }

    /// The stamp recorded for `name`.
    pub fn get(&self, name: &str) -> Option<Stamp> {
        self.0
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| self.0[i].1)
    }

    /// Sorted by name, for [`Stamps::get`].
    pub fn sorted(mut self) -> Stamps {
        self.0.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self
    }
}
