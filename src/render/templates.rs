//! Tera set-up: the theme's templates overridden file by file by the site's `templates/`, and
//! template errors turned into located diagnostics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};

use std::sync::Arc;

use super::functions::Lookup;
use super::theme::{TemplateFile, templates_on_disk};
use crate::diagnostics::{Diagnostic, Location};

/// The source of each template, to point into it when it fails.
#[derive(Default)]
pub struct Sources {
    files: BTreeMap<String, (PathBuf, String)>,
}

impl Sources {
    /// Every template's name and text.
    pub fn texts(&self) -> Vec<(&str, &str)> {
        self.files
            .iter()
            .map(|(name, (_, text))| (name.as_str(), text.as_str()))
            .collect()
    }

    /// The names of every loaded template.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Tera's own multi-error reports name templates (`--> page.html:2:3`): name their files.
    fn with_paths(&self, report: &str) -> String {
        let mut out = report.to_string();
        for (name, (origin, _)) in &self.files {
            out = out.replace(
                &format!("--> {name}:"),
                &format!("--> {}:", origin.display()),
            );
        }
        out
    }

    /// Turns a Tera error into a diagnostic naming the template file, line and column.
    pub fn error(&self, e: &tera::Error, doing: &str) -> Diagnostic {
        let report = match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let mut message = format!(
            "{doing}：{}",
            report.map_or_else(
                || self.with_paths(&e.to_string()),
                |r| r.message().to_string()
            )
        );
        let mut source = std::error::Error::source(e);
        while let Some(inner) = source {
            message.push_str(&format!("：{inner}"));
            source = inner.source();
        }
        let mut d = Diagnostic::error(message)
            .help("请检查模板语法（Tera），变量名是否写对，过滤器参数是否齐全");
        if let Some(r) = report
            && let Some((origin, text)) = self.files.get(r.filename())
        {
            d = d
                .in_file(origin)
                .at(Location::in_source(text, r.span().range.clone()));
        }
        if let ErrorKind::TemplateNotFound(name) | ErrorKind::MissingParent { parent: name, .. } =
            e.kind()
        {
            d = d.help(format!(
                "找不到模板 {name}；现有模板：{}",
                self.names().collect::<Vec<_>>().join("、")
            ));
        }
        d
    }
}

/// Loads the theme's templates, then the site's `templates/` over them, with zhen's filters
/// and the functions that look things up in `lookup`.
pub fn load(
    root: &Path,
    theme_templates: Vec<TemplateFile>,
    lookup: Arc<Lookup>,
) -> Result<(Tera, Sources), Diagnostic> {
    let mut sources = Sources::default();
    let site_templates = templates_on_disk(&root.join("templates"))?;
    for TemplateFile { name, origin, text } in theme_templates.into_iter().chain(site_templates) {
        sources.files.insert(name, (origin, text));
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".htm"]);
    super::filters::register(&mut tera, &lookup.tz, &lookup.base_url);
    super::functions::register(&mut tera, lookup);
    tera.add_raw_templates(
        sources
            .files
            .iter()
            .map(|(name, (_, text))| (name.as_str(), text.as_str())),
    )
    .map_err(|e| sources.error(&e, "模板有错误"))?;
    Ok((tera, sources))
}
