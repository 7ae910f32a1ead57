//! Errors and warnings shown to publicists: each names the file, line and column, shows the
//! offending line with a caret under the problem, and says how to fix it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column (in characters), and the text of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub line_text: String,
    /// Byte range of the problem inside `line_text`.
    pub span: Range<usize>,
}

impl Location {
    /// The location of byte range `range` of `source`. The range is clamped to the source and
    /// to its first line, so any range a parser reports can be shown.
    pub fn in_source(source: &str, range: Range<usize>) -> Self {
        let start = floor_char_boundary(source, range.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line_text = source[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let end = floor_char_boundary(source, range.end.clamp(start, line_end));
        let span_start = (start - line_start).min(line_text.len());
        let span_end = (end - line_start).clamp(span_start, line_text.len());
        Location {
            line: source[..line_start].matches('\n').count() + 1,
            column: source[line_start..start].chars().count() + 1,
            line_text,
            span: span_start..span_end,
        }
    }

    /// The location of 1-based `line` of `source`, pointing at the whole line.
    pub fn line_of(source: &str, line: usize) -> Self {
        let offset: usize = source
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let len = source[offset..].find('\n').unwrap_or(source.len() - offset);
        Self::in_source(source, offset..offset + len)
    }

    /// The same location moved down by `lines` lines (for text cut out of a larger file).
    pub fn shifted(mut self, lines: usize) -> Self {
        self.line += lines;
        self
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One error or warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub file: Option<PathBuf>,
    pub location: Option<Box<Location>>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            location: None,
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The finding as rustc-style text, coloured when `styled`; ID and mobile numbers masked.
    pub fn render(&self, styled: bool) -> String {
        // No ID or mobile number is ever shown in full, whoever reports the line.
        if let Some(masked) = crate::privacy::masked(self) {
            return masked.render(styled);
        }
        let Some(loc) = &self.location else {
            return self.render_short();
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR.with_name("错误"),
            Severity::Warning => Level::WARNING.with_name("警告"),
        };
        let path = self.file.as_ref().map(|p| p.display().to_string());
        let mut snippet = Snippet::source(loc.line_text.as_str()).line_start(loc.line);
        if let Some(path) = &path {
            snippet = snippet.path(path.as_str());
        }
        let span = if loc.span.is_empty() {
            // One character, whatever its width in bytes.
            let next = loc
                .line_text
                .get(loc.span.start..)
                .and_then(|rest| rest.chars().next())
                .map_or(0, char::len_utf8);
            loc.span.start..(loc.span.start + next).min(loc.line_text.len())
        } else {
            loc.span.clone()
        };
        let mut report = vec![
            Group::with_title(level.primary_title(self.message.as_str()))
                .element(snippet.annotation(AnnotationKind::Primary.span(span))),
        ];
        if let Some(help) = &self.help {
            report.push(Group::with_title(
                Level::HELP.with_name("提示").secondary_title(help.as_str()),
            ));
        }
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }
}

impl Diagnostic {
    /// A finding without a source line: title, file and hint on lines of their own.
    fn render_short(&self) -> String {
        let name = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let mut out = format!("{name}: {}", self.message);
        if let Some(file) = &self.file {
            out.push_str(&format!("\n --> {}", file.display()));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("\n  = 提示: {help}"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The suggestion closest to `word` among `candidates`, if one is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_characters_not_bytes() {
        let src = "title = \"春季\"\ncategory = \"旅游\"\n";
        let start = src.find("\"旅游\"").unwrap();
        let loc = Location::in_source(src, start..start + "\"旅游\"".len());
        assert_eq!((loc.line, loc.column), (2, 12));
        assert_eq!(loc.line_text, "category = \"旅游\"");
        assert_eq!(&loc.line_text[loc.span.clone()], "\"旅游\"");
    }

    #[test]
    fn rendered_error_shows_file_line_and_help() {
        let src = "a\ncategory = \"x\"\n";
        let d = Diagnostic::error("未知的分类")
            .in_file("content/a.md")
            .at(Location::in_source(src, 13..16).shifted(1))
            .help("可用的分类: theory");
        let text = d.render(false);
        assert!(text.contains("错误: 未知的分类"), "{text}");
        assert!(text.contains("content/a.md:3:12"), "{text}");
        assert!(text.contains("category = \"x\""), "{text}");
        assert!(text.contains("提示: 可用的分类: theory"), "{text}");
    }

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(
            did_you_mean("tittle", ["title", "date", "tags"]),
            Some("title")
        );
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
    }
}
