//! The default theme in headless Chromium: builds the sample portal with the debug `zhen` and
//! runs tests/browser/run.mjs on it (axe-core in normal and senior mode, layout at 360 px and
//! 200 % text, the 关怀模式 switch, requests, the Nu Html Checker, screenshots into
//! target/screenshots/).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// `target/screenshots`, beside the folder cargo gives integration tests.
fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
        .join("screenshots")
}

#[test]
fn the_sample_portal_is_accessible_age_friendly_and_valid_in_chromium() {
    if !Path::new("/usr/bin/chromium").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!(
            "\n\n    !!! SKIPPED: the theme's browser tests need /usr/bin/chromium \
             (apt-get install chromium fonts-noto-cjk); see .ci/run !!!\n"
        );
        return;
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
    let site = common::fixture("sample");
    common::build_ok(site.path(), &[]);
    let out = Command::new("node")
        .arg(dir.join("run.mjs"))
        .arg(site.path().join("public"))
        .arg(screenshot_dir())
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
