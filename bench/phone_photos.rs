//! Writes N phone-size photos (4000×3000 JPEGs of about 5 MB with an EXIF orientation and GPS
//! tags) into a generated site's posts, for `bench/images`:
//! `cargo run --release --example phone_photos -- N SITE_DIR`. Each photo goes into a page
//! bundle of its own as the cover and the first picture of the text.

#[path = "../tests/common/photo.rs"]
mod photo;

use std::fs;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(200);
    let site = Path::new(args.get(2).map_or("/tmp/zhen-images-bench", String::as_str));
    fs::create_dir_all(site.join("content/tourism")).unwrap();
    fs::write(
        site.join("site.toml"),
        "title = \"图片基准镇\"\nbase_url = \"https://bench.example\"\n\n[[categories]]\nkey = \"tourism\"\nname = \"乡村旅游\"\n",
    )
    .unwrap();
    // Photos differ only in their noise seed: encoding them costs the same as real ones.
    for i in 0..n {
        let dir = site.join(format!(
            "content/tourism/2024-05-{:02}-photo-{i}",
            i % 28 + 1
        ));
        fs::create_dir_all(&dir).unwrap();
        let orientation = if i % 3 == 0 { 6 } else { 1 };
        fs::write(
            dir.join("IMG_0001.JPG"),
            photo::phone_jpeg(4000, 3000, orientation, true, i as u32 + 1),
        )
        .unwrap();
        fs::write(
            dir.join("index.md"),
            format!(
                "+++\ntitle = \"第 {i} 张照片\"\ndate = 2024-05-{:02}\ncategory = \"tourism\"\ncover = \"IMG_0001.JPG\"\n+++\n\n现场照片。\n\n![现场](IMG_0001.JPG)\n",
                i % 28 + 1
            ),
        )
        .unwrap();
    }
    eprintln!("{n} photos written under {}", site.display());
}
