//! Permalink patterns (`/{category}/{year}/{month}/{slug}/`) and the output file of a site path.

use jiff::ZonedDateTime;

/// Fills `pattern` for a post.
pub fn post_path(pattern: &str, category: &str, date: &ZonedDateTime, slug: &str) -> String {
    pattern
        .replace("{category}", category)
        .replace("{year}", &date.strftime("%Y").to_string())
        .replace("{month}", &date.strftime("%m").to_string())
        .replace("{day}", &date.strftime("%d").to_string())
        .replace("{slug}", slug)
}

/// The file a site path is written to, relative to the output folder:
/// `/a/b/` -> `a/b/index.html`, `/a/b.html` -> `a/b.html`.
pub fn output_file(path: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else if trimmed
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        trimmed.to_string()
    } else {
        format!("{trimmed}/index.html")
    }
}

/// Why the output file `file` (relative to the output folder, `/` separators) could land
/// outside the output folder or cannot be written as named, or None when it is safe: it must
/// be non-empty and relative, its parts neither empty, `.` nor `..`, without backslashes,
/// control characters, `?` or `#`, and no part longer than a file name may be.
pub fn unsafe_file(file: &str) -> Option<&'static str> {
    if file.is_empty() || file.starts_with('/') {
        return Some("路径必须是输出目录里的相对路径");
    }
    if file.contains('\\') {
        return Some("路径里不能有反斜杠 \\");
    }
    if file.chars().any(char::is_control) {
        return Some("路径里不能有控制字符");
    }
    if file.contains(['?', '#']) {
        return Some("路径里不能有 ? 或 #（它们在网址里另有含义）");
    }
    for part in file.split('/') {
        match part {
            "" => return Some("路径里不能有空的一段（//）"),
            "." | ".." => return Some("路径里不能有 . 或 ..（不能跳出输出目录）"),
            p if p.len() > MAX_NAME => {
                return Some("路径里有一段太长（超过 255 字节），磁盘上建不了这样的文件");
            }
            _ => {}
        }
    }
    None
}

/// The longest file name most file systems take, in bytes.
const MAX_NAME: usize = 255;

/// The folder a page's bundle files are published in: the page's own folder, or for an
/// `.html` path the path without its extension (`/a/t1_x.html` -> `/a/t1_x/`), so two pages
/// of one folder never share it.
pub fn asset_dir(path: &str) -> String {
    if path.ends_with('/') {
        path.to_string()
    } else {
        let stem = path.rsplit_once('.').map_or(path, |(s, _)| s);
        format!("{stem}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_fill_from_the_post() {
        let date = crate::content::date::parse_date(
            "2024-04-02 09:00",
            &jiff::tz::TimeZone::get("Asia/Shanghai").unwrap(),
        )
        .unwrap();
        assert_eq!(
            post_path(
                "/{category}/{year}/{month}/{slug}/",
                "tourism",
                &date,
                "peach"
            ),
            "/tourism/2024/04/peach/"
        );
        assert_eq!(
            post_path(
                "/{category}/{year}{month}/t{year}{month}{day}_{slug}.html",
                "tourism",
                &date,
                "peach"
            ),
            "/tourism/202404/t20240402_peach.html"
        );
    }

    #[test]
    fn output_files_follow_the_path() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/a/b/"), "a/b/index.html");
        assert_eq!(output_file("/a/t1_x.html"), "a/t1_x.html");
        assert_eq!(output_file("/a/b"), "a/b/index.html");
    }

    #[test]
    fn escaping_or_unwritable_files_are_refused() {
        for bad in [
            "",
            "/etc/passwd",
            "../victim.txt",
            "a/../../b/index.html",
            "a/./b",
            "a//b",
            "a\\..\\b",
            "a\0b",
            "a/b?x=1",
            &"x".repeat(300),
        ] {
            assert!(unsafe_file(bad).is_some(), "{bad:?}");
        }
        for good in [
            "index.html",
            "a/b/index.html",
            "tags/学习/index.html",
            "a..b/c.d",
        ] {
            assert_eq!(unsafe_file(good), None, "{good}");
        }
    }

    #[test]
    fn html_pages_get_their_own_asset_folder() {
        assert_eq!(asset_dir("/a/b/"), "/a/b/");
        assert_eq!(asset_dir("/a/t1_x.html"), "/a/t1_x/");
    }
}
