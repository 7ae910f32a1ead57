//! Chinese search on the sample portal in headless Chromium (tests/browser-search/search.mjs
//! drives it; this test builds the site with the zhen binary and runs it).

mod common;

use std::process::Command;

#[test]
fn chinese_queries_find_the_right_posts_in_the_browser() {
    if !common::browser_ready("browser-search") {
        return;
    }
    let site = common::fixture("sample");
    common::build_ok(site.path(), &[]);
    let out = Command::new("node")
        .arg(common::repo().join("tests/browser-search/search.mjs"))
        .arg(site.path().join("public"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    assert_eq!(stdout.matches("ok:").count(), 12, "{stdout}");
}
