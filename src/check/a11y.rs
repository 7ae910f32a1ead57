//! A1 and A2, accessibility on the rendered pages: every image has a text alternative — a
//! missing `alt` is an error, while `alt=""` marks a decorative image (as do
//! `role="presentation"` and `aria-hidden`), except a Markdown image written `![](…)`, whose
//! author forgot it —, every video has captions (a warning); and every page says its language
//! on `<html lang>`, the site's own language, located at the template that writes the tag.

use rayon::prelude::*;

use super::html::Doc;
use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location};

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    // Every page in parallel; the findings keep the pages' order.
    let per_page: Vec<Vec<Finding>> = audit
        .docs()
        .par_iter()
        .map(|doc| {
            let mut out = Vec::new();
            images(audit, doc, &mut out);
            videos(audit, doc, &mut out);
            lang(audit, doc, &mut out);
            out
        })
        .collect();
    per_page.into_iter().flatten().collect()
}

/// A finding of `rule` about `value` written at `span` of `doc`, located at its source.
fn located(
    audit: &Audit<'_>,
    doc: &Doc,
    rule: Rule,
    d: Diagnostic,
    value: &str,
    span: std::ops::Range<usize>,
) -> Finding {
    let (file, location) = audit.locate(doc, value, span);
    let mut d = d.at(location);
    if let Some(file) = file {
        d = d.in_file(file);
    }
    Finding::new(rule, d, value.to_string()).on_page(&doc.url)
}

/// Whether post `i` is dated before `[check] legacy_images`: migrated content, whose missing
/// alt texts are listed as warnings.
fn legacy(audit: &Audit<'_>, i: usize) -> bool {
    let config = &audit.site.config;
    let Some(cutoff) = config
        .check
        .legacy_images
        .as_ref()
        .and_then(|d| d.day(&config.tz).ok())
    else {
        return false;
    };
    audit.site.library.pages[i]
        .meta
        .date
        .as_ref()
        .is_some_and(|d| d.timestamp() < cutoff.timestamp())
}

fn images(audit: &Audit<'_>, doc: &Doc, out: &mut Vec<Finding>) {
    for img in &doc.images {
        let empty = match img.alt.as_deref() {
            _ if img.decorative => continue,
            Some(alt) if !alt.trim().is_empty() => continue,
            Some(_) => true,
            None => false,
        };
        let (file, location) = audit.locate(doc, &img.src, img.span.clone());
        let source = doc.source.map(|i| &audit.sources[i]);
        let in_markdown = file.is_some() && file.as_deref() == source.map(|s| s.path.as_path());
        if empty && !(in_markdown && markdown_without_text(&location)) {
            continue;
        }
        let message = format!("图片 {} 没有替代文字（alt）", img.src);
        let help = "读屏软件靠替代文字告诉视障读者图片的内容：Markdown 写成 ![图片说明](photo.jpg)，模板里写 alt=\"…\"；纯装饰的图片写 alt=\"\"";
        let legacy = in_markdown
            && source
                .and_then(|s| s.page)
                .is_some_and(|i| legacy(audit, i));
        let mut d = if legacy {
            Diagnostic::warning(message).help(format!(
                "{help}（这篇是 [check] legacy_images 之前迁移来的旧文章，所以只提醒；请逐步补上）"
            ))
        } else {
            Diagnostic::error(message).help(help)
        }
        .at(location);
        if let Some(file) = file {
            d = d.in_file(file);
        }
        out.push(Finding::new(Rule::A1, d, img.src.clone()).on_page(&doc.url));
    }
}

/// Whether the image at `at` in a Markdown file is written `![](…)` (no description).
fn markdown_without_text(at: &Location) -> bool {
    let before = at.line_text[..at.span.start].trim_end_matches('<');
    before
        .strip_suffix("](")
        .is_some_and(|b| b.trim_end().ends_with("!["))
}

fn videos(audit: &Audit<'_>, doc: &Doc, out: &mut Vec<Finding>) {
    for video in doc.videos.iter().filter(|v| !v.captioned) {
        let shown = if video.src.is_empty() {
            "<video>"
        } else {
            video.src.as_str()
        };
        let d = Diagnostic::warning(format!("视频 {shown} 没有字幕"))
            .help("听障读者看不到声音：给视频加字幕轨道 <track kind=\"captions\" src=\"字幕.vtt\" srclang=\"zh\" label=\"中文\">，或在视频下方附上文字稿");
        out.push(located(audit, doc, Rule::A1, d, shown, video.span.clone()));
    }
}

fn lang(audit: &Audit<'_>, doc: &Doc, out: &mut Vec<Finding>) {
    let Some(tag) = doc.html_tag.clone() else {
        return;
    };
    let site = audit.site.config.language.trim();
    let primary = |l: &str| {
        l.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let d = match &doc.lang {
        None => Diagnostic::warning("页面的 <html> 没有写 lang 语言属性"),
        Some(lang) if !site.is_empty() && primary(lang) != primary(site) => Diagnostic::warning(
            format!("页面的语言写成了 lang=\"{lang}\"，网站的语言是 {site}"),
        ),
        Some(_) => return,
    }
    .help("模板里写 <html lang=\"{{ lang }}\">，语言来自 site.toml 的 language（默认 zh-CN）");
    // The tag as written is found in the template that writes it; else any template's <html.
    let written = &doc.html()[tag.clone()];
    let mut f = located(audit, doc, Rule::A2, d.clone(), written, tag.clone());
    if f.diagnostic.file.is_none() {
        f = located(audit, doc, Rule::A2, d, "<html", tag.start..tag.start + 5);
    }
    f.text = "<html>".into();
    out.push(f);
}
