//! `zhen check` on real sites: tests/fixtures/check is clean; each test adds exactly one
//! violation, expects it found once at the right place with the right exit code, then fixes
//! it and expects the site to pass. Also the build gate, opt-outs, the JSON shape, the sample
//! portal, and `--external` against a server on 127.0.0.1 that the test runs itself.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{build_ok, fixture, read, zhen};
use serde_json::Value;

/// "Today" for the fixture: three days after its newest post.
const NOW: &str = "2024-06-28";

/// Runs `zhen check --format json` (plus `args`); returns the exit code and the report.
fn check(dir: &Path, args: &[&str]) -> (i32, Value) {
    let now: &[&str] = if args.contains(&"--now") {
        &[]
    } else {
        &["--now", NOW]
    };
    let out = zhen(dir, &[&["check", "--format", "json"], now, args].concat());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    validate(&report);
    (out.status.code().unwrap_or(-1), report)
}

/// The findings that count (not ignored).
fn counted(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["ignored"] == false)
        .collect()
}

/// Asserts the report has exactly one counted finding, of `rule` and `severity`, at
/// `file:line`; returns it.
fn only<'a>(report: &'a Value, rule: &str, severity: &str, file: &str, line: u64) -> &'a Value {
    let found = counted(report);
    assert_eq!(found.len(), 1, "expected one finding: {report:#}");
    let f = found[0];
    assert_eq!(f["rule"], rule, "{f:#}");
    assert_eq!(f["severity"], severity, "{f:#}");
    assert_eq!(f["file"], file, "{f:#}");
    assert_eq!(f["line"], line, "{f:#}");
    f
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Asserts the site passes with nothing to report.
fn clean(dir: &Path) {
    let (code, report) = check(dir, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(counted(&report).is_empty(), "{report:#}");
    assert_eq!(report["status"], "passed");
}

/// The JSON shape README.md documents.
fn validate(report: &Value) {
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(report),
        [
            "external",
            "findings",
            "load_errors",
            "now",
            "skipped",
            "status",
            "strict",
            "summary",
            "version"
        ]
    );
    assert_eq!(report["version"], 1);
    assert!(["passed", "failed", "not_loaded"].contains(&report["status"].as_str().unwrap()));
    assert!(report["now"].is_string() && report["strict"].is_boolean());
    assert!(report["skipped"].is_null() || report["skipped"].is_string());
    assert_eq!(keys(&report["summary"]), ["errors", "ignored", "warnings"]);
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(
            keys(f),
            [
                "column",
                "file",
                "help",
                "ignore_reason",
                "ignored",
                "line",
                "message",
                "pages",
                "rule",
                "rule_name",
                "severity",
                "text",
                "url"
            ],
            "{f:#}"
        );
        assert!(f["rule"].as_str().unwrap().len() == 2);
        assert!(["error", "warning"].contains(&f["severity"].as_str().unwrap()));
        assert!(f["message"].is_string() && f["text"].is_string() && f["rule_name"].is_string());
        for k in ["file", "help", "url", "ignore_reason"] {
            assert!(f[k].is_null() || f[k].is_string(), "{k}: {f:#}");
        }
        for k in ["line", "column"] {
            assert!(f[k].is_null() || f[k].is_u64(), "{k}: {f:#}");
        }
        assert!(f["pages"].as_array().unwrap().iter().all(Value::is_string));
        assert!(f["ignored"].is_boolean());
    }
    for e in report["load_errors"].as_array().unwrap() {
        assert_eq!(
            keys(e),
            ["column", "file", "help", "line", "message", "severity"]
        );
    }
    let n = |k: &str| report["summary"][k].as_u64().unwrap() as usize;
    let findings = report["findings"].as_array().unwrap();
    let count = |sev: &str| {
        findings
            .iter()
            .filter(|f| f["ignored"] == false && f["severity"] == sev)
            .count()
    };
    assert_eq!(n("errors"), count("error"));
    assert_eq!(n("warnings"), count("warning"));
    assert_eq!(
        n("ignored"),
        findings.iter().filter(|f| f["ignored"] == true).count()
    );
}

const STUDY: &str = "content/theory/2024-06-20-study.md";
const PEACH: &str = "content/tourism/2024-06-25-peach/index.md";

#[test]
fn the_clean_fixture_passes_in_text_too() {
    let site = fixture("check");
    clean(site.path());
    let out = zhen(site.path(), &["check", "--now", NOW]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("检查完成：0 个错误，0 个警告，0 条已忽略。通过"),
        "{text}"
    );
}

#[test]
fn f1_undated_post_is_reported_not_a_crash() {
    let site = fixture("check");
    write(
        site.path(),
        "content/theory/2024-06-21-nodate.md",
        "+++\ntitle = \"没有日期\"\n+++\n正文。\n",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    only(
        &report,
        "F1",
        "error",
        "content/theory/2024-06-21-nodate.md",
        1,
    );
    assert!(
        report["skipped"].is_string(),
        "other rules are said to be skipped"
    );
    edit(
        site.path(),
        "content/theory/2024-06-21-nodate.md",
        "+++\n正文",
        "date = 2024-06-21\n+++\n正文",
    );
    clean(site.path());
}

#[test]
fn f3_home_page_freshness_warns_then_fails_with_strict() {
    let site = fixture("check");
    let (code, report) = check(site.path(), &["--now", "2024-07-06"]);
    assert_eq!(code, 0, "11 days is a warning: {report:#}");
    let f = counted(&report);
    assert_eq!(f.len(), 1, "{report:#}");
    assert_eq!(
        (f[0]["rule"].as_str(), f[0]["url"].as_str()),
        (Some("F3"), Some("/"))
    );
    let (code, report) = check(site.path(), &["--now", "2024-07-10", "--strict"]);
    assert_eq!(code, 1);
    assert_eq!(
        counted(&report)[0]["severity"],
        "error",
        "15 days with --strict"
    );
}

#[test]
fn f4_stale_category_is_located_in_site_toml() {
    let site = fixture("check");
    edit(
        site.path(),
        "site.toml",
        "update_every = \"30d\"",
        "update_every = \"5d\"",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0, "a stale category is a warning");
    let f = only(&report, "F4", "warning", "site.toml", 12);
    assert_eq!(f["column"], 17);
    assert_eq!(f["url"], "/theory/");
    let (code, _) = check(site.path(), &["--strict"]);
    assert_eq!(code, 1, "--strict fails on warnings");
    edit(
        site.path(),
        "site.toml",
        "update_every = \"5d\"",
        "update_every = \"30d\"",
    );
    clean(site.path());
}

#[test]
fn f5_blank_category_is_an_error() {
    let site = fixture("check");
    let text = fs::read_to_string(site.path().join("site.toml")).unwrap();
    let text = text.replace(
        "[identity]",
        "[[categories]]\nkey = \"volunteer\"\nname = \"志愿服务\"\n\n[identity]",
    );
    fs::write(site.path().join("site.toml"), text).unwrap();
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    only(&report, "F5", "error", "site.toml", 21);
    write(
        site.path(),
        "content/volunteer/2024-06-26-help.md",
        "+++\ntitle = \"志愿者走访\"\ndate = 2024-06-26\n+++\n走访老人。\n",
    );
    clean(site.path());
}

#[test]
fn f6_column_ended_before_its_newest_post() {
    let site = fixture("check");
    edit(
        site.path(),
        "content/columns/flowers/_index.md",
        "start = 2024-06-01",
        "start = 2024-06-01\nend = 2024-06-22",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0);
    only(&report, "F6", "warning", PEACH, 3);
    edit(
        site.path(),
        "content/columns/flowers/_index.md",
        "end = 2024-06-22",
        "end = 2024-06-27",
    );
    clean(site.path());
}

#[test]
fn c1_broken_link_in_markdown_is_located_in_the_post() {
    let site = fixture("check");
    edit(
        site.path(),
        STUDY,
        "会议学习了有关文件",
        "会议学习了[有关文件](/theory/nope/)",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    let f = only(&report, "C1", "error", STUDY, 11);
    assert_eq!(f["column"], 13);
    assert_eq!(f["text"], "/theory/nope/");
    assert_eq!(f["url"], "/theory/2024/06/study/");
    edit(site.path(), STUDY, "(/theory/nope/)", "(/theory/)");
    clean(site.path());
}

#[test]
fn c1_broken_anchor_and_image_are_found() {
    let site = fixture("check");
    edit(
        site.path(),
        PEACH,
        "(photo.svg)",
        "(%E7%85%A7%E7%89%87.svg)",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    let f = only(&report, "C1", "error", PEACH, 12);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("/tourism/2024/06/peach/照片.svg"),
        "{f:#}"
    );
    edit(
        site.path(),
        PEACH,
        "(%E7%85%A7%E7%89%87.svg)",
        "(photo.svg)",
    );
    edit(
        site.path(),
        STUDY,
        "会议学习了有关文件",
        "见[下文](#学习内)",
    );
    let (_, report) = check(site.path(), &[]);
    let f = only(&report, "C1", "error", STUDY, 11);
    assert!(f["message"].as_str().unwrap().contains("#学习内 "), "{f:#}");
    assert!(
        f["help"].as_str().unwrap().contains("#学习内容"),
        "suggests the id: {f:#}"
    );
}

#[test]
fn c1_a_templates_broken_link_is_one_finding_in_the_template() {
    let site = fixture("check");
    write(
        site.path(),
        "templates/partials/footer.html",
        "<footer><p>主办单位：{{ config.identity.organizer }}</p>\
         <p><a href=\"/sitemp/\">网站地图</a></p>\
         <p><a href=\"https://beian.miit.gov.cn/\">{{ config.identity.icp }}</a>\
         <a href=\"https://beian.mps.gov.cn/\">{{ config.identity.police_filing }}</a></p></footer>\n",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    let f = only(&report, "C1", "error", "templates/partials/footer.html", 1);
    assert!(
        f["pages"].as_array().unwrap().len() > 10,
        "seen on every page"
    );
    assert!(f["help"].as_str().unwrap().contains("/sitemap/"), "{f:#}");
    edit(
        site.path(),
        "templates/partials/footer.html",
        "/sitemp/",
        "/sitemap/",
    );
    clean(site.path());
}

#[test]
fn c2_wrong_and_discouraged_words() {
    let site = fixture("check");
    edit(site.path(), STUDY, "镇党委", "镇攻府");
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    let f = only(&report, "C2", "error", STUDY, 7);
    assert_eq!(
        (f["column"].as_u64(), f["text"].as_str()),
        (Some(2), Some("攻府"))
    );
    edit(site.path(), STUDY, "镇攻府", "其它");
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0);
    only(&report, "C2", "warning", STUDY, 7);
    edit(site.path(), STUDY, "其它", "镇党委");
    clean(site.path());
}

#[test]
fn c3_blocked_name_in_a_title() {
    let site = fixture("check");
    edit(
        site.path(),
        PEACH,
        "title = \"桃花节开幕\"",
        "title = \"甄虚构出席桃花节\"",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    let f = only(&report, "C3", "error", PEACH, 2);
    assert_eq!(f["column"], 10);
    edit(site.path(), PEACH, "甄虚构出席", "");
    clean(site.path());
}

#[test]
fn c4_personal_numbers_but_not_published_hotlines() {
    let site = fixture("check");
    edit(
        site.path(),
        STUDY,
        "召开学习会。",
        "召开学习会，联系人 13812345678。",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    let f = only(&report, "C4", "error", STUDY, 7);
    assert_eq!(f["text"], "138****5678", "the report masks the number");
    edit(site.path(), STUDY, "13812345678", "138****5678");
    clean(site.path());
    edit(
        site.path(),
        STUDY,
        "138****5678",
        "身份证 11010519491231002X",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    only(&report, "C4", "error", STUDY, 7);
}

#[test]
fn c5_missing_source_without_a_default() {
    let site = fixture("check");
    edit(
        site.path(),
        "site.toml",
        "default_source = \"检查测试镇宣传办\"\n",
        "",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0);
    only(&report, "C5", "warning", STUDY, 2);
    edit(
        site.path(),
        STUDY,
        "tags = [\"学习\"]",
        "tags = [\"学习\"]\nsource = \"镇党委办\"",
    );
    clean(site.path());
}

#[test]
fn c6_review_needs_three_names_when_required() {
    let site = fixture("check");
    edit(
        site.path(),
        "site.toml",
        "[check]",
        "[check]\nrequire_review = true",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    only(&report, "C6", "error", STUDY, 5);
    edit(site.path(), STUDY, "\"复审乙\"]", "\"复审乙\", \"终审丙\"]");
    clean(site.path());
}

#[test]
fn c8_typography_warns() {
    let site = fixture("check");
    edit(site.path(), STUDY, "镇党委理论学习", "镇党委,理论学习");
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0);
    let f = only(&report, "C8", "warning", STUDY, 7);
    assert_eq!(
        (f["column"].as_u64(), f["text"].as_str()),
        (Some(4), Some(","))
    );
    edit(site.path(), STUDY, "镇党委,理论学习", "镇党委，理论学习");
    clean(site.path());
}

#[test]
fn p1_malformed_icp_number() {
    let site = fixture("check");
    edit(
        site.path(),
        "site.toml",
        "浙ICP备00000000号-1",
        "ICP备0000号",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0, "a publicity site only warns");
    only(&report, "P1", "warning", "site.toml", 24);
    edit(
        site.path(),
        "site.toml",
        "ICP备0000号",
        "浙ICP备00000000号-1",
    );
    clean(site.path());
}

#[test]
fn p1_p2_p3_a_government_site_needs_its_site_id() {
    let site = fixture("check");
    edit(
        site.path(),
        "site.toml",
        "kind = \"publicity\"",
        "kind = \"gov\"",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    let rules: Vec<&str> = counted(&report)
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"P2"), "{rules:?}");
    assert!(rules.contains(&"P3"), "SiteIDCode missing: {rules:?}");
    assert!(counted(&report).iter().all(|f| f["severity"] == "error"));
}

#[test]
fn p3_a_template_without_meta_tags() {
    let site = fixture("check");
    write(
        site.path(),
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>{{ page.title }}</title></head>\
         <body>{{ page.content | safe }}{% include \"partials/footer.html\" %}</body></html>\n",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0, "publicity sites only warn");
    let found = counted(&report);
    assert!(!found.is_empty());
    for f in &found {
        assert_eq!(f["rule"], "P3", "{f:#}");
    }
    assert!(
        found
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("ArticleTitle"))
    );
}

#[test]
fn p6_script_from_another_host() {
    let site = fixture("check");
    edit(
        site.path(),
        STUDY,
        "## 学习内容",
        "<script src=\"https://stats.example.com/t.js\"></script>\n\n## 学习内容",
    );
    // In a post the script is also an S1 error (tests/rawhtml.rs); this test is about P6.
    let path = site.path().join(STUDY);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text + "\n<!-- zhen-ignore S1 -->\n").unwrap();
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0);
    let f = only(&report, "P6", "warning", STUDY, 9);
    assert_eq!(f["text"], "https://stats.example.com/t.js");
}

#[test]
fn a1_image_without_alt_text() {
    let site = fixture("check");
    edit(site.path(), PEACH, "![盛开的桃花]", "![]");
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 1);
    let f = only(&report, "A1", "error", PEACH, 12);
    assert_eq!(f["column"], 5);
    edit(site.path(), PEACH, "![]", "![盛开的桃花]");
    clean(site.path());
}

#[test]
fn a2_page_without_lang() {
    let site = fixture("check");
    let base = fs::read_to_string(common::repo().join("themes/township/templates/base.html"))
        .unwrap()
        .replace("<html lang=\"{{ lang }}\">", "<html>");
    write(site.path(), "templates/base.html", &base);
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0);
    let found = counted(&report);
    assert_eq!(found.len(), 1, "one finding for every page: {report:#}");
    assert_eq!(found[0]["rule"], "A2");
    assert!(found[0]["pages"].as_array().unwrap().len() > 10);
}

#[test]
fn inline_and_site_toml_opt_outs_are_counted_as_ignored() {
    let site = fixture("check");
    edit(
        site.path(),
        STUDY,
        "召开学习会。",
        "召开学习会，联系人 13812345678。\n\n<!-- zhen-ignore C4 当事人同意公开 -->",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["ignored"], 1);
    let f = &report["findings"][0];
    assert_eq!(
        (f["rule"].as_str(), f["ignore_reason"].as_str()),
        (Some("C4"), Some("当事人同意公开"))
    );

    edit(site.path(), STUDY, "镇党委理论学习", "镇党委,理论学习");
    edit(
        site.path(),
        "site.toml",
        "[check]",
        "[check]\nignore = { C8 = [\"theory/*.md\"] }",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["ignored"], 2, "{report:#}");
    let out = zhen(site.path(), &["check", "--now", NOW]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2 条已忽略"), "{text}");
}

#[test]
fn broken_wording_toml_means_the_site_cannot_be_checked() {
    let site = fixture("check");
    write(
        site.path(),
        "wording.toml",
        "[wrong]\n\"截止\" = \"截止到\"\n",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(report["status"], "not_loaded");
    let e = &report["load_errors"][0];
    assert_eq!(
        (e["file"].as_str(), e["line"].as_u64()),
        (Some("wording.toml"), Some(2))
    );
}

#[test]
fn build_refuses_content_errors_unless_told_not_to_check() {
    let site = fixture("check");
    build_ok(site.path(), &[]);
    let before = read(site.path(), "index.html");
    edit(site.path(), STUDY, "镇党委", "镇攻府");
    edit(
        site.path(),
        "content/tourism/2024-06-25-peach/index.md",
        "桃花节开幕了。",
        "桃花节开幕了，其它活动同步举行。",
    );
    let out = zhen(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("[C2]") && stderr.contains("2024-06-20-study.md:7:2"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("其它"),
        "build shows errors only: {stderr}"
    );
    assert!(stderr.contains("上一次生成的网站没有被改动"), "{stderr}");
    assert_eq!(
        read(site.path(), "index.html"),
        before,
        "previous output untouched"
    );
    let stderr = build_ok(site.path(), &["--no-check"]);
    assert!(stderr.contains("--no-check"), "a loud warning: {stderr}");
}

#[test]
fn the_sample_portal_has_no_errors() {
    if !common::repo().join("content/theory").is_dir() {
        eprintln!("skipped: the sample portal's posts are not in content/ yet (merge main)");
        return;
    }
    let site = fixture("sample");
    let (code, report) = check(site.path(), &["--now", "2024-09-30"]);
    assert_eq!(report["summary"]["errors"], 0, "{report:#}");
    assert_eq!(code, 0);
}

/// A server on 127.0.0.1 for `--external`: `/ok` 200, `/missing` 404, `/moved` a redirect to
/// `/ok`, `/slow` answers after 3 s. It serves a bounded number of connections and counts the
/// requests for each path.
fn local_server() -> (String, Arc<[AtomicUsize; 4]>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let counts: Arc<[AtomicUsize; 4]> = Arc::new(Default::default());
    let seen = counts.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(40) {
            let Ok(mut stream) = stream else { continue };
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
                        break;
                    }
                }
                let path = line.split_whitespace().nth(1).unwrap_or("");
                let (i, status, extra) = match path {
                    "/ok" => (0, "200 OK", ""),
                    "/missing" => (1, "404 Not Found", ""),
                    "/moved" => (2, "301 Moved Permanently", "Location: /ok\r\n"),
                    _ => (3, "200 OK", ""),
                };
                seen[i].fetch_add(1, Ordering::SeqCst);
                if i == 3 {
                    std::thread::sleep(Duration::from_secs(3));
                }
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\n{extra}Content-Length: 2\r\nConnection: close\r\n\r\nok"
                );
            });
        }
    });
    (base, counts)
}

#[test]
fn external_links_are_checked_on_request_and_cached() {
    let (base, counts) = local_server();
    let site = fixture("check");
    edit(
        site.path(),
        STUDY,
        "会议学习了有关文件",
        &format!(
            "会议学习了[甲]({base}/ok)、[乙]({base}/missing)、[丙]({base}/moved)、[丁]({base}/slow)"
        ),
    );
    edit(
        site.path(),
        "site.toml",
        "[check]",
        // The footer's registry links are skipped: the test fetches nothing but 127.0.0.1.
        "[check.external]\ntimeout = 1\nretries = 0\nhost_interval_ms = 0\n\
         skip = [\"https://beian.miit.gov.cn/\", \"https://beian.mps.gov.cn/\"]\n\n[check]",
    );
    clean(site.path());
    assert_eq!(
        counts[0].load(Ordering::SeqCst),
        0,
        "no request without --external"
    );

    let run = || {
        let out = assert_cmd::Command::cargo_bin("zhen")
            .unwrap()
            .current_dir(site.path())
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .env("NO_PROXY", "127.0.0.1")
            .args(["check", "--external", "--format", "json", "--now", NOW])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        validate(&report);
        (out.status.code(), report)
    };
    let (code, report) = run();
    assert_eq!(code, Some(1), "{report:#}");
    let found = counted(&report);
    let of = |path: &str| {
        found
            .iter()
            .find(|f| f["text"].as_str().unwrap().ends_with(path))
            .map(|f| (f["severity"].as_str().unwrap(), f["line"].as_u64().unwrap()))
    };
    assert_eq!(of("/missing"), Some(("error", 11)), "{report:#}");
    assert_eq!(
        of("/slow"),
        Some(("warning", 11)),
        "a timeout cannot be confirmed: {report:#}"
    );
    assert_eq!(of("/ok"), None);
    assert_eq!(of("/moved"), None, "redirects are followed");
    assert_eq!(found.len(), 2, "{report:#}");
    assert!(
        site.path()
            .join(".zhen-cache/external-links.json")
            .is_file()
    );

    let before: Vec<usize> = counts.iter().map(|c| c.load(Ordering::SeqCst)).collect();
    let (code, _) = run();
    assert_eq!(code, Some(1));
    let after: Vec<usize> = counts.iter().map(|c| c.load(Ordering::SeqCst)).collect();
    assert_eq!(after[0], before[0], "/ok came from the cache");
    assert_eq!(after[1], before[1], "/missing came from the cache");
    assert!(after[3] > before[3], "a timeout is tried again next time");
}

#[test]
fn f6_ended_column_still_linked_from_the_home_page() {
    let site = fixture("check");
    edit(
        site.path(),
        "content/columns/flowers/_index.md",
        "start = 2024-06-01",
        "start = 2024-06-01\nend = 2024-06-26",
    );
    clean(site.path());
    write(
        site.path(),
        "templates/index.html",
        "{% extends \"base.html\" %}{% block content %}<h1>首页</h1>\n<p>当前专题：<a href=\"/columns/flowers/\">赏花季</a></p>{% endblock %}\n",
    );
    let (code, report) = check(site.path(), &[]);
    assert_eq!(code, 0);
    let f = only(&report, "F6", "warning", "templates/index.html", 2);
    assert_eq!(f["url"], "/");
}
