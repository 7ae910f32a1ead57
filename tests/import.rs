//! `zhen import`: small Hexo, Hugo, Zola, Jekyll and plain-Markdown sites (tests/fixtures/
//! import-*, written in the shapes those tools document) imported, then built with the real
//! binary; old URLs must answer, categories, tags, dates and images must arrive, shortcodes must
//! be converted, and the report must name what was not.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{files, read, repo, zhen};

/// Imports fixture `import-<name>` with `tool` into a fresh folder and builds it; returns the
/// temp dir (kept alive) and the site folder.
fn import_and_build(tool: &str, name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let src = repo().join("tests/fixtures").join(name);
    let dest = tmp.path().join("site");
    let out = zhen(
        tmp.path(),
        &[
            "import",
            tool,
            src.to_str().unwrap(),
            dest.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "import failed:\n{stderr}");
    assert!(stderr.contains("已导入"), "{stderr}");
    let out = zhen(&dest, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "build of the import failed:\n{stderr}"
    );
    (tmp, dest)
}

fn text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts `public/<old>` is a redirect page to `new`.
fn redirects(site: &Path, old: &str, new: &str) {
    let html = read(site, old);
    assert!(
        html.contains(&format!("url={new}\"")),
        "{old} should redirect to {new}:\n{html}"
    );
}

/// The text of an element's page: tags removed, to look for words across highlighting spans.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn hexo_site_keeps_its_urls_categories_images_and_tags() {
    let (_tmp, site) = import_and_build("hexo", "import-hexo");
    let toml = text(&site.join("site.toml"));
    assert!(
        toml.contains("permalink = \"/{year}/{month}/{day}/{slug}/\""),
        "{toml}"
    );
    assert!(
        toml.contains("base_url = \"https://blog.qingxi.example\""),
        "{toml}"
    );
    assert!(toml.contains("key = \"java\"\nname = \"Java\""), "{toml}");

    // `:year/:month/:day/:title/` kept exactly for an ASCII file name.
    let page = read(&site, "2024/03/05/spring-flowers/index.html");
    assert!(page.contains("春季赏花节开幕"));
    assert!(
        page.contains("datetime=\"2024-03-05T09:30:00+08:00\""),
        "date kept"
    );
    // asset_img from the post's asset folder and /images/ from source/, both beside the post.
    let all = files(&site);
    assert!(
        all.contains(&"2024/03/05/spring-flowers/peach.jpg".to_string()),
        "{all:?}"
    );
    assert!(
        all.contains(&"2024/03/05/spring-flowers/map.png".to_string()),
        "{all:?}"
    );
    assert!(
        page.contains("alt=\"桃花盛开\""),
        "asset_img's title is the alt text"
    );
    // Static files not used by posts keep their URL.
    assert!(all.contains(&"images/logo.png".to_string()), "{all:?}");
    // Tag plugins.
    assert!(
        page.contains("<blockquote>") && page.contains("温馨提示"),
        "note → blockquote"
    );
    assert!(page.contains("https://www.youtube.com/watch?v=dQw4w9WgXcQ"));
    assert!(page.contains("https://www.bilibili.com/video/BV1GJ411x7h7"));
    assert!(!page.contains("<iframe"), "videos are links, never embeds");
    assert!(page.contains("language-js"), "codeblock → fenced code");
    assert!(!page.contains("<b>hi</b>"), "code is never live HTML");
    assert!(!page.contains("{% raw %}") && page.contains("{{ 这里原样 }}"));
    assert!(
        page.contains("href=\"/2024/04/01/mian-shi-zhi-nan/\""),
        "post_link"
    );

    // A Chinese file name: a pinyin URL now, the old one redirects.
    redirects(
        &site,
        "2024/04/01/面试指南/index.html",
        "/2024/04/01/mian-shi-zhi-nan/",
    );
    // A post's own `permalink`.
    redirects(&site, "notes/fixed-url.html", "/2023/12/31/old-url/");
    // Categories by name; the hierarchy's second level is a tag.
    let java = read(&site, "java/index.html");
    assert!(java.contains("面试指南"), "{java}");
    assert!(read(&site, "tourism/index.html").contains("春季赏花节开幕"));
    assert!(read(&site, "volunteer/index.html").contains("固定网址的文章"));
    assert!(all.iter().any(|f| f.starts_with("tags/spring/")), "{all:?}");
    assert!(
        all.iter().any(|f| f.starts_with("tags/shang-hua/")),
        "{all:?}"
    );
    // The page outside _posts keeps /about/.
    assert!(read(&site, "about/index.html").contains("青溪镇宣传办主办"));

    let report = text(&site.join("IMPORT-REPORT.md"));
    assert!(report.starts_with("# 导入报告"), "{report}");
    assert!(report.contains("{% unknown_tag foo %}"), "{report}");
    assert!(report.contains("/images/missing.png 找不到"), "{report}");
    assert!(report.contains("没有替代文字"), "{report}");
    assert!(
        report.contains("| Java | Java | java | 标准分类里没有"),
        "{report}"
    );
    assert!(report.contains("- 文章：4 篇"), "{report}");
    // A cover moves beside its post; a missing one is dropped (lists would show it broken).
    assert!(
        all.contains(&"2024/05/06/village-news/cover.jpg".to_string()),
        "{all:?}"
    );
    assert!(report.contains("已去掉 `thumbnail`"), "{report}");
    // Links to the site's own domain and to an old URL become links to the new page; anchors
    // the target has no heading for are dropped, missing ones within the page reported.
    let village = read(&site, "2024/05/06/village-news/index.html");
    let start = village.find("<p>见").expect("the post's text");
    let para = &village[start..start + village[start..].find("</p>").unwrap()];
    assert_eq!(
        para.matches("href=\"/2024/04/01/mian-shi-zhi-nan/\"")
            .count(),
        2,
        "{para}"
    );
    assert!(report.contains("#不存在的小标题"), "{report}");
    assert!(report.contains("页内链接 #没有这个小标题"), "{report}");
}

#[test]
fn hugo_site_keeps_permalinks_bundles_and_makes_code_of_highlight() {
    let (_tmp, site) = import_and_build("hugo", "import-hugo");
    let page = read(&site, "2024/04/peach-festival/index.html");
    let all = files(&site);
    assert!(
        all.contains(&"2024/04/peach-festival/peach.jpg".to_string()),
        "{all:?}"
    );
    assert!(page.contains("alt=\"盛开的桃花\""), "figure caption as alt");
    // The highlight body is code: escaped, never a live script.
    assert!(!page.contains("<script>alert"), "{page}");
    let code = plain(&page);
    assert!(
        code.contains("&lt;script&gt;alert(&quot;不应执行&quot;)"),
        "{code}"
    );
    assert!(page.contains("language-html"));
    // ref → the other post's new URL; an attachment from static/ beside the post, and still at
    // its old URL.
    assert!(page.contains("href=\"/2024/03/volunteers/\""), "{page}");
    assert!(
        all.contains(&"2024/04/peach-festival/schedule.pdf".to_string()),
        "{all:?}"
    );
    assert!(all.contains(&"uploads/schedule.pdf".to_string()), "{all:?}");
    assert!(page.contains("https://www.youtube.com/watch?v=w7Ft2ymGmfc"));
    // `:slug` falls back to the title in Hugo; front matter aliases and `url` are kept.
    redirects(
        &site,
        "2024/03/志愿者招募/index.html",
        "/2024/03/volunteers/",
    );
    redirects(&site, "old/volunteers.html", "/2024/03/volunteers/");
    redirects(&site, "special/theory-study.html", "/2024/02/theory-study/");
    let toml = text(&site.join("site.toml"));
    assert!(
        toml.contains("key = \"mongodb\"\nname = \"MongoDB\""),
        "{toml}"
    );
    assert!(read(&site, "mongodb/index.html").contains("理论学习会"));
    assert!(read(&site, "about/index.html").contains("关于本站"));
    let report = text(&site.join("IMPORT-REPORT.md"));
    assert!(
        report.contains("{{< gallery dir=\"photos\" >}}"),
        "{report}"
    );
}

#[test]
fn zola_site_keeps_taxonomies_sections_and_internal_links() {
    let (_tmp, site) = import_and_build("zola", "import-zola");
    let toml = text(&site.join("site.toml"));
    assert!(toml.contains("permalink = \"/blog/{slug}/\""), "{toml}");
    let page = read(&site, "blog/tea-picking/index.html");
    assert!(
        page.contains("datetime=\"2024-05-01T00:00:00+08:00\""),
        "date from the folder name"
    );
    let all = files(&site);
    assert!(
        all.contains(&"blog/tea-picking/tea.png".to_string()),
        "{all:?}"
    );
    assert!(
        all.contains(&"blog/tea-picking/banner.png".to_string()),
        "{all:?}"
    );
    assert!(page.contains("https://www.youtube.com/watch?v=abc123"));
    assert!(
        all.iter().any(|f| f.starts_with("tags/cha-ye/")),
        "[taxonomies] tags: {all:?}"
    );
    assert!(read(&site, "tourism/index.html").contains("采茶季开始了"));
    // Zola's own `@/` link and a relative one both reach the post.
    let civility = read(&site, "blog/wen-ming-yue/index.html");
    let start = civility.find("<p>活动内容见").expect("the post's text");
    let para = &civility[start..start + civility[start..].find("</p>").unwrap()];
    assert_eq!(
        para.matches("href=\"/blog/tea-picking/\"").count(),
        2,
        "{para}"
    );
    // A post of another section keeps its URL through an alias.
    redirects(
        &site,
        "notes/tourism-guide/index.html",
        "/blog/tourism-guide/",
    );
    let report = text(&site.join("IMPORT-REPORT.md"));
    assert!(report.contains("原文没有分类"), "{report}");
}

#[test]
fn jekyll_site_keeps_date_urls_and_converts_liquid() {
    let (_tmp, site) = import_and_build("jekyll", "import-jekyll");
    // `/:categories/:year/:month/:day/:title.html` with the folder category `news`.
    let news = read(&site, "news/2024/05/20/elder-care.html");
    assert!(news.contains("敬老院慰问"));
    assert!(
        news.contains("href=\"/volunteer/2024/06/01/river-cleanup.html\""),
        "{{% link %}}"
    );
    let page = read(&site, "volunteer/2024/06/01/river-cleanup.html");
    assert!(
        page.contains("href=\"/news/2024/05/20/elder-care.html\""),
        "post_url"
    );
    assert!(page.contains("language-python") && !page.contains("<i>done</i>"));
    let all = files(&site);
    assert!(
        all.contains(&"volunteer/2024/06/01/river-cleanup/river.jpg".to_string()),
        "{{{{ site.baseurl }}}}/assets image beside the post: {all:?}"
    );
    redirects(
        &site,
        "志愿服务/environment/2024/06/01/river-cleanup.html",
        "/volunteer/2024/06/01/river-cleanup.html",
    );
    assert!(
        all.iter().any(|f| f.starts_with("tags/environment/")),
        "{all:?}"
    );
    assert!(read(&site, "about/index.html").contains("关于我们"));
    // Jekyll's one-digit months and days in file names.
    let week = read(&site, "uncategorized/2022/11/01/week.html");
    assert!(
        week.contains("datetime=\"2022-11-01T00:00:00+08:00\""),
        "{week}"
    );
    redirects(
        &site,
        "2022/11/01/week.html",
        "/uncategorized/2022/11/01/week.html",
    );
    let report = text(&site.join("IMPORT-REPORT.md"));
    assert!(
        report.contains("{% include video.html id=\"x\" %}"),
        "{report}"
    );
}

#[test]
fn markdown_folder_takes_titles_dates_and_includes() {
    let (_tmp, site) = import_and_build("markdown", "import-markdown");
    let post = read(&site, "tourism/2024/07/he-hua-jie/index.html");
    assert!(post.contains("荷花节开幕"), "title from the # heading");
    assert!(post.contains("datetime=\"2024-07-01T00:00:00+08:00\""));
    let all = files(&site);
    assert!(
        all.contains(&"tourism/2024/07/he-hua-jie/lotus.png".to_string()),
        "{all:?}"
    );
    assert!(
        post.contains("href=\"/docs/guide/#"),
        "relative .md link: {post}"
    );
    let guide = read(&site, "docs/guide/index.html");
    let code = plain(&guide);
    assert!(
        code.contains("line2") && code.contains("line3"),
        "{{#include}} inlined"
    );
    assert!(!code.contains("line1") && !code.contains("line4") && !code.contains("{{#include"));
    // A folder's README is the folder's own page.
    assert!(read(&site, "docs/index.html").contains("这里是资料的目录页"));
}

/// Every file below `dir` with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn import_is_idempotent_leaves_the_source_alone_and_refuses_foreign_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("blog");
    common::copy(&repo().join("tests/fixtures/import-hexo"), &src);
    let before = tree(&src);
    let run = |args: &[&str]| zhen(tmp.path(), args);

    // Default destination: beside the source.
    let out = run(&["import", "hexo", "blog"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dest = tmp.path().join("blog-zhen");
    let first = tree(&dest);
    assert!(first.iter().any(|(p, _)| p == "IMPORT-REPORT.md"));
    // Again into the same folder: the same files, byte for byte.
    let out = run(&["import", "hexo", "blog", "blog-zhen"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(tree(&dest), first);
    assert_eq!(tree(&src), before, "the source is never changed");

    // A folder with other files is refused and left as it is.
    let other = tmp.path().join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("notes.txt"), "mine").unwrap();
    let out = run(&["import", "hexo", "blog", "other"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("不是空的"), "{stderr}");
    assert_eq!(tree(&other).len(), 1);
    // Inside the source: refused.
    let out = run(&["import", "hexo", "blog", "blog/out"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!src.join("out").exists());
    // The wrong tool for the folder says so.
    let out = run(&["import", "zola", "blog", "z"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Zola"));
}

#[test]
fn hexo_permalinks_with_front_matter_tokens_keep_each_post_or_say_why_not() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("blog");
    common::copy(&repo().join("tests/fixtures/import-hexo"), &src);
    let config = text(&src.join("_config.yml")).replace(
        "permalink: :year/:month/:day/:title/",
        "permalink: posts/:abbrlink.html",
    );
    fs::write(src.join("_config.yml"), config).unwrap();
    let post = src.join("source/_posts/spring-flowers.md");
    let with_abbrlink = text(&post).replacen("title:", "abbrlink: 3f2a\ntitle:", 1);
    fs::write(&post, with_abbrlink).unwrap();
    let out = zhen(tmp.path(), &["import", "hexo", "blog", "site"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = tmp.path().join("site");
    let out = zhen(&site, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Not expressible in zhen's patterns: zhen's default, and the old URL as a redirect.
    redirects(&site, "posts/3f2a.html", "/tourism/2024/03/spring-flowers/");
    let report = text(&site.join("IMPORT-REPORT.md"));
    assert!(
        report.contains("source/_posts/village-news.md：网址格式里的 :abbrlink 没有值"),
        "{report}"
    );
}
