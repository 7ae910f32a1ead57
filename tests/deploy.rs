//! `zhen deploy` against real servers started here on 127.0.0.1: s3s-fs (an S3 server on a
//! folder, from crates.io) and OpenSSH's sshd for SFTP. Both store plain files, so the tests
//! read what arrived straight from the server's folder, and headers through an S3 client.
//! Outside CI a missing server skips these tests loudly; in CI (`scripts/test` installs both)
//! it fails them.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use common::*;

const AK: &str = "zhen-test-access";
const SK: &str = "zhen-test-secret-key";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, child: &mut Child) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("server exited: {status}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A program on PATH or in ~/.cargo/bin; None (after a loud skip) outside CI, a failure in CI.
fn server_program(name: &str, extra: &[&str]) -> Option<PathBuf> {
    let mut places: Vec<PathBuf> =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect();
    if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
        places.push(PathBuf::from(cargo_home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        places.push(PathBuf::from(home).join(".cargo/bin"));
    }
    places.extend(extra.iter().map(PathBuf::from));
    let found = places.iter().map(|d| d.join(name)).find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install {name} (scripts/test does)"
        );
        eprintln!("SKIPPED: deploy test needs {name} (scripts/test installs it)");
    }
    found
}

/// An s3s-fs server on a temp folder with one bucket, stopped on drop.
struct S3 {
    child: Child,
    port: u16,
    data: tempfile::TempDir,
}

impl S3 {
    fn start() -> Option<S3> {
        let program = server_program("s3s-fs", &[])?;
        let data = tempfile::tempdir().unwrap();
        fs::create_dir_all(data.path().join("www")).unwrap();
        let port = free_port();
        let mut child = Command::new(program)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", AK, "--secret-key", SK])
            .arg(data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for_port(port, &mut child);
        Some(S3 { child, port, data })
    }

    /// The folder holding bucket `www`.
    fn bucket(&self) -> PathBuf {
        self.data.path().join("www")
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// An S3 client on the bucket, for reading headers.
    fn client(&self) -> opendal::Operator {
        let _ = rustls::crypto::ring::default_provider().install_default();
        opendal_http_transport_reqwest::install_default();
        let b = opendal::services::S3::default()
            .endpoint(&self.endpoint())
            .bucket("www")
            .region("us-east-1")
            .access_key_id(AK)
            .secret_access_key(SK)
            .disable_config_load()
            .disable_ec2_metadata();
        opendal::Operator::new(b).unwrap()
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The sample portal with a deploy target `www` (prefix `site/`) at `endpoint`.
fn s3_site(endpoint: &str, extra: &str) -> tempfile::TempDir {
    let site = fixture("sample");
    let toml = site.path().join("site.toml");
    let mut text = fs::read_to_string(&toml).unwrap();
    text.push_str(&format!(
        "\n[deploy.www]\nservice = \"s3\"\nendpoint = \"{endpoint}\"\nbucket = \"www\"\nprefix = \"site\"\n{extra}"
    ));
    fs::write(&toml, text).unwrap();
    site
}

fn deploy(site: &Path, args: &[&str]) -> std::process::Output {
    Command::new(assert_cmd::cargo::cargo_bin("zhen"))
        .current_dir(site)
        .arg("deploy")
        .args(args)
        .env("ZHEN_DEPLOY_WWW_ACCESS_KEY", AK)
        .env("ZHEN_DEPLOY_WWW_SECRET_KEY", SK)
        .env("ZHEN_CREDENTIALS", site.join("no-such-credentials.toml"))
        .output()
        .unwrap()
}

fn deploy_ok(site: &Path, args: &[&str]) -> String {
    let out = deploy(site, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "deploy failed:\n{stderr}");
    stderr
}

fn deploy_err(site: &Path, args: &[&str]) -> String {
    let out = deploy(site, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "deploy should have failed:\n{stderr}"
    );
    stderr
}

/// Every file below `dir` (s3s-fs's own hidden files left out) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = tree(dir);
    files.retain(|rel, _| !rel.starts_with(".tmp.") && !rel.contains(".zhen-upload"));
    files
}

fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (
                rel.replace('\\', "/"),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

/// The built site as the target should hold it: public/ without zhen's marker.
fn site_files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(&site.join("public"));
    files.retain(|p, _| !p.starts_with(".zhen-"));
    files
}

/// What the target holds of zhen's: everything but the manifest and files zhen did not put.
fn deployed(dir: &Path, foreign: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    files.retain(|p, _| p != ".zhen-deploy.json" && !foreign.contains(&p.as_str()));
    files
}

fn sent_count(stderr: &str) -> usize {
    let at = stderr
        .find("发送 ")
        .unwrap_or_else(|| panic!("no summary:\n{stderr}"));
    stderr[at + "发送 ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

const POST: &str = "content/civility/2024-01-16-civilized-villages.md";

fn edit_post(site: &Path) {
    let post = site.join(POST);
    let text = fs::read_to_string(&post).unwrap();
    fs::write(&post, format!("{text}\n\n补充：花期延长到四月底。\n")).unwrap();
}

#[test]
fn s3_deploys_everything_then_only_changes_then_removes_a_deleted_post_and_leaves_other_files() {
    let Some(s3) = S3::start() else { return };
    let site = s3_site(&s3.endpoint(), "");
    let dir = site.path();
    assert!(dir.join(POST).is_file(), "the sample has {POST}");
    // Files zhen never put there: beside the site and under its prefix.
    fs::create_dir_all(s3.bucket().join("site/uploads")).unwrap();
    fs::create_dir_all(s3.bucket().join("other")).unwrap();
    fs::write(s3.bucket().join("site/uploads/notice.pdf"), "keep").unwrap();
    fs::write(s3.bucket().join("other/x.txt"), "keep").unwrap();
    let foreign = ["uploads/notice.pdf"];

    build_ok(dir, &[]);
    let first = deploy_ok(dir, &[]);
    let expected = site_files(dir);
    assert_eq!(sent_count(&first), expected.len(), "{first}");
    assert!(first.contains("上传完成"), "{first}");
    let target = s3.bucket().join("site");
    assert_eq!(deployed(&target, &foreign), expected);
    assert!(target.join(".zhen-deploy.json").is_file());
    assert!(dir.join(".zhen-cache/deploy/www.json").is_file());
    assert!(
        !target.join(".zhen-output").exists(),
        "the marker is never uploaded"
    );

    // Nothing changed: nothing sent.
    build_ok(dir, &[]);
    let again = deploy_ok(dir, &[]);
    assert_eq!(sent_count(&again), 0, "{again}");

    // One post edited: exactly the files whose bytes changed are sent.
    let before_public = site_files(dir);
    let before_times = mtimes(&target);
    std::thread::sleep(Duration::from_millis(20));
    edit_post(dir);
    build_ok(dir, &[]);
    let after_public = site_files(dir);
    let changed: Vec<&String> = after_public
        .iter()
        .filter(|(p, b)| before_public.get(*p) != Some(b))
        .map(|(p, _)| p)
        .collect();
    assert!(
        !changed.is_empty() && changed.len() < after_public.len() / 2,
        "{changed:?}"
    );
    let edit = deploy_ok(dir, &[]);
    assert_eq!(sent_count(&edit), changed.len(), "{edit}");
    let after_times = mtimes(&target);
    let rewritten: Vec<&String> = after_times
        .iter()
        .filter(|(p, t)| before_times.get(*p) != Some(t) && *p != ".zhen-deploy.json")
        .map(|(p, _)| p)
        .collect();
    assert_eq!(rewritten, changed);
    assert_eq!(deployed(&target, &foreign), after_public);

    // The post deleted: its page goes, nothing else that zhen did not put there.
    let page = after_public
        .keys()
        .find(|p| p.contains("civilized-villages") && p.ends_with("index.html"))
        .unwrap_or_else(|| panic!("{:?}", after_public.keys()))
        .clone();
    fs::remove_file(dir.join(POST)).unwrap();
    build_ok(dir, &[]);
    let removal = deploy_ok(dir, &[]);
    assert!(
        !target.join(&page).exists(),
        "{page} was deleted\n{removal}"
    );
    let now = site_files(dir);
    let gone: Vec<&String> = after_public
        .keys()
        .filter(|p| !now.contains_key(*p))
        .collect();
    assert!(gone.contains(&&page), "{gone:?}");
    assert!(
        removal.contains(&format!("删除 {} 个旧文件", gone.len())),
        "{removal}"
    );
    assert_eq!(deployed(&target, &foreign), site_files(dir));
    assert_eq!(
        fs::read(target.join("uploads/notice.pdf")).unwrap(),
        b"keep"
    );
    assert_eq!(fs::read(s3.bucket().join("other/x.txt")).unwrap(), b"keep");
}

#[test]
fn s3_objects_carry_content_types_with_charset_and_cache_headers() {
    let Some(s3) = S3::start() else { return };
    let site = s3_site(&s3.endpoint(), "");
    // A photo, so that the site has variants with hashed names.
    let post = site
        .path()
        .join("content/tourism/2024-04-02-peach-blossom-festival");
    fs::write(
        post.join("photo.jpg"),
        common::photo::phone_jpeg(640, 480, 1, false, 9),
    )
    .unwrap();
    let index = post.join("index.md");
    let text = fs::read_to_string(&index).unwrap();
    fs::write(&index, format!("{text}\n![桃花](photo.jpg)\n")).unwrap();
    build_ok(site.path(), &[]);
    deploy_ok(site.path(), &[]);
    let files = site_files(site.path());
    let hashed = files
        .keys()
        .find(|p| p.starts_with("img/"))
        .expect("the sample has processed pictures")
        .clone();
    let svg = files.keys().find(|p| p.ends_with(".svg")).unwrap().clone();
    let css = files.keys().find(|p| p.ends_with(".css")).unwrap().clone();
    let js = files.keys().find(|p| p.ends_with(".js")).unwrap().clone();
    let op = s3.client();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let stat = |path: &str| {
        let m = rt.block_on(op.stat(&format!("site/{path}"))).unwrap();
        (
            m.content_type().unwrap_or("").to_string(),
            m.cache_control().unwrap_or("").to_string(),
        )
    };
    let (ct, cc) = stat("index.html");
    assert_eq!(ct, "text/html; charset=utf-8");
    assert!(cc.contains("max-age=300"), "{cc}");
    assert_eq!(stat("sitemap.xml").0, "application/xml; charset=utf-8");
    assert_eq!(stat(&css).0, "text/css; charset=utf-8");
    assert_eq!(stat(&js).0, "text/javascript; charset=utf-8");
    assert_eq!(stat("share.png").0, "image/png");
    assert_eq!(stat(&svg).0, "image/svg+xml; charset=utf-8");
    assert_eq!(stat("atom.xml").0, "application/xml; charset=utf-8");
    let (ct, cc) = stat(&hashed);
    assert!(ct.starts_with("image/"), "{hashed}: {ct}");
    assert!(cc.contains("immutable") && cc.contains("31536000"), "{cc}");
}

#[test]
fn s3_dry_run_prints_the_plan_and_touches_nothing() {
    let Some(s3) = S3::start() else { return };
    let site = s3_site(&s3.endpoint(), "");
    let dir = site.path();
    build_ok(dir, &[]);
    let out = deploy(dir, &["--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success());
    assert!(stdout.contains("上传  index.html（新文件"), "{stdout}");
    assert!(
        snapshot(&s3.bucket()).is_empty(),
        "a dry run writes nothing"
    );
    deploy_ok(dir, &[]);
    edit_post(dir);
    build_ok(dir, &[]);
    let before = snapshot(&s3.bucket());
    let out = deploy(dir, &["www", "--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("（已修改"), "{stdout}");
    assert!(stdout.contains("不变  "), "{stdout}");
    assert!(stdout.contains("个要删除"), "{stdout}");
    assert_eq!(snapshot(&s3.bucket()), before, "a dry run writes nothing");
}

#[test]
fn s3_killed_deploy_leaves_old_or_new_files_and_the_rerun_completes_the_site() {
    let Some(s3) = S3::start() else { return };
    // One upload at a time, many files: the deploy is still running when it is killed.
    let site = s3_site(&s3.endpoint(), "concurrency = 1\n");
    let dir = site.path();
    let docs = dir.join("static/docs");
    fs::create_dir_all(&docs).unwrap();
    let body = |i: usize, v: &str| format!("{v} {i} {}", "公开文件内容。".repeat(400));
    for i in 0..600 {
        fs::write(docs.join(format!("f{i:03}.txt")), body(i, "v1")).unwrap();
    }
    build_ok(dir, &[]);
    deploy_ok(dir, &[]);
    let target = s3.bucket().join("site");
    let old = site_files(dir);
    assert_eq!(deployed(&target, &[]), old);

    std::thread::sleep(Duration::from_millis(20));
    for i in 0..600 {
        fs::write(docs.join(format!("f{i:03}.txt")), body(i, "v2")).unwrap();
    }
    fs::remove_file(docs.join("f599.txt")).unwrap();
    edit_post(dir);
    build_ok(dir, &[]);
    let new = site_files(dir);

    let mut child = Command::new(assert_cmd::cargo::cargo_bin("zhen"))
        .current_dir(dir)
        .arg("deploy")
        .env("ZHEN_DEPLOY_WWW_ACCESS_KEY", AK)
        .env("ZHEN_DEPLOY_WWW_SECRET_KEY", SK)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        let arrived = (0..599)
            .filter(|i| {
                fs::read(target.join(format!("docs/f{i:03}.txt")))
                    .is_ok_and(|b| b.starts_with(b"v2"))
            })
            .count();
        if arrived >= 30 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "deploy ended before it was killed"
        );
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    // Mid-way: every file of the old site is still there, each old or new, none half-written.
    let mid = deployed(&target, &[]);
    for (path, bytes) in &old {
        let now = mid
            .get(path)
            .unwrap_or_else(|| panic!("{path} went missing"));
        assert!(
            now == bytes || new.get(path) == Some(now),
            "{path} is neither old nor new"
        );
    }
    assert!(
        mid.iter()
            .any(|(p, b)| old.get(p) == Some(b) && new.get(p).is_some_and(|n| n != b)),
        "the kill came after the deploy had finished"
    );

    let rerun = deploy_ok(dir, &[]);
    assert_eq!(deployed(&target, &[]), new, "{rerun}");
    assert!(!target.join("docs/f599.txt").exists());
}

#[test]
fn s3_wrong_key_and_unreachable_host_are_chinese_errors_naming_the_target() {
    let Some(s3) = S3::start() else { return };
    let site = s3_site(&s3.endpoint(), "");
    let dir = site.path();
    build_ok(dir, &[]);
    let out = Command::new(assert_cmd::cargo::cargo_bin("zhen"))
        .current_dir(dir)
        .arg("deploy")
        .env("ZHEN_DEPLOY_WWW_ACCESS_KEY", AK)
        .env("ZHEN_DEPLOY_WWW_SECRET_KEY", "wrong-secret")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("上传目标 www（s3"), "{stderr}");
    assert!(stderr.contains("密钥或密码不对"), "{stderr}");
    assert!(stderr.contains("ZHEN_DEPLOY_WWW_SECRET_KEY"), "{stderr}");
    assert!(snapshot(&s3.bucket()).is_empty());

    let closed = free_port();
    let site = s3_site(&format!("http://127.0.0.1:{closed}"), "");
    build_ok(site.path(), &[]);
    let stderr = deploy_err(site.path(), &[]);
    assert!(stderr.contains("连不上上传目标 www"), "{stderr}");
    assert!(stderr.contains(&closed.to_string()), "{stderr}");
}

#[test]
fn deploy_refuses_secrets_in_site_toml_and_builds_not_fit_to_publish() {
    // None of this reaches a server: the port is closed.
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let site = s3_site(&endpoint, "secret_key = \"abc123\"\n");
    let stderr = deploy_err(site.path(), &[]);
    assert!(stderr.contains("site.toml 里不能写密钥"), "{stderr}");
    assert!(stderr.contains("site.toml:"), "{stderr}");
    assert!(
        !stderr.contains("abc123"),
        "the secret is not repeated: {stderr}"
    );

    let site = s3_site(&endpoint, "");
    let dir = site.path();
    let stderr = deploy_err(dir, &[]);
    assert!(stderr.contains("zhen build"), "not built yet: {stderr}");
    build_ok(dir, &["--drafts"]);
    let stderr = deploy_err(dir, &[]);
    assert!(stderr.contains("--drafts"), "{stderr}");
    build_ok(dir, &["--no-check"]);
    let stderr = deploy_err(dir, &[]);
    assert!(stderr.contains("--no-check"), "{stderr}");
    build_ok(dir, &[]);
    std::thread::sleep(Duration::from_millis(20));
    edit_post(dir);
    let stderr = deploy_err(dir, &[]);
    assert!(
        stderr.contains("比网站的源文件旧") && stderr.contains("civilized-villages"),
        "{stderr}"
    );
    // --force goes past the check, to the (closed) server.
    let stderr = deploy_err(dir, &["--force"]);
    assert!(stderr.contains("连不上上传目标 www"), "{stderr}");
}

/// An sshd on 127.0.0.1 that lets the current user in with a fresh key, stopped on drop.
struct Sshd {
    child: Child,
    port: u16,
    keys: tempfile::TempDir,
    user: String,
}

impl Sshd {
    fn start() -> Option<Sshd> {
        let sshd = server_program("sshd", &["/usr/sbin"])?;
        let keys = tempfile::tempdir().unwrap();
        let k = keys.path();
        for (file, kind) in [
            ("host_key", "ed25519"),
            ("id_ed25519", "ed25519"),
            ("other_key", "ed25519"),
        ] {
            let ok = Command::new("ssh-keygen")
                .args(["-q", "-t", kind, "-N", "", "-f"])
                .arg(k.join(file))
                .status()
                .unwrap();
            assert!(ok.success());
        }
        fs::copy(k.join("id_ed25519.pub"), k.join("authorized_keys")).unwrap();
        let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_string();
        let sftp_server = ["/usr/lib/openssh/sftp-server", "/usr/libexec/sftp-server"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("sftp-server");
        fs::write(
            k.join("sshd_config"),
            format!(
                "HostKey {}\nAuthorizedKeysFile {}\nStrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nUsePAM no\nPidFile none\nSubsystem sftp {sftp_server}\nListenAddress 127.0.0.1\n",
                k.join("host_key").display(),
                k.join("authorized_keys").display()
            ),
        )
        .unwrap();
        let _ = fs::create_dir_all("/run/sshd");
        let port = free_port();
        let mut child = Command::new(sshd)
            .args(["-D", "-e", "-f"])
            .arg(k.join("sshd_config"))
            .args(["-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for_port(port, &mut child);
        Some(Sshd {
            child,
            port,
            keys,
            user,
        })
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sftp_site(port: u16, user: &str, www: &Path, key: &Path) -> tempfile::TempDir {
    let site = fixture("sample");
    let toml = site.path().join("site.toml");
    let mut text = fs::read_to_string(&toml).unwrap();
    text.push_str(&format!(
        "\n[deploy.county]\nservice = \"sftp\"\nhost = \"127.0.0.1\"\nport = {port}\nuser = \"{user}\"\npath = \"{}\"\nkey_file = \"{}\"\nknown_hosts = \"accept\"\n",
        www.display(),
        key.display()
    ));
    fs::write(&toml, text).unwrap();
    site
}

#[test]
fn sftp_deploys_updates_deletes_and_explains_a_wrong_key_or_closed_port() {
    let Some(sshd) = Sshd::start() else { return };
    let www_dir = tempfile::tempdir().unwrap();
    let www = www_dir.path().join("htdocs");
    fs::create_dir_all(&www).unwrap();
    fs::write(www.join("old-page.html"), "not zhen's").unwrap();
    let key = sshd.keys.path().join("id_ed25519");
    let site = sftp_site(sshd.port, &sshd.user, &www, &key);
    let dir = site.path();
    build_ok(dir, &[]);
    let first = deploy_ok(dir, &[]);
    let expected = site_files(dir);
    assert_eq!(sent_count(&first), expected.len(), "{first}");
    assert_eq!(deployed(&www, &["old-page.html"]), expected);

    std::thread::sleep(Duration::from_millis(20));
    edit_post(dir);
    build_ok(dir, &[]);
    let changed = site_files(dir)
        .iter()
        .filter(|(p, b)| expected.get(*p) != Some(b))
        .count();
    let edit = deploy_ok(dir, &[]);
    assert_eq!(sent_count(&edit), changed, "{edit}");
    assert_eq!(deployed(&www, &["old-page.html"]), site_files(dir));

    fs::remove_file(dir.join(POST)).unwrap();
    build_ok(dir, &[]);
    deploy_ok(dir, &[]);
    assert_eq!(deployed(&www, &["old-page.html"]), site_files(dir));
    assert_eq!(fs::read(www.join("old-page.html")).unwrap(), b"not zhen's");

    // A key the server does not know.
    let wrong = sftp_site(
        sshd.port,
        &sshd.user,
        &www,
        &sshd.keys.path().join("other_key"),
    );
    build_ok(wrong.path(), &[]);
    let stderr = Command::new(assert_cmd::cargo::cargo_bin("zhen"))
        .current_dir(wrong.path())
        .args(["deploy", "county"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&stderr.stderr);
    assert!(stderr.contains("上传目标 county（sftp"), "{stderr}");
    assert!(stderr.contains("拒绝了登录"), "{stderr}");

    let closed = free_port();
    let gone = sftp_site(closed, &sshd.user, &www, &key);
    build_ok(gone.path(), &[]);
    let out = Command::new(assert_cmd::cargo::cargo_bin("zhen"))
        .current_dir(gone.path())
        .arg("deploy")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("连不上上传目标 county"), "{stderr}");
}
