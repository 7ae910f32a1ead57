//! Live reload, the error overlay and the review watermark of `zhen serve` in headless Chromium
//! (tests/browser-serve/serve.mjs drives it; this test prepares the site and runs it).

mod common;

#[test]
fn edits_reload_the_page_errors_show_as_an_overlay_and_unreviewed_posts_are_watermarked() {
    if !common::browser_ready("browser-serve") {
        return;
    }
    let site = common::fixture("basic");
    let zhen = assert_cmd::cargo::cargo_bin("zhen");
    common::run_browser_script(
        "browser-serve/serve.mjs",
        &[zhen.as_os_str(), site.path().as_os_str()],
        9,
    );
}
