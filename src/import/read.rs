//! Reading a source site's files: its configuration (YAML or TOML), every Markdown file's front
//! matter and body, dates from file names, and the small value helpers the tool modules share.

use crate::content::fields::from_toml;
use std::path::{Path, PathBuf};

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;
use serde_json::{Map, Value};
use walkdir::WalkDir;

use super::Tool;
use crate::content::date::parse_date;
use crate::content::frontmatter::{Format, split};

/// The first of `names` in `dir` that parses as a YAML or TOML map (by extension).
pub fn config(dir: &Path, names: &[&str]) -> Option<Map<String, Value>> {
    names.iter().find_map(|name| {
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let value = if name.ends_with(".toml") {
            from_toml(toml::Value::Table(text.parse::<toml::Table>().ok()?))
        } else {
            serde_saphyr::from_str::<Value>(text).ok()?
        };
        match value {
            Value::Object(m) => Some(m),
            _ => Some(Map::new()),
        }
    })
}

/// Hugo's configuration files, newest name first.
pub const HUGO_CONFIGS: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config/_default/hugo.toml",
    "config/_default/config.toml",
];

/// The time zone the source site dates its posts in, when its configuration names one.
pub fn site_timezone(tool: Tool, src: &Path) -> Option<String> {
    let (names, key): (&[&str], &str) = match tool {
        Tool::Hexo => (&["_config.yml", "_config.yaml"], "timezone"),
        Tool::Jekyll => (&["_config.yml", "_config.yaml"], "timezone"),
        Tool::Hugo => (HUGO_CONFIGS, "timeZone"),
        Tool::Zola | Tool::Markdown => return None,
    };
    let c = config(src, names)?;
    text(&c, key)
        .filter(|t| !t.trim().is_empty())
        .filter(|t| TimeZone::get(t).is_ok())
}

/// A Markdown file cut into its front matter (as a map) and body.
pub struct Parsed {
    pub front: Map<String, Value>,
    pub body: String,
}

/// Reads `path`: front matter in TOML (`+++`) or YAML (`---`, also Hexo's without the opening
/// fence), or none. Errors are the reason in Chinese.
pub fn markdown(path: &Path) -> Result<Parsed, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("无法读取：{e}"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| "不是 UTF-8 编码（可能是 GBK），请先另存为 UTF-8".to_string())?;
    let s = split(&text).map_err(|d| d.message)?;
    let front = if s.front_matter.trim().is_empty() {
        Map::new()
    } else {
        let value = match s.format {
            Format::Toml => s
                .front_matter
                .parse::<toml::Table>()
                .map(|t| from_toml(toml::Value::Table(t)))
                .map_err(|e| format!("开头信息（TOML）无法解析：{}", e.message()))?,
            Format::Yaml => serde_saphyr::from_str::<Value>(s.front_matter).map_err(|e| {
                let t = e.without_snippet().to_string();
                format!(
                    "开头信息（YAML）无法解析：{}",
                    t.lines().next().unwrap_or("")
                )
            })?,
        };
        match value {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    };
    Ok(Parsed {
        front,
        body: s.body.to_string(),
    })
}

/// Every `.md` / `.markdown` file below `dir`, sorted, skipping hidden folders and those
/// `skip` names (by their path relative to `dir`).
pub fn markdown_files(dir: &Path, skip: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || (!name.starts_with('.') && name != "node_modules" && !skip(&rel(dir, e.path())))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_markdown(e.path()))
        .map(|e| e.path().to_path_buf())
        .collect();
    out.sort();
    out
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "md" || e == "markdown")
}

/// `path` relative to `base`, with `/` separators.
pub fn rel(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The file name without its extension.
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `2024-03-05-name` -> (`2024-03-05`, `name`); also with `_` after the date (Zola) and with
/// one-digit months and days as Jekyll allows (`2022-11-1-name` -> `2022-11-01`).
pub fn date_prefix(name: &str) -> Option<(String, &str)> {
    let mut parts = name.splitn(4, ['-', '_']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let num = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(num(y, 4..=4) && num(m, 1..=2) && num(d, 1..=2)) || name.as_bytes()[4] != b'-' {
        return None;
    }
    let used = y.len() + m.len() + d.len() + 2;
    let rest = name.get(used..)?.trim_start_matches(['-', '_']);
    Some((format!("{y}-{m:0>2}-{d:0>2}"), rest))
}

/// A text value of `key` (a number written out; the first item of a list).
pub fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(a) => a.first().and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }),
        _ => None,
    }
}

/// Removes `key` and returns its items as texts: a list, or one text (split on spaces when
/// `words`, as Jekyll writes `categories: a b`). Nested lists are flattened in order.
pub fn take_list(map: &mut Map<String, Value>, key: &str, words: bool) -> Vec<String> {
    fn flat(v: &Value, out: &mut Vec<String>, words: bool) {
        match v {
            Value::String(s) if words => out.extend(s.split_whitespace().map(str::to_string)),
            Value::String(s) => out.push(s.trim().to_string()),
            Value::Number(n) => out.push(n.to_string()),
            Value::Bool(b) => out.push(b.to_string()),
            Value::Array(a) => a.iter().for_each(|x| flat(x, out, words)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(v) = map.remove(key) {
        flat(&v, &mut out, words);
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Hexo's category list: `[A, B]` is one hierarchy A > B; `[[A, B], [C]]` is two, the first
/// kept as the hierarchy and the other first levels returned as extra tags.
pub fn take_hierarchy(map: &mut Map<String, Value>, key: &str) -> (Vec<String>, Vec<String>) {
    let Some(v) = map.remove(key) else {
        return (Vec::new(), Vec::new());
    };
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match v {
        Value::Array(items) if items.iter().any(Value::is_array) => {
            let mut groups = items.iter().map(|i| match i {
                Value::Array(a) => a.iter().filter_map(scalar).collect::<Vec<_>>(),
                other => scalar(other).into_iter().collect(),
            });
            let first = groups.next().unwrap_or_default();
            let rest = groups.flatten().collect();
            (first, rest)
        }
        Value::Array(items) => (items.iter().filter_map(scalar).collect(), Vec::new()),
        other => (scalar(&other).into_iter().collect(), Vec::new()),
    }
}

/// Takes the post's date from `keys` (parsed in `tz`), else from a `YYYY-MM-DD-` file name.
pub fn take_date(
    map: &mut Map<String, Value>,
    keys: &[&str],
    name: &str,
    tz: &TimeZone,
) -> (Option<ZonedDateTime>, Option<String>) {
    for key in keys {
        if let Some(t) = text(map, key) {
            map.remove(*key);
            return match parse_date(&t, tz) {
                Ok(d) => (Some(d), None),
                Err(e) => (
                    date_prefix(name).and_then(|(d, _)| parse_date(&d, tz).ok()),
                    Some(format!("日期 `{t}` 无法识别（{e}）")),
                ),
            };
        }
    }
    (
        date_prefix(name).and_then(|(d, _)| parse_date(&d, tz).ok()),
        None,
    )
}

/// The title: front matter `title`, else the first `# ` heading (then removed from the body),
/// else `fallback`.
pub fn take_title(map: &mut Map<String, Value>, body: &mut String, fallback: &str) -> String {
    if let Some(t) = text(map, "title").filter(|t| !t.trim().is_empty()) {
        map.remove("title");
        return t;
    }
    map.remove("title");
    let mut offset = 0;
    let mut in_code = false;
    for line in body.split_inclusive('\n') {
        let t = line.trim_end();
        if t.trim_start().starts_with("```") || t.trim_start().starts_with("~~~") {
            in_code = !in_code;
        }
        if !in_code && let Some(h) = t.strip_prefix("# ") {
            let title = h.trim().trim_end_matches('#').trim().to_string();
            if !title.is_empty() {
                body.replace_range(offset..offset + line.len(), "");
                return title;
            }
        }
        offset += line.len();
    }
    fallback.to_string()
}

/// Whether the front matter marks the file as a draft (Hexo/Hugo `draft`, Jekyll
/// `published: false`).
pub fn is_draft(map: &Map<String, Value>) -> bool {
    let truth = |k: &str| match map.get(k) {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => Some(s.trim() == "true"),
        _ => None,
    };
    truth("draft") == Some(true) || truth("published") == Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_from_names() {
        let p = |s| date_prefix(s).map(|(d, r)| (d, r.to_string()));
        assert_eq!(
            p("2024-03-05-spring"),
            Some(("2024-03-05".into(), "spring".into()))
        );
        assert_eq!(p("2024-03-05_x"), Some(("2024-03-05".into(), "x".into())));
        assert_eq!(
            p("2022-11-1-week"),
            Some(("2022-11-01".into(), "week".into()))
        );
        assert_eq!(p("2022-11-1"), Some(("2022-11-01".into(), String::new())));
        assert_eq!(p("20221-11-1-x"), None);
        assert_eq!(date_prefix("spring"), None);
    }

    #[test]
    fn hexo_hierarchies() {
        let mut m: Map<String, Value> =
            serde_json::from_str(r#"{"c": [["Java", "Spring"], ["随笔"]]}"#).unwrap();
        assert_eq!(
            take_hierarchy(&mut m, "c"),
            (vec!["Java".into(), "Spring".into()], vec!["随笔".into()])
        );
        let mut m: Map<String, Value> =
            serde_json::from_str(r#"{"c": ["Java", "Spring"]}"#).unwrap();
        assert_eq!(take_hierarchy(&mut m, "c").0, ["Java", "Spring"]);
    }
}
