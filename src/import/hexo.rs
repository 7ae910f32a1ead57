//! Hexo: `_config.yml`, posts in `source/_posts/` (with their asset folders when
//! `post_asset_folder` is on), pages elsewhere in `source/`, URLs from `permalink`
//! (default `:year/:month/:day/:title/`) or a post's own `permalink`.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use jiff::tz::TimeZone;

use super::read::{self, date_prefix, text};
use super::urls::{date_tokens, fill, normalize, translate};
use super::{Found, Source};
use crate::diagnostics::Diagnostic;

const DEFAULT_PERMALINK: &str = ":year/:month/:day/:title/";

/// A `:token` of a permalink pattern.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":([A-Za-z_]+)").unwrap());

pub fn read(src: &Path, tz: &TimeZone) -> Result<Source, Diagnostic> {
    let config = read::config(src, &["_config.yml", "_config.yaml"]).unwrap_or_default();
    let source_dir = src.join(text(&config, "source_dir").unwrap_or_else(|| "source".into()));
    if !source_dir.join("_posts").is_dir() {
        return Err(Diagnostic::error(format!(
            "{} 不像 Hexo 网站：找不到 source/_posts 文件夹",
            src.display()
        ))
        .help("请写 Hexo 网站的根目录（有 _config.yml 和 source/_posts 的那一层）"));
    }
    let permalink = text(&config, "permalink").unwrap_or_else(|| DEFAULT_PERMALINK.into());
    let dated_names =
        text(&config, "new_post_name").is_some_and(|n| n.starts_with(":year-:month-:day-"));
    let defaults = match config.get("permalink_defaults") {
        Some(serde_json::Value::Object(d)) => d.clone(),
        _ => serde_json::Map::new(),
    };
    let default_category =
        text(&config, "default_category").unwrap_or_else(|| "uncategorized".into());
    let mut source = Source {
        title: text(&config, "title").unwrap_or_default(),
        base_url: text(&config, "url").unwrap_or_default(),
        timezone: text(&config, "timezone"),
        static_roots: vec![source_dir.clone()],
        ..Source::default()
    };
    source.patterns.extend(translate(
        &permalink,
        &[
            (":year", "{year}"),
            (":month", "{month}"),
            (":day", "{day}"),
            (":title", "{slug}"),
            (":name", "{slug}"),
        ],
    ));

    let posts_dir = source_dir.join("_posts");
    for path in read::markdown_files(&posts_dir, &|_| false) {
        let rel_post = read::rel(&posts_dir, &path);
        let Some(mut f) = parse(src, &path, &mut source) else {
            continue;
        };
        let name_slug = rel_post
            .strip_suffix(".md")
            .or_else(|| rel_post.strip_suffix(".markdown"))
            .unwrap_or(&rel_post)
            .to_string();
        // With dated file names, `:title` is what follows the date.
        let title_slug = match (dated_names, name_slug.rsplit_once('/')) {
            (true, Some((dir, name))) => {
                format!("{dir}/{}", date_prefix(name).map_or(name, |(_, rest)| rest))
            }
            (true, None) => date_prefix(&name_slug)
                .map_or(name_slug.as_str(), |(_, rest)| rest)
                .to_string(),
            _ => name_slug.clone(),
        };
        let stem = read::stem(&path);
        let (date, bad) = read::take_date(&mut f.front, &["date"], &stem, tz);
        if let Some(bad) = bad {
            source.notes.push(format!("{}：{bad}", f.rel));
        }
        f.date = date;
        f.post = true;
        let (hierarchy, more) = read::take_hierarchy(&mut f.front, "categories");
        let (hierarchy, more2) = if hierarchy.is_empty() {
            read::take_hierarchy(&mut f.front, "category")
        } else {
            (hierarchy, more.clone())
        };
        f.categories = hierarchy;
        f.tags = read::take_list(&mut f.front, "tags", false);
        f.tags.extend(read::take_list(&mut f.front, "tag", false));
        f.tags.extend(more.into_iter().chain(more2));
        f.title = read::take_title(&mut f.front, &mut f.body, &stem);
        f.slug = title_slug
            .rsplit('/')
            .next()
            .unwrap_or(&title_slug)
            .to_string();
        let own = read::text(&f.front, "permalink").filter(|p| !p.trim().is_empty());
        f.front.remove("permalink");
        if let Some(own) = own {
            f.old_urls.push(normalize(&own));
        } else if let Some(date) = &f.date {
            let mut values = date_tokens(date);
            let cats = if f.categories.is_empty() {
                default_category.clone()
            } else {
                f.categories
                    .iter()
                    .map(|c| slugize(c))
                    .collect::<Vec<_>>()
                    .join("/")
            };
            values.extend([
                (":title", title_slug.clone()),
                (":name", stem.clone()),
                (":post_title", slugize(&f.title)),
                (":category", cats),
            ]);
            // Other tokens (`:abbrlink`, `:lang` …) come from the post's front matter or
            // `permalink_defaults`; without a value the old URL cannot be known.
            let mut unknown = Vec::new();
            for c in TOKEN.captures_iter(&permalink) {
                let token = c.get(0).map_or("", |m| m.as_str());
                if values.iter().any(|(t, _)| *t == token) {
                    continue;
                }
                match text(&f.front, &c[1]).or_else(|| text(&defaults, &c[1])) {
                    Some(v) => values.push((token, v)),
                    None => unknown.push(token.to_string()),
                }
            }
            if unknown.is_empty() {
                f.old_urls.push(fill(&permalink, &values));
            } else {
                source.notes.push(format!(
                    "{}：网址格式里的 {} 没有值，算不出旧网址，请自己在 aliases 里补上",
                    f.rel,
                    unknown.join(" ")
                ));
            }
        }
        f.asset_dirs = vec![
            posts_dir.join(&name_slug),
            path.parent().unwrap_or(&posts_dir).to_path_buf(),
        ];
        source.files.push(f);
    }

    // Pages: every other Markdown file of source/ outside `_` folders.
    let skip = |rel: &str| rel.split('/').any(|p| p.starts_with('_'));
    for path in read::markdown_files(&source_dir, &skip) {
        let rel_page = read::rel(&source_dir, &path);
        let Some(mut f) = parse(src, &path, &mut source) else {
            continue;
        };
        let stem = read::stem(&path);
        f.title = read::take_title(&mut f.front, &mut f.body, &stem);
        f.front.remove("date");
        f.front.remove("updated");
        let html = rel_page
            .rsplit_once('.')
            .map_or(rel_page.clone(), |(s, _)| format!("{s}.html"));
        let url = match read::text(&f.front, "permalink") {
            Some(own) => {
                f.front.remove("permalink");
                normalize(&own)
            }
            None => match html.strip_suffix("index.html") {
                Some(dir) => normalize(&format!("/{dir}/")),
                None => normalize(&html),
            },
        };
        let (dir, slug) = page_place(&rel_page);
        f.page_dir = dir;
        f.slug = slug;
        f.old_urls.push(url);
        f.asset_dirs = vec![path.parent().unwrap_or(&source_dir).to_path_buf()];
        source.files.push(f);
    }
    Ok(source)
}

/// Reads one file into a [`Found`]; a file that cannot be read is a note instead.
pub(super) fn parse(src: &Path, path: &Path, source: &mut Source) -> Option<Found> {
    let rel = read::rel(src, path);
    match read::markdown(path) {
        Ok(p) if read::is_draft(&p.front) => {
            source.notes.push(format!("{rel}：草稿，未导入"));
            None
        }
        Ok(p) => Some(Found {
            src: path.to_path_buf(),
            rel,
            front: p.front,
            body: p.body,
            ..Found::default()
        }),
        Err(e) => {
            source.notes.push(format!("{rel}：{e}，未导入"));
            None
        }
    }
}

/// Where a page file (relative to its content root) goes: its folder and its slug
/// (`about/index.md` -> ("", "about"), `docs/a.md` -> ("docs", "a")).
pub(super) fn page_place(rel: &str) -> (String, String) {
    let no_ext = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    let (dir, name) = no_ext.rsplit_once('/').unwrap_or(("", no_ext));
    if matches!(name, "index" | "_index" | "README" | "readme") && !dir.is_empty() {
        let (parent, last) = dir.rsplit_once('/').unwrap_or(("", dir));
        (parent.to_string(), last.to_string())
    } else {
        (dir.to_string(), name.to_string())
    }
}

/// Hexo's `slugize` for category names in URLs: whitespace and URL-special characters become
/// `-`, runs of `-` collapse; other characters (Chinese too) stay.
fn slugize(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_whitespace() || "~`!@#$%^&*()=+[]{}\\|;:'\",.<>/?".contains(c) {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_matches('-').to_string()
}
