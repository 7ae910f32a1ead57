//! The `qr_svg` template function: a QR code of a text (an article's URL, for sharing to
//! WeChat) drawn at build time as inline SVG, so pages load no script and call no service.

use qrcode::QrCode;
use qrcode::render::svg;
use tera::{Error, Kwargs, State, TeraResult, Value};

/// `qr_svg(text=page.permalink, label="…")`: an `<svg role="img">` (safe to print) whose
/// accessible name is `label` (default: 本页二维码).
pub fn qr_svg(kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let text = kwargs.must_get::<&str>("text")?;
    let label = kwargs.get::<&str>("label")?.unwrap_or("本页二维码");
    svg_of(text, label).map(|s| Value::safe_string(&s))
}

fn svg_of(text: &str, label: &str) -> TeraResult<String> {
    let code = QrCode::new(text.as_bytes())
        .map_err(|e| Error::message(format!("qr_svg：无法为 {text} 生成二维码：{e}")))?;
    let image = code
        .render::<svg::Color<'_>>()
        .module_dimensions(4, 4)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    // The renderer writes a standalone file: drop its XML declaration, which HTML does not
    // allow, and name the picture for screen readers.
    let start = image.find("<svg").unwrap_or(0);
    let label = crate::markdown::escape(label);
    Ok(image[start..].replacen(
        "<svg ",
        &format!("<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" "),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_inline_svg_with_a_name() {
        let svg = svg_of("https://www.qingxi.gov.cn/tourism/2024/04/x/", "扫码阅读").unwrap();
        assert!(svg.starts_with("<svg class=\"qr\" role=\"img\" aria-label=\"扫码阅读\" "));
        assert!(!svg.contains("<?xml"));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("<path"), "{svg}");
    }

    #[test]
    fn different_texts_give_different_codes() {
        assert_ne!(
            svg_of("https://a.example/1/", "x").unwrap(),
            svg_of("https://a.example/2/", "x").unwrap()
        );
    }
}
