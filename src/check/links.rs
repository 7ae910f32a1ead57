//! C1, internal: every link, anchor, image, script and stylesheet on every rendered page —
//! whether the Markdown or the theme wrote it — must point at a file the site has, and an
//! anchor at an element id of that page.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::html::{Doc, RefKind, Target, resolve, url_of};
use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// The file a site path is served from, if the site has it: `/a/` -> `a/index.html`; a folder
/// written without its slash (`/a`) counts, as static hosts redirect it.
pub fn served<'s>(path: &str, files: &'s HashSet<&str>) -> Option<&'s str> {
    let p = path.trim_start_matches('/');
    let candidates = if p.is_empty() || p.ends_with('/') {
        vec![format!("{p}index.html")]
    } else {
        vec![p.to_string(), format!("{p}/index.html")]
    };
    candidates
        .iter()
        .find_map(|c| files.get(c.as_str()).copied())
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let files: HashSet<&str> = audit.outputs.iter().map(|o| o.path.as_str()).collect();
    let docs = audit.docs();
    let by_file: HashMap<String, &Doc> = docs
        .iter()
        .map(|d| (crate::site::permalink::output_file(&d.url), d))
        .collect();
    let domain = audit.site.config.domain();
    // Pages are checked in parallel; their findings keep the pages' order.
    docs.par_iter()
        .map(|doc| {
            let mut findings = Vec::new();
            for r in &doc.refs {
                let Target::Internal { path, fragment } = resolve(&r.url, &doc.url, domain) else {
                    continue;
                };
                let problem = match served(&path, &files) {
                    None => Some(missing(&path, r.kind, &files)),
                    Some(file) => match (&fragment, by_file.get(file)) {
                        (Some(f), Some(target))
                            if !f.is_empty() && f != "top" && !target.ids.contains(f) =>
                        {
                            let mut d = Diagnostic::error(format!(
                                "锚点 #{f} 在页面 {} 中不存在",
                                target.url
                            ));
                            d = match did_you_mean(f, target.ids.iter().map(String::as_str)) {
                                Some(s) => d.help(format!("你是不是想写 #{s}？")),
                                None => d.help(
                                    "锚点要和目标页面里小标题或元素的 id 一致；去掉 # 后面的部分也可以",
                                ),
                            };
                            Some(d)
                        }
                        _ => None,
                    },
                };
                if let Some(d) = problem {
                    let (file, location) = audit.locate(doc, &r.url, r.span.clone());
                    let mut d = d.at(location);
                    if let Some(file) = file {
                        d = d.in_file(file);
                    }
                    findings.push(Finding::new(Rule::C1, d, r.url.clone()).on_page(&doc.url));
                }
            }
            findings
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// The finding for a reference to a path the site does not have.
fn missing(path: &str, kind: RefKind, files: &HashSet<&str>) -> Diagnostic {
    let d = Diagnostic::error(format!("{}指向的 {path} 不存在", kind.noun()));
    // Only neighbours make good suggestions: a typo changes a name, rarely its folder.
    let split = |p: &str| {
        let t = p.trim_end_matches('/');
        let cut = t.rfind('/').map_or(0, |i| i + 1);
        (t[..cut].to_string(), t[cut..].to_string())
    };
    let (dir, name) = split(path);
    let siblings: Vec<(String, String)> = files
        .iter()
        .map(|f| url_of(f))
        .filter_map(|u| {
            let (d, n) = split(&u);
            (d == dir && !n.is_empty()).then_some((n, u))
        })
        .collect();
    let close = did_you_mean(&name, siblings.iter().map(|(n, _)| n.as_str()))
        .and_then(|n| siblings.iter().find(|(s, _)| s == n))
        .map(|(_, u)| u.as_str());
    match close {
        Some(s) => d.help(format!("你是不是想写 {s}？")),
        None => d.help(
            "请改成站内现有的地址：文章之间的链接可以写成 @/分类/文件名.md，图片放在文章文件夹里用相对路径",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_served_by_their_index() {
        let files: HashSet<&str> = ["index.html", "a/index.html", "css/x.css", "b.html"].into();
        assert_eq!(served("/", &files), Some("index.html"));
        assert_eq!(served("/a/", &files), Some("a/index.html"));
        assert_eq!(served("/a", &files), Some("a/index.html"));
        assert_eq!(served("/css/x.css", &files), Some("css/x.css"));
        assert_eq!(served("/b.html", &files), Some("b.html"));
        assert_eq!(served("/c/", &files), None);
    }
}
