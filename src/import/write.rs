//! Writes the placed import: each post's body converted (shortcodes, then links and images),
//! the post as a file or, when it has images or attachments, a bundle folder with them beside
//! it; the source's other static files under static/; site.toml; the report.

use crate::content::fields::COVER_KEYS;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::links::{self, Env};
use super::place::{Placed, Plan};
use super::read::{self, date_prefix};
use super::report::{self, Entry, Totals};
use super::shortcodes::{self, Ctx};
use super::{Summary, Tool};
use crate::content::frontmatter::KNOWN_KEYS;
use crate::diagnostics::Diagnostic;
use crate::markdown::headings::{IdAllocator, heading_id};
use crate::site::alias_path;
use crate::site::permalink::output_file;

static MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"zhen-import-ref:(\d+)(#[^\s)"'>\]]*)?"#).unwrap());

/// One body after conversion.
struct Converted {
    body: String,
    /// Files to copy beside the post: source file -> name.
    assets: BTreeMap<PathBuf, String>,
    problems: Vec<String>,
    /// Whether an image lacks alt text; whether a referenced file is missing.
    no_alt: bool,
    missing: bool,
    /// Anchors linked from within the page.
    anchors: Vec<String>,
    /// Front matter fields changed (a cover moved beside the post, or dropped: None).
    fields: Vec<(String, Option<String>)>,
}

fn marker(i: usize) -> String {
    format!("zhen-import-ref:{i}")
}

/// Other tools' names that zhen's loader reads as its own fields (beside `KNOWN_KEYS`).
const READ_AS: &[&str] = &[
    "lastmod",
    "modified",
    "last_modified_at",
    "publishDate",
    "pubDate",
    "excerpt",
    "abstract",
    "image",
    "images",
    "thumbnail",
    "banner",
    "featured_image",
    "cover_image",
    "authors",
    "sticky",
    "top",
    "published",
];

/// Files a static folder holds that are not published as they are.
fn not_static(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    rel.split('/')
        .any(|p| p.starts_with(['_', '.']) || p == "node_modules")
        || [
            ".md",
            ".markdown",
            ".html",
            ".htm",
            ".yml",
            ".yaml",
            ".toml",
            ".lock",
            ".scss",
            ".sass",
            ".gemspec",
            ".liquid",
            ".ejs",
            ".swig",
            ".styl",
        ]
        .iter()
        .any(|e| lower.ends_with(e))
        || matches!(lower.as_str(), "gemfile" | "rakefile" | "package.json")
}

pub fn write(tool: Tool, src: &Path, dest: &Path, plan: Plan) -> Result<Summary, Diagnostic> {
    let src_real = fs::canonicalize(src).unwrap_or_else(|_| src.to_path_buf());
    let fail = |p: &Path, e: std::io::Error| {
        Diagnostic::error(format!("无法写入 {}：{e}", p.display())).help("请确认目标目录可写")
    };
    let files = &plan.files;
    // Lookups for references: the file itself, its names, its old URLs.
    let by_path: HashMap<PathBuf, usize> = files
        .iter()
        .enumerate()
        .map(|(i, p)| (p.found.src.clone(), i))
        .collect();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in files.iter().enumerate() {
        let stem = read::stem(&p.found.src);
        let mut names = vec![
            stem.clone(),
            p.found.rel.clone(),
            p.found
                .rel
                .rsplit_once('.')
                .map_or(p.found.rel.clone(), |(s, _)| s.to_string()),
        ];
        if let Some((_, rest)) = date_prefix(&stem) {
            names.push(rest.to_string());
        }
        if stem == "index"
            && let Some(dir) = p.found.src.parent().and_then(|d| d.file_name())
        {
            names.push(dir.to_string_lossy().into_owned());
        }
        for n in names {
            by_name.entry(n.to_lowercase()).or_default().push(i);
        }
    }
    let by_url: HashMap<String, usize> = files
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            p.found
                .old_urls
                .iter()
                .map(move |u| (output_file(&alias_path(u)), i))
        })
        .collect();
    let find_name = |r: &str| -> Option<usize> {
        let r = r.trim().trim_start_matches("./").trim_start_matches('/');
        let no_ext = r
            .strip_suffix(".md")
            .or_else(|| r.strip_suffix(".markdown"))
            .unwrap_or(r);
        for key in [r, no_ext, no_ext.rsplit('/').next().unwrap_or(no_ext)] {
            if let Some(v) = by_name.get(&key.to_lowercase())
                && v.len() == 1
            {
                return Some(v[0]);
            }
            // Suffix match on the source path (`posts/x.md` for `content/posts/x.md`).
            let suffix = format!("/{}", key.to_lowercase());
            let hits: Vec<usize> = files
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    let rel = p.found.rel.to_lowercase();
                    let rel_no = rel
                        .rsplit_once('.')
                        .map_or(rel.clone(), |(s, _)| s.to_string());
                    rel.ends_with(&suffix) || rel_no.ends_with(&suffix)
                })
                .map(|(i, _)| i)
                .collect();
            if hits.len() == 1 {
                return Some(hits[0]);
            }
        }
        None
    };

    let host = plan
        .base_url
        .split_once("://")
        .map(|(_, r)| r.split('/').next().unwrap_or("").to_string())
        .filter(|h| !h.is_empty());
    // Old URLs ignoring case, for links written with other capitals.
    let by_url_lower: HashMap<String, usize> =
        by_url.iter().map(|(k, v)| (k.to_lowercase(), *v)).collect();

    // Convert every body.
    let mut converted: Vec<Converted> = Vec::new();
    let mut images = 0;
    for p in files {
        let file_dir = p.found.src.parent().unwrap_or(src).to_path_buf();
        let resolve = |r: &str| -> Option<String> {
            let direct = normalize_join(&file_dir, r).and_then(|c| by_path.get(&c).copied());
            direct.or_else(|| find_name(r)).map(marker)
        };
        let mut ctx = Ctx {
            tool,
            file: &p.found.src,
            resolve: &resolve,
            problems: Vec::new(),
        };
        let body = shortcodes::convert(&p.found.body, &mut ctx);
        let mut problems = ctx.problems;
        let page = |file: Option<&Path>, text: &str| -> Option<String> {
            match file {
                Some(f) => by_path.get(f).copied().map(marker),
                None => {
                    let out = output_file(&alias_path(text));
                    by_url
                        .get(&out)
                        .or_else(|| by_url_lower.get(&out.to_lowercase()))
                        .copied()
                        .map(marker)
                }
            }
        };
        let mut dirs = p.found.asset_dirs.clone();
        dirs.push(file_dir.clone());
        let env = Env {
            dirs: &dirs,
            roots: &plan.static_roots,
            content: plan.content_root.as_deref(),
            host: host.as_deref(),
            page: &page,
        };
        let mut r = links::rewrite(&body, &env);
        // A cover image (and the like) moves beside the post too; a missing one is dropped,
        // since list pages would show it broken.
        let mut fields = Vec::new();
        for key in COVER_KEYS {
            let Some(value) = read::text(&p.found.front, key) else {
                continue;
            };
            match links::field_file(&value, &env) {
                None => {}
                Some(Some(file)) => {
                    let name = links::claim(&mut r.assets, &file);
                    fields.push((key.to_string(), Some(name)));
                }
                Some(None) => {
                    r.problems
                        .push(format!("封面图片 {value} 找不到，已去掉 `{key}`"));
                    fields.push((key.to_string(), None));
                }
            }
        }
        // Only files inside the source are taken.
        r.assets.retain(|f, name| {
            let inside = fs::canonicalize(f).is_ok_and(|c| c.starts_with(&src_real));
            if !inside {
                problems.push(format!("{name} 在原网站目录之外，未复制"));
            }
            inside
        });
        images += r.assets.len();
        problems.extend(r.problems);
        converted.push(Converted {
            body: r.body,
            assets: r.assets,
            problems,
            no_alt: r.missing_alt > 0,
            missing: r.missing_files > 0,
            anchors: r.anchors,
            fields,
        });
    }

    // Final paths, then `@/` links.
    let rels: Vec<String> = files
        .iter()
        .zip(&converted)
        .map(|(p, c)| {
            let base = if p.dir.is_empty() {
                p.name.clone()
            } else {
                format!("{}/{}", p.dir, p.name)
            };
            if p.section {
                format!("{base}/_index.md")
            } else if c.assets.is_empty() {
                format!("{base}.md")
            } else {
                format!("{base}/index.md")
            }
        })
        .collect();
    let ids: Vec<BTreeSet<String>> = converted.iter().map(|c| heading_ids(&c.body)).collect();
    let content = dest.join("content");
    fs::create_dir_all(&content).map_err(|e| fail(&content, e))?;
    let title = if plan.title.trim().is_empty() {
        "导入的网站".to_string()
    } else {
        plan.title.clone()
    };
    fs::write(
        content.join("_index.md"),
        format!("+++\ntitle = {}\n+++\n", toml_str(&title)),
    )
    .map_err(|e| fail(&content, e))?;
    let mut page_dirs: BTreeSet<String> = BTreeSet::new();
    let mut entries = Vec::new();
    let mut ignore_a1 = Vec::new();
    let mut ignore_c1 = Vec::new();
    for (index, ((p, c), rel)) in files.iter().zip(converted).zip(&rels).enumerate() {
        let Converted {
            body,
            assets,
            problems,
            no_alt,
            mut missing,
            anchors,
            fields,
        } = c;
        let mut problems = problems;
        let body = MARK.replace_all(&body, |c: &regex::Captures<'_>| {
            let i: usize = c[1].parse().unwrap_or(0);
            let Some(r) = rels.get(i) else {
                return c[0].to_string();
            };
            // zhen names headings its own way: an anchor the target does not have is dropped
            // (a link to a missing anchor would stop the build).
            match c.get(2) {
                Some(a) => {
                    let id = percent_encoding::percent_decode_str(&a.as_str()[1..])
                        .decode_utf8_lossy()
                        .into_owned();
                    if ids[i].contains(&id) {
                        format!("@/{r}#{id}")
                    } else {
                        problems.push(format!(
                            "链接的锚点 {} 在 {} 里没有对应的小标题，已去掉锚点",
                            a.as_str(),
                            files[i].found.rel
                        ));
                        format!("@/{r}")
                    }
                }
                None => format!("@/{r}"),
            }
        });
        let path = content.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
        }
        let body = format!("{}\n", body.trim_matches('\n'));
        fs::write(&path, format!("{}{}", front_matter(p, &fields), body))
            .map_err(|e| fail(&path, e))?;
        let folder = path.parent().unwrap_or(&content);
        for (from, name) in &assets {
            fs::copy(from, folder.join(name)).map_err(|e| fail(&folder.join(name), e))?;
        }
        if p.category.is_none() && !p.dir.is_empty() {
            let mut acc = String::new();
            for part in p.dir.split('/') {
                acc = if acc.is_empty() {
                    part.to_string()
                } else {
                    format!("{acc}/{part}")
                };
                page_dirs.insert(acc.clone());
            }
        }
        // Anchors within the page must name a heading or an element id of it.
        for a in &anchors {
            let decoded = percent_encoding::percent_decode_str(a).decode_utf8_lossy();
            let in_html = [format!("id=\"{decoded}\""), format!("name=\"{decoded}\"")]
                .iter()
                .any(|needle| body.contains(needle.as_str()));
            if !ids[index].contains(decoded.as_ref()) && !in_html {
                missing = true;
                problems.push(format!("页内链接 #{a} 没有对应的小标题"));
            }
        }
        // By content path and by site path (findings on rendered pages are traced to either).
        if no_alt {
            ignore_a1.extend([rel.clone(), p.url.clone()]);
        }
        if missing {
            ignore_c1.extend([rel.clone(), p.url.clone()]);
        }
        problems.extend(p.problems.iter().cloned());
        entries.push(Entry {
            from: p.found.rel.clone(),
            to: format!("content/{rel}"),
            url: p.url.clone(),
            aliases: p.aliases.clone(),
            post: p.category.is_some(),
            problems,
        });
    }
    for d in &page_dirs {
        let index = content.join(d).join("_index.md");
        if !index.exists() {
            let name = d.rsplit('/').next().unwrap_or(d);
            fs::write(&index, format!("+++\ntitle = {}\n+++\n", toml_str(name)))
                .map_err(|e| fail(&index, e))?;
        }
    }

    // The source's static files keep their URLs too (C7), also those copied beside posts.
    let static_dir = dest.join("static");
    let mut copied = 0;
    for root in &plan.static_roots {
        if !root.is_dir() {
            continue;
        }
        for e in walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let rel = read::rel(root, e.path());
            if not_static(&rel) {
                continue;
            }
            let to = static_dir.join(&rel);
            if to.exists() {
                continue;
            }
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
            }
            fs::copy(e.path(), &to).map_err(|e| fail(&to, e))?;
            copied += 1;
        }
    }

    fs::write(
        dest.join("site.toml"),
        site_toml(tool, &plan, &title, &ignore_a1, &ignore_c1),
    )
    .map_err(|e| fail(&dest.join("site.toml"), e))?;
    fs::write(
        dest.join(".gitignore"),
        "/public/\n/.public.zhen-*\n.zhen-cache/\n",
    )
    .map_err(|e| fail(dest, e))?;
    let summary = Summary {
        dest: dest.to_path_buf(),
        posts: entries.iter().filter(|e| e.post).count(),
        pages: entries.iter().filter(|e| !e.post).count(),
        images,
        problems: entries.iter().map(|e| e.problems.len()).sum::<usize>() + plan.notes.len(),
    };
    let totals = Totals {
        images,
        copied,
        a1: ignore_a1,
        c1: ignore_c1,
    };
    let text = report::render(tool, src, &plan, &entries, &totals);
    fs::write(dest.join("IMPORT-REPORT.md"), text).map_err(|e| fail(dest, e))?;
    Ok(summary)
}

/// The ids zhen gives the headings of `body` (or that they set with `{#id}`).
fn heading_ids(body: &str) -> BTreeSet<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut ids = BTreeSet::new();
    let mut alloc = IdAllocator::default();
    let mut open: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(body, Options::all()) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                open = Some((id.map(|i| i.to_string()), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((id, text)) = open.take() {
                    ids.insert(alloc.unique(id.unwrap_or_else(|| heading_id(&text))));
                }
            }
            _ => {}
        }
    }
    ids
}

/// `dir/r` with `.` and `..` folded, when it stays a path.
fn normalize_join(dir: &Path, r: &str) -> Option<PathBuf> {
    let r = percent_encoding::percent_decode_str(r).decode_utf8_lossy();
    let mut out = PathBuf::new();
    for c in dir.join(r.as_ref()).components() {
        match c {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// A TOML string literal.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML key, quoted when it is not bare.
fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        toml_str(k)
    }
}

/// A JSON value as TOML (nulls dropped), None when nothing is left.
fn to_toml(v: &Value) -> Option<toml::Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Array(a) => toml::Value::Array(a.iter().filter_map(to_toml).collect()),
        Value::Object(o) => toml::Value::Table(
            o.iter()
                .filter_map(|(k, v)| to_toml(v).map(|t| (k.clone(), t)))
                .collect(),
        ),
    })
}

/// The new front matter: zhen's fields first, then what the source had that the loader reads.
fn front_matter(p: &Placed, fields: &[(String, Option<String>)]) -> String {
    let mut out = String::from("+++\n");
    let line = |out: &mut String, k: &str, v: toml::Value| {
        out.push_str(&format!("{} = {}\n", toml_key(k), v));
    };
    line(
        &mut out,
        "title",
        toml::Value::String(p.found.title.clone()),
    );
    if let Some(d) = &p.found.date {
        line(
            &mut out,
            "date",
            toml::Value::String(d.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()),
        );
    }
    if let Some(c) = &p.category {
        line(&mut out, "category", toml::Value::String(c.clone()));
    }
    let list =
        |v: &[String]| toml::Value::Array(v.iter().cloned().map(toml::Value::String).collect());
    if !p.tags.is_empty() {
        line(&mut out, "tags", list(&p.tags));
    }
    line(&mut out, "slug", toml::Value::String(p.slug.clone()));
    if !p.aliases.is_empty() {
        line(&mut out, "aliases", list(&p.aliases));
    }
    let mut tables = toml::Table::new();
    // Fields only the source's theme knew are kept under [extra], where zhen does not warn.
    let mut extra = toml::Table::new();
    for (k, v) in &p.found.front {
        let v = match fields.iter().find(|(key, _)| key == k) {
            Some((_, None)) => continue,
            Some((_, Some(name))) => &Value::String(name.clone()),
            None => v,
        };
        if matches!(
            k.as_str(),
            "title" | "date" | "category" | "categories" | "tags" | "slug" | "aliases"
        ) {
            continue;
        }
        let Some(t) = to_toml(v) else { continue };
        if k == "extra" {
            if let toml::Value::Table(t) = t {
                extra.extend(t);
            }
        } else if !KNOWN_KEYS.contains(&k.as_str()) && !READ_AS.contains(&k.as_str()) {
            extra.insert(k.clone(), t);
        } else if let toml::Value::Table(t) = t {
            tables.insert(k.clone(), toml::Value::Table(t));
        } else {
            line(&mut out, k, t);
        }
    }
    if !extra.is_empty() {
        tables.insert("extra".into(), toml::Value::Table(extra));
    }
    if !tables.is_empty() {
        out.push_str(&toml::to_string(&tables).unwrap_or_default());
    }
    out.push_str("+++\n");
    out
}

fn site_toml(tool: Tool, plan: &Plan, title: &str, a1: &[String], c1: &[String]) -> String {
    let mut s = format!(
        "# 由 zhen import 从 {} 网站导入。每一项的含义见 zhen 的 README。\ntitle = {}\n",
        tool.name(),
        toml_str(title)
    );
    let base = plan.base_url.trim();
    if !base.is_empty() && crate::config::check_base_url(base).is_ok() && base.contains("://") {
        s.push_str(&format!(
            "base_url = {}\n",
            toml_str(base.trim_end_matches('/'))
        ));
    }
    s.push_str(&format!("timezone = {}\n", toml_str(&plan.timezone)));
    s.push_str(&format!("permalink = {}\n", toml_str(&plan.pattern)));
    s.push_str("kind = \"publicity\"\n");
    for c in &plan.categories {
        s.push_str(&format!(
            "\n[[categories]]\nkey = {}\nname = {}\n",
            toml_str(&c.key),
            toml_str(&c.name)
        ));
        if !c.from.is_empty() && c.from.iter().any(|f| f != &c.name) {
            s.push_str(&format!("# 原分类：{}\n", c.from.join("、")));
        }
    }
    if !a1.is_empty() || !c1.is_empty() {
        s.push_str("\n# 导入的文章里缺少替代文字的图片（A1）和找不到的文件（C1）暂时放行，\n# 清单见 IMPORT-REPORT.md；改好一篇就从这里删掉一篇。\n[check.ignore]\n");
        let arr = |v: &[String]| v.iter().map(|x| toml_str(x)).collect::<Vec<_>>().join(", ");
        if !a1.is_empty() {
            s.push_str(&format!("A1 = [{}]\n", arr(a1)));
        }
        if !c1.is_empty() {
            s.push_str(&format!("C1 = [{}]\n", arr(c1)));
        }
    }
    s
}
