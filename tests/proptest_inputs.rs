//! Property tests over what publicists type: front matter (TOML and YAML), dates, slugs,
//! permalink patterns, site.toml values and Markdown. Whatever the text, zhen never panics,
//! every error it reports renders, and the results keep their invariants.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use jiff::tz::TimeZone;
use proptest::prelude::*;
use zhen::config::Config;
use zhen::content::date::parse_date;
use zhen::content::frontmatter;
use zhen::diagnostics::Diagnostic;
use zhen::markdown::{self, image::ImageDirs, text};
use zhen::site::{permalink, slug::slugify};

/// Text a publicist might paste: Chinese, full-width punctuation, emoji, combining marks,
/// Markdown and TOML/YAML syntax, quotes, tabs, CR, a BOM, control characters.
fn messy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z测试镇乡村旅游，。！“”😀👍🏽e\u{301}\u{200b}\u{feff}\t\r\n \"'#:=\\[\\]{}<>*_`|\\-!@/\\\\\u{0}\u{1f}]{0,40}",
    ]
}

fn shanghai() -> TimeZone {
    TimeZone::get("Asia/Shanghai").unwrap()
}

/// Every diagnostic renders (both ways) without panicking and names a line when located.
fn renders(diagnostics: &[Diagnostic]) -> Result<(), TestCaseError> {
    for d in diagnostics {
        let text = d.render(false);
        d.render(true);
        prop_assert!(!text.is_empty());
        if let Some(loc) = &d.location {
            prop_assert!(loc.line >= 1 && loc.column >= 1);
            prop_assert!(
                loc.line_text
                    .is_char_boundary(loc.span.start.min(loc.line_text.len()))
            );
        }
    }
    Ok(())
}

/// Splits and parses `file` as a content file; returns the parsed title when it parsed.
fn parse_file(file: &str) -> Result<Option<String>, TestCaseError> {
    let split = match frontmatter::split(file) {
        Ok(s) => s,
        Err(d) => {
            renders(&[d])?;
            return Ok(None);
        }
    };
    match frontmatter::parse(&split, file, Path::new("content/a.md"), &shanghai()) {
        Ok((fm, warnings)) => {
            renders(&warnings)?;
            Ok(Some(fm.title))
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            renders(&errors)?;
            Ok(None)
        }
    }
}

fn markdown_opts(links: &HashMap<String, String>) -> markdown::Options<'_> {
    markdown::Options {
        links,
        rel: "tourism/peach/index.md",
        asset_base: Some("/tourism/2024/04/peach/"),
        image_base: Some("/tourism/2024/04/peach/"),
        images: ImageDirs::default(),
        external_target_blank: true,
        external_nofollow: false,
        summary_length: 20,
        reading_speed: 300,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any title, quoted as TOML quotes it, comes back unchanged.
    #[test]
    fn toml_titles_round_trip(title in messy(), crlf in any::<bool>(), bom in any::<bool>()) {
        let quoted = toml::Value::String(title.clone()).to_string();
        let nl = if crlf { "\r\n" } else { "\n" };
        let bom = if bom { "\u{feff}" } else { "" };
        let file = format!("{bom}+++{nl}title = {quoted}{nl}date = 2024-01-02{nl}+++{nl}正文{nl}");
        prop_assert_eq!(parse_file(&file)?, Some(title));
    }

    /// Any title, quoted as JSON (which YAML reads), comes back unchanged.
    #[test]
    fn yaml_titles_round_trip(title in messy(), crlf in any::<bool>()) {
        let quoted = serde_json::to_string(&title).unwrap();
        let nl = if crlf { "\r\n" } else { "\n" };
        let file = format!("---{nl}title: {quoted}{nl}date: 2024-01-02{nl}---{nl}正文{nl}");
        prop_assert_eq!(parse_file(&file)?, Some(title));
    }

    /// Arbitrary text around valid skeletons: parsed or reported, never a panic.
    #[test]
    fn arbitrary_front_matter_never_panics(
        before in messy(),
        value in messy(),
        after in messy(),
        yaml in any::<bool>(),
    ) {
        let file = if yaml {
            format!("---\n{before}\ntitle: {value}\ndate: {after}\n---\n{after}")
        } else {
            format!("+++\n{before}\ntitle = {value}\ndate = {after}\n+++\n{after}")
        };
        parse_file(&file)?;
        parse_file(&value)?;
    }

    /// Any text as a date: parsed or refused with a message, never a panic.
    #[test]
    fn any_date_text_never_panics(text in messy()) {
        if let Err(msg) = parse_date(&text, &shanghai()) {
            prop_assert!(!msg.is_empty());
        }
    }

    /// Every accepted spelling of a valid date-time gives that time in the site's zone.
    #[test]
    fn every_date_spelling_means_the_same_time(
        y in 1970i16..2100, m in 1i8..=12, d in 1i8..=28,
        h in 0i8..24, mi in 0i8..60, s in 0i8..60,
    ) {
        let tz = shanghai();
        let want = jiff::civil::date(y, m, d).at(h, mi, s, 0).to_zoned_datetime(tz.clone()).unwrap();
        for text in [
            format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}"),
            format!("{y}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}"),
            // The same instant with an offset (China kept summer time in 1986–1991).
            want.timestamp().to_string(),
            format!("{y}/{m}/{d} {h}:{mi:02}:{s:02}"),
            format!("  {y}/{m}/{d} {h:02}:{mi:02}:{s:02}  "),
        ] {
            let got = parse_date(&text, &tz).map(|z| z.timestamp());
            prop_assert_eq!(got, Ok(want.timestamp()), "{}", text);
        }
        let midnight = parse_date(&format!("{y}/{m}/{d}"), &tz).unwrap();
        prop_assert_eq!(midnight.date(), want.date());
    }

    /// Slugs are lowercase ASCII words joined by single hyphens, bounded by the input length.
    #[test]
    fn slugs_are_ascii_words(text in messy(), place in "[测试镇乡]{1,3}", reading in messy()) {
        let mut overrides = BTreeMap::new();
        overrides.insert(place, reading.clone());
        for o in [BTreeMap::new(), overrides] {
            let slug = slugify(&text, &o);
            prop_assert!(
                slug.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
                    || slug.is_empty(),
                "{:?} -> {:?}", text, slug
            );
            // Pinyin syllables are at most 6 letters; a reading or an accented letter's
            // transliteration adds at most its own length.
            let bound = 7 * text.chars().count() + 4 * text.chars().count() * (reading.len() + 1);
            prop_assert!(slug.len() <= bound);
        }
    }

    /// A post path from a valid pattern is an ASCII site path holding the slug; its output
    /// file is relative. Any path at all gets a relative output file and an asset folder.
    #[test]
    fn permalinks_fill_to_relative_files(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("{category}".to_string()),
                Just("{year}".to_string()),
                Just("{month}".to_string()),
                Just("{day}".to_string()),
                "[a-z0-9_.-]{1,5}",
                Just("/".to_string()),
            ],
            0..6,
        ),
        title in messy(),
        html in any::<bool>(),
        any_path in messy(),
    ) {
        let tail = if html { "{slug}.html" } else { "{slug}/" };
        let pattern = format!("/{}/{tail}", parts.concat());
        let date = parse_date("2024-04-02 09:00", &shanghai()).unwrap();
        let slug = match slugify(&title, &BTreeMap::new()) {
            s if s.is_empty() => "post".to_string(),
            s => s,
        };
        let path = permalink::post_path(&pattern, "tourism", &date, &slug);
        prop_assert!(path.starts_with('/') && path.is_ascii() && path.contains(&slug));
        let file = permalink::output_file(&path);
        prop_assert!(!file.starts_with('/') && !file.is_empty());
        prop_assert!(file.ends_with(".html"), "{}", file);
        let file = permalink::output_file(&any_path);
        prop_assert!(!file.starts_with('/') && !file.is_empty());
        prop_assert!(permalink::asset_dir(&any_path).ends_with('/'));
    }

    /// Any permalink pattern or other value in site.toml: a config or located errors.
    #[test]
    fn any_site_toml_value_never_panics(value in messy(), key in prop_oneof![
        Just("permalink"), Just("timezone"), Just("base_url"), Just("theme"), Just("title"),
    ]) {
        let quoted = toml::Value::String(value.clone()).to_string();
        let dir = tempfile::tempdir().unwrap();
        for text in [
            format!("title = \"镇\"\nbase_url = \"https://x.example\"\n{key} = {quoted}\n"),
            format!("title = \"镇\"\n{key} = {value}\n"),
        ] {
            if let Err(errors) = Config::parse(&text, &dir.path().join("site.toml"), dir.path()) {
                prop_assert!(!errors.is_empty());
                renders(&errors)?;
            }
        }
    }

    /// Any Markdown renders (or reports located errors); the measures stay within bounds.
    #[test]
    fn any_markdown_renders(body in prop_oneof![
        messy(),
        proptest::collection::vec(prop_oneof![
            messy(),
            Just("\n\n".to_string()),
            Just("<!-- more -->".to_string()),
            Just("[链接](@/theory/a.md#节)".to_string()),
            Just("![图](a.png)".to_string()),
            Just("## 标题 {#id}\n".to_string()),
            Just("```rust\n".to_string()),
            Just("| a | b |\n|---|---|\n".to_string()),
            Just("[^1]\n\n[^1]: 注".to_string()),
            Just("<a href=\"x\">".to_string()),
        ], 0..12).prop_map(|v| v.concat()),
    ]) {
        let mut links = HashMap::new();
        links.insert("theory/a.md".to_string(), "/theory/2024/01/a/".to_string());
        match markdown::render(&body, 3, Path::new("content/x.md"), &markdown_opts(&links)) {
            Ok(r) => {
                let chars = body.chars().count();
                prop_assert!(r.word_count <= chars);
                prop_assert!(r.reading_time >= 1);
                prop_assert!(r.excerpt.chars().count() <= chars.max(1) + 1);
                prop_assert!(!r.excerpt.contains('\n'));
                let html = r.content.as_str().unwrap_or_default();
                if !body.contains('<') {
                    prop_assert!(!html.contains("<script"), "{}", html);
                }
            }
            Err(errors) => renders(&errors)?,
        }
    }

    /// Excerpts are cut on characters and never exceed the asked length (plus the ellipsis).
    #[test]
    fn excerpts_are_bounded(t in messy(), n in 0usize..50) {
        let e = text::excerpt(&t, n);
        prop_assert!(e.chars().count() <= n + 1);
        prop_assert!(text::word_count(&t) <= t.chars().count());
    }
}

/// Text that tries to leave a folder: `..`, absolute and Windows paths, URLs, encodings.
fn escaping() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        Just("..".to_string()),
        Just(".".to_string()),
        Just("".to_string()),
        Just("C:".to_string()),
        Just("%2e%2e".to_string()),
        Just("http:".to_string()),
        "[a-z测试.\\\\]{1,6}",
    ];
    (
        proptest::collection::vec(part, 0..6),
        prop_oneof![Just("/"), Just("\\"), Just("//")],
    )
        .prop_map(|(parts, sep)| parts.join(sep))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever an alias or path says, a file zhen accepts to write stays inside the output.
    #[test]
    fn accepted_output_files_stay_inside(alias in prop_oneof![escaping(), messy()]) {
        let file = permalink::output_file(&zhen::site::alias_path(&alias));
        if permalink::unsafe_file(&file).is_none() {
            let inside = Path::new(&file).components().all(|c| {
                matches!(c, std::path::Component::Normal(_))
            });
            prop_assert!(inside, "{:?} -> {:?}", alias, file);
        }
    }
}

proptest! {
    // Whole builds: a few cases.
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// A post with any alias and slug either fails to build or writes only inside its output.
    #[test]
    fn a_build_writes_only_inside_its_output(alias in escaping(), slug in messy()) {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("content/theory")).unwrap();
        std::fs::write(
            site.join("site.toml"),
            "title = \"测试镇\"\nbase_url = \"https://t.example\"\n[search]\nenabled = false\n[[categories]]\nkey = \"theory\"\nname = \"理论武装\"\n",
        )
        .unwrap();
        let post = format!(
            "+++\ntitle = \"测试\"\ndate = 2024-05-01\naliases = [{}]\nslug = {}\n+++\n正文。\n",
            toml::Value::String(alias.clone()),
            toml::Value::String(slug.clone()),
        );
        std::fs::write(site.join("content/theory/a.md"), post).unwrap();
        let out = site.join("out/public");
        let options = zhen::pipeline::Options::new(site.clone(), jiff::Timestamp::now());
        if let Ok(built) = zhen::pipeline::run(&options, None) {
            let _ = zhen::output::write_site(&built.outputs, &out, None);
        }
        for entry in walkdir::WalkDir::new(dir.path()).into_iter().filter_map(Result::ok) {
            let p = entry.path();
            // The output, and the image cache the site keeps beside site.toml.
            let ours = p.starts_with(&out)
                || p.starts_with(site.join(".zhen-cache"))
                || p == dir.path()
                || p.starts_with(site.join("content"))
                || [site.as_path(), &site.join("out"), &site.join("site.toml")].contains(&p)
                || p.parent() == Some(&site.join("out"));
            prop_assert!(ours, "{} written for alias {:?}", p.display(), alias);
        }
    }
}
