//! Template filters: `date` speaks Chinese (`2024年1月2日`) in the site's time zone, and
//! `reading_time` gives minutes for a text at 300 characters a minute.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tera::{Error, Kwargs, State, Tera, TeraResult};

use crate::markdown::text::{reading_time, word_count};

/// The default date format: `2024年1月2日`.
pub const CHINESE_DATE: &str = "%Y年%-m月%-d日";

/// Registers zhen's filters on `tera`; dates are shown in `tz`, site paths made absolute
/// against `base_url`.
pub fn register(tera: &mut Tera, tz: &TimeZone, base_url: &str) {
    let base = base_url.to_string();
    tera.register_filter(
        "absolute_urls",
        move |value: &str, _: Kwargs, _: &State| -> String { absolute_urls(value, &base) },
    );
    let tz = tz.clone();
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format = kwargs.get::<&str>("format")?.unwrap_or(CHINESE_DATE);
            format_date(value, format, &tz).map_err(Error::message)
        },
    );
    tera.register_filter(
        "reading_time",
        |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<usize> {
            let speed = kwargs.get::<usize>("speed")?.unwrap_or(300);
            Ok(reading_time(word_count(&strip_tags(value)), speed))
        },
    );
}

/// Formats an RFC 3339 time (as zhen puts in `page.date`) with a strftime `format`, or one of
/// the names `chinese` (`2024年1月2日`), `date` (`2024-01-02`), `datetime` (`2024-01-02 16:10`),
/// `month` (`2024年1月`).
pub fn format_date(value: &str, format: &str, tz: &TimeZone) -> Result<String, String> {
    let ts: Timestamp = value
        .parse()
        .map_err(|_| format!("date 过滤器收到的不是日期：\"{value}\""))?;
    let format = match format {
        "chinese" => CHINESE_DATE,
        "date" => "%Y-%m-%d",
        "datetime" => "%Y-%m-%d %H:%M",
        "month" => "%Y年%-m月",
        other => other,
    };
    jiff::fmt::strtime::format(format, &ts.to_zoned_datetime(tz.clone()))
        .map_err(|e| format!("日期格式 \"{format}\" 有误：{e}"))
}

/// Makes the root-relative links and images of an HTML fragment absolute (for feeds, which
/// are read away from the site): `href="/a/"` -> `href="https://site/a/"`.
pub fn absolute_urls(html: &str, base_url: &str) -> String {
    let mut out = html.to_string();
    for attr in ["href", "src"] {
        out = out.replace(&format!("{attr}=\"/"), &format!("{attr}=\"{base_url}/"));
    }
    // `//host/x` is protocol-relative, not a site path: undo what the line above did to it.
    out.replace(&format!("=\"{base_url}//"), "=\"//")
}

/// The text of an HTML fragment, for counting.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_chinese_and_in_the_site_zone() {
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let v = "2024-01-01T20:30:00Z";
        assert_eq!(format_date(v, CHINESE_DATE, &tz).unwrap(), "2024年1月2日");
        assert_eq!(format_date(v, "datetime", &tz).unwrap(), "2024-01-02 04:30");
        assert_eq!(format_date(v, "month", &tz).unwrap(), "2024年1月");
        assert!(format_date("昨天", "date", &tz).is_err());
    }

    #[test]
    fn site_paths_become_absolute_in_feeds() {
        let html = r#"<a href="/a/">x</a><img src="/b.png"><a href="//cdn/x">y</a><a href="https://o/">z</a>"#;
        assert_eq!(
            absolute_urls(html, "https://s.cn"),
            r#"<a href="https://s.cn/a/">x</a><img src="https://s.cn/b.png"><a href="//cdn/x">y</a><a href="https://o/">z</a>"#
        );
    }

    #[test]
    fn reading_time_counts_text_not_markup() {
        let mut tera = Tera::new();
        register(&mut tera, &TimeZone::UTC, "");
        tera.add_raw_template("t", "{{ x | reading_time }}")
            .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert(
            "x",
            &format!("<p class=\"long-attribute\">{}</p>", "字".repeat(301)),
        );
        assert_eq!(tera.render("t", &ctx).unwrap(), "2");
    }
}
