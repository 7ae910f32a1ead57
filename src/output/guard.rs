//! Which folders zhen may replace with a built site: never the site's own sources, and never a
//! folder of somebody's files. An output folder zhen made carries a marker file; a non-empty
//! folder without it is refused rather than cleared.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The marker file zhen writes into every output folder it makes.
pub const MARKER: &str = ".zhen-output";

/// What the marker file says to whoever finds it.
pub const MARKER_TEXT: &str = "这个文件夹由 zhen build 生成，每次生成都会被整个替换；不要在这里存放别的文件。\nThis folder is written by `zhen build` and replaced by every build.\n";

/// The folders of a site that hold its sources.
const SOURCE_DIRS: [&str; 5] = ["content", "static", "templates", "themes", "data"];

/// `path` made absolute with symbolic links resolved, also when it does not exist yet (its
/// nearest existing ancestor is resolved and the rest appended).
pub fn resolve(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    let mut real = loop {
        if let Ok(real) = fs::canonicalize(&existing) {
            break real;
        }
        let Some(last) = existing.components().next_back() else {
            return abs;
        };
        rest.push(last.as_os_str().to_os_string());
        if !existing.pop() {
            return abs;
        }
    };
    // What is left does not exist, so it holds no links: `..` is the folder above.
    for part in rest.iter().rev() {
        if part == ".." {
            real.pop();
        } else if part != "." {
            real.push(part);
        }
    }
    real
}

/// Refuses an output folder whose replacement would delete something that is not a site zhen
/// built: the site root or a folder above it, a source folder or anything inside one, a file,
/// or a non-empty folder without zhen's marker.
pub fn check_output_dir(out: &Path, root: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: String, help: &str| {
        Err(Diagnostic::error(format!("不能用 {} 作输出目录：{why}", out.display())).help(help))
    };
    let (out_abs, root_abs) = (resolve(out), resolve(root));
    if root_abs.starts_with(&out_abs) {
        return refuse(
            "它就是网站目录，或者包含网站目录".into(),
            "输出目录每次生成都会被整个替换：请用单独的目录，例如默认的 public/",
        );
    }
    if let Some(dir) = SOURCE_DIRS
        .iter()
        .find(|d| out_abs.starts_with(root_abs.join(d)))
    {
        return refuse(
            format!("它在网站的源文件目录 {dir}/ 里面"),
            "输出目录每次生成都会被整个替换：请用单独的目录，例如默认的 public/",
        );
    }
    let Ok(meta) = fs::metadata(&out_abs) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return refuse(
            "这是一个文件，不是文件夹".into(),
            "换一个文件夹名，例如默认的 public/",
        );
    }
    let mut entries = fs::read_dir(&out_abs).map_err(|e| {
        Diagnostic::error(format!("无法读取输出目录 {}：{e}", out.display()))
            .help("请确认这个目录存在并且可以读写")
    })?;
    if entries.next().is_some() && !out_abs.join(MARKER).is_file() {
        return refuse(
            format!(
                "这个文件夹里已经有文件，但不是 zhen 生成的（没有 {MARKER} 标记文件）。为了不删除你的文件，zhen 不会清空它"
            ),
            "换一个空文件夹或还不存在的文件夹；确认里面的文件都不要了，就先自己清空它",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_foreign_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("site.toml"), "").unwrap();
        fs::create_dir_all(root.join("content/posts")).unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root.parent().unwrap(), root).is_err());
        assert!(check_output_dir(&root.join("content"), root).is_err());
        assert!(check_output_dir(&root.join("content/posts/out"), root).is_err());
        assert!(check_output_dir(&root.join("public"), root).is_ok());
        let docs = root.join("my-documents");
        fs::create_dir_all(&docs).unwrap();
        assert!(
            check_output_dir(&docs, root).is_ok(),
            "an empty folder is fine"
        );
        fs::write(docs.join("工作总结.docx"), "x").unwrap();
        let e = check_output_dir(&docs, root).unwrap_err();
        assert!(e.message.contains("不是 zhen 生成的"), "{e}");
        fs::write(docs.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_output_dir(&docs, root).is_ok());
        assert!(
            check_output_dir(&docs.join(MARKER), root).is_err(),
            "a file"
        );
    }

    #[test]
    fn relative_and_missing_paths_resolve() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(resolve(&dir.path().join("a/b")), real.join("a/b"));
        assert_eq!(resolve(&dir.path().join("a/../c")), real.join("c"));
    }
}
