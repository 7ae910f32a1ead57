//! A plain folder of Markdown (notes, a GitHub wiki, an mdBook's `src/`): a file with a date
//! (front matter or a `YYYY-MM-DD-` name) is a post whose category is its first folder, others
//! are plain pages in the same folders. An mdBook (`book.toml`) published `x.md` as `x.html`.

use std::path::Path;

use jiff::tz::TimeZone;

use super::Source;
use super::hexo::{page_place, parse};
use super::read::{self, date_prefix, text};
use super::urls::normalize;
use crate::diagnostics::Diagnostic;

pub fn read(src: &Path, tz: &TimeZone) -> Result<Source, Diagnostic> {
    let book = read::config(src, &["book.toml"]);
    let root = match &book {
        Some(b) => {
            let dir = match b.get("book") {
                Some(serde_json::Value::Object(o)) => text(o, "src"),
                _ => None,
            };
            src.join(dir.unwrap_or_else(|| "src".into()))
        }
        None => src.to_path_buf(),
    };
    let mut source = Source {
        title: book
            .as_ref()
            .and_then(|b| match b.get("book") {
                Some(serde_json::Value::Object(o)) => text(o, "title"),
                _ => None,
            })
            .unwrap_or_default(),
        static_roots: vec![root.clone()],
        ..Source::default()
    };
    let files = read::markdown_files(&root, &|rel: &str| {
        rel.split('/').any(|p| p == "node_modules" || p == "book")
    });
    if files.is_empty() {
        return Err(
            Diagnostic::error(format!("{} 里没有 Markdown 文件（.md）", src.display()))
                .help("请写放着 .md 文件的文件夹"),
        );
    }
    for path in files {
        let rel = read::rel(&root, &path);
        let stem = read::stem(&path);
        if book.is_some() && stem == "SUMMARY" {
            continue;
        }
        let Some(mut f) = parse(src, &path, &mut source) else {
            continue;
        };
        let (date, bad) =
            read::take_date(&mut f.front, &["date", "publishDate", "pubDate"], &stem, tz);
        if let Some(bad) = bad {
            source.notes.push(format!("{}：{bad}", f.rel));
        }
        f.date = date;
        let name = date_prefix(&stem)
            .map_or(stem.as_str(), |(_, r)| r)
            .to_string();
        f.title = read::take_title(&mut f.front, &mut f.body, &name);
        let mut cats = read::take_list(&mut f.front, "categories", false);
        cats.extend(read::take_list(&mut f.front, "category", false));
        f.tags = read::take_list(&mut f.front, "tags", false);
        if let Some(Some(own)) = f
            .front
            .remove("slug")
            .map(|v| v.as_str().map(str::to_string))
        {
            f.slug = own;
        } else {
            f.slug = name;
        }
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        if book.is_some() {
            let no_ext = rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s);
            let url = match no_ext.strip_suffix("README") {
                Some(d) => normalize(&format!("/{d}/index.html")),
                None => normalize(&format!("/{no_ext}.html")),
            };
            f.old_urls.push(url);
        }
        f.post = f.date.is_some();
        if f.post {
            if cats.is_empty() && !dir.is_empty() {
                cats.push(dir.split('/').next().unwrap_or(dir).to_string());
            }
            f.categories = cats;
        } else {
            f.tags.extend(cats);
            let (pd, ps) = page_place(&rel);
            f.page_dir = pd;
            f.slug = ps;
        }
        f.asset_dirs = vec![path.parent().unwrap_or(&root).to_path_buf()];
        source.files.push(f);
    }
    Ok(source)
}
