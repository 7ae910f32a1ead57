//! The local files image URLs name: where they are (relative URLs against the Markdown file's
//! folder, `/…` in static/ then content/), the authoring mistakes that make them unreadable (a
//! path on the author's computer, a wrong-case or missing name) as located Chinese errors with
//! the fix, and the intrinsic sizes of images the photo stage does not process (`imagesize`;
//! an SVG's root element's `width`/`height` or `viewBox`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use quick_xml::events::Event;

use crate::images::{Images, Picture};

/// Where the image files of one page live on disk.
#[derive(Clone, Copy, Default)]
pub struct ImageDirs<'a> {
    /// The folder relative image URLs are read from: the Markdown file's.
    pub folder: Option<&'a Path>,
    /// The site's root: `/…` URLs are looked up in its `static/`, then in `content/`.
    pub root: Option<&'a Path>,
    /// The photo stage, which makes the variants of raster images.
    pub images: Option<&'a Images>,
}

/// Why an image URL cannot be published, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub message: String,
    pub help: String,
}

/// Whether `url` is a path on the author's computer: `C:\…`, `D:/…`, `\\server\…`,
/// `file://…`, or any path with backslashes.
pub fn is_computer_path(url: &str) -> bool {
    let b = url.as_bytes();
    url.get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("file:"))
        || (b.len() > 2
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'\\' | b'/'))
        || url.contains('\\')
}

impl ImageDirs<'_> {
    /// The local file a relative or root-relative image URL names, or why it cannot be used.
    /// Remote URLs (and `data:`) are Ok(None), as are `/…` URLs no site folder holds (the
    /// theme's own files; the link check reports the rest on the built pages).
    pub fn locate(&self, written: &str) -> Result<Option<PathBuf>, Problem> {
        if is_computer_path(written) {
            let name = written
                .rsplit(['\\', '/'])
                .next()
                .filter(|n| !n.is_empty())
                .unwrap_or("照片.jpg");
            return Err(Problem {
                message: format!("图片地址 {written} 是你电脑上的路径，读者的浏览器打不开"),
                help: format!(
                    "这是你电脑上的路径：把图片复制到这篇文章所在的文件夹{}，再写成 ![说明]({name})",
                    self.folder
                        .map(|f| format!("（{}）", f.display()))
                        .unwrap_or_default()
                ),
            });
        }
        let url = written.split(['?', '#']).next().unwrap_or(written);
        if url.is_empty() || url.starts_with("//") || url.contains(':') {
            return Ok(None);
        }
        let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
        let url = decoded.as_ref();
        if url.starts_with('/') {
            return Ok(self.file(url));
        }
        let Some(folder) = self.folder else {
            return Ok(None);
        };
        let file = folder.join(url);
        if file.is_file() {
            return Ok(Some(file));
        }
        let dir = file.parent().unwrap_or(folder);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.path().is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.ends_with(".md"))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(actual) = names
            .iter()
            .find(|n| n.to_lowercase() == name.to_lowercase())
        {
            let fixed = format!("{}{actual}", &url[..url.len() - name.len()]);
            return Err(Problem {
                message: format!("图片 {written} 的大小写和文件名不一致"),
                help: format!(
                    "文件夹里有 {actual}：把地址改成 {fixed}（网站上的文件名区分大小写），或把文件改名为 {name}"
                ),
            });
        }
        let similar = crate::diagnostics::did_you_mean(&name, names.iter().map(String::as_str));
        Err(Problem {
            message: format!("找不到图片文件 {written}"),
            help: match similar {
                Some(s) => format!("文件夹里有 {s}，你是不是想写 {s}？"),
                None => format!(
                    "把图片放进 {}（和这篇文章的 Markdown 文件放在一起），或改正文件名",
                    dir.display()
                ),
            },
        })
    }

    /// The processed picture of a local raster image.
    pub fn picture(&self, file: &Path) -> Option<Arc<Picture>> {
        self.images?.picture(file)
    }

    /// What a cached rendering that shows image `url` depends on: its size, or for a
    /// processed photo its content (the variants' names).
    pub fn stamp(&self, url: &str) -> u64 {
        let file = self.locate(url).ok().flatten();
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        if let Some(p) = file.as_deref().and_then(|f| self.picture(f)) {
            h.update(p.key().as_bytes());
        } else if let Some((w, hh)) = file.and(self.size(url)) {
            h.update(&w.to_le_bytes());
            h.update(&hh.to_le_bytes());
        }
        h.digest()
    }

    /// The file a root-relative image URL names in static/ or content/.
    fn file(&self, url: &str) -> Option<PathBuf> {
        let url = url.split(['?', '#']).next().unwrap_or(url);
        if url.is_empty() || url.starts_with("//") || url.contains(':') {
            return None;
        }
        let candidates: Vec<PathBuf> = match url.strip_prefix('/') {
            Some(rest) => {
                let root = self.root?;
                vec![
                    root.join("static").join(rest),
                    root.join("content").join(rest),
                ]
            }
            None => vec![self.folder?.join(url)],
        };
        candidates.into_iter().find(|p| p.is_file())
    }

    /// Width and height in CSS pixels of the image at `url`, when it can be read.
    pub fn size(&self, url: &str) -> Option<(u64, u64)> {
        let file = self.file(url)?;
        let is_svg = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        if is_svg {
            svg_size(&std::fs::read(&file).ok()?)
        } else {
            let s = imagesize::size(&file).ok()?;
            Some((s.width as u64, s.height as u64))
        }
        .filter(|&(w, h)| w > 0 && h > 0)
    }
}

/// The size an SVG document declares: `width`/`height` in pixels, else its `viewBox`.
fn svg_size(bytes: &[u8]) -> Option<(u64, u64)> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => {
                if e.local_name().as_ref() != b"svg" {
                    return None;
                }
                let attr = |name: &[u8]| -> Option<String> {
                    let a = e.try_get_attribute(name).ok()??;
                    Some(String::from_utf8_lossy(&a.value).into_owned())
                };
                let px = |v: Option<String>| -> Option<f64> {
                    v?.trim().trim_end_matches("px").parse::<f64>().ok()
                };
                let (w, h) = match (px(attr(b"width")), px(attr(b"height"))) {
                    (Some(w), Some(h)) => (w, h),
                    _ => {
                        let view_box = attr(b"viewBox")?;
                        let n: Vec<f64> = view_box
                            .split([' ', ','])
                            .filter(|s| !s.is_empty())
                            .filter_map(|s| s.parse().ok())
                            .collect();
                        (*n.get(2)?, *n.get(3)?)
                    }
                };
                return Some((w.round() as u64, h.round() as u64));
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_width_and_height_or_the_view_box() {
        let svg = |s: &str| svg_size(s.as_bytes());
        assert_eq!(
            svg(
                "<?xml version=\"1.0\"?>\n<!-- x -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"675px\"/>"
            ),
            Some((1200, 675))
        );
        assert_eq!(
            svg("<svg width=\"100%\" viewBox=\"0 0 800 450\"></svg>"),
            Some((800, 450))
        );
        assert_eq!(svg("<svg width=\"100%\"></svg>"), None);
        assert_eq!(svg("<html></html>"), None);
    }

    #[test]
    fn local_files_are_found_beside_the_page_or_under_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let bundle = dir.path().join("content/tourism/x");
        std::fs::create_dir_all(&bundle).unwrap();
        std::fs::create_dir_all(dir.path().join("static/images")).unwrap();
        std::fs::write(
            bundle.join("a.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 30\"/>",
        )
        .unwrap();
        // A 3×2 GIF: header, logical screen width and height (little-endian).
        let gif = [b"GIF89a".as_slice(), &[3, 0, 2, 0, 0, 0, 0]].concat();
        std::fs::write(dir.path().join("static/images/b.gif"), gif).unwrap();
        let dirs = ImageDirs {
            folder: Some(&bundle),
            root: Some(dir.path()),
            images: None,
        };
        assert_eq!(dirs.size("a.svg?v=2"), Some((40, 30)));
        assert_eq!(dirs.size("/images/b.gif"), Some((3, 2)));
        assert_eq!(dirs.size("missing.png"), None);
        assert_eq!(dirs.size("https://example.org/c.png"), None);
    }
}
