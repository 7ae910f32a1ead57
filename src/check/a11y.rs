//! A1 and A2, accessibility on the rendered pages: every image has a text alternative (unless
//! marked decorative), and every page says its language on `<html lang>`.

use super::{Audit, Finding, Rule};
use crate::diagnostics::{Diagnostic, Location};

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for doc in audit.docs() {
        for img in &doc.images {
            if img.decorative || img.alt.as_deref().is_some_and(|a| !a.trim().is_empty()) {
                continue;
            }
            let (file, location) = audit.locate(doc, &img.src, img.span.clone());
            let mut d = Diagnostic::error(format!("图片 {} 没有替代文字（alt）", img.src))
                .at(location)
                .help("读屏软件靠替代文字告诉视障读者图片的内容：Markdown 写成 ![图片说明](photo.jpg)，模板里写 alt=\"…\"；纯装饰的图片加 role=\"presentation\"");
            if let Some(file) = file {
                d = d.in_file(file);
            }
            out.push(Finding::new(Rule::A1, d, img.src.clone()).on_page(&doc.url));
        }
        if doc.lang.is_none() {
            let head = doc
                .html()
                .find("<html")
                .map_or(0..0, |i| i..i + "<html".len());
            out.push(
                Finding::new(
                    Rule::A2,
                    Diagnostic::warning("页面的 <html> 没有写 lang 语言属性")
                        .at(Location::in_source(doc.html(), head))
                        .help("模板里写 <html lang=\"{{ lang }}\">，语言来自 site.toml 的 language（默认 zh-CN）"),
                    "<html>",
                )
                .on_page(&doc.url),
            );
        }
    }
    out
}
