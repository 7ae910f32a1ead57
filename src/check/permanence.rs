//! C7, P4 and P5, what a site keeps offering: every URL it ever published (the manifest
//! `urls.txt` beside site.toml, which `zhen build` extends and never shortens) still answers,
//! directly or through an alias; the 网站地图 page exists and lists every category; and a
//! government site keeps its search.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{Audit, Finding, Rule};
use crate::config::SiteKind;
use crate::diagnostics::{Diagnostic, Location};
use crate::site::alias_path;

/// The manifest of published URLs, in the site's root.
pub const MANIFEST: &str = "urls.txt";

const HEADER: &str = "# zhen 维护的已发布网址清单：zhen build 每次把新网址加进来，从不删去。\n\
# 网址一旦发布就不能失效（检查规则 C7）。文章改了网址时，在它开头的 +++ 之间写\n\
# aliases = [\"旧网址\"]；确实删除的内容，经审核后才能从这里删去那一行。\n";

/// The site paths of the published content pages of `site` (no drafts, no scheduled posts).
pub fn published(site: &crate::site::Site) -> BTreeSet<String> {
    (0..site.pages.len())
        .filter(|&i| site.is_public(i))
        .map(|i| site.pages[i].path.clone())
        .collect()
}

/// Adds the URLs of `site` to its manifest (creating it); lines already there stay.
pub fn record(site: &crate::site::Site) -> std::io::Result<()> {
    let path = site.config.root.join(MANIFEST);
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let listed: BTreeSet<&str> = entries(&old).map(|(_, u)| u).collect();
    let new: Vec<String> = published(site)
        .into_iter()
        .filter(|u| !listed.contains(u.as_str()))
        .collect();
    if new.is_empty() && !old.is_empty() {
        return Ok(());
    }
    let mut text = if old.is_empty() {
        HEADER.to_string()
    } else {
        old.clone()
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    for u in new {
        text.push_str(&u);
        text.push('\n');
    }
    std::fs::write(path, text)
}

/// The URLs of a manifest with their byte offsets (comments and blank lines skipped).
fn entries(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let at = offset;
        offset += line.len();
        let url = line.trim();
        (!url.is_empty() && !url.starts_with('#'))
            .then_some((at + (line.len() - line.trim_start().len()), url))
    })
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    vanished(audit, &mut out);
    sitemap(audit, &mut out);
    search(audit, &mut out);
    out
}

/// C7: listed URLs that no output answers.
fn vanished(audit: &Audit<'_>, out: &mut Vec<Finding>) {
    let path = audit.site.config.root.join(MANIFEST);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let served: BTreeSet<String> = audit
        .outputs
        .iter()
        .map(|o| super::html::url_of(&o.path))
        .collect();
    let current = published(audit.site);
    for (at, url) in entries(&text) {
        let answered = [url.to_string(), alias_path(url)].iter().any(|u| {
            served.contains(u) || served.contains(&format!("{}/", u.trim_end_matches('/')))
        });
        if answered {
            continue;
        }
        let slug = |u: &str| {
            u.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string()
        };
        let moved = current
            .iter()
            .find(|u| !slug(u).is_empty() && slug(u) == slug(url));
        let help = match moved {
            Some(new) => format!(
                "内容似乎搬到了 {new}：在那篇文章开头的 +++ 之间写 aliases = [\"{url}\"]，旧网址就会跳转过去"
            ),
            None => format!(
                "网址发布后不能失效：把改了网址的文章开头的 +++ 之间写上 aliases = [\"{url}\"]；确实删除的内容，经审核后从 {MANIFEST} 删去这一行"
            ),
        };
        let d = Diagnostic::error(format!("已发布的网址 {url} 现在打不开了"))
            .in_file(&path)
            .at(Location::in_source(&text, at..at + url.len()))
            .help(help);
        out.push(Finding::new(Rule::C7, d, url.to_string()).on_page(url));
    }
}

/// The site's own file `rel`, when it has one.
fn own(root: &Path, rel: &str) -> Option<PathBuf> {
    let p = root.join(rel);
    p.is_file().then_some(p)
}

/// P4: the 网站地图 page lists every category.
fn sitemap(audit: &Audit<'_>, out: &mut Vec<Finding>) {
    let config = &audit.site.config;
    let template = own(&config.root, "templates/sitemap.html");
    let Some(doc) = audit
        .docs()
        .iter()
        .find(|d| d.url == crate::site::SITEMAP_PAGE_PATH)
    else {
        let mut d = Diagnostic::error("网站没有“网站地图”页面（/sitemap/）")
            .help("网站地图是检查的必备栏目：不要删除模板 sitemap.html");
        d.severity = audit.gov_error();
        out.push(Finding::new(Rule::P4, d, crate::site::SITEMAP_PAGE_PATH).on_page("/"));
        return;
    };
    let all: Vec<String> = doc.refs.iter().map(|r| r.url.clone()).collect();
    let links: BTreeSet<String> = doc
        .main_links
        .as_ref()
        .unwrap_or(&all)
        .iter()
        .filter_map(
            |r| match super::html::resolve(r, &doc.url, config.domain()) {
                super::html::Target::Internal { path, .. } => Some(path),
                _ => None,
            },
        )
        .collect();
    let missing: Vec<&str> = config
        .categories
        .iter()
        .filter(|c| !links.contains(&crate::site::category_path(&c.slug)))
        .map(|c| c.name.as_str())
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut d = Diagnostic::error(format!(
        "“网站地图”页面没有列出栏目：{}",
        missing.join("、")
    ))
    .help("网站地图要列出全部栏目和专题，供读者和检查人员查找：恢复模板 sitemap.html 的栏目列表");
    d.severity = audit.gov_error();
    if let Some(t) = template {
        let text = std::fs::read_to_string(&t).unwrap_or_default();
        d = d.in_file(t).at(Location::line_of(&text, 1));
    }
    out.push(Finding::new(Rule::P4, d, missing.join("、")).on_page(&doc.url));
}

/// P5: a government site offers search.
fn search(audit: &Audit<'_>, out: &mut Vec<Finding>) {
    let config = &audit.site.config;
    if config.kind != SiteKind::Gov || config.search.enabled {
        return;
    }
    let (path, toml) = audit.site_toml();
    let at = Audit::find_in(&toml, "enabled").or_else(|| Audit::find_in(&toml, "[search]"));
    let d = Diagnostic::error("政府网站关闭了站内搜索")
        .in_file(path)
        .at_opt(at)
        .help("政府网站必须提供全站搜索：删去 site.toml 里 [search] 的 enabled = false");
    out.push(Finding::new(Rule::P5, d, "search").on_page("/"));
}
