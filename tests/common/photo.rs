//! Phone-like test photos made at test time (nothing big is committed): noisy JPEGs with an
//! EXIF orientation flag and GPS tags spliced in as a phone writes them, and PNGs with
//! transparency.

#![allow(dead_code)]

use image::{ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

/// A `w`×`h` JPEG as stored by a phone: the top half red, the bottom half blue (so a test can
/// tell which way up it is shown), fine noise everywhere (so it weighs what a photo weighs),
/// an EXIF `Orientation` and, with `gps`, a GPS position (30°15′N 120°10′E).
pub fn phone_jpeg(w: u32, h: u32, orientation: u16, gps: bool, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let img = RgbImage::from_fn(w, h, |_, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state % 64) as u8;
        if y < h / 2 {
            Rgb([190 + n, n / 2, n / 2])
        } else {
            Rgb([n / 2, n / 2, 190 + n])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    let app1 = exif_segment(orientation, gps);
    [&jpeg[..2], &app1, &jpeg[2..]].concat()
}

/// An APP1 segment with a little-endian TIFF: IFD0 with Orientation and, with `gps`, a GPS IFD.
fn exif_segment(orientation: u16, gps: bool) -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    let entries: u16 = if gps { 2 } else { 1 };
    t.extend(entries.to_le_bytes());
    // Orientation: SHORT, 1 value, stored in the entry.
    t.extend(0x0112u16.to_le_bytes());
    t.extend(3u16.to_le_bytes());
    t.extend(1u32.to_le_bytes());
    t.extend(orientation.to_le_bytes());
    t.extend([0, 0]);
    let gps_ifd = 8 + 2 + 12 * entries as u32 + 4;
    if gps {
        t.extend(0x8825u16.to_le_bytes());
        t.extend(4u16.to_le_bytes());
        t.extend(1u32.to_le_bytes());
        t.extend(gps_ifd.to_le_bytes());
    }
    t.extend(0u32.to_le_bytes());
    if gps {
        let rationals = gps_ifd + 2 + 12 * 4 + 4;
        t.extend(4u16.to_le_bytes());
        let mut entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
            t.extend(tag.to_le_bytes());
            t.extend(kind.to_le_bytes());
            t.extend(count.to_le_bytes());
            t.extend(value);
        };
        entry(0x0001, 2, 2, *b"N\0\0\0");
        entry(0x0002, 5, 3, rationals.to_le_bytes());
        entry(0x0003, 2, 2, *b"E\0\0\0");
        entry(0x0004, 5, 3, (rationals + 24).to_le_bytes());
        t.extend(0u32.to_le_bytes());
        for (num, den) in [(30u32, 1u32), (15, 1), (0, 1), (120, 1), (10, 1), (0, 1)] {
            t.extend(num.to_le_bytes());
            t.extend(den.to_le_bytes());
        }
    }
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(t);
    let mut seg = vec![0xFF, 0xE1];
    seg.extend(((payload.len() + 2) as u16).to_be_bytes());
    seg.extend(payload);
    seg
}

/// A `w`×`h` PNG graphic: an opaque green disc on a transparent background.
pub fn transparent_png(w: u32, h: u32) -> Vec<u8> {
    let (cx, cy, r) = (w as f32 / 2.0, h as f32 / 2.0, w.min(h) as f32 / 3.0);
    let img = RgbaImage::from_fn(w, h, |x, y| {
        let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
        if d < r {
            Rgba([20, 160, 60, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgba8)
        .unwrap();
    png
}

/// Whether `bytes` (any image file) carries GPS tags in EXIF.
pub fn has_gps(bytes: &[u8]) -> bool {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .is_ok_and(|e| {
            e.fields()
                .any(|f| f.ifd_num == exif::In::PRIMARY && f.tag.context() == exif::Context::Gps)
        })
}
