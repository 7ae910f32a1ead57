//! Zola: `config.toml`, content in `content/` (sections with `_index.md`, pages as `x.md` or
//! `x/index.md` with co-located assets), `static/` at the root, `[taxonomies]` in front matter;
//! URLs from `path`, else `/<section>/<slug>/` with the slug made by `[slugify] paths`.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::tz::TimeZone;
use serde_json::Value;

use super::Source;
use super::hexo::{page_place, parse};
use super::read::{self, date_prefix, text};
use super::urls::normalize;
use crate::diagnostics::Diagnostic;

pub fn read(src: &Path, tz: &TimeZone) -> Result<Source, Diagnostic> {
    let config = read::config(src, &["config.toml", "zola.toml"]).unwrap_or_default();
    let content = src.join("content");
    if !content.is_dir() {
        return Err(Diagnostic::error(format!(
            "{} 不像 Zola 网站：找不到 content 文件夹",
            src.display()
        ))
        .help("请写 Zola 网站的根目录（有 config.toml 和 content/ 的那一层）"));
    }
    let strategy = match config.get("slugify") {
        Some(Value::Object(s)) => text(s, "paths").unwrap_or_else(|| "on".into()),
        _ => "on".into(),
    };
    let slugify = |s: &str| match strategy.as_str() {
        "off" => s.to_string(),
        "safe" => s
            .chars()
            .filter(|c| !"<>:/|?*#\\\"\n\r\t".contains(*c))
            .collect::<String>()
            .trim()
            .to_string(),
        _ => slug::slugify(s),
    };
    let mut source = Source {
        title: text(&config, "title").unwrap_or_default(),
        base_url: text(&config, "base_url").unwrap_or_default(),
        static_roots: vec![src.join("static")],
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
        if name == "_index.md" {
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
        let bundle = name == "index.md";
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let parent = if bundle {
            dir.rsplit_once('/').map_or("", |(p, _)| p)
        } else {
            dir
        };
        let base = if bundle {
            dir.rsplit('/').next().unwrap_or(dir).to_string()
        } else {
            read::stem(&path)
        };
        let (date, bad) = read::take_date(&mut f.front, &["date"], &base, tz);
        if let Some(bad) = bad {
            source.notes.push(format!("{}：{bad}", f.rel));
        }
        f.date = date;
        let undated = date_prefix(&base).map_or(base.as_str(), |(_, rest)| rest);
        f.title = read::take_title(&mut f.front, &mut f.body, undated);
        if let Some(Value::Object(mut tax)) = f.front.remove("taxonomies") {
            let cats = read::take_list(&mut tax, "categories", false);
            f.tags = read::take_list(&mut tax, "tags", false);
            if let Some(first) = cats.first() {
                f.categories = vec![first.clone()];
                f.tags.extend(cats.into_iter().skip(1));
            }
            // Other taxonomies (series, authors …) are kept as tags.
            for (_, v) in tax {
                let mut m = serde_json::Map::new();
                m.insert("x".into(), v);
                f.tags.extend(read::take_list(&mut m, "x", false));
            }
        }
        let own_slug = text(&f.front, "slug");
        f.front.remove("slug");
        f.slug = own_slug.clone().unwrap_or_else(|| undated.to_string());
        let url = match text(&f.front, "path") {
            Some(p) => {
                f.front.remove("path");
                normalize(&format!("/{p}/"))
            }
            None => {
                let parts: Vec<String> = parent
                    .split('/')
                    .filter(|p| !p.is_empty())
                    .map(&slugify)
                    .collect();
                normalize(&format!("/{}/{}/", parts.join("/"), slugify(&f.slug)))
            }
        };
        f.old_urls.push(url);
        let section = parent.split('/').next().unwrap_or("").to_string();
        // A dated page is a post, also in the root section (where many blogs keep them).
        f.post = f.date.is_some();
        if f.post {
            *sections.entry(section).or_default() += 1;
        } else {
            let (pd, ps) = page_place(&rel);
            f.page_dir = pd;
            f.slug = own_slug.unwrap_or(ps);
        }
        f.asset_dirs = vec![path.parent().unwrap_or(&content).to_path_buf()];
        source.files.push(f);
    }
    if let Some((main, _)) = sections.iter().max_by_key(|(_, n)| **n) {
        source
            .patterns
            .push(normalize(&format!("/{}/{{slug}}/", slugify(main))));
    }
    Ok(source)
}
