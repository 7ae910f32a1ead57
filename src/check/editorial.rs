//! C5 and C6, editorial duties: every post names its source (来源) unless the site has a
//! `default_source`; with `[check] require_review = true`, every post lists three reviewers in
//! `reviewed_by` (三审三校).

use std::collections::BTreeSet;

use super::{Audit, Finding, Rule};
use crate::content::FrontMatter;
use crate::diagnostics::{Diagnostic, Location};

/// Reviewers a post needs (三审).
const REVIEWERS: usize = 3;

/// What a post lacks of its three reviews ("没有审核人", "只有 2 位审核人（甲、乙）"); None
/// when three different people reviewed it.
pub fn review_gap(meta: &FrontMatter) -> Option<String> {
    let names: BTreeSet<&str> = meta
        .reviewed_by
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    if names.len() >= REVIEWERS {
        None
    } else if names.is_empty() {
        Some("没有审核人".to_string())
    } else {
        Some(format!(
            "只有 {} 位审核人（{}）",
            names.len(),
            names.iter().copied().collect::<Vec<_>>().join("、")
        ))
    }
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let config = &audit.site.config;
    let mut out = Vec::new();
    for source in &audit.sources {
        let Some(i) = source
            .page
            .filter(|&i| audit.site.pages[i].category.is_some())
        else {
            continue;
        };
        let meta = &audit.site.library.pages[i].meta;
        let at = |key: &str| {
            meta.key_location(&source.text, key)
                .unwrap_or_else(|| Location::line_of(&source.text, 1))
        };
        let has_source = meta.source.as_deref().is_some_and(|s| !s.trim().is_empty());
        if !has_source && config.default_source.trim().is_empty() {
            out.push(source.finding(
                Rule::C5,
                Diagnostic::warning(format!("《{}》没有写来源", meta.title))
                    .help("在文章开头的 +++ 之间写上 source = \"青溪镇宣传办\"；或在 site.toml 写 default_source 作为全站默认来源"),
                at("title"),
                meta.title.clone(),
            ));
        }
        if config.check.require_review
            && let Some(shown) = review_gap(meta)
        {
            let key = if meta.reviewed_by.is_empty() {
                "title"
            } else {
                "reviewed_by"
            };
            out.push(
                source.finding(
                    Rule::C6,
                    Diagnostic::error(format!("《{}》{shown}，未完成三审", meta.title)).help(
                        "发布前须经三人审核：reviewed_by = [\"初审人\", \"复审人\", \"终审人\"]",
                    ),
                    at(key),
                    meta.title.clone(),
                ),
            );
        }
    }
    out
}
