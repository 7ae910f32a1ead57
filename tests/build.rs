//! `zhen build` on real sites: the fixtures in tests/fixtures and the sample portal.

mod common;

use std::fs;

use common::{build_err, build_ok, files, fixture, read, zhen};

#[test]
fn basic_site_produces_every_page_type() {
    let site = fixture("basic");
    let stderr = build_ok(site.path(), &[]);
    assert!(stderr.contains("生成完成"), "{stderr}");
    let files = files(site.path());
    for expected in [
        "index.html",
        "theory/index.html",
        "theory/page/2/index.html",
        "tourism/index.html",
        "theory/2024/01/study/index.html",
        "theory/2024/02/second/index.html",
        "theory/2024/03/third/index.html",
        "tourism/2024/04/peach/index.html",
        "tourism/2024/04/peach/cover.svg",
        "tags/xue-xi/index.html",
        "tags/xuan-jiang/index.html",
        "about/index.html",
        "about/contact/index.html",
        "css/style.css",
        "syntax.css",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "missing {expected} in {files:#?}"
        );
    }
}

#[test]
fn a_post_holds_its_title_date_category_and_rendered_markdown() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let html = read(site.path(), "theory/2024/01/study/index.html");
    assert!(html.contains(">中心组学习</h1>"), "{html}");
    assert!(
        html.contains("2024-01-02 09:30"),
        "date shown in the header"
    );
    assert!(html.contains("datetime=\"2024-01-02T09:30:00+08:00\""));
    assert!(
        html.contains("<a href=\"/theory/\">理论武装</a>"),
        "category breadcrumb"
    );
    assert!(html.contains("来源：测试镇党政办"));
    assert!(
        html.contains("<table>") && html.contains("<td>中心组</td>"),
        "table"
    );
    assert!(html.contains("footnote-definition"), "footnote");
    assert!(
        html.contains("data-lang=\"python\"") && html.contains("class=\"hl-"),
        "highlighted code"
    );
    assert!(
        html.contains("<h2 id=\"学习内容\">学习内容</h2>"),
        "Chinese heading id"
    );
    assert!(
        html.contains("href=\"/tourism/2024/04/peach/#"),
        "@/ link resolved"
    );
    assert!(html.contains("全文约"), "word count shown");
    let css = read(site.path(), "syntax.css");
    assert!(css.contains(".hl-"), "highlighting stylesheet written");
}

#[test]
fn bundles_resolve_images_and_copy_their_files() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let html = read(site.path(), "tourism/2024/04/peach/index.html");
    assert!(
        html.contains(
            "<img src=\"/tourism/2024/04/peach/cover.svg\" alt=\"桃花\" loading=\"lazy\""
        ),
        "{html}"
    );
    let list = read(site.path(), "tourism/index.html");
    assert!(
        list.contains("src=\"/tourism/2024/04/peach/cover.svg\""),
        "cover in the list: {list}"
    );
}

#[test]
fn category_lists_are_paginated_newest_first_with_pinned_on_top() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let first = read(site.path(), "theory/index.html");
    let second = read(site.path(), "theory/page/2/index.html");
    assert!(
        first.contains("href=\"/theory/page/2/\""),
        "link to page 2: {first}"
    );
    assert!(second.contains("href=\"/theory/\""), "link back to page 1");
    // Pinned third post first, then the newest of the rest; the oldest goes to page 2.
    let third = first.find("第三篇").expect("pinned post on page 1");
    let second_post = first.find("第二篇").expect("second post on page 1");
    assert!(third < second_post);
    assert!(first.contains("置顶"));
    assert!(second.contains("中心组学习"));
    // The home page is one page: older posts are in the category lists and the archive.
    let home = read(site.path(), "index.html");
    assert!(!home.contains("/page/"), "home is not paginated: {home}");
    assert!(!site.path().join("public/page/2/index.html").exists());
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    assert!(
        !site
            .path()
            .join("public/theory/2024/03/draft/index.html")
            .exists()
    );
    assert!(!read(site.path(), "theory/index.html").contains("草稿"));
    build_ok(site.path(), &["--drafts"]);
    assert!(read(site.path(), "theory/2024/03/draft/index.html").contains("草稿正文"));
}

#[test]
fn every_date_format_and_both_front_matter_formats_are_read() {
    let site = fixture("dates");
    build_ok(site.path(), &[]);
    for (slug, shown) in [
        ("2024/01/toml-1", "2024-01-02 13:32"),
        ("2024/01/toml-2", "2024-01-03 00:00"),
        ("2024/01/toml-3", "2024-01-04 13:32"),
        ("2024/01/toml-4", "2024-01-05 13:32"),
        ("2024/01/toml-5", "2024-01-06 13:32"),
        ("2024/02/yaml-6", "2024-02-01 13:32"),
        ("2024/02/yaml-7", "2024-02-02 13:32"),
        ("2024/02/yaml-8", "2024-02-03 00:00"),
        ("2024/02/yaml-9", "2024-02-04 13:32"),
    ] {
        let html = read(site.path(), &format!("theory/{slug}/index.html"));
        assert!(
            html.contains(&format!("发布时间：<time datetime=\"{}", &shown[..10])),
            "{slug}: {html}"
        );
        assert!(html.contains(shown), "{slug} should show {shown}");
    }
}

#[test]
fn naive_dates_ignore_the_machines_time_zone() {
    let site = fixture("dates");
    let out = assert_cmd::Command::cargo_bin("zhen")
        .unwrap()
        .current_dir(site.path())
        .env("TZ", "America/New_York")
        .arg("build")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        read(site.path(), "theory/2024/01/toml-1/index.html").contains("2024-01-02T13:32:02+08:00")
    );
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let file = site.path().join("public/theory/2024/01/study/index.html");
    let before = fs::metadata(&file).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    let stderr = build_ok(site.path(), &[]);
    assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), before);
    assert!(stderr.contains("个未变"), "{stderr}");
}

#[test]
fn unknown_front_matter_keys_warn_with_a_suggestion() {
    let site = fixture("basic");
    fs::write(
        site.path().join("content/theory/2024-03-06-typo.md"),
        "+++\ntitle = \"拼错\"\ndate = 2024-03-06\ntittle = \"x\"\n+++\n正文\n",
    )
    .unwrap();
    let stderr = build_ok(site.path(), &[]);
    assert!(stderr.contains("警告: 未知的字段 `tittle`"), "{stderr}");
    assert!(stderr.contains("2024-03-06-typo.md:4:1"), "{stderr}");
    assert!(stderr.contains("`title`"), "{stderr}");
}

/// Builds the fixture once, breaks it with `file` = `text`, and checks the build fails with
/// every `expected` piece in its message while the previous output stays as it was.
fn fails_and_keeps_output(file: &str, text: &str, expected: &[&str]) {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let before = read(site.path(), "index.html");
    let path = site.path().join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    let stderr = build_err(site.path());
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert!(stderr.contains("上一次生成的网站没有被改动"), "{stderr}");
    assert_eq!(
        read(site.path(), "index.html"),
        before,
        "previous output must stay"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_toml_front_matter_is_located() {
    fails_and_keeps_output(
        "content/theory/2024-03-07-bad.md",
        "+++\ntitle = \"坏\"\ndate = 2024-03-07\ntags = [\"a\"\n+++\n正文\n",
        &["“[”没有配对的“]”", "2024-03-07-bad.md:4:8", "tags = [\"a\""],
    );
}

#[test]
fn bad_yaml_front_matter_is_located() {
    fails_and_keeps_output(
        "content/theory/2024-03-07-bad.md",
        "---\ntitle: 坏\ndate: 2024-03-07\ntags: [a, b\n---\n正文\n",
        &["“[”没有配对的“]”", "2024-03-07-bad.md:4:7"],
    );
}

#[test]
fn unknown_category_lists_the_valid_keys() {
    fails_and_keeps_output(
        "content/theory/2024-03-07-bad.md",
        "+++\ntitle = \"坏\"\ndate = 2024-03-07\ncategory = \"turism\"\n+++\n正文\n",
        &[
            "分类 \"turism\"",
            "2024-03-07-bad.md:4:1",
            "（theory）、",
            "（tourism）",
            "\"tourism\"",
        ],
    );
}

#[test]
fn broken_internal_link_is_located() {
    fails_and_keeps_output(
        "content/theory/2024-03-07-bad.md",
        "+++\ntitle = \"坏\"\ndate = 2024-03-07\n+++\n第一行\n\n见[那篇](@/theory/nope.md)。\n",
        &["@/theory/nope.md", "2024-03-07-bad.md:7:2"],
    );
}

#[test]
fn broken_anchor_is_located() {
    fails_and_keeps_output(
        "content/theory/2024-03-07-bad.md",
        "+++\ntitle = \"坏\"\ndate = 2024-03-07\n+++\n见[那篇](@/tourism/2024-04-02-peach/index.md#活动)。\n",
        &["#活动", "2024-03-07-bad.md:5:2", "活动安排"],
    );
}

#[test]
fn missing_template_is_named() {
    fails_and_keeps_output(
        "content/theory/2024-03-07-bad.md",
        "+++\ntitle = \"坏\"\ndate = 2024-03-07\ntemplate = \"special.html\"\n+++\n正文\n",
        &[
            "找不到模板 special.html",
            "2024-03-07-bad.md:4:1",
            "page.html",
        ],
    );
}

#[test]
fn template_errors_point_into_the_template() {
    fails_and_keeps_output(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ page.title | nosuchfilter }}{% endblock %}\n",
        &["nosuchfilter", "templates/page.html:2:"],
    );
}

#[test]
fn missing_date_on_a_post_is_an_error() {
    fails_and_keeps_output(
        "content/theory/bad.md",
        "+++\ntitle = \"没有日期\"\n+++\n正文\n",
        &["缺少发布日期", "bad.md"],
    );
}

#[test]
fn gbk_files_are_reported_as_such() {
    let site = fixture("basic");
    fs::write(
        site.path().join("content/theory/gbk.md"),
        b"+++\ntitle = \"\xb1\xea\xcc\xe2\"\n+++\n",
    )
    .unwrap();
    let stderr = build_err(site.path());
    assert!(
        stderr.contains("UTF-8") && stderr.contains("gbk.md:2:"),
        "{stderr}"
    );
}

#[test]
fn every_broken_file_is_reported_not_just_the_first() {
    let site = fixture("basic");
    fs::write(
        site.path().join("content/theory/a.md"),
        "+++\ntitle = \n+++\n",
    )
    .unwrap();
    fs::write(
        site.path().join("content/theory/b.md"),
        "---\ntitle: [\n---\n",
    )
    .unwrap();
    let stderr = build_err(site.path());
    assert!(
        stderr.contains("a.md") && stderr.contains("b.md"),
        "{stderr}"
    );
    assert!(stderr.contains("2 个错误"), "{stderr}");
}

#[test]
fn url_collisions_name_both_files() {
    let site = fixture("basic");
    fs::write(
        site.path().join("content/theory/2024-01-09-study.md"),
        "+++\ntitle = \"同名\"\ndate = 2024-01-09\n+++\n正文\n",
    )
    .unwrap();
    let stderr = build_err(site.path());
    assert!(stderr.contains("/theory/2024/01/study/"), "{stderr}");
    assert!(
        stderr.contains("2024-01-02-study.md") && stderr.contains("2024-01-09-study.md"),
        "{stderr}"
    );
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = zhen(dir.path(), &["init", "mysite"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("mysite");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("下一步") && stderr.contains("某某镇"),
        "{stderr}"
    );
    // The samples init wrote must be replaced before the site is published (C9).
    let refused = build_err(&site);
    assert!(
        refused.contains("[C9] 还有没改的示例内容“某某镇”"),
        "{refused}"
    );
    assert!(refused.contains("site.toml:2:"), "{refused}");
    assert!(refused.contains("example.gov.cn"), "{refused}");
    assert!(refused.contains("welcome.md"), "{refused}");
    let toml = fs::read_to_string(site.join("site.toml")).unwrap();
    fs::write(
        site.join("site.toml"),
        toml.replace("某某镇", "青溪镇")
            .replace("example.gov.cn", "qingxi.gov.cn"),
    )
    .unwrap();
    for entry in fs::read_dir(site.join("content/theory")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        fs::write(
            &path,
            text.replace("某某镇", "青溪镇")
                .replace("这是用 zhen 新建的第一篇文章", "青溪镇新闻网今天开通"),
        )
        .unwrap();
    }
    build_ok(&site, &[]);
    let html = read(&site, "index.html");
    assert!(html.contains("网站开通了"), "{html}");
    for c in ["理论武装", "精神文明", "志愿服务", "乡村旅游"] {
        assert!(html.contains(c), "{c} in the navigation");
    }
    let again = zhen(dir.path(), &["init", "mysite"]);
    assert!(!again.status.success(), "init must not overwrite a site");
}

#[test]
fn completions_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    let out = zhen(dir.path(), &["completions", "bash"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("zhen"));
}

#[test]
fn the_output_folder_may_not_hold_the_sources() {
    let site = fixture("basic");
    let out = zhen(site.path(), &["build", "--output", "."]);
    assert!(!out.status.success());
    assert!(site.path().join("site.toml").exists() && site.path().join("content").exists());
}

#[test]
fn the_sample_portal_builds_with_every_category_column_and_feature() {
    let site = fixture("sample");
    let stderr = build_ok(site.path(), &[]);
    assert!(
        !stderr.contains("警告"),
        "the sample has no warnings: {stderr}"
    );
    let files = files(site.path());
    let posts: Vec<&String> = files
        .iter()
        .filter(|f| {
            let parts: Vec<&str> = f.split('/').collect();
            parts.len() == 5
                && ["theory", "civility", "volunteer", "tourism"].contains(&parts[0])
                && parts[4] == "index.html"
        })
        .collect();
    assert!(posts.len() >= 24, "{} posts", posts.len());
    for c in ["theory", "civility", "volunteer", "tourism"] {
        let n = posts
            .iter()
            .filter(|p| p.starts_with(&format!("{c}/")))
            .count();
        assert!(n >= 5, "{c}: {n} posts");
        assert!(files.contains(&format!("{c}/index.html")));
    }
    let tourism: Vec<&&String> = posts.iter().filter(|p| p.starts_with("tourism/")).collect();
    // Every tourism post has a picture: a drawing beside it, or a phone photo published as
    // variants under /img/.
    let mut photos = 0;
    for p in &tourism {
        let dir = p.trim_end_matches("index.html");
        let drawing = files
            .iter()
            .any(|f| f.starts_with(dir) && f.ends_with(".svg"));
        let photo =
            read(site.path(), p).contains("<picture><source type=\"image/webp\" srcset=\"/img/");
        photos += usize::from(photo);
        assert!(drawing || photo, "a picture in {p}");
    }
    assert!(photos >= 3, "the sample's phone photos");
    let all: String = posts.iter().map(|p| read(site.path(), p)).collect();
    assert!(all.contains("<table>"), "a post with a table");
    assert!(all.contains("class=\"hl-"), "a post with highlighted code");
    assert!(
        all.contains("footnote-definition"),
        "a post with a footnote"
    );
    assert!(
        !all.contains("spring-festival-volunteer-recruit"),
        "the draft is left out"
    );
    assert!(
        files.contains(&"civility/2024/05/hao-po-xi-ping-xuan/index.html".to_string()),
        "pinyin slug from a Chinese file name"
    );
    for column in ["flower-festival", "farm-stay", "civilized-city-2023"] {
        assert!(
            files.contains(&format!("columns/{column}/index.html")),
            "{column}"
        );
    }
    let columns = read(site.path(), "columns/index.html");
    assert!(
        columns.find("往期专题").unwrap() < columns.find("2023年文明城市创建专题").unwrap(),
        "the ended column is listed as past"
    );
}

#[test]
fn commands_find_the_site_from_a_folder_inside_it_and_say_when_there_is_none() {
    let site = fixture("basic");
    let inner = site.path().join("content/tourism");
    let stderr = build_ok(&inner, &[]);
    assert!(stderr.contains("使用上级目录里的网站"), "{stderr}");
    assert!(site.path().join("public/index.html").exists());
    assert!(!inner.join("public").exists());
    let check = zhen(&inner, &["check", "--format", "json"]);
    assert_ne!(check.status.code(), Some(2), "check finds the site too");

    let empty = tempfile::tempdir().unwrap();
    for args in [&["build"][..], &["check"], &["new", "theory", "标题"]] {
        let out = zhen(empty.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            stderr.contains("这里不是网站目录") && stderr.contains("zhen init"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("os error"), "{stderr}");
    }
}

#[test]
fn the_command_line_speaks_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let out = zhen(dir.path(), &["biuld"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("没有“biuld”这个命令。你是不是想写“build”？"),
        "{stderr}"
    );
    let out = zhen(dir.path(), &["serve", "--port", "abc"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("的值“abc”不对"), "{stderr}");
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["serve", "--help"],
        &["check", "-h"],
    ] {
        let out = zhen(dir.path(), args);
        assert!(out.status.success());
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("用法：zhen"), "{help}");
        for english in ["Usage", "Options", "Print help", "[default", "Commands"] {
            assert!(!help.contains(english), "{english} in {args:?}: {help}");
        }
    }
}
