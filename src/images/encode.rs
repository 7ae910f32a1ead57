//! Making the variants of one picture: decode once, turn upright by the EXIF orientation,
//! resize to each width (fast_image_resize, SIMD), encode lossy WebP (libwebp) and a JPEG or
//! PNG fallback (image). Only pixels are written, so no metadata survives. Files are written
//! under a temporary name and renamed, so a build and a serve sharing the cache never see half
//! a file.

use std::path::Path;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader};

use super::Picture;
use crate::diagnostics::Diagnostic;

/// Writes the variants of `p` missing from `dir`.
/// The widths of `p` whose variants are not yet in the cache `dir`.
pub fn missing(p: &Picture, dir: &Path) -> Vec<u32> {
    p.widths
        .iter()
        .copied()
        .filter(|&w| !dir.join(p.file(w, true)).is_file() || !dir.join(p.file(w, false)).is_file())
        .collect()
}

pub fn make(p: &Picture, dir: &Path) -> Result<(), Diagnostic> {
    let missing = missing(p, dir);
    if missing.is_empty() {
        return Ok(());
    }
    let fail = |e: String| {
        Diagnostic::error(format!("无法处理图片：{e}"))
            .in_file(&p.source)
            .help("用看图软件打开这张图片，另存为 JPG 或 PNG 后再放回来")
    };
    let image = decode(&p.source).map_err(fail)?;
    let image = if p.png {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    // Widest first, each made from the one before: only the first resize reads the whole
    // photo (a 4000×3000 photo to 1600 px), the others start from a few megapixels.
    let mut widths = missing;
    widths.sort_unstable_by(|a, b| b.cmp(a));
    let mut source = image;
    for w in widths {
        if w != source.width() {
            let mut dst = DynamicImage::new(w, p.height_at(w), source.color());
            resizer
                .resize(&source, &mut dst, &options)
                .map_err(|e| fail(e.to_string()))?;
            source = dst;
        }
        let webp = encode_webp(&source, p.quality);
        write(dir, &p.file(w, true), &webp).map_err(fail)?;
        let fallback = encode_fallback(&source, p).map_err(fail)?;
        write(dir, &p.file(w, false), &fallback).map_err(fail)?;
    }
    Ok(())
}

/// The decoded image, upright.
fn decode(file: &Path) -> Result<DynamicImage, String> {
    let reader = ImageReader::open(file)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn encode_webp(image: &DynamicImage, quality: u8) -> Vec<u8> {
    let (w, h) = (image.width(), image.height());
    let encoder = match image {
        DynamicImage::ImageRgba8(i) => webp::Encoder::from_rgba(i.as_raw(), w, h),
        _ => webp::Encoder::from_rgb(image.as_bytes(), w, h),
    };
    encoder.encode(quality as f32).to_vec()
}

fn encode_fallback(image: &DynamicImage, p: &Picture) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let (w, h, color) = (image.width(), image.height(), image.color().into());
    if p.png {
        PngEncoder::new_with_quality(&mut out, CompressionType::Best, Default::default())
            .write_image(image.as_bytes(), w, h, color)
    } else {
        JpegEncoder::new_with_quality(&mut out, p.quality).write_image(
            image.as_bytes(),
            w,
            h,
            color,
        )
    }
    .map_err(|e| e.to_string())?;
    Ok(out)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let tmp = dir.join(format!(
        ".{name}.{}.{:?}.tmp",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, dir.join(name)))
        .map_err(|e| format!("写入缓存 {} 失败：{e}", dir.display()))
}
