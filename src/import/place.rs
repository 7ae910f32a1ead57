//! Where each imported file goes in zhen's layout: its category (mapped by name onto the four
//! standard ones, else a new one with a pinyin key), its slug, the site's permalink pattern
//! (the tool's own where zhen's pattern language says the same, chosen by how many old URLs it
//! keeps), each post's new URL and the old URLs that need an alias.

use std::collections::{BTreeMap, BTreeSet};

use jiff::tz::TimeZone;

use super::{Found, Source};
use crate::site::permalink::{output_file, post_path, unsafe_file};
use crate::site::slug::slugify;
use crate::site::{GENERATED, SEARCH_PAGE_PATH, alias_path, section_path};

/// The categories every new zhen site has (as `zhen init` writes them).
pub const STANDARD: &[(&str, &str)] = &[
    ("theory", "理论武装"),
    ("civility", "精神文明"),
    ("volunteer", "志愿服务"),
    ("tourism", "乡村旅游"),
];

/// The category of posts that had none.
pub const UNCATEGORIZED: (&str, &str) = ("uncategorized", "未分类");

const DEFAULT_PATTERN: &str = "/{category}/{year}/{month}/{slug}/";

/// A category of the new site and the source names mapped onto it.
#[derive(Debug, Clone)]
pub struct Category {
    pub key: String,
    pub name: String,
    /// Source names mapped here (empty for an unused standard one).
    pub from: Vec<String>,
    pub standard: bool,
}

/// One file placed.
#[derive(Debug)]
pub struct Placed {
    pub found: Found,
    /// Folder below content/ and the name (without `.md`) of the file or bundle folder.
    pub dir: String,
    pub name: String,
    pub slug: String,
    /// Category key (posts only).
    pub category: Option<String>,
    pub tags: Vec<String>,
    /// Site path zhen will publish it at.
    pub url: String,
    /// Old URLs that differ from `url`: they become aliases (redirect pages).
    pub aliases: Vec<String>,
    /// Findings for the report.
    pub problems: Vec<String>,
    /// A plain page that describes a folder of pages (`docs/_index.md`, `docs/README.md`):
    /// written as that folder's `_index.md`.
    pub section: bool,
}

/// The whole import, placed.
#[derive(Debug)]
pub struct Plan {
    pub title: String,
    pub base_url: String,
    pub timezone: String,
    pub pattern: String,
    pub categories: Vec<Category>,
    pub files: Vec<Placed>,
    pub static_roots: Vec<std::path::PathBuf>,
    pub content_root: Option<std::path::PathBuf>,
    pub notes: Vec<String>,
    /// Posts whose old URL the chosen pattern keeps exactly.
    pub exact: usize,
}

pub fn plan(source: Source, tz: &TimeZone) -> Plan {
    let mut categories: Vec<Category> = STANDARD
        .iter()
        .map(|(k, n)| Category {
            key: k.to_string(),
            name: n.to_string(),
            from: Vec::new(),
            standard: true,
        })
        .collect();
    let none = BTreeMap::new();
    // Category of each file, by name (case-insensitive, also against keys).
    let key_of = |name: &str, categories: &mut Vec<Category>| -> String {
        let same = |a: &str| a.trim().eq_ignore_ascii_case(name.trim());
        if let Some(c) = categories
            .iter_mut()
            .find(|c| same(&c.key) || same(&c.name) || c.from.iter().any(|f| same(f)))
        {
            if !c.from.iter().any(|f| f == name) {
                c.from.push(name.to_string());
            }
            return c.key.clone();
        }
        let base = match slugify(name, &none) {
            _ if name == UNCATEGORIZED.1 => UNCATEGORIZED.0.to_string(),
            s if s.is_empty() => "category".to_string(),
            s => s,
        };
        let reserved = |k: &str| {
            matches!(
                k,
                "tags" | "archive" | "columns" | "sitemap" | "search" | "pagefind"
            ) || categories.iter().any(|c| c.key == k)
        };
        let mut key = base.clone();
        let mut n = 2;
        while reserved(&key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        categories.push(Category {
            key: key.clone(),
            name: name.trim().to_string(),
            from: vec![name.to_string()],
            standard: false,
        });
        key
    };

    let mut files: Vec<Placed> = Vec::new();
    for found in source.files {
        let mut problems = Vec::new();
        let mut tags = found.tags.clone();
        let category = if found.post {
            let key = match found.categories.first() {
                Some(first) => key_of(first, &mut categories),
                None => {
                    problems.push("原文没有分类，归入“未分类”".to_string());
                    key_of(UNCATEGORIZED.1, &mut categories)
                }
            };
            // Lower levels of a hierarchy are kept as tags.
            tags.extend(found.categories.iter().skip(1).cloned());
            Some(key)
        } else {
            None
        };
        let mut seen = BTreeSet::new();
        tags.retain(|t| seen.insert(t.to_lowercase()));
        let slug = [slugify(&found.slug, &none), slugify(&found.title, &none)]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| "post".into());
        if found.post && found.date.is_none() {
            problems.push("没有日期（原工具用文件修改时间，zhen 不用）：请在开头写上 date".into());
        }
        files.push(Placed {
            found,
            dir: String::new(),
            name: String::new(),
            slug,
            category,
            tags,
            url: String::new(),
            aliases: Vec::new(),
            problems,
            section: false,
        });
    }
    // Categories as they will be configured.
    let cat_slug: BTreeMap<String, String> = categories
        .iter()
        .map(|c| (c.key.clone(), c.key.clone()))
        .collect();

    // The pattern that keeps the most old URLs exactly.
    let mut candidates: Vec<String> = source
        .patterns
        .iter()
        .filter(|p| valid_pattern(p))
        .cloned()
        .collect();
    candidates.push(DEFAULT_PATTERN.into());
    let url_of = |p: &Placed, pattern: &str| -> Option<String> {
        let date = p.found.date.as_ref()?;
        let key = p.category.as_ref()?;
        Some(post_path(pattern, &cat_slug[key], date, &p.slug))
    };
    let kept = |pattern: &str| {
        files
            .iter()
            .filter(|p| {
                url_of(p, pattern).is_some_and(|u| p.found.old_urls.iter().any(|o| same_url(o, &u)))
            })
            .count()
    };
    let (pattern, exact) = candidates.iter().map(|c| (c.clone(), kept(c))).fold(
        (DEFAULT_PATTERN.to_string(), 0),
        |best, (c, n)| {
            if n > best.1 { (c, n) } else { best }
        },
    );
    let pattern = if exact == 0 {
        DEFAULT_PATTERN.to_string()
    } else {
        pattern
    };

    // New URLs, unique; then aliases for the old ones.
    let mut taken: BTreeSet<String> = GENERATED
        .iter()
        .map(|(p, _)| output_file(p))
        .chain([output_file(SEARCH_PAGE_PATH)])
        .chain(
            categories
                .iter()
                .map(|c| output_file(&format!("/{}/", c.key))),
        )
        .collect();
    let mut names: BTreeSet<String> = BTreeSet::new();
    // Folders that hold plain pages become sections: their URLs are theirs.
    let page_dir = |p: &Placed| -> String {
        p.found
            .page_dir
            .split('/')
            .filter(|d| !d.is_empty())
            .map(|d| slugify(d, &none))
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut sections: BTreeSet<String> = BTreeSet::new();
    for p in files.iter().filter(|p| p.category.is_none()) {
        let dir = page_dir(p);
        let mut acc = String::new();
        for part in dir.split('/').filter(|d| !d.is_empty()) {
            acc = if acc.is_empty() {
                part.to_string()
            } else {
                format!("{acc}/{part}")
            };
            sections.insert(acc.clone());
        }
    }
    taken.extend(
        sections
            .iter()
            .map(|d| output_file(&section_path(d, &none))),
    );
    for p in &mut files {
        let base = p.slug.clone();
        let mut n = 1;
        loop {
            let (dir, name, url) = match (&p.category, &p.found.date) {
                (Some(key), Some(date)) => (
                    key.clone(),
                    format!("{}-{}", date.strftime("%Y-%m-%d"), p.slug),
                    post_path(&pattern, &cat_slug[key], date, &p.slug),
                ),
                (Some(key), None) => (key.clone(), p.slug.clone(), format!("/{key}/{}/", p.slug)),
                (None, _) => {
                    let dir = page_dir(p);
                    let full = if dir.is_empty() {
                        p.slug.clone()
                    } else {
                        format!("{dir}/{}", p.slug)
                    };
                    let url = format!("{}{}/", section_path(&dir, &none), p.slug);
                    let file = format!("{full}/_index");
                    if n == 1 && sections.contains(&full) && !names.contains(&file) {
                        // The folder's own page: its section page.
                        names.insert(file);
                        p.section = true;
                        p.dir = dir;
                        p.name = p.slug.clone();
                        p.url = section_path(&full, &none);
                        break;
                    }
                    (dir, p.slug.clone(), url)
                }
            };
            let file = format!("{dir}/{name}");
            if !taken.contains(&output_file(&url)) && !names.contains(&file) {
                taken.insert(output_file(&url));
                names.insert(file);
                p.dir = dir;
                p.name = name;
                p.url = url;
                break;
            }
            n += 1;
            p.slug = format!("{base}-{n}");
        }
    }
    for p in &mut files {
        let mut olds = p.found.old_urls.clone();
        olds.extend(take_aliases(&mut p.found.front));
        for old in olds {
            let alias = alias_path(&old);
            let out = output_file(&alias);
            if out == output_file(&p.url) || p.aliases.contains(&alias) {
                continue;
            }
            if unsafe_file(&out).is_some() || taken.contains(&out) {
                p.problems.push(format!(
                    "旧网址 {old} 无法保留（与其他页面或 zhen 生成的页面冲突，或不是站内路径）"
                ));
                continue;
            }
            taken.insert(out);
            p.aliases.push(alias);
        }
    }
    let timezone = source
        .timezone
        .filter(|t| TimeZone::get(t).is_ok())
        .unwrap_or_else(|| tz.iana_name().unwrap_or("Asia/Shanghai").to_string());
    let notes = source.notes;
    Plan {
        title: source.title,
        base_url: source.base_url,
        timezone,
        pattern,
        categories,
        files,
        static_roots: source.static_roots,
        content_root: source.content_root,
        notes,
        exact,
    }
}

/// `aliases`, `alias` and `redirect_from` of the front matter (Hugo, Jekyll), taken out: the
/// plan writes every old URL itself.
fn take_aliases(front: &mut serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["aliases", "alias", "redirect_from"] {
        out.extend(super::read::take_list(front, key, false));
    }
    out
}

/// Whether two site paths name the same page (`/a/` and `/a/index.html`, any case of
/// percent-encoding aside).
fn same_url(a: &str, b: &str) -> bool {
    output_file(&alias_path(a)) == output_file(&alias_path(b))
}

/// Whether zhen accepts `pattern` (as `config.rs` checks it).
fn valid_pattern(pattern: &str) -> bool {
    let known = ["{category}", "{year}", "{month}", "{day}", "{slug}"];
    let mut rest = pattern.to_string();
    for k in known {
        rest = rest.replace(k, "");
    }
    pattern.starts_with('/')
        && !pattern.contains("//")
        && pattern.contains("{slug}")
        && !rest.contains(['{', '}'])
        && unsafe_file(&output_file(&pattern.replace(['{', '}'], ""))).is_none()
}
