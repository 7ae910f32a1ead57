//! `zhen import`: turns another tool's site (Hexo, Hugo, Zola, Jekyll, a folder of Markdown)
//! into a zhen site. Each tool's module finds its posts and pages, their old URLs and where
//! their images are; the rest of the stage is shared: categories mapped by name, the permalink
//! pattern chosen, shortcodes converted, images moved beside their posts, links rewritten,
//! everything written into a new folder with a report (IMPORT-REPORT.md) of what could not be
//! converted.

pub mod hexo;
pub mod hugo;
pub mod jekyll;
pub mod markdown;
pub mod zola;

mod dest;
mod links;
mod place;
mod read;
mod report;
mod shortcodes;
mod urls;
mod write;

use std::path::{Path, PathBuf};

use jiff::ZonedDateTime;
use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;

/// The tools zhen imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    Hexo,
    Hugo,
    Zola,
    Jekyll,
    Markdown,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Hexo => "Hexo",
            Tool::Hugo => "Hugo",
            Tool::Zola => "Zola",
            Tool::Jekyll => "Jekyll",
            Tool::Markdown => "Markdown",
        }
    }
}

/// A Markdown file of the source, as its tool reads it.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The file on disk.
    pub src: PathBuf,
    /// Relative to the source folder, `/` separators: how the report names it.
    pub rel: String,
    /// Front matter left after the tool took what it interprets (categories, URL fields).
    pub front: Map<String, Value>,
    pub body: String,
    pub title: String,
    pub date: Option<ZonedDateTime>,
    /// Whether the tool publishes it as a dated post (else a plain page).
    pub post: bool,
    /// The category hierarchy: the first names the zhen category, the rest become tags.
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// The slug the source tool used (file name or `slug` field), before zhen makes it ASCII.
    pub slug: String,
    /// Site paths the tool published it at (decoded, starting with `/`).
    pub old_urls: Vec<String>,
    /// For plain pages: the folder below content/ it goes in ("" for the root).
    pub page_dir: String,
    /// Folders where relative images and attachments are looked for, first match wins.
    pub asset_dirs: Vec<PathBuf>,
}

/// What a tool module read from a source site.
#[derive(Debug, Default)]
pub struct Source {
    pub title: String,
    pub base_url: String,
    pub timezone: Option<String>,
    /// Zhen permalink patterns worth trying, translated from the tool's (best first).
    pub patterns: Vec<String>,
    pub files: Vec<Found>,
    /// The folder `@/` links of the source are relative to (Zola's content/).
    pub content_root: Option<PathBuf>,
    /// Folders whose files are published at the site root (`/images/x.png`).
    pub static_roots: Vec<PathBuf>,
    /// Problems with the site as a whole, for the report.
    pub notes: Vec<String>,
}

/// What an import did, for the command's closing message.
#[derive(Debug, Default)]
pub struct Summary {
    pub dest: PathBuf,
    pub posts: usize,
    pub pages: usize,
    pub images: usize,
    pub problems: usize,
}

/// The folder written when none is given: `<SRC>-zhen` beside the source.
pub fn default_dest(src: &Path) -> PathBuf {
    let abs = std::path::absolute(src).unwrap_or_else(|_| src.to_path_buf());
    let name = abs
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    abs.with_file_name(format!("{name}-zhen"))
}

/// Imports the `tool` site at `src` into a new zhen site at `dest`.
pub fn import(tool: Tool, src: &Path, dest: &Path) -> Result<Summary, Diagnostic> {
    if !src.is_dir() {
        return Err(
            Diagnostic::error(format!("找不到要导入的网站目录：{}", src.display()))
                .help("请写原网站的文件夹，例如 zhen import hexo ./my-blog"),
        );
    }
    let tz_default = "Asia/Shanghai";
    let probe = read::site_timezone(tool, src).unwrap_or_else(|| tz_default.to_string());
    let tz = jiff::tz::TimeZone::get(&probe)
        .unwrap_or_else(|_| jiff::tz::TimeZone::get(tz_default).unwrap_or(jiff::tz::TimeZone::UTC));
    let source = match tool {
        Tool::Hexo => hexo::read(src, &tz),
        Tool::Hugo => hugo::read(src, &tz),
        Tool::Zola => zola::read(src, &tz),
        Tool::Jekyll => jekyll::read(src, &tz),
        Tool::Markdown => markdown::read(src, &tz),
    }?;
    let plan = place::plan(source, &tz);
    dest::prepare(src, dest)?;
    write::write(tool, src, dest, plan)
}
