//! Splits a content file into front matter and body, and parses the front matter (TOML between
//! `+++` lines or YAML between `---` lines) into [`FrontMatter`].

use std::path::Path;

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::date::parse_date;
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

/// Cuts `text` into front matter and body. A file without an opening fence is an error: every
/// page needs at least a title.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("").trim_end();
    let (format, fence) = match first_line {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Err(Diagnostic::error("文件开头缺少 front matter（标题、日期等信息）")
                .at(Location::line_of(text, 1))
                .help("在文件第一行写 +++，接着写 title = \"标题\" 和 date = 2024-01-02，再用一行 +++ 结束"));
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
        Diagnostic::error(format!("front matter 没有结束：找不到第二行 {fence}"))
            .at(Location::line_of(text, 1))
            .help(format!(
                "在标题、日期等信息之后单独写一行 {fence}，再写正文"
            )),
    )
}

/// A date as written: a TOML datetime (unquoted) or text.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawDate {
    Toml(toml::value::Datetime),
    Text(String),
}

impl RawDate {
    fn text(&self) -> String {
        match self {
            RawDate::Toml(d) => d.to_string(),
            RawDate::Text(s) => s.clone(),
        }
    }
}

/// One string or a list of them (Hexo writes both).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct Raw {
    title: Option<String>,
    date: Option<RawDate>,
    updated: Option<RawDate>,
    category: Option<String>,
    categories: Option<OneOrMany>,
    tags: Option<OneOrMany>,
    column: Option<String>,
    slug: Option<String>,
    aliases: Option<OneOrMany>,
    summary: Option<String>,
    description: Option<String>,
    cover: Option<String>,
    source: Option<String>,
    author: Option<String>,
    editor: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    pinned: bool,
    #[serde(default)]
    weight: i64,
    template: Option<String>,
    in_search_index: Option<bool>,
    start: Option<RawDate>,
    end: Option<RawDate>,
    update_every: Option<String>,
    reviewed_by: Option<OneOrMany>,
    #[serde(default)]
    extra: serde_json::Value,
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<ZonedDateTime>,
    pub updated: Option<ZonedDateTime>,
    pub category: Option<String>,
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

/// Parses the front matter of `split`. Errors name `path`; warnings (unknown keys) are returned
/// beside the result.
pub fn parse(
    split: &Split<'_>,
    file_text: &str,
    path: &Path,
    tz: &TimeZone,
) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let fm = split.front_matter;
    let raw: Raw =
        match split.format {
            Format::Toml => toml::from_str(fm).map_err(|e| {
                let mut d = toml_error(&e, fm, path);
                d.location = d
                    .location
                    .map(|l| Box::new(l.shifted(split.front_matter_line_offset)));
                vec![d]
            })?,
            Format::Yaml if fm.trim().is_empty() => Raw::default(),
            Format::Yaml => serde_saphyr::from_str(fm).map_err(|e| {
                let text = e.without_snippet().to_string();
                let first = text.lines().next().unwrap_or("");
                // The location is shown beside the snippet, in file lines.
                let first = first.split(" at line ").next().unwrap_or(first);
                let mut d = Diagnostic::error(format!("YAML 格式错误：{first}"))
            .in_file(path)
            .help("请检查这一行的 YAML 写法：键后面是英文冒号和一个空格，例如 title: 春季赏花节");
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
                vec![d]
            })?,
        };

    let key_lines = top_level_keys(fm, split.format)
        .into_iter()
        .map(|(k, line)| (k, line + split.front_matter_line_offset))
        .collect::<Vec<_>>();
    let mut warnings = Vec::new();
    for (key, line) in &key_lines {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            let mut d = Diagnostic::warning(format!("未知的字段 `{key}`，它会被忽略"))
                .in_file(path)
                .at(Location::line_of(file_text, *line));
            d = match did_you_mean(key, KNOWN_KEYS.iter().copied()) {
                Some(s) => d.help(format!("你是不是想写 `{s}`？")),
                None => d.help("自定义的数据请放在 [extra] 表里"),
            };
            warnings.push(d);
        }
    }

    let mut errors = Vec::new();
    let at_key = |key: &str| {
        key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, line)| Location::line_of(file_text, *line))
    };
    let mut date = |key: &str, raw: Option<RawDate>| -> Option<ZonedDateTime> {
        let text = raw?.text();
        match parse_date(&text, tz) {
            Ok(z) => Some(z),
            Err(msg) => {
                errors.push(
                    Diagnostic::error(msg)
                        .in_file(path)
                        .at_opt(at_key(key))
                        .help(format!(
                            "{key} 可以写成 2024-01-02、2024-01-02 13:32:02 或 2024/1/2 13:32:02"
                        )),
                );
                None
            }
        }
    };
    let parsed = FrontMatter {
        date: date("date", raw.date),
        updated: date("updated", raw.updated),
        start: date("start", raw.start),
        end: date("end", raw.end),
        title: raw.title.unwrap_or_default(),
        category: raw
            .category
            .or_else(|| raw.categories.and_then(|c| c.into_vec().into_iter().next())),
        tags: raw.tags.map(OneOrMany::into_vec).unwrap_or_default(),
        column: raw.column,
        slug: raw.slug,
        aliases: raw.aliases.map(OneOrMany::into_vec).unwrap_or_default(),
        summary: raw.summary.or(raw.description),
        cover: raw.cover,
        source: raw.source,
        author: raw.author,
        editor: raw.editor,
        draft: raw.draft,
        pinned: raw.pinned,
        weight: raw.weight,
        template: raw.template,
        in_search_index: raw.in_search_index.unwrap_or(true),
        update_every: raw.update_every,
        reviewed_by: raw.reviewed_by.map(OneOrMany::into_vec).unwrap_or_default(),
        extra: raw.extra,
        key_lines,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((parsed, warnings))
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
    fn missing_or_unclosed_fences_are_errors() {
        assert!(split("# 标题\n").is_err());
        let e = split("+++\ntitle = \"a\"\n正文").unwrap_err();
        assert!(e.message.contains("+++"));
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
            assert_eq!(fm.category.as_deref(), Some("tourism"));
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
        assert!(text.contains("YAML"), "{text}");
        assert!(text.contains("a.md:"), "{text}");
    }

    #[test]
    fn bad_dates_point_at_the_date_line() {
        let errs = parse_text("+++\ntitle = \"a\"\ndate = \"昨天\"\n+++\n").unwrap_err();
        let text = errs[0].render(false);
        assert!(text.contains("a.md:3:1"), "{text}");
    }
}
