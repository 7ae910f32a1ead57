//! User input never makes zhen panic, and every error it reports is located: front matter and
//! site.toml errors next to multibyte characters, CRLF, a BOM, tabs, emoji, combining marks.

mod common;

use std::fs;
use std::path::Path;

use common::{fixture, zhen};

/// Runs `zhen build` and asserts it failed cleanly (exit 1, no panic); returns stderr.
fn fails_cleanly(dir: &Path) -> String {
    let out = zhen(dir, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    stderr
}

/// Broken front matter, each with its error right before, after or inside multibyte text.
const BROKEN_TOML: &[&str] = &[
    "title = \"测试\"镇",
    "title = \"x\"镇",
    "title = \"x\"😀",
    "title = \"e\u{301}\"\u{301}",
    "title = 测试",
    "title = \"测试",
    "title = \"测试\"\t镇",
    "tags = [\"学习\", 镇]",
    "镇 = \"x\"\n镇 = \"y\"",
    "title = \"测试\"\r\ndate = 2024-01-0镇",
    "\u{feff}title = \"测试\"镇",
    "title = \"\u{200b}\"\u{200b}",
    "title = '测试'镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇",
];

const BROKEN_YAML: &[&str] = &[
    "title: \"测试\"镇",
    "title: [测试",
    "title: 测试\n  镇: x: y",
    "tags:\n  - 镇\n  - \"😀",
    "title: 镇\n\t镇: x",
    "title: 'e\u{301}'\u{301}",
    "title: 测试\r\ntags: {镇",
    "title: 测试\n镇: [1, 2\n",
];

#[test]
fn broken_front_matter_next_to_multibyte_text_is_reported_without_a_panic() {
    let site = fixture("basic");
    let dir = site.path().join("content/theory");
    let mut names = Vec::new();
    for (i, fm) in BROKEN_TOML.iter().enumerate() {
        let crlf = if i % 2 == 0 { "\n" } else { "\r\n" };
        let name = format!("2024-05-{:02}-toml{i}.md", i + 1);
        let text = format!("+++{crlf}{fm}{crlf}+++{crlf}正文。{crlf}");
        fs::write(
            dir.join(&name),
            text.replace('\n', crlf).replace("\r\r", "\r"),
        )
        .unwrap();
        names.push(name);
    }
    for (i, fm) in BROKEN_YAML.iter().enumerate() {
        let name = format!("2024-06-{:02}-yaml{i}.md", i + 1);
        let bom = if i % 3 == 0 { "\u{feff}" } else { "" };
        fs::write(dir.join(&name), format!("{bom}---\n{fm}\n---\n正文。\n")).unwrap();
        names.push(name);
    }
    let stderr = fails_cleanly(site.path());
    for name in &names {
        assert!(
            stderr.contains(&format!("{name}:")),
            "{name} not reported with a line:\n{stderr}"
        );
    }
}

#[test]
fn broken_site_toml_next_to_multibyte_text_is_reported_without_a_panic() {
    for (broken, bom, crlf) in [
        ("title = \"x\"镇", false, false),
        ("title = \"测试\"镇", true, false),
        ("title = \"测试\"😀", false, true),
        ("title = \"e\u{301}\"\u{301}", true, true),
        ("title = 测试镇", false, false),
        ("title = \"测试镇", false, true),
        ("title = \"测试镇\"\n镇 = 1 2", false, false),
        ("title = \"测试镇\"\t\t镇", false, false),
    ] {
        let site = fixture("basic");
        let path = site.path().join("site.toml");
        let text = fs::read_to_string(&path).unwrap();
        let rest = text.split_once('\n').unwrap().1;
        let mut text = format!("{broken}\n{rest}");
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        if bom {
            text.insert(0, '\u{feff}');
        }
        fs::write(&path, text).unwrap();
        let stderr = fails_cleanly(site.path());
        assert!(stderr.contains("site.toml:"), "{broken:?}:\n{stderr}");
    }
}

/// Replaces line `key = …` of the fixture's site.toml (or adds it after the title).
fn set_site_key(dir: &Path, key: &str, value: &str) {
    let path = dir.join("site.toml");
    let text = fs::read_to_string(&path).unwrap();
    let line = format!("{key} = {value}");
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with(&format!("{key} =")))
        .map(String::from)
        .collect();
    lines.insert(1, line);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn a_url_too_long_for_a_qr_code_leaves_the_code_out_and_never_blames_the_theme() {
    let site = fixture("basic");
    let base = format!("\"https://{}.example\"", "x".repeat(3_000));
    set_site_key(site.path(), "base_url", &base);
    let stderr = common::build_ok(site.path(), &[]);
    assert!(!stderr.contains("page.html"), "{stderr}");
    let html = common::read(site.path(), "theory/2024/01/study/index.html");
    assert!(html.contains("中心组学习"));
    assert!(
        !html.contains("<svg class=\"qr\""),
        "no QR code of a 3 000-character URL"
    );
    // A normal URL still gets one.
    let site = fixture("basic");
    common::build_ok(site.path(), &[]);
    let html = common::read(site.path(), "theory/2024/01/study/index.html");
    assert!(html.contains("<svg class=\"qr\""));
}

#[test]
fn a_ten_thousand_character_title_builds_into_valid_pages_and_feeds() {
    let site = fixture("basic");
    let title = "青溪镇乡村旅游".repeat(1_430);
    fs::write(
        site.path().join("content/theory/2024-05-01-long.md"),
        format!(
            "+++\ntitle = \"{title}\"\ndate = 2024-05-01\nsource = \"党政办\"\n+++\n\n正文。\n"
        ),
    )
    .unwrap();
    common::build_ok(site.path(), &[]);
    let feed = common::read(site.path(), "atom.xml");
    assert!(common::xml_texts(&feed, "title").contains(&title));
    common::xml_texts(&common::read(site.path(), "rss.xml"), "title");
    common::xml_texts(&common::read(site.path(), "sitemap.xml"), "loc");
    let html = common::read(site.path(), "theory/2024/05/long/index.html");
    assert!(common::meta_tags(&html).contains(&("ArticleTitle".to_string(), title.clone())));
    let out = zhen(site.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unknown_theme_is_located_and_the_available_ones_listed() {
    let site = fixture("basic");
    fs::create_dir_all(site.path().join("themes/mine/templates")).unwrap();
    set_site_key(site.path(), "theme", "\"townshp\"");
    let stderr = fails_cleanly(site.path());
    assert!(stderr.contains("找不到主题 \"townshp\""), "{stderr}");
    assert!(
        stderr.contains("site.toml:2:"),
        "at the theme line: {stderr}"
    );
    assert!(
        stderr.contains("theme = \"township\"？"),
        "suggestion: {stderr}"
    );
    assert!(stderr.contains("township、mine"), "list: {stderr}");
    for name in ["../basic", "/etc", "nosuch"] {
        let site = fixture("basic");
        set_site_key(site.path(), "theme", &format!("\"{name}\""));
        let stderr = fails_cleanly(site.path());
        assert!(stderr.contains("site.toml:2:"), "{name}: {stderr}");
        assert!(stderr.contains("可用的主题：township"), "{name}: {stderr}");
    }
}

#[test]
fn a_bad_base_url_is_located_and_a_good_one_accepted() {
    for bad in [
        "\"https://test.exa\\u0000mple\"",
        "\"https://test example\"",
        "\"test.example\"",
        "\"javascript:alert(1)\"",
        "\"ftp://test.example\"",
        "\"https://\"",
        "\"https://test.example/\\u0001\"",
        "\"https://test.example/a\\\"b\"",
        "\"https://test.example/<x>\"",
        "\"https://test.example:99999\"",
        "\"https://test.example/?q=1\"",
    ] {
        let site = fixture("basic");
        set_site_key(site.path(), "base_url", bad);
        let stderr = fails_cleanly(site.path());
        assert!(stderr.contains("不是有效的网址"), "{bad}: {stderr}");
        assert!(stderr.contains("site.toml:2:"), "{bad}: {stderr}");
    }
    for good in [
        "\"https://www.qingxi.gov.cn\"",
        "\"http://localhost:8080\"",
        "\"https://青溪镇.政务\"",
        "\"/\"",
    ] {
        let site = fixture("basic");
        set_site_key(site.path(), "base_url", good);
        common::build_ok(site.path(), &[]);
    }
    for bad in ["https://a\u{1}b", "www.qingxi.gov.cn", "https://a b"] {
        let site = fixture("basic");
        let out = zhen(site.path(), &["build", "--base-url", bad]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{bad}: {stderr}");
        assert!(stderr.contains("--base-url"), "{bad}: {stderr}");
    }
}

#[test]
fn control_characters_in_titles_and_summaries_never_break_the_xml_outputs() {
    let site = fixture("basic");
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        text.replacen("paginate_by", "feed_full_content = true\npaginate_by", 1),
    )
    .unwrap();
    fs::write(
        site.path().join("content/theory/2024-05-01-ctl.md"),
        "---\ntitle: \"春\\u0001季\\u000b赏\\u001f花\\uFFFE节\"\ndate: 2024-05-01\nsummary: \"摘\\u0008要\"\nsource: \"x\\u0002\"\ntags: [\"标\\u0003签\"]\n---\n\n正文&#11;<b>粗</b>]]>\n",
    )
    .unwrap();
    common::build_ok(site.path(), &[]);
    for feed in ["atom.xml", "rss.xml"] {
        let xml = common::read(site.path(), feed);
        let titles = common::xml_texts(&xml, "title");
        assert!(
            titles.contains(&"春季赏花节".to_string()),
            "{feed}: {titles:?}"
        );
    }
    let xml = common::read(site.path(), "atom.xml");
    assert!(common::xml_texts(&xml, "summary").contains(&"摘要".to_string()));
    common::xml_texts(&common::read(site.path(), "sitemap.xml"), "loc");
    common::xml_texts(&common::read(site.path(), "theory/rss.xml"), "title");
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_skipped_with_a_warning_naming_them() {
    use std::os::unix::fs::symlink;
    let site = fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "机密").unwrap();
    fs::create_dir_all(site.path().join("static")).unwrap();
    symlink(
        outside.path().join("secret.txt"),
        site.path().join("static/secret.txt"),
    )
    .unwrap();
    symlink(outside.path(), site.path().join("content/outside")).unwrap();
    symlink(
        "2024-01-02-study.md",
        site.path().join("content/theory/copy.md"),
    )
    .unwrap();
    symlink("nowhere", site.path().join("static/broken.png")).unwrap();
    let stderr = common::build_ok(site.path(), &[]);
    for link in [
        "static/secret.txt",
        "content/outside",
        "content/theory/copy.md",
        "static/broken.png",
    ] {
        assert!(
            stderr.contains(&format!("跳过了符号链接（快捷方式）./{link}")),
            "{link}: {stderr}"
        );
    }
    assert!(stderr.contains("不存在"), "a broken link says so: {stderr}");
    let files = common::files(site.path());
    assert!(
        !files
            .iter()
            .any(|f| f.contains("secret") || f.contains("copy") || f.contains("broken")),
        "{files:?}"
    );
}
