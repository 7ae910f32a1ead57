//! The photo stage, beside markdown/: Markdown and the render stage ask it for the `Picture` of
//! a local raster image (its oriented size and the URLs of its variants); `publish` then makes
//! the variants that the disk cache (`.zhen-cache/images/`) lacks, in parallel, and returns them
//! as outputs. Every variant is decoded, turned upright by its EXIF orientation, resized and
//! encoded again, so no metadata (GPS positions above all) reaches the published site.

pub mod encode;
pub mod icons;
mod picture;
pub mod site;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::output::{Body, Output};
pub use picture::Picture;

/// Where processed images are published, below the site root.
pub const URL_DIR: &str = "img";

/// `[images]` in site.toml.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// The widths (px) of the variants; an image is never made larger than it is.
    pub widths: Vec<u32>,
    /// Lossy quality of the WebP and JPEG variants, 1–100.
    pub quality: u8,
    /// Publish content images at their own URL unchanged, with their EXIF data (GPS
    /// positions included). The variants pages show never carry metadata.
    pub keep_metadata: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            widths: vec![480, 960, 1200, 1600],
            quality: 75,
            keep_metadata: false,
        }
    }
}

impl Settings {
    /// The widths in increasing order, without zeros and repeats.
    fn sorted_widths(&self) -> Vec<u32> {
        let mut w: Vec<u32> = self.widths.iter().copied().filter(|&w| w > 0).collect();
        w.sort_unstable();
        w.dedup();
        if w.is_empty() {
            w = Settings::default().widths;
        }
        w
    }
}

/// The image stage of one site.
pub struct Images {
    settings: Settings,
    cache_dir: PathBuf,
    /// Leave the variants the cache lacks to the caller (`zhen serve`): they are published as
    /// the original until made.
    defer: bool,
}

/// What publishing the images gave: the variants' outputs, the cache files they use, and the
/// pictures whose variants were left to make (with `Images::deferring`).
pub struct Published {
    pub made: Vec<Output>,
    pub used: HashSet<String>,
    pub pending: Vec<Arc<Picture>>,
}

/// The image cache of the site at `root`, shared by build and serve.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".zhen-cache").join("images")
}

/// Whether `path` names a raster image the stage processes (JPEG, PNG, WebP). SVG and GIF
/// (animations) are published as they are.
pub fn is_processed(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["jpg", "jpeg", "png", "webp"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

impl Images {
    pub fn new(root: &Path, settings: &Settings) -> Images {
        Images {
            settings: settings.clone(),
            cache_dir: cache_dir(root),
            defer: false,
        }
    }

    /// With `defer`, [`Images::publish`] makes no variant: a picture the cache lacks is
    /// published as its original under the variants' names, and handed back as pending.
    pub fn deferring(mut self, defer: bool) -> Images {
        self.defer = defer;
        self
    }

    /// Where the variants are kept.
    pub fn cache_dir(&self) -> &Path {
        &self.cache_dir
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The picture of the raster image at `file`; None for other files and for files that
    /// cannot be read as images.
    pub fn picture(&self, file: &Path) -> Option<Arc<Picture>> {
        if !is_processed(file) {
            return None;
        }
        picture::probe(file, &self.settings)
    }

    /// Makes the variants of `pictures` that the cache lacks (in parallel; or leaves them
    /// pending, see [`Images::deferring`]) and returns every variant as an output. Outputs
    /// that copy a processed content image (`content_dir`) are replaced by its largest variant
    /// of the same format, so that the original's metadata is not published (unless
    /// `keep_metadata`). Also returns the names of the cache files used.
    pub fn publish(
        &self,
        pictures: Vec<Arc<Picture>>,
        outputs: &mut [Output],
        content_dir: &Path,
    ) -> Result<Published, Vec<Diagnostic>> {
        let mut all: BTreeMap<String, Arc<Picture>> = pictures
            .into_iter()
            .map(|p| (p.key().to_string(), p))
            .collect();
        let mut replaced = Vec::new();
        if !self.settings.keep_metadata {
            for (i, out) in outputs.iter().enumerate() {
                if let Body::File(file) = &out.body
                    && file.starts_with(content_dir)
                    && let Some(p) = self.picture(file)
                {
                    replaced.push((i, p.clone()));
                    all.entry(p.key().to_string()).or_insert(p);
                }
            }
        }
        if let Err(e) = std::fs::create_dir_all(&self.cache_dir) {
            return Err(vec![Diagnostic::error(format!(
                "无法创建图片缓存目录 {}：{e}",
                self.cache_dir.display()
            ))]);
        }
        let pending: Vec<Arc<Picture>> = if self.defer {
            all.values()
                .filter(|p| !encode::missing(p, &self.cache_dir).is_empty())
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let errors: Vec<Diagnostic> = all
            .par_iter()
            .filter(|(_, p)| !self.defer || !pending.contains(p))
            .filter_map(|(_, p)| encode::make(p, &self.cache_dir).err())
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        for (i, p) in replaced {
            if !pending.contains(&p) {
                outputs[i].body = Body::File(self.cache_dir.join(p.original_file()));
            }
        }
        let mut used = HashSet::new();
        let mut made = Vec::new();
        for p in all.values() {
            let waiting = pending.contains(p);
            for name in p.files() {
                made.push(Output {
                    path: format!("{URL_DIR}/{name}"),
                    body: Body::File(if waiting {
                        p.source.clone()
                    } else {
                        self.cache_dir.join(&name)
                    }),
                });
                used.insert(name);
            }
        }
        Ok(Published {
            made,
            used,
            pending,
        })
    }

    /// Removes cache files not in `used` (left by photos since changed or deleted).
    pub fn prune(&self, used: &HashSet<String>) {
        let Ok(dir) = std::fs::read_dir(&self.cache_dir) else {
            return;
        };
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}
