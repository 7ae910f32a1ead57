//! The documentation tells the truth: the examples of docs/使用手册.md build into pages with
//! the fields they show, its broken examples fail with the message it quotes, its date
//! spellings parse, its site.toml example parses, builds and names every key zhen reads, every
//! message it quotes is zhen's own text in src/, and the README's quick start runs with the
//! built binary.

mod common;

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;
use jiff::tz::TimeZone;
use zhen::content::date::parse_date;
use zhen::content::frontmatter;

/// A fenced block of a Markdown document: its language, its `key=value` words after the
/// language, its text, and the first quoted message after it.
struct Block {
    lang: String,
    attrs: HashMap<String, String>,
    text: String,
    next_quote: Option<String>,
}

fn manual() -> String {
    fs::read_to_string(repo().join("docs/使用手册.md")).unwrap()
}

/// Whether a line of a document quotes one of zhen's messages: a block quote starting the way
/// zhen starts one.
fn quote_of(line: &str) -> Option<&str> {
    let q = line.strip_prefix("> ")?;
    ["错误: ", "警告: ", "生成失败："]
        .iter()
        .any(|p| q.starts_with(p))
        .then_some(q)
}

fn blocks(doc: &str) -> Vec<Block> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].strip_prefix("```").filter(|s| !s.is_empty()) else {
            i += 1;
            continue;
        };
        let mut words = info.split_whitespace();
        let lang = words.next().unwrap_or("").to_string();
        let attrs = words
            .filter_map(|w| w.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let end = (i + 1..lines.len())
            .find(|&j| lines[j] == "```")
            .expect("a fenced block is closed");
        let text = lines[i + 1..end].join("\n") + "\n";
        let next_quote = lines[end + 1..]
            .iter()
            .find_map(|l| quote_of(l))
            .map(str::to_string);
        out.push(Block {
            lang,
            attrs,
            text,
            next_quote,
        });
        i = end + 1;
    }
    out
}

/// The fixed parts of a quoted message: severity and rule code dropped, cut at each `…`.
fn fragments(message: &str) -> Vec<&str> {
    let mut m = message;
    for p in ["错误: ", "警告: "] {
        m = m.strip_prefix(p).unwrap_or(m);
    }
    if let Some(rest) = m.strip_prefix('[').and_then(|r| r.split_once("] ")) {
        m = rest.1;
    }
    // Front matter mistakes are put after their line number by another format string.
    m = m.strip_prefix("第 … 行：").unwrap_or(m);
    m.split('…')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect()
}

/// Every Rust source file of src/, as the strings in it read once unescaped.
fn source_text() -> String {
    let mut all = String::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            all.push_str(&fs::read_to_string(entry.path()).unwrap());
        }
    }
    all.replace("\\\"", "\"")
        .replace("{{", "{")
        .replace("}}", "}")
}

#[test]
fn every_message_the_manual_quotes_is_zhens_own() {
    let source = source_text();
    let quotes: Vec<String> = manual()
        .lines()
        .filter_map(quote_of)
        .map(str::to_string)
        .collect();
    assert!(quotes.len() >= 50, "only {} quoted messages", quotes.len());
    let mut missing = Vec::new();
    for q in &quotes {
        if q.contains("第 … 行：") && !source.contains("\"第 {} 行：{}\"") {
            missing.push(format!("{q}\n    the line number before it is not in src/"));
        }
        for f in fragments(q) {
            if !source.contains(f) {
                missing.push(format!("{q}\n    “{f}” is not in src/"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_quote_check_would_notice_a_changed_message() {
    let source = source_text();
    assert!(
        fragments("错误: 文章缺少发布日期 date")
            .iter()
            .all(|f| source.contains(f))
    );
    assert!(
        !fragments("错误: 文章缺少发表日期 date")
            .iter()
            .all(|f| source.contains(f))
    );
    assert_eq!(
        fragments("错误: [C9] 还有没改的示例内容“…”"),
        ["还有没改的示例内容“", "”"]
    );
}

/// A site as the quick start leaves it: `zhen init`, samples replaced, welcome post gone.
fn fresh_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = zhen(dir.path(), &["init", "site"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = tempfile::tempdir().unwrap();
    copy(&dir.path().join("site"), site.path());
    replace_samples(site.path());
    site
}

/// Step 2 of the quick start: the sample name and domain replaced, the welcome post deleted.
fn replace_samples(site: &Path) {
    let toml = site.join("site.toml");
    let text = fs::read_to_string(&toml)
        .unwrap()
        .replace("某某镇", "青溪镇")
        .replace("www.example.gov.cn", "www.qingxi.gov.cn");
    fs::write(&toml, text).unwrap();
    for entry in fs::read_dir(site.join("content/theory")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with("-welcome.md") {
            fs::remove_file(path).unwrap();
        }
    }
}

/// Writes an example file into `site`, with a picture for every local picture it names.
fn write_example(site: &Path, file: &str, text: &str) -> PathBuf {
    let path = site.join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    let pictures = regex::Regex::new(r#"(?:\]\(|cover = ")([\w.-]+\.(?:jpg|jpeg|png))"#).unwrap();
    for c in pictures.captures_iter(text) {
        let photo = common::photo::phone_jpeg(640, 480, 1, true, 7);
        fs::write(path.parent().unwrap().join(&c[1]), photo).unwrap();
    }
    path
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn shanghai() -> TimeZone {
    TimeZone::get("Asia/Shanghai").unwrap()
}

#[test]
fn the_manuals_examples_build_into_pages_with_the_fields_they_show() {
    let examples: Vec<Block> = blocks(&manual())
        .into_iter()
        .filter(|b| b.attrs.contains_key("file") && !b.attrs.contains_key("expect"))
        .collect();
    assert!(examples.len() >= 5, "only {} examples", examples.len());
    let mut posts = 0;
    for (i, b) in examples.iter().enumerate() {
        let file = &b.attrs["file"];
        let site = fresh_site();
        // A section the manual showed before (`content/about/_index.md`) holds this page.
        for section in &examples[..i] {
            let index = &section.attrs["file"];
            if let Some(dir) = index.strip_suffix("_index.md")
                && file.starts_with(dir)
            {
                write_example(site.path(), index, &section.text);
            }
        }
        let path = write_example(site.path(), file, &b.text);
        let stderr = build_ok(site.path(), &[]);
        assert!(!stderr.contains("警告"), "{file}: {stderr}");
        let split = frontmatter::split(&b.text).unwrap();
        let (meta, _) = frontmatter::parse(&split, &b.text, &path, &shanghai()).unwrap();
        let url = b.attrs.get("url").expect("each example says its URL");
        let page = read(site.path(), &format!("{}index.html", &url[1..]));
        assert!(
            page.contains(&format!(">{}</h1>", html_escape(&meta.title))),
            "{file}: {url} is not the page titled {}",
            meta.title
        );
        let Some(date) = &meta.date else {
            continue;
        };
        if file.ends_with("_index.md") {
            continue;
        }
        posts += 1;
        let shown = |what: &str| {
            assert!(
                page.contains(what),
                "{file}: the page lacks {what}:\n{page}"
            );
        };
        shown(&format!("{}</time>", date.strftime("%Y-%m-%d %H:%M")));
        for tag in &meta.tags {
            shown(&format!(">{tag}</a>"));
        }
        for (label, value) in [
            ("来源：", &meta.source),
            ("作者：", &meta.author),
            ("责任编辑：", &meta.editor),
        ] {
            if let Some(v) = value {
                shown(&format!("{label}{v}"));
            }
        }
        if let Some(summary) = &meta.summary {
            shown(summary);
        }
        if let Some(cover) = &meta.cover {
            assert!(
                files(site.path())
                    .iter()
                    .any(|f| f.ends_with(&format!("/{cover}"))),
                "{file}: the cover {cover} is not published"
            );
        }
        if page.contains("<img") {
            shown("width=\"640\" height=\"480\"");
        }
        let home = read(site.path(), "index.html");
        assert!(
            home.contains(&html_escape(&meta.title)),
            "{file}: not on the home page"
        );
        if meta.pinned {
            assert!(meta.title.contains("桃花节"), "the manual's pinned example");
        }
    }
    assert!(posts >= 3, "only {posts} post examples");
}

#[test]
fn the_manuals_broken_examples_fail_with_the_message_it_quotes() {
    let broken: Vec<Block> = blocks(&manual())
        .into_iter()
        .filter(|b| b.attrs.get("expect").is_some_and(|e| e == "error"))
        .collect();
    assert!(broken.len() >= 2, "only {} broken examples", broken.len());
    for b in &broken {
        let file = &b.attrs["file"];
        let site = fresh_site();
        write_example(site.path(), file, &b.text);
        let stderr = build_err(site.path());
        let quote = b.next_quote.as_deref().expect("a quoted message follows");
        for f in fragments(quote) {
            assert!(stderr.contains(f), "{file}: “{f}” not in\n{stderr}");
        }
    }
}

#[test]
fn every_date_spelling_the_manual_shows_is_read_as_that_day() {
    let block = blocks(&manual())
        .into_iter()
        .find(|b| b.attrs.get("example").is_some_and(|e| e == "dates"))
        .expect("the manual lists date spellings");
    let lines: Vec<&str> = block
        .text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(lines.len() >= 8);
    for line in lines {
        let text = format!("+++\ntitle = \"日期\"\n{line}\n+++\n正文\n");
        let split = frontmatter::split(&text).unwrap();
        let (meta, warnings) = frontmatter::parse(&split, &text, Path::new("x.md"), &shanghai())
            .unwrap_or_else(|e| panic!("{line}: {e:?}"));
        assert!(warnings.is_empty(), "{line}: {warnings:?}");
        let date = meta.date.unwrap_or_else(|| panic!("{line}: no date"));
        assert_eq!(
            date.strftime("%Y-%m-%d").to_string(),
            "2024-06-20",
            "{line}"
        );
        assert_eq!(date.time_zone(), &shanghai(), "{line}");
        let hour = if line.contains(':') { 9 } else { 0 };
        assert_eq!(date.hour(), hour, "{line}");
    }
    // The spellings that need quotes fail without them, as the manual says.
    assert!(parse_date("2024年6月20日", &shanghai()).is_ok());
    let text = "+++\ntitle = \"日期\"\ndate = 2024年6月20日\n+++\n";
    let split = frontmatter::split(text).unwrap();
    assert!(frontmatter::parse(&split, text, Path::new("x.md"), &shanghai()).is_err());
}

fn site_toml_example() -> String {
    blocks(&manual())
        .into_iter()
        .find(|b| b.attrs.get("example").is_some_and(|e| e == "site"))
        .expect("the manual has a whole site.toml")
        .text
}

#[test]
fn the_site_toml_example_parses_and_builds() {
    let text = site_toml_example();
    let config =
        zhen::config::Config::parse(&text, Path::new("site.toml"), Path::new(".")).unwrap();
    assert_eq!(config.title, "青溪镇新闻网");
    assert_eq!(config.categories[0].name, "乡村旅游");
    assert_eq!(config.slug_overrides["青溪"], "qingxi");
    assert!(config.check.external.skip[0].contains("beian.miit.gov.cn"));

    let site = tempfile::tempdir().unwrap();
    fs::write(site.path().join("site.toml"), &text).unwrap();
    if !config.identity.logo.is_empty() {
        let logo = site.path().join(&config.identity.logo);
        fs::create_dir_all(logo.parent().unwrap()).unwrap();
        fs::write(logo, common::photo::transparent_png(256, 256)).unwrap();
    }
    write_example(
        site.path(),
        "content/tourism/2024-04-02-青溪桃花节.md",
        "+++\ntitle = \"青溪桃花节开幕\"\ndate = 2024-04-02\n+++\n\n桃花节开幕了。\n",
    );
    build_ok(site.path(), &[]);
    let page = read(site.path(), "tourism/2024/04/qingxi-tao-hua-jie/index.html");
    assert!(page.contains("来源：青溪镇宣传办"), "{page}");
    assert!(page.contains("浙ICP备12345678号-1"), "{page}");
}

/// The fields of `struct name` in a Rust source text.
fn struct_fields(source: &str, name: &str) -> Vec<String> {
    let start = source
        .find(&format!("struct {name} {{"))
        .unwrap_or_else(|| panic!("struct {name}"));
    let body = &source[start..];
    let body = &body[..body.find("\n}").unwrap()];
    let field = regex::Regex::new(r"(?m)^\s+(?:pub )?(\w+): ").unwrap();
    field
        .captures_iter(body)
        .map(|c| c[1].to_string())
        .collect()
}

#[test]
fn the_site_toml_reference_names_every_key_zhen_reads() {
    let example = site_toml_example();
    let config = fs::read_to_string(repo().join("src/config.rs")).unwrap();
    let settings = fs::read_to_string(repo().join("src/check/settings.rs")).unwrap();
    let mut keys = Vec::new();
    for name in [
        "RawConfig",
        "Category",
        "Identity",
        "MarkdownConfig",
        "SearchConfig",
    ] {
        keys.extend(struct_fields(&config, name));
    }
    for name in ["Settings", "ExternalSettings"] {
        keys.extend(struct_fields(&settings, name));
    }
    assert!(keys.len() > 40, "{keys:?}");
    for key in &keys {
        let written = regex::Regex::new(&format!(
            r"(?m)^{key} = |^\[\[{key}\]\]|^\[{key}[\].]|^\[check\.{key}\]"
        ))
        .unwrap();
        assert!(
            written.is_match(&example),
            "site.toml key `{key}` is missing from the manual's site.toml reference"
        );
    }
}

/// The shell lines of the README's quick start.
fn quick_start() -> Vec<String> {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let section = &readme[readme.find("## Quick start").expect("a quick start")..];
    let block = blocks(section)
        .into_iter()
        .find(|b| b.lang == "sh")
        .expect("a sh block");
    block
        .text
        .lines()
        .map(|l| l.split(" #").next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Splits a shell line into words, honouring double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn zhen_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_zhen"))
}

/// Runs `zhen serve` in `dir` until it serves, fetches `/` and stops it.
fn serve_home(dir: &Path, args: &[String]) -> String {
    let mut child = Command::new(zhen_bin())
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("zhen serve stopped before serving")
            .unwrap();
        if let Some(rest) = line.strip_prefix("预览地址：http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let mut stream = TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    answer
}

#[test]
fn the_readme_quick_start_runs() {
    let lines = quick_start();
    assert!(lines.len() >= 5, "{lines:?}");
    let home = tempfile::tempdir().unwrap();
    let mut dir = home.path().to_path_buf();
    let mut title = None;
    let mut url = None;
    let mut ran = Vec::new();
    for line in &lines {
        let args = words(line);
        match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["cd", folder] => dir = dir.join(folder),
            ["zhen", "init", folder] => {
                let out = zhen(&dir, &["init", folder]);
                assert!(out.status.success(), "{line}");
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(stderr.contains("下一步"), "{stderr}");
                // Step 2, which the README gives in words.
                replace_samples(&dir.join(folder));
            }
            ["zhen", "new", category, t] => {
                let out = zhen(&dir, &["new", category, t]);
                let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                assert!(out.status.success(), "{line}: {stderr}");
                let file = dir.join(String::from_utf8_lossy(&out.stdout).trim());
                let text = fs::read_to_string(&file).unwrap();
                assert!(text.contains("在这里写正文。"), "{text}");
                // Step 3: the text in place of the sample body.
                fs::write(
                    &file,
                    text.replace("在这里写正文。", "上午，中心组召开学习会。"),
                )
                .unwrap();
                let shown = stderr.split("发布后的网址：").nth(1).expect("the URL");
                url = Some(shown.trim().to_string());
                title = Some(t.to_string());
            }
            ["zhen", "serve", ..] => {
                let answer = serve_home(&dir, &args[1..]);
                assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
                assert!(answer.contains(title.as_deref().unwrap()), "{answer}");
            }
            ["zhen", "build"] => {
                let stderr = build_ok(&dir, &[]);
                assert!(stderr.contains("生成完成"), "{stderr}");
            }
            _ => panic!("the quick start has a line this test does not know: {line}"),
        }
        ran.push(args[..2].join(" "));
    }
    assert_eq!(
        ran,
        [
            "zhen init",
            "cd qingxi",
            "zhen new",
            "zhen serve",
            "zhen build"
        ]
    );
    // The post is published at the URL `zhen new` announced.
    let url = url.unwrap();
    let path = url.strip_prefix("https://www.qingxi.gov.cn").expect(&url);
    let page = read(&dir, &format!("{}index.html", path.trim_start_matches('/')));
    assert!(page.contains(title.as_deref().unwrap()), "{page}");
    assert!(read(&dir, "index.html").contains(title.as_deref().unwrap()));
}
