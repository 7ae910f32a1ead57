//! The default theme "township" on built sites: what its pages must hold (footer from
//! [identity], QR code, image sizes) and how a site re-brands it.

mod common;

use std::fs;

use common::{build_ok, fixture, read};

#[test]
fn a_site_static_file_replaces_the_themes() {
    let site = fixture("basic");
    fs::create_dir_all(site.path().join("static/css")).unwrap();
    fs::write(
        site.path().join("static/css/brand.css"),
        ":root { --brand: #004d99; }\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    assert_eq!(
        read(site.path(), "css/brand.css"),
        ":root { --brand: #004d99; }\n"
    );
    assert!(read(site.path(), "css/style.css").contains("var(--brand)"));
}

/// `site.toml` of the basic fixture with `extra` appended.
fn basic_with(extra: &str) -> tempfile::TempDir {
    let site = fixture("basic");
    let path = site.path().join("site.toml");
    let config = fs::read_to_string(&path).unwrap();
    let (top, tables) = config.split_once("\n[").unwrap();
    fs::write(&path, format!("{top}\n{extra}\n[{tables}")).unwrap();
    site
}

#[test]
fn a_publicity_footer_shows_what_identity_gives_and_nothing_empty() {
    let site = basic_with(
        "[identity]\norganizer = \"测试镇宣传办\"\nicp = \"浙ICP备12345678号-1\"\nsite_id = \"3300000001\"\n",
    );
    build_ok(site.path(), &[]);
    let html = read(site.path(), "index.html");
    let footer = &html[html.find("<footer class=\"site-footer\"").unwrap()..];
    assert!(footer.contains("主办单位：测试镇宣传办"), "{footer}");
    assert!(
        footer.contains(
            "<a href=\"https://beian.miit.gov.cn/\" rel=\"noopener\">浙ICP备12345678号-1</a>"
        ),
        "{footer}"
    );
    for absent in [
        "地址",
        "联系电话",
        "公网安备",
        "网站标识码",
        "找错",
        "gov-badge",
    ] {
        assert!(!footer.contains(absent), "{absent} in {footer}");
    }
    let compact: String = footer.split_whitespace().collect();
    assert!(!compact.contains("<p></p>") && !compact.contains("<pclass=\"footer-row\"></p>"));
}

#[test]
fn a_gov_footer_has_the_filings_site_code_badge_and_error_report_link() {
    let site = basic_with(
        "kind = \"gov\"\n\n[identity]\norganizer = \"测试镇人民政府\"\naddress = \"测试镇府前路1号\"\nphone = \"0571-1234 5678\"\nicp = \"浙ICP备12345678号-1\"\npolice_filing = \"浙公网安备33010002000001号\"\npolice_filing_code = \"33010002000001\"\nsite_id = \"3301000001\"\n\n[extra.gov_badge]\nimage = \"/images/red.png\"\nlink = \"https://example.org/record\"\n",
    );
    fs::create_dir_all(site.path().join("static/images")).unwrap();
    fs::write(site.path().join("static/images/red.png"), b"badge").unwrap();
    build_ok(site.path(), &[]);
    let html = read(site.path(), "theory/index.html");
    let footer = &html[html.find("<footer class=\"site-footer\"").unwrap()..];
    for expected in [
        "主办单位：测试镇人民政府",
        "地址：测试镇府前路1号",
        "<a href=\"tel:0571-12345678\">0571-1234 5678</a>",
        "href=\"https://beian.miit.gov.cn/\"",
        "<a class=\"police-filing\" href=\"https://beian.mps.gov.cn/#/query/webSearch?code=33010002000001\" rel=\"noopener\"><img src=\"/images/police-badge.svg\" alt=\"公安备案图标\" width=\"20\" height=\"20\">浙公网安备33010002000001号</a>",
        "网站标识码：3301000001",
        "<a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3301000001\" rel=\"noopener\">我为政府网站找错</a>",
        "<img src=\"/images/red.png\" alt=\"党政机关网站标识\" width=\"55\" height=\"65\">",
    ] {
        assert!(footer.contains(expected), "{expected} missing in {footer}");
    }
    // zhen check's P1 and P2 rules find everything they look for in this footer.
    let out = common::zhen(site.path(), &["check"]);
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    assert!(
        !report.contains("[P1]") && !report.contains("[P2]"),
        "{report}"
    );
}

#[test]
fn articles_carry_a_qr_code_of_their_address_and_sized_images() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let html = read(site.path(), "tourism/2024/04/peach/index.html");
    assert!(
        html.contains("<svg class=\"qr\" role=\"img\" aria-label=\"本文二维码：")
            && html.contains("<path"),
        "{html}"
    );
    assert!(
        html.contains(
            "alt=\"桃花\" loading=\"lazy\" decoding=\"async\" width=\"10\" height=\"10\">"
        ),
        "{html}"
    );
}

/// Every page of the sample portal: `lang`, one `h1`, landmarks, a skip link, the 关怀模式
/// switch, and images with alt text and a size; nothing loaded from other hosts.
#[test]
fn every_sample_page_has_the_accessible_skeleton() {
    let site = fixture("sample");
    build_ok(site.path(), &[]);
    let mut checked = 0;
    for file in common::files(site.path()) {
        if !file.ends_with(".html") {
            continue;
        }
        let html = read(site.path(), &file);
        if html.contains("http-equiv=\"refresh\"") {
            continue; // alias redirects
        }
        checked += 1;
        assert!(html.contains("<html lang=\"zh-CN\">"), "{file}");
        assert_eq!(html.matches("<h1").count(), 1, "one h1 in {file}");
        for landmark in [
            "<header class=\"site-header\">",
            "<nav class=\"main-nav\" aria-label=\"主导航\">",
            "<main id=\"main\"",
            "<footer class=\"site-footer\">",
            "<a class=\"skip-link\" href=\"#main\">",
            "<label class=\"care-toggle\" for=\"care\">",
        ] {
            assert!(html.contains(landmark), "{landmark} in {file}");
        }
        for img in html.split("<img ").skip(1) {
            let tag = &img[..img.find('>').unwrap()];
            // `alt=""` marks a picture the text beside it already names (图片新闻's cards).
            assert!(tag.contains(" alt=\""), "alt text in {file}: {tag}");
            assert!(
                tag.contains(" width=\"") && tag.contains(" height=\""),
                "size in {file}: {tag}"
            );
        }
        for tag in html
            .split(['<'])
            .filter(|t| t.starts_with("script") || t.starts_with("link ") || t.starts_with("img "))
        {
            let external = ["src=\"http", "src=\"//"].iter().any(|p| tag.contains(p))
                || (tag.starts_with("link ")
                    && tag.contains("stylesheet")
                    && tag.contains("href=\"http"));
            assert!(!external, "nothing from other hosts in {file}: {tag}");
        }
    }
    assert!(checked > 50, "{checked} pages");
}

#[test]
fn the_themes_css_and_js_stay_small() {
    let dir = common::repo().join("themes/township/static");
    let total: u64 = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "css" || x == "js")
        })
        .map(|e| e.metadata().unwrap().len())
        .sum();
    assert!(total < 60 * 1024, "theme CSS + JS is {total} bytes");
}

#[test]
fn an_article_shows_its_cover_unless_its_text_does() {
    let site = fixture("basic");
    let bundle = site.path().join("content/tourism/2024-05-01-fig");
    fs::create_dir_all(&bundle).unwrap();
    fs::write(
        bundle.join("index.md"),
        "+++\ntitle = \"采茶\"\ndate = 2024-05-01\ncover = \"pic.svg\"\n+++\n正文。\n",
    )
    .unwrap();
    fs::write(
        bundle.join("pic.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"16\" height=\"9\"/>",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    let html = read(site.path(), "tourism/2024/05/fig/index.html");
    assert!(
        html.contains(
            "<figure class=\"article-cover\"><img src=\"/tourism/2024/05/fig/pic.svg\" alt=\"采茶\""
        ),
        "{html}"
    );
    let peach = read(site.path(), "tourism/2024/04/peach/index.html");
    assert!(!peach.contains("article-cover"), "the text shows the cover");
}

/// A post dated `date` (`2024-05-01T09:00:00`) in the basic fixture's tourism category.
fn post(site: &std::path::Path, slug: &str, title: &str, date: &str) {
    fs::write(
        site.join(format!("content/tourism/{slug}.md")),
        format!("+++\ntitle = \"{title}\"\ndate = {date}\nslug = \"{slug}\"\n+++\n正文。\n"),
    )
    .unwrap();
}

#[test]
fn the_home_page_is_one_page_linking_the_category_lists_and_the_archive() {
    let site = fixture("basic");
    for i in 1..=9 {
        post(
            site.path(),
            &format!("p{i}"),
            &format!("第{i}篇"),
            &format!("2024-05-0{i}T09:00:00"),
        );
    }
    build_ok(site.path(), &[]);
    let home = read(site.path(), "index.html");
    assert!(
        !home.contains("/page/") && !home.contains("第 1 /"),
        "{home}"
    );
    assert!(!site.path().join("public/page").exists());
    let main = &home[home.find("<main").unwrap()..home.find("</main>").unwrap()];
    for link in [
        "href=\"/archive/\"",
        "href=\"/theory/\"",
        "href=\"/tourism/\"",
    ] {
        assert!(main.contains(link), "{link} in {main}");
    }
    // 要闻 shows the newest eight, more than paginate_by = 2 of the lists.
    assert!(main.contains("第9篇") && main.contains("第4篇"), "{main}");
    let sitemap = read(site.path(), "sitemap.xml");
    assert!(
        !sitemap.contains("<loc>https://test.example/page/"),
        "{sitemap}"
    );
    // The category lists keep their pages.
    assert!(
        site.path()
            .join("public/tourism/page/2/index.html")
            .exists()
    );
}

#[test]
fn list_dates_on_the_home_page_name_the_year_unless_it_is_this_one() {
    let site = fixture("basic");
    let year = jiff::ZonedDateTime::now()
        .with_time_zone(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
        .year();
    post(
        site.path(),
        "new",
        "今年的文章",
        &format!("{year}-01-01T00:00:00"),
    );
    post(
        site.path(),
        "old",
        "去年的文章",
        &format!("{}-12-30T09:00:00", year - 1),
    );
    build_ok(site.path(), &[]);
    let home = read(site.path(), "index.html");
    assert!(
        home.contains(&format!(
            "<time datetime=\"{year}-01-01T00:00:00+08:00\">01-01</time>"
        )),
        "{home}"
    );
    assert!(
        home.contains(&format!(">{}-12-30</time>", year - 1)),
        "{home}"
    );
    assert!(home.contains(">2024-03-04</time>"), "{home}");
    assert!(!home.contains(">03-04</time>"), "{home}");
}

#[test]
fn the_navigation_keeps_eight_categories_in_the_bar_and_the_rest_under_more() {
    let names: Vec<String> = (1..=19).map(|i| format!("栏目{i:02}")).collect();
    let mut toml = String::from("title = \"测试镇\"\nbase_url = \"https://t.example\"\n");
    let site = tempfile::tempdir().unwrap();
    for (i, name) in names.iter().enumerate() {
        toml.push_str(&format!(
            "\n[[categories]]\nkey = \"c{i}\"\nname = \"{name}\"\n"
        ));
        let dir = site.path().join(format!("content/c{i}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("2024-01-02-a.md"),
            format!(
                "+++\ntitle = \"{name}消息\"\ndate = 2024-01-02\ncategory = \"c{i}\"\n+++\n正文。\n"
            ),
        )
        .unwrap();
    }
    fs::write(site.path().join("site.toml"), toml).unwrap();
    build_ok(site.path(), &[]);
    let html = read(site.path(), "c12/index.html");
    let nav = &html[html.find("<nav class=\"main-nav\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    let more = nav.find("<details").expect("更多栏目");
    assert!(nav[more..].contains("<summary>更多栏目</summary>"), "{nav}");
    for (i, name) in names.iter().enumerate() {
        let at = nav.find(&format!(">{name}</a>")).expect(name);
        assert_eq!(at > more, i >= 8, "{name} in {nav}");
    }
    // The page's own category is under 更多栏目: the disclosure says so.
    assert!(nav.contains("<details class=\"has-current\">"), "{nav}");
    assert!(
        nav.contains("<a href=\"/c12/\" aria-current=\"page\">"),
        "{nav}"
    );
    // No 专题 on a site without feature columns.
    assert!(!nav.contains("/columns/"), "{nav}");
    // Nine categories fit the bar: no 更多栏目.
    let nine = basic_with("");
    build_ok(nine.path(), &[]);
    assert!(!read(nine.path(), "index.html").contains("<details"));
}

#[test]
fn readers_are_offered_subscribing_in_their_words_and_the_police_badge() {
    let site = basic_with(
        "[identity]\norganizer = \"测试镇宣传办\"\npolice_filing = \"浙公网安备33010002000001号\"\npolice_filing_code = \"33010002000001\"\n",
    );
    build_ok(site.path(), &[]);
    let html = read(site.path(), "index.html");
    let footer = &html[html.find("<footer class=\"site-footer\"").unwrap()..];
    assert!(
        footer.contains("<a href=\"/sitemap/#subscribe\">订阅</a>"),
        "{footer}"
    );
    assert!(
        !footer.contains("RSS") && !footer.contains("Atom"),
        "{footer}"
    );
    assert!(
        footer.contains("<img src=\"/images/police-badge.svg\" alt=\"公安备案图标\" width=\"20\" height=\"20\">浙公网安备33010002000001号</a>"),
        "{footer}"
    );
    let badge = read(site.path(), "images/police-badge.svg");
    assert!(
        badge.starts_with("<svg")
            && !badge.contains("http://www.w3.org/1999/xlink\" xlink:href=\"http")
    );
    // The site map explains 订阅 and gives the addresses without the jargon as link text.
    let map = read(site.path(), "sitemap/index.html");
    let feeds = &map[map.find("id=\"subscribe\"").expect("订阅 section")..];
    let feeds = &feeds[..feeds.find("</section>").unwrap()];
    assert!(
        feeds.contains("新闻阅读器") && feeds.contains("href=\"/atom.xml\">全站最新文章</a>"),
        "{feeds}"
    );
    assert!(
        feeds.contains("href=\"/theory/atom.xml\">理论武装最新文章</a>"),
        "{feeds}"
    );
    let text: String = feeds
        .split('<')
        .map(|t| t.split_once('>').map_or("", |(_, x)| x))
        .collect();
    assert!(!text.contains("RSS") && !text.contains("Atom"), "{text}");
}

#[test]
fn an_article_offers_copying_its_link_beside_the_qr_code() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let html = read(site.path(), "tourism/2024/04/peach/index.html");
    let share = &html[html.find("<div class=\"share\">").unwrap()..];
    assert!(share.contains("<div class=\"share-qr\">"), "{share}");
    assert!(
        share.contains(
            "data-copy=\"https://test.example/tourism/2024/04/peach/\" hidden>复制链接</button>"
        ),
        "{share}"
    );
    let css = read(site.path(), "css/style.css");
    assert!(css.contains(
        "(max-width: 47.99em), (hover: none) and (pointer: coarse) { .share-qr { display: none; } }"
    ));
}
