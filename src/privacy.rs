//! Personal numbers in any text: where resident ID numbers (18 digits with a valid GB 11643
//! check digit, or the old 15-digit form) and mobile numbers are — ASCII or full-width digits,
//! written whole, spaced, hyphenated or with +86 — and the same text with each masked digit
//! for digit (`3301**********0045`), so that nothing zhen prints or writes repeats one in full.
//! `Diagnostic::render` and the JSON report mask through here.

use std::borrow::Cow;
use std::ops::Range;

use crate::diagnostics::Diagnostic;

/// What a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// An 18-digit resident ID number.
    IdNumber,
    /// A 15-digit resident ID number (issued before 1999).
    OldIdNumber,
    Mobile,
}

/// A number found in a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Number {
    /// Byte range, from its first digit (or `+`) to its last.
    pub range: Range<usize>,
    pub kind: Kind,
    /// Its digits in ASCII, without separators or the country code (`13812345678`).
    pub digits: String,
    /// Written inside a URL, a file name, a cookie value or a hash (a letter, `_`, `/`, `=`,
    /// `%` … right before or after it): most likely not a person's number.
    pub in_code: bool,
}

/// A digit character's value: ASCII `0-9`, full-width `０-９`.
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// Whether `id` (17 ASCII digits and a digit or X) is a resident ID number: a plausible region
/// and birth date, and the GB 11643-1999 check digit.
pub fn valid_id(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !plausible(&id[..6], &id[6..14]) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == b[17].to_ascii_uppercase()
}

/// Whether `id` (15 ASCII digits) is an old resident ID number: region, then `YYMMDD` of a
/// 20th-century birth date, then a sequence number.
pub fn valid_old_id(id: &str) -> bool {
    id.len() == 15
        && id.bytes().all(|b| b.is_ascii_digit())
        && plausible(&id[..6], &format!("19{}", &id[6..12]))
}

/// A region code (6 digits) and a birth date (`YYYYMMDD`) an ID number could have.
fn plausible(region: &str, birth: &str) -> bool {
    let num = |s: &str| s.parse::<i16>().unwrap_or(0);
    let year = num(&birth[..4]);
    (11..=82).contains(&num(&region[..2]))
        && (1900..=2100).contains(&year)
        && jiff::civil::Date::new(year, num(&birth[4..6]) as i8, num(&birth[6..8]) as i8).is_ok()
}

fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// A run of digits: its byte range and its ASCII digits.
struct Group {
    range: Range<usize>,
    digits: String,
}

/// Runs of digits joined by single spaces or hyphens (`330122 19680315 1230`).
fn chains(text: &str) -> Vec<Vec<Group>> {
    let mut out: Vec<Vec<Group>> = Vec::new();
    let mut chain: Vec<Group> = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let Some(d) = digit(c) else {
            continue;
        };
        let mut group = Group {
            range: i..i + c.len_utf8(),
            digits: d.to_string(),
        };
        while let Some(&(j, n)) = iter.peek() {
            let Some(d) = digit(n) else { break };
            group.digits.push(d);
            group.range.end = j + n.len_utf8();
            iter.next();
        }
        let joined = chain.last().is_some_and(|last| {
            let between = &text[last.range.end..group.range.start];
            matches!(between, " " | "-" | "\u{a0}")
        });
        if !joined && !chain.is_empty() {
            out.push(std::mem::take(&mut chain));
        }
        chain.push(group);
    }
    if !chain.is_empty() {
        out.push(chain);
    }
    out
}

/// Every ID and mobile number in `text`, in order.
pub fn find(text: &str) -> Vec<Number> {
    let mut out = Vec::new();
    for chain in chains(text) {
        let mut i = 0;
        while i < chain.len() {
            match (i + 1..=chain.len())
                .rev()
                .find_map(|j| number(text, &chain[i..j]))
            {
                Some((n, used)) => {
                    out.push(n);
                    i += used;
                }
                None => i += 1,
            }
        }
    }
    out
}

/// The number `groups` make, with how many groups it took.
fn number(text: &str, groups: &[Group]) -> Option<(Number, usize)> {
    let digits: String = groups.iter().map(|g| g.digits.as_str()).collect();
    let lens: Vec<usize> = groups.iter().map(|g| g.digits.len()).collect();
    let start = groups[0].range.start;
    let mut end = groups[groups.len() - 1].range.end;
    let (kind, digits) = if digits.len() == 17
        && let Some(x) = text[end..].chars().next().filter(|c| is_x(*c))
        && valid_id(&format!("{digits}X"))
    {
        end += x.len_utf8();
        (Kind::IdNumber, format!("{digits}X"))
    } else if digits.len() == 18 && valid_id(&digits) {
        (Kind::IdNumber, digits)
    } else if lens == [15] && valid_old_id(&digits) {
        (Kind::OldIdNumber, digits)
    } else if (lens == [11] || lens == [3, 4, 4]) && is_mobile(&digits) {
        (Kind::Mobile, digits)
    } else if matches!(lens.as_slice(), [13] | [2, 11] | [2, 3, 4, 4])
        && digits.starts_with("86")
        && is_mobile(&digits[2..])
    {
        (Kind::Mobile, digits[2..].to_string())
    } else {
        return None;
    };
    let start = if kind == Kind::Mobile && digits.len() < lens.iter().sum() {
        // +86: the plus sign belongs to the number.
        text[..start]
            .strip_suffix(['+', '＋'])
            .map_or(start, |s| s.len())
    } else {
        start
    };
    let in_code = code_before(&text[..start]) || code_after(&text[end..]);
    let n = Number {
        range: start..end,
        kind,
        digits,
        in_code,
    };
    Some((n, groups.len()))
}

/// Whether the text before a number ends like a URL, file name or code.
fn code_before(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphabetic() || "_/=%&?#.\\".contains(c))
}

/// Whether the text after a number goes on like a URL, file name or code (`kGQ.gif`, `.jpg`).
fn code_after(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || "_/=%&?#\\".contains(c) => true,
        Some('.') => chars.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        _ => false,
    }
}

/// `text` with every ID and mobile number masked digit for digit: the first four and last four
/// characters of an ID number stay (`3301**********0045`), the first three and last four digits
/// of a mobile (`138****5678`). A masked ASCII digit becomes `*`, a full-width one `＊`, so every
/// byte offset into the text stays valid.
pub fn mask(text: &str) -> Cow<'_, str> {
    let found = find(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for n in &found {
        out.push_str(&text[last..n.range.start]);
        let part = &text[n.range.clone()];
        let total = part
            .chars()
            .filter(|c| digit(*c).is_some() || is_x(*c))
            .count();
        // Digits of a country code are skipped; then `keep` at the start and 4 at the end stay.
        let (skip, keep) = match n.kind {
            Kind::IdNumber | Kind::OldIdNumber => (0, 4),
            Kind::Mobile => (total - n.digits.len(), 3),
        };
        let mut k = 0;
        for c in part.chars() {
            if digit(c).is_none() && !is_x(c) {
                out.push(c);
                continue;
            }
            let hidden = k >= skip + keep && k + 4 < total;
            out.push(match (hidden, c.is_ascii()) {
                (false, _) => c,
                (true, true) => '*',
                (true, false) => '＊',
            });
            k += 1;
        }
        last = n.range.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// `d` with every number masked in its message, hint, file name and quoted line; None when it
/// shows none.
pub fn masked(d: &Diagnostic) -> Option<Diagnostic> {
    let mut out = d.clone();
    let mut changed = false;
    let mut fix = |s: &mut String| {
        if let Cow::Owned(m) = mask(s) {
            *s = m;
            changed = true;
        }
    };
    fix(&mut out.message);
    if let Some(help) = &mut out.help {
        fix(help);
    }
    if let Some(loc) = &mut out.location {
        fix(&mut loc.line_text);
    }
    if let Some(file) = &mut out.file {
        let mut name = file.to_string_lossy().into_owned();
        fix(&mut name);
        *file = name.into();
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, Kind, bool)> {
        find(text)
            .into_iter()
            .map(|n| (&text[n.range], n.kind, n.in_code))
            .collect()
    }

    #[test]
    fn check_digits_follow_gb_11643() {
        // The standard's own example.
        assert!(valid_id("11010519491231002X"));
        assert!(valid_id("11010519491231002x"));
        assert!(valid_id("110101199003074477"));
        assert!(!valid_id("110101199003074478"), "wrong check digit");
        assert!(!valid_id("110101199013074471"), "month 13");
        assert!(!valid_id("990101199003074477"), "no such region");
        assert!(!valid_id("11010119900307447"));
        assert!(valid_old_id("330122680315123"));
        assert!(!valid_old_id("330122681315123"), "month 13");
    }

    #[test]
    fn numbers_in_every_spelling_are_found() {
        let cases: &[(&str, &str, Kind)] = &[
            (
                "身份证号330122197506120045，",
                "330122197506120045",
                Kind::IdNumber,
            ),
            (
                "身份证11010519491231002X。",
                "11010519491231002X",
                Kind::IdNumber,
            ),
            (
                "证号 330122 19750612 0045 ",
                "330122 19750612 0045",
                Kind::IdNumber,
            ),
            (
                "证号３３０１２２１９７５０６１２００４５",
                "３３０１２２１９７５０６１２００４５",
                Kind::IdNumber,
            ),
            (
                "老证号330122680315123已换",
                "330122680315123",
                Kind::OldIdNumber,
            ),
            ("电话13812345678。", "13812345678", Kind::Mobile),
            ("电话 138-1234-5678", "138-1234-5678", Kind::Mobile),
            ("（+8613912345678）", "+8613912345678", Kind::Mobile),
            ("+86 139 1234 5678", "+86 139 1234 5678", Kind::Mobile),
            (
                "手机１３９１２３４５６７８",
                "１３９１２３４５６７８",
                Kind::Mobile,
            ),
            ("2024 13812345678", "13812345678", Kind::Mobile),
        ];
        for (text, number, kind) in cases {
            assert_eq!(found(text), vec![(*number, *kind, false)], "{text}");
        }
    }

    #[test]
    fn numbers_in_urls_and_file_names_are_code() {
        for text in [
            "0_13311825358kGQ.gif",
            "https://a.cn/?uid=13812345678&x=1",
            "/upload/13812345678.jpg",
            "sid=13812345678;",
        ] {
            assert!(found(text).iter().all(|f| f.2), "{text}: {:?}", found(text));
        }
        assert!(found("订单号 9913812345678 和 1381234567890").is_empty());
        assert!(found("座机 12345678901、号段 12812345678").is_empty());
        assert!(found("编号 1101051949123100211").is_empty(), "19 digits");
        assert!(found("流水号202406251234567").is_empty(), "not a date");
    }

    #[test]
    fn masks_keep_the_ends_and_every_offset() {
        let cases = [
            ("13812345678", "138****5678"),
            ("11010519491231002X", "1101**********002X"),
            ("330122197506120045", "3301**********0045"),
            ("138-1234-5678", "138-****-5678"),
            ("330122 19680315 1230", "3301** ******** 1230"),
            ("+8613912345678", "+86139****5678"),
            ("１３９１２３４５６７８", "１３９＊＊＊＊５６７８"),
            ("330122680315123", "3301*******5123"),
            ("照片0_13311825358kGQ.gif", "照片0_133****5358kGQ.gif"),
            ("没有号码", "没有号码"),
        ];
        for (text, want) in cases {
            let got = mask(text);
            assert_eq!(got, want, "{text}");
            assert_eq!(got.len(), text.len(), "{text}");
        }
    }

    #[test]
    fn diagnostics_are_masked_everywhere() {
        let src = "7 | 周某某，身份证号330122197506120045，联系电话15857123456";
        let d = Diagnostic::error("图片 /a/330122197506120045.jpg 没有替代文字")
            .in_file("content/15857123456/a.md")
            .at(crate::diagnostics::Location::in_source(src, 0..3))
            .help("电话 15857123456");
        let shown = d.render(false);
        for number in ["330122197506120045", "15857123456"] {
            assert!(!shown.contains(number), "{shown}");
        }
        assert!(shown.contains("3301**********0045"), "{shown}");
        assert!(masked(&Diagnostic::error("没有号码")).is_none());
    }
}
