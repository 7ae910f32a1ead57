//! `zhen serve` as a user runs it: the real binary on a free port against a temp copy of a
//! fixture, edited while it runs.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{fixture, zhen};

/// A running `zhen serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    builds: u64,
    /// What it printed so far.
    log: Arc<Mutex<Vec<String>>>,
}

/// An answer: status code, head (lowercase header names), body.
struct Answer {
    code: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (key, value) = l.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// Started with `args` added.
    fn start_with(root: &Path, args: &[&str]) -> Server {
        let port = free_port();
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("zhen"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[serve] {line}");
                lines.lock().unwrap().push(line.clone());
                if line.contains("预览地址") {
                    let _ = tx.send(line);
                }
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server started");
        let addr = line
            .split("http://")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let mut server = Server {
            child,
            addr,
            builds: 0,
            log,
        };
        server.builds = server.status()["builds"].parse().unwrap();
        server
    }

    /// `method path` naming `host` (None: no Host header).
    fn request(&self, method: &str, path: &str, host: Option<&str>) -> Answer {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: 0\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let code = head.split(' ').nth(1).unwrap().parse().unwrap();
        Answer {
            code,
            head,
            body: raw[split + 4..].to_vec(),
        }
    }

    /// (status code, content type, body).
    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        let answer = self.request("GET", path, Some(&self.addr));
        let content_type = answer
            .header("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        (answer.code, content_type, answer.body)
    }

    /// Everything it printed so far.
    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    fn text(&self, path: &str) -> String {
        let (code, _, body) = self.get(path);
        assert_eq!(code, 200, "{path}");
        String::from_utf8(body).unwrap()
    }

    /// `/__zhen/status` as flat key -> value text.
    fn status(&self) -> BTreeMap<String, String> {
        let json: serde_json::Value = serde_json::from_str(&self.text("/__zhen/status")).unwrap();
        json.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string().trim_matches('"').to_string()))
            .collect()
    }

    /// Waits for the rebuild after a change and returns its status.
    fn rebuilt(&mut self) -> BTreeMap<String, String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let status = self.status();
            let builds: u64 = status["builds"].parse().unwrap();
            if builds > self.builds {
                // Let what is still arriving settle: return once no rebuild came for a while.
                let mut seen = builds;
                loop {
                    std::thread::sleep(Duration::from_millis(300));
                    let status = self.status();
                    let now: u64 = status["builds"].parse().unwrap();
                    if now == seen {
                        self.builds = now;
                        return status;
                    }
                    seen = now;
                }
            }
            assert!(Instant::now() < deadline, "no rebuild happened");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Waits until the search index, built in the background, matches the served pages.
fn index_caught_up(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.status()["index_pending"] == "true" {
        assert!(
            Instant::now() < deadline,
            "the search index never caught up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The served site must equal a fresh build of the same files, file for file, once the
/// search index has caught up.
fn assert_same_as_fresh_build(server: &Server, root: &Path) {
    index_caught_up(server);
    let out = tempfile::tempdir().unwrap();
    let built = zhen(
        root,
        &[
            "build",
            "--output",
            out.path().to_str().unwrap(),
            "--base-url",
            &format!("http://{}", server.addr),
        ],
    );
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let files: Vec<_> = walkdir::WalkDir::new(out.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != zhen::output::MARKER)
        .collect();
    let status = server.status();
    let served: usize = status["outputs"].parse::<usize>().unwrap()
        + status["index_files"].parse::<usize>().unwrap();
    assert_eq!(served, files.len(), "same number of outputs");
    for entry in files {
        let rel = entry
            .path()
            .strip_prefix(out.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let expected = fs::read(entry.path()).unwrap();
        let (code, _, mut got) = server.get(&format!("/{rel}"));
        assert_eq!(code, 200, "{rel}");
        if rel.ends_with(".html") {
            let tag = b"<script src=\"/__zhen/reload.js\"></script>";
            let at = got
                .windows(tag.len())
                .position(|w| w == tag)
                .expect("reload script injected");
            got.drain(at..at + tag.len());
        }
        assert!(
            got == expected,
            "{rel} differs from a fresh build:\n--- served\n{}\n--- built\n{}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected)
        );
    }
}

#[test]
fn pages_are_served_with_their_types_and_the_reload_script() {
    let site = fixture("basic");
    let server = Server::start(site.path());
    let (code, ty, body) = server.get("/theory/2024/01/study/");
    assert_eq!((code, ty.as_str()), (200, "text/html; charset=utf-8"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("中心组学习") && html.contains("/__zhen/reload.js"));
    assert!(server.get("/css/style.css").1.starts_with("text/css"));
    assert!(server.get("/atom.xml").1.contains("xml"));
    assert_eq!(
        server.get("/tourism/2024/04/peach/cover.svg").1,
        "image/svg+xml"
    );
    assert!(server.text("/__zhen/reload.js").contains("EventSource"));
    // `/about` redirects to `/about/` like static hosts do.
    assert_eq!(server.get("/about").0, 301);
}

#[test]
fn unknown_and_escaping_paths_are_refused() {
    let site = fixture("basic");
    fs::write(site.path().join("secret.txt"), "secret").unwrap();
    // A symlink in static/ pointing out of the site is not published.
    #[cfg(unix)]
    {
        fs::create_dir_all(site.path().join("static")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", site.path().join("static/host.txt")).unwrap();
    }
    let server = Server::start(site.path());
    let (code, _, body) = server.get("/no/such/page/");
    assert_eq!(code, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("页面不存在"),
        "the site's 404 page"
    );
    for bad in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/css/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/site.toml",
        "/content/theory/2024-01-02-study.md",
    ] {
        let (code, _, body) = server.get(bad);
        assert!(code == 403 || code == 404, "{bad}: {code}");
        assert!(
            !String::from_utf8_lossy(&body).contains("secret") || code == 404,
            "{bad}"
        );
        assert!(
            !String::from_utf8_lossy(&body).contains("中心组学习\ndate"),
            "{bad}"
        );
    }
}

#[test]
fn a_post_edit_rerenders_only_what_shows_it() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    let total: usize = server.status()["outputs"].parse().unwrap();
    let file = site
        .path()
        .join("content/tourism/2024-04-02-peach/index.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("赏花。", "赏花，品茶。")).unwrap();
    let status = server.rebuilt();
    assert_eq!(status["files_read"], "1", "{status:?}");
    assert_eq!(status["markdown_rendered"], "1", "{status:?}");
    let rendered: usize = status["outputs_rendered"].parse().unwrap();
    assert!(
        rendered >= 1 && rendered < total / 2,
        "{rendered} of {total} re-rendered: {status:?}"
    );
    assert!(
        server
            .text("/tourism/2024/04/peach/")
            .contains("赏花，品茶。")
    );
    assert!(
        server.text("/atom.xml").contains("赏花，品茶。"),
        "feeds carry full content"
    );
    // The about page shows no post: untouched.
    assert_same_as_fresh_build(&server, site.path());
}

#[test]
fn a_template_edit_rerenders_only_the_outputs_that_use_it() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    write(
        site.path(),
        "templates/tag.html",
        "{% extends \"base.html\" %}{% block content %}<h1>标签页 {{ tag.name }}</h1>{% endblock %}",
    );
    let status = server.rebuilt();
    assert_eq!(status["outputs_rendered"], "2", "two tag pages: {status:?}");
    assert!(server.text("/tags/xue-xi/").contains("标签页 学习"));
    // A template every page extends re-renders every page.
    write(
        site.path(),
        "templates/partials/footer.html",
        "<footer>新页脚</footer>",
    );
    let status = server.rebuilt();
    let rendered: usize = status["outputs_rendered"].parse().unwrap();
    assert!(rendered > 20, "{status:?}");
    assert!(server.text("/").contains("新页脚"));
    assert_same_as_fresh_build(&server, site.path());
}

#[test]
fn creating_deleting_and_renaming_posts_update_lists_and_archives() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    write(
        site.path(),
        "content/theory/2024-05-06-new.md",
        "+++\ntitle = \"新建的文章\"\ndate = 2024-05-06\n+++\n新内容。\n",
    );
    server.rebuilt();
    assert!(server.text("/theory/").contains("新建的文章"));
    assert!(server.text("/archive/").contains("/archive/2024/05/"));
    assert!(server.text("/theory/2024/05/new/").contains("新内容"));

    fs::rename(
        site.path().join("content/theory/2024-05-06-new.md"),
        site.path().join("content/theory/2024-05-06-renamed.md"),
    )
    .unwrap();
    server.rebuilt();
    assert_eq!(server.get("/theory/2024/05/new/").0, 404);
    assert!(server.text("/theory/2024/05/renamed/").contains("新内容"));
    assert_same_as_fresh_build(&server, site.path());

    fs::remove_file(site.path().join("content/theory/2024-05-06-renamed.md")).unwrap();
    server.rebuilt();
    assert!(!server.text("/theory/").contains("新建的文章"));
    assert!(!server.text("/archive/").contains("/archive/2024/05/"));
    assert_eq!(server.get("/archive/2024/05/").0, 404);
    assert_same_as_fresh_build(&server, site.path());
}

#[test]
fn site_toml_and_static_edits() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    // The first build rendered every templated output (static files are copied, not rendered).
    let templated = server.status()["outputs_rendered"].clone();
    let config = fs::read_to_string(site.path().join("site.toml")).unwrap();
    fs::write(
        site.path().join("site.toml"),
        config.replace("测试镇", "改名镇"),
    )
    .unwrap();
    let status = server.rebuilt();
    assert_eq!(
        status["outputs_rendered"], templated,
        "site.toml re-renders everything: {status:?}"
    );
    assert!(status["outputs"].parse::<usize>().unwrap() > templated.parse::<usize>().unwrap());
    assert!(server.text("/tourism/2024/04/peach/").contains("改名镇"));
    write(site.path(), "static/css/extra.css", "body { color: red }");
    let status = server.rebuilt();
    assert_eq!(status["outputs_rendered"], "0", "{status:?}");
    assert_eq!(server.text("/css/extra.css"), "body { color: red }");
    assert_same_as_fresh_build(&server, site.path());
}

#[test]
fn a_changed_picture_updates_the_size_its_post_gives_it() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    let page = "/tourism/2024/04/peach/";
    assert!(server.text(page).contains("width=\"10\" height=\"10\""));
    write(
        site.path(),
        "content/tourism/2024-04-02-peach/cover.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"></svg>",
    );
    server.rebuilt();
    assert!(
        server.text(page).contains("width=\"40\" height=\"30\""),
        "{}",
        server.text(page)
    );
    assert_same_as_fresh_build(&server, site.path());
}

/// Waits until the served page at `path` contains `needle` (without waiting for later
/// rebuilds) and returns it.
fn wait_for(server: &Server, path: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (code, _, body) = server.get(path);
        let text = String::from_utf8_lossy(&body).into_owned();
        if code == 200 && text.contains(needle) {
            return text;
        }
        assert!(Instant::now() < deadline, "{path} never showed {needle:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_new_photo_shows_at_once_and_its_variants_replace_it_without_blocking_edits() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    let page = "/tourism/2024/04/peach/";
    let dir = site.path().join("content/tourism/2024-04-02-peach");
    // A 12-megapixel phone photo put beside the post and shown in it.
    let photo = common::photo::phone_jpeg(4000, 3000, 6, true, 3);
    fs::write(dir.join("IMG_20240402_093012.jpg"), &photo).unwrap();
    let post = fs::read_to_string(dir.join("index.md")).unwrap();
    fs::write(
        dir.join("index.md"),
        post.replace("赏花。", "赏花。\n\n![游客赏花](IMG_20240402_093012.jpg)\n"),
    )
    .unwrap();
    let html = wait_for(&server, page, "游客赏花");
    let variant = html
        .split("srcset=\"")
        .nth(1)
        .and_then(|s| s.split([' ', ',']).next())
        .expect("the photo is a <picture> at once")
        .to_string();
    assert!(variant.ends_with(".webp"), "{variant}");
    // Until its variants are made, the photo is served as the original.
    let (code, _, body) = server.get(&variant);
    assert_eq!(
        (code, body.len()),
        (200, photo.len()),
        "the original at once"
    );
    // Another edit meanwhile is rebuilt and served while the variants are still being made.
    write(
        site.path(),
        "content/theory/2024-02-03-second.md",
        &fs::read_to_string(site.path().join("content/theory/2024-02-03-second.md"))
            .unwrap()
            .replacen("正文二。", "正文二。照片处理时的修改。", 1),
    );
    wait_for(&server, "/theory/2024/02/second/", "照片处理时的修改");
    let (_, _, body) = server.get(&variant);
    assert_eq!(
        body.len(),
        photo.len(),
        "the edit did not wait for the photo"
    );
    // Then the variants replace it, without another save.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, _, body) = server.get(&variant);
        if body.starts_with(b"RIFF") && &body[8..12] == b"WEBP" {
            assert!(body.len() < photo.len() / 4, "a small variant");
            break;
        }
        assert!(Instant::now() < deadline, "the variants never came");
        std::thread::sleep(Duration::from_millis(200));
    }
    server.rebuilt();
    assert!(server.log().contains("照片已处理"), "{}", server.log());
    assert_same_as_fresh_build(&server, site.path());
}

#[test]
fn a_broken_file_keeps_the_last_good_site_and_reports_until_fixed() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    let file = site.path().join("content/theory/2024-02-03-second.md");
    let good = fs::read_to_string(&file).unwrap();
    fs::write(&file, good.replace("title: 第二篇", "title: [第二篇")).unwrap();
    let status = server.rebuilt();
    assert!(
        status["error"].contains("2024-02-03-second.md"),
        "{status:?}"
    );
    assert!(
        server.text("/theory/2024/02/second/").contains("第二篇"),
        "last good site still served"
    );
    fs::write(&file, good.replace("正文二。", "修好了。")).unwrap();
    let status = server.rebuilt();
    assert_eq!(status["error"], "null", "{status:?}");
    assert!(server.text("/theory/2024/02/second/").contains("修好了。"));
    assert_same_as_fresh_build(&server, site.path());
}

#[test]
fn a_scripted_sequence_of_changes_equals_a_fresh_build_and_public_is_untouched() {
    let site = fixture("portal");
    write(site.path(), "public/marker.txt", "mine");
    let mut server = Server::start(site.path());
    let root = site.path();
    write(
        root,
        "content/tourism/2024-09-01-a.md",
        "+++\ntitle = \"九月\"\ndate = 2024-09-01\ncolumn = \"flowers\"\ntags = [\"新标签\"]\n+++\n[链接](@/tourism/2024-03-20-rape.md)\n",
    );
    server.rebuilt();
    // Retitle a linked post, move a post to another column, end a column, edit a column page.
    let rape = root.join("content/tourism/2024-03-20-rape.md");
    fs::write(
        &rape,
        fs::read_to_string(&rape)
            .unwrap()
            .replace("油菜花海迎客", "油菜花海")
            .replace("date = 2024-03-20T09:00:00", "date = 2024-04-20T09:00:00"),
    )
    .unwrap();
    server.rebuilt();
    assert!(
        server
            .text("/tourism/202409/t20240901_a.html")
            .contains("href=\"/tourism/202404/t20240420_rape.html\""),
        "links follow a moved post"
    );
    let farm = root.join("content/tourism/2023-06-01-farm.md");
    fs::write(
        &farm,
        fs::read_to_string(&farm)
            .unwrap()
            .replace("farm-stay", "flowers"),
    )
    .unwrap();
    server.rebuilt();
    let flowers = root.join("content/columns/flowers/_index.md");
    fs::write(
        &flowers,
        fs::read_to_string(&flowers)
            .unwrap()
            .replace("start = 2024-03-01", "start = 2024-03-01\nend = 2024-06-30"),
    )
    .unwrap();
    server.rebuilt();
    fs::remove_file(root.join("content/civility/2023-07-07-city2.md")).unwrap();
    server.rebuilt();
    // An editor's atomic save: write a temporary file, rename it over the post.
    let city = root.join("content/civility/2023-05-05-city.md");
    let tmp = root.join("content/civility/.2023-05-05-city.md.tmp");
    fs::write(
        &tmp,
        fs::read_to_string(&city)
            .unwrap()
            .replace("推进会。", "推进会（原子保存）。"),
    )
    .unwrap();
    fs::rename(&tmp, &city).unwrap();
    server.rebuilt();
    assert!(
        server
            .text("/civility/202305/t20230505_city.html")
            .contains("推进会（原子保存）。")
    );
    assert_same_as_fresh_build(&server, root);
    assert_eq!(
        fs::read_to_string(root.join("public/marker.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        fs::read_dir(root.join("public")).unwrap().count(),
        1,
        "serve never writes public/"
    );
}

#[test]
fn the_search_index_follows_edits_in_the_background() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    let pages = |server: &Server| {
        let meta: serde_json::Value =
            serde_json::from_str(&server.text("/search-index/meta.json")).unwrap();
        meta["pages"].as_u64().unwrap()
    };
    index_caught_up(&server);
    assert_eq!(pages(&server), 6);

    write(
        site.path(),
        "content/theory/2024-05-06-new.md",
        "+++\ntitle = \"新建的文章\"\ndate = 2024-05-06\n+++\n移风易俗。\n",
    );
    server.rebuilt();
    assert!(server.text("/theory/").contains("新建的文章"));
    // Until the new index is in, the previous one answers.
    assert_eq!(server.get("/search-index/meta.json").0, 200);
    index_caught_up(&server);
    assert_eq!(pages(&server), 7);
    assert_eq!(server.status()["index_pages"], "7");

    let config = fs::read_to_string(site.path().join("site.toml")).unwrap();
    write(
        site.path(),
        "site.toml",
        &format!("{config}\n[search]\nenabled = false\n"),
    );
    server.rebuilt();
    assert_eq!(server.get("/search-index/meta.json").0, 404);
    assert_eq!(server.get("/search/").0, 404);
    assert_same_as_fresh_build(&server, site.path());
}

#[test]
fn text_edits_under_an_unchanged_model_equal_a_fresh_build_after_each() {
    // Only Markdown bodies and titles change: the model, and every value and output that does
    // not show the edited text, are kept. Each step must still equal a fresh build.
    let site = fixture("portal");
    let root = site.path();
    let mut server = Server::start(root);
    let edits = [
        // A post in a column, between two others: lists, neighbours, feeds, the column.
        (
            "content/tourism/2024-03-10-长乐桃花节.md",
            "桃花开了。",
            "桃花开了，游客如织。",
        ),
        // Its title: the same lists, its neighbours' links, its head tags; its slug comes
        // from the file name, so its URL stays.
        (
            "content/tourism/2024-03-10-长乐桃花节.md",
            "桃花节开幕",
            "桃花节隆重开幕",
        ),
        // A column's own text: the column page, the list of columns, every page's menu.
        (
            "content/columns/flowers/_index.md",
            "赏花季。",
            "赏花季，欢迎来玩。",
        ),
        (
            "content/columns/_index.md",
            "专题专栏。",
            "专题专栏，常看常新。",
        ),
        // A bundle post with its picture.
        (
            "content/columns/farm-stay/2024-08-18-summer/index.md",
            "+++\n",
            "+++\n\n新增的一段。\n",
        ),
    ];
    for (file, from, to) in edits {
        let path = root.join(file);
        let text = fs::read_to_string(&path).unwrap();
        let edited = match text.rfind(from) {
            Some(at) => format!("{}{to}{}", &text[..at], &text[at + from.len()..]),
            None => panic!("{file} has no {from:?}"),
        };
        fs::write(&path, edited).unwrap();
        let status = server.rebuilt();
        assert_eq!(status["files_read"], "1", "{file}: {status:?}");
        // A title is not Markdown: nothing to render again.
        let markdown = if from.contains("开幕") { "0" } else { "1" };
        assert_eq!(status["markdown_rendered"], markdown, "{file}: {status:?}");
        assert_eq!(status["model_kept"], "true", "{file}: {status:?}");
        assert_same_as_fresh_build(&server, root);
    }
    assert!(
        server
            .text("/columns/flowers/")
            .contains("赏花季，欢迎来玩。")
    );
    let listed = server.text("/tourism/page/2/");
    assert!(listed.contains("长乐村桃花节隆重开幕"), "{listed}");
}

#[test]
fn posts_awaiting_review_are_watermarked_in_the_preview_only() {
    let site = fixture("portal");
    let root = site.path();
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    write(
        root,
        "site.toml",
        &format!("{toml}\n[check]\nrequire_review = true\n"),
    );
    let post = root.join("content/tourism/2024-03-20-rape.md");
    let text = fs::read_to_string(&post).unwrap();
    let with = |names: &str| text.replacen("+++\n", &format!("+++\nreviewed_by = [{names}]\n"), 1);
    fs::write(&post, with("\"甲\", \"乙\"")).unwrap();
    let mut server = Server::start(root);
    let page = "/tourism/202403/t20240320_rape.html";
    let html = server.text(page);
    assert!(html.contains("class=\"zhen-unreviewed\""), "{html}");
    assert!(
        html.contains("只有 2 位审核人（乙、甲）：未完成三审三校"),
        "{html}"
    );
    // A post nobody reviewed says so; lists are not watermarked.
    assert!(
        server
            .text("/tourism/202403/t20240310_changle-tao-hua-jie.html")
            .contains("没有审核人：未完成三审三校")
    );
    assert!(!server.text("/tourism/").contains("zhen-unreviewed"));
    // The third reviewer lifts it at the next save.
    fs::write(&post, with("\"甲\", \"乙\", \"丙\"")).unwrap();
    server.rebuilt();
    assert!(!server.text(page).contains("zhen-unreviewed"));
}

#[test]
fn a_random_sequence_of_edits_equals_a_fresh_build_after_every_step() {
    // Every kind of edit a writer makes, in an order drawn from a fixed seed: text, titles,
    // summaries, dates, tags, pinning, a column's text, new and deleted posts. After each,
    // the served site must equal a fresh build.
    let site = fixture("portal");
    let root = site.path();
    let mut server = Server::start(root);
    let mut posts: Vec<String> = [
        "content/tourism/2023-06-01-farm.md",
        "content/tourism/2024-03-10-长乐桃花节.md",
        "content/tourism/2024-03-20-rape.md",
        "content/civility/2023-05-05-city.md",
        "content/columns/farm-stay/2024-08-18-summer/index.md",
    ]
    .map(String::from)
    .to_vec();
    let mut created: Vec<String> = Vec::new();
    let mut seeded = common::Seeded(0x5eed_2026);
    let mut next = |n: usize| seeded.below(n);
    for step in 1..=24 {
        let kind = next(9);
        let file = posts[next(posts.len())].clone();
        let path = root.join(&file);
        let text = fs::read_to_string(&path).unwrap_or_default();
        let shared = match kind {
            0 => Some("body"),
            1 => Some("title"),
            3 => Some("date"),
            4 => Some("tags"),
            5 => Some("pinned"),
            _ => None,
        };
        let what = if let Some(what) = shared {
            fs::write(&path, common::edited(&text, what, step, &mut next)).unwrap();
            what
        } else {
            match kind {
                2 => {
                    let summary = format!("\"第{step}次写的摘要\"");
                    fs::write(&path, common::set_key(&text, "summary", Some(&summary))).unwrap();
                    "summary"
                }
                6 => {
                    let column = root.join("content/columns/flowers/_index.md");
                    let old = fs::read_to_string(&column).unwrap();
                    fs::write(&column, format!("{old}\n第{step}次补充。\n")).unwrap();
                    "column"
                }
                7 => {
                    let new = format!("content/tourism/2024-05-0{}-new{step}.md", 1 + next(9));
                    write(
                        root,
                        &new,
                        &format!(
                            "+++\ntitle = \"新文章{step}\"\ndate = 2024-05-01T10:00:00\ntags = [\"赏花\"]\n+++\n新文章的正文。\n"
                        ),
                    );
                    posts.push(new.clone());
                    created.push(new);
                    "new"
                }
                _ => match created.pop() {
                    Some(gone) => {
                        fs::remove_file(root.join(&gone)).unwrap();
                        posts.retain(|p| *p != gone);
                        "delete"
                    }
                    None => {
                        fs::write(&path, format!("{text}\n删除前的补充。\n")).unwrap();
                        "body"
                    }
                },
            }
        };
        let status = server.rebuilt();
        assert!(
            status.get("error").is_none_or(|e| e == "null"),
            "step {step} ({what} of {file}): {status:?}"
        );
        // Text keeps the model; pinning, new and deleted posts change it (a date or tags may
        // happen to be drawn unchanged).
        let kept = match what {
            "body" | "title" | "summary" | "column" => Some("true"),
            "pinned" | "new" | "delete" => Some("false"),
            _ => None,
        };
        if let Some(kept) = kept {
            assert_eq!(
                status["model_kept"], kept,
                "step {step} ({what}): {status:?}"
            );
        }
        assert_same_as_fresh_build(&server, root);
    }
}

#[test]
fn requests_naming_another_host_are_refused_on_every_route() {
    let site = fixture("basic");
    let server = Server::start(site.path());
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for path in [
        "/",
        "/theory/",
        "/css/style.css",
        "/__zhen/status",
        "/__zhen/reload.js",
        "/__zhen/events",
        "/no/such/",
    ] {
        for host in [
            "evil.example",
            &format!("evil.example:{port}"),
            "localhost.evil.example",
            "10.1.2.3",
            "0.0.0.0",
        ] {
            let answer = server.request("GET", path, Some(host));
            assert_eq!(answer.code, 403, "{host} {path}");
            assert_eq!(
                answer.header("content-type"),
                Some("text/plain; charset=utf-8")
            );
            assert!(
                answer.text().contains("不在允许的列表里")
                    && answer.text().contains("--allow-host"),
                "{}",
                answer.text()
            );
        }
    }
    // Refused before the method is looked at; without a Host at all, too.
    assert_eq!(server.request("POST", "/", Some("evil.example")).code, 403);
    assert_eq!(server.request("GET", "/", None).code, 403);
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("zhen.localhost:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "[::1]".to_string(),
    ] {
        assert_eq!(server.request("GET", "/", Some(&host)).code, 200, "{host}");
        assert_eq!(
            server.request("GET", "/__zhen/status", Some(&host)).code,
            200,
            "{host}"
        );
    }
    assert!(
        server.log().contains("--allow-host evil.example"),
        "{}",
        server.log()
    );
}

#[test]
fn allow_host_adds_names() {
    let site = fixture("basic");
    let server = Server::start_with(
        site.path(),
        &[
            "--allow-host",
            "Preview.Town.Lan",
            "--allow-host",
            ".gov.example",
        ],
    );
    for host in [
        "preview.town.lan",
        "preview.town.lan:80",
        "gov.example",
        "www.gov.example:8080",
    ] {
        assert_eq!(server.request("GET", "/", Some(host)).code, 200, "{host}");
    }
    for host in ["town.lan", "evil.example", "notgov.example"] {
        assert_eq!(server.request("GET", "/", Some(host)).code, 403, "{host}");
    }
}

#[test]
fn a_network_bind_warns_that_drafts_are_visible_to_everyone() {
    let site = fixture("basic");
    let server = Server::start_with(site.path(), &["--bind", "0.0.0.0"]);
    let log = server.log();
    assert!(
        log.contains("警告") && log.contains("0.0.0.0") && log.contains("草稿"),
        "{log}"
    );
    // Opened on this computer as usual.
    assert_eq!(server.get("/").0, 200);
    assert_eq!(server.request("GET", "/", Some("evil.example")).code, 403);

    let loopback = Server::start(site.path());
    assert!(!loopback.log().contains("警告"), "{}", loopback.log());
}

#[test]
fn redirects_never_leave_the_site() {
    let site = fixture("basic");
    let server = Server::start(site.path());
    for (path, location) in [
        ("//about", "/about/"),
        ("//about?x=1&y=2", "/about/?x=1&y=2"),
        ("///about", "/about/"),
        ("//about/", "/about/"),
        ("/./about", "/about/"),
        ("//theory//2024/01/study", "/theory/2024/01/study/"),
        (
            "//theory/2024/01/study/?from=feed",
            "/theory/2024/01/study/?from=feed",
        ),
        ("//css/style.css", "/css/style.css"),
        ("//", "/"),
        ("/about?x=1", "/about/?x=1"),
    ] {
        let answer = server.request("GET", path, Some(&server.addr));
        assert_eq!(answer.code, 301, "{path}");
        assert_eq!(answer.header("location"), Some(location), "{path}");
    }
}

#[test]
fn only_get_and_head_are_answered() {
    let site = fixture("basic");
    let server = Server::start(site.path());
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "PROPFIND", "MKCOL",
    ] {
        for path in [
            "/",
            "/about/",
            "/css/style.css",
            "/no/such/",
            "/__zhen/status",
            "/__zhen/events",
        ] {
            let answer = server.request(method, path, Some(&server.addr));
            assert_eq!(answer.code, 405, "{method} {path}");
            assert_eq!(answer.header("allow"), Some("GET, HEAD"), "{method} {path}");
            assert!(!answer.text().contains("<html"), "{method} {path}");
        }
    }
    let head = server.request("HEAD", "/about/", Some(&server.addr));
    assert_eq!(head.code, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(
        head.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        server.request("HEAD", "/no/such/", Some(&server.addr)).code,
        404
    );
}

#[test]
fn a_save_that_crashes_a_stage_keeps_the_server_and_the_next_save_rebuilds() {
    // A title followed by text in TOML front matter made the error renderer panic (a byte
    // index inside a character); whatever the stage, the server must outlive it.
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    let file = site.path().join("content/theory/2024-01-02-study.md");
    let good = fs::read_to_string(&file).unwrap();
    let total = server.status()["outputs_rendered"].clone();
    fs::write(
        &file,
        good.replace("title = \"中心组学习\"", "title = \"中心组学习\"镇"),
    )
    .unwrap();
    let status = server.rebuilt();
    let error = &status["error"];
    assert_ne!(error, "null", "{status:?}");
    let crashed = error.contains("内部错误");
    if crashed {
        assert!(
            error.starts_with("zhen 内部错误：") && error.ends_with("请把这段信息报告给开发者"),
            "{error}"
        );
    } else {
        assert!(error.contains("2024-01-02-study.md"), "{error}");
    }
    assert!(
        server.log().contains("继续显示上一次的网站"),
        "{}",
        server.log()
    );
    assert!(
        server.text("/theory/2024/01/study/").contains("中心组学习"),
        "last good site served"
    );

    fs::write(&file, good.replace("中心组学习", "中心组再学习")).unwrap();
    let status = server.rebuilt();
    assert_eq!(status["error"], "null", "{status:?}");
    assert!(
        server
            .text("/theory/2024/01/study/")
            .contains("中心组再学习")
    );
    if crashed {
        // The caches were thrown away: everything was rendered afresh.
        assert_eq!(status["outputs_rendered"], total, "{status:?}");
    }
    assert_same_as_fresh_build(&server, site.path());
}

/// Reads an event stream until the server ends it; tells when it ended.
fn listen(addr: &str) -> std::sync::mpsc::Receiver<()> {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /__zhen/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
        let _ = tx.send(());
    });
    rx
}

#[test]
fn ctrl_c_stops_the_server_with_open_event_streams() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    let streams: Vec<_> = (0..3).map(|_| listen(&server.addr)).collect();
    std::thread::sleep(Duration::from_millis(200));
    let sent = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(3),
            "still running 3 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    for ended in streams {
        ended
            .recv_timeout(Duration::from_secs(1))
            .expect("the event stream ended");
    }
    assert!(server.log().contains("已停止预览"), "{}", server.log());
}

#[test]
fn a_site_broken_at_start_shows_its_errors_as_a_page_until_fixed() {
    let site = fixture("basic");
    let file = site.path().join("content/theory/2024-02-03-second.md");
    let good = fs::read_to_string(&file).unwrap();
    fs::write(&file, good.replace("title: 第二篇", "title: [第二篇")).unwrap();
    let mut server = Server::start(site.path());
    let log = server.log();
    assert!(
        log.contains("还没有可以显示的网站") && !log.contains("继续显示上一次的网站"),
        "{log}"
    );
    for path in [
        "/",
        "/theory/2024/02/second/",
        "/css/style.css",
        "/no/such/",
    ] {
        let (code, ty, body) = server.get(path);
        assert_eq!(
            (code, ty.as_str()),
            (503, "text/html; charset=utf-8"),
            "{path}"
        );
        let html = String::from_utf8(body).unwrap();
        assert!(
            html.contains("网站生成失败")
                && html.contains("2024-02-03-second.md:2:8")
                && html.contains("<script src=\"/__zhen/reload.js\"></script>"),
            "{html}"
        );
    }
    fs::write(&file, good.replace("正文二。", "修好了。")).unwrap();
    let status = server.rebuilt();
    assert_eq!(status["error"], "null", "{status:?}");
    assert!(server.text("/theory/2024/02/second/").contains("修好了。"));
    // Broken again: now there is a site to keep showing.
    fs::write(&file, good.replace("title: 第二篇", "title: [第二篇")).unwrap();
    server.rebuilt();
    assert!(server.text("/theory/2024/02/second/").contains("修好了。"));
    assert!(
        server.log().contains("继续显示上一次的网站"),
        "{}",
        server.log()
    );
}

#[test]
fn without_site_toml_serve_says_where_to_run_it() {
    let empty = tempfile::tempdir().unwrap();
    let serve = |args: &[&str]| {
        let port = free_port().to_string();
        let out = assert_cmd::Command::cargo_bin("zhen")
            .unwrap()
            .current_dir(empty.path())
            .args(["serve", "--port", &port])
            .args(args)
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("没有 site.toml")
                && stderr.contains("是不是在错误的目录里运行")
                && stderr.contains("--root"),
            "{stderr}"
        );
        assert!(!stderr.contains("预览地址"), "{stderr}");
        stderr
    };
    serve(&[]);
    // The same for --root naming a folder that is not a site.
    assert!(serve(&["--root", "no-such-site"]).contains("no-such-site"));
}

#[test]
fn what_build_would_refuse_shows_in_the_preview_and_goes_when_fixed() {
    let site = fixture("basic");
    let mut server = Server::start(site.path());
    let file = site.path().join("content/theory/2024-02-03-second.md");
    let good = fs::read_to_string(&file).unwrap();
    // An unmasked mobile number and a picture named with the wrong case: build refuses both.
    fs::write(
        &file,
        good.replace(
            "正文二。",
            "报名电话13957112345。\n\n![现场](../tourism/2024-04-02-peach/Cover.SVG)",
        ),
    )
    .unwrap();
    let status = server.rebuilt();
    let error = &status["error"];
    assert!(error.contains("zhen build 会因为下面"), "{status:?}");
    assert!(error.contains("[C4]") && error.contains("[C1]"), "{error}");
    assert!(error.contains("2024-02-03-second.md"), "{error}");
    assert!(!error.contains("13957112345"), "masked: {error}");
    assert!(
        server.text("/theory/2024/02/second/").contains("报名电话"),
        "the new pages are served"
    );
    let refused = zhen(site.path(), &["build"]);
    assert!(!refused.status.success(), "build refuses what serve showed");
    fs::write(&file, good.replace("正文二。", "修好了。")).unwrap();
    let status = server.rebuilt();
    assert_eq!(status["error"], "null", "{status:?}");
}
