//! The default theme "township" on built sites: what its pages must hold (footer from
//! [identity], QR code, image sizes) and how a site re-brands it.

mod common;

use std::fs;

use common::{build_ok, fixture, read};

#[test]
fn a_site_static_file_replaces_the_themes() {
    let site = fixture("basic");
    fs::create_dir_all(site.path().join("static/css")).unwrap();
    fs::write(
        site.path().join("static/css/brand.css"),
        ":root { --brand: #004d99; }\n",
    )
    .unwrap();
    build_ok(site.path(), &[]);
    assert_eq!(
        read(site.path(), "css/brand.css"),
        ":root { --brand: #004d99; }\n"
    );
    assert!(read(site.path(), "css/style.css").contains("var(--brand)"));
}
