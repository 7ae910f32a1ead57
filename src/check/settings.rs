//! `[check]` in site.toml: published hotlines, whether posts need three reviewers, per-rule
//! exceptions, and how external links are fetched.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use super::{Audit, Rule};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// The `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Every post needs `reviewed_by` with three names (三审三校).
    pub require_review: bool,
    /// Published hotlines that C4 must not report, e.g. `["13800000000"]`.
    pub allow_phones: Vec<String>,
    /// Per-rule exceptions: rule code -> content paths (`civility/x.md`) or site paths
    /// (`/about/contact/`), globs allowed.
    pub ignore: BTreeMap<String, Vec<String>>,
    /// Hosts whose `<iframe>`, `<embed>` and `<object>` posts may show (S1), subdomains
    /// included.
    pub allow_embeds: Vec<String>,
    /// `[check.external]`: how `--external` fetches.
    pub external: ExternalSettings,
    /// Posts dated before this day were migrated from another system: an image of theirs
    /// without alt text is a warning (A1), listed until fixed; newer posts stay strict.
    pub legacy_images: Option<LegacyDate>,
    /// Z2: a published attachment (PDF, Word, video …) over this many MB.
    pub max_file_mb: u64,
    /// Z2: an image published as it is (static/, GIFs) over this many KB.
    pub max_image_kb: u64,
}

/// A day as site.toml may write it: a TOML date or text (`2024-07-01`, `2024年7月1日`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LegacyDate {
    Toml(toml::value::Datetime),
    Text(String),
}

impl LegacyDate {
    /// The day it names, in the site's time zone.
    pub fn day(&self, tz: &jiff::tz::TimeZone) -> Result<jiff::ZonedDateTime, String> {
        let text = match self {
            LegacyDate::Toml(d) => d.to_string(),
            LegacyDate::Text(t) => t.clone(),
        };
        crate::content::date::parse_date(&text, tz)
    }
}

/// The video hosts posts may embed when site.toml names none.
pub const DEFAULT_EMBEDS: &[&str] = &["player.bilibili.com", "v.qq.com"];

fn default_embeds() -> Vec<String> {
    DEFAULT_EMBEDS.iter().map(|h| h.to_string()).collect()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            require_review: false,
            allow_phones: Vec::new(),
            ignore: BTreeMap::new(),
            allow_embeds: default_embeds(),
            external: ExternalSettings::default(),
            legacy_images: None,
            max_file_mb: 10,
            max_image_kb: 1024,
        }
    }
}

/// `[check.external]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExternalSettings {
    /// Seconds before a request is given up.
    pub timeout: u64,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Further tries after a timeout, a failed connection or a 5xx answer.
    pub retries: u32,
    /// Milliseconds between two requests to one host.
    pub host_interval_ms: u64,
    /// URL prefixes never fetched (sites that refuse robots).
    pub skip: Vec<String>,
}

impl Default for ExternalSettings {
    fn default() -> Self {
        ExternalSettings {
            timeout: 10,
            concurrency: 8,
            retries: 2,
            host_interval_ms: 1000,
            skip: Vec::new(),
        }
    }
}

/// `[check] ignore`, compiled.
#[derive(Default)]
pub struct Ignores {
    by_rule: HashMap<Rule, GlobSet>,
}

impl Ignores {
    /// Compiles `settings.ignore`; unknown rule codes and bad globs are located in site.toml.
    pub fn compile(
        settings: &Settings,
        site_toml: &str,
        path: &Path,
    ) -> Result<Ignores, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        if let Some(Err(e)) = settings
            .legacy_images
            .as_ref()
            .map(|d| d.day(&jiff::tz::TimeZone::UTC))
        {
            errors.push(
                Diagnostic::error(format!("[check] legacy_images：{e}"))
                    .in_file(path)
                    .at_opt(Audit::find_in(site_toml, "legacy_images"))
                    .help("写迁移前最后一天之后的日期，例如 legacy_images = 2024-07-01：这天以前发布的文章，图片缺替代文字只提醒"),
            );
        }
        let mut by_rule = HashMap::new();
        for (code, patterns) in &settings.ignore {
            let Some(rule) = Rule::parse(code) else {
                let mut d = Diagnostic::error(format!("[check] ignore 里的规则 {code} 不存在"))
                    .in_file(path)
                    .at_opt(Audit::find_in(site_toml, code));
                d = match did_you_mean(code, Rule::codes()) {
                    Some(s) => d.help(format!("你是不是想写 {s}？")),
                    None => d.help(format!(
                        "可用的规则：{}",
                        Rule::codes().collect::<Vec<_>>().join("、")
                    )),
                };
                errors.push(d);
                continue;
            };
            let mut set = GlobSetBuilder::new();
            for p in patterns {
                match Glob::new(p.trim_start_matches('/').trim_end_matches('/')) {
                    Ok(g) => {
                        set.add(g);
                    }
                    Err(e) => errors.push(
                        Diagnostic::error(format!("[check] ignore 里的路径 \"{p}\" 写法有误：{e}"))
                            .in_file(path)
                            .at_opt(Audit::find_in(site_toml, p))
                            .help("写 content/ 下的文件路径（如 \"civility/2023-05-05-x.md\"）或网址路径（如 \"/about/\"），可用 * 和 **"),
                    ),
                }
            }
            match set.build() {
                Ok(s) => {
                    by_rule.insert(rule, s);
                }
                Err(e) => {
                    errors.push(Diagnostic::error(format!("[check] ignore：{e}")).in_file(path))
                }
            }
        }
        if errors.is_empty() {
            Ok(Ignores { by_rule })
        } else {
            Err(errors)
        }
    }

    /// Whether `rule` is switched off for `subject` (a content path or a site path).
    pub fn covers(&self, rule: Rule, subject: &str) -> bool {
        let subject = subject.trim_start_matches('/').trim_end_matches('/');
        self.by_rule
            .get(&rule)
            .is_some_and(|set| set.is_match(subject))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(ignore: &[(&str, &[&str])]) -> Settings {
        Settings {
            ignore: ignore
                .iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect(),
            ..Settings::default()
        }
    }

    #[test]
    fn ignores_match_content_and_site_paths() {
        let s = settings(&[("C8", &["civility/*.md", "/about/"])]);
        let ig = Ignores::compile(&s, "", Path::new("site.toml")).unwrap();
        assert!(ig.covers(Rule::C8, "civility/2023-05-05-x.md"));
        assert!(ig.covers(Rule::C8, "/about/"));
        assert!(!ig.covers(Rule::C4, "civility/2023-05-05-x.md"));
        assert!(!ig.covers(Rule::C8, "theory/a.md"));
    }

    #[test]
    fn unknown_rules_are_located_errors() {
        let text = "[check]\nignore = { C99 = [\"a.md\"] }\n";
        let s = settings(&[("C99", &["a.md"])]);
        let Err(errs) = Ignores::compile(&s, text, Path::new("site.toml")) else {
            panic!("C9 is not a rule");
        };
        let shown = errs[0].render(false);
        assert!(shown.contains("site.toml:2:"), "{shown}");
    }
}
