//! Chinese search on the sample portal in headless Chromium (tests/browser-search/search.mjs
//! drives it; this test builds the site with the zhen binary and runs it): the relevance set
//! of 52 queries must all pass, then the filters, the empty state and the keyboard.

mod common;

#[test]
fn chinese_queries_find_the_right_posts_in_the_browser() {
    if !common::browser_ready("browser-search") {
        return;
    }
    let site = common::fixture("sample");
    common::build_ok(site.path(), &[]);
    common::run_browser_script(
        "browser-search/search.mjs",
        &[site.path().join("public").as_os_str()],
        6,
    );
}
