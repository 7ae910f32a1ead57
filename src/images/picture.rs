//! What a source image is to the pages that show it: its upright size, whether it needs a PNG
//! (transparency) or a JPEG fallback, the variants' widths and URLs, and the `<picture>` markup.
//! Probing reads the file once per modification (content hash, header size, EXIF orientation).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use super::{Settings, URL_DIR};
use crate::markdown::escape;

/// Bumped when the encoding changes, so that cached variants are made again.
const ENCODING_VERSION: &str = "zhen-images-1";

/// The width of the variant social cards (og:image) use.
pub const SHARE_WIDTH: u32 = 1200;

/// A processed source image.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Picture {
    pub source: PathBuf,
    /// Hash of the file's bytes and the settings: names the variants.
    key: String,
    /// Upright size (EXIF orientation applied).
    pub width: u32,
    pub height: u32,
    /// PNG fallback (the source has transparency); else JPEG.
    pub png: bool,
    /// The widths of the variants, increasing; the last is the largest published.
    pub widths: Vec<u32>,
    pub quality: u8,
    /// EXIF orientation 1–8 (1: upright).
    pub orientation: u8,
}

/// The pictures probed in this process, by file, with the file's modification time and length
/// and the settings they were probed with.
type Memo = HashMap<PathBuf, (SystemTime, u64, Settings, Option<Arc<Picture>>)>;

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(Default::default)
}

/// The picture of `file` (a JPEG, PNG or WebP), read once per change of the file.
pub fn probe(file: &Path, settings: &Settings) -> Option<Arc<Picture>> {
    let meta = std::fs::metadata(file).ok()?;
    let stamp = (meta.modified().ok()?, meta.len());
    if let Some((m, l, s, p)) = memo().lock().ok()?.get(file)
        && (*m, *l) == stamp
        && s == settings
    {
        return p.clone();
    }
    let picture = read(file, settings).map(Arc::new);
    if let Ok(mut memo) = memo().lock() {
        memo.insert(
            file.to_path_buf(),
            (stamp.0, stamp.1, settings.clone(), picture.clone()),
        );
    }
    picture
}

fn read(file: &Path, settings: &Settings) -> Option<Picture> {
    let bytes = std::fs::read(file).ok()?;
    let size = imagesize::blob_size(&bytes).ok()?;
    let (w, h) = (size.width as u32, size.height as u32);
    if w == 0 || h == 0 {
        return None;
    }
    let orientation = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&bytes))
        .ok()
        .and_then(|e| {
            e.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?
                .value
                .get_uint(0)
        })
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1) as u8;
    let (width, height) = if orientation >= 5 { (h, w) } else { (w, h) };
    let png = has_alpha(&bytes);
    let quality = settings.quality.clamp(1, 100);
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(ENCODING_VERSION.as_bytes());
    h.update(&bytes);
    h.update(&[quality, png as u8]);
    let key = format!("{:016x}", h.digest());
    let sorted = settings.sorted_widths();
    let largest = sorted.last().copied().unwrap_or(width).min(width);
    let mut widths: Vec<u32> = sorted.into_iter().filter(|&x| x < largest).collect();
    widths.push(largest);
    Some(Picture {
        source: file.to_path_buf(),
        key,
        width,
        height,
        png,
        widths,
        quality,
        orientation,
    })
}

/// Whether a PNG has an alpha channel or a transparent colour (a `tRNS` chunk), or a WebP
/// has alpha. JPEGs never do.
fn has_alpha(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        if matches!(bytes.get(25), Some(4 | 6)) {
            return true;
        }
        // Chunks: length (4), type (4), data, CRC (4); tRNS comes before IDAT.
        let mut at = 8;
        while at + 8 <= bytes.len() {
            let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
                as usize;
            match &bytes[at + 4..at + 8] {
                b"tRNS" => return true,
                b"IDAT" => return false,
                _ => at += 12 + len,
            }
        }
        return false;
    }
    if bytes.len() > 20 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return match &bytes[12..16] {
            // VP8X: the alpha flag; VP8L: the alpha hint bit of its header.
            b"VP8X" => bytes[20] & 0x10 != 0,
            b"VP8L" => bytes.get(24).is_some_and(|b| b & 0x10 != 0),
            _ => false,
        };
    }
    false
}

impl Picture {
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The height of the variant `w` pixels wide.
    pub fn height_at(&self, w: u32) -> u32 {
        ((self.height as u64 * w as u64 + self.width as u64 / 2) / self.width as u64).max(1) as u32
    }

    fn fallback_ext(&self) -> &'static str {
        if self.png { "png" } else { "jpg" }
    }

    /// The cache file name of variant `w` in WebP or in the fallback format.
    pub fn file(&self, w: u32, webp: bool) -> String {
        let ext = if webp { "webp" } else { self.fallback_ext() };
        format!("{}-{w}.{ext}", self.key)
    }

    /// Every cache file of the picture.
    pub fn files(&self) -> Vec<String> {
        self.widths
            .iter()
            .flat_map(|&w| [self.file(w, true), self.file(w, false)])
            .collect()
    }

    fn url(&self, w: u32, webp: bool) -> String {
        format!("/{URL_DIR}/{}", self.file(w, webp))
    }

    fn largest(&self) -> u32 {
        self.widths.last().copied().unwrap_or(self.width)
    }

    /// The URL of the largest fallback variant (what `cover` and links to the photo name).
    pub fn src(&self) -> String {
        self.url(self.largest(), false)
    }

    /// The cache file that replaces the original at its own URL: the largest variant in the
    /// original's format where there is one.
    pub fn original_file(&self) -> String {
        let webp = self
            .source
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("webp"));
        self.file(self.largest(), webp)
    }

    /// The site path of the variant for social cards: 1200 px wide, or the widest below.
    pub fn share_path(&self) -> String {
        let w = self
            .widths
            .iter()
            .copied()
            .filter(|&w| w <= SHARE_WIDTH)
            .max()
            .unwrap_or(self.widths[0]);
        self.url(w, false)
    }

    fn srcset(&self, webp: bool) -> String {
        self.widths
            .iter()
            .map(|&w| format!("{} {w}w", self.url(w, webp)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `<picture>` with a WebP source and a JPEG/PNG `<img>`, both with every width; `sizes`
    /// tells the browser how wide the image is shown. Lazy pictures also decode off the main
    /// thread; an eager one (the first on a page) is fetched with high priority.
    pub fn html(&self, alt: &str, title: &str, sizes: &str, lazy: bool, class: &str) -> String {
        let loading = if lazy {
            " loading=\"lazy\" decoding=\"async\""
        } else {
            " fetchpriority=\"high\" decoding=\"async\""
        };
        let title = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(title))
        };
        let class = if class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape(class))
        };
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\"><img{class} src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" alt=\"{}\"{title} width=\"{}\" height=\"{}\"{loading}></picture>",
            self.srcset(true),
            self.src(),
            self.srcset(false),
            escape(alt),
            self.width,
            self.height,
        )
    }

    /// What templates get: `src`, `srcset`, `webp_srcset`, `width`, `height`.
    pub fn value(&self) -> tera::Value {
        let mut map = tera::value::Map::new();
        map.insert("src".into(), self.src().into());
        map.insert("srcset".into(), self.srcset(false).into());
        map.insert("webp_srcset".into(), self.srcset(true).into());
        map.insert("width".into(), (self.width as u64).into());
        map.insert("height".into(), (self.height as u64).into());
        tera::Value::from(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(width: u32, widths: &[u32]) -> Picture {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.png");
        image::RgbImage::new(width, width / 2).save(&file).unwrap();
        let settings = Settings {
            widths: widths.to_vec(),
            ..Settings::default()
        };
        read(&file, &settings).unwrap()
    }

    #[test]
    fn variants_are_never_wider_than_the_source() {
        assert_eq!(
            picture(4000, &[1600, 480, 960]).widths,
            vec![480, 960, 1600]
        );
        assert_eq!(
            picture(1000, &[480, 960, 1600]).widths,
            vec![480, 960, 1000]
        );
        assert_eq!(picture(300, &[480, 960]).widths, vec![300]);
        assert_eq!(
            picture(1000, &[480, 960, 1600])
                .share_path()
                .split('-')
                .nth(1),
            Some("1000.jpg")
        );
    }

    #[test]
    fn transparency_picks_a_png_fallback() {
        let mut buf = std::io::Cursor::new(Vec::new());
        image::RgbaImage::new(4, 4)
            .write_to(&mut buf, image::ImageFormat::Png)
            .unwrap();
        assert!(has_alpha(buf.get_ref()));
        let mut buf = std::io::Cursor::new(Vec::new());
        image::RgbImage::new(4, 4)
            .write_to(&mut buf, image::ImageFormat::Png)
            .unwrap();
        assert!(!has_alpha(buf.get_ref()));
    }
}
