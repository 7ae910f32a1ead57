//! Explains front matter that would not parse in the words of the people who write it: the
//! mistakes a Chinese keyboard makes (a full-width colon, equals sign, comma or quotes), text
//! without quotes, a YAML colon without its space, a YAML line inside `+++`. Used when the
//! TOML or YAML parser failed, in place of its message.

use std::ops::Range;

use super::frontmatter::Format;

/// What is wrong on one line of the front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    /// 0-based line within the front matter text.
    pub line: usize,
    /// Byte range within that line.
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

/// The first mistake found in front matter text `fm`, if any is recognised.
pub fn explain(fm: &str, format: Format) -> Option<Mistake> {
    let mut in_table = false;
    let lines: Vec<&str> = fm.lines().collect();
    for (i, line) in lines.iter().copied().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if format == Format::Toml && trimmed.starts_with('[') && !trimmed.contains('=') {
            in_table = true;
            continue;
        }
        let found = match format {
            Format::Toml => toml_line(line, in_table),
            Format::Yaml => yaml_line(line),
        };
        let found = found.or_else(|| unclosed(line, lines.get(i + 1..).unwrap_or_default()));
        if let Some((span, message, help)) = found {
            return Some(Mistake {
                line: i,
                span,
                message,
                help,
            });
        }
    }
    None
}

/// The first of `chars` in `s` with its byte offset.
fn first_of(s: &str, chars: &[char]) -> Option<(usize, char)> {
    s.char_indices().find(|(_, c)| chars.contains(c))
}

type Found = Option<(Range<usize>, String, String)>;

fn toml_line(line: &str, in_table: bool) -> Found {
    let (at, sep) = first_of(line, &['=', '＝', '：', ':'])?;
    let key = line[..at].trim();
    let value = line[at + sep.len_utf8()..].trim();
    let span = at..at + sep.len_utf8();
    match sep {
        '＝' => {
            return Some((
                span,
                "这一行用了中文等号“＝”".into(),
                format!("请改成英文等号：{key} = {value}"),
            ));
        }
        '：' => {
            return Some((
                span,
                "这一行用了中文冒号“：”".into(),
                format!(
                    "这里是 TOML 格式（+++ 之间），键和值之间请用英文等号：{key} = \"{}\"",
                    unquote(value)
                ),
            ));
        }
        ':' if !key.contains(' ') && !in_table => {
            return Some((
                span,
                "这里是 TOML 格式（+++ 之间），键和值之间要用等号 =，不是冒号".into(),
                format!(
                    "写成 {key} = \"{}\"；或者把前后两行 +++ 改成 ---，按 YAML 格式写",
                    unquote(value)
                ),
            ));
        }
        ':' => return None,
        _ => {}
    }
    let value_at = line.len() - line[at + 1..].trim_start().len();
    quotes(value, value_at, key)
        .or_else(|| full_width_comma(line, value, value_at))
        .or_else(|| unquoted_text(value, value_at, key))
}

fn yaml_line(line: &str) -> Found {
    if line.starts_with([' ', '\t', '-']) {
        return None;
    }
    let (at, sep) = first_of(line, &['：', ':'])?;
    let key = line[..at].trim();
    let after = &line[at + sep.len_utf8()..];
    if sep == '：' {
        return Some((
            at..at + sep.len_utf8(),
            "这一行用了中文冒号“：”".into(),
            format!("请改成英文冒号加一个空格：{key}: {}", after.trim()),
        ));
    }
    if !after.is_empty() && !after.starts_with([' ', '\t']) && !key.contains(' ') {
        return Some((
            at..at + 1,
            "冒号后面少了一个空格".into(),
            format!("YAML 里冒号后面要有空格：{key}: {}", after.trim()),
        ));
    }
    None
}

/// A list or table opened on this line (`title: [第二篇`) and never closed: the next line is
/// already the next key.
fn unclosed(line: &str, rest: &[&str]) -> Found {
    let (at, sep) = first_of(line, &['=', ':'])?;
    let value = line[at + sep.len_utf8()..].trim_start();
    let open = value.chars().next().filter(|c| matches!(c, '[' | '{'))?;
    let close = if open == '[' { ']' } else { '}' };
    let next = rest.iter().find(|l| !l.trim().is_empty());
    let next_is_key = next.is_none_or(|l| {
        !l.starts_with([' ', '\t', '"', '\'', '-', ']', '}'])
            && first_of(l, &['=', ':']).is_some_and(|(k, _)| k > 0)
    });
    if value.contains(close) || !next_is_key {
        return None;
    }
    let start = line.len() - value.len();
    Some((
        start..start + 1,
        format!("“{open}”没有配对的“{close}”"),
        format!("在这一行末尾补上 {close}；如果 {open} 是文字的一部分，请把整个值放在英文引号里"),
    ))
}

/// A value opened with Chinese quotes.
fn quotes(value: &str, value_at: usize, key: &str) -> Found {
    let first = value.chars().next()?;
    if !matches!(first, '“' | '”' | '‘' | '’' | '「' | '『') {
        return None;
    }
    Some((
        value_at..value_at + first.len_utf8(),
        "文字两边用了中文引号".into(),
        format!("请改成英文双引号：{key} = \"{}\"", unquote(value)),
    ))
}

/// A list whose items are separated by a full-width comma.
fn full_width_comma(line: &str, value: &str, value_at: usize) -> Found {
    if !value.starts_with('[') {
        return None;
    }
    let mut quoted = None;
    for (i, c) in line[value_at..].char_indices() {
        match (quoted, c) {
            (None, '"' | '\'') => quoted = Some(c),
            (Some(q), c) if c == q => quoted = None,
            (None, '，' | '、') => {
                let at = value_at + i;
                return Some((
                    at..at + c.len_utf8(),
                    format!("列表里用了中文“{c}”分隔"),
                    "列表的每一项之间请用英文逗号，例如 tags = [\"志愿服务\", \"敬老\"]".into(),
                ));
            }
            _ => {}
        }
    }
    None
}

/// Text written without quotes (`title = 青溪镇`, `date = 2024年3月5日`).
fn unquoted_text(value: &str, value_at: usize, key: &str) -> Found {
    if value.is_empty() {
        return Some((
            value_at..value_at,
            format!("`{key}` 后面没有写值"),
            format!("写成 {key} = \"……\"，或者删掉这一行"),
        ));
    }
    let first = value.chars().next()?;
    if matches!(first, '"' | '\'' | '[' | '{') {
        return None;
    }
    let plain = value.parse::<f64>().is_ok()
        || matches!(value, "true" | "false")
        || value.parse::<toml::value::Datetime>().is_ok();
    if plain {
        return None;
    }
    Some((
        value_at..value_at + value.len(),
        "文字要放在英文双引号里".into(),
        format!("写成 {key} = \"{}\"", unquote(value)),
    ))
}

/// A value without the quotes around it, whatever quotes they were.
fn unquote(value: &str) -> &str {
    value.trim_matches(['"', '\'', '“', '”', '‘', '’', '「', '」', '『', '』'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml(fm: &str) -> Mistake {
        explain(fm, Format::Toml).unwrap_or_else(|| panic!("nothing found in {fm:?}"))
    }

    #[test]
    fn chinese_keyboard_mistakes_in_toml_are_named() {
        let m = toml("title = \"a\"\ntitle：青溪镇春季赏花节\n");
        assert_eq!(m.line, 1);
        assert_eq!(m.message, "这一行用了中文冒号“：”");
        assert_eq!(&"title：青溪镇春季赏花节"[m.span.clone()], "：");
        assert!(
            m.help.contains("title = \"青溪镇春季赏花节\""),
            "{}",
            m.help
        );
        let m = toml("title ＝ \"a\"\n");
        assert_eq!(m.message, "这一行用了中文等号“＝”");
        let m = toml("title = “青溪镇”\n");
        assert_eq!(m.message, "文字两边用了中文引号");
        assert!(m.help.contains("title = \"青溪镇\""), "{}", m.help);
        let m = toml("tags = [\"志愿服务\"，\"敬老\"]\n");
        assert_eq!(m.message, "列表里用了中文“，”分隔");
        let m = toml("date = 2024年3月5日\n");
        assert_eq!(m.message, "文字要放在英文双引号里");
        assert!(m.help.contains("date = \"2024年3月5日\""));
        let m = toml("title: 青溪镇\n");
        assert!(m.message.contains("要用等号"), "{}", m.message);
    }

    #[test]
    fn correct_lines_are_not_flagged() {
        let fm = "title = \"会议：学习，讨论\"\ndate = 2024-03-05\nweight = 3\ndraft = false\ntags = [\"a，b\", \"c\"]\n[extra]\nx = \"y\"\n";
        assert_eq!(explain(fm, Format::Toml), None);
        let fm = "title: 会议：学习\ndate: 2024-03-05\ntags:\n  - a\nurl: https://x.cn/a\n";
        assert_eq!(explain(fm, Format::Yaml), None);
    }

    #[test]
    fn unclosed_lists_are_named_at_the_bracket() {
        let m = explain("title: [第二篇\ndate: 2024/2/3 8:05:00\n", Format::Yaml).unwrap();
        assert_eq!((m.line, m.span.clone()), (0, 7..8));
        assert_eq!(m.message, "“[”没有配对的“]”");
        let m = explain("tags = [\"a\", \"b\"\ndate = 2024-01-02\n", Format::Toml).unwrap();
        assert_eq!(m.line, 0);
        assert_eq!(explain("tags = [\n  \"a\",\n]\n", Format::Toml), None);
        assert_eq!(explain("tags:\n  - a\n", Format::Yaml), None);
    }

    #[test]
    fn yaml_mistakes_are_named() {
        let m = explain("title： 青溪镇\n", Format::Yaml).unwrap();
        assert_eq!(m.message, "这一行用了中文冒号“：”");
        assert!(m.help.contains("title: 青溪镇"));
        let m = explain("title:青溪镇\n", Format::Yaml).unwrap();
        assert_eq!(m.message, "冒号后面少了一个空格");
    }
}
