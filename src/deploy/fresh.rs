//! Whether a built folder may be uploaded: `zhen build` records how it built each output
//! folder (drafts, skipped checks), and `zhen deploy` refuses a folder built for preview, built
//! without checks, or older than the site's sources.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::output::MARKER;

/// How one output folder was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// The modification time of the folder's marker file (written anew by every build), in
    /// nanoseconds: a stamp whose time differs describes another build.
    pub marker: u128,
    pub drafts: bool,
    pub future: bool,
    pub no_check: bool,
}

/// The folders of a site that `zhen build` reads, besides site.toml.
const SOURCES: [&str; 5] = ["content", "static", "templates", "themes", "data"];

fn stamps_path(root: &Path) -> PathBuf {
    root.join(".zhen-cache").join("deploy").join("builds.json")
}

fn marker_time(out: &Path) -> Option<u128> {
    let modified = fs::metadata(out.join(MARKER)).ok()?.modified().ok()?;
    Some(
        modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

fn read_stamps(root: &Path) -> BTreeMap<String, Stamp> {
    fs::read(stamps_path(root))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn key(out: &Path) -> String {
    super::settings::resolve(out).to_string_lossy().into_owned()
}

/// Records how `out` was just built; `zhen build` calls it once the site is swapped in.
pub fn record(
    root: &Path,
    out: &Path,
    drafts: bool,
    future: bool,
    no_check: bool,
) -> io::Result<()> {
    let Some(marker) = marker_time(out) else {
        return Ok(());
    };
    let mut stamps = read_stamps(root);
    stamps.insert(
        key(out),
        Stamp {
            marker,
            drafts,
            future,
            no_check,
        },
    );
    let path = stamps_path(root);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("json.tmp-{}", std::process::id()));
    fs::write(
        &tmp,
        serde_json::to_vec_pretty(&stamps).map_err(io::Error::other)?,
    )?;
    fs::rename(&tmp, &path)
}

/// The newest file among the site's sources (hidden files, such as editors' swap files, left
/// out) and its modification time.
fn newest_source(root: &Path) -> Option<(PathBuf, SystemTime)> {
    let mut newest: Option<(PathBuf, SystemTime)> = None;
    let mut consider = |path: PathBuf| {
        if let Ok(t) = fs::metadata(&path).and_then(|m| m.modified())
            && newest.as_ref().is_none_or(|(_, n)| t > *n)
        {
            newest = Some((path, t));
        }
    };
    consider(root.join("site.toml"));
    for dir in SOURCES {
        let walk = walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk.flatten() {
            if entry.file_type().is_file() {
                consider(entry.into_path());
            }
        }
    }
    newest
}

/// Refuses `out` unless it is a folder `zhen build` wrote, without drafts or scheduled posts,
/// with its checks, after the last change to the sources.
pub fn gate(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let rebuild = "运行 zhen build 重新生成后再上传（确实要上传现在这份，可加 --force）";
    let Some(marker) = marker_time(out) else {
        return Err(Diagnostic::error(format!(
            "{} 不是 zhen build 生成的网站（没有 {MARKER} 标记文件），不上传",
            out.display()
        ))
        .help("先运行 zhen build 生成网站，再运行 zhen deploy"));
    };
    let Some(stamp) = read_stamps(root).get(&key(out)).copied() else {
        return Err(Diagnostic::error(format!(
            "不知道 {} 是怎样生成的（可能是旧版本的 zhen 或别的电脑生成的），不上传",
            out.display()
        ))
        .help(rebuild));
    };
    if stamp.marker != marker {
        return Err(Diagnostic::error(format!(
            "{} 在上次记录之后被别的方式改过，不上传",
            out.display()
        ))
        .help(rebuild));
    }
    let flag = if stamp.drafts {
        Some(("--drafts", "连草稿一起生成的"))
    } else if stamp.no_check {
        Some(("--no-check", "跳过了内容检查"))
    } else {
        None
    };
    if let Some((flag, what)) = flag {
        return Err(Diagnostic::error(format!(
            "{} 是用 {flag} 生成的（{what}），只能内部预览，不上传",
            out.display()
        ))
        .help(
            "运行 zhen build（不加这个选项）重新生成后再上传；确实要上传现在这份，可加 --force",
        ));
    }
    if let Some((file, time)) = newest_source(root)
        && time
            .duration_since(SystemTime::UNIX_EPOCH)
            .is_ok_and(|d| d.as_nanos() > marker)
    {
        let shown = file.strip_prefix(root).unwrap_or(&file);
        return Err(Diagnostic::error(format!(
            "{} 比网站的源文件旧：{} 在上次生成之后改过，不上传",
            out.display(),
            shown.display()
        ))
        .help(rebuild));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("site.toml"), "title = \"x\"\n").unwrap();
        fs::create_dir_all(dir.path().join("content")).unwrap();
        fs::write(dir.path().join("content/a.md"), "x").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::create_dir_all(dir.path().join("public")).unwrap();
        fs::write(dir.path().join("public").join(MARKER), "m").unwrap();
        dir
    }

    #[test]
    fn a_fresh_checked_build_passes_and_a_preview_build_does_not() {
        let dir = site();
        let (root, out) = (dir.path(), dir.path().join("public"));
        assert!(gate(root, &out).is_err(), "no stamp yet");
        record(root, &out, false, false, false).unwrap();
        gate(root, &out).unwrap();
        record(root, &out, true, false, false).unwrap();
        let shown = gate(root, &out).unwrap_err().render(false);
        assert!(shown.contains("--drafts"), "{shown}");
        record(root, &out, false, false, true).unwrap();
        let shown = gate(root, &out).unwrap_err().render(false);
        assert!(shown.contains("--no-check"), "{shown}");
    }

    #[test]
    fn an_edit_after_the_build_names_the_file() {
        let dir = site();
        let (root, out) = (dir.path(), dir.path().join("public"));
        record(root, &out, false, false, false).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(root.join("content/a.md"), "changed").unwrap();
        let shown = gate(root, &out).unwrap_err().render(false);
        assert!(shown.contains("content/a.md"), "{shown}");
    }
}
