//! The search index of a built site: which pages it lists, what it knows of them, the search
//! page and box, and `[search]` / `in_search_index` in use.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::{build_ok, files, fixture, read};
use serde_json::Value;

/// Every page in the index of the site built in `dir`: URL -> its fragment (what a result
/// shows: `meta`, `filters`, `content`).
fn indexed(dir: &Path) -> BTreeMap<String, Value> {
    let mut pages = BTreeMap::new();
    for file in files(dir)
        .iter()
        .filter(|f| f.starts_with("search-index/d/"))
    {
        let fragment: Value = serde_json::from_str(&read(dir, file)).unwrap();
        pages.insert(fragment["url"].as_str().unwrap().to_string(), fragment);
    }
    pages
}

/// The number of pages meta.json announces.
fn entry_page_count(dir: &Path) -> u64 {
    let meta: Value = serde_json::from_str(&read(dir, "search-index/meta.json")).unwrap();
    meta["pages"].as_u64().unwrap()
}

fn urls(pages: &BTreeMap<String, Value>) -> BTreeSet<&str> {
    pages.keys().map(String::as_str).collect()
}

fn append(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    let old = fs::read_to_string(&path).unwrap();
    fs::write(path, old + text).unwrap();
}

#[test]
fn the_index_lists_every_published_post_and_section_and_no_draft() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let all = files(site.path());
    assert!(all.contains(&"search-index/meta.json".to_string()));
    assert!(
        all.iter().any(|f| f.starts_with("search-index/t/")),
        "{all:?}"
    );
    let pages = indexed(site.path());
    assert_eq!(
        urls(&pages),
        BTreeSet::from([
            "/about/",
            "/about/contact/",
            "/theory/2024/01/study/",
            "/theory/2024/02/second/",
            "/theory/2024/03/third/",
            "/tourism/2024/04/peach/",
        ])
    );
    assert_eq!(entry_page_count(site.path()), 6);

    let study = &pages["/theory/2024/01/study/"];
    assert_eq!(study["meta"]["title"], "中心组学习");
    assert_eq!(study["meta"]["date"], "2024-01-02");
    assert_eq!(study["meta"]["category"], "理论武装");
    assert_eq!(study["filters"]["category"][0], "理论武装");
    assert_eq!(study["filters"]["year"][0], "2024");
    let content = study["content"].as_str().unwrap().replace('\u{200b}', "");
    assert!(content.contains("数据来自半年总结"), "body text: {content}");
    assert!(
        !content.contains("测试镇"),
        "no header or footer: {content}"
    );
    assert!(
        !content.contains("发布时间"),
        "no article meta line: {content}"
    );
    let second = pages["/theory/2024/02/second/"]["content"]
        .as_str()
        .unwrap()
        .replace('\u{200b}', "");
    assert!(second.contains("宣讲"), "tags are indexed: {second}");
}

#[test]
fn columns_are_indexed_and_filter_their_posts() {
    let site = fixture("portal");
    build_ok(site.path(), &[]);
    let pages = indexed(site.path());
    let flowers = &pages["/columns/flowers/"];
    assert_eq!(flowers["meta"]["title"], "赏花季");
    assert_eq!(flowers["meta"]["category"], "专题");
    let column = |url: &str| pages[url]["filters"]["column"][0].clone();
    assert_eq!(
        column("/tourism/202403/t20240310_changle-tao-hua-jie.html"),
        "赏花季"
    );
    // A post living in the column's folder belongs to it without saying so.
    assert_eq!(
        column("/tourism/202408/t20240818_summer.html"),
        "农家乐精品线路"
    );
    assert!(
        !pages.contains_key("/columns/"),
        "the list of columns is not a column"
    );
    assert!(
        !pages.keys().any(|u| u.contains("/page/")),
        "only first pages"
    );
}

#[test]
fn in_search_index_and_exclude_leave_pages_out() {
    let site = fixture("basic");
    let post = site.path().join("content/theory/2024-02-03-second.md");
    let text = fs::read_to_string(&post).unwrap();
    fs::write(
        &post,
        text.replace(
            "tags: [学习, 宣讲]",
            "tags: [学习, 宣讲]\nin_search_index: false",
        ),
    )
    .unwrap();
    append(
        site.path(),
        "site.toml",
        "\n[search]\nexclude = [\"about\"]\n",
    );
    let stderr = build_ok(site.path(), &[]);
    assert!(!stderr.contains("in_search_index"), "a known key: {stderr}");
    assert_eq!(
        urls(&indexed(site.path())),
        BTreeSet::from([
            "/theory/2024/01/study/",
            "/theory/2024/03/third/",
            "/tourism/2024/04/peach/",
        ])
    );
    // Left out of search, not out of the site.
    read(site.path(), "theory/2024/02/second/index.html");
    read(site.path(), "about/contact/index.html");
}

#[test]
fn the_search_page_and_box_offer_the_filters() {
    let site = fixture("portal");
    build_ok(site.path(), &[]);
    let page = read(site.path(), "search/index.html");
    assert!(page.contains("<script type=\"module\" src=\"/js/search.js\">"));
    assert!(
        page.contains("role=\"status\""),
        "live region for the count"
    );
    for option in [
        "<option value=\"乡村旅游\">",
        "<option value=\"赏花季\">",
        "<option value=\"2023\">",
    ] {
        assert!(page.contains(option), "{option}");
    }
    assert!(
        page.contains("<a href=\"/tourism/\">乡村旅游</a>"),
        "the empty state links to the categories"
    );
    assert!(files(site.path()).contains(&"js/search.js".to_string()));
    let home = read(site.path(), "index.html");
    assert!(
        home.contains("action=\"/search/\""),
        "search box in the header"
    );
}

#[test]
fn disabled_search_has_no_index_page_or_box() {
    let site = fixture("basic");
    append(site.path(), "site.toml", "\n[search]\nenabled = false\n");
    build_ok(site.path(), &[]);
    let all = files(site.path());
    assert!(
        !all.iter().any(|f| f.starts_with("search-index/")),
        "{all:?}"
    );
    assert!(!all.contains(&"search/index.html".to_string()));
    assert!(!read(site.path(), "index.html").contains("/search/"));
}

#[test]
fn a_section_at_the_search_path_collides_only_when_search_is_on() {
    let site = fixture("basic");
    fs::create_dir_all(site.path().join("content/search")).unwrap();
    fs::write(
        site.path().join("content/search/_index.md"),
        "+++\ntitle = \"查询\"\n+++\n",
    )
    .unwrap();
    let stderr = common::build_err(site.path());
    assert!(stderr.contains("搜索页"), "{stderr}");
    append(site.path(), "site.toml", "\n[search]\nenabled = false\n");
    build_ok(site.path(), &[]);
}

#[test]
fn pages_whose_template_does_not_mark_the_body_are_reported() {
    let site = fixture("basic");
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock %}",
    )
    .unwrap();
    let stderr = build_ok(site.path(), &[]);
    assert!(
        stderr.contains("5 个页面不会出现在站内搜索结果里")
            && stderr.contains("data-pagefind-body"),
        "{stderr}"
    );
    assert_eq!(urls(&indexed(site.path())), BTreeSet::from(["/about/"]));
}

#[test]
fn only_the_beginning_of_a_very_long_post_is_indexed_with_a_located_warning() {
    let site = fixture("basic");
    let para = "青溪镇乡村旅游志愿服务队开展活动，村民游客踊跃参与。\n\n".repeat(8_000);
    fs::write(
        site.path().join("content/theory/2024-05-01-long.md"),
        format!(
            "+++\ntitle = \"超长的年度总结\"\ndate = 2024-05-01\n+++\n\n开篇标记甲乙丙\n\n{para}结尾标记丁戊己\n"
        ),
    )
    .unwrap();
    let stderr = build_ok(site.path(), &[]);
    assert!(
        stderr.contains("站内搜索只收录它的前 100000 字"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2024-05-01-long.md:2:"),
        "located at the title: {stderr}"
    );
    let pages = indexed(site.path());
    let long = &pages["/theory/2024/05/long/"];
    assert_eq!(long["meta"]["title"], "超长的年度总结");
    assert_eq!(long["filters"]["category"][0], "理论武装");
    let content = long["content"].as_str().unwrap().replace('\u{200b}', "");
    assert!(
        content.contains("开篇标记甲乙丙"),
        "the beginning is indexed"
    );
    assert!(!content.contains("结尾标记丁戊己"), "the end is not");
    let chars = content.chars().filter(|c| !c.is_whitespace()).count();
    assert!(
        (90_000..=100_100).contains(&chars),
        "indexed text capped: {chars}"
    );
    // The page itself is whole.
    assert!(read(site.path(), "theory/2024/05/long/index.html").contains("结尾标记丁戊己"));
    // Short posts are indexed whole and not warned about.
    assert!(!stderr.contains("2024-01-02-study.md"), "{stderr}");
}
