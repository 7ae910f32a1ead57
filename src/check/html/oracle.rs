//! The page reader zhen had before the byte tokenizer: lol_html with CSS selectors. Kept for
//! the tests only, which read pages with both and require the same result.

use std::cell::RefCell;
use std::ops::Range;

use lol_html::{HtmlRewriter, Settings, doc_text, element, text};

use super::{Element, Found, decode, visit};

struct Lol<'a, 'b, 'c>(&'a lol_html::html_content::Element<'b, 'c>, String);

impl Element for Lol<'_, '_, '_> {
    fn tag(&self) -> &str {
        &self.1
    }

    fn span(&self) -> Range<usize> {
        self.0.source_location().bytes()
    }

    fn attr(&self, name: &str) -> Option<(String, Range<usize>)> {
        let el = self.0;
        if !el.has_attribute(name) {
            return None;
        }
        el.attributes().iter().find(|a| a.name() == name).map(|a| {
            let span = a
                .value_source_location()
                .map_or_else(|| el.source_location().bytes(), |l| l.bytes());
            (decode(&a.value()), span)
        })
    }
}

/// What the rules need of one page's HTML, read by lol_html.
pub(super) fn read(html: &str) -> Found {
    let found = RefCell::new(Found::default());
    {
        let settings = Settings::new()
            .with_strict(false)
            .append_element_content_handler(element!("*", |el| {
                visit(&mut found.borrow_mut(), &Lol(el, el.tag_name()));
                Ok(())
            }))
            .append_element_content_handler(text!("style", |t| {
                found.borrow_mut().styles.push_str(t.as_str());
                Ok(())
            }))
            .append_element_content_handler(element!("main", |_| {
                found.borrow_mut().main_links.get_or_insert_with(Vec::new);
                Ok(())
            }))
            .append_element_content_handler(element!("main a[href]", |el| {
                if let Some(href) = el.get_attribute("href") {
                    let href = decode(&href);
                    found
                        .borrow_mut()
                        .main_links
                        .get_or_insert_with(Vec::new)
                        .push(href);
                }
                Ok(())
            }))
            .append_element_content_handler(text!("script:not([src])", |t| {
                if let Some(s) = found.borrow_mut().scripts.last_mut() {
                    s.code.push_str(t.as_str());
                }
                Ok(())
            }))
            .append_document_content_handler(doc_text!(|t| {
                found.borrow_mut().text.push_str(t.as_str());
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        let _ = rewriter.write(html.as_bytes());
        let _ = rewriter.end();
    }
    found.into_inner()
}
