//! Intrinsic sizes of local images, for the `width` and `height` of the `<img>` tags Markdown
//! writes (so pages do not jump while pictures load): `imagesize` reads raster headers, and an
//! SVG's size comes from its root element's `width`/`height` or `viewBox`.

use std::path::{Path, PathBuf};

use quick_xml::events::Event;

/// Where the image files of one page live on disk.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImageDirs<'a> {
    /// The folder relative image URLs are read from (a bundle's or a section's).
    pub folder: Option<&'a Path>,
    /// The site's root: `/…` URLs are looked up in its `static/`, then in `content/`.
    pub root: Option<&'a Path>,
}

impl ImageDirs<'_> {
    /// The file an image URL (as written in the Markdown) names, when it is local and exists.
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
        };
        assert_eq!(dirs.size("a.svg?v=2"), Some((40, 30)));
        assert_eq!(dirs.size("/images/b.gif"), Some((3, 2)));
        assert_eq!(dirs.size("missing.png"), None);
        assert_eq!(dirs.size("https://example.org/c.png"), None);
    }
}
