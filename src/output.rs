//! Writes a rendered site: everything goes into a staging folder beside the output, which
//! replaces the output only when every file was written. Files whose bytes did not change are
//! hard-linked from the previous output, so they keep their modification time.

use std::borrow::Cow;
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

/// Writes `outputs` to `out`, replacing what was there only if everything was written.
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
    let old = parent.join(format!(".{name}.zhen-old"));
    for leftover in [&staging, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| fail("无法清理临时目录", leftover, e))?;
        }
    }
    fs::create_dir_all(&staging).map_err(|e| fail("无法创建临时目录", &staging, e))?;

    let results: Vec<Result<bool, Diagnostic>> = outputs
        .par_iter()
        .map(|o| {
            let dest = staging.join(&o.path);
            if let Some(dir) = dest.parent() {
                fs::create_dir_all(dir).map_err(|e| fail("无法创建目录", dir, e))?;
            }
            write_one(&o.body, &out.join(&o.path), &dest).map_err(|e| fail("无法写入", &dest, e))
        })
        .collect();
    let mut stats = WriteStats::default();
    for r in results {
        match r {
            Ok(unchanged) => {
                stats.files += 1;
                stats.unchanged += usize::from(unchanged);
            }
            Err(d) => {
                let _ = fs::remove_dir_all(&staging);
                return Err(d);
            }
        }
    }

    if out.exists() {
        fs::rename(out, &old).map_err(|e| fail("无法替换输出目录", out, e))?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&old, out);
        return Err(fail("无法替换输出目录", out, e));
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| fail("无法删除旧的输出目录", &old, e))?;
    }
    Ok(stats)
}

/// Writes one file into staging; returns whether it was unchanged from `previous`.
fn write_one(body: &Body, previous: &Path, dest: &Path) -> io::Result<bool> {
    let bytes = body.bytes()?;
    let same = fs::metadata(previous).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(previous)? == *bytes;
    if same && fs::hard_link(previous, dest).is_ok() {
        return Ok(true);
    }
    fs::write(dest, &bytes)?;
    if same {
        // No hard links on this file system: keep the old time by hand.
        let modified = fs::metadata(previous)?.modified()?;
        fs::File::options()
            .write(true)
            .open(dest)?
            .set_modified(modified)?;
    }
    Ok(same)
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
