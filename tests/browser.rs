//! The default theme in headless Chromium: builds the sample portal with the debug `zhen` and
//! runs tests/browser/run.mjs on it (axe-core in normal and senior mode, layout at 360 px and
//! 200 % text, the 关怀模式 switch, requests, the Nu Html Checker, screenshots into
//! target/screenshots/); and runs tests/browser/layout.mjs on the sample, a fresh `zhen init`
//! site (four categories, no 专题) and a site with nineteen categories (labels whole, rows
//! full, at 390 and 1280 px, in 关怀模式 and at 200 % text; screenshots beside the others).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `target/screenshots`, beside the folder cargo gives integration tests.
fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
        .join("screenshots")
}

/// Whether Chromium and the npm packages of tests/browser are there (installed when missing);
/// false (the test skips loudly) only outside CI without Chromium.
fn browser_ready() -> bool {
    if !Path::new("/usr/bin/chromium").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!(
            "\n\n    !!! SKIPPED: the theme's browser tests need /usr/bin/chromium \
             (apt-get install chromium fonts-noto-cjk); see .ci/run !!!\n"
        );
        return false;
    }
    let dir = common::repo().join("tests/browser");
    if !dir.join("node_modules/playwright-core").exists() {
        let npm = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .output()
            .expect("npm runs");
        assert!(
            npm.status.success(),
            "`npm ci` in tests/browser failed:\n{}",
            String::from_utf8_lossy(&npm.stderr)
        );
    }
    true
}

/// Runs `node tests/browser/<script> <args>` and asserts every check passed.
fn run_script(script: &str, args: &[std::ffi::OsString]) {
    let out = Command::new("node")
        .arg(common::repo().join("tests/browser").join(script))
        .args(args)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser tests failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

#[test]
fn the_sample_portal_is_accessible_age_friendly_and_valid_in_chromium() {
    if !browser_ready() {
        return;
    }
    let site = common::fixture("sample");
    common::build_ok(site.path(), &[]);
    run_script(
        "run.mjs",
        &[site.path().join("public").into(), screenshot_dir().into()],
    );
}

/// Nineteen categories of a real county collection (short and long names), two posts each
/// in 2025 and 2026, the last few with a cover (three of them photos), and a 专题 without a
/// cover beside one with it.
fn many_categories() -> tempfile::TempDir {
    const NAMES: [(&str, &str); 19] = [
        ("theory", "理论武装"),
        ("civility", "精神文明"),
        ("volunteer", "志愿服务"),
        ("tourism", "乡村旅游"),
        ("party", "党建引领"),
        ("open", "政务公开"),
        ("revival", "乡村振兴"),
        ("safety", "平安建设"),
        ("eco", "生态环保"),
        ("culture", "文化体育"),
        ("health", "教育卫生"),
        ("livelihood", "民生服务"),
        ("governance", "基层治理"),
        ("industry", "产业发展"),
        ("invest", "招商引资"),
        ("npc", "人大工作"),
        ("groups", "群团工作"),
        ("notice", "通知公告"),
        ("practice", "新时代文明实践"),
    ];
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    let mut toml = String::from(
        "title = \"十九栏目测试镇\"\nbase_url = \"https://many.example\"\n\
         default_source = \"测试镇党政办\"\n\n[identity]\norganizer = \"测试镇党政办\"\n\
         police_filing = \"浙公网安备33000000000000号\"\npolice_filing_code = \"33000000000000\"\n",
    );
    let cover = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"225\">\
                 <rect width=\"400\" height=\"225\" fill=\"#7a9\"/></svg>";
    for (n, (key, name)) in NAMES.iter().enumerate() {
        toml.push_str(&format!(
            "\n[[categories]]\nkey = \"{key}\"\nname = \"{name}\"\n"
        ));
        for (i, year) in [2025, 2026].iter().enumerate() {
            let dir = root.join(format!("content/{key}/{year}-0{}-1{i}-post-{i}", 1 + n % 9));
            fs::create_dir_all(&dir).unwrap();
            // Three phone photos (图片新闻 shows them: three do not fill a row of two or
            // four) and one drawing as covers.
            let cover_file = match (n, i) {
                (15, 1) => Some("cover.svg"),
                (16..=18, 1) => Some("cover.jpg"),
                _ => None,
            };
            match cover_file {
                Some("cover.svg") => fs::write(dir.join("cover.svg"), cover).unwrap(),
                Some(_) => fs::write(
                    dir.join("cover.jpg"),
                    common::photo::phone_jpeg(800, 600, 1, false, n as u32),
                )
                .unwrap(),
                None => {}
            }
            fs::write(
                dir.join("index.md"),
                format!(
                    "+++\ntitle = \"{name}工作第{}次推进会在镇政府召开\"\ndate = {year}-0{}-1{i}T09:00:00\n\
                     category = \"{key}\"\n{}+++\n\n会议指出，{name}要对标对表，桃花节期间每个周末\
                     都安排专人值守，确保 2025 年度目标任务全面完成。会议要求各村（社区）抓好落实。\n",
                    i + 1,
                    1 + n % 9,
                    cover_file.map_or(String::new(), |f| format!("cover = \"{f}\"\n"))
                ),
            )
            .unwrap();
        }
    }
    fs::write(root.join("site.toml"), toml).unwrap();
    for (key, title, has_cover) in [("spring", "春季植树", true), ("river", "河长制", false)]
    {
        let dir = root.join("content/columns").join(key);
        fs::create_dir_all(&dir).unwrap();
        if has_cover {
            fs::write(dir.join("cover.svg"), cover_svg_for(title)).unwrap();
        }
        fs::write(
            dir.join("_index.md"),
            format!(
                "+++\ntitle = \"{title}\"\ndescription = \"{title}专题\"\n{}+++\n",
                if has_cover {
                    "cover = \"cover.svg\"\n"
                } else {
                    ""
                }
            ),
        )
        .unwrap();
        fs::write(
            dir.join(format!("2026-03-01-{key}.md")),
            format!("+++\ntitle = \"{title}工作启动\"\ndate = 2026-03-01T09:00:00\ncategory = \"eco\"\n+++\n\n{title}工作正式启动。\n"),
        )
        .unwrap();
    }
    site
}

/// A plain picture for a 专题's cover.
fn cover_svg_for(title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"675\"><title>{title}</title>\
         <rect width=\"1200\" height=\"675\" fill=\"#2d6a4f\"/></svg>"
    )
}

/// A site as `zhen init` writes it (four categories, one post, no 专题), with the sample
/// names replaced as its first step asks (else the build refuses it, C9).
fn fresh_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let init = common::zhen(site.path(), &["init", "."]);
    assert!(init.status.success(), "{init:?}");
    let mut files = vec![site.path().join("site.toml")];
    for entry in fs::read_dir(site.path().join("content/theory")).unwrap() {
        files.push(entry.unwrap().path());
    }
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let text = text
            .replace("某某镇", "白沙镇")
            .replace("example.gov.cn", "baisha.example")
            .replace(
                "这是用 zhen 新建的第一篇文章。把它改成真实的内容，或在 content/ 下按分类新建文章。",
                "白沙镇新闻网今天开通，欢迎常来看看。",
            );
        fs::write(&file, text).unwrap();
    }
    site
}

#[test]
fn labels_stay_whole_and_rows_full_with_4_or_19_categories_and_without_columns() {
    if !browser_ready() {
        return;
    }
    let sample = common::fixture("sample");
    common::build_ok(sample.path(), &[]);
    let fresh = fresh_site();
    common::build_ok(fresh.path(), &[]);
    let many = many_categories();
    common::build_ok(many.path(), &[]);
    let mut args: Vec<std::ffi::OsString> = vec![screenshot_dir().into()];
    for (name, site) in [("sample", &sample), ("fresh", &fresh), ("many", &many)] {
        let mut arg = std::ffi::OsString::from(format!("{name}="));
        arg.push(site.path().join("public"));
        args.push(arg);
    }
    run_script("layout.mjs", &args);
}
