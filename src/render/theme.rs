//! Where a theme's templates and static files come from: `themes/<name>/` in the site, or the
//! default theme built into the binary when the site has no copy of its own.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;
use crate::output::Body;

/// The default theme, built into the binary.
pub static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/township");

/// The name of the built-in theme.
pub const BUILTIN_NAME: &str = "township";

/// A template's name, the file to name in messages, and its text.
pub struct TemplateFile {
    pub name: String,
    pub origin: PathBuf,
    pub text: String,
}

/// Templates and static files of a theme.
pub struct Theme {
    pub templates: Vec<TemplateFile>,
    /// (path relative to the output folder, bytes).
    pub static_files: Vec<(String, Body)>,
}

impl Theme {
    /// Loads theme `name` from `root/themes/name`, or the built-in default theme.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Ok(Theme {
                templates: templates_on_disk(&dir.join("templates"))?,
                static_files: files_on_disk(&dir.join("static"))?,
            });
        }
        if name != BUILTIN_NAME {
            return Err(Diagnostic::error(format!("找不到主题 \"{name}\"：{} 不存在", dir.display()))
                .in_file(root.join("site.toml"))
                .help(format!("把主题放到 themes/{name}/，或在 site.toml 里写 theme = \"{BUILTIN_NAME}\" 使用内置主题")));
        }
        let mut templates = Vec::new();
        let mut static_files = Vec::new();
        collect_builtin(&BUILTIN, &mut templates, &mut static_files);
        Ok(Theme {
            templates,
            static_files,
        })
    }
}

fn collect_builtin(
    dir: &'static Dir<'static>,
    templates: &mut Vec<TemplateFile>,
    statics: &mut Vec<(String, Body)>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            templates.push(TemplateFile {
                name: name.to_string(),
                origin: PathBuf::from(format!("<内置主题>/{path}")),
                text: String::from_utf8_lossy(file.contents()).into_owned(),
            });
        } else if let Some(rel) = path.strip_prefix("static/") {
            statics.push((rel.to_string(), Body::Builtin(file.contents())));
        }
    }
    for sub in dir.dirs() {
        collect_builtin(sub, templates, statics);
    }
}

/// Every template below `dir` (missing folder: none), named by its path relative to `dir`.
pub fn templates_on_disk(dir: &Path) -> Result<Vec<TemplateFile>, Diagnostic> {
    walk_files(dir)?
        .into_iter()
        .map(|(name, origin)| {
            let text = crate::content::read_utf8(&origin)?;
            Ok(TemplateFile { name, origin, text })
        })
        .collect()
}

/// Every file below `dir` as a static file to publish at its path relative to `dir`.
pub fn files_on_disk(dir: &Path) -> Result<Vec<(String, Body)>, Diagnostic> {
    Ok(walk_files(dir)?
        .into_iter()
        .map(|(rel, path)| (rel, Body::File(path)))
        .collect())
}

/// Warnings for the symbolic links below the site's `static/` and `templates/` and its theme's
/// folder, which are skipped like those in content/ (see `content::skipped_link`).
pub fn skipped_links(root: &Path, theme: &str) -> Vec<Diagnostic> {
    let dirs = [
        root.join("static"),
        root.join("templates"),
        root.join("themes").join(theme),
    ];
    dirs.iter()
        .filter(|d| d.is_dir())
        .flat_map(|d| {
            walkdir::WalkDir::new(d)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.depth() > 0 && e.path_is_symlink())
                .map(|e| crate::content::skipped_link(e.path()))
        })
        .collect()
}

/// Every file below `dir` (missing folder: none), relative to it, editor leftovers skipped.
fn walk_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::content::is_ignored_name(&e.file_name().to_string_lossy())
        })
    {
        let entry =
            entry.map_err(|e| Diagnostic::error(format!("无法读取目录：{e}")).in_file(dir))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, entry.path().to_path_buf()));
        }
    }
    Ok(out)
}
