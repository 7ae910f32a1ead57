//! The output folder: nothing outside it is written or deleted, folders zhen did not make are
//! never cleared, and publishing is all-or-nothing — also when a build fails, is killed, runs
//! twice at once or writes to a mount point.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Every file below `dir` with its bytes (the lock and staging folders beside it are not in).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir)
}

/// The files in which two snapshots differ, for messages.
fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// Names in `dir` that zhen's staging, old and patch folders would have.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains(".zhen-staging") || n.contains(".zhen-old") || n.contains(".zhen-patch")
        })
        .collect()
}

fn write_post(site: &Path, name: &str, front: &str) {
    fs::write(
        site.join("content/theory").join(name),
        format!("+++\ntitle = \"测试\"\ndate = 2024-05-01\n{front}\n+++\n正文。\n"),
    )
    .unwrap();
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn aliases_that_leave_the_output_are_located_errors_and_write_nothing() {
    for alias in [
        "../../victim.txt",
        "/../../victim.txt",
        "a/../../../victim.txt",
        "..\\\\..\\\\victim.txt",
        "https://evil.example/x.html",
        "/old/page.php?id=3",
    ] {
        let site = fixture("basic");
        let victim = site.path().join("victim.txt");
        fs::write(&victim, "mine").unwrap();
        write_post(
            site.path(),
            "2024-05-01-alias.md",
            &format!("aliases = [\"{alias}\"]"),
        );
        for extra in [&[][..], &["--no-check"][..]] {
            let out = zhen(
                site.path(),
                &[&["build", "--output", "out/public"], extra].concat(),
            );
            let stderr = stderr_of(&out);
            assert_eq!(out.status.code(), Some(1), "{alias}: {stderr}");
            assert!(
                stderr.contains("2024-05-01-alias.md:4:1") && stderr.contains("不能用"),
                "{alias}: {stderr}"
            );
            assert_eq!(fs::read_to_string(&victim).unwrap(), "mine", "{alias}");
            assert!(!site.path().join("out").exists(), "{alias}");
        }
    }
}

#[test]
fn a_permalink_that_leaves_the_output_is_refused_even_without_checks() {
    let site = fixture("basic");
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        format!("permalink = \"/../../esc/{{slug}}/\"\n{text}"),
    )
    .unwrap();
    let out = zhen(site.path(), &["build", "--no-check"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("site.toml:1"), "{stderr}");
    let parent = site.path().parent().unwrap();
    assert!(!parent.join("esc").exists() && !site.path().join("esc").exists());
}

#[test]
fn folders_zhen_did_not_make_are_never_cleared() {
    let site = fixture("basic");
    let docs = site.path().join("my-documents");
    for (file, text) in [
        ("工作总结.docx", "总结"),
        ("photos/a.jpg", "jpg"),
        ("notes/todo.txt", "todo"),
    ] {
        fs::create_dir_all(docs.join(file).parent().unwrap()).unwrap();
        fs::write(docs.join(file), text).unwrap();
    }
    let fake_root = site.path().join("fake-root");
    fs::create_dir_all(fake_root.join("etc")).unwrap();
    fs::create_dir_all(fake_root.join("home/u")).unwrap();
    fs::write(fake_root.join("etc/passwd"), "root:x:0:0").unwrap();
    fs::write(fake_root.join("home/u/.bashrc"), "alias ll='ls -l'").unwrap();
    let before = (snapshot(site.path()), site.path());
    for output in [
        "my-documents",
        "fake-root",
        "content",
        "content/theory/out",
        ".",
        "..",
        "site.toml",
    ] {
        let out = zhen(site.path(), &["build", "--output", output]);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{output}: {stderr}");
        assert!(
            stderr.contains("不能用") && stderr.contains("作输出目录"),
            "{output}: {stderr}"
        );
        assert_eq!(snapshot(before.1), before.0, "{output} changed files");
    }
    // An empty folder is fine, and carries zhen's marker afterwards.
    let empty = site.path().join("empty");
    fs::create_dir(&empty).unwrap();
    build_ok(site.path(), &["--output", "empty"]);
    assert!(empty.join(".zhen-output").is_file());
    assert!(empty.join("index.html").is_file());
}

#[test]
fn leftovers_of_a_killed_build_are_removed_but_nothing_else() {
    let site = fixture("basic");
    build_ok(site.path(), &[]);
    let ours = site.path().join(".public.zhen-staging-4242");
    fs::create_dir_all(ours.join("theory")).unwrap();
    fs::write(ours.join(".zhen-output"), "").unwrap();
    fs::write(ours.join("theory/index.html"), "half").unwrap();
    let old = site.path().join(".public.zhen-old-4243");
    fs::create_dir_all(&old).unwrap();
    fs::write(old.join(".zhen-output"), "").unwrap();
    // Named like ours but without the marker: somebody's folder, left alone.
    let theirs = site.path().join(".public.zhen-staging-notes");
    fs::create_dir_all(&theirs).unwrap();
    fs::write(theirs.join("note.txt"), "keep").unwrap();
    build_ok(site.path(), &[]);
    assert!(!ours.exists() && !old.exists());
    assert_eq!(fs::read_to_string(theirs.join("note.txt")).unwrap(), "keep");
}

/// Which folder `dir` is (its inode): the same after a patch, another after a swap.
#[cfg(unix)]
fn folder_id(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(dir).unwrap().ino()
}

/// Starts `zhen build` in `dir` and kills it after `after` (or lets it end, if sooner).
fn build_killed_after(dir: &Path, after: Duration) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("zhen"))
        .current_dir(dir)
        .arg("build")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
}

/// The basic fixture with a site title that shows on every page.
fn retitle(site: &Path, title: &str) {
    let toml = site.join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let start = text.find("title = ").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    fs::write(
        &toml,
        format!("{}title = \"{title}\"{}", &text[..start], &text[end..]),
    )
    .unwrap();
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one_never_a_mix() {
    let site = fixture("sample");
    let dir = site.path();
    let original = fs::read_to_string(dir.join("site.toml")).unwrap();
    let restore = || fs::write(dir.join("site.toml"), &original).unwrap();
    build_ok(dir, &[]);
    let old = snapshot(&dir.join("public"));
    let folder = folder_id(&dir.join("public"));
    retitle(dir, "改过标题的青溪镇");
    let started = Instant::now();
    build_ok(dir, &[]);
    let took = started.elapsed();
    assert_ne!(
        folder_id(&dir.join("public")),
        folder,
        "a site-wide change swaps the folder"
    );
    let new = snapshot(&dir.join("public"));
    assert_ne!(old, new);
    restore();
    build_ok(dir, &[]);
    let again = snapshot(&dir.join("public"));
    assert!(again == old, "{:?}", differing(&again, &old));
    retitle(dir, "改过标题的青溪镇");
    let (mut saw_old, mut saw_new) = (0, 0);
    for round in 0..10u32 {
        build_killed_after(dir, took * round / 8);
        let now = snapshot(&dir.join("public"));
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
            // Back to the old site for the next round.
            restore();
            build_ok(dir, &[]);
            retitle(dir, "改过标题的青溪镇");
        } else {
            panic!("round {round}: the output is neither the old nor the new site");
        }
    }
    eprintln!("killed builds: {saw_old} left the old site, {saw_new} the new one");
    build_ok(dir, &[]);
    let last = snapshot(&dir.join("public"));
    assert!(last == new, "{:?}", differing(&last, &new));
    assert!(leftovers(dir).is_empty(), "{:?}", leftovers(dir));
}

/// A post of the sample portal, and its text with a paragraph added.
fn edited_post(dir: &Path) -> (std::path::PathBuf, String, String) {
    let post = fs::read_dir(dir.join("content/theory"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .min()
        .unwrap();
    let text = fs::read_to_string(&post).unwrap();
    let edited = format!("{text}\n\n补充的一段话。\n");
    (post, text, edited)
}

#[test]
fn a_killed_edit_is_undone_by_the_next_build_and_an_edit_touches_only_its_files() {
    let site = fixture("sample");
    let dir = site.path();
    let public = dir.join("public");
    let (post, text, edited) = edited_post(dir);
    build_ok(dir, &[]);
    let old = snapshot(&public);
    let modified = |name: &str| fs::metadata(public.join(name)).unwrap().modified().unwrap();
    let home = modified("index.html");
    let folder = folder_id(&public);
    fs::write(&post, &edited).unwrap();
    let started = Instant::now();
    build_ok(dir, &[]);
    let took = started.elapsed();
    assert_eq!(folder_id(&public), folder, "patched in place, not swapped");
    let new = snapshot(&public);
    let changed = differing(&old, &new);
    assert!(
        !changed.is_empty() && changed.len() * 4 < new.len(),
        "an edit publishes a patch: {changed:?}"
    );
    assert_eq!(
        modified("index.html"),
        home,
        "unchanged files are not touched"
    );
    let (mut kept, mut mixed) = (0, 0);
    for round in 0..8u32 {
        fs::write(&post, &text).unwrap();
        build_ok(dir, &[]);
        assert!(
            snapshot(&public) == old,
            "round {round}: back to the old site"
        );
        fs::write(&post, &edited).unwrap();
        build_killed_after(dir, took * round / 6);
        let now = snapshot(&public);
        if now == old || now == new {
            kept += 1;
        } else {
            // Killed while renaming the patch in: the patch folder says how to undo it.
            assert!(
                leftovers(dir).iter().any(|n| n.contains(".zhen-patch")),
                "round {round}: a mix without the patch that made it: {:?}",
                differing(&now, &new)
            );
            mixed += 1;
        }
        build_ok(dir, &[]);
        let last = snapshot(&public);
        assert!(last == new, "round {round}: {:?}", differing(&last, &new));
        assert!(leftovers(dir).is_empty(), "{:?}", leftovers(dir));
    }
    eprintln!("killed edits: {kept} left the old or new site, {mixed} a patch half-way");
}

#[test]
fn two_builds_at_once_never_mix() {
    let site = fixture("sample");
    let dir = site.path();
    build_ok(dir, &[]);
    let reference = snapshot(&dir.join("public"));
    for round in 0..5 {
        let spawn = || {
            Command::new(assert_cmd::cargo::cargo_bin("zhen"))
                .current_dir(dir)
                .arg("build")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let results = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        for r in &results {
            let stderr = stderr_of(r);
            assert!(
                r.status.success() || stderr.contains("另一个 zhen build 正在写入"),
                "round {round}: {stderr}"
            );
        }
        assert!(results.iter().any(|r| r.status.success()), "round {round}");
        let now = snapshot(&dir.join("public"));
        assert!(
            now == reference,
            "round {round}: {:?}",
            differing(&now, &reference)
        );
        assert!(leftovers(dir).is_empty(), "{:?}", leftovers(dir));
    }
}

#[test]
fn unchanged_files_keep_their_time_and_stale_files_go() {
    let site = fixture("basic");
    let dir = site.path();
    build_ok(dir, &[]);
    let kept = dir.join("public/css/style.css");
    let gone = dir.join("public/theory/2024/02/second/index.html");
    let before = fs::metadata(&kept).unwrap().modified().unwrap();
    fs::remove_file(dir.join("content/theory/2024-02-03-second.md")).unwrap();
    std::thread::sleep(Duration::from_millis(30));
    build_ok(dir, &[]);
    assert_eq!(fs::metadata(&kept).unwrap().modified().unwrap(), before);
    assert!(!gone.exists());
}

#[test]
fn a_very_long_slug_is_cut_between_words_with_a_hash() {
    let site = fixture("basic");
    let slug = "qing-xi-zhen-".repeat(25);
    write_post(
        site.path(),
        "2024-05-01-long.md",
        &format!("slug = \"{slug}\""),
    );
    build_ok(site.path(), &[]);
    let folder = site.path().join("public/theory/2024/05");
    let name = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("qing-xi-zhen"))
        .unwrap();
    assert!(name.len() <= 90 && name.len() > 70, "{name}");
}

/// Root only: mounts a tmpfs on the output folder, as a Docker volume would be.
#[test]
fn a_mount_point_output_is_replaced_in_place() {
    let site = fixture("basic");
    let dir = site.path();
    let public = dir.join("public");
    fs::create_dir(&public).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(&public)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("SKIPPED: a_mount_point_output_is_replaced_in_place needs root to mount a tmpfs");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _guard = Unmount(&public);
    build_ok(dir, &[]);
    let first = snapshot(&public);
    let kept = public.join("css/style.css");
    let before = fs::metadata(&kept).unwrap().modified().unwrap();
    fs::remove_file(dir.join("content/theory/2024-02-03-second.md")).unwrap();
    std::thread::sleep(Duration::from_millis(30));
    build_ok(dir, &[]);
    let second = snapshot(&public);
    assert!(first.contains_key("theory/2024/02/second/index.html"));
    assert!(!second.contains_key("theory/2024/02/second/index.html"));
    assert!(second.contains_key(".zhen-output"));
    assert_eq!(fs::metadata(&kept).unwrap().modified().unwrap(), before);
    let names: Vec<String> = fs::read_dir(&public)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".zhen-") && n != ".zhen-output" && n != ".zhen-lock")
        .collect();
    assert!(names.is_empty(), "{names:?}");
}
