//! URL patterns of other tools (`:year/:month/:title/`): filling them for a post the way the tool
//! does, and translating them into zhen's pattern language where it can say the same.

use jiff::ZonedDateTime;

/// Fills the `:token` placeholders of `pattern` from `values` (longest token first, so
/// `:i_month` is not read as `:i` + `_month`). Returns a site path starting with `/`, with
/// doubled slashes (an empty `:categories`) collapsed.
pub fn fill(pattern: &str, values: &[(&str, String)]) -> String {
    let mut sorted: Vec<&(&str, String)> = values.iter().collect();
    sorted.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    let mut out = String::new();
    let mut rest = pattern;
    'outer: while !rest.is_empty() {
        for (token, value) in &sorted {
            if let Some(after) = rest.strip_prefix(token) {
                out.push_str(value);
                rest = after;
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    normalize(&out)
}

/// `a//b` -> `/a/b`, always one leading slash.
pub fn normalize(path: &str) -> String {
    let mut out = String::from("/");
    for part in path.split('/').filter(|p| !p.is_empty()) {
        out.push_str(part);
        out.push('/');
    }
    if !path.ends_with('/') && out.len() > 1 {
        out.pop();
    }
    out
}

/// The common date tokens of Hexo, Hugo and Jekyll for `date`.
pub fn date_tokens(date: &ZonedDateTime) -> Vec<(&'static str, String)> {
    let f = |s: &str| date.strftime(s).to_string();
    vec![
        (":year", f("%Y")),
        (":month", f("%m")),
        (":day", f("%d")),
        (":i_month", f("%-m")),
        (":i_day", f("%-d")),
        (":hour", f("%H")),
        (":minute", f("%M")),
        (":second", f("%S")),
        (":short_year", f("%y")),
        (":y_day", f("%j")),
    ]
}

/// Translates a tool's pattern into zhen's: `tokens` names what each `:token` becomes
/// (`{slug}`, `{year}` …, or literal text). None when a token is left that zhen cannot fill.
pub fn translate(pattern: &str, tokens: &[(&str, &str)]) -> Option<String> {
    let values: Vec<(&str, String)> = tokens.iter().map(|(t, v)| (*t, v.to_string())).collect();
    let out = fill(pattern, &values);
    let leftover = out
        .match_indices(':')
        .any(|(i, _)| out[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic()));
    (!leftover && out.contains("{slug}")).then_some(
        if pattern.ends_with('/') && !out.ends_with('/') {
            format!("{out}/")
        } else {
            out
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_fill_and_translate() {
        let v = [
            (":year", "2024".to_string()),
            (":title", "春季".to_string()),
            (":categories", String::new()),
        ];
        assert_eq!(fill(":year/:categories/:title/", &v), "/2024/春季/");
        assert_eq!(fill("/:categories/:title.html", &v), "/春季.html");
        assert_eq!(
            translate(
                ":year/:month/:day/:title/",
                &[
                    (":year", "{year}"),
                    (":month", "{month}"),
                    (":day", "{day}"),
                    (":title", "{slug}")
                ]
            )
            .as_deref(),
            Some("/{year}/{month}/{day}/{slug}/")
        );
        assert_eq!(translate(":year/:id/", &[(":year", "{year}")]), None);
    }
}
