//! Hugo: `hugo.toml` / `config.toml` / `config.yaml`, content in `content/` (leaf bundles
//! `x/index.md` with their files), `static/` published at the root; URLs from `url`, else
//! `[permalinks]` for the section, else `/<section>/<slug or file name>/`, lower-cased.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::tz::TimeZone;
use serde_json::Value;

use super::Source;
use super::hexo::{page_place, parse};
use super::read::{self, HUGO_CONFIGS, text};
use super::urls::{date_tokens, fill, normalize, translate};
use crate::diagnostics::Diagnostic;

pub fn read(src: &Path, tz: &TimeZone) -> Result<Source, Diagnostic> {
    let config = read::config(src, HUGO_CONFIGS).unwrap_or_default();
    let content = src.join(text(&config, "contentDir").unwrap_or_else(|| "content".into()));
    if !content.is_dir() {
        return Err(Diagnostic::error(format!(
            "{} 不像 Hugo 网站：找不到 content 文件夹",
            src.display()
        ))
        .help("请写 Hugo 网站的根目录（有 hugo.toml 或 config.toml 和 content/ 的那一层）"));
    }
    let lower = !matches!(config.get("disablePathToLower"), Some(Value::Bool(true)));
    // `[permalinks] posts = "…"`, or Hugo 0.120's `[permalinks.page]`.
    let mut permalinks: BTreeMap<String, String> = BTreeMap::new();
    if let Some(Value::Object(p)) = config.get("permalinks") {
        for (k, v) in p {
            match v {
                Value::String(s) => {
                    permalinks.insert(k.clone(), s.clone());
                }
                Value::Object(inner) if k == "page" => {
                    for (k2, v2) in inner {
                        if let Value::String(s) = v2 {
                            permalinks.insert(k2.clone(), s.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let static_dir = src.join(text(&config, "staticDir").unwrap_or_else(|| "static".into()));
    let mut source = Source {
        title: text(&config, "title").unwrap_or_default(),
        base_url: text(&config, "baseURL")
            .or_else(|| text(&config, "baseurl"))
            .unwrap_or_default(),
        timezone: text(&config, "timeZone"),
        static_roots: vec![static_dir],
        content_root: Some(content.clone()),
        ..Source::default()
    };

    let mut sections: BTreeMap<String, usize> = BTreeMap::new();
    for path in read::markdown_files(&content, &|_| false) {
        let rel = read::rel(&content, &path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with("_index.") {
            // A section's list page: zhen makes its own lists; text written on it is named.
            if read::markdown(&path).is_ok_and(|p| !p.body.trim().is_empty()) {
                source.notes.push(format!(
                    "{}：栏目列表页的正文未导入（zhen 自己生成列表页）",
                    read::rel(src, &path)
                ));
            }
            continue;
        }
        let Some(mut f) = parse(src, &path, &mut source) else {
            continue;
        };
        let bundle = name.starts_with("index.");
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let parent = if bundle {
            dir.rsplit_once('/').map_or("", |(p, _)| p)
        } else {
            dir
        };
        let section = parent.split('/').next().unwrap_or("").to_string();
        let base = if bundle {
            dir.rsplit('/').next().unwrap_or(dir).to_string()
        } else {
            read::stem(&path)
        };
        let (date, bad) = read::take_date(
            &mut f.front,
            &["date", "publishDate", "pubDate", "published"],
            &base,
            tz,
        );
        if let Some(bad) = bad {
            source.notes.push(format!("{}：{bad}", f.rel));
        }
        f.date = date;
        f.title = read::take_title(&mut f.front, &mut f.body, &base);
        let cats = read::take_list(&mut f.front, "categories", false);
        f.tags = read::take_list(&mut f.front, "tags", false);
        if let Some(first) = cats.first() {
            f.categories = vec![first.clone()];
            f.tags.extend(cats.into_iter().skip(1));
        }
        let own_slug = read::text(&f.front, "slug");
        f.slug = own_slug.clone().unwrap_or_else(|| base.clone());
        f.front.remove("slug");
        // A dated page is a post, also in the root section.
        f.post = f.date.is_some();
        let url = if let Some(u) = text(&f.front, "url") {
            f.front.remove("url");
            normalize(&u)
        } else if let (Some(pattern), Some(date)) = (permalinks.get(&section), &f.date) {
            let mut values = date_tokens(date);
            let title_slug = urlize(&f.title);
            values.extend([
                (":monthname", date.strftime("%B").to_string().to_lowercase()),
                (":section", section.clone()),
                (":sections", parent.to_string()),
                (
                    ":slug",
                    own_slug.clone().map_or(title_slug.clone(), |s| urlize(&s)),
                ),
                (
                    ":slugorfilename",
                    own_slug.clone().unwrap_or_else(|| base.clone()),
                ),
                (
                    ":slugorcontentbasename",
                    own_slug.clone().unwrap_or_else(|| base.clone()),
                ),
                (":title", title_slug),
                (":filename", base.clone()),
                (":contentbasename", base.clone()),
            ]);
            fill(pattern, &values)
        } else {
            let last = own_slug.clone().unwrap_or_else(|| base.clone());
            normalize(&format!("/{parent}/{}/", urlize_keep_case(&last)))
        };
        f.old_urls
            .push(if lower { url.to_lowercase() } else { url });
        if f.post {
            *sections.entry(section.clone()).or_default() += 1;
        } else {
            let (pd, ps) = page_place(&rel);
            f.page_dir = pd;
            f.slug = own_slug.unwrap_or(ps);
        }
        f.asset_dirs = vec![path.parent().unwrap_or(&content).to_path_buf()];
        source.files.push(f);
    }
    // The section with most posts decides the site's pattern.
    if let Some((main, _)) = sections.iter().max_by_key(|(_, n)| **n) {
        let pattern = permalinks
            .get(main)
            .cloned()
            .unwrap_or_else(|| normalize(&format!("/{main}/:slug/")));
        source.patterns.extend(translate(
            &pattern,
            &[
                (":year", "{year}"),
                (":month", "{month}"),
                (":day", "{day}"),
                (":slug", "{slug}"),
                (":slugorfilename", "{slug}"),
                (":slugorcontentbasename", "{slug}"),
                (":title", "{slug}"),
                (":filename", "{slug}"),
                (":contentbasename", "{slug}"),
                (":section", main),
            ],
        ));
    }
    Ok(source)
}

/// Hugo's `urlize`: lower case, spaces to `-`, characters a path cannot keep dropped.
fn urlize(s: &str) -> String {
    urlize_keep_case(s).to_lowercase()
}

fn urlize_keep_case(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if c.is_alphanumeric() || "._-+~/".contains(c) {
            out.push(c);
        }
    }
    out
}
