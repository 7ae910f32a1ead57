//! What processing cannot fix in files published as they are (static/, attachments, originals
//! kept with `keep_metadata`): a file over the size limit (Z2) and a photo that still carries
//! the GPS position where it was taken (C4, personal data). The position itself is never
//! printed.

use std::io::BufReader;
use std::path::Path;

use rayon::prelude::*;

use super::html::url_of;
use super::{Audit, Finding, Rule};
use crate::diagnostics::Diagnostic;
use crate::output::Body;

/// Raster formats readers download as pictures (the size limit for images applies).
const PICTURES: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "heic", "avif",
];
/// Formats that can carry EXIF GPS tags.
const WITH_EXIF: &[&str] = &["jpg", "jpeg", "png", "webp", "tif", "tiff", "heic"];

pub fn check(audit: &Audit<'_>) -> Vec<Finding> {
    let root = &audit.site.config.root;
    let cache = root.join(".zhen-cache");
    let limits = &audit.site.config.check;
    let files: Vec<(&str, &Path)> = audit
        .outputs
        .iter()
        .filter_map(|o| match &o.body {
            Body::File(p) if !p.starts_with(&cache) => Some((o.path.as_str(), p.as_path())),
            _ => None,
        })
        .collect();
    files
        .par_iter()
        .flat_map_iter(|(out, file)| {
            let ext = file
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let shown = file.strip_prefix(root).unwrap_or(file).display().to_string();
            let mut found = Vec::new();
            let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            let picture = PICTURES.contains(&ext.as_str());
            let limit = if picture {
                limits.max_image_kb * 1024
            } else {
                limits.max_file_mb * 1024 * 1024
            };
            if size > limit {
                let help = if picture {
                    format!(
                        "static/ 里的图片原样发布，手机上打开要等很久：照片放进文章的文件夹由 zhen 自动压缩，动图改成视频或压小；上限 {} KB，可在 site.toml 的 [check] max_image_kb 调整",
                        limits.max_image_kb
                    )
                } else {
                    format!(
                        "附件太大，读者用手机流量下载不了：压缩后再发布（PDF 可用“减小文件大小”另存），或拆成几份；上限 {} MB，可在 site.toml 的 [check] max_file_mb 调整",
                        limits.max_file_mb
                    )
                };
                let d = Diagnostic::warning(format!("{shown} 有 {}，太大了", human(size)))
                    .in_file(file)
                    .help(help);
                found.push(Finding::new(Rule::Z2, d, shown.clone()).on_page(&url_of(out)));
            }
            if WITH_EXIF.contains(&ext.as_str()) && has_gps(file) {
                let d = Diagnostic::warning(format!(
                    "照片 {shown} 里记着拍摄地点的 GPS 坐标，发布后谁都能查到拍摄位置（例如村民的家）"
                ))
                .in_file(file)
                .help("static/ 里的文件原样发布：把照片放进文章的文件夹（zhen 发布时去掉位置等附加信息），或用图片工具去掉位置信息后再放回 static/");
                found.push(Finding::new(Rule::C4, d, shown).on_page(&url_of(out)));
            }
            found
        })
        .collect()
}

/// Whether the image's EXIF data has a GPS position.
fn has_gps(file: &Path) -> bool {
    let Ok(f) = std::fs::File::open(file) else {
        return false;
    };
    exif::Reader::new()
        .read_from_container(&mut BufReader::new(f))
        .is_ok_and(|e| {
            e.fields()
                .any(|f| matches!(f.tag, exif::Tag::GPSLatitude | exif::Tag::GPSLongitude))
        })
}

/// `20.3 MB`, `812 KB`.
fn human(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
