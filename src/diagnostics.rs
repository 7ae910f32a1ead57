//! Errors and warnings shown to publicists: each names the file, line and column, shows the
//! offending line with a caret under the problem, and says how to fix it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column (in characters), and the text of the line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub line_text: String,
    /// Byte range of the problem inside `line_text`.
    pub span: Range<usize>,
}

impl Location {
    /// The location of byte range `range` of `source`. The range is clamped to the source and
    /// to its first line, so any range a parser reports can be shown. This counts the lines
    /// before it: for many locations in one text, use [`Lines`].
    pub fn in_source(source: &str, range: Range<usize>) -> Self {
        let start = floor_char_boundary(source, range.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = source[..line_start].matches('\n').count() + 1;
        let column = source[line_start..start].chars().count() + 1;
        Self::within_line(source, line_start, line, column, start..range.end)
    }

    /// The location of `range` (its start a character boundary of `source`) on the line that
    /// starts at byte `line_start`, with its line number and the column of its start. A line
    /// longer than [`MAX_SHOWN_LINE`] is shown as an excerpt around the range.
    fn within_line(
        source: &str,
        line_start: usize,
        line: usize,
        column: usize,
        range: Range<usize>,
    ) -> Self {
        let start = range.start;
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let end = floor_char_boundary(source, range.end.clamp(start, line_end));
        let mut from = line_start;
        let mut to = line_end;
        let mut before = "";
        let mut after = "";
        if line_end - line_start > MAX_SHOWN_LINE {
            let margin = MAX_SHOWN_LINE / 4;
            from = floor_char_boundary(source, start.saturating_sub(margin).max(line_start));
            let limit = (end + margin).min(line_end).min(from + MAX_SHOWN_LINE);
            to = floor_char_boundary(source, limit).max(start);
            if from > line_start {
                before = "…";
            }
            if to < line_end {
                after = "…";
            }
        }
        let shown = source[from..to].trim_end_matches('\r');
        let line_text = format!("{before}{shown}{after}");
        let span_start = (before.len() + start - from).min(before.len() + shown.len());
        let span_end =
            (before.len() + end.min(to) - from).clamp(span_start, before.len() + shown.len());
        Location {
            line,
            column,
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

    /// The span as it is underlined: clamped to the line and widened to whole characters; an
    /// empty span covers the character it points at. Every span is shown through this, so a
    /// byte range from any parser (or a hand-made `Location`) can never split a character.
    pub fn shown_span(&self) -> Range<usize> {
        let text = self.line_text.as_str();
        let start = floor_char_boundary(text, self.span.start.min(text.len()));
        let end = ceil_char_boundary(text, self.span.end.clamp(start, text.len()));
        if end > start {
            return start..end;
        }
        start
            ..text[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8())
    }

    /// The same location moved down by `lines` lines (for text cut out of a larger file).
    pub fn shifted(mut self, lines: usize) -> Self {
        self.line += lines;
        self
    }
}

/// Longest line (in bytes) shown whole; a longer one is shown as an excerpt around the problem
/// (a whole post pasted on one line would otherwise be copied into every location on it).
pub const MAX_SHOWN_LINE: usize = 4000;

/// Where the lines of one text start, so that each of many locations in it (every link of a
/// 50 MB post) costs a binary search rather than a count from the start of the text.
pub struct Lines<'a> {
    source: &'a str,
    starts: Vec<usize>,
    /// The last location's start and column: columns on one long line are counted onwards
    /// from it rather than from the line's start.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            source,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// The location of byte range `range`, as [`Location::in_source`] gives it.
    pub fn locate(&self, range: Range<usize>) -> Location {
        let source = self.source;
        let start = floor_char_boundary(source, range.start.min(source.len()));
        let index = self.starts.partition_point(|&s| s <= start) - 1;
        let line_start = self.starts[index];
        let (last, last_column) = self.last.get();
        let column = if last >= line_start && last <= start {
            last_column + source[last..start].chars().count()
        } else {
            source[line_start..start].chars().count() + 1
        };
        self.last.set((start, column));
        Location::within_line(source, line_start, index + 1, column, start..range.end)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// One error or warning.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
        let span = loc.shown_span();
        let mut snippet = Snippet::source(loc.line_text.as_str()).line_start(loc.line);
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        // An excerpt of a long line does not start at column 1: name the column explicitly.
        let excerpt = loc.line_text[..span.start].chars().count() + 1 != loc.column;
        match &path {
            Some(path) if excerpt => {
                group = group.element(
                    Origin::path(path.as_str())
                        .line(loc.line)
                        .char_column(loc.column),
                );
            }
            Some(path) => snippet = snippet.path(path.as_str()),
            None => {}
        }
        let mut report =
            vec![group.element(snippet.annotation(AnnotationKind::Primary.span(span)))];
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
    fn an_empty_span_before_a_chinese_character_covers_the_whole_character() {
        let src = "title = \"测试\"镇\n";
        let end = src.find('镇').unwrap();
        let d = Diagnostic::error("TOML 格式错误").at(Location::in_source(src, end..end));
        assert_eq!(d.location.as_ref().unwrap().shown_span(), end..end + 3);
        assert!(d.render(false).contains("title = \"测试\"镇"));
    }

    #[test]
    fn many_locations_in_one_text_agree_with_single_ones() {
        let src = "+++\r\ntitle = \"测试\"\n+++\n见[a](@/x.md)，😀[b](@/y.md)\n\n\t镇[c](@/z.md)\n";
        let lines = Lines::new(src);
        for (i, _) in src.match_indices("](") {
            assert_eq!(lines.locate(i..i + 2), Location::in_source(src, i..i + 2));
        }
        assert_eq!(lines.locate(3..4), Location::in_source(src, 3..4));
    }

    #[test]
    fn a_long_line_is_shown_as_an_excerpt_with_its_true_column() {
        let src = format!("{}[坏链接](@/x.md){}", "镇".repeat(5000), "乡".repeat(5000));
        let at = src.find("[坏").unwrap();
        let loc = Lines::new(&src).locate(at..at + 4);
        assert_eq!(loc, Location::in_source(&src, at..at + 4));
        assert_eq!(loc.column, 5001);
        assert!(
            loc.line_text.len() <= MAX_SHOWN_LINE + 6,
            "{}",
            loc.line_text
        );
        assert!(loc.line_text.starts_with('…') && loc.line_text.ends_with('…'));
        assert_eq!(&loc.line_text[loc.shown_span()], "[坏");
        let text = Diagnostic::error("x").in_file("a.md").at(loc).render(false);
        assert!(text.contains("a.md:1:5001"), "{text}");
        assert!(text.contains("[坏链接](@/x.md)"), "{text}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Whatever range a parser reports, in whatever text (multibyte characters, emoji,
        /// combining marks, tabs, CR, BOM), the location and its rendering never panic.
        #[test]
        fn any_range_of_any_text_renders(
            source in "[a-z=\"\t\r\n \u{feff}测试镇😀e\u{301}\u{0}-\u{1f}]{0,40}",
            start in 0usize..120,
            len in proptest::prop_oneof![0usize..4, 0usize..200],
        ) {
            let loc = Location::in_source(&source, start..start + len);
            proptest::prop_assert_eq!(&Lines::new(&source).locate(start..start + len), &loc);
            let span = loc.shown_span();
            proptest::prop_assert!(loc.line_text.is_char_boundary(span.start));
            proptest::prop_assert!(loc.line_text.is_char_boundary(span.end));
            Diagnostic::error("x").in_file("a.md").at(loc).help("y").render(true);
        }

        /// A hand-made location with any span (even one splitting a character) renders too.
        #[test]
        fn any_span_of_a_hand_made_location_renders(
            line_text in "[a-z\t测试镇😀e\u{301}]{0,20}",
            start in 0usize..100,
            end in 0usize..100,
        ) {
            let loc = Location { line: 1, column: 1, line_text, span: start..end };
            Diagnostic::warning("x").at(loc).render(false);
        }
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
