//! Portal structure on built sites: archives, feature columns, tags, feeds, site maps,
//! permalinks, aliases, meta tags and `zhen new`.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::{build_err, build_ok, files, fixture, meta_tags, read, xml_texts, zhen};

fn built(name: &str) -> tempfile::TempDir {
    let site = fixture(name);
    build_ok(site.path(), &[]);
    site
}

#[test]
fn archives_count_posts_and_skip_empty_months() {
    let site = built("portal");
    let index = read(site.path(), "archive/index.html");
    assert!(
        index.contains("2024年") && index.contains("2023年"),
        "{index}"
    );
    assert!(
        index.contains(
            "<a href=\"/archive/2024/03/\">2024年3月</a> <span class=\"count\">（2）</span>"
        ),
        "{index}"
    );
    assert!(
        index.contains(
            "<a href=\"/archive/2023/\">2023年</a> <span class=\"count\">（3 篇）</span>"
        ),
        "{index}"
    );
    let files = files(site.path());
    for month in ["2023/05", "2023/06", "2023/07", "2024/03", "2024/08"] {
        assert!(
            files.contains(&format!("archive/{month}/index.html")),
            "{month}"
        );
    }
    assert!(
        !files.iter().any(|f| f.starts_with("archive/2024/04")),
        "no page for an empty month"
    );
    assert!(
        !index.contains("/archive/2024/04/"),
        "no link to an empty month"
    );
    let march = read(site.path(), "archive/2024/03/index.html");
    assert!(march.contains("油菜花海迎客") && march.contains("长乐村桃花节开幕"));
    assert!(!march.contains("夏季民宿指南"));
    // Year lists paginate like the others (2 per page here).
    assert!(
        read(site.path(), "archive/2023/index.html").contains("href=\"/archive/2023/page/2/\"")
    );
}

#[test]
fn columns_gather_posts_by_front_matter_and_by_folder() {
    let site = built("portal");
    let farm = read(site.path(), "columns/farm-stay/index.html");
    assert!(farm.contains("夏季民宿指南"), "member by folder: {farm}");
    assert!(farm.contains("农家乐线路发布"), "member by front matter");
    let flowers = read(site.path(), "columns/flowers/index.html");
    assert!(flowers.contains("每年春天的赏花季"), "introduction");
    assert!(
        flowers.contains("src=\"/columns/flowers/cover.svg\""),
        "cover"
    );
    assert!(flowers.contains("长乐村桃花节开幕") && flowers.contains("油菜花海迎客"));
    assert!(
        site.path()
            .join("public/columns/flowers/cover.svg")
            .exists()
    );
}

#[test]
fn ended_columns_are_listed_as_past() {
    let site = built("portal");
    let list = read(site.path(), "columns/index.html");
    let past = list.find("往期专题").expect("past columns heading");
    let old = list.find("2023年创城专题").unwrap();
    let flowers = list.find("赏花季").unwrap();
    let farm = list.find("农家乐精品线路").unwrap();
    assert!(
        flowers < farm && farm < past && past < old,
        "active by weight, then past: {list}"
    );
    assert!(read(site.path(), "columns/old-topic/index.html").contains("本专题已结束"));
}

#[test]
fn home_page_offers_the_active_columns() {
    let site = fixture("portal");
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/index.html"),
        "{% for c in columns %}{% if not c.ended %}[{{ c.title }}]{% endif %}{% endfor %}",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    assert_eq!(read(site.path(), "index.html"), "[赏花季][农家乐精品线路]");
}

#[test]
fn unknown_columns_fail_with_the_known_ones() {
    let site = fixture("portal");
    fs::write(
        site.path().join("content/tourism/2024-05-01-x.md"),
        "+++\ntitle = \"x\"\ndate = 2024-05-01\ncolumn = \"flower\"\n+++\n",
    )
    .unwrap();
    let stderr = build_err(site.path());
    assert!(stderr.contains("专题 \"flower\" 不存在"), "{stderr}");
    assert!(stderr.contains("2024-05-01-x.md:4:1"), "{stderr}");
    assert!(
        stderr.contains("\"flowers\"") && stderr.contains("farm-stay"),
        "{stderr}"
    );
}

#[test]
fn tags_are_listed_by_count() {
    let site = built("portal");
    let tags = read(site.path(), "tags/index.html");
    let a = tags.find("赏花").unwrap();
    let b = tags.find("桃花").unwrap();
    assert!(a < b, "赏花 (2) before 桃花 (1)");
    assert!(
        tags.contains("<a href=\"/tags/shang-hua/\">赏花</a> <span class=\"count\">（2）</span>"),
        "{tags}"
    );
}

#[test]
fn feeds_parse_with_absolute_urls_newest_first() {
    let site = built("portal");
    for feed in ["atom.xml", "tourism/atom.xml", "columns/flowers/atom.xml"] {
        let xml = read(site.path(), feed);
        let ids = xml_texts(&xml, "id");
        assert!(
            ids.iter().all(|u| u.starts_with("https://portal.example/")),
            "{feed}: {ids:?}"
        );
    }
    let atom = read(site.path(), "atom.xml");
    let titles = xml_texts(&atom, "title");
    // feed_limit = 2: the two newest posts, after the feed's own title.
    assert_eq!(titles, ["专题测试镇", "夏季民宿指南", "油菜花海迎客"]);
    let content = xml_texts(&atom, "content").join("");
    assert!(
        content
            .contains("src=\"https://portal.example/tourism/202408/t20240818_summer/photo.svg\""),
        "{content}"
    );
    let rss = read(site.path(), "tourism/rss.xml");
    assert_eq!(
        xml_texts(&rss, "title"),
        ["乡村旅游 - 专题测试镇", "夏季民宿指南", "油菜花海迎客"]
    );
    let dates = xml_texts(&rss, "pubDate");
    assert_eq!(dates[0], "Sun, 18 Aug 2024 00:00:00 +0800");
    let column = read(site.path(), "columns/old-topic/rss.xml");
    assert_eq!(
        xml_texts(&column, "link")[1..],
        [
            "https://portal.example/civility/202307/t20230707_city2.html",
            "https://portal.example/civility/202305/t20230505_city.html"
        ]
    );
}

#[test]
fn sitemap_lists_every_page_exactly_once() {
    let site = built("portal");
    let xml = read(site.path(), "sitemap.xml");
    let locs = xml_texts(&xml, "loc");
    let unique: BTreeSet<&String> = locs.iter().collect();
    assert_eq!(unique.len(), locs.len(), "duplicates in {locs:#?}");
    let expected: BTreeSet<String> = files(site.path())
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html" && !f.starts_with("old/"))
        .map(|f| {
            format!(
                "https://portal.example/{}",
                f.trim_end_matches("index.html")
            )
        })
        .collect();
    let got: BTreeSet<String> = locs.into_iter().collect();
    assert_eq!(got, expected);
    let robots = read(site.path(), "robots.txt");
    assert!(robots.contains("Sitemap: https://portal.example/sitemap.xml"));
}

#[test]
fn the_site_map_page_links_every_category_column_and_year() {
    let site = built("portal");
    let page = read(site.path(), "sitemap/index.html");
    for href in [
        "/tourism/",
        "/civility/",
        "/columns/flowers/",
        "/columns/farm-stay/",
        "/columns/old-topic/",
        "/archive/2024/",
        "/archive/2023/",
        "/tags/",
    ] {
        assert!(page.contains(&format!("href=\"{href}\"")), "{href} missing");
    }
}

#[test]
fn html_permalinks_pinyin_slugs_and_overrides() {
    let site = built("portal");
    let files = files(site.path());
    assert!(
        files.contains(&"tourism/202403/t20240310_changle-tao-hua-jie.html".to_string()),
        "{files:#?}"
    );
    assert!(files.contains(&"civility/202305/t20230505_city.html".to_string()));
    assert!(
        files.contains(&"tourism/202408/t20240818_summer/photo.svg".to_string()),
        "bundle files beside an .html page"
    );
    let html = read(site.path(), "tourism/202408/t20240818_summer.html");
    assert!(html.contains("src=\"/tourism/202408/t20240818_summer/photo.svg\""));
    assert!(files.iter().all(|f| f.is_ascii()), "URLs are ASCII");
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = built("portal");
    for alias in ["old/peach.html", "old/peach-2/index.html"] {
        let html = read(site.path(), alias);
        assert!(
            html.contains("url=/tourism/202403/t20240310_changle-tao-hua-jie.html"),
            "{html}"
        );
        assert!(html.contains("rel=\"canonical\" href=\"https://portal.example/tourism/202403/t20240310_changle-tao-hua-jie.html\""));
    }
    assert!(read(site.path(), "404.html").contains("页面不存在"));
}

#[test]
fn alias_collisions_are_errors() {
    let site = fixture("portal");
    fs::write(
        site.path().join("content/tourism/2024-05-01-x.md"),
        "+++\ntitle = \"x\"\ndate = 2024-05-01\naliases = [\"/tourism/\"]\n+++\n",
    )
    .unwrap();
    let stderr = build_err(site.path());
    assert!(
        stderr.contains("/tourism/")
            && stderr.contains("乡村旅游")
            && stderr.contains("2024-05-01-x.md"),
        "{stderr}"
    );
}

#[test]
fn meta_tags_on_articles_lists_and_home() {
    let site = built("portal");
    let get = |tags: &[(String, String)], name: &str| {
        tags.iter().find(|(n, _)| n == name).map(|(_, c)| c.clone())
    };
    let article = meta_tags(&read(site.path(), "civility/202305/t20230505_city.html"));
    assert_eq!(get(&article, "SiteName").as_deref(), Some("专题测试镇"));
    assert_eq!(
        get(&article, "SiteDomain").as_deref(),
        Some("portal.example")
    );
    assert_eq!(get(&article, "SiteIDCode").as_deref(), Some("3300000001"));
    assert_eq!(
        get(&article, "ArticleTitle").as_deref(),
        Some("创城推进会召开")
    );
    assert_eq!(
        get(&article, "PubDate").as_deref(),
        Some("2023-05-05 00:00")
    );
    assert_eq!(get(&article, "ContentSource").as_deref(), Some("镇文明办"));
    assert_eq!(get(&article, "ColumnName").as_deref(), Some("精神文明"));
    assert_eq!(get(&article, "og:type").as_deref(), Some("article"));
    assert_eq!(
        get(&article, "og:url").as_deref(),
        Some("https://portal.example/civility/202305/t20230505_city.html")
    );
    let bundle = meta_tags(&read(site.path(), "tourism/202408/t20240818_summer.html"));
    assert_eq!(
        get(&bundle, "og:image").as_deref(),
        Some("https://portal.example/tourism/202408/t20240818_summer/photo.svg")
    );

    let list = meta_tags(&read(site.path(), "tourism/index.html"));
    assert_eq!(get(&list, "ColumnName").as_deref(), Some("乡村旅游"));
    assert_eq!(
        get(&list, "ColumnDescription").as_deref(),
        Some("乡村旅游资讯")
    );
    assert_eq!(get(&list, "ColumnType").as_deref(), Some("旅游资讯"));
    assert!(get(&list, "ColumnKeywords").is_some());
    assert!(get(&list, "ArticleTitle").is_none());

    let home = meta_tags(&read(site.path(), "index.html"));
    assert_eq!(get(&home, "SiteName").as_deref(), Some("专题测试镇"));
    assert_eq!(get(&home, "og:type").as_deref(), Some("website"));
    let html = read(site.path(), "index.html");
    assert!(html.contains("<link rel=\"canonical\" href=\"https://portal.example/\">"));
}

#[test]
fn zhen_new_writes_a_post_the_next_build_renders_at_the_printed_url() {
    let site = fixture("portal");
    let out = zhen(
        site.path(),
        &[
            "new",
            "tourism",
            "长乐村：春季赏花节",
            "--column",
            "flowers",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let file = site
        .path()
        .join(String::from_utf8_lossy(&out.stdout).trim());
    let file = file.to_string_lossy().into_owned();
    assert!(
        file.contains("content/tourism/")
            && file.ends_with("-changle-cun-chun-ji-shang-hua-jie/index.md"),
        "{file}"
    );
    let text = fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("title = \"长乐村：春季赏花节\"")
            && text.contains("column = \"flowers\"")
            && text.contains("category = \"tourism\"")
    );
    let url = stderr
        .lines()
        .find_map(|l| l.strip_prefix("发布后的网址："))
        .expect("url printed")
        .to_string();
    // The sample body must be replaced before the post is published (C9).
    let refused = zhen(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains("[C9] 还有没改的示例内容“在这里写正文。”") && stderr.contains(":10:1"),
        "{stderr}"
    );
    fs::write(
        &file,
        text.replace("在这里写正文。", "长乐村的油菜花开了。"),
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let path = url.strip_prefix("https://portal.example/").unwrap();
    assert!(read(site.path(), path).contains("长乐村：春季赏花节"));
    assert!(read(site.path(), "columns/flowers/index.html").contains("长乐村：春季赏花节"));

    let again = zhen(site.path(), &["new", "tourism", "长乐村：春季赏花节"]);
    assert!(!again.status.success(), "refuses to overwrite");
    assert!(String::from_utf8_lossy(&again.stderr).contains("文件已存在"));
    assert!(!zhen(site.path(), &["new", "nosuch", "x"]).status.success());
    assert!(
        !zhen(site.path(), &["new", "tourism", "x", "--column", "nosuch"])
            .status
            .success()
    );
}
