//! Pictures: phone photos (large, rotated by an EXIF flag, with GPS tags) published as small
//! upright variants without metadata, covers and images of bundles and single-file posts,
//! the located authoring errors, `zhen new`'s bundle, og:image, the favicon and the cache.

mod common;

use std::fs;
use std::path::Path;

use common::photo::{has_gps, phone_jpeg, transparent_png};
use common::{build_err, build_ok, files, fixture, meta_tags, read, zhen};

const FRONT: &str = "+++\ntitle = \"桃花节开幕\"\ndate = 2024-11-28\ncategory = \"tourism\"\n";

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// The `<picture>` markup (from `<picture` to `</picture>`) that shows `alt`.
fn picture_with<'a>(html: &'a str, alt: &str) -> &'a str {
    let at = html
        .find(&format!("alt=\"{alt}\""))
        .unwrap_or_else(|| panic!("no picture {alt}: {html}"));
    let start = html[..at].rfind("<picture>").expect("inside a <picture>");
    let end = at + html[at..].find("</picture>").unwrap();
    &html[start..end]
}

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let key = format!(" {name}=\"");
    let start = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + key.len();
    &tag[start..start + tag[start..].find('"').unwrap()]
}

#[test]
fn phone_photos_are_published_upright_small_and_without_gps() {
    let site = fixture("basic");
    let dir = site.path();
    // Stored landscape with orientation 6: shown rotated a quarter turn clockwise (portrait).
    write(
        dir,
        "content/tourism/2024-11-28-taohua/IMG_20241128_093012.JPG",
        phone_jpeg(2400, 1800, 6, true, 1),
    );
    write(
        dir,
        "content/tourism/2024-11-28-taohua/xianchang.jpg",
        phone_jpeg(2000, 1500, 1, true, 2),
    );
    write(
        dir,
        "content/tourism/2024-11-28-taohua/index.md",
        format!(
            "{FRONT}cover = \"IMG_20241128_093012.JPG\"\n+++\n\n开幕式现场。\n\n![开幕式现场](xianchang.jpg)\n\n![游客赏花](IMG_20241128_093012.JPG)\n"
        ),
    );
    build_ok(dir, &[]);
    let html = read(dir, "tourism/2024/11/taohua/index.html");
    let body = picture_with(&html, "游客赏花");
    assert_eq!(attr(body, "width"), "1800", "upright size: {body}");
    assert_eq!(attr(body, "height"), "2400", "upright size: {body}");
    assert!(
        body.contains("<source type=\"image/webp\" srcset=\"/img/"),
        "{body}"
    );
    assert!(attr(body, "sizes").contains("100vw"), "{body}");
    let srcset = attr(body, "srcset");
    assert!(
        srcset.contains(" 480w") && srcset.contains(" 1600w"),
        "{srcset}"
    );
    assert!(
        !srcset.contains(" 2400w") && !srcset.contains(" 1800w"),
        "never the original: {srcset}"
    );
    assert!(
        body.contains("loading=\"lazy\""),
        "the second picture is lazy: {body}"
    );
    let first = picture_with(&html, "开幕式现场");
    assert!(
        !first.contains("loading=\"lazy\""),
        "the first is not: {first}"
    );

    // Every published file: no GPS; photos far smaller than the originals.
    let published = files(dir);
    let images: Vec<&String> = published.iter().filter(|f| f.starts_with("img/")).collect();
    assert!(images.iter().any(|f| f.ends_with(".webp")), "{published:?}");
    for f in &published {
        let bytes = fs::read(dir.join("public").join(f)).unwrap();
        assert!(!has_gps(&bytes), "{f} carries GPS");
    }
    // The photo at its own URL is the stripped, upright largest variant.
    let own = fs::read(dir.join("public/tourism/2024/11/taohua/IMG_20241128_093012.JPG")).unwrap();
    let own = image::load_from_memory(&own).unwrap();
    assert_eq!((own.width(), own.height()), (1600, 2133));
    // Shown upright: the stored top (red) is on the right after a quarter turn clockwise.
    let src = attr(body, "src").trim_start_matches('/');
    let shown = image::open(dir.join("public").join(src)).unwrap().to_rgb8();
    let (w, h) = shown.dimensions();
    assert!(h > w, "portrait: {w}×{h}");
    let right = shown.get_pixel(w - 5, h / 2);
    let left = shown.get_pixel(4, h / 2);
    assert!(right[0] > 150 && right[2] < 100, "right is red: {right:?}");
    assert!(left[2] > 150 && left[0] < 100, "left is blue: {left:?}");
    // og:image: the absolute URL of the cover's 1200-px variant.
    let og = meta_tags(&html)
        .into_iter()
        .find(|(k, _)| k == "og:image")
        .map(|(_, v)| v)
        .expect("og:image");
    assert!(
        og.starts_with("https://test.example/img/") && og.ends_with("-1200.jpg"),
        "{og}"
    );
    assert!(
        dir.join("public")
            .join(og.trim_start_matches("https://test.example/"))
            .is_file()
    );
    // The list thumbnail uses the variants too, never the original.
    let list = read(dir, "index.html");
    assert!(
        !list.contains("IMG_20241128_093012.JPG"),
        "lists show variants"
    );
}

#[test]
fn single_file_posts_find_images_beside_them() {
    let site = fixture("basic");
    let dir = site.path();
    write(
        dir,
        "content/tourism/taohua.jpg",
        phone_jpeg(1600, 1200, 1, true, 3),
    );
    write(
        dir,
        "content/tourism/mark.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 30\"/>",
    );
    write(
        dir,
        "content/tourism/2024-11-28-jie.md",
        format!("{FRONT}cover = \"taohua.jpg\"\n+++\n\n![现场](taohua.jpg)\n\n![标志](mark.svg)\n"),
    );
    build_ok(dir, &[]);
    let html = read(dir, "tourism/2024/11/jie/index.html");
    let pic = picture_with(&html, "现场");
    assert!(attr(pic, "src").starts_with("/img/"), "{pic}");
    assert!(
        html.contains("src=\"/tourism/2024/11/jie/mark.svg\""),
        "an SVG travels with the post: {html}"
    );
    assert!(dir.join("public/tourism/2024/11/jie/mark.svg").is_file());
    let og = meta_tags(&html)
        .into_iter()
        .find(|(k, _)| k == "og:image")
        .unwrap()
        .1;
    assert!(og.starts_with("https://test.example/img/"), "{og}");
    // No published file carries the photo's GPS position, wherever it is published.
    write(
        dir,
        "content/tourism/unused.jpg",
        phone_jpeg(800, 600, 1, true, 4),
    );
    build_ok(dir, &[]);
    for entry in walkdir::WalkDir::new(dir.join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = fs::read(entry.path()).unwrap();
            assert!(!has_gps(&bytes), "{} carries GPS", entry.path().display());
        }
    }
}

/// The build's stderr for a post with `cover = <cover>` (a TOML value) whose body is `body`.
fn errors_for(cover: Option<&str>, body: &str) -> String {
    let site = fixture("basic");
    let dir = site.path();
    write(
        dir,
        "content/tourism/2024-11-28-jie/taohua.jpg",
        phone_jpeg(64, 48, 1, false, 4),
    );
    write(
        dir,
        "content/tourism/2024-11-28-jie/桃花 节.jpg",
        phone_jpeg(64, 48, 1, false, 5),
    );
    let cover = cover.map(|c| format!("cover = {c}\n")).unwrap_or_default();
    write(
        dir,
        "content/tourism/2024-11-28-jie/index.md",
        format!("{FRONT}{cover}+++\n\n第一段。\n\n{body}\n"),
    );
    build_err(dir)
}

#[test]
fn image_path_mistakes_are_located_with_the_fix() {
    // The front matter has 5 lines (+++ … cover … +++) before the blank line: the body's
    // image is on line 9 without a cover line.
    let e = errors_for(None, "![现场](桃花 节.jpg)");
    assert!(e.contains("index.md:9:1"), "{e}");
    assert!(
        e.contains("空格") && e.contains("![现场](<桃花 节.jpg>)"),
        "{e}"
    );

    let e = errors_for(None, "![现场照片](C:\\Users\\xcb\\Desktop\\照片.jpg)");
    assert!(
        e.contains("index.md:9:1") && e.contains("这是你电脑上的路径"),
        "{e}"
    );
    let e = errors_for(None, "![现场照片](file:///home/xcb/照片.jpg)");
    assert!(e.contains("这是你电脑上的路径"), "{e}");
    let e = errors_for(None, "![现场](C:\\Users\\xcb\\My Photos\\照片.jpg)");
    assert!(e.contains("这是你电脑上的路径"), "{e}");

    let e = errors_for(None, "![现场](Taohua.JPG)");
    assert!(
        e.contains("index.md:9:1") && e.contains("文件夹里有 taohua.jpg"),
        "{e}"
    );
    let e = errors_for(None, "![现场](gone.jpg)");
    assert!(e.contains("找不到图片文件 gone.jpg"), "{e}");

    // A cover is located at its own line.
    let e = errors_for(Some("\"Taohua.JPG\""), "正文。");
    assert!(e.contains("index.md:5:"), "{e}");
    assert!(
        e.contains("cover") && e.contains("文件夹里有 taohua.jpg"),
        "{e}"
    );
    let e = errors_for(Some("'D:\\照片\\taohua.jpg'"), "正文。");
    assert!(
        e.contains("index.md:5:") && e.contains("这是你电脑上的路径"),
        "{e}"
    );
    // Every mistake of one build is reported, not only the first.
    let e = errors_for(
        Some("\"gone.png\""),
        "![a](Taohua.JPG)\n\n![b](桃花 节.jpg)",
    );
    assert!(
        e.contains("gone.png") && e.contains("Taohua.JPG") && e.contains("<桃花 节.jpg>"),
        "{e}"
    );
    // Written correctly, it builds.
    let site = fixture("basic");
    write(
        site.path(),
        "content/tourism/2024-11-28-jie/桃花 节.jpg",
        phone_jpeg(64, 48, 1, false, 5),
    );
    write(
        site.path(),
        "content/tourism/2024-11-28-jie/index.md",
        format!("{FRONT}+++\n\n![现场](<桃花 节.jpg>)\n\n`![代码](a b.jpg)`\n"),
    );
    build_ok(site.path(), &[]);
}

#[test]
fn zhen_new_makes_a_bundle_and_says_where_photos_go() {
    let site = fixture("basic");
    let out = zhen(site.path(), &["new", "tourism", "桃花节开幕"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let file = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(file.ends_with("-tao-hua-jie-kai-mu/index.md"), "{file}");
    let folder = Path::new(&file).parent().unwrap().to_path_buf();
    assert!(stderr.contains("照片请放进文章的文件夹"), "{stderr}");
    // A photo put beside it shows on the built page.
    let folder = site.path().join(folder);
    fs::write(folder.join("photo.jpg"), phone_jpeg(800, 600, 1, true, 6)).unwrap();
    let text = fs::read_to_string(site.path().join(&file)).unwrap();
    fs::write(
        site.path().join(&file),
        text.replace("在这里写正文。", "![照片](photo.jpg)"),
    )
    .unwrap();
    build_ok(site.path(), &[]);
}

#[test]
fn transparent_pngs_keep_a_png_fallback() {
    let site = fixture("basic");
    let dir = site.path();
    write(
        dir,
        "content/tourism/2024-11-28-map/map.png",
        transparent_png(1000, 800),
    );
    write(
        dir,
        "content/tourism/2024-11-28-map/index.md",
        format!("{FRONT}+++\n\n![导览图](map.png)\n"),
    );
    build_ok(dir, &[]);
    let html = read(dir, "tourism/2024/11/map/index.html");
    let pic = picture_with(&html, "导览图");
    let src = attr(pic, "src");
    assert!(src.ends_with("-1000.png"), "{pic}");
    let png = image::open(dir.join("public").join(src.trim_start_matches('/'))).unwrap();
    assert!(png.color().has_alpha());
    assert_eq!(
        png.to_rgba8().get_pixel(2, 2)[3],
        0,
        "corners stay transparent"
    );
}

#[test]
fn favicon_and_share_image_come_from_the_logo() {
    let site = fixture("basic");
    let dir = site.path();
    build_ok(dir, &[]);
    let ico = fs::read(dir.join("public/favicon.ico")).unwrap();
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");
    let share = image::open(dir.join("public/share.png")).unwrap();
    assert_eq!((share.width(), share.height()), (1200, 630));
    assert!(dir.join("public/apple-touch-icon.png").is_file());
    let html = read(dir, "theory/2024/01/study/index.html");
    assert!(
        html.contains("<link rel=\"icon\" href=\"/favicon.ico\""),
        "{html}"
    );
    let og = meta_tags(&html)
        .into_iter()
        .find(|(k, _)| k == "og:image")
        .unwrap()
        .1;
    assert_eq!(og, "https://test.example/share.png");

    // With a logo of its own, the icons are made from it.
    write(dir, "static/images/logo.png", transparent_png(256, 256));
    let toml = fs::read_to_string(dir.join("site.toml")).unwrap();
    fs::write(
        dir.join("site.toml"),
        format!("{toml}\n[identity]\nlogo = \"static/images/logo.png\"\n"),
    )
    .unwrap();
    build_ok(dir, &[]);
    assert_ne!(fs::read(dir.join("public/favicon.ico")).unwrap(), ico);
}

#[test]
fn the_cache_is_reused_and_pruned() {
    let site = fixture("basic");
    let dir = site.path();
    write(
        dir,
        "content/tourism/2024-11-28-a/a.jpg",
        phone_jpeg(1000, 750, 1, true, 7),
    );
    write(
        dir,
        "content/tourism/2024-11-28-a/index.md",
        format!("{FRONT}+++\n\n![图](a.jpg)\n"),
    );
    build_ok(dir, &[]);
    let cache = dir.join(".zhen-cache/images");
    let listing = |d: &Path| {
        let mut v: Vec<(String, std::time::SystemTime)> = fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let first = listing(&cache);
    assert!(
        first.iter().any(|(n, _)| n.ends_with("-1000.webp")),
        "{first:?}"
    );
    build_ok(dir, &[]);
    assert_eq!(listing(&cache), first, "a rebuild reuses every variant");
    // A changed photo gets new variants; the old ones are pruned.
    write(
        dir,
        "content/tourism/2024-11-28-a/a.jpg",
        phone_jpeg(1000, 750, 1, true, 8),
    );
    build_ok(dir, &[]);
    let second = listing(&cache);
    assert!(
        second
            .iter()
            .all(|(n, _)| !first.iter().any(|(m, _)| m == n && !n.starts_with("icon-")))
    );
}
