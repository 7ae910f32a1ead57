//! Live reload and the error overlay of `zhen serve` in headless Chromium
//! (tests/browser-serve/serve.mjs drives it; this test prepares the site and runs it).

mod common;

use std::process::Command;

#[test]
fn edits_reload_the_page_and_errors_show_as_an_overlay() {
    if !common::browser_ready("browser-serve") {
        return;
    }
    let dir = common::repo().join("tests/browser-serve");
    let site = common::fixture("basic");
    let out = Command::new("node")
        .arg(dir.join("serve.mjs"))
        .arg(assert_cmd::cargo::cargo_bin("zhen"))
        .arg(site.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    assert_eq!(stdout.matches("ok:").count(), 4, "{stdout}");
}
