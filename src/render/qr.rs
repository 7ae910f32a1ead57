//! The `qr_svg` template function: a QR code of a text (an article's URL, for sharing to
//! WeChat) drawn at build time as inline SVG, so pages load no script and call no service.

use std::fmt::Write as _;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};
use tera::{Kwargs, State, TeraResult, Value};

/// `qr_svg(text=page.permalink, label="…")`: an `<svg role="img">` (safe to print) whose
/// accessible name is `label` (default: 本页二维码). A text too long for any QR code (a URL of
/// thousands of characters) gives no code rather than failing the page: the page is fine
/// without one.
pub fn qr_svg(kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let text = kwargs.must_get::<&str>("text")?;
    let label = kwargs.get::<&str>("label")?.unwrap_or("本页二维码");
    Ok(Value::safe_string(&svg_of(text, label).unwrap_or_default()))
}

/// The modules of the QR code of `text`, row by row, and the width of a row: at error
/// correction level M, or L when M cannot hold the text.
fn modules(text: &str) -> Result<(usize, Vec<Color>), qrcode::types::QrError> {
    modules_at(text, EcLevel::M).or_else(|_| modules_at(text, EcLevel::L))
}

fn modules_at(
    text: &str,
    ec_level: EcLevel,
) -> Result<(usize, Vec<Color>), qrcode::types::QrError> {
    // As `QrCode::new` does, but with one fixed mask: choosing the best of eight by their
    // penalty scores took a third of a 10 000-post build, and any mask reads the same.
    let bits = qrcode::bits::encode_auto(text.as_bytes(), ec_level)?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec_level)?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    Ok((version.width() as usize, canvas.into_colors()))
}

/// The SVG of the QR code of `text`; None when no QR code can hold it.
fn svg_of(text: &str, label: &str) -> Option<String> {
    let (width, dark) = modules(text).ok()?;
    // One path of horizontal runs of dark modules, inside a quiet zone of 4 modules.
    let mut path = String::with_capacity(width * width);
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                // Written in place: a page's code has hundreds of runs.
                let run = x - start;
                let _ = write!(path, "M{} {}h{run}v1h-{run}z", start + 4, y + 4);
            } else {
                x += 1;
            }
        }
    }
    let size = width + 8;
    let pixels = size * 4;
    let label = crate::markdown::escape(label);
    Some(format!(
        "<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{pixels}\" height=\"{pixels}\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
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
    fn the_code_reads_back_as_the_text() {
        let url = "https://www.qingxi.gov.cn/tourism/2024/04/peach-blossom-festival/";
        let (width, dark) = modules(url).unwrap();
        // Draw it at 4 pixels a module with a quiet zone, as a phone camera would see it.
        let size = (width + 8) * 4;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
            let (mx, my) = ((x / 4).wrapping_sub(4), (y / 4).wrapping_sub(4));
            if mx < width && my < width && dark[my * width + mx] == Color::Dark {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, url);
    }

    #[test]
    fn a_text_too_long_for_a_qr_code_gives_none() {
        let long = format!("https://a.example/{}/", "x".repeat(2_000));
        assert!(svg_of(&long, "x").is_some(), "level L holds it");
        assert_eq!(
            svg_of(&format!("https://a.example/{}/", "x".repeat(5_000)), "x"),
            None
        );
    }

    #[test]
    fn different_texts_give_different_codes() {
        assert_ne!(
            svg_of("https://a.example/1/", "x").unwrap(),
            svg_of("https://a.example/2/", "x").unwrap()
        );
    }
}
