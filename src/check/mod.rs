//! The portal audit (`zhen check`, and the content checks of `zhen build`): runs the rules of
//! PORTAL-RULES.md over a site rendered in memory, applies the site's opt-outs, and hands back
//! the findings grouped and sorted. Each rule family lives in a module of its own.

pub mod a11y;
pub mod contrast;
pub mod css;
pub mod editorial;
pub mod external;
pub mod files;
pub mod freshness;
pub mod html;
pub mod identity;
pub mod links;
pub mod pagetags;
pub mod permanence;
pub mod personal;
pub mod placeholder;
pub mod rawhtml;
pub mod report;
pub mod senior;
pub mod settings;
pub mod styles;
mod tokens;
pub mod typography;
pub mod wording;
pub mod zoom;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiff::ZonedDateTime;
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::output::Output;
use crate::pipeline::Built;
use crate::site::Site;
pub use settings::Settings;

/// A rule of PORTAL-RULES.md that zhen checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    F1,
    F2,
    F3,
    F4,
    F5,
    F6,
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
    C7,
    C8,
    C9,
    S1,
    P1,
    P2,
    P3,
    P4,
    P5,
    P6,
    A1,
    A2,
    A3,
    A4,
    A5,
    /// zhen's own warnings while reading the site (an unknown front matter field …), so that
    /// the report counts everything it printed.
    Z1,
    /// A file published as it is that is too large to download on a phone.
    Z2,
}

/// Every rule with its code and its name for publicists, in report order.
const RULES: &[(Rule, &str, &str)] = &[
    (Rule::F1, "F1", "发布日期"),
    (Rule::F2, "F2", "日期真实"),
    (Rule::F3, "F3", "首页更新"),
    (Rule::F4, "F4", "栏目更新"),
    (Rule::F5, "F5", "空白栏目"),
    (Rule::F6, "F6", "专题归档"),
    (Rule::C1, "C1", "链接和图片"),
    (Rule::C2, "C2", "用词"),
    (Rule::C3, "C3", "禁用人名"),
    (Rule::C4, "C4", "个人信息"),
    (Rule::C5, "C5", "信息来源"),
    (Rule::C6, "C6", "三审三校"),
    (Rule::C7, "C7", "网址不变"),
    (Rule::C8, "C8", "标点和数字"),
    (Rule::C9, "C9", "示例内容"),
    (Rule::S1, "S1", "文章里的脚本和嵌入"),
    (Rule::P1, "P1", "主办单位和备案信息"),
    (Rule::P2, "P2", "网站标识码"),
    (Rule::P3, "P3", "页面元数据"),
    (Rule::P4, "P4", "网站地图"),
    (Rule::P5, "P5", "站内搜索"),
    (Rule::P6, "P6", "外部脚本和样式"),
    (Rule::A1, "A1", "图片替代文字"),
    (Rule::A2, "A2", "页面语言"),
    (Rule::A3, "A3", "文字对比度"),
    (Rule::A4, "A4", "关怀模式"),
    (Rule::A5, "A5", "放大文字"),
    (Rule::Z1, "Z1", "文章格式"),
    (Rule::Z2, "Z2", "文件大小"),
];

impl Rule {
    /// Every rule, in report order.
    pub fn all() -> impl Iterator<Item = Rule> {
        RULES.iter().map(|(r, _, _)| *r)
    }

    /// `F1`, `C2` …
    pub fn code(self) -> &'static str {
        RULES
            .iter()
            .find(|(r, _, _)| *r == self)
            .map_or("", |e| e.1)
    }

    /// The rule's name in Chinese.
    pub fn name(self) -> &'static str {
        RULES
            .iter()
            .find(|(r, _, _)| *r == self)
            .map_or("", |e| e.2)
    }

    /// The rule with code `code` (case-insensitive).
    pub fn parse(code: &str) -> Option<Rule> {
        RULES
            .iter()
            .find(|(_, c, _)| c.eq_ignore_ascii_case(code.trim()))
            .map(|(r, _, _)| *r)
    }

    /// Every code, for hints.
    pub fn codes() -> impl Iterator<Item = &'static str> {
        RULES.iter().map(|(_, c, _)| *c)
    }
}

/// The rules `zhen build` runs: error-level content rules that need no network.
pub const BUILD_RULES: &[Rule] = &[
    Rule::C1,
    Rule::C2,
    Rule::C3,
    Rule::C4,
    Rule::C6,
    Rule::C9,
    Rule::S1,
    Rule::A1,
];

/// What `zhen build` refuses to publish: the findings of [`BUILD_RULES`] that are errors and
/// not ignored — or the errors that kept the audit from running. `zhen serve` shows the same in
/// its preview. Pages whose bytes `scans` holds the scan of (the last build's) are not read
/// again; `scans` then holds this site's.
pub fn refusals(
    built: &Built,
    now: ZonedDateTime,
    scans: &mut html::Scans,
) -> Result<Vec<Finding>, Vec<Diagnostic>> {
    let mut audit = Audit::prepare(built, now, false)?;
    audit.kept = std::mem::take(scans);
    let findings = audit.run(BUILD_RULES, None);
    *scans = audit.into_scans();
    Ok(findings
        .into_iter()
        .filter(|f| f.is_error() && f.ignored.is_none())
        .collect())
}

/// One finding of one rule.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Rule,
    /// Severity, message, hint and where: a source file (content, site.toml, a template), or
    /// — when `file` is None and `pages` is not empty — the rendered HTML of `pages[0]`.
    pub diagnostic: Diagnostic,
    /// The offending text.
    pub text: String,
    /// Site paths of the rendered pages it was seen on (rules on the output).
    pub pages: Vec<String>,
    /// Why it does not count, when an opt-out covers it.
    pub ignored: Option<String>,
}

impl Finding {
    pub fn new(rule: Rule, diagnostic: Diagnostic, text: impl Into<String>) -> Self {
        Finding {
            rule,
            diagnostic,
            text: text.into(),
            pages: Vec::new(),
            ignored: None,
        }
    }

    /// Seen on the rendered page at `url`.
    pub fn on_page(mut self, url: &str) -> Self {
        self.pages.push(url.to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.diagnostic.is_error()
    }
}

/// A content file (page or section) as it is on disk, with its opt-outs.
pub struct Source {
    pub path: PathBuf,
    /// Relative to content/ (`theory/a.md`).
    pub rel: String,
    /// The site path it renders to.
    pub url: String,
    pub text: String,
    /// Index into `library.pages` (None for a section).
    pub page: Option<usize>,
    /// Rules switched off by `<!-- zhen-ignore C4 理由 -->`, with the reason.
    pub ignores: Vec<(Rule, String)>,
}

impl Source {
    /// A finding of `rule` in this file at `at`, on the page it renders to.
    pub fn finding(
        &self,
        rule: Rule,
        d: Diagnostic,
        at: Location,
        text: impl Into<String>,
    ) -> Finding {
        Finding::new(rule, d.in_file(&self.path).at(at), text).on_page(&self.url)
    }
}

/// Everything the rules look at.
pub struct Audit<'a> {
    pub site: &'a Site,
    pub outputs: &'a [Output],
    /// "Today", in the site's time zone.
    pub now: ZonedDateTime,
    /// `--strict`: the home page's 14-day limit is an error.
    pub strict: bool,
    pub wording: Option<wording::Wording>,
    pub sources: Vec<Source>,
    ignores: settings::Ignores,
    docs: OnceLock<Vec<html::Doc>>,
    /// The scans of an earlier build, for the pages whose bytes are unchanged.
    kept: html::Scans,
    templates: OnceLock<Vec<(PathBuf, String)>>,
    site_toml: (PathBuf, String),
    /// The first source of each file and of each site path, for `ignored`.
    source_index: OnceLock<(HashMap<PathBuf, usize>, HashMap<String, usize>)>,
}

/// A file whose text readers see: a content file, a template or site.toml.
pub struct Written<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    /// The page a content file renders to.
    pub url: Option<&'a str>,
}

impl<'a> Audit<'a> {
    /// Reads what the rules need besides the rendered site: every content file's text,
    /// `wording.toml` and the `[check]` settings. A broken wording.toml or `[check]` table is
    /// an error (the site cannot be checked).
    pub fn prepare(
        built: &'a Built,
        now: ZonedDateTime,
        strict: bool,
    ) -> Result<Audit<'a>, Vec<Diagnostic>> {
        let site = &built.site;
        let root = &site.config.root;
        let site_toml = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
        let ignores =
            settings::Ignores::compile(&site.config.check, &site_toml, &root.join("site.toml"))?;
        let wording = wording::Wording::load(root)?;
        let mut sources: Vec<Source> = site
            .library
            .pages
            .par_iter()
            .zip(&site.pages)
            .enumerate()
            .map(|(i, (page, info))| source(&page.path, &page.rel, &info.path, Some(i)))
            .collect();
        for (s, info) in site.library.sections.iter().zip(&site.sections) {
            let rel = if s.dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{}/_index.md", s.dir)
            };
            sources.push(source(&s.path, &rel, &info.path, None));
        }
        Ok(Audit {
            site,
            outputs: &built.outputs,
            now,
            strict,
            wording,
            sources,
            ignores,
            docs: OnceLock::new(),
            kept: html::Scans::default(),
            templates: OnceLock::new(),
            site_toml: (root.join("site.toml"), site_toml),
            source_index: OnceLock::new(),
        })
    }

    /// Runs `rules` and returns their findings, opt-outs applied, grouped and sorted.
    /// External links are checked only when `external` is given.
    pub fn run(&self, rules: &[Rule], external: Option<&external::Fetcher>) -> Vec<Finding> {
        let on = |r: Rule| rules.contains(&r);
        let mut findings = Vec::new();
        if on(Rule::F2) || on(Rule::F3) || on(Rule::F4) || on(Rule::F5) || on(Rule::F6) {
            findings.extend(freshness::check(self));
        }
        if on(Rule::C1) {
            findings.extend(links::check(self));
            if let Some(fetcher) = external {
                findings.extend(external::check(self, fetcher));
            }
        }
        if on(Rule::C2) || on(Rule::C3) {
            findings.extend(wording::check(self));
        }
        if on(Rule::C4) {
            findings.extend(personal::check(self));
        }
        if on(Rule::C5) || on(Rule::C6) {
            findings.extend(editorial::check(self));
        }
        if on(Rule::C8) {
            findings.extend(typography::check(self));
        }
        if on(Rule::C9) {
            findings.extend(placeholder::check(self));
        }
        if on(Rule::S1) {
            findings.extend(rawhtml::check(self));
        }
        if on(Rule::P1) || on(Rule::P2) {
            findings.extend(identity::check(self));
        }
        if on(Rule::C7) || on(Rule::P4) || on(Rule::P5) {
            findings.extend(permanence::check(self));
        }
        if on(Rule::P3) || on(Rule::P6) {
            findings.extend(pagetags::check(self));
        }
        if on(Rule::A1) || on(Rule::A2) {
            findings.extend(a11y::check(self));
        }
        if on(Rule::Z2) || on(Rule::C4) {
            findings.extend(files::check(self));
        }
        if on(Rule::A3) || on(Rule::A4) || on(Rule::A5) {
            let styles = styles::SiteStyles::load(&self.site.config);
            findings.extend(contrast::check(self, &styles));
            findings.extend(senior::check(self, &styles));
            findings.extend(zoom::check(self, &styles));
        }
        findings.retain(|f| on(f.rule));
        for f in &mut findings {
            f.ignored = self.ignored(f);
        }
        group(findings)
    }

    /// Every rendered HTML page, parsed once.
    pub fn docs(&self) -> &[html::Doc] {
        self.docs.get_or_init(|| html::scan_site(self, &self.kept))
    }

    /// The scans of the pages, for the next build (the kept ones when no rule read a page).
    pub fn into_scans(self) -> html::Scans {
        match self.docs.into_inner() {
            Some(docs) => html::Scans::of(&docs),
            None => self.kept,
        }
    }

    /// The site's and the theme's templates (file, text), for pointing at a link a template
    /// writes.
    pub fn templates(&self) -> &[(PathBuf, String)] {
        self.templates.get_or_init(|| {
            let config = &self.site.config;
            let theme = crate::render::theme::Theme::load(&config.root, &config.theme)
                .map(|t| t.templates)
                .unwrap_or_default();
            let own = crate::render::theme::templates_on_disk(&config.root.join("templates"))
                .unwrap_or_default();
            let overridden: Vec<String> = own.iter().map(|t| t.name.clone()).collect();
            own.into_iter()
                .chain(theme.into_iter().filter(|t| !overridden.contains(&t.name)))
                .map(|t| (t.origin, t.text))
                .collect()
        })
    }

    /// The source of a finding about `value` written on rendered page `doc` at byte range
    /// `span` of its HTML: the content file or template that holds `value`, else the page.
    pub fn locate(
        &self,
        doc: &html::Doc,
        value: &str,
        span: std::ops::Range<usize>,
    ) -> (Option<PathBuf>, Location) {
        let mut needles = vec![value.to_string()];
        let decoded = html::percent_decode(value);
        let dir = crate::site::permalink::asset_dir(&doc.url);
        // A file of the page's own folder is written relative to it, often in Chinese.
        for written in [value, decoded.as_str()] {
            if let Some(rest) = written.strip_prefix(&dir)
                && !rest.is_empty()
                && !needles.iter().any(|n| n == rest)
            {
                needles.push(rest.to_string());
            }
        }
        if decoded != value {
            needles.insert(1, decoded);
        }
        let find = |text: &str| {
            needles
                .iter()
                .filter(|n| n.chars().count() >= 2)
                .find_map(|n| text.find(n.as_str()).map(|i| i..i + n.len()))
        };
        if let Some(src) = doc.source.map(|i| &self.sources[i])
            && let Some(range) = find(&src.text)
        {
            return (
                Some(src.path.clone()),
                Location::in_source(&src.text, range),
            );
        }
        for (path, text) in self.templates() {
            if let Some(range) = find(text) {
                return (Some(path.clone()), Location::in_source(text, range));
            }
        }
        (None, Location::in_source(doc.html(), span))
    }

    /// Why `f` does not count, if an opt-out covers it.
    fn ignored(&self, f: &Finding) -> Option<String> {
        let content = self.site.config.content_dir();
        let (by_path, by_url) = self.source_index.get_or_init(|| {
            let mut by_path = HashMap::new();
            let mut by_url = HashMap::new();
            for (i, s) in self.sources.iter().enumerate() {
                by_path.entry(s.path.clone()).or_insert(i);
                by_url.entry(s.url.clone()).or_insert(i);
            }
            (by_path, by_url)
        });
        let index = match (&f.diagnostic.file, f.pages.first()) {
            (Some(file), _) => by_path.get(file),
            (None, Some(page)) => by_url.get(page),
            (None, None) => None,
        };
        let source = index.map(|&i| &self.sources[i]);
        if let Some(s) = source
            && let Some((_, reason)) = s.ignores.iter().find(|(r, _)| *r == f.rule)
        {
            return Some(if reason.is_empty() {
                format!("{} 里的 zhen-ignore {}", s.rel, f.rule.code())
            } else {
                reason.clone()
            });
        }
        let rel = f
            .diagnostic
            .file
            .as_deref()
            .and_then(|p| p.strip_prefix(&content).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"));
        let subjects = rel
            .iter()
            .map(String::as_str)
            .chain(f.pages.first().map(String::as_str));
        for subject in subjects {
            if self.ignores.covers(f.rule, subject) {
                return Some(format!(
                    "site.toml 的 [check] ignore 允许 {} 例外：{subject}",
                    f.rule.code()
                ));
            }
        }
        None
    }

    /// The location of the line holding `needle` in `text` (site.toml and the like).
    pub fn find_in(text: &str, needle: &str) -> Option<Location> {
        text.find(needle)
            .map(|i| Location::in_source(text, i..i + needle.len()))
    }

    /// The site's site.toml path and text.
    pub fn site_toml(&self) -> (PathBuf, String) {
        self.site_toml.clone()
    }

    /// Every file whose text a page shows, wherever it was written: content files, site.toml
    /// and the templates (the site's own, then its theme's).
    pub fn written(&self) -> Vec<Written<'_>> {
        let sources = self.sources.iter().map(|s| Written {
            path: &s.path,
            text: &s.text,
            url: Some(&s.url),
        });
        let toml = std::iter::once(Written {
            path: &self.site_toml.0,
            text: &self.site_toml.1,
            url: None,
        });
        let templates = self.templates().iter().map(|(path, text)| Written {
            path,
            text,
            url: None,
        });
        sources.chain(toml).chain(templates).collect()
    }

    /// The days from `date` to today, in the site's calendar.
    pub fn days_since(&self, date: &ZonedDateTime) -> i64 {
        let then = date.with_time_zone(self.now.time_zone().clone()).date();
        then.until(self.now.date())
            .map(|s| i64::from(s.get_days()))
            .unwrap_or(0)
    }

    /// Error when `gov`, else warning.
    pub fn gov_error(&self) -> Severity {
        if self.site.config.kind == crate::config::SiteKind::Gov {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
}

/// Reads a content file and its `zhen-ignore` comments.
fn source(path: &Path, rel: &str, url: &str, page: Option<usize>) -> Source {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    Source {
        ignores: inline_ignores(&text),
        path: path.to_path_buf(),
        rel: rel.to_string(),
        url: url.to_string(),
        text,
        page,
    }
}

/// The rules named by `<!-- zhen-ignore C4 C8 理由 -->` comments, with the reason.
pub fn inline_ignores(text: &str) -> Vec<(Rule, String)> {
    const OPEN: &str = "<!-- zhen-ignore";
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let end = after.find("-->").unwrap_or(after.len());
        let mut rules = Vec::new();
        let mut reason = Vec::new();
        for word in after[..end].split([' ', ',', '，', '、', '\t', '\n']) {
            match Rule::parse(word) {
                Some(r) if reason.is_empty() => rules.push(r),
                _ if word.trim().is_empty() => {}
                _ => reason.push(word.trim()),
            }
        }
        let reason = reason.join(" ");
        out.extend(rules.into_iter().map(|r| (r, reason.clone())));
        rest = &after[end..];
    }
    out
}

/// Merges findings that are the same problem at the same place (a template's broken link is
/// seen on every page) and sorts them by rule, file and line.
fn group(findings: Vec<Finding>) -> Vec<Finding> {
    type Key = (
        Rule,
        bool,
        String,
        Option<PathBuf>,
        Option<(usize, usize)>,
        String,
    );
    let mut groups: BTreeMap<Key, Finding> = BTreeMap::new();
    let mut order: HashMap<Key, usize> = HashMap::new();
    // The pages of each group as a set too: a template's problem is on every page, and a
    // list's `contains` would make that quadratic in the number of pages.
    let mut seen: HashMap<Key, HashSet<String>> = HashMap::new();
    for f in findings {
        let d = &f.diagnostic;
        let key: Key = (
            f.rule,
            f.ignored.is_some(),
            d.message.clone(),
            d.file.clone(),
            // A finding located in a rendered page is the same problem on every page.
            d.file
                .as_ref()
                .and(d.location.as_ref())
                .map(|l| (l.line, l.column)),
            f.text.clone(),
        );
        match groups.get_mut(&key) {
            Some(g) => {
                let pages = seen
                    .entry(key)
                    .or_insert_with(|| g.pages.iter().cloned().collect());
                for p in f.pages {
                    if pages.insert(p.clone()) {
                        g.pages.push(p);
                    }
                }
            }
            None => {
                order.insert(key.clone(), order.len());
                groups.insert(key, f);
            }
        }
    }
    let mut out: Vec<(Key, Finding)> = groups.into_iter().collect();
    out.sort_by(|(ka, a), (kb, b)| {
        let line = |f: &Finding| f.diagnostic.location.as_ref().map(|l| (l.line, l.column));
        a.rule
            .cmp(&b.rule)
            .then_with(|| a.diagnostic.file.cmp(&b.diagnostic.file))
            .then_with(|| line(a).cmp(&line(b)))
            .then_with(|| order[ka].cmp(&order[kb]))
    });
    out.into_iter().map(|(_, f)| f).collect()
}

/// What a list of findings adds up to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub ignored: usize,
}

impl Tally {
    pub fn of(findings: &[Finding]) -> Tally {
        let mut t = Tally::default();
        for f in findings {
            match (&f.ignored, f.diagnostic.severity) {
                (Some(_), _) => t.ignored += 1,
                (None, Severity::Error) => t.errors += 1,
                (None, Severity::Warning) => t.warnings += 1,
            }
        }
        t
    }

    /// Whether the site passes: no errors, and with `strict` no warnings either.
    pub fn passed(&self, strict: bool) -> bool {
        self.errors == 0 && (!strict || self.warnings == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_codes_round_trip() {
        for r in Rule::all() {
            assert_eq!(Rule::parse(r.code()), Some(r));
            assert!(!r.name().is_empty());
        }
        assert_eq!(Rule::parse("c4"), Some(Rule::C4));
        assert_eq!(Rule::parse("C99"), None);
    }

    #[test]
    fn inline_ignores_take_rules_then_a_reason() {
        let got = inline_ignores("正文\n<!-- zhen-ignore C4, C8 公开的举报电话 -->\n");
        assert_eq!(
            got,
            vec![
                (Rule::C4, "公开的举报电话".to_string()),
                (Rule::C8, "公开的举报电话".to_string())
            ]
        );
        assert!(inline_ignores("<!-- 普通注释 -->").is_empty());
    }
}
