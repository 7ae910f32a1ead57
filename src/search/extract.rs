//! Reads what search needs from a rendered page, as the theme marks it with Pagefind's
//! attributes (kept so that themes need no change): the text of the `data-pagefind-body`
//! elements (else of `<body>`) less `data-pagefind-ignore` ones, `data-pagefind-weight` on
//! text that counts more (the title), and `data-pagefind-meta`, `-filter` and `-sort` values.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, doc_text, element};

/// The attribute that marks what search indexes of a page. Once one page has it, pages
/// without it are left out.
pub const BODY_MARK: &str = "data-pagefind-body";

/// Text weighted at least this much is the page's title field.
pub const TITLE_WEIGHT: u32 = 5;

/// A piece of a page's indexed text.
pub struct Piece {
    pub text: String,
    pub weight: u32,
}

/// What search knows of a page.
#[derive(Default)]
pub struct Page {
    /// Whether the page marks its body.
    pub marked: bool,
    pub pieces: Vec<Piece>,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
}

/// Elements whose start and end break a run of text (no bigram spans them).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "tr",
    "br",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "figcaption",
    "table",
    "hr",
    "main",
    "title",
];
/// Elements whose text is never indexed.
const SKIPPED: &[&str] = &["script", "style", "template", "noscript", "head", "svg"];

enum Capture {
    Meta(String),
    Filter(String),
}

#[derive(Default)]
struct State {
    page: Page,
    /// Text pieces with whether they lie in a marked body.
    pieces: Vec<(Piece, bool)>,
    in_body: u32,
    in_mark: u32,
    ignored: u32,
    weights: Vec<u32>,
    captures: Vec<(Capture, String)>,
    first_h1: Option<String>,
    in_h1: bool,
    broken: bool,
}

impl State {
    fn push(&mut self, text: &str) {
        for (_, captured) in &mut self.captures {
            captured.push_str(text);
        }
        if self.in_h1
            && let Some(h1) = &mut self.first_h1
        {
            h1.push_str(text);
        }
        if self.ignored > 0 || self.in_body == 0 {
            return;
        }
        let weight = self.weights.last().copied().unwrap_or(1);
        let marked = self.in_mark > 0;
        match self.pieces.last_mut() {
            Some((p, m)) if !self.broken && p.weight == weight && *m == marked => {
                p.text.push_str(text)
            }
            _ => self.pieces.push((
                Piece {
                    text: text.to_string(),
                    weight,
                },
                marked,
            )),
        }
        self.broken = false;
    }
}

/// Splits `key:value, key2` into its entries.
fn entries(attr: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    attr.split(',').filter_map(|e| {
        let e = e.trim();
        if e.is_empty() {
            return None;
        }
        Some(match e.split_once(':') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (e, None),
        })
    })
}

fn open(state: &Rc<RefCell<State>>, el: &mut Element) {
    let name = el.tag_name();
    let mut s = state.borrow_mut();
    let mut undo: Vec<fn(&mut State)> = Vec::new();
    if BLOCKS.contains(&name.as_str()) {
        s.broken = true;
    }
    if name == "body" {
        s.in_body += 1;
        undo.push(|s| s.in_body -= 1);
    }
    if SKIPPED.contains(&name.as_str())
        || el.has_attribute("data-pagefind-ignore")
        || el.has_attribute("hidden") && !el.has_attribute("data-pagefind-weight")
    {
        s.ignored += 1;
        undo.push(|s| s.ignored -= 1);
    }
    if el.has_attribute(BODY_MARK) {
        s.page.marked = true;
        s.in_mark += 1;
        undo.push(|s| s.in_mark -= 1);
    }
    if let Some(w) = el.get_attribute("data-pagefind-weight") {
        let w = w
            .trim()
            .parse::<f64>()
            .map_or(1, |w| w.round().clamp(1.0, 100.0) as u32);
        s.weights.push(w);
        undo.push(|s| {
            s.weights.pop();
        });
    }
    if name == "h1" && s.first_h1.is_none() {
        s.first_h1 = Some(String::new());
        s.in_h1 = true;
        undo.push(|s| s.in_h1 = false);
    }
    let mut captures = 0;
    for (attr, meta) in [
        ("data-pagefind-meta", true),
        ("data-pagefind-filter", false),
    ] {
        let Some(value) = el.get_attribute(attr) else {
            continue;
        };
        for (key, literal) in entries(&value) {
            match (literal, meta) {
                (Some(v), true) => {
                    s.page.meta.insert(key.to_string(), v.to_string());
                }
                (Some(v), false) => s
                    .page
                    .filters
                    .entry(key.to_string())
                    .or_default()
                    .push(v.to_string()),
                (None, true) => {
                    s.captures
                        .push((Capture::Meta(key.to_string()), String::new()));
                    captures += 1;
                }
                (None, false) => {
                    s.captures
                        .push((Capture::Filter(key.to_string()), String::new()));
                    captures += 1;
                }
            }
        }
    }
    if let Some(value) = el.get_attribute("data-pagefind-sort") {
        for (key, v) in entries(&value) {
            if let Some(v) = v {
                s.page.sort.insert(key.to_string(), v.to_string());
            }
        }
    }
    let block = BLOCKS.contains(&name.as_str());
    drop(s);
    if undo.is_empty() && captures == 0 && !block {
        return;
    }
    if !el.can_have_content() || el.is_self_closing() {
        let mut s = state.borrow_mut();
        for f in undo {
            f(&mut s);
        }
        for _ in 0..captures {
            s.captures.pop();
        }
        return;
    }
    let state = Rc::clone(state);
    if let Some(handlers) = el.end_tag_handlers() {
        handlers.push(Box::new(move |_| {
            let mut s = state.borrow_mut();
            for f in undo {
                f(&mut s);
            }
            for _ in 0..captures {
                if let Some((capture, text)) = s.captures.pop() {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    match capture {
                        Capture::Meta(k) => {
                            s.page.meta.insert(k, text);
                        }
                        Capture::Filter(k) => s.page.filters.entry(k).or_default().push(text),
                    }
                }
            }
            if block {
                s.broken = true;
            }
            Ok(())
        }));
    }
}

/// What search knows of the page `html`.
pub fn page(html: &[u8]) -> Page {
    let state = Rc::new(RefCell::new(State::default()));
    {
        let on_element = Rc::clone(&state);
        let on_text = Rc::clone(&state);
        let settings = Settings::new()
            .with_strict(false)
            .append_element_content_handler(element!("*", move |el| {
                open(&on_element, el);
                Ok(())
            }))
            .append_document_content_handler(doc_text!(move |t| {
                let text = html_escape::decode_html_entities(t.as_str());
                on_text.borrow_mut().push(&text);
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // lol_html fails only on limits zhen does not set; what was read so far is kept.
        if rewriter.write(html).is_ok() {
            let _ = rewriter.end();
        }
    }
    let mut s = std::mem::take(&mut *state.borrow_mut());
    let marked = s.page.marked;
    s.page.pieces = s
        .pieces
        .into_iter()
        .filter(|(p, m)| (*m || !marked) && p.text.chars().any(|c| !c.is_whitespace()))
        .map(|(p, _)| p)
        .collect();
    if !s.page.meta.contains_key("title")
        && let Some(h1) = s.first_h1
    {
        s.page.meta.insert(
            "title".into(),
            h1.split_whitespace().collect::<Vec<_>>().join(" "),
        );
    }
    s.page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_marked_body_weights_meta_filters_and_sort_keys() {
        let p = page(
            r#"<html><head><title>x</title></head><body><nav>菜单</nav>
            <nav data-pagefind-filter="category:乡村旅游"></nav>
            <article data-pagefind-body><h1 data-pagefind-meta="title" data-pagefind-weight="10">古桥&amp;老街</h1>
            <p data-pagefind-ignore>发布时间：<time data-pagefind-meta="date:2024-04-16" data-pagefind-sort="date:202404161000" data-pagefind-filter="year:2024">x</time></p>
            <p>沿河<strong>步道</strong>全长</p><p>三公里</p><script>var x = "脚本";</script></article></body></html>"#
                .as_bytes(),
        );
        assert!(p.marked);
        let texts: Vec<(&str, u32)> = p
            .pieces
            .iter()
            .map(|p| (p.text.as_str(), p.weight))
            .collect();
        assert_eq!(
            texts,
            [("古桥&老街", 10), ("沿河步道全长", 1), ("三公里", 1)]
        );
        assert_eq!(p.meta["title"], "古桥&老街");
        assert_eq!(p.meta["date"], "2024-04-16");
        assert_eq!(p.filters["category"], ["乡村旅游"]);
        assert_eq!(p.filters["year"], ["2024"]);
        assert_eq!(p.sort["date"], "202404161000");
    }

    #[test]
    fn an_unmarked_page_is_indexed_from_its_body() {
        let p = page(b"<html><body><h1>\xe6\xa0\x87\xe9\xa2\x98</h1><p>text</p></body></html>");
        assert!(!p.marked);
        assert_eq!(p.meta["title"], "标题");
        assert_eq!(p.pieces.len(), 2);
    }
}
