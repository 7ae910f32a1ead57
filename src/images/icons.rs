//! The site's icons from its logo (`[identity] logo`, else the theme's default): `favicon.ico`
//! (32 px), `apple-touch-icon.png` (180 px) and `share.png`, the 1200×630 card social networks
//! and WeChat show for pages without a cover. Made once per logo and kept in the image cache.

use std::path::Path;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::ico::IcoEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageEncoder, RgbaImage};

use crate::diagnostics::Diagnostic;

/// The default logo: the theme's emblem.
const DEFAULT_LOGO: &[u8] = include_bytes!("../../themes/township/logo.png");

/// Site path of the default share image.
pub const SHARE_PATH: &str = "/share.png";

/// The icon files (site path without the leading slash, cache file name).
pub fn make(logo: Option<&Path>, cache_dir: &Path) -> Result<Vec<(String, String)>, Diagnostic> {
    let bytes = match logo {
        Some(file) => std::fs::read(file).map_err(|e| {
            Diagnostic::error(format!("读不到网站标志 {}：{e}", file.display()))
                .help("[identity] logo 写标志图片相对网站根目录的路径，例如 logo = \"static/images/logo.png\"")
        })?,
        None => DEFAULT_LOGO.to_vec(),
    };
    std::fs::create_dir_all(cache_dir).map_err(|e| {
        Diagnostic::error(format!("无法创建图片缓存目录 {}：{e}", cache_dir.display()))
    })?;
    let key = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
    let files = [
        ("favicon.ico", format!("icon-{key}-favicon.ico")),
        ("apple-touch-icon.png", format!("icon-{key}-touch.png")),
        ("share.png", format!("icon-{key}-share.png")),
    ];
    if files.iter().all(|(_, f)| cache_dir.join(f).is_file()) {
        return Ok(files.map(|(p, f)| (p.to_string(), f)).to_vec());
    }
    let fail = |e: String| {
        let d = Diagnostic::error(format!("网站标志无法作为图片读取：{e}"))
            .help("标志请用 PNG 或 JPG 图片（正方形、至少 180 像素宽最好）");
        match logo {
            Some(f) => d.in_file(f),
            None => d,
        }
    };
    let logo = image::load_from_memory(&bytes)
        .map_err(|e| fail(e.to_string()))?
        .into_rgba8();
    let favicon = square(&logo, 32).map_err(fail)?;
    let mut ico = Vec::new();
    IcoEncoder::new(&mut ico)
        .write_image(favicon.as_raw(), 32, 32, image::ExtendedColorType::Rgba8)
        .map_err(|e| fail(e.to_string()))?;
    let touch = png(&square(&logo, 180).map_err(fail)?).map_err(fail)?;
    let share = png(&card(&logo).map_err(fail)?).map_err(fail)?;
    for ((_, name), bytes) in files.iter().zip([ico, touch, share]) {
        std::fs::write(cache_dir.join(name), bytes)
            .map_err(|e| fail(format!("写入缓存失败：{e}")))?;
    }
    Ok(files.map(|(p, f)| (p.to_string(), f)).to_vec())
}

/// `logo` fitted into a `size`×`size` transparent square, centred.
fn square(logo: &RgbaImage, size: u32) -> Result<RgbaImage, String> {
    let mut out = RgbaImage::new(size, size);
    let fitted = fit(logo, size, size)?;
    let (x, y) = ((size - fitted.width()) / 2, (size - fitted.height()) / 2);
    image::imageops::overlay(&mut out, &fitted, x as i64, y as i64);
    Ok(out)
}

/// The 1200×630 share card: the logo at half the height, centred on white.
fn card(logo: &RgbaImage) -> Result<RgbaImage, String> {
    let (w, h) = (1200, 630);
    let mut out = RgbaImage::from_pixel(w, h, image::Rgba([255, 255, 255, 255]));
    let fitted = fit(logo, w / 2, h / 2)?;
    let (x, y) = ((w - fitted.width()) / 2, (h - fitted.height()) / 2);
    image::imageops::overlay(&mut out, &fitted, x as i64, y as i64);
    Ok(out)
}

/// `logo` scaled to fit inside `w`×`h`, keeping its proportions.
fn fit(logo: &RgbaImage, w: u32, h: u32) -> Result<RgbaImage, String> {
    let scale = (w as f64 / logo.width() as f64).min(h as f64 / logo.height() as f64);
    let (nw, nh) = (
        ((logo.width() as f64 * scale).round() as u32).max(1),
        ((logo.height() as f64 * scale).round() as u32).max(1),
    );
    let src = DynamicImage::ImageRgba8(logo.clone());
    let mut dst = DynamicImage::new(nw, nh, image::ColorType::Rgba8);
    Resizer::new()
        .resize(
            &src,
            &mut dst,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
        )
        .map_err(|e| e.to_string())?;
    Ok(dst.into_rgba8())
}

fn png(image: &RgbaImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .map_err(|e| e.to_string())?;
    Ok(out)
}
