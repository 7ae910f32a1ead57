//! A3, text contrast in the site's own styles: every selector that sets a text colour or a
//! background gets the other from itself, the selector it is written inside or the page, in
//! normal and in senior mode; a pair under 4.5:1 (3:1 for large text) that the built-in theme
//! does not have is reported once per declaration the site changed, with a colour that passes.

use std::collections::{BTreeMap, HashSet};

use super::css::{self, Rgb};
use super::styles::{Cascade, Found, Mode, SiteStyles, Styles, is_page};
use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location, Severity};

const BACKGROUND: &[&str] = &["background-color", "background"];

/// A text colour on a background that is too faint.
struct Pair<'a> {
    mode: Mode,
    selector: String,
    fg: Rgb,
    bg: Rgb,
    ratio: f32,
    need: f32,
    /// Both colours are set by the selector itself (else one is inherited: less certain).
    direct: bool,
    /// The declarations behind the text colour, then those behind the background.
    fg_from: Vec<Found<'a>>,
    bg_from: Vec<Found<'a>>,
}

pub fn check(audit: &Audit<'_>, styles: &SiteStyles) -> Vec<Finding> {
    if !styles.changed() {
        return Vec::new();
    }
    let known: HashSet<(Mode, String)> = faint(&styles.builtin)
        .into_iter()
        .map(|p| (p.mode, p.selector))
        .collect();
    // One finding per declaration of the site's that made a pair too faint.
    let mut by_cause: BTreeMap<(String, usize), (Found<'_>, bool, Vec<Pair<'_>>)> = BTreeMap::new();
    for pair in faint(&styles.site) {
        if known.contains(&(pair.mode, pair.selector.clone())) {
            continue;
        }
        let both: Vec<Found<'_>> = pair.fg_from.iter().chain(&pair.bg_from).copied().collect();
        let Some(cause) = styles.cause(&both) else {
            continue;
        };
        let on_text = pair.fg_from.iter().any(|f| f.same(&cause));
        let key = (
            cause.sheet.path.display().to_string(),
            cause.decl.span.start,
        );
        by_cause
            .entry(key)
            .or_insert_with(|| (cause, on_text, Vec::new()))
            .2
            .push(pair);
    }
    by_cause
        .into_values()
        .map(|(cause, on_text, pairs)| finding(audit, cause, on_text, &pairs))
        .collect()
}

fn finding(audit: &Audit<'_>, cause: Found<'_>, on_text: bool, pairs: &[Pair<'_>]) -> Finding {
    let worst = pairs
        .iter()
        .min_by(|a, b| (a.ratio / a.need).total_cmp(&(b.ratio / b.need)))
        .expect("a finding has pairs");
    // A selector faint in both modes is named once, without the mode.
    let mut places: Vec<String> = Vec::new();
    for p in pairs {
        let both = pairs
            .iter()
            .any(|q| q.selector == p.selector && q.mode != p.mode);
        let place = if both {
            p.selector.clone()
        } else {
            format!("{}{}", p.selector, p.mode.label())
        };
        if !places.contains(&place) {
            places.push(place);
        }
    }
    let more = places.len().saturating_sub(5);
    places.truncate(5);
    let mut where_ = places.join("、");
    if more > 0 {
        where_.push_str(&format!(" 等 {} 处", places.len() + more));
    }
    let (fixed, moving) = if on_text {
        (worst.bg, worst.fg)
    } else {
        (worst.fg, worst.bg)
    };
    let better = passing(fixed, moving, worst.need);
    let what = if on_text {
        "文字颜色"
    } else {
        "背景颜色"
    };
    let message = format!(
        "文字颜色 {} 在背景 {} 上的对比度只有 {:.1}:1，低于 {}:1，看不清：{where_}",
        worst.fg.hex(),
        worst.bg.hex(),
        worst.ratio,
        worst.need
    );
    let help = format!(
        "把{what}改成 {}（对比度 {:.1}:1）或更{}的颜色；正文至少 4.5:1，大字（24px 以上，或 18.7px 以上加粗）至少 3:1。读者里有很多老人和视力不好的人",
        better.hex(),
        better.contrast(fixed),
        if darker(fixed) { "深" } else { "浅" },
    );
    let severity = if pairs.iter().any(|p| p.direct) {
        audit.gov_error()
    } else {
        Severity::Warning
    };
    let mut d = Diagnostic::error(message)
        .help(help)
        .in_file(&cause.sheet.path)
        .at(Location::in_source(
            &cause.sheet.text,
            cause.decl.span.clone(),
        ));
    d.severity = severity;
    Finding::new(
        Rule::A3,
        d,
        format!("{} / {}", worst.fg.hex(), worst.bg.hex()),
    )
}

/// Whether a colour that contrasts with `fixed` has to be darker than it.
fn darker(fixed: Rgb) -> bool {
    fixed.luminance() > 0.18
}

/// `moving` taken towards black (on a light colour) or white until it contrasts with `fixed`
/// by `need`.
fn passing(fixed: Rgb, moving: Rgb, need: f32) -> Rgb {
    let end = if darker(fixed) {
        Rgb([0.0; 3])
    } else {
        Rgb([1.0; 3])
    };
    (1..=50)
        .map(|step| moving.mix(end, step as f32 / 50.0))
        .find(|c| c.contrast(fixed) >= need + 0.05)
        .unwrap_or(end)
}

/// Every pair of text and background colour in `styles` under its minimum contrast.
fn faint(styles: &Styles) -> Vec<Pair<'_>> {
    let mut out = Vec::new();
    for mode in Mode::ALL {
        let cascade = Cascade::new(styles, mode);
        for selector in cascade.selectors() {
            if is_page(selector) || selector.contains("::selection") {
                continue;
            }
            if let Some(pair) = pair(&cascade, selector) {
                out.push(pair);
            }
        }
    }
    out
}

fn pair<'a>(cascade: &Cascade<'a>, selector: &str) -> Option<Pair<'a>> {
    let own_fg = cascade.get(selector, "color");
    let own_bg = cascade.get_any(selector, BACKGROUND);
    if own_fg.is_none() && own_bg.is_none() {
        return None;
    }
    let (fg_decl, fg_own) = cascade.inherited(selector, &["color"])?;
    let (bg_decl, bg_own) = cascade.inherited(selector, BACKGROUND)?;
    let (fg_value, mut fg_from) = cascade.value(selector, fg_decl)?;
    let (bg_value, mut bg_from) = cascade.value(selector, bg_decl)?;
    let (bg, bg_alpha) = css::background_color(&bg_value)?;
    if bg_alpha <= 0.01 {
        return None;
    }
    let bg = bg.mix(Rgb([1.0; 3]), 1.0 - bg_alpha);
    let (fg, fg_alpha) = css::color(&fg_value)?;
    let fg = fg.mix(bg, 1.0 - fg_alpha);
    let ratio = fg.contrast(bg);
    let need = if large(cascade, selector) { 3.0 } else { 4.5 };
    if ratio >= need - 0.005 {
        return None;
    }
    fg_from.insert(0, fg_decl);
    bg_from.insert(0, bg_decl);
    Some(Pair {
        mode: cascade.mode,
        selector: selector.to_string(),
        fg,
        bg,
        ratio,
        need,
        direct: fg_own && bg_own,
        fg_from,
        bg_from,
    })
}

/// Large text by WCAG: 24 px, or 18.66 px bold.
fn large(cascade: &Cascade<'_>, selector: &str) -> bool {
    let size = cascade
        .get(selector, "font-size")
        .and_then(|f| cascade.value(selector, f))
        .and_then(|(v, _)| css::px(&v));
    let bold = cascade
        .get(selector, "font-weight")
        .and_then(|f| cascade.value(selector, f))
        .is_some_and(|(v, _)| {
            let v = v.trim();
            v.starts_with("bold") || v.parse::<u32>().is_ok_and(|w| w >= 700)
        });
    size.is_some_and(|s| s >= 24.0 || (bold && s >= 18.66))
}
