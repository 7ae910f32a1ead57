//! The folder an import writes: never inside the source nor around it, new or empty, or holding
//! a previous import (its marker file), which is then emptied and written again.

use std::fs;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The file that marks a folder as written by `zhen import`.
pub const MARKER: &str = ".zhen-import";

/// Makes `dest` an empty folder ready for the import of `src`.
pub fn prepare(src: &Path, dest: &Path) -> Result<(), Diagnostic> {
    let src_abs = fs::canonicalize(src)
        .map_err(|e| Diagnostic::error(format!("无法读取 {}：{e}", src.display())))?;
    let dest_abs = std::path::absolute(dest).unwrap_or_else(|_| dest.to_path_buf());
    // Resolve what exists of the destination, so links cannot hide where it is.
    let mut probe = dest_abs.clone();
    let mut tail = Vec::new();
    while !probe.exists() {
        match (probe.file_name(), probe.parent()) {
            (Some(n), Some(p)) => {
                tail.push(n.to_owned());
                probe = p.to_path_buf();
            }
            _ => break,
        }
    }
    let mut dest_real = fs::canonicalize(&probe).unwrap_or(probe);
    for n in tail.iter().rev() {
        dest_real.push(n);
    }
    if dest_real.starts_with(&src_abs) || src_abs.starts_with(&dest_real) {
        return Err(Diagnostic::error(format!(
            "导入的目标目录 {} 不能在原网站 {} 里面，也不能包含它",
            dest.display(),
            src.display()
        ))
        .help("请换一个目标目录，例如原网站旁边的新文件夹（不写目标目录时默认是 <原目录>-zhen）"));
    }
    if dest_real.exists() {
        if !dest_real.is_dir() {
            return Err(Diagnostic::error(format!("{} 不是文件夹", dest.display()))
                .help("请写一个新文件夹的名字作为目标目录"));
        }
        let entries: Vec<_> = fs::read_dir(&dest_real)
            .map_err(|e| Diagnostic::error(format!("无法读取 {}：{e}", dest.display())))?
            .filter_map(Result::ok)
            .collect();
        if !entries.is_empty() {
            if !dest_real.join(MARKER).is_file() {
                return Err(Diagnostic::error(format!(
                    "目标目录 {} 不是空的，导入不会覆盖已有文件",
                    dest.display()
                ))
                .help("请写一个新文件夹或空文件夹作为目标目录"));
            }
            // A previous import: written again from scratch.
            for e in entries {
                let p = e.path();
                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                let result = if is_dir {
                    fs::remove_dir_all(&p)
                } else {
                    fs::remove_file(&p)
                };
                result.map_err(|err| {
                    Diagnostic::error(format!("无法清理上次导入的 {}：{err}", p.display()))
                })?;
            }
        }
    }
    fs::create_dir_all(&dest_real)
        .map_err(|e| Diagnostic::error(format!("无法新建 {}：{e}", dest.display())))?;
    fs::write(dest_real.join(MARKER), "zhen import\n")
        .map_err(|e| Diagnostic::error(format!("无法写入 {}：{e}", dest.display())))?;
    Ok(())
}
