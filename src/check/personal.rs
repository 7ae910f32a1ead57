//! C4, personal data: resident ID numbers and private mobile numbers (found by
//! `crate::privacy`: 18 digits with a valid GB 11643 check digit or the old 15-digit form,
//! mobiles `1[3-9]` + 9 digits, in ASCII or full-width digits, spaced, hyphenated or with +86)
//! in every file whose text a page shows — content, templates, site.toml — and, for numbers
//! none of those holds, in the rendered text. Numbers inside URLs, file names, cookie values
//! and hashes are not a person's. Published hotlines are allowed by `[check] allow_phones`
//! and the site's own `[identity] phone`.

use std::collections::HashSet;

use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location};
use crate::privacy::{self, Kind, Number};

/// The numbers of `text` that are a person's: not written as code, not an allowed hotline.
fn personal(text: &str, allowed: &HashSet<String>) -> Vec<Number> {
    persons(privacy::find(text), allowed)
}

/// Those of `numbers` that are a person's.
fn persons(numbers: Vec<Number>, allowed: &HashSet<String>) -> Vec<Number> {
    numbers
        .into_iter()
        .filter(|n| !(n.in_code && n.kind != Kind::IdNumber))
        .filter(|n| !(n.kind == Kind::Mobile && allowed.contains(&n.digits)))
        .collect()
}

fn diagnostic(kind: Kind, shown: &str) -> Diagnostic {
    match kind {
        Kind::IdNumber | Kind::OldIdNumber => {
            Diagnostic::error(format!("疑似未打码的身份证号 {shown}")).help(format!(
                "公开的信息里不能出现完整的身份证号：请打码成 {shown}，或删去"
            ))
        }
        Kind::Mobile => Diagnostic::error(format!("疑似未打码的个人手机号 {shown}")).help(format!(
            "个人手机号请打码成 {shown}；公开的服务热线请写进 site.toml 的 [check] allow_phones"
        )),
    }
}

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let config = &audit.site.config;
    let only_digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let allowed: HashSet<String> = config
        .check
        .allow_phones
        .iter()
        .chain([&config.identity.phone])
        .map(|p| only_digits(p))
        .map(|p| {
            p.strip_prefix("86")
                .filter(|m| m.len() == 11)
                .map_or(p.clone(), String::from)
        })
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for file in audit.written() {
        for n in personal(file.text, &allowed) {
            let shown = privacy::mask(&file.text[n.range.clone()]).into_owned();
            let at = Location::in_source(file.text, n.range.clone());
            let mut f = Finding::new(
                Rule::C4,
                diagnostic(n.kind, &shown).in_file(file.path).at(at),
                shown,
            );
            if let Some(url) = file.url {
                f = f.on_page(url);
            }
            seen.insert(n.digits);
            out.push(f);
        }
    }
    // What a page shows that no file the site wrote holds (a value put together by a template);
    // the numbers of its text were found when it was read.
    let docs = audit.docs();
    let found: Vec<Vec<Number>> = docs
        .iter()
        .map(|doc| persons(doc.numbers.clone(), &allowed))
        .collect();
    for (doc, numbers) in docs.iter().zip(found) {
        for n in numbers {
            if !seen.insert(n.digits.clone()) {
                continue;
            }
            let written = &doc.text()[n.range.clone()];
            let shown = privacy::mask(written).into_owned();
            let span = doc
                .html()
                .find(written)
                .map_or(0..0, |i| i..i + written.len());
            let (file, location) = audit.locate(doc, written, span);
            let mut d = diagnostic(n.kind, &shown).at(location);
            if let Some(file) = file {
                d = d.in_file(file);
            }
            out.push(Finding::new(Rule::C4, d, shown).on_page(&doc.url));
        }
    }
    out
}
