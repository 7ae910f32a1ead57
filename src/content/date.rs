//! Front matter dates: every accepted spelling -> a zoned time in the site's time zone.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// Parses a front matter date. Accepted: RFC 3339 (`2024-01-02T13:32:02+08:00`), a naive
/// date-time with `T` or a space (`2024-01-02 13:32:02`, seconds optional), a date
/// (`2024-01-02`), Hexo's slashes (`2024/1/2 13:32:02`, `2024/1/2`), dots (`2024.3.5`) and
/// Chinese dates (`2024年3月5日 9:30`). Naive values are
/// taken in `tz`, never in the build machine's zone.
pub fn parse_date(text: &str, tz: &TimeZone) -> Result<ZonedDateTime, String> {
    let s = text.trim();
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(ts.to_zoned_datetime(tz.clone()));
    }
    let normalized = normalize(s);
    let civil = normalized
        .parse::<DateTime>()
        .or_else(|_| {
            normalized
                .parse::<Date>()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        })
        .map_err(|_| format!("无法识别的日期 \"{s}\"，请写成 2024-01-02 或 2024-01-02 13:32:02"))?;
    civil
        .to_zoned_datetime(tz.clone())
        .map_err(|e| format!("日期 \"{s}\" 在时区中不存在：{e}"))
}

/// Rewrites the other spellings as ISO: Hexo's `2024/1/2 9:05`, `2024.3.5`, `2024-3-5`, the
/// Chinese `2024年3月5日 9时30分` (also with full-width digits or colon) become
/// `2024-03-05T09:30`, so the ISO parser can take them.
fn normalize(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '：' | '时' | '点' => ':',
            '年' | '月' | '／' | '．' => '-',
            '日' | '号' | '分' | '秒' => ' ',
            c => c,
        })
        .collect();
    let s = s.trim();
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim().trim_end_matches(':'))),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    let date = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => format!("{y}-{m:0>2}-{d:0>2}"),
        _ => date.to_string(),
    };
    match time.filter(|t| !t.is_empty()) {
        Some(t) => {
            let t = t.replace(' ', "");
            let mut parts: Vec<String> = t.split(':').map(|p| format!("{p:0>2}")).collect();
            if parts.len() == 1 {
                parts.push("00".into());
            }
            format!("{date}T{}", parts.join(":"))
        }
        None => date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn ymdhms(z: &ZonedDateTime) -> String {
        z.strftime("%Y-%m-%d %H:%M:%S %:z").to_string()
    }

    #[test]
    fn every_spelling_is_accepted() {
        let tz = shanghai();
        for (input, want) in [
            ("2024-01-02", "2024-01-02 00:00:00 +08:00"),
            ("2024-01-02 13:32:02", "2024-01-02 13:32:02 +08:00"),
            ("2024-01-02T13:32:02", "2024-01-02 13:32:02 +08:00"),
            ("2024-01-02 13:32", "2024-01-02 13:32:00 +08:00"),
            ("2024/1/2 13:32:02", "2024-01-02 13:32:02 +08:00"),
            ("2024/1/2 9:05:00", "2024-01-02 09:05:00 +08:00"),
            ("2024/1/2", "2024-01-02 00:00:00 +08:00"),
            ("2024-01-02T05:32:02Z", "2024-01-02 13:32:02 +08:00"),
            ("2024-01-02T13:32:02+08:00", "2024-01-02 13:32:02 +08:00"),
            ("2024年3月5日", "2024-03-05 00:00:00 +08:00"),
            ("2024年03月05日 9:30", "2024-03-05 09:30:00 +08:00"),
            ("2024年3月5日 9时30分", "2024-03-05 09:30:00 +08:00"),
            ("２０２４年３月５日", "2024-03-05 00:00:00 +08:00"),
            ("2024.3.5", "2024-03-05 00:00:00 +08:00"),
            ("2024-3-5 8:00", "2024-03-05 08:00:00 +08:00"),
            ("2024/3/5 16：10", "2024-03-05 16:10:00 +08:00"),
        ] {
            let z = parse_date(input, &tz).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(ymdhms(&z), want, "{input}");
        }
    }

    #[test]
    fn naive_times_use_the_site_zone_not_the_machine_zone() {
        let utc = parse_date("2024-01-02 08:00", &TimeZone::UTC).unwrap();
        let sh = parse_date("2024-01-02 08:00", &shanghai()).unwrap();
        assert_eq!(
            utc.timestamp().as_second() - sh.timestamp().as_second(),
            8 * 3600
        );
    }

    #[test]
    fn garbage_is_an_error_with_a_hint() {
        let e = parse_date("去年春天", &shanghai()).unwrap_err();
        assert!(e.contains("2024-01-02"), "{e}");
        assert!(parse_date("2024-13-40", &shanghai()).is_err());
    }
}
