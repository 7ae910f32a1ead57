//! The sample portal's phone photos (4–5 MB JPEGs with GPS tags, one stored sideways) as
//! published: no published file carries a GPS position, the originals are not published,
//! and in headless Chromium at 390 px the home page transfers ≤ 1 MB and a photo article
//! ≤ 800 KB, the sideways photo shows upright, and Lighthouse (mobile) scores the article
//! ≥ 95 with a largest contentful paint ≤ 2.5 s (tests/browser-weight/weight.mjs; the
//! figures are written to target/weight.json).

mod common;

use std::fs;
use std::path::Path;

use common::photo::has_gps;

/// The post with the sideways photo, as cover and in the text.
const ARTICLE: &str = "/tourism/2024/04/peach-blossom-festival/";

#[test]
fn sample_photos_are_published_small_upright_and_without_gps() {
    let site = common::fixture("sample");
    let originals: Vec<_> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("IMG_"))
        .map(|e| fs::read(e.path()).unwrap())
        .collect();
    assert_eq!(originals.len(), 3);
    for photo in &originals {
        assert!(
            photo.len() > 3_500_000 && has_gps(photo),
            "a phone photo with GPS"
        );
    }
    common::build_ok(site.path(), &[]);
    let public = site.path().join("public");
    let mut published = 0;
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = fs::read(entry.path()).unwrap();
        assert!(!has_gps(&bytes), "{} carries GPS", entry.path().display());
        assert!(
            bytes.len() < 1_000_000,
            "{} is {} bytes",
            entry.path().display(),
            bytes.len()
        );
        let name = entry.file_name().to_string_lossy().to_string();
        published += usize::from(name.ends_with(".webp"));
    }
    assert!(published >= 6, "variants of the three photos: {published}");

    if !common::browser_ready("browser-weight") {
        return;
    }
    let report = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| Path::new("target").to_path_buf(), Path::to_path_buf)
        .join("weight.json");
    common::run_browser_script(
        "browser-weight/weight.mjs",
        &[public.as_os_str(), ARTICLE.as_ref(), report.as_os_str()],
        6,
    );
}
