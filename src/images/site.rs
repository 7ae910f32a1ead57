//! Publishing the images of a whole rendered site: the variants of every photo its Markdown
//! and covers show (and of processed content images published at their own URL), the files
//! that travel with single-file pages, and the icons made from the site's logo.

use std::collections::HashSet;
use std::sync::Arc;

use super::{Images, Picture, icons};
use crate::diagnostics::Diagnostic;
use crate::markdown::SiteMarkdown;
use crate::output::{Body, Output};
use crate::site::Site;

/// Adds the image outputs of `site` to `outputs` (a file the site already publishes, such as
/// its own `static/favicon.ico`, wins). With `prune` (a whole build), cache files no picture
/// uses any more are removed. Returns the pictures left to make (see `Images::deferring`).
pub fn publish(
    images: &Images,
    site: &Site,
    markdown: &SiteMarkdown,
    outputs: &mut Vec<Output>,
    prune: bool,
) -> Result<Vec<Arc<Picture>>, Vec<Diagnostic>> {
    let rendered = markdown.pages.iter().chain(&markdown.sections);
    let pictures = rendered
        .clone()
        .flat_map(|r| r.pictures.iter().chain(&r.cover).cloned())
        .collect();
    let mut extra = Vec::new();
    for r in rendered {
        for (path, file) in &r.attachments {
            extra.push(Output {
                path: path.trim_start_matches('/').to_string(),
                body: Body::File(file.clone()),
            });
        }
    }
    let config = &site.config;
    let logo = (!config.identity.logo.is_empty()).then(|| config.root.join(&config.identity.logo));
    let icon_files = icons::make(logo.as_deref(), &images.cache_dir).map_err(|d| vec![d])?;
    let published = images.publish(pictures, outputs, &config.content_dir())?;
    let (made, mut used) = (published.made, published.used);
    for (path, name) in icon_files {
        extra.push(Output {
            path,
            body: Body::File(images.cache_dir.join(&name)),
        });
        used.insert(name);
    }
    let mut taken: HashSet<String> = outputs.iter().map(|o| o.path.clone()).collect();
    for out in made.into_iter().chain(extra) {
        if taken.insert(out.path.clone()) {
            outputs.push(out);
        }
    }
    if prune {
        images.prune(&used);
    }
    Ok(published.pending)
}
