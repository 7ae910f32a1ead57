//! C8, Chinese typography (warnings; the author's text is never rewritten): half-width
//! `, . ! ? ; :` between Chinese characters (or before a Chinese quotation, after a closing
//! one), an ASCII `...` for the Chinese ellipsis, doubled ！！ or ？？, and full-width digits
//! ０-９, in titles, summaries and the text of bodies (code left alone). Marks inside bare URLs
//! and Chinese domain names (`青溪镇人民政府.政务`) belong to the address and are left alone.

use std::ops::Range;

use std::sync::LazyLock;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;

use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location};

/// A typographic slip and its fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// The half-width mark and the full-width one to use.
    HalfWidth(char, char),
    /// ！！ or ？？.
    Doubled,
    /// Full-width digits and the same in ASCII.
    FullWidthDigits(String),
    /// `...` for `……`.
    Ellipsis,
}

/// A bare URL written in prose: it ends at a space or at Chinese punctuation.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:https?://|www\.)[^\s，。；！？、“”‘’（）《》【】]+").expect("valid pattern")
});

/// Chinese top-level domains (`青溪镇人民政府.政务`).
const CHINESE_TLDS: &[&str] = &[
    "政务",
    "公益",
    "中国",
    "中國",
    "公司",
    "网络",
    "网址",
    "在线",
    "网店",
    "商城",
    "集团",
    "我爱你",
    "手机",
    "企业",
    "信息",
    "广东",
    "佛山",
    "香港",
    "台湾",
];

/// Opening marks a half-width mark may stand before (`说:“`).
const OPENING: &str = "“‘「『《（\"";
/// Closing marks a half-width mark may stand after (`”,`).
const CLOSING: &str = "”’」』》）";

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        '.' => '。',
        '!' => '！',
        '?' => '？',
        ';' => '；',
        ':' => '：',
        _ => return None,
    })
}

/// Every slip in `text`, with its byte range.
pub fn find(text: &str) -> Vec<(Range<usize>, Issue)> {
    let urls: Vec<Range<usize>> = URL.find_iter(text).map(|m| m.range()).collect();
    let in_url = |i: usize| urls.iter().any(|u| u.contains(&i));
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |(i, _)| *i);
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c == '.' && chars.get(k + 1).is_some_and(|(_, n)| *n == '.') {
            let run = chars[k..].iter().take_while(|(_, n)| *n == '.').count();
            let before = k > 0 && is_han(chars[k - 1].1);
            let after = chars
                .get(k + run)
                .is_some_and(|(_, n)| is_han(*n) || CLOSING.contains(*n));
            if (before || after) && !in_url(i) {
                out.push((i..end_of(k + run), Issue::Ellipsis));
            }
            k += run;
            continue;
        }
        if let Some(fw) = full_width(c) {
            let before = k > 0 && (is_han(chars[k - 1].1) || CLOSING.contains(chars[k - 1].1));
            let next = chars[k + 1..].iter().find(|(_, n)| *n != ' ');
            let after = next.is_some_and(|(_, n)| is_han(*n) || OPENING.contains(*n));
            let domain = c == '.' && CHINESE_TLDS.iter().any(|t| text[i + 1..].starts_with(t));
            if before && after && !domain && !in_url(i) {
                out.push((i..end_of(k + 1), Issue::HalfWidth(c, fw)));
            }
        } else if c == '！' || c == '？' {
            let run = chars[k..].iter().take_while(|(_, n)| *n == c).count();
            if run > 1 {
                out.push((i..end_of(k + run), Issue::Doubled));
                k += run;
                continue;
            }
        } else if ('０'..='９').contains(&c) {
            let run = chars[k..]
                .iter()
                .take_while(|(_, n)| ('０'..='９').contains(n))
                .count();
            let ascii: String = chars[k..k + run]
                .iter()
                .filter_map(|(_, n)| char::from_u32(*n as u32 - '０' as u32 + '0' as u32))
                .collect();
            out.push((i..end_of(k + run), Issue::FullWidthDigits(ascii)));
            k += run;
            continue;
        }
        k += 1;
    }
    out
}

/// The byte ranges of `text` (a whole content file) that readers see as prose: the values of
/// title, summary and description, and the body's text outside code.
fn prose(text: &str) -> Vec<Range<usize>> {
    let Ok(split) = crate::content::frontmatter::split(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // The front matter and the body are slices of `text`.
    let mut offset = split.front_matter.as_ptr() as usize - text.as_ptr() as usize;
    for line in split.front_matter.split_inclusive('\n') {
        let key = line.split(['=', ':']).next().unwrap_or("").trim();
        if matches!(key, "title" | "summary" | "description")
            && let Some(sep) = line.find(['=', ':'])
        {
            out.push(offset + sep + 1..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    let body_start = text.len() - split.body.len();
    let mut code = 0usize;
    let mut last: Option<Range<usize>> = None;
    for (event, range) in Parser::new(split.body).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Text(_) if code == 0 => {
                let r = body_start + range.start..body_start + range.end;
                match &mut last {
                    // Text split at a special character continues the same run.
                    Some(l) if l.end == r.start => l.end = r.end,
                    _ => out.extend(last.replace(r)),
                }
                continue;
            }
            _ => {}
        }
        out.extend(last.take());
    }
    out.extend(last);
    out
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for source in &audit.sources {
        for part in prose(&source.text) {
            for (range, issue) in find(&source.text[part.clone()]) {
                let range = part.start + range.start..part.start + range.end;
                let found = source.text[range.clone()].to_string();
                let d = match &issue {
                    Issue::HalfWidth(half, full) => {
                        Diagnostic::warning(format!("中文之间用了半角标点“{half}”"))
                            .help(format!("改成全角的“{full}”"))
                    }
                    Issue::Doubled => Diagnostic::warning(format!("标点“{found}”重复"))
                        .help("感叹号、问号只用一个"),
                    Issue::Ellipsis => {
                        Diagnostic::warning(format!("中文里用了英文省略号“{found}”"))
                            .help("中文省略号是六个点“……”（输入法里按 Shift+6）")
                    }
                    Issue::FullWidthDigits(ascii) => {
                        Diagnostic::warning(format!("用了全角数字“{found}”"))
                            .help(format!("改成半角数字“{ascii}”"))
                    }
                };
                let at = Location::in_source(&source.text, range);
                out.push(source.finding(Rule::C8, d, at, found));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues(text: &str) -> Vec<(&str, Issue)> {
        find(text).into_iter().map(|(r, i)| (&text[r], i)).collect()
    }

    #[test]
    fn half_width_marks_between_chinese_are_found() {
        assert_eq!(
            issues("青溪镇,春天到了. 桃花开了"),
            vec![
                (",", Issue::HalfWidth(',', '，')),
                (".", Issue::HalfWidth('.', '。'))
            ]
        );
        assert!(issues("版本 1.2，网址 http://a.cn，English, too.").is_empty());
    }

    #[test]
    fn doubled_marks_and_full_width_digits_are_found() {
        assert_eq!(
            issues("太好了！！真的吗？？？第１２期"),
            vec![
                ("！！", Issue::Doubled),
                ("？？？", Issue::Doubled),
                ("１２", Issue::FullWidthDigits("12".into()))
            ]
        );
        assert!(issues("好！真的？").is_empty());
    }

    #[test]
    fn prose_skips_code_and_other_front_matter() {
        let text =
            "+++\ntitle = \"青溪,镇\"\nslug = \"a,b\"\n+++\n正文,内容\n\n```\n代码,代码\n```\n";
        let parts: Vec<&str> = prose(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(parts, vec![" \"青溪,镇\"", "正文,内容"]);
    }
}
