//! `zhen build` with the cache in `.zhen-cache/build/`: after every kind of edit, an incremental
//! build writes exactly what a fresh build of the same files writes (compared file for file
//! with a build of a copy of the site that has no cache); a cache from another zhen version or
//! a damaged one is ignored with a note; `--fresh` neither reads nor writes it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{copy, fixture, repo, zhen};

/// "Now" for every build of a test, so that the incremental and the fresh build agree.
const NOW: &str = "2025-01-10 08:00";

/// Every file of the output folder `out` with its bytes (zhen's marker left out).
fn tree(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != zhen::output::MARKER)
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Runs `zhen build --now NOW --timings` (plus `args`) in `root`; returns (success, stderr).
fn build(root: &Path, args: &[&str]) -> (bool, String) {
    let out = zhen(
        root,
        &[&["build", "--now", NOW, "--timings"], args].concat(),
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Builds `root` incrementally into its public/ and a copy of its sources with `--fresh`;
/// both must succeed or fail alike and, when they succeed, write the same files. Returns the
/// incremental build's stderr.
fn same_as_fresh(root: &Path, args: &[&str], what: &str) -> String {
    let (ok, stderr) = build(root, args);
    let copy_dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(root).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name != "public" && !name.to_string_lossy().starts_with('.') {
            copy(&entry.path(), &copy_dir.path().join(&name));
        }
    }
    let fresh_args = if args.contains(&"--fresh") {
        args.to_vec()
    } else {
        [args, &["--fresh"]].concat()
    };
    let (fresh_ok, fresh_err) = build(copy_dir.path(), &fresh_args);
    assert_eq!(
        ok, fresh_ok,
        "{what}: incremental and fresh builds disagree\n--- incremental\n{stderr}\n--- fresh\n{fresh_err}"
    );
    assert_eq!(
        report(&stderr, root),
        report(&fresh_err, copy_dir.path()),
        "{what}: incremental and fresh builds report otherwise"
    );
    if !ok {
        return stderr;
    }
    same_tree(&root.join("public"), &copy_dir.path().join("public"), what);
    stderr
}

/// What a build printed that a fresh build of the same files prints too — its warnings, the
/// findings that refuse it, its totals — without stage times, cache notes, the count of
/// unchanged files and the time taken, and with the site folder `root` written as ROOT.
fn report(stderr: &str, root: &Path) -> String {
    let root = root.to_string_lossy();
    stderr
        .lines()
        .filter(|l| {
            let stage = l
                .rsplit_once(" ms  ")
                .is_some_and(|(_, s)| s.chars().all(|c| c.is_ascii_alphabetic()));
            !stage && !l.starts_with("缓存：") && !l.starts_with("提示: 缓存")
        })
        .map(|l| match (l.split_once("（"), l.split_once("毫秒")) {
            (Some((totals, _)), Some((_, rest))) if l.starts_with("生成完成：") => {
                format!("{totals}{rest}")
            }
            _ => l.to_string(),
        })
        .map(|l| l.replace(root.as_ref(), "ROOT"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many pages the build read for its checks (its --timings line).
fn checked(stderr: &str) -> Option<usize> {
    let rest = stderr.split("重新读取检查的页面 ").nth(1)?;
    rest.split(' ').next()?.parse().ok()
}

/// The output folders `got` and `want` hold the same files with the same bytes.
fn same_tree(got: &Path, want: &Path, what: &str) {
    let (got, want) = (tree(got), tree(want));
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "{what}: the same files");
    for (name, bytes) in &got {
        assert!(
            *bytes == want[name],
            "{what}: {name} differs from a fresh build\n--- incremental\n{}\n--- fresh\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&want[name])
        );
    }
}

/// How many outputs the build rendered from templates (its --timings line), None when it
/// found nothing changed and rendered nothing at all.
fn rendered(stderr: &str) -> Option<usize> {
    let rest = stderr.split("重新套用模板的页面 ").nth(1)?;
    rest.split(' ').next()?.parse().ok()
}

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn a_second_build_with_nothing_changed_writes_nothing_and_renders_nothing() {
    let site = fixture("portal");
    let root = site.path();
    let first = same_as_fresh(root, &[], "first build");
    assert!(rendered(&first).is_some_and(|n| n > 10), "{first}");
    let page = root.join("public/index.html");
    let before = fs::metadata(&page).unwrap().modified().unwrap();
    let (ok, second) = build(root, &[]);
    assert!(ok, "{second}");
    assert!(second.contains("  cache"), "{second}");
    assert_eq!(rendered(&second), None, "nothing rendered:\n{second}");
    assert_eq!(fs::metadata(&page).unwrap().modified().unwrap(), before);
    // An output removed by hand is written again, and one changed by hand is not reused.
    fs::remove_file(&page).unwrap();
    same_as_fresh(root, &[], "output removed");
    assert!(page.exists());
    // A file put into the output by hand goes, as with any build.
    write(root, "public/notes.txt", "不属于网站的文件");
    same_as_fresh(root, &[], "file added to the output");
    assert!(!root.join("public/notes.txt").exists());
    let post = root.join("public/tourism/202403/t20240320_rape.html");
    let html = fs::read_to_string(&post).unwrap();
    fs::write(&post, html.replace("油菜花开了", "改过的文字")).unwrap();
    let post_md = root.join("content/civility/2023-05-05-city.md");
    let text = fs::read_to_string(&post_md).unwrap();
    fs::write(&post_md, format!("{text}\n另一篇的补充。\n")).unwrap();
    same_as_fresh(root, &[], "output changed by hand");
    assert!(fs::read_to_string(&post).unwrap().contains("油菜花开了"));
}

#[test]
fn a_random_sequence_of_edits_equals_a_fresh_build_after_every_step() {
    // Every kind of edit a writer makes, in an order drawn from a fixed seed; after each, the
    // incremental build must equal a fresh build of the same files.
    let site = fixture("portal");
    let root = site.path();
    let first = same_as_fresh(root, &[], "first build");
    let all = rendered(&first).unwrap();
    let mut posts: Vec<String> = [
        "content/tourism/2023-06-01-farm.md",
        "content/tourism/2024-03-10-长乐桃花节.md",
        "content/tourism/2024-03-20-rape.md",
        "content/civility/2023-05-05-city.md",
        "content/civility/2023-07-07-city2.md",
        "content/columns/farm-stay/2024-08-18-summer/index.md",
    ]
    .map(String::from)
    .to_vec();
    let mut seeded = common::Seeded(0x1ec5_2026);
    let mut next = |n: usize| seeded.below(n);
    let mut body_edits = 0;
    for step in 1..=30 {
        let kind = next(11);
        let file = posts[next(posts.len())].clone();
        let path = root.join(&file);
        let text = fs::read_to_string(&path).unwrap();
        let shared = match kind {
            0 => Some("body"),
            1 => Some("title"),
            2 => Some("date"),
            4 => Some("tags"),
            8 => Some("draft"),
            _ => None,
        };
        let what = if let Some(what) = shared {
            fs::write(&path, common::edited(&text, what, step, &mut next)).unwrap();
            what
        } else {
            match kind {
                3 => {
                    let category = ["\"tourism\"", "\"civility\""][next(2)];
                    fs::write(&path, common::set_key(&text, "category", Some(category))).unwrap();
                    "category"
                }
                5 => {
                    let new = format!("content/tourism/2024-05-0{}-new{step}.md", 1 + next(9));
                    write(
                        root,
                        &new,
                        &format!(
                            "+++\ntitle = \"新文章{step}\"\ndate = 2024-05-01T10:00:00\ntags = [\"赏花\"]\n+++\n新文章的正文，链接到[农家乐](@/columns/farm-stay/2024-08-18-summer/index.md)。\n"
                        ),
                    );
                    posts.push(new);
                    "new"
                }
                6 if posts.len() > 3 && !file.ends_with("index.md") => {
                    fs::remove_file(&path).unwrap();
                    posts.retain(|p| *p != file);
                    "delete"
                }
                7 if !file.ends_with("index.md") => {
                    let renamed = file.replace(".md", &format!("-r{step}.md"));
                    fs::rename(&path, root.join(&renamed)).unwrap();
                    posts.retain(|p| *p != file);
                    posts.push(renamed);
                    "rename"
                }
                9 => {
                    let column = root.join("content/columns/flowers/_index.md");
                    let old = fs::read_to_string(&column).unwrap();
                    let edited = if step % 2 == 0 {
                        format!("{old}\n第{step}次补充。\n")
                    } else {
                        common::set_key(&old, "title", Some(&format!("\"第{step}次改名的专题\"")))
                    };
                    fs::write(&column, edited).unwrap();
                    "column"
                }
                _ => {
                    let column = ["\"flowers\"", "\"farm-stay\""][next(2)];
                    fs::write(&path, common::set_key(&text, "column", Some(column))).unwrap();
                    "post's column"
                }
            }
        };
        let stderr = same_as_fresh(root, &[], &format!("step {step} ({what} of {file})"));
        if what == "body"
            && let Some(n) = rendered(&stderr)
        {
            body_edits += 1;
            // Only what shows the post is rendered again.
            assert!(
                n * 2 < all,
                "step {step}: a body edit rendered {n} of {all} outputs\n{stderr}"
            );
        }
    }
    assert!(
        body_edits > 0,
        "the sequence edits a body of a site that builds"
    );
}

#[test]
fn site_toml_templates_static_and_data_files_are_followed() {
    let site = fixture("portal");
    let root = site.path();
    same_as_fresh(root, &[], "first build");
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(
        root.join("site.toml"),
        toml.replace("专题测试镇", "专题测试新镇"),
    )
    .unwrap();
    same_as_fresh(root, &[], "site.toml");
    // A template of the site's own, then an edit of it.
    let theme = repo().join("themes/township/templates");
    let page = fs::read_to_string(theme.join("page.html")).unwrap();
    write(root, "templates/page.html", &page);
    same_as_fresh(root, &[], "new template");
    write(
        root,
        "templates/page.html",
        &page.replacen(
            "<article class=\"article\"",
            "<p>模板里新加的一句话</p><article class=\"article\"",
            1,
        ),
    );
    let stderr = same_as_fresh(root, &[], "template edit");
    assert!(
        fs::read_to_string(root.join("public/tourism/202403/t20240320_rape.html"))
            .unwrap()
            .contains("模板里新加的一句话"),
        "{stderr}"
    );
    write(root, "static/css/extra.css", "body { color: #333; }\n");
    same_as_fresh(root, &[], "new static file");
    write(root, "static/css/extra.css", "body { color: #111; }\n");
    same_as_fresh(root, &[], "static file edit");
    write(root, "content/tourism/guide.pdf", "%PDF-1.4 旅游指南");
    same_as_fresh(root, &[], "file beside the posts");
    // wording.toml is the checks' data: a wrong word that a post holds stops the build.
    write(
        root,
        "wording.toml",
        "[wrong]\n\"油菜花开\" = \"油菜花盛开\"\n",
    );
    let stderr = same_as_fresh(root, &[], "wording.toml");
    assert!(stderr.contains("油菜花开"), "{stderr}");
    fs::remove_file(root.join("wording.toml")).unwrap();
    same_as_fresh(root, &[], "wording.toml removed");
}

#[test]
fn a_new_dead_link_is_refused_like_a_fresh_build_would() {
    let site = fixture("portal");
    let root = site.path();
    same_as_fresh(root, &[], "first build");
    let post = root.join("content/tourism/2024-03-20-rape.md");
    let text = fs::read_to_string(&post).unwrap();
    fs::write(&post, format!("{text}\n[旧链接](/no/such/page/)\n")).unwrap();
    let stderr = same_as_fresh(root, &[], "dead link");
    assert!(stderr.contains("/no/such/page/"), "{stderr}");
    fs::write(&post, &text).unwrap();
    same_as_fresh(root, &[], "dead link removed");
    // The page another post links to disappears: the linking post did not change.
    let target = root.join("content/civility/2023-07-07-city2.md");
    fs::write(
        &post,
        format!("{text}\n[创城](@/civility/2023-07-07-city2.md)\n"),
    )
    .unwrap();
    same_as_fresh(root, &[], "link to another post");
    fs::remove_file(&target).unwrap();
    same_as_fresh(root, &[], "linked post deleted");
}

#[test]
fn a_kept_page_whose_number_is_no_longer_allowed_is_refused_like_a_fresh_build() {
    // The cache keeps each page's personal numbers, not its text: a page that stays the same
    // while the allowed numbers change is read again to show the number it holds.
    let site = fixture("portal");
    let root = site.path();
    let toml = root.join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    // A footer of the site's own that puts a mobile number together: no file holds it.
    fs::create_dir_all(root.join("templates/partials")).unwrap();
    fs::write(
        root.join("templates/partials/footer.html"),
        "<footer class=\"site-footer\"><p>值班手机：138{{ \"0013\" }}8000</p></footer>\n",
    )
    .unwrap();
    fs::write(
        &toml,
        format!("{text}\n[check]\nallow_phones = [\"13800138000\"]\n"),
    )
    .unwrap();
    let first = same_as_fresh(root, &[], "an allowed number");
    assert!(first.contains("生成完成"), "{first}");
    assert!(checked(&first).is_some_and(|n| n > 10), "{first}");
    fs::write(&toml, &text).unwrap();
    let stderr = same_as_fresh(root, &[], "the number no longer allowed");
    assert!(
        stderr.contains("疑似未打码的个人手机号 138****8000"),
        "{stderr}"
    );
    assert!(!stderr.contains("13800138000"), "{stderr}");
}

#[test]
fn pages_kept_from_the_last_check_are_checked_against_the_pages_that_changed() {
    let site = fixture("portal");
    let root = site.path();
    let target = root.join("content/civility/2023-07-07-city2.md");
    let target_text = fs::read_to_string(&target).unwrap();
    let anchored = format!("{target_text}\n## 活动安排\n\n展板的安排。\n");
    fs::write(&target, &anchored).unwrap();
    // A link written as a plain URL: the linking page's HTML does not change with its target.
    let post = root.join("content/tourism/2024-03-20-rape.md");
    let text = fs::read_to_string(&post).unwrap();
    fs::write(
        &post,
        format!("{text}\n[创城展板](/civility/202307/t20230707_city2.html#活动安排)\n"),
    )
    .unwrap();
    let first = same_as_fresh(root, &[], "first build");
    let all = checked(&first).unwrap();
    assert!(all > 10, "{first}");
    let linking = root.join("public/tourism/202403/t20240320_rape.html");
    let html = fs::read(&linking).unwrap();
    // The target changes: only the pages that show it are read again.
    fs::write(&target, format!("{anchored}\n展板换了新的。\n")).unwrap();
    let stderr = same_as_fresh(root, &[], "target edited");
    let read = checked(&stderr).unwrap();
    assert!(read * 2 < all, "{read} of {all} pages read again\n{stderr}");
    assert_eq!(
        fs::read(&linking).unwrap(),
        html,
        "the linking page is as it was"
    );
    // Its anchor goes, comes back, then the whole target goes: the linking page is the same.
    fs::write(
        &target,
        format!("{target_text}\n## 新的安排\n\n展板的安排。\n"),
    )
    .unwrap();
    let stderr = same_as_fresh(root, &[], "anchor removed from the target");
    assert!(stderr.contains("锚点 #活动安排"), "{stderr}");
    fs::write(&target, &anchored).unwrap();
    same_as_fresh(root, &[], "anchor back");
    fs::remove_file(&target).unwrap();
    let stderr = same_as_fresh(root, &[], "target removed");
    assert!(stderr.contains("t20230707_city2.html 不存在"), "{stderr}");
    // A number only the rendered text spells out (an entity in the Markdown), allowed as a
    // hotline, then no longer allowed: the page is the same, its kept scan must still show it.
    fs::write(&target, &target_text).unwrap();
    fs::write(&post, format!("{text}\n联系人 138&#49;2345678。\n")).unwrap();
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    let allowed = format!("{toml}\n[check]\nallow_phones = [\"13812345678\"]\n");
    fs::write(root.join("site.toml"), allowed).unwrap();
    same_as_fresh(root, &[], "a hotline in the rendered text");
    fs::write(root.join("site.toml"), &toml).unwrap();
    let stderr = same_as_fresh(root, &[], "the hotline no longer allowed");
    assert!(stderr.contains("疑似未打码的个人手机号"), "{stderr}");
    // A new dead link in the linking page, and a fix of the first.
    fs::write(&target, &target_text).unwrap();
    fs::write(&post, format!("{text}\n[旧链接](/no/such/page/)\n")).unwrap();
    let stderr = same_as_fresh(root, &[], "dead link in an edited page");
    assert!(stderr.contains("/no/such/page/ 不存在"), "{stderr}");
    fs::write(&post, &text).unwrap();
    same_as_fresh(root, &[], "dead link removed");
}

#[test]
fn scheduled_posts_and_column_ends_follow_the_clock() {
    let site = fixture("portal");
    let root = site.path();
    write(
        root,
        "content/tourism/2025-02-01-spring.md",
        "+++\ntitle = \"春节游园\"\ndate = 2025-02-01T09:00:00\n+++\n春节游园活动。\n",
    );
    write(
        root,
        "content/columns/winter/_index.md",
        "+++\ntitle = \"冬季专题\"\nend = 2025-01-20\n+++\n冬季活动。\n",
    );
    write(
        root,
        "content/tourism/2024-12-01-snow.md",
        "+++\ntitle = \"赏雪\"\ndate = 2024-12-01T09:00:00\ncolumn = \"winter\"\n+++\n赏雪。\n",
    );
    let first = same_as_fresh(root, &[], "before the post is due");
    assert!(first.contains("定时发布"), "{first}");
    let before = tree(&root.join("public"));
    for now in ["2025-01-25 08:00", "2025-02-02 08:00"] {
        let args = ["--now", now];
        let out = zhen(root, &[&["build", "--timings"], &args[..]].concat());
        assert!(out.status.success());
        let copy_dir = tempfile::tempdir().unwrap();
        for part in ["site.toml", "content"] {
            copy(&root.join(part), &copy_dir.path().join(part));
        }
        let fresh = zhen(copy_dir.path(), &[&["build"], &args[..]].concat());
        assert!(fresh.status.success());
        same_tree(
            &root.join("public"),
            &copy_dir.path().join("public"),
            &format!("at {now}"),
        );
    }
    let after = tree(&root.join("public"));
    assert_ne!(before, after);
    assert!(
        after.keys().any(|k| k.contains("spring")),
        "the post came due"
    );
}

#[test]
fn a_cache_from_another_version_or_a_damaged_one_is_ignored_with_a_note() {
    let site = fixture("portal");
    let root = site.path();
    same_as_fresh(root, &[], "first build");
    let file = root.join(zhen::cache::FILE);
    let bytes = fs::read(&file).unwrap();
    let version = format!("zhen {}\n", env!("CARGO_PKG_VERSION"));
    let at = bytes
        .windows(version.len())
        .position(|w| w == version.as_bytes())
        .expect("the version is in the header");
    // An upgrade: the same file written by zhen 0.0.1.
    let mut old = bytes[..at].to_vec();
    old.extend_from_slice(b"zhen 0.0.1\n");
    old.extend_from_slice(&bytes[at + version.len()..]);
    // What the cache would reuse is edited too, so trusting it would show.
    let post = root.join("content/tourism/2024-03-20-rape.md");
    let text = fs::read_to_string(&post).unwrap();
    fs::write(&post, format!("{text}\n升级后补充。\n")).unwrap();
    fs::write(&file, &old).unwrap();
    let stderr = same_as_fresh(root, &[], "cache of another version");
    assert!(stderr.contains("另一个版本的 zhen（0.0.1）"), "{stderr}");
    assert_eq!(
        stderr.matches("提示: 缓存").count(),
        1,
        "one note:\n{stderr}"
    );
    assert!(rendered(&stderr).is_some_and(|n| n > 10), "{stderr}");
    // The build wrote a good cache again.
    let (_, again) = build(root, &[]);
    assert!(!again.contains("提示: 缓存"), "{again}");
    assert_eq!(rendered(&again), None, "{again}");

    // Cut short, then one byte changed in the middle.
    let good = fs::read(&file).unwrap();
    for (what, damaged) in [
        ("truncated", good[..good.len() / 2].to_vec()),
        ("flipped", {
            let mut b = good.clone();
            let mid = b.len() - 20;
            b[mid] ^= 0x5a;
            b
        }),
        ("garbage", b"not a cache at all".to_vec()),
    ] {
        fs::write(&file, damaged).unwrap();
        let stderr = same_as_fresh(root, &[], what);
        assert!(stderr.contains("已损坏"), "{what}: {stderr}");
        assert!(
            rendered(&stderr).is_some_and(|n| n > 10),
            "{what}: {stderr}"
        );
    }

    // The shards beside the state file: each part's shard cut short, changed or gone.
    for (what, damage) in [
        ("a shard cut short", 0),
        ("a shard changed", 1),
        ("a shard removed", 2),
    ] {
        let (_, _) = build(root, &[]);
        for part in ["files-", "markdown-", "render-", "scans-"] {
            let shard = fs::read_dir(file.parent().unwrap())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(part))
                .max_by_key(|p| fs::metadata(p).unwrap().len())
                .expect("every part has shards");
            let bytes = fs::read(&shard).unwrap();
            match damage {
                0 => fs::write(&shard, &bytes[..bytes.len() / 2]).unwrap(),
                1 => {
                    let mut b = bytes.clone();
                    let mid = b.len() / 2;
                    b[mid] ^= 0x5a;
                    fs::write(&shard, b).unwrap();
                }
                _ => fs::remove_file(&shard).unwrap(),
            }
            fs::write(&post, format!("{text}\n{what}，{part}\n")).unwrap();
            let stderr = same_as_fresh(root, &[], what);
            assert!(stderr.contains("已损坏"), "{what} {part}: {stderr}");
            assert!(
                rendered(&stderr).is_some_and(|n| n > 10),
                "{what} {part}: {stderr}"
            );
        }
    }
}

#[test]
fn an_edit_rewrites_a_few_cache_shards_and_old_ones_go() {
    let site = fixture("portal");
    let root = site.path();
    same_as_fresh(root, &[], "first build");
    let dir = root.join(zhen::cache::DIR);
    let shards = || -> BTreeMap<String, Vec<u8>> {
        fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_name() != "state.bin")
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let before = shards();
    assert!(before.len() >= 4 * 8, "{:?}", before.keys());
    let post = root.join("content/tourism/2024-03-20-rape.md");
    let text = fs::read_to_string(&post).unwrap();
    fs::write(&post, format!("{text}\n补充一段。\n")).unwrap();
    let stderr = same_as_fresh(root, &[], "one edit");
    assert!(rendered(&stderr).is_some_and(|n| n < 30), "{stderr}");
    // The outputs the patch wrote were stamped again: the next build finds nothing changed.
    let (ok, again) = build(root, &[]);
    assert!(ok && again.contains("检查缓存"), "{again}");
    assert_eq!(rendered(&again), None, "{again}");
    let after = shards();
    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let gone = before.keys().filter(|k| !after.contains_key(*k)).count();
    // The post's own entries, and those of the pages listing it (each shard holds a few
    // of this small site's pages).
    assert!(!new.is_empty() && new.len() * 8 < before.len(), "{new:?}");
    assert_eq!(
        gone,
        new.len(),
        "each rewritten shard replaces one: {new:?}"
    );
    assert!(new.iter().any(|k| k.starts_with("markdown-")), "{new:?}");
    // The edit taken back: the same shards as before, but for the file's new time stamp.
    fs::write(&post, &text).unwrap();
    same_as_fresh(root, &[], "the edit taken back");
    let back = shards();
    let differ: Vec<&String> = back.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(differ.len(), 1, "{differ:?}");
    assert!(differ[0].starts_with("files-"), "{differ:?}");
    assert_eq!(back.len(), before.len());
}

#[test]
fn fresh_ignores_the_cache_and_options_are_part_of_its_key() {
    let site = fixture("portal");
    let root = site.path();
    same_as_fresh(root, &[], "first build");
    let post = root.join("content/tourism/2024-03-20-rape.md");
    let text = fs::read_to_string(&post).unwrap();
    fs::write(&post, format!("{text}\n补充。\n")).unwrap();
    fs::write(root.join(zhen::cache::FILE), b"damaged").unwrap();
    let stderr = same_as_fresh(root, &["--fresh"], "--fresh");
    assert!(
        !stderr.contains("提示: 缓存"),
        "--fresh does not read it:\n{stderr}"
    );
    assert!(!stderr.contains("缓存："), "nor use one:\n{stderr}");
    assert_eq!(
        fs::read(root.join(zhen::cache::FILE)).unwrap(),
        b"damaged",
        "nor write it"
    );
    let stderr = same_as_fresh(root, &[], "after --fresh");
    assert!(stderr.contains("已损坏"), "{stderr}");
    // Drafts, scheduled posts and another base_url build other sites.
    fs::write(&post, common::set_key(&text, "draft", Some("true"))).unwrap();
    same_as_fresh(root, &[], "a draft");
    same_as_fresh(root, &["--drafts"], "--drafts");
    same_as_fresh(root, &[], "without --drafts again");
    same_as_fresh(root, &["--base-url", "https://other.example"], "--base-url");
    same_as_fresh(root, &[], "without --base-url again");
}
