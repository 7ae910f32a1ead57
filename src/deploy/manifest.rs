//! The deploy manifest: every file a `zhen deploy` put on a target, with its size and xxh3
//! hash. It is stored on the target (`.zhen-deploy.json` under the prefix) and cached in
//! `.zhen-cache/deploy/`; the same type describes the built `public/` folder.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The manifest's name on the target, under the prefix.
pub const REMOTE_NAME: &str = ".zhen-deploy.json";

/// The hash of a file whose upload was started but not confirmed: it matches no real file, so
/// the next deploy sends it again (or deletes it, as zhen's own, when the site no longer has it).
pub const PENDING: &str = "pending";

/// One file: its size in bytes and the hex xxh3-64 hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub size: u64,
    pub hash: String,
}

/// Files by their path inside the site (`news/2024/a/index.html`, no leading slash).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    pub fn new(files: BTreeMap<String, Entry>) -> Self {
        Manifest { version: 1, files }
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a manifest serialises")
    }

    pub fn from_json(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice(bytes).ok()
    }
}

/// Whether a path of the built folder is zhen's own bookkeeping rather than part of the site:
/// the output marker, the build lock and staging folders (inside the output when it is a mount
/// point) and a deploy manifest; never uploaded.
pub fn is_bookkeeping(path: &str) -> bool {
    let first = path.split('/').next().unwrap_or(path);
    first.starts_with(".zhen-") || first.starts_with(".public.zhen-")
}

/// Hashes bytes the way manifests do.
pub fn hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// The files of the built folder `dir` (symbolic links and zhen's bookkeeping left out),
/// hashed in parallel.
pub fn scan(dir: &Path) -> io::Result<Manifest> {
    let mut paths: Vec<(String, PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map_err(io::Error::other)?
            .to_string_lossy()
            .replace('\\', "/");
        if !is_bookkeeping(&rel) {
            paths.push((rel, entry.path().to_path_buf()));
        }
    }
    let files = paths
        .into_par_iter()
        .map(|(rel, path)| {
            let bytes = fs::read(&path)?;
            Ok((
                rel,
                Entry {
                    size: bytes.len() as u64,
                    hash: hash(&bytes),
                },
            ))
        })
        .collect::<io::Result<BTreeMap<_, _>>>()?;
    Ok(Manifest::new(files))
}

/// The local copy of a target's manifest: `.zhen-cache/deploy/<target>.json` beside site.toml.
pub fn cache_path(root: &Path, target: &str) -> PathBuf {
    root.join(".zhen-cache")
        .join("deploy")
        .join(format!("{target}.json"))
}

/// The cached manifest of a target, if there is a readable one.
pub fn read_cache(root: &Path, target: &str) -> Option<Manifest> {
    Manifest::from_json(&fs::read(cache_path(root, target)).ok()?)
}

/// Replaces the cached manifest of a target (written aside, then renamed).
pub fn write_cache(root: &Path, target: &str, manifest: &Manifest) -> io::Result<()> {
    let path = cache_path(root, target);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("json.tmp-{}", std::process::id()));
    fs::write(&tmp, manifest.to_json())?;
    fs::rename(&tmp, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookkeeping_is_left_out_of_the_scan() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".zhen-output"), "m").unwrap();
        fs::create_dir_all(dir.path().join(".zhen-staging-12/a")).unwrap();
        fs::write(dir.path().join(".zhen-staging-12/a/x.html"), "s").unwrap();
        fs::write(dir.path().join(".zhen-lock"), "").unwrap();
        fs::create_dir_all(dir.path().join("news")).unwrap();
        fs::write(dir.path().join("news/index.html"), "<p>hi</p>").unwrap();
        fs::write(dir.path().join(".well-known"), "keep").unwrap();
        let m = scan(dir.path()).unwrap();
        let paths: Vec<&str> = m.files.keys().map(String::as_str).collect();
        assert_eq!(paths, [".well-known", "news/index.html"]);
        assert_eq!(m.files["news/index.html"].size, 9);
        assert_eq!(m.files["news/index.html"].hash, hash(b"<p>hi</p>"));
    }

    #[test]
    fn manifests_round_trip() {
        let m = Manifest::new(BTreeMap::from([(
            "a.css".to_string(),
            Entry {
                size: 3,
                hash: hash(b"abc"),
            },
        )]));
        assert_eq!(Manifest::from_json(&m.to_json()), Some(m));
    }
}
