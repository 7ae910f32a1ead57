//! The deploy plan: which files of the built site to send, in which order, with which
//! headers, which are unchanged, and which files a previous deploy put on the target that the
//! site no longer has.

use std::collections::BTreeMap;

use super::manifest::{Entry, Manifest};

/// When a file is sent: everything a page refers to before the page, the pages before the
/// files that list and announce them, deletions last. Readers thus never follow a link to a
/// file that is not there yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Stylesheets, scripts, images, fonts, the search index's chunks.
    Assets,
    /// HTML pages other than the home page.
    Pages,
    /// Feeds, sitemaps, robots.txt, the search index's entry file and the home page.
    Announcements,
}

impl Phase {
    pub fn of(path: &str) -> Phase {
        let name = path.rsplit('/').next().unwrap_or(path);
        if path == "index.html"
            || name.ends_with(".xml")
            || path == "robots.txt"
            || path == "search-index/meta.json"
        {
            Phase::Announcements
        } else if name.ends_with(".html") || name.ends_with(".htm") {
            Phase::Pages
        } else {
            Phase::Assets
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::Assets => "样式、脚本和图片",
            Phase::Pages => "页面",
            Phase::Announcements => "订阅源、网站地图和首页",
        }
    }
}

/// One file to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub path: String,
    pub entry: Entry,
    pub phase: Phase,
    /// Whether the target had a file of this name from zhen before (changed, not new).
    pub replaces: bool,
}

impl Upload {
    pub fn content_type(&self) -> String {
        content_type(&self.path)
    }

    pub fn cache_control(&self) -> &'static str {
        cache_control(&self.path)
    }
}

/// What a deploy does.
#[derive(Debug, Default)]
pub struct Plan {
    /// In sending order: by phase, then by path.
    pub uploads: Vec<Upload>,
    pub unchanged: Vec<String>,
    /// Files of the previous deploy that the site no longer has.
    pub deletes: Vec<String>,
}

impl Plan {
    /// Compares the built site with what the target holds from zhen.
    pub fn new(local: &Manifest, remote: &Manifest) -> Plan {
        let mut plan = Plan::default();
        for (path, entry) in &local.files {
            match remote.files.get(path) {
                Some(old) if old == entry => plan.unchanged.push(path.clone()),
                old => plan.uploads.push(Upload {
                    path: path.clone(),
                    entry: entry.clone(),
                    phase: Phase::of(path),
                    replaces: old.is_some(),
                }),
            }
        }
        plan.uploads
            .sort_by(|a, b| (a.phase, &a.path).cmp(&(b.phase, &b.path)));
        plan.deletes = remote
            .files
            .keys()
            .filter(|p| !local.files.contains_key(*p))
            .cloned()
            .collect();
        plan
    }

    pub fn bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.entry.size).sum()
    }

    /// The uploads of each phase, in order.
    pub fn phases(&self) -> BTreeMap<Phase, Vec<&Upload>> {
        let mut phases: BTreeMap<Phase, Vec<&Upload>> = BTreeMap::new();
        for u in &self.uploads {
            phases.entry(u.phase).or_default().push(u);
        }
        phases
    }
}

/// The `Content-Type` of a site file; text formats say they are UTF-8.
pub fn content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let mime = match ext {
        "xml" => "application/xml".to_string(),
        "js" | "mjs" => "text/javascript".to_string(),
        _ => mime_guess::from_ext(ext)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    };
    let text = mime.starts_with("text/")
        || mime.ends_with("xml")
        || mime.ends_with("json")
        || mime.ends_with("javascript");
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

/// Hashed file names never change content, so browsers and CDNs keep them for a year; pages
/// and what lists them change with every post, so they are kept for minutes; other files of
/// the theme for an hour.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let html_like = name.ends_with(".html")
        || name.ends_with(".htm")
        || name.ends_with(".xml")
        || name.ends_with(".json")
        || name.ends_with(".txt");
    if html_like {
        "public, max-age=300"
    } else if has_hash(name) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    }
}

/// Whether a file name carries a content hash: a part of at least 7 hexadecimal characters
/// with a digit and a letter (`3fa9c0d1e2-480.webp`, `zh-cn_8f3a1b2.pf_fragment`).
fn has_hash(name: &str) -> bool {
    name.split(['-', '_', '.']).any(|part| {
        part.len() >= 7
            && part.chars().all(|c| c.is_ascii_hexdigit())
            && part.chars().any(|c| c.is_ascii_digit())
            && part.chars().any(|c| c.is_ascii_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(hash: &str) -> Entry {
        Entry {
            size: 1,
            hash: hash.into(),
        }
    }

    #[test]
    fn plan_orders_assets_pages_then_announcements_and_deletes_only_zhens_files() {
        let local = Manifest::new(BTreeMap::from([
            ("index.html".into(), entry("1")),
            ("atom.xml".into(), entry("1")),
            ("news/a/index.html".into(), entry("2")),
            ("css/style.css".into(), entry("1")),
            ("img/3fa9c0d1e2-480.webp".into(), entry("1")),
            ("about/index.html".into(), entry("same")),
        ]));
        let remote = Manifest::new(BTreeMap::from([
            ("about/index.html".into(), entry("same")),
            ("news/a/index.html".into(), entry("old")),
            ("news/gone/index.html".into(), entry("x")),
        ]));
        let plan = Plan::new(&local, &remote);
        let order: Vec<&str> = plan.uploads.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "css/style.css",
                "img/3fa9c0d1e2-480.webp",
                "news/a/index.html",
                "atom.xml",
                "index.html"
            ]
        );
        assert!(plan.uploads[2].replaces && !plan.uploads[0].replaces);
        assert_eq!(plan.unchanged, ["about/index.html"]);
        assert_eq!(plan.deletes, ["news/gone/index.html"]);
    }

    #[test]
    fn text_types_say_utf8_and_binary_ones_do_not() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("js/site.js"), "text/javascript; charset=utf-8");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("img/a.webp"), "image/webp");
        assert_eq!(content_type("img/a.jpg"), "image/jpeg");
        assert_eq!(
            content_type("search-index/t/12.json"),
            "application/json; charset=utf-8"
        );
    }

    #[test]
    fn hashed_assets_are_cached_long_and_pages_briefly() {
        assert_eq!(
            cache_control("img/3fa9c0d1e2f3a4b5-480.webp"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("news/index.html"), "public, max-age=300");
        assert_eq!(cache_control("css/style.css"), "public, max-age=3600");
        assert_eq!(
            cache_control("images/logo-2024.png"),
            "public, max-age=3600"
        );
    }
}
