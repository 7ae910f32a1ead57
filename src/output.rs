//! Writes a rendered site: changed files go into a staging folder beside the output and are
//! moved in only when every one was written, so a failed write leaves the previous site as it
//! was. Files whose bytes did not change are left alone and keep their modification time.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

/// The bytes of one output file.
#[derive(Debug, Clone)]
pub enum Body {
    /// Rendered in memory.
    Rendered(Arc<[u8]>),
    /// Copied from this file.
    File(PathBuf),
    /// Built into the binary (the default theme).
    Builtin(&'static [u8]),
}

impl Body {
    /// The bytes, read from disk for a copied file.
    pub fn bytes(&self) -> io::Result<Cow<'_, [u8]>> {
        match self {
            Body::Rendered(bytes) => Ok(Cow::Borrowed(bytes)),
            Body::Builtin(bytes) => Ok(Cow::Borrowed(bytes)),
            Body::File(path) => fs::read(path).map(Cow::Owned),
        }
    }
}

/// One file of the site, at `path` relative to the output folder (`/` separators).
#[derive(Debug, Clone)]
pub struct Output {
    pub path: String,
    pub body: Body,
}

/// What writing did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    /// Files whose bytes were the same as in the previous output.
    pub unchanged: usize,
}

/// Refuses output folders whose replacement would delete the site's own sources.
pub fn check_output_dir(out: &Path, root: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| {
        fs::canonicalize(p)
            .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    let (out_abs, root_abs) = (abs(out), abs(root));
    if root_abs.starts_with(&out_abs)
        || out.join("site.toml").exists()
        || out.join("content").is_dir()
    {
        return Err(Diagnostic::error(format!(
            "输出目录 {} 包含网站源文件，不能用作输出目录",
            out.display()
        ))
        .help("输出目录会被整个替换：请用单独的目录，例如默认的 public/"));
    }
    Ok(())
}

/// Writes `outputs` to `out`. Changed and new files are first written to a staging folder
/// beside `out`; only when all of them were written are they moved into `out` and the files
/// the site no longer has removed. Unchanged files are not touched at all, so they keep their
/// modification time.
pub fn write_site(outputs: &[Output], out: &Path) -> Result<WriteStats, Diagnostic> {
    let fail = |what: &str, path: &Path, e: io::Error| {
        Diagnostic::error(format!("{what} {}：{e}", path.display()))
            .help("请确认磁盘空间充足、输出目录可写；上一次生成的网站保持不变")
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.zhen-staging"));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| fail("无法清理临时目录", &staging, e))?;
    }
    fs::create_dir_all(&staging).map_err(|e| fail("无法创建临时目录", &staging, e))?;

    // Stage every file whose bytes differ from the previous output.
    let results: Vec<Result<bool, Diagnostic>> = outputs
        .par_iter()
        .map(|o| {
            let bytes = o
                .body
                .bytes()
                .map_err(|e| fail("无法读取", Path::new(&o.path), e))?;
            let previous = out.join(&o.path);
            let same = fs::metadata(&previous)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && fs::read(&previous).is_ok_and(|old| old == *bytes);
            if same {
                return Ok(false);
            }
            let dest = staging.join(&o.path);
            if let Some(dir) = dest.parent() {
                fs::create_dir_all(dir).map_err(|e| fail("无法创建目录", dir, e))?;
            }
            fs::write(&dest, &bytes).map_err(|e| fail("无法写入", &dest, e))?;
            Ok(true)
        })
        .collect();
    let mut changed = Vec::new();
    for (o, r) in outputs.iter().zip(results) {
        match r {
            Ok(true) => changed.push(o.path.as_str()),
            Ok(false) => {}
            Err(d) => {
                let _ = fs::remove_dir_all(&staging);
                return Err(d);
            }
        }
    }
    let stats = WriteStats {
        files: outputs.len(),
        unchanged: outputs.len() - changed.len(),
    };

    if !out.exists() {
        fs::rename(&staging, out).map_err(|e| fail("无法生成输出目录", out, e))?;
        return Ok(stats);
    }
    // Everything is written: move the new files in, then remove what the site no longer has.
    for path in &changed {
        let dest = out.join(path);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(|e| fail("无法创建目录", dir, e))?;
        }
        if dest.is_dir() {
            fs::remove_dir_all(&dest).map_err(|e| fail("无法替换", &dest, e))?;
        }
        fs::rename(staging.join(path), &dest).map_err(|e| fail("无法替换", &dest, e))?;
    }
    let keep: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    remove_stale(out, out, &keep).map_err(|e| fail("无法删除旧文件", out, e))?;
    fs::remove_dir_all(&staging).map_err(|e| fail("无法清理临时目录", &staging, e))?;
    Ok(stats)
}

/// Removes the files below `dir` that are not in `keep` (paths relative to `root`), and the
/// folders that leaves empty. Returns whether `dir` is now empty.
fn remove_stale(root: &Path, dir: &Path, keep: &HashSet<&str>) -> io::Result<bool> {
    let mut empty = true;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if remove_stale(root, &path, keep)? {
                fs::remove_dir(&path)?;
            } else {
                empty = false;
            }
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if keep.contains(rel.as_str()) {
                empty = false;
            } else {
                fs::remove_file(&path)?;
            }
        }
    }
    Ok(empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, text: &str) -> Output {
        Output {
            path: path.into(),
            body: Body::Rendered(Arc::from(text.as_bytes())),
        }
    }

    #[test]
    fn unchanged_files_keep_their_mtime_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        write_site(
            &[
                out("a/index.html", "A"),
                out("b.html", "B"),
                out("gone.html", "G"),
            ],
            &public,
        )
        .unwrap();
        let before = fs::metadata(public.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stats = write_site(&[out("a/index.html", "A"), out("b.html", "B2")], &public).unwrap();
        assert_eq!(
            stats,
            WriteStats {
                files: 2,
                unchanged: 1
            }
        );
        assert_eq!(
            fs::metadata(public.join("a/index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            before
        );
        assert_eq!(fs::read_to_string(public.join("b.html")).unwrap(), "B2");
        assert!(!public.join("gone.html").exists());
        assert!(!dir.path().join(".public.zhen-staging").exists());
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        write_site(&[out("index.html", "old")], &public).unwrap();
        let missing = Output {
            path: "x.png".into(),
            body: Body::File(dir.path().join("nope.png")),
        };
        assert!(write_site(&[out("index.html", "new"), missing], &public).is_err());
        assert_eq!(
            fs::read_to_string(public.join("index.html")).unwrap(),
            "old"
        );
    }

    #[test]
    fn source_folders_are_refused_as_output() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("site.toml"), "").unwrap();
        assert!(check_output_dir(dir.path(), dir.path()).is_err());
        assert!(check_output_dir(&dir.path().join("public"), dir.path()).is_ok());
    }
}
