//! Content as people really write it: a publicist's Chinese keyboard mistakes get messages in
//! Chinese that name the line and the fix; Markdown from Hexo, Hugo, Zola and plain folders
//! builds without hand edits.

mod common;

use std::fs;

use common::*;

/// Writes `content/<file>` into a fresh basic site and builds it; returns (success, stderr).
fn build_with(file: &str, text: &str) -> (tempfile::TempDir, bool, String) {
    let site = fixture("basic");
    let path = site.path().join("content").join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    let out = zhen(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (site, out.status.success(), stderr)
}

#[test]
fn chinese_keyboard_mistakes_in_front_matter_are_named_at_their_place() {
    for (front, message, place, help) in [
        (
            "+++\ntitle：青溪镇春季赏花节开幕\ndate = 2024-03-05\n+++\n",
            "第 2 行：这一行用了中文冒号“：”",
            "x.md:2:6",
            "title = \"青溪镇春季赏花节开幕\"",
        ),
        (
            "+++\ntitle ＝ \"赏花节\"\ndate = 2024-03-05\n+++\n",
            "第 2 行：这一行用了中文等号“＝”",
            "x.md:2:7",
            "英文等号",
        ),
        (
            "+++\ntitle = “青溪镇春季赏花节开幕”\ndate = 2024-03-05\n+++\n",
            "第 2 行：文字两边用了中文引号",
            "x.md:2:9",
            "title = \"青溪镇春季赏花节开幕\"",
        ),
        (
            "+++\ntitle = \"赏花节\"\ndate = 2024年3月5日\n+++\n",
            "第 3 行：文字要放在英文双引号里",
            "x.md:3:8",
            "date = \"2024年3月5日\"",
        ),
        (
            "+++\ntitle = \"赏花节\"\ndate = 2024-03-05\ntags = [\"旅游\"，\"赏花\"]\n+++\n",
            "第 4 行：列表里用了中文“，”分隔",
            "x.md:4:13",
            "英文逗号",
        ),
        (
            "---\ntitle： 青溪镇春季赏花节开幕\ndate: 2024-03-05\n---\n",
            "第 2 行：这一行用了中文冒号“：”",
            "x.md:2:6",
            "title: 青溪镇春季赏花节开幕",
        ),
        (
            "+++\ntitle: 青溪镇春季赏花节开幕\ndate = 2024-03-05\n+++\n",
            "第 2 行：这里是 TOML 格式",
            "x.md:2:6",
            "---",
        ),
    ] {
        let (_, ok, stderr) = build_with("theory/x.md", &format!("{front}正文。\n"));
        assert!(!ok, "{front}");
        for want in [message, place, help] {
            assert!(
                stderr.contains(want),
                "{front}\nexpected {want:?} in:\n{stderr}"
            );
        }
        assert!(!stderr.contains("expected"), "no parser English: {stderr}");
    }
}

#[test]
fn dates_in_chinese_and_with_dots_are_read() {
    for (date, shown) in [
        ("\"2024年3月5日\"", "2024-03-05"),
        ("\"2024年3月5日 16:10\"", "2024-03-05 16:10"),
        ("\"2024.3.5\"", "2024-03-05"),
        ("\"2024/3/5 9:30\"", "2024-03-05 09:30"),
    ] {
        let (site, ok, stderr) = build_with(
            "theory/x.md",
            &format!("+++\ntitle = \"赏花节\"\ndate = {date}\n+++\n正文。\n"),
        );
        assert!(ok, "{date}: {stderr}");
        let html = read(site.path(), "theory/2024/03/x/index.html");
        assert!(html.contains(shown), "{date}: {shown} not on the page");
    }
}

#[test]
fn categories_are_found_by_name_or_key_in_any_case() {
    let site = fixture("basic");
    let toml = fs::read_to_string(site.path().join("site.toml")).unwrap();
    let name = toml
        .split("name = \"")
        .nth(2)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    for given in [name.as_str(), "TOURISM", " tourism "] {
        let path = site.path().join("content/x.md");
        fs::write(
            &path,
            format!(
                "+++\ntitle = \"赏花\"\ndate = 2024-03-05\ncategory = \"{given}\"\n+++\n正文\n"
            ),
        )
        .unwrap();
        build_ok(site.path(), &[]);
        assert!(
            site.path()
                .join("public/tourism/2024/03/x/index.html")
                .exists(),
            "{given}"
        );
    }
    let out = zhen(site.path(), &["new", &name, "春季赏花节开幕"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("content/tourism/"));
}

#[test]
fn a_misspelt_title_is_pointed_at() {
    let (_, ok, stderr) = build_with(
        "theory/2024-03-05-x.md",
        "+++\ntittle = \"赏花节\"\ndate = 2024-03-05\n+++\n正文。\n",
    );
    assert!(!ok);
    assert!(stderr.contains("缺少标题 title"), "{stderr}");
    assert!(stderr.contains("x.md:2:1"), "{stderr}");
    assert!(
        stderr.contains("第 2 行的 `tittle` 你是不是想写 `title`？"),
        "{stderr}"
    );
}

#[test]
fn plain_markdown_takes_its_title_from_the_heading_and_its_date_from_the_name() {
    let (site, ok, stderr) = build_with(
        "theory/2024-03-05-xue-xi.md",
        "\n# 镇党委理论学习中心组专题学习\n\n会议传达学习了有关精神。\n",
    );
    assert!(ok, "{stderr}");
    let html = read(site.path(), "theory/2024/03/xue-xi/index.html");
    assert_eq!(html.matches("镇党委理论学习中心组专题学习</h1>").count(), 1);
    assert!(html.contains("2024-03-05"));
    assert!(html.contains("会议传达学习了有关精神"));
    // Without a date in the name there is no date: the post is refused (F1), never dated by
    // the file's own time.
    let (_, ok, stderr) = build_with("theory/xue-xi.md", "# 学习\n\n正文。\n");
    assert!(!ok);
    assert!(stderr.contains("缺少发布日期"), "{stderr}");
}

#[test]
fn hexo_posts_build_as_written() {
    let (site, ok, stderr) = build_with(
        "posts/spring.md",
        "title: 青溪镇春季赏花节开幕\ndate: 2024/3/5 9:00:00\ncategories:\n- 新闻\n- tourism\ntags:\n- 2024\n- 赏花\nauthor: ['刘奇']\npermalink: /2024/03/05/spring-festival/\ntoc: true\nid: 123\nexcerpt: 春季赏花节开幕。\n---\n正文。\n",
    );
    assert!(ok, "{stderr}");
    let html = read(site.path(), "tourism/2024/03/spring/index.html");
    assert!(html.contains("刘奇"), "author from a one-element list");
    assert!(html.contains("春季赏花节开幕。"), "excerpt as summary");
    let redirect = read(site.path(), "2024/03/05/spring-festival/index.html");
    assert!(redirect.contains("/tourism/2024/03/spring/"), "{redirect}");
    assert!(site.path().join("public/tags/2024/index.html").exists());
    for quiet in ["toc", "`id`", "excerpt", "permalink"] {
        assert!(!stderr.contains(quiet), "{quiet} warned: {stderr}");
    }
    // The number tag is one warning for the field, not one per item.
    assert_eq!(stderr.matches("`tags`").count(), 1, "{stderr}");
}

#[test]
fn zola_and_hugo_fields_are_understood() {
    let (site, ok, stderr) = build_with(
        "theory/study.md",
        "+++\ntitle = \"学习会\"\ndate = 2024-03-05\nurl = \"/old/study.html\"\n[taxonomies]\ncategories = [\"theory\"]\ntags = [\"学习\", \"宣讲\"]\n+++\n正文。\n",
    );
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("taxonomies"), "{stderr}");
    let html = read(site.path(), "theory/2024/03/study/index.html");
    assert!(html.contains("宣讲"), "tags from [taxonomies]");
    assert!(site.path().join("public/old/study.html").exists());
    let (site, ok, stderr) = build_with(
        "theory/hugo.md",
        "---\ntitle: 学习会\ndate: 2024-03-05T10:00:00+08:00\nlastmod: 2024-03-06\ncategories: [理论武装]\nshowToc: true\n---\n正文。\n",
    );
    assert!(ok, "{stderr}");
    assert!(stderr.is_empty() || !stderr.contains("警告"), "{stderr}");
    let atom = read(site.path(), "atom.xml");
    assert!(
        atom.contains("<updated>2024-03-06"),
        "lastmod is the update time"
    );
}

#[test]
fn scheduled_posts_wait_for_their_time_and_previews_say_what_they_are() {
    let site = fixture("basic");
    let dir = site.path();
    fs::write(
        dir.join("content/theory/2099-01-02-later.md"),
        "+++\ntitle = \"元旦献词\"\ndate = 2099-01-02T08:00:00\n+++\n正文。\n",
    )
    .unwrap();
    fs::write(
        dir.join("content/theory/2024-03-09-wip.md"),
        "+++\ntitle = \"还在写的稿子\"\ndate = 2024-03-09\ndraft = true\n+++\n正文。\n",
    )
    .unwrap();
    let stderr = build_ok(dir, &[]);
    assert!(
        stderr.contains("另有 1 篇定时发布的文章还没到发布时间")
            && stderr.contains("2099-01-02 08:00"),
        "{stderr}"
    );
    assert!(!dir.join("public/theory/2099/01/later/index.html").exists());
    assert!(!read(dir, "index.html").contains("元旦献词"));

    build_ok(dir, &["--future", "--drafts"]);
    let later = read(dir, "theory/2099/01/later/index.html");
    assert!(
        later.contains("定时发布：这篇文章到 2099-01-02 08:00 才会发布"),
        "{later}"
    );
    let wip = read(dir, "theory/2024/03/wip/index.html");
    assert!(wip.contains("草稿：这篇文章还没有发布"), "{wip}");
    for feed in ["atom.xml", "rss.xml", "theory/atom.xml", "sitemap.xml"] {
        let xml = read(dir, feed);
        assert!(
            !xml.contains("元旦献词") && !xml.contains("later") && !xml.contains("wip"),
            "{feed} lists a preview-only post"
        );
    }
    let published = read(dir, "theory/2024/01/study/index.html");
    assert!(!published.contains("preview-notice"));
}

#[test]
fn relative_markdown_links_and_other_tools_shortcodes() {
    let site = fixture("basic");
    let dir = site.path();
    fs::write(
        dir.join("content/theory/2024-03-06-links.md"),
        "+++\ntitle = \"链接\"\ndate = 2024-03-06\n+++\n\
         看[上一篇](2024-01-02-study.md#学习内容)、[赏花](../tourism/2024-04-02-peach/)。\n\n\
         {{< highlight html >}}\n<script>alert(1)</script>\n{{< /highlight >}}\n\n\
         视频：{{< youtube abc123 >}}\n",
    )
    .unwrap();
    let stderr = build_ok(dir, &[]);
    let html = read(dir, "theory/2024/03/links/index.html");
    assert!(
        html.contains("href=\"/theory/2024/01/study/#%E5%AD%A6"),
        "{html}"
    );
    assert!(html.contains("href=\"/tourism/2024/04/peach/\""), "{html}");
    assert!(
        !html.contains("<script>alert"),
        "the shortcode's body is code, not HTML"
    );
    assert!(html.contains("language-html"), "{html}");
    assert!(
        stderr.contains("别的工具") && stderr.contains("{{< youtube abc123 >}}"),
        "{stderr}"
    );
    assert!(stderr.contains("2024-03-06-links.md:11:4"), "{stderr}");
    fs::write(
        dir.join("content/theory/2024-03-07-broken.md"),
        "+++\ntitle = \"坏链接\"\ndate = 2024-03-07\n+++\n见[这篇](nope.md)。\n",
    )
    .unwrap();
    let refused = build_err(dir);
    assert!(
        refused.contains("链接 nope.md 指向的文章不存在") && refused.contains("broken.md:5:"),
        "{refused}"
    );
}
