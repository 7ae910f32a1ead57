//! C4, personal data: 18-digit resident ID numbers whose GB 11643 check digit is valid, and
//! private mobile numbers (1[3-9] and nine more digits, also written 3-4-4), never inside a
//! longer run of digits. Published hotlines are allowed by `[check] allow_phones` and the
//! site's own `[identity] phone`.

use std::collections::HashSet;
use std::ops::Range;

use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location};

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    IdNumber,
    Mobile,
}

/// Whether `id` (17 digits and a digit or X) is a resident ID number: a plausible region and
/// birth date, and the GB 11643-1999 check digit.
pub fn valid_id(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |r: Range<usize>| id[r].parse::<i16>().unwrap_or(0);
    let region = num(0..2);
    let birth = jiff::civil::Date::new(num(6..10), num(10..12) as i8, num(12..14) as i8);
    if !(11..=82).contains(&region) || birth.is_err() || !(1900..=2100).contains(&num(6..10)) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == b[17].to_ascii_uppercase()
}

fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// Every ID number and mobile number in `text` whose digits are not in `allowed`.
pub fn find(text: &str, allowed: &HashSet<String>) -> Vec<(Range<usize>, Kind)> {
    let b = text.as_bytes();
    let digits_from = |mut i: usize| {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        start..i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run = digits_from(i);
        i = run.end;
        let len = run.len();
        let ends_with_x = len == 17
            && matches!(b.get(i), Some(b'X' | b'x'))
            && !b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
        if ends_with_x || len == 18 {
            let range = run.start..run.end + usize::from(ends_with_x);
            if valid_id(&text[range.clone()]) {
                out.push((range.clone(), Kind::IdNumber));
            }
            i = range.end;
        } else if len == 11 && is_mobile(&text[run.clone()]) {
            if !allowed.contains(&text[run.clone()]) {
                out.push((run, Kind::Mobile));
            }
        } else if len == 3 && is_mobile(&format!("{}00000000", &text[run.clone()])) {
            // 138-1234-5678 or 138 1234 5678.
            let Some(&sep) = b.get(run.end).filter(|s| matches!(s, b'-' | b' ')) else {
                continue;
            };
            let second = digits_from(run.end + 1);
            if second.len() != 4 || b.get(second.end) != Some(&sep) {
                continue;
            }
            let third = digits_from(second.end + 1);
            if third.len() != 4 {
                continue;
            }
            let number = format!(
                "{}{}{}",
                &text[run.clone()],
                &text[second],
                &text[third.clone()]
            );
            if !allowed.contains(&number) {
                out.push((run.start..third.end, Kind::Mobile));
            }
            i = third.end;
        }
    }
    out
}

/// `110101199003071234` -> `1101**********1234`.
fn masked(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let keep = if chars.len() > 11 { 4 } else { 3 };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep || i + 4 >= chars.len() || !c.is_ascii_digit() {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let config = &audit.site.config;
    let only_digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let allowed: HashSet<String> = config
        .check
        .allow_phones
        .iter()
        .chain([&config.identity.phone])
        .map(|p| only_digits(p))
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = Vec::new();
    for source in &audit.sources {
        for (range, kind) in find(&source.text, &allowed) {
            let shown = masked(&source.text[range.clone()]);
            let d = match kind {
                Kind::IdNumber => Diagnostic::error(format!("疑似未打码的身份证号 {shown}"))
                    .help(format!("公开的信息里不能出现完整的身份证号：请打码成 {shown}，或删去")),
                Kind::Mobile => Diagnostic::error(format!("疑似未打码的个人手机号 {shown}"))
                    .help(format!(
                        "个人手机号请打码成 {shown}；公开的服务热线请写进 site.toml 的 [check] allow_phones"
                    )),
            };
            let at = Location::in_source(&source.text, range);
            out.push(source.finding(Rule::C4, d, at, shown));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, Kind)> {
        let allowed: HashSet<String> = ["13900000000".to_string()].into();
        find(text, &allowed)
            .into_iter()
            .map(|(r, k)| (&text[r], k))
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
    }

    #[test]
    fn ids_and_mobiles_are_found_outside_longer_numbers() {
        assert_eq!(
            found("身份证11010519491231002X，电话13812345678。"),
            vec![
                ("11010519491231002X", Kind::IdNumber),
                ("13812345678", Kind::Mobile)
            ]
        );
        assert_eq!(
            found("联系 138-1234-5678 或 138 1234 5678"),
            vec![
                ("138-1234-5678", Kind::Mobile),
                ("138 1234 5678", Kind::Mobile)
            ]
        );
        assert!(found("订单号 9913812345678 和 1381234567890").is_empty());
        assert!(found("座机 12345678901、号段 12812345678").is_empty());
        assert!(found("热线 13900000000，打码 138****5678").is_empty());
        assert!(found("编号 1101051949123100211").is_empty(), "19 digits");
    }

    #[test]
    fn masks_keep_the_ends() {
        assert_eq!(masked("13812345678"), "138****5678");
        assert_eq!(masked("11010519491231002X"), "1101**********002X");
        assert_eq!(masked("138-1234-5678"), "138-****-5678");
    }
}
