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
