//! Helpers for integration tests: copy a fixture site into a temp folder, run the real `zhen`
//! binary on it, read what it wrote.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub mod photo;

/// The repository root (the sample portal).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh copy of `tests/fixtures/<name>` (or of the sample portal for "sample").
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if name == "sample" {
        for part in [
            "site.toml",
            "wording.toml",
            "content",
            "static",
            "templates",
        ] {
            let src = repo().join(part);
            if src.exists() {
                copy(&src, &dir.path().join(part));
            }
        }
        copy(
            &sample_image_cache(),
            &dir.path().join(".zhen-cache/images"),
        );
    } else {
        copy(&repo().join("tests/fixtures").join(name), dir.path());
    }
    dir
}

/// The variants of the sample portal's photos, made once per test run (a 12-megapixel photo
/// takes seconds to encode) and copied into every fresh copy of the sample, as a user's cache
/// would be there. Named by the photos' sizes, so that changed photos are made again.
fn sample_image_cache() -> PathBuf {
    static CACHE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CACHE
        .get_or_init(|| {
            let photos: u64 = walkdir::WalkDir::new(repo().join("content"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().to_ascii_lowercase();
                    [".jpg", ".jpeg", ".png", ".webp"]
                        .iter()
                        .any(|x| name.ends_with(x))
                })
                .map(|e| e.metadata().map_or(0, |m| m.len()))
                .sum();
            let cache =
                Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sample-image-cache-{photos}"));
            if !cache.is_dir() {
                // Beside the cache, so that the rename below stays on one file system.
                let site = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
                for part in ["site.toml", "content"] {
                    copy(&repo().join(part), &site.path().join(part));
                }
                let out = zhen(site.path(), &["build", "--no-check"]);
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                // Another test binary may have made it meanwhile: either copy is whole.
                let _ = fs::rename(site.path().join(".zhen-cache/images"), &cache);
            }
            cache
        })
        .clone()
}

/// Copies a file or a folder tree.
pub fn copy(src: &Path, dest: &Path) {
    if src.is_file() {
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::copy(src, dest).unwrap();
        return;
    }
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let target = dest.join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Whether the browser test driven from `tests/<folder>` can run: Debian's Chromium and the
/// folder's `npm ci`. Missing outside CI, the test is skipped loudly; in CI it fails.
pub fn browser_ready(folder: &str) -> bool {
    let ready = Path::new("/usr/bin/chromium").exists()
        && repo()
            .join("tests")
            .join(folder)
            .join("node_modules/playwright-core")
            .exists();
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and run `npm ci` in tests/{folder}"
        );
        eprintln!("SKIPPED: browser test needs /usr/bin/chromium and `npm ci` in tests/{folder}");
    }
    ready
}

/// Runs `zhen` with `args` in `dir`.
pub fn zhen(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("zhen")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Runs `zhen build` in `dir` (plus `args`) and asserts it succeeded.
pub fn build_ok(dir: &Path, args: &[&str]) -> String {
    let out = zhen(dir, &[&["build"], args].concat());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "build failed:\n{stderr}");
    stderr
}

/// Runs `zhen build` in `dir` and asserts it failed; returns stderr.
pub fn build_err(dir: &Path) -> String {
    let out = zhen(dir, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "build should have failed:\n{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    stderr
}

/// Runs `node tests/<script>` with `args` and asserts it succeeded and reported `oks` checks
/// (lines starting with `ok:`).
pub fn run_browser_script(script: &str, args: &[&std::ffi::OsStr], oks: usize) {
    let out = std::process::Command::new("node")
        .arg(repo().join("tests").join(script))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    assert_eq!(stdout.matches("ok:").count(), oks, "{stdout}");
}

/// The text of `public/<path>` in `dir`.
pub fn read(dir: &Path, path: &str) -> String {
    let file = dir.join("public").join(path);
    fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Every file below `dir/public`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let root = dir.join("public");
    let mut out: Vec<String> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// Parses `xml` (failing the test on malformed XML) and returns the text of every element
/// named `tag`, in order.
pub fn xml_texts(xml: &str, tag: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<String> = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                inside = e.name().as_ref() == tag.as_bytes();
                if inside {
                    out.push(String::new());
                }
            }
            Ok(Event::Text(t)) if inside => {
                out.last_mut()
                    .unwrap()
                    .push_str(&t.xml10_content().unwrap());
            }
            Ok(Event::GeneralRef(r)) if inside => {
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .expect("known entity")
                        .to_string(),
                };
                out.last_mut().unwrap().push_str(&c);
            }
            Ok(Event::End(_)) => inside = false,
            Ok(Event::Eof) => break,
            Err(e) => panic!("malformed XML at {}: {e}\n{xml}", reader.buffer_position()),
            _ => {}
        }
    }
    out
}

/// Every `<meta name=... content=...>` of a page, as (name, content).
pub fn meta_tags(html: &str) -> Vec<(String, String)> {
    html.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("<meta name=\"")
                .or_else(|| l.strip_prefix("<meta property=\""))?;
            let (name, rest) = rest.split_once('"')?;
            let content = rest.split_once("content=\"")?.1.rsplit_once('"')?.0;
            Some((name.to_string(), content.to_string()))
        })
        .collect()
}

/// Every file below `dir` with its bytes, by `/`-separated path relative to `dir`.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), fs::read(e.path()).unwrap())
        })
        .collect()
}

/// `text` with the front matter line `key = …` replaced (or removed when `value` is None), for
/// the seeded edit sequences.
pub fn set_key(text: &str, key: &str, value: Option<&str>) -> String {
    let prefix = format!("{key} = ");
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with(&prefix))
        .map(str::to_string)
        .collect();
    if let Some(v) = value {
        lines.insert(1, format!("{prefix}{v}"));
    }
    lines.join("\n") + "\n"
}

/// A post's `text` after the seeded edit `what` of step `step` — "body" (a paragraph added),
/// "title", "date" or "tags" (drawn with `next`), or a flag turned on or off ("draft",
/// "pinned") — the edits that serve's and incremental build's sequences share.
pub fn edited(
    text: &str,
    what: &str,
    step: usize,
    next: &mut impl FnMut(usize) -> usize,
) -> String {
    match what {
        "body" => format!("{text}\n第{step}段补充的文字。\n"),
        "title" => set_key(text, "title", Some(&format!("\"第{step}次改的标题\""))),
        "date" => {
            let date = format!("2024-0{}-1{}T08:00:00", 1 + next(9), next(10));
            set_key(text, "date", Some(&date))
        }
        "tags" => {
            let tags = format!("[\"赏花\", \"标签{}\"]", next(3));
            set_key(text, "tags", Some(&tags))
        }
        flag => {
            let on = (!text.contains(&format!("{flag} = true"))).then_some("true");
            set_key(text, flag, on)
        }
    }
}

/// Reproducible draws for seeded edit sequences (xorshift64: no dependency).
pub struct Seeded(pub u64);

impl Seeded {
    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}
