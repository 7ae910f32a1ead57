//! A byte-level HTML tokenizer for the check stage: start tags (name lowercased, attributes
//! with the byte ranges of their values), end tags and text, found by jumping from `<` to `<`
//! with memchr. It follows the HTML tokenizer where a rendered page can differ: comments,
//! doctypes and bogus comments are skipped; the text of `<script>`, `<style>`, `<title>`,
//! `<textarea>` and the other raw-text elements holds no tags; `<svg>` and `<math>` switch to
//! foreign content (CDATA sections, no raw text) the way lol_html's tree-builder simulation
//! does, so that pages read the same as with lol_html, only faster.

use std::ops::Range;

/// One attribute of a start tag, as byte ranges into the page.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: Range<usize>,
    /// The value without its quotes; None when the attribute has no `=value`.
    pub value: Option<Range<usize>>,
}

/// A start tag.
#[derive(Debug)]
pub struct StartTag {
    /// Lowercased.
    pub name: String,
    /// From `<` to `>` inclusive.
    pub span: Range<usize>,
    pub attrs: Vec<Attr>,
    pub self_closing: bool,
}

/// What the tokenizer found next.
#[derive(Debug)]
pub enum Token {
    Start(StartTag),
    /// An end tag's lowercased name.
    End(String),
    /// Text (raw: entities not decoded).
    Text(Range<usize>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    MathMl,
}

/// How the text after a start tag is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextType {
    Data,
    /// `<title>`, `<textarea>`: text up to the end tag.
    RcData,
    /// `<style>`, `<iframe>`, `<xmp>`, `<noembed>`, `<noframes>`, `<noscript>`.
    RawText,
    /// `<script>`: text up to `</script>`, with HTML comments' escapes.
    Script,
    /// `<plaintext>`: the rest of the page is text.
    PlainText,
}

/// Reads `html` token by token.
pub struct Tokenizer<'a> {
    html: &'a [u8],
    pos: usize,
    text_type: TextType,
    /// The tag whose end tag ends raw text.
    raw_end: String,
    ns_stack: Vec<Ns>,
    /// A token found while reading text, returned after the text.
    pending: Option<Token>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

impl<'a> Tokenizer<'a> {
    pub fn new(html: &'a str) -> Self {
        Tokenizer {
            html: html.as_bytes(),
            pos: 0,
            text_type: TextType::Data,
            raw_end: String::new(),
            ns_stack: vec![Ns::Html],
            pending: None,
        }
    }

    /// Whether the last start tag left the tokenizer in SVG or MathML content.
    pub fn in_foreign(&self) -> bool {
        self.ns() != Ns::Html
    }

    fn ns(&self) -> Ns {
        *self.ns_stack.last().unwrap_or(&Ns::Html)
    }

    fn enter(&mut self, ns: Ns) {
        self.ns_stack.push(ns);
    }

    fn leave(&mut self) {
        if self.ns_stack.len() > 1 {
            self.ns_stack.pop();
        }
    }

    /// The namespace and text-type changes a start tag makes (lol_html's tree-builder
    /// simulator).
    fn after_start(&mut self, tag: &StartTag) {
        let name = tag.name.as_str();
        match name {
            "svg" => return self.enter(Ns::Svg),
            "math" => return self.enter(Ns::MathMl),
            _ => {}
        }
        match self.ns() {
            Ns::Html => {
                self.text_type = match name {
                    "textarea" | "title" => TextType::RcData,
                    "plaintext" => TextType::PlainText,
                    "script" => TextType::Script,
                    "style" | "iframe" | "xmp" | "noembed" | "noframes" | "noscript" => {
                        TextType::RawText
                    }
                    _ => return,
                };
                self.raw_end = tag.name.clone();
            }
            ns => {
                if exits_foreign_content(name) {
                    return self.leave();
                }
                let integration = match ns {
                    Ns::Svg => matches!(name, "desc" | "title" | "foreignobject"),
                    _ => matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext"),
                };
                if integration {
                    if !tag.self_closing {
                        self.enter(Ns::Html);
                    }
                    return;
                }
                if name == "font" {
                    let leaves = tag.attrs.iter().any(|a| {
                        let n = &self.html[a.name.clone()];
                        [&b"color"[..], b"size", b"face"]
                            .iter()
                            .any(|x| n.eq_ignore_ascii_case(x))
                    });
                    if leaves {
                        self.leave();
                    }
                    return;
                }
                if ns == Ns::MathMl && name == "annotation-xml" && !tag.self_closing {
                    let html = tag.attrs.iter().any(|a| {
                        self.html[a.name.clone()].eq_ignore_ascii_case(b"encoding")
                            && a.value.as_ref().is_some_and(|v| {
                                let v = &self.html[v.clone()];
                                v.eq_ignore_ascii_case(b"text/html")
                                    || v.eq_ignore_ascii_case(b"application/xhtml+xml")
                            })
                    });
                    if html {
                        self.enter(Ns::Html);
                    }
                }
            }
        }
    }

    /// The namespace change an end tag makes.
    fn after_end(&mut self, name: &str) {
        match self.ns() {
            Ns::Html => {
                let n = self.ns_stack.len();
                if n < 2 {
                    return;
                }
                let exits = match self.ns_stack[n - 2] {
                    Ns::MathMl => {
                        matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml")
                    }
                    Ns::Svg => matches!(name, "desc" | "title" | "foreignobject"),
                    Ns::Html => false,
                };
                if exits {
                    self.leave();
                }
            }
            ns => {
                if (ns == Ns::Svg && name == "svg")
                    || (ns == Ns::MathMl && name == "math")
                    || name == "p"
                    || name == "br"
                {
                    self.leave();
                }
            }
        }
    }

    /// Reads a tag whose `<` is at `start` (the name's first byte at `start + 1`, or `+ 2`
    /// for an end tag). None at the end of the page inside the tag (dropped, as browsers do).
    fn tag(&mut self, start: usize, end_tag: bool) -> Option<(Token, usize)> {
        let h = self.html;
        let mut i = start + if end_tag { 2 } else { 1 };
        let name_start = i;
        while i < h.len() && !is_space(h[i]) && h[i] != b'/' && h[i] != b'>' {
            i += 1;
        }
        let name = String::from_utf8_lossy(&h[name_start..i]).to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut self_closing = false;
        loop {
            // Before an attribute name.
            while i < h.len() && is_space(h[i]) {
                i += 1;
            }
            match h.get(i)? {
                b'>' => {
                    i += 1;
                    break;
                }
                b'/' => {
                    i += 1;
                    if h.get(i) == Some(&b'>') {
                        self_closing = true;
                        i += 1;
                        break;
                    }
                    continue;
                }
                _ => {}
            }
            let name_start = i;
            // A name may begin with `=`.
            i += 1;
            while i < h.len() && !is_space(h[i]) && !matches!(h[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let attr_name = name_start..i;
            while i < h.len() && is_space(h[i]) {
                i += 1;
            }
            if h.get(i) != Some(&b'=') {
                attrs.push(Attr {
                    name: attr_name,
                    value: None,
                });
                continue;
            }
            i += 1;
            while i < h.len() && is_space(h[i]) {
                i += 1;
            }
            let value = match *h.get(i)? {
                q @ (b'"' | b'\'') => {
                    let from = i + 1;
                    let to = from + memchr::memchr(q, &h[from..])?;
                    i = to + 1;
                    from..to
                }
                b'>' => i..i,
                _ => {
                    let from = i;
                    while i < h.len() && !is_space(h[i]) && h[i] != b'>' {
                        i += 1;
                    }
                    from..i
                }
            };
            attrs.push(Attr {
                name: attr_name,
                value: Some(value),
            });
        }
        let token = if end_tag {
            Token::End(name)
        } else {
            Token::Start(StartTag {
                name,
                span: start..i,
                attrs,
                self_closing,
            })
        };
        Some((token, i))
    }

    /// The end of a comment starting at `start` (`<!--`).
    fn comment_end(&self, start: usize) -> usize {
        let h = self.html;
        let body = start + 4;
        if h[body..].starts_with(b">") {
            return body + 1;
        }
        if h[body..].starts_with(b"->") {
            return body + 2;
        }
        let mut i = body;
        while let Some(k) = memchr::memchr(b'-', &h[i..]) {
            let at = i + k;
            let rest = &h[at..];
            if rest.starts_with(b"-->") {
                return at + 3;
            }
            if rest.starts_with(b"--!>") {
                return at + 4;
            }
            i = at + 1;
        }
        h.len()
    }

    /// Where text of the current raw-text element ends: the `<` of its end tag (or the end
    /// of the page).
    fn raw_text_end(&self, from: usize) -> usize {
        let h = self.html;
        let name = self.raw_end.as_bytes();
        let mut i = from;
        let mut escape = 0u8; // script: 0 plain, 1 escaped (`<!--`), 2 double escaped
        loop {
            let found = if self.text_type == TextType::Script {
                memchr::memchr2(b'<', b'-', &h[i..])
            } else {
                memchr::memchr(b'<', &h[i..])
            };
            let Some(k) = found else {
                return h.len();
            };
            let at = i + k;
            let rest = &h[at..];
            if rest[0] == b'-' {
                if escape > 0 && rest.starts_with(b"-->") {
                    escape = 0;
                    i = at + 3;
                } else {
                    i = at + 1;
                }
                continue;
            }
            let names_tag = |off: usize| {
                rest.len() > off + name.len()
                    && rest[off..off + name.len()].eq_ignore_ascii_case(name)
                    && matches!(
                        rest[off + name.len()],
                        b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' | b'/' | b'>'
                    )
            };
            if rest.starts_with(b"</") && names_tag(2) {
                if escape == 2 {
                    escape = 1;
                    i = at + 2;
                    continue;
                }
                return at;
            }
            if self.text_type == TextType::Script {
                if escape == 0 && rest.starts_with(b"<!--") {
                    escape = 1;
                    // `<!-->` and `<!--->` end the escape at once.
                    if rest[4..].starts_with(b">") {
                        escape = 0;
                        i = at + 5;
                    } else if rest[4..].starts_with(b"->") {
                        escape = 0;
                        i = at + 6;
                    } else {
                        i = at + 4;
                    }
                    continue;
                }
                if escape == 1 && rest.starts_with(b"<") && names_tag(1) {
                    escape = 2;
                    i = at + 1;
                    continue;
                }
            }
            i = at + 1;
        }
    }

    /// Skips a markup declaration at `start` (`<!`): the position after it, and the text
    /// of a CDATA section (foreign content only).
    fn declaration(&self, start: usize) -> (usize, Option<Range<usize>>) {
        let h = self.html;
        let rest = &h[start + 2..];
        if rest.starts_with(b"--") {
            return (self.comment_end(start), None);
        }
        if self.ns() != Ns::Html && rest.starts_with(b"[CDATA[") {
            let from = start + 9;
            return match memchr::memmem::find(&h[from..], b"]]>") {
                Some(k) => (from + k + 3, Some(from..from + k)),
                None => (h.len(), Some(from..h.len())),
            };
        }
        (Self::to_gt(h, start + 2), None)
    }

    /// The position after the next `>` from `i` (or the end).
    fn to_gt(h: &[u8], i: usize) -> usize {
        memchr::memchr(b'>', &h[i..]).map_or(h.len(), |k| i + k + 1)
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if let Some(t) = self.pending.take() {
            return Some(t);
        }
        let h = self.html;
        let text_start = self.pos;
        match self.text_type {
            TextType::Data => {}
            TextType::PlainText => {
                self.pos = h.len();
                return (text_start < h.len()).then_some(Token::Text(text_start..h.len()));
            }
            _ => {
                let end = self.raw_text_end(text_start);
                self.text_type = TextType::Data;
                self.pos = end;
                if end > text_start {
                    return Some(Token::Text(text_start..end));
                }
                return self.next();
            }
        }
        let mut i = self.pos;
        loop {
            let Some(k) = memchr::memchr(b'<', &h[i..]) else {
                self.pos = h.len();
                return (text_start < h.len()).then_some(Token::Text(text_start..h.len()));
            };
            let at = i + k;
            let next = h.get(at + 1).copied();
            let (token, after): (Option<Token>, usize) = match next {
                Some(b) if b.is_ascii_alphabetic() => match self.tag(at, false) {
                    Some((t, after)) => (Some(t), after),
                    None => (None, h.len()),
                },
                Some(b'/') => match h.get(at + 2).copied() {
                    Some(b) if b.is_ascii_alphabetic() => match self.tag(at, true) {
                        Some((t, after)) => (Some(t), after),
                        None => (None, h.len()),
                    },
                    Some(b'>') => (None, at + 3),
                    None => {
                        i = at + 2;
                        continue;
                    }
                    _ => (None, Self::to_gt(h, at + 2)),
                },
                Some(b'!') => {
                    let (after, cdata) = self.declaration(at);
                    (cdata.map(Token::Text), after)
                }
                Some(b'?') => (None, Self::to_gt(h, at + 1)),
                _ => {
                    i = at + 1;
                    continue;
                }
            };
            // A tag or declaration ends the text before it.
            if at == text_start {
                self.pos = after;
                match token {
                    Some(t) => return Some(self.seen(t)),
                    None => {
                        if after >= h.len() {
                            return None;
                        }
                        return self.next();
                    }
                }
            }
            self.pos = after;
            self.pending = token.map(|t| self.seen(t));
            return Some(Token::Text(text_start..at));
        }
    }
}

impl Tokenizer<'_> {
    /// Applies a tag's effect on how what follows is read.
    fn seen(&mut self, token: Token) -> Token {
        match &token {
            Token::Start(tag) => self.after_start(tag),
            Token::End(name) => self.after_end(name),
            Token::Text(_) => {}
        }
        token
    }
}

/// Start tags that end foreign content (HTML's "breakout" elements).
fn exits_foreign_content(name: &str) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    )
}
