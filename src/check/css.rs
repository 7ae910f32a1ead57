//! Reads a stylesheet into its style rules — selectors, declarations with their byte ranges,
//! and the `@media` they sit in — and turns CSS values (custom properties, colours, lengths)
//! into numbers, for the rules that judge a site's own styles (A3–A5).

use std::collections::HashMap;
use std::ops::Range;

use cssparser::{
    AtRuleParser, CowRcStr, DeclarationParser, ParseError, Parser, ParserInput, ParserState,
    QualifiedRuleParser, RuleBodyItemParser, RuleBodyParser, StyleSheetParser,
};

/// One style rule.
#[derive(Debug, Clone)]
pub struct StyleRule {
    /// Its selectors, one per comma-separated part, trimmed.
    pub selectors: Vec<String>,
    /// The condition of the `@media` / `@supports` block it is in, if any.
    pub media: Option<String>,
    pub decls: Vec<Decl>,
}

/// One declaration: `name: value [!important]`.
#[derive(Debug, Clone)]
pub struct Decl {
    /// Lower-case property name (custom properties keep their case).
    pub name: String,
    /// The value as written, without `!important`.
    pub value: String,
    pub important: bool,
    /// Where the whole declaration is in the text that was parsed.
    pub span: Range<usize>,
}

/// The style rules of a stylesheet. What cannot be read is skipped, as browsers do.
pub fn parse(text: &str) -> Vec<StyleRule> {
    let mut input = ParserInput::new(text);
    let mut parser = Parser::new(&mut input);
    rules(&mut parser, &None)
}

/// The declarations of a `style="…"` attribute's value.
pub fn parse_inline(text: &str) -> Vec<Decl> {
    let mut input = ParserInput::new(text);
    let mut parser = Parser::new(&mut input);
    declarations(&mut parser)
}

fn rules(parser: &mut Parser<'_, '_>, media: &Option<String>) -> Vec<StyleRule> {
    let mut reader = Rules {
        media: media.clone(),
    };
    StyleSheetParser::new(parser, &mut reader)
        .filter_map(Result::ok)
        .flatten()
        .collect()
}

fn declarations(parser: &mut Parser<'_, '_>) -> Vec<Decl> {
    let mut reader = Declarations;
    RuleBodyParser::new(parser, &mut reader)
        .filter_map(Result::ok)
        .collect()
}

/// Reads rules; an `@media` block gives back the rules inside it.
struct Rules {
    media: Option<String>,
}

impl<'i> QualifiedRuleParser<'i> for Rules {
    type Prelude = String;
    type QualifiedRule = Vec<StyleRule>;
    type Error = ();

    fn parse_prelude<'t>(
        &mut self,
        input: &mut Parser<'i, 't>,
    ) -> Result<String, ParseError<'i, ()>> {
        Ok(rest(input).to_string())
    }

    fn parse_block<'t>(
        &mut self,
        prelude: String,
        _start: &ParserState,
        input: &mut Parser<'i, 't>,
    ) -> Result<Vec<StyleRule>, ParseError<'i, ()>> {
        let selectors = prelude
            .split(',')
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
            .collect();
        Ok(vec![StyleRule {
            selectors,
            media: self.media.clone(),
            decls: declarations(input),
        }])
    }
}

impl<'i> AtRuleParser<'i> for Rules {
    type Prelude = String;
    type AtRule = Vec<StyleRule>;
    type Error = ();

    fn parse_prelude<'t>(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i, 't>,
    ) -> Result<String, ParseError<'i, ()>> {
        let condition = rest(input).trim().to_string();
        // Only the blocks that hold ordinary style rules; @keyframes, @font-face … are skipped.
        if ["media", "supports", "layer", "container"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n))
        {
            Ok(condition)
        } else {
            Err(input.new_custom_error(()))
        }
    }

    fn rule_without_block(&mut self, _: String, _: &ParserState) -> Result<Vec<StyleRule>, ()> {
        Ok(Vec::new())
    }

    fn parse_block<'t>(
        &mut self,
        condition: String,
        _start: &ParserState,
        input: &mut Parser<'i, 't>,
    ) -> Result<Vec<StyleRule>, ParseError<'i, ()>> {
        let media = match &self.media {
            Some(outer) if !condition.is_empty() => Some(format!("{outer} and {condition}")),
            Some(outer) => Some(outer.clone()),
            None => (!condition.is_empty()).then_some(condition),
        };
        Ok(rules(input, &media))
    }
}

/// Reads the declarations of a rule body (nested rules are skipped).
struct Declarations;

impl<'i> DeclarationParser<'i> for Declarations {
    type Declaration = Decl;
    type Error = ();

    fn parse_value<'t>(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i, 't>,
        start: &ParserState,
    ) -> Result<Decl, ParseError<'i, ()>> {
        let written = without_comments(rest(input));
        let (value, important) = split_important(written.trim());
        let name = if name.starts_with("--") {
            name.to_string()
        } else {
            name.to_ascii_lowercase()
        };
        Ok(Decl {
            name,
            value: value.to_string(),
            important,
            span: start.position().byte_index()..input.position().byte_index(),
        })
    }
}

impl<'i> AtRuleParser<'i> for Declarations {
    type Prelude = ();
    type AtRule = Decl;
    type Error = ();
}

impl<'i> QualifiedRuleParser<'i> for Declarations {
    type Prelude = ();
    type QualifiedRule = Decl;
    type Error = ();
}

impl<'i> RuleBodyItemParser<'i, Decl, ()> for Declarations {
    fn parse_declarations(&self) -> bool {
        true
    }
    fn parse_qualified(&self) -> bool {
        false
    }
}

/// Everything left in `input`, as written.
fn rest<'i>(input: &mut Parser<'i, '_>) -> &'i str {
    let start = input.position();
    while input.next_including_whitespace_and_comments().is_ok() {}
    input.slice_from(start)
}

/// `text` with its `/* comments */` taken out.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// `value !important` → (`value`, true).
fn split_important(written: &str) -> (&str, bool) {
    if let Some(bang) = written.rfind('!')
        && written[bang + 1..].trim().eq_ignore_ascii_case("important")
    {
        return (written[..bang].trim_end(), true);
    }
    (written, false)
}

/// Replaces `var(--x, fallback)` by the value of `--x` in `vars` (or the fallback), nested up
/// to a few levels; None when a variable has no value and no fallback. Each variable used is
/// passed to `used`.
pub fn resolve<'v>(
    value: &str,
    vars: &HashMap<String, &'v str>,
    used: &mut dyn FnMut(&str),
) -> Option<String> {
    let mut value = value.to_string();
    for _ in 0..8 {
        let Some(start) = value.find("var(") else {
            return Some(value);
        };
        let inner_start = start + 4;
        let mut depth = 1;
        let mut end = None;
        for (i, c) in value[inner_start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(inner_start + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let end = end?;
        let inner = &value[inner_start..end];
        let (name, fallback) = match inner.split_once(',') {
            Some((n, f)) => (n.trim(), Some(f.trim())),
            None => (inner.trim(), None),
        };
        let replacement = match vars.get(name) {
            Some(v) => {
                used(name);
                v.to_string()
            }
            None => fallback?.to_string(),
        };
        value.replace_range(start..=end, &replacement);
    }
    None
}

/// An opaque colour as linear-light relative luminance inputs: sRGB 0–1 channels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub [f32; 3]);

impl Rgb {
    /// WCAG 2 relative luminance.
    pub fn luminance(self) -> f32 {
        let lin = |c: f32| {
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0.map(lin);
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    /// WCAG 2 contrast ratio with `other` (1 to 21).
    pub fn contrast(self, other: Rgb) -> f32 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0.map(|c| (c.clamp(0.0, 1.0) * 255.0).round() as u8);
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// This colour mixed with `other` by `t` (0: self, 1: other).
    pub fn mix(self, other: Rgb, t: f32) -> Rgb {
        let mut out = self.0;
        for (o, c) in out.iter_mut().zip(other.0) {
            *o += (c - *o) * t;
        }
        Rgb(out)
    }
}

/// A colour value (`#333`, `rgb(…)`, `white` …) with its alpha; None for keywords that are not
/// colours (`inherit`, `currentColor`, `transparent`) and what cannot be read.
pub fn color(value: &str) -> Option<(Rgb, f32)> {
    let value = value.trim();
    if [
        "inherit",
        "initial",
        "unset",
        "currentcolor",
        "transparent",
        "revert",
    ]
    .iter()
    .any(|k| value.eq_ignore_ascii_case(k))
    {
        return None;
    }
    let c = csscolorparser::parse(value).ok()?;
    Some((Rgb([c.r, c.g, c.b]), c.a))
}

/// The colour of a `background` shorthand: its colour part, when it has no image or gradient.
pub fn background_color(value: &str) -> Option<(Rgb, f32)> {
    let lower = value.to_ascii_lowercase();
    if lower.contains("url(") || lower.contains("gradient(") || lower.contains("image-set(") {
        return None;
    }
    color(value).or_else(|| words(value).into_iter().find_map(color))
}

/// The space-separated parts of a value, keeping `rgb(1 2 3)` in one piece.
fn words(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if c.is_whitespace() && depth == 0 => {
                if start < i {
                    out.push(&value[start..i]);
                }
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if start < value.len() {
        out.push(&value[start..]);
    }
    out
}

/// A length in CSS pixels, taking `rem`/`em`/`%` against a 16 px root (what browsers use
/// unless the reader changed it); None for what depends on the layout (`vw`, `calc()` …).
pub fn px(value: &str) -> Option<f32> {
    let v = value.trim().to_ascii_lowercase();
    let keyword = match v.as_str() {
        "xx-small" => Some(9.0),
        "x-small" => Some(10.0),
        "small" => Some(13.0),
        "medium" => Some(16.0),
        "large" => Some(18.0),
        "x-large" => Some(24.0),
        "xx-large" => Some(32.0),
        "0" => Some(0.0),
        _ => None,
    };
    if keyword.is_some() {
        return keyword;
    }
    let (number, factor) = [
        ("rem", 16.0),
        ("em", 16.0),
        ("px", 1.0),
        ("pt", 4.0 / 3.0),
        ("%", 0.16),
    ]
    .iter()
    .find_map(|(unit, f)| v.strip_suffix(unit).map(|n| (n, *f)))?;
    number
        .trim()
        .parse::<f32>()
        .ok()
        .filter(|n| n.is_finite())
        .map(|n| n * factor)
}

/// Whether a `font-size` value is written in absolute units (`px`, `pt`), which do not follow
/// the reader's text-size setting.
pub fn is_absolute(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    v.ends_with("px") || v.ends_with("pt")
}

/// A `line-height` as a multiple of the font size `font_px`.
pub fn leading(value: &str, font_px: f32) -> Option<f32> {
    let v = value.trim();
    if let Ok(n) = v.parse::<f32>() {
        return Some(n);
    }
    if let Some(p) = v.strip_suffix('%') {
        return p.trim().parse::<f32>().ok().map(|p| p / 100.0);
    }
    if let Some(e) = v.strip_suffix("em").filter(|e| !e.ends_with('r')) {
        return e.trim().parse::<f32>().ok();
    }
    px(v).map(|p| p / font_px)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_media_and_important() {
        let css = ":root { --brand: #b5121b; }\n@media (max-width: 30em) { .a, .b  .c { color: red !important; } }\n@keyframes x { from { color: red } }\n.d{background:var(--brand)}";
        let rules = parse(css);
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0].decls[0].name, "--brand");
        assert_eq!(rules[0].decls[0].value, "#b5121b");
        assert_eq!(rules[1].selectors, vec![".a", ".b .c"]);
        assert_eq!(rules[1].media.as_deref(), Some("(max-width: 30em)"));
        assert!(rules[1].decls[0].important);
        assert_eq!(rules[1].decls[0].value, "red");
        let d = &rules[2].decls[0];
        assert_eq!(&css[d.span.clone()], "background:var(--brand)");
    }

    #[test]
    fn resolves_variables_with_fallbacks() {
        let vars = HashMap::from([("--a".to_string(), "var(--b)"), ("--b".to_string(), "#fff")]);
        let mut used = Vec::new();
        let v = resolve("1px solid var(--a)", &vars, &mut |n| {
            used.push(n.to_string())
        });
        assert_eq!(v.as_deref(), Some("1px solid #fff"));
        assert_eq!(used, ["--a", "--b"]);
        assert_eq!(
            resolve("var(--none, #000)", &vars, &mut |_| {}).as_deref(),
            Some("#000")
        );
        assert_eq!(resolve("var(--none)", &vars, &mut |_| {}), None);
    }

    #[test]
    fn contrast_matches_wcag() {
        let black = color("#000").unwrap().0;
        let white = color("white").unwrap().0;
        assert!((black.contrast(white) - 21.0).abs() < 0.01);
        let grey = color("#767676").unwrap().0;
        assert!((grey.contrast(white) - 4.54).abs() < 0.02);
        assert_eq!(background_color("#fff url(a.png)"), None);
        assert_eq!(
            background_color("rgb(0 0 0) no-repeat").map(|c| c.0.hex()),
            Some("#000000".into())
        );
    }

    #[test]
    fn lengths() {
        assert_eq!(px("1.25rem"), Some(20.0));
        assert_eq!(px("14px"), Some(14.0));
        assert_eq!(px("clamp(1rem, 2vw, 2rem)"), None);
        assert_eq!(leading("1.5", 16.0), Some(1.5));
        assert_eq!(leading("24px", 16.0), Some(1.5));
        assert!(is_absolute("12px") && !is_absolute("1rem"));
    }
}
