//! Jekyll: `_config.yml`, posts as `_posts/YYYY-MM-DD-title.md` (also `<category>/_posts/`),
//! pages elsewhere outside `_` folders, static files (`assets/` …) published as they are;
//! URLs from a post's `permalink`, else the site's `permalink` style (default `date`:
//! `/:categories/:year/:month/:day/:title:output_ext`).

use std::path::Path;

use jiff::tz::TimeZone;

use super::Source;
use super::hexo::{page_place, parse};
use super::read::{self, date_prefix, text};
use super::urls::{date_tokens, fill, normalize, translate};
use crate::diagnostics::Diagnostic;

/// A permalink style name as its pattern.
fn style(name: &str) -> String {
    match name {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        other => other,
    }
    .to_string()
}

pub fn read(src: &Path, tz: &TimeZone) -> Result<Source, Diagnostic> {
    let config = read::config(src, &["_config.yml", "_config.yaml"]).unwrap_or_default();
    let is_posts = |rel: &str| rel.split('/').any(|p| p == "_posts");
    let all = read::markdown_files(src, &|rel: &str| {
        rel.split('/')
            .any(|p| matches!(p, "_site" | "vendor" | "node_modules" | "_drafts"))
    });
    if !all.iter().any(|p| is_posts(&read::rel(src, p))) {
        return Err(Diagnostic::error(format!(
            "{} 不像 Jekyll 网站：找不到 _posts 文件夹里的文章",
            src.display()
        ))
        .help("请写 Jekyll 网站的根目录（有 _config.yml 和 _posts/ 的那一层）"));
    }
    let permalink = style(&text(&config, "permalink").unwrap_or_else(|| "date".into()));
    let url = text(&config, "url").unwrap_or_default();
    let mut source = Source {
        title: text(&config, "title").unwrap_or_default(),
        base_url: url,
        timezone: text(&config, "timezone"),
        static_roots: vec![src.to_path_buf()],
        ..Source::default()
    };
    let tokens = |cats: &str| {
        vec![
            (":categories", cats.to_string()),
            (":title", "{slug}".to_string()),
            (":slug", "{slug}".to_string()),
            (":year", "{year}".to_string()),
            (":month", "{month}".to_string()),
            (":day", "{day}".to_string()),
            (":output_ext", ".html".to_string()),
        ]
    };
    for cats in ["{category}", ""] {
        let t = tokens(cats);
        let t: Vec<(&str, &str)> = t.iter().map(|(a, b)| (*a, b.as_str())).collect();
        source.patterns.extend(translate(&permalink, &t));
    }

    for path in all {
        let rel = read::rel(src, &path);
        let Some(mut f) = parse(src, &path, &mut source) else {
            continue;
        };
        let stem = read::stem(&path);
        if is_posts(&rel) {
            let (date, bad) = read::take_date(&mut f.front, &["date"], &stem, tz);
            if let Some(bad) = bad {
                source.notes.push(format!("{}：{bad}", f.rel));
            }
            f.date = date;
            f.post = true;
            let name = date_prefix(&stem)
                .map_or(stem.as_str(), |(_, r)| r)
                .to_string();
            f.title = read::take_title(&mut f.front, &mut f.body, &name);
            // Folders above _posts are categories too, before those of the front matter.
            let mut cats: Vec<String> = rel
                .split("/_posts/")
                .next()
                .filter(|d| *d != rel && !d.starts_with("_posts"))
                .map(|d| d.split('/').map(str::to_string).collect())
                .unwrap_or_default();
            cats.extend(read::take_list(&mut f.front, "categories", true));
            cats.extend(read::take_list(&mut f.front, "category", false));
            cats.dedup();
            f.tags = read::take_list(&mut f.front, "tags", true);
            f.tags.extend(read::take_list(&mut f.front, "tag", false));
            f.categories = cats;
            let own_slug = text(&f.front, "slug");
            f.front.remove("slug");
            f.slug = own_slug.unwrap_or(name);
            if let Some(own) = text(&f.front, "permalink") {
                f.front.remove("permalink");
                f.old_urls.push(normalize(&own));
            } else if let Some(date) = &f.date {
                let mut values = date_tokens(date);
                let lower: Vec<String> = f.categories.iter().map(|c| c.to_lowercase()).collect();
                values.extend([
                    (":categories", lower.join("/")),
                    (":title", f.slug.clone()),
                    (":slug", slug::slugify(&f.slug)),
                    (":output_ext", ".html".to_string()),
                ]);
                f.old_urls.push(fill(&permalink, &values));
            }
        } else {
            if matches!(stem.as_str(), "README" | "readme" | "CHANGELOG" | "LICENSE") {
                continue;
            }
            f.title = read::take_title(&mut f.front, &mut f.body, &stem);
            f.front.remove("date");
            let url = match text(&f.front, "permalink") {
                Some(own) => {
                    f.front.remove("permalink");
                    normalize(&own)
                }
                None => {
                    let no_ext = rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s);
                    match no_ext.strip_suffix("index") {
                        Some(dir) => normalize(&format!("/{dir}/")),
                        None => normalize(&format!("/{no_ext}.html")),
                    }
                }
            };
            f.old_urls.push(url);
            let (pd, ps) = page_place(&rel);
            f.page_dir = pd;
            f.slug = ps;
        }
        f.asset_dirs = vec![path.parent().unwrap_or(src).to_path_buf()];
        source.files.push(f);
    }
    Ok(source)
}
