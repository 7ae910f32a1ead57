//! Splits a content file into front matter and body, and parses the front matter (TOML between
//! `+++` lines or YAML between `---` lines) into [`FrontMatter`].

use std::path::Path;

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use super::date::parse_date;
use super::fields::{self, Fields};
use super::lint;
use crate::config::toml_error;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};

/// The syntax of a file's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A content file cut in two.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    pub front_matter: &'a str,
    /// Lines before the front matter text (the opening fence): add to its line numbers.
    pub front_matter_line_offset: usize,
    pub body: &'a str,
    /// Lines before the body in the file.
    pub body_line_offset: usize,
}

/// Cuts `text` into front matter and body. A file without front matter is all body (its
/// title and date are then found elsewhere); Hexo's YAML without the opening `---` is read too.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("").trim_end();
    let (format, fence) = match first_line {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Ok(hexo_yaml(text).unwrap_or(Split {
                format: Format::Toml,
                front_matter: "",
                front_matter_line_offset: 0,
                body: text,
                body_line_offset: 0,
            }));
        }
    };
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == fence {
            let body_start = offset + line.len();
            return Ok(Split {
                format,
                front_matter: &text[start..offset],
                front_matter_line_offset: 1,
                body: &text[body_start..],
                body_line_offset: text[..body_start].matches('\n').count(),
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(format!("文章开头的信息没有结束：找不到第二行 {fence}"))
            .at(Location::line_of(text, 1))
            .help(format!(
                "在标题、日期等信息之后单独写一行 {fence}，再写正文"
            )),
    )
}

/// Hexo's front matter without its opening fence: `key: value` lines up to a `---` line.
fn hexo_yaml(text: &str) -> Option<Split<'_>> {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate().take(40) {
        let trimmed = line.trim_end();
        if trimmed == "---" {
            let body_start = offset + line.len();
            return (i > 0).then(|| Split {
                format: Format::Yaml,
                front_matter: &text[..offset],
                front_matter_line_offset: 0,
                body: &text[body_start..],
                body_line_offset: i + 1,
            });
        }
        let key_line = trimmed.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        });
        let continued = i > 0 && (trimmed.starts_with([' ', '\t', '-']) || trimmed.is_empty());
        if !(key_line || continued) {
            return None;
        }
        offset += line.len();
    }
    None
}

/// The keys front matter may have; others are warned about.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "category",
    "categories",
    "tags",
    "column",
    "slug",
    "aliases",
    "summary",
    "description",
    "cover",
    "source",
    "author",
    "editor",
    "draft",
    "pinned",
    "weight",
    "template",
    "in_search_index",
    "start",
    "end",
    "update_every",
    "reviewed_by",
    "extra",
];

/// Parsed front matter, dates resolved in the site's time zone.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<ZonedDateTime>,
    pub updated: Option<ZonedDateTime>,
    /// `category`, or every entry of `categories` (Hexo's hierarchy, Zola's taxonomy); the
    /// site takes the first that names a configured category.
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub column: Option<String>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    /// `summary`, else `description`.
    pub summary: Option<String>,
    pub cover: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub editor: Option<String>,
    pub draft: bool,
    pub pinned: bool,
    pub weight: i64,
    pub template: Option<String>,
    /// Whether site search lists the page (`in_search_index = false` leaves it out).
    pub in_search_index: bool,
    /// Feature columns: when the column runs.
    pub start: Option<ZonedDateTime>,
    pub end: Option<ZonedDateTime>,
    /// Feature columns: how often they must get a new post ("14d"), checked by `zhen check`.
    pub update_every: Option<String>,
    /// Who reviewed the post (三审三校), checked when `[check] require_review = true`.
    pub reviewed_by: Vec<String>,
    #[serde(with = "crate::cache::codec::json")]
    pub extra: serde_json::Value,
    /// Line (1-based, in the whole file) of each top-level key, for messages.
    pub key_lines: Vec<(String, usize)>,
}

impl FrontMatter {
    /// Whether `other` differs at most in what only the page's own template value shows
    /// (title, summary, cover, source, author, editor, extra) and in the lines keys are on:
    /// the site model, built from the rest, is then the same (a title matters to it only as a
    /// fallback slug).
    pub fn same_but_presentation(&self, other: &FrontMatter) -> bool {
        let rest = |m: &FrontMatter| FrontMatter {
            title: String::new(),
            summary: None,
            cover: None,
            source: None,
            author: None,
            editor: None,
            extra: serde_json::Value::Null,
            // Where keys are written: messages only.
            key_lines: Vec::new(),
            ..m.clone()
        };
        rest(self) == rest(other)
    }

    /// The location of key `key` in `file_text`, when the front matter has it.
    pub fn key_location(&self, file_text: &str, key: &str) -> Option<Location> {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, line)| Location::line_of(file_text, *line))
    }
}

/// Parses the front matter of `split`, tolerantly (see `fields.rs`). Errors name `path`;
/// warnings (unknown keys, reinterpreted values) are returned beside the result.
pub fn parse(
    split: &Split<'_>,
    file_text: &str,
    path: &Path,
    tz: &TimeZone,
) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let fm = split.front_matter;
    let shift = split.front_matter_line_offset;
    let map = parse_map(split, path).map_err(|mut d| {
        // A mistake a Chinese keyboard makes is named in place of the parser's message.
        if let Some(m) = lint::explain(fm, split.format) {
            let mut l = Location::line_of(fm, m.line + 1);
            l.column = l.line_text[..m.span.start.min(l.line_text.len())]
                .chars()
                .count()
                + 1;
            l.span = m.span;
            d = Diagnostic::error(format!("第 {} 行：{}", m.line + 1 + shift, m.message))
                .in_file(path)
                .at(l.shifted(shift))
                .help(m.help);
        }
        vec![d]
    })?;

    let key_lines = top_level_keys(fm, split.format)
        .into_iter()
        .map(|(k, line)| (k, line + shift))
        .collect::<Vec<_>>();
    let at_key = |key: &str| {
        key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, line)| Location::line_of(file_text, *line))
    };
    let mut f = Fields::new(map);
    let mut errors = Vec::new();
    let mut date = |f: &mut Fields, keys: &[&str]| -> Option<ZonedDateTime> {
        let text = f.text(keys)?;
        match parse_date(&text, tz) {
            Ok(z) => Some(z),
            Err(msg) => {
                let key = keys
                    .iter()
                    .find(|k| at_key(k).is_some())
                    .unwrap_or(&keys[0]);
                errors.push(
                    Diagnostic::error(msg)
                        .in_file(path)
                        .at_opt(at_key(key))
                        .help(format!(
                            "{key} 可以写成 2024-01-02、2024-01-02 13:32、2024/1/2 或 2024年1月2日"
                        )),
                );
                None
            }
        }
    };
    let date_value = date(&mut f, &["date", "publishDate", "pubDate"]);
    let updated = date(
        &mut f,
        &["updated", "lastmod", "modified", "last_modified_at"],
    );
    let start = date(&mut f, &["start"]);
    let end = date(&mut f, &["end"]);
    let mut categories = f.list(&["category", "categories", "taxonomies.categories"]);
    categories.dedup();
    let mut aliases = f.list(&["aliases", "alias", "redirect_from"]);
    // Another tool's exact URL stays reachable as an old address.
    aliases.extend(f.text(&["url", "permalink"]));
    let draft = f.flag(&["draft"]).unwrap_or(false)
        || f.flag(&["published"]).is_some_and(|published| !published);
    let parsed = FrontMatter {
        date: date_value,
        updated,
        start,
        end,
        title: f.text(&["title"]).unwrap_or_default(),
        categories,
        tags: f.list(&["tags", "tag", "taxonomies.tags"]),
        column: f.text(&["column"]),
        slug: f.text(&["slug"]),
        aliases,
        summary: f.text(&["summary", "description", "excerpt", "abstract"]),
        cover: f.first(fields::COVER_KEYS),
        source: f.text(&["source"]),
        author: f.text(&["author", "authors"]),
        editor: f.text(&["editor"]),
        draft,
        pinned: f.flag(&["pinned", "sticky", "top"]).unwrap_or(false),
        weight: f.int(&["weight"]).unwrap_or(0),
        template: f.text(&["template"]),
        in_search_index: f.flag(&["in_search_index"]).unwrap_or(true),
        update_every: f.text(&["update_every"]),
        reviewed_by: f.list(&["reviewed_by"]),
        extra: f.table("extra"),
        key_lines: key_lines.clone(),
    };
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut warnings = Vec::new();
    for note in &f.notes {
        warnings.push(
            Diagnostic::warning(note.message.clone())
                .in_file(path)
                .at_opt(at_key(&note.key)),
        );
    }
    for key in f.unknown() {
        let mut d = Diagnostic::warning(format!("未知的字段 `{key}`，它会被忽略"))
            .in_file(path)
            .at_opt(at_key(key));
        d = match did_you_mean(key, KNOWN_KEYS.iter().copied()) {
            Some(s) => d.help(format!("你是不是想写 `{s}`？")),
            None => d.help("自定义的数据请放在 [extra] 表里"),
        };
        warnings.push(d);
    }
    Ok((parsed, warnings))
}

/// The front matter as a map of values, or the parser's error located in the file.
fn parse_map(split: &Split<'_>, path: &Path) -> Result<Map<String, Value>, Diagnostic> {
    let fm = split.front_matter;
    if fm.trim().is_empty() {
        return Ok(Map::new());
    }
    let value = match split.format {
        Format::Toml => match fm.parse::<toml::Table>() {
            Ok(t) => fields::from_toml(toml::Value::Table(t)),
            Err(e) => {
                let mut d = toml_error(&e, fm, path);
                d.location = d
                    .location
                    .map(|l| Box::new(l.shifted(split.front_matter_line_offset)));
                return Err(d);
            }
        },
        Format::Yaml => serde_saphyr::from_str::<Value>(fm).map_err(|e| {
            let text = e.without_snippet().to_string();
            let first = text.lines().next().unwrap_or("");
            // The location is shown beside the snippet, in file lines.
            let first = first.split(" at line ").next().unwrap_or(first);
            let mut d = Diagnostic::error(format!("YAML 格式错误：{first}"))
                .in_file(path)
                .help(
                    "请检查这一行的 YAML 写法：键后面是英文冒号和一个空格，例如 title: 春季赏花节",
                );
            if let Some(loc) = e.location() {
                let mut l = Location::line_of(fm, loc.line() as usize);
                let col = (loc.column() as usize).saturating_sub(1);
                let byte = l
                    .line_text
                    .char_indices()
                    .nth(col)
                    .map_or(l.line_text.len(), |(i, _)| i);
                l.column = col + 1;
                l.span = byte..l.line_text.len();
                d = d.at(l.shifted(split.front_matter_line_offset));
            }
            d
        })?,
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(Diagnostic::error("文章开头的信息应该是一行一个“键 = 值”")
            .in_file(path)
            .at(Location::line_of(fm, 1).shifted(split.front_matter_line_offset))
            .help("例如 title = \"春季赏花节\"（在 +++ 之间）或 title: 春季赏花节（在 --- 之间）")),
    }
}

/// The top-level keys of front matter text with their 1-based lines. Keys inside TOML tables
/// (`[extra]`) and nested YAML mappings are not top-level.
fn top_level_keys(fm: &str, format: Format) -> Vec<(String, usize)> {
    let mut keys = Vec::new();
    for (i, line) in fm.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        if format == Format::Toml && line.starts_with('[') {
            if let Some(name) = line.trim().trim_matches(['[', ']']).split('.').next() {
                keys.push((name.trim().to_string(), i + 1));
            }
            // Everything after a table header belongs to the table.
            break;
        }
        let sep = if format == Format::Toml { '=' } else { ':' };
        if let Some((key, _)) = line.split_once(sep) {
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                keys.push((key.to_string(), i + 1));
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn parse_text(text: &str) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
        let s = split(text).map_err(|d| vec![d])?;
        parse(&s, text, Path::new("a.md"), &tz())
    }

    #[test]
    fn presentation_changes_are_told_from_model_changes() {
        let meta = |text: &str| parse_text(text).unwrap().0;
        let base = meta("+++\ntitle = \"甲\"\ndate = 2024-01-02\ntags = [\"学习\"]\n+++\n正文");
        let retitled = meta(
            "+++\ntitle = \"乙\"\nsummary = \"摘要\"\ncover = \"a.png\"\ndate = 2024-01-02\ntags = [\"学习\"]\n+++\n",
        );
        assert!(base.same_but_presentation(&retitled));
        let redated = meta("+++\ntitle = \"甲\"\ndate = 2024-01-03\ntags = [\"学习\"]\n+++\n");
        assert!(!base.same_but_presentation(&redated));
        let retagged = meta("+++\ntitle = \"甲\"\ndate = 2024-01-02\ntags = [\"宣讲\"]\n+++\n");
        assert!(!base.same_but_presentation(&retagged));
    }

    #[test]
    fn splits_toml_and_yaml() {
        let s = split("+++\ntitle = \"a\"\n+++\n正文\n").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.front_matter, "title = \"a\"\n");
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line_offset, 3);
        let s = split("\u{feff}---\ntitle: a\n---\r\nbody").unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.front_matter, "title: a\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn files_without_front_matter_are_all_body_and_unclosed_fences_are_errors() {
        let s = split("# 标题\n\n正文\n").unwrap();
        assert_eq!((s.front_matter, s.body), ("", "# 标题\n\n正文\n"));
        let e = split("+++\ntitle = \"a\"\n正文").unwrap_err();
        assert!(e.message.contains("+++"));
    }

    #[test]
    fn hexo_front_matter_without_the_opening_fence_is_read() {
        let s =
            split("title: 春季赏花节\ndate: 2024/3/5 9:00\ntags:\n- 旅游\n---\n正文\n").unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line_offset, 5);
        let s = split("正文第一段。\n\n---\n\n第二段\n").unwrap();
        assert_eq!(s.front_matter, "", "a thematic break is not a fence");
    }

    #[test]
    fn toml_and_yaml_give_the_same_fields() {
        let (t, _) = parse_text(
            "+++\ntitle = \"春季\"\ndate = 2024-01-02T13:32:02\ncategory = \"tourism\"\ntags = [\"a\", \"b\"]\npinned = true\n[extra]\nx = 1\n+++\n",
        )
        .unwrap();
        let (y, _) = parse_text(
            "---\ntitle: 春季\ndate: 2024/1/2 13:32:02\ncategories: [tourism]\ntags: [a, b]\npinned: true\nextra:\n  x: 1\n---\n",
        )
        .unwrap();
        for fm in [&t, &y] {
            assert_eq!(fm.title, "春季");
            assert_eq!(fm.categories, ["tourism"]);
            assert_eq!(fm.tags, ["a", "b"]);
            assert!(fm.pinned);
            assert_eq!(fm.extra["x"], 1);
            assert_eq!(
                fm.date.as_ref().unwrap().strftime("%F %T").to_string(),
                "2024-01-02 13:32:02"
            );
        }
    }

    #[test]
    fn unknown_keys_warn_with_a_suggestion() {
        let (_, warnings) =
            parse_text("+++\ntitle = \"a\"\ncatgory = \"x\"\n[extra]\nanything = 1\n+++\n")
                .unwrap();
        assert_eq!(warnings.len(), 1);
        let text = warnings[0].render(false);
        assert!(text.contains("a.md:3:1"), "{text}");
        assert!(text.contains("`category`"), "{text}");
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let errs =
            parse_text("+++\ntitle = \"a\"\ndate = 2024-01-02\ntags = [\"a\"\n+++\n").unwrap_err();
        let text = errs[0].render(false);
        assert!(text.contains("a.md:4:"), "{text}");
        let errs = parse_text("---\ntitle: a\ntags: [a, b\n---\n").unwrap_err();
        let text = errs[0].render(false);
        assert!(text.contains("“[”没有配对的“]”"), "{text}");
        assert!(text.contains("a.md:3:7"), "{text}");
        let errs = parse_text("---\ntitle: a\n- b\n---\n").unwrap_err();
        let text = errs[0].render(false);
        assert!(text.contains("YAML 格式错误"), "{text}");
    }

    #[test]
    fn bad_dates_point_at_the_date_line() {
        let errs = parse_text("+++\ntitle = \"a\"\ndate = \"昨天\"\n+++\n").unwrap_err();
        let text = errs[0].render(false);
        assert!(text.contains("a.md:3:1"), "{text}");
    }
}
