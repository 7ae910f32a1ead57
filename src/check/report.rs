//! The audit's findings as text for people (grouped by rule, in Chinese, each finding rendered
//! like a build error) or as JSON for tools (the shape README.md documents).

use std::path::Path;

use serde_json::{Value, json};

use super::{Finding, Rule, Tally};
use crate::diagnostics::{Diagnostic, Severity};

/// The version of the JSON shape; raised when a field changes meaning or goes away.
pub const JSON_VERSION: u32 = 1;

/// How the run went, for the report's last line and the JSON `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    /// The site could not be loaded; nothing was checked.
    NotLoaded,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::NotLoaded => "not_loaded",
        }
    }
}

/// What the report says about the run itself.
pub struct RunInfo<'a> {
    pub root: &'a Path,
    /// "Today" as `YYYY-MM-DD`.
    pub now: String,
    pub strict: bool,
    pub external: bool,
    /// Rules that could not run, with why (shown after the findings).
    pub skipped: Option<String>,
}

/// The findings alone, as plain text (serve's overlay), each as the report shows it.
pub fn plain(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| shown(f).render(false))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The diagnostic as shown: rule code in the title, the page as the place when it was found
/// on a rendered page, and the other pages it was seen on.
fn shown(f: &Finding) -> Diagnostic {
    let mut d = f.diagnostic.clone();
    d.message = format!("[{}] {}", f.rule.code(), d.message);
    if d.file.is_none()
        && let Some(page) = f.pages.first()
    {
        d.file = Some(format!("网页 {page}").into());
    }
    if f.pages.len() > 1 {
        let first: Vec<&str> = f.pages.iter().take(3).map(String::as_str).collect();
        let more = if f.pages.len() > 3 { " 等" } else { "" };
        let seen = format!(
            "出现在 {} 个页面：{}{more}",
            f.pages.len(),
            first.join("、")
        );
        d.help = Some(match d.help {
            Some(h) => format!("{h}\n{seen}"),
            None => seen,
        });
    }
    d
}

/// The findings for people, grouped by rule, ending with the tally.
pub fn text(findings: &[Finding], info: &RunInfo<'_>, styled: bool) -> String {
    let mut out = String::new();
    for rule in Rule::all() {
        let of_rule: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
        if of_rule.is_empty() {
            continue;
        }
        let counted: Vec<Finding> = of_rule.iter().map(|f| (*f).clone()).collect();
        let t = Tally::of(&counted);
        let mut parts = Vec::new();
        if t.errors > 0 {
            parts.push(format!("{} 个错误", t.errors));
        }
        if t.warnings > 0 {
            parts.push(format!("{} 个警告", t.warnings));
        }
        if t.ignored > 0 {
            parts.push(format!("{} 条已忽略", t.ignored));
        }
        out.push_str(&format!(
            "━━ {} {}：{} ━━\n\n",
            rule.code(),
            rule.name(),
            parts.join("，")
        ));
        for f in of_rule.iter().filter(|f| f.ignored.is_none()) {
            out.push_str(&shown(f).render(styled));
            out.push_str("\n\n");
        }
        for f in of_rule.iter().filter(|f| f.ignored.is_some()) {
            let place = f
                .diagnostic
                .file
                .as_ref()
                .map(|p| p.display().to_string())
                .or_else(|| f.pages.first().cloned())
                .unwrap_or_default();
            let line = f
                .diagnostic
                .location
                .as_ref()
                .filter(|_| f.diagnostic.file.is_some())
                .map(|l| format!(":{}:{}", l.line, l.column))
                .unwrap_or_default();
            out.push_str(&format!(
                "已忽略：{}（{place}{line}）——{}\n",
                f.diagnostic.message,
                f.ignored.as_deref().unwrap_or_default()
            ));
        }
        if of_rule.iter().any(|f| f.ignored.is_some()) {
            out.push('\n');
        }
    }
    if let Some(skipped) = &info.skipped {
        out.push_str(skipped);
        out.push_str("\n\n");
    }
    let t = Tally::of(findings);
    let verdict = if t.passed(info.strict) {
        "通过"
    } else if t.errors == 0 {
        "未通过（--strict：警告也算不通过）"
    } else {
        "未通过"
    };
    out.push_str(&format!(
        "检查完成：{} 个错误，{} 个警告，{} 条已忽略。{verdict}\n",
        t.errors, t.warnings, t.ignored
    ));
    // The lines of ignored findings and the like are no diagnostics: mask them too.
    crate::privacy::mask(&out).into_owned()
}

/// A path as the report names it: relative to the site root when it is inside it.
fn rel(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One diagnostic without a rule (a reason the site could not be loaded).
fn diagnostic_json(d: &Diagnostic, root: &Path) -> Value {
    json!({
        "severity": severity(d.severity),
        "message": d.message,
        "file": d.file.as_deref().map(|p| rel(p, root)),
        "line": d.location.as_ref().map(|l| l.line),
        "column": d.location.as_ref().map(|l| l.column),
        "help": d.help,
    })
}

/// `value` with every ID and mobile number in its strings masked (messages, texts, file names,
/// page paths), as `Diagnostic::render` masks the text report.
fn masked(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(crate::privacy::mask(&s).into_owned()),
        Value::Array(items) => Value::Array(items.into_iter().map(masked).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, masked(v))).collect()),
        other => other,
    }
}

/// The findings for tools (numbers masked).
pub fn json(findings: &[Finding], info: &RunInfo<'_>) -> Value {
    masked(json_unmasked(findings, info))
}

fn json_unmasked(findings: &[Finding], info: &RunInfo<'_>) -> Value {
    let t = Tally::of(findings);
    let status = if t.passed(info.strict) {
        Status::Passed
    } else {
        Status::Failed
    };
    let findings: Vec<Value> = findings
        .iter()
        .map(|f| {
            let d = &f.diagnostic;
            json!({
                "rule": f.rule.code(),
                "rule_name": f.rule.name(),
                "severity": severity(d.severity),
                "message": d.message,
                "text": f.text,
                "help": d.help,
                "file": d.file.as_deref().map(|p| rel(p, info.root)),
                "line": d.location.as_ref().map(|l| l.line),
                "column": d.location.as_ref().map(|l| l.column),
                "url": f.pages.first(),
                "pages": f.pages,
                "ignored": f.ignored.is_some(),
                "ignore_reason": f.ignored,
            })
        })
        .collect();
    json!({
        "version": JSON_VERSION,
        "status": status.as_str(),
        "now": info.now,
        "strict": info.strict,
        "external": info.external,
        "summary": {"errors": t.errors, "warnings": t.warnings, "ignored": t.ignored},
        "skipped": info.skipped,
        "findings": findings,
        "load_errors": [],
    })
}

/// The JSON of a run that could not load the site (numbers masked).
pub fn json_not_loaded(errors: &[Diagnostic], info: &RunInfo<'_>) -> Value {
    masked(json!({
        "version": JSON_VERSION,
        "status": Status::NotLoaded.as_str(),
        "now": info.now,
        "strict": info.strict,
        "external": info.external,
        "summary": {"errors": 0, "warnings": 0, "ignored": 0},
        "skipped": info.skipped,
        "findings": [],
        "load_errors": errors.iter().map(|d| diagnostic_json(d, info.root)).collect::<Vec<_>>(),
    }))
}
