//! Loading: walk content/, split and parse front matter, and collect pages, sections and the
//! files that travel with them into a [`Library`].

pub mod date;
pub mod fields;
pub mod frontmatter;
mod lint;
mod loader;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use frontmatter::FrontMatter;
pub use loader::{FileCache, SavedFiles, is_ignored_name, load};

use crate::diagnostics::{Diagnostic, Location};

/// Text that `zhen new` and `zhen init` write for the office to replace, with what to do
/// about it: publishing it is an error (C9).
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "在这里写正文。",
        "这是 zhen new 写的示例正文：换成文章的内容",
    ),
    (
        "这是用 zhen 新建的第一篇文章",
        "这是 zhen init 写的示例文章：改成真实的内容，或删掉这个文件",
    ),
    ("某某镇", "示例名称“某某镇”：改成你们镇（单位）的名字"),
    (
        "example.gov.cn",
        "示例网址：改成网站真实的域名（site.toml 的 base_url）",
    ),
];

/// The body `zhen new` writes.
pub const SAMPLE_BODY: &str = PLACEHOLDERS[0].0;

/// One Markdown page (a post when it has a category, else a plain page of its section).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Page {
    /// The file on disk.
    pub path: PathBuf,
    /// Path relative to content/, with `/` separators: what `@/` links name.
    pub rel: String,
    pub meta: FrontMatter,
    pub body: String,
    /// Lines before the body in the file, to turn body positions into file lines.
    pub body_line_offset: usize,
    /// The file name without extension and date prefix (`2024-04-02-花海` -> `花海`); for a
    /// bundle (`index.md`), its folder's name.
    pub stem: String,
    /// Files beside a bundle's index.md, relative to the bundle folder.
    pub assets: Vec<String>,
    /// The folder of the section the page belongs to ("" for the root).
    pub section: String,
}

/// A folder with an `_index.md`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Section {
    pub path: PathBuf,
    /// The folder relative to content/ ("" for the root, else `about`, `columns/farm-stay`).
    pub dir: String,
    pub meta: FrontMatter,
    pub body: String,
    pub body_line_offset: usize,
    /// Non-Markdown files in the folder (not in bundles below it), relative to it.
    pub assets: Vec<String>,
}

/// Everything loaded from content/.
#[derive(Debug, Default, Clone)]
pub struct Library {
    /// Shared with `zhen serve`'s cache: an unchanged file is the same `Arc` from build to
    /// build, which later stages use to tell what changed.
    pub pages: Vec<Arc<Page>>,
    pub sections: Vec<Arc<Section>>,
    /// Files outside bundles and sections, relative to content/, copied as they are.
    pub loose_files: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    /// Pages dated after the build's "now", held back until then: file and publication time.
    pub scheduled: Vec<(PathBuf, jiff::ZonedDateTime)>,
}

impl Library {
    /// Drops the Markdown texts, once rendered, where nothing else holds them: a build keeps
    /// its outputs in memory until they are checked and written, and no longer needs its
    /// sources (`zhen check` reads them again from disk).
    pub fn forget_bodies(&mut self) {
        for page in &mut self.pages {
            if let Some(p) = Arc::get_mut(page) {
                p.body = String::new();
            }
        }
        for section in &mut self.sections {
            if let Some(s) = Arc::get_mut(section) {
                s.body = String::new();
            }
        }
    }
}

/// Reads a text file, reporting invalid UTF-8 (often GBK from an old editor) by line.
pub fn read_utf8(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("无法读取文件：{e}"))
            .in_file(path)
            .help("请确认文件存在并且有读取权限")
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..good].iter().filter(|&&b| b == b'\n').count() + 1;
        let text = String::from_utf8_lossy(bytes);
        Diagnostic::error("文件不是 UTF-8 编码（可能是用旧编辑器保存的 GBK 文件）")
            .in_file(path)
            .at(Location::line_of(&text, line))
            .help("请用编辑器把文件另存为 UTF-8 编码，例如记事本的“另存为 → 编码：UTF-8”")
    })
}

/// The warning for symbolic link `path`, which zhen skips: a link is never followed, so that
/// nothing outside the site (a home folder, /etc) can be published through one, and a site
/// copied elsewhere builds the same.
pub fn skipped_link(path: &Path) -> Diagnostic {
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let why = match std::fs::metadata(path) {
        Err(_) => format!("它指向的 {target} 不存在"),
        Ok(_) => format!("它指向 {target}"),
    };
    Diagnostic::warning(format!(
        "跳过了符号链接（快捷方式）{}：zhen 不跟随符号链接，{why}",
        path.display()
    ))
    .in_file(path)
    .help("网站只发布网站文件夹里的真实文件：请把要发布的文件本身复制到这里，再删掉这个链接")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_files_are_reported_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("gbk.md");
        // "标题" in GBK on line 2.
        std::fs::write(&p, b"+++\ntitle = \"\xb1\xea\xcc\xe2\"\n+++\n").unwrap();
        let d = read_utf8(&p).unwrap_err();
        let text = d.render(false);
        assert!(text.contains("UTF-8"), "{text}");
        assert!(text.contains("gbk.md:2:"), "{text}");
    }
}
