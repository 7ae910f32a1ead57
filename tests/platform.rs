//! zhen on the systems township offices use, run here under emulation: the Windows build
//! (`zhen.exe`) under Wine, the ARM64 and LoongArch Linux builds under qemu-user. Each builds
//! the sample portal into exactly the files this machine's build writes. The binaries come from
//! `scripts/cross-build dev TARGET…`, which `scripts/test` runs for Windows and ARM64; without it
//! these tests skip loudly, and under CI (CI set) they fail instead. LoongArch runs when its
//! binary was built by hand (`scripts/cross-build dev loongarch64-unknown-linux-musl`: about 23
//! minutes, as its standard library is compiled too; not in CI), under the qemu-loongarch64 that
//! scripts/cross-setup puts into the target folder (Debian 12's 7.2 lacks LSX); without the
//! binary it skips, saying so (`cargo test --test platform -- --nocapture` shows it).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{fixture, repo};

const WINDOWS: &str = "x86_64-pc-windows-gnu";

/// The cargo target folder the tests were built in.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_zhen"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_path_buf()
}

/// The dev build of zhen for `target`, or None (after saying so) when it was not built.
fn cross_binary(target: &str, required_in_ci: bool) -> Option<PathBuf> {
    let exe = if target.contains("windows") {
        "zhen.exe"
    } else {
        "zhen"
    };
    let path = target_dir().join(target).join("debug").join(exe);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        !required_in_ci || std::env::var_os("CI").is_none(),
        "CI must build {}: scripts/cross-build dev {target}",
        path.display()
    );
    eprintln!(
        "SKIPPED: no {} (run scripts/cross-build dev {target})",
        path.display()
    );
    None
}

/// Every file below `dir`, relative with `/`, and its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (name.replace('\\', "/"), fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Asserts that two built sites hold the same files with the same bytes.
fn assert_same_site(got: &Path, want: &Path) {
    let (got, want) = (tree(got), tree(want));
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "the same files");
    let differ: Vec<&String> = want.keys().filter(|k| got[*k] != want[*k]).collect();
    assert!(differ.is_empty(), "files with other bytes: {differ:?}");
    assert!(want.len() > 50, "a whole site: {} files", want.len());
}

/// The sample portal built by this machine's zhen (once per test run), in `public/` of the
/// returned folder.
fn linux_build(site: &Path) -> PathBuf {
    let started = Instant::now();
    let out = common::zhen(site, &["build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    eprintln!("linux build: {:?}", started.elapsed());
    site.join("public")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("zhen writes UTF-8")
}

/// Wine with its own prefix under the target folder: drive D: is a temp folder, so that sites
/// sit at `D:\宣传办\…` as on an office PC. Debian 12's Wine 8 lacks bcryptprimitives.dll,
/// whose ProcessPrng Rust's standard library needs; a test-only one built from
/// tests/platform/bcryptprimitives.c goes beside each copy of zhen.exe. `explorer` (from
/// tests/platform/explorer.c) starts a program as a double-click does.
struct Wine {
    prefix: PathBuf,
    drive_d: PathBuf,
    shim: PathBuf,
    explorer: PathBuf,
}

fn wine() -> &'static Wine {
    static WINE: OnceLock<Wine> = OnceLock::new();
    WINE.get_or_init(|| {
        let base = target_dir().join("wine");
        let prefix = base.join("prefix");
        let drive_d = base.join("drive-d");
        fs::create_dir_all(&drive_d).unwrap();
        let mingw = |source: &str, output: &Path, flags: &[&str]| {
            let status = Command::new("x86_64-w64-mingw32-gcc")
                .args(flags)
                .args(["-O2", "-o"])
                .arg(output)
                .arg(repo().join("tests/platform").join(source))
                .status()
                .expect("mingw-w64 (scripts/cross-setup installs it)");
            assert!(status.success(), "{source}");
        };
        let shim = base.join("bcryptprimitives.dll");
        mingw("bcryptprimitives.c", &shim, &["-shared", "-ladvapi32"]);
        let explorer = base.join("explorer.exe");
        mingw("explorer.c", &explorer, &["-municode"]);
        let wine = Wine {
            prefix,
            drive_d,
            shim,
            explorer,
        };
        let started = Instant::now();
        let boot = wine.command(Path::new("wineboot")).arg("--init").output();
        assert!(boot.unwrap().status.success(), "wineboot");
        let d = wine.prefix.join("dosdevices/d:");
        let _ = fs::remove_file(&d);
        std::os::unix::fs::symlink(&wine.drive_d, &d).unwrap();
        eprintln!("wine prefix ready in {:?}", started.elapsed());
        wine
    })
}

impl Wine {
    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new("wine");
        command
            .arg(program)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            // No Mono or Gecko installers; no window.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY")
            .stdin(Stdio::null());
        command
    }

    /// A folder `D:\<windows_path>` (given with `\`), created empty; returns its Linux path.
    fn folder(&self, windows_path: &str) -> PathBuf {
        let path = self.drive_d.join(windows_path.replace('\\', "/"));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        path
    }

    /// zhen.exe copied, with the shim, into `D:\<folder>` (as a user unpacks the archive).
    fn install(&self, exe: &Path, folder: &str) -> PathBuf {
        let dir = self.folder(folder);
        // A hard link: a dev build of zhen.exe is half a gigabyte.
        let installed = dir.join("zhen.exe");
        fs::hard_link(exe, &installed)
            .or_else(|_| fs::copy(exe, &installed).map(drop))
            .unwrap();
        fs::copy(&self.shim, dir.join("bcryptprimitives.dll")).unwrap();
        dir.join("zhen.exe")
    }

    fn run(&self, exe: &Path, args: &[&str]) -> Output {
        self.command(exe).args(args).output().unwrap()
    }
}

/// Copies the sample portal into `dest`.
fn sample_into(dest: &Path) {
    let sample = fixture("sample");
    common::copy(sample.path(), dest);
}

#[test]
fn windows_builds_the_sample_portal_in_a_chinese_folder_with_spaces_like_linux() {
    let Some(exe) = cross_binary(WINDOWS, true) else {
        return;
    };
    let wine = wine();
    let exe = wine.install(&exe, r"程序\zhen 镇");
    let site = wine.folder(r"宣传办\网 站");
    sample_into(&site);
    let linux = fixture("sample");
    let want = linux_build(linux.path());

    let root = r"D:\宣传办\网 站\";
    let started = Instant::now();
    let out = wine.run(&exe, &["build", "--root", root]);
    eprintln!("zhen.exe build under Wine: {:?}", started.elapsed());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_same_site(&site.join("public"), &want);

    // An edit of one post is published as a patch (files renamed over the old ones, which
    // Windows allows only with MOVEFILE_REPLACE_EXISTING); the files it does not change keep
    // their time.
    let edit = |site: &Path, from: &str, to: &str| {
        let post = site.join("content/about/overview.md");
        let text = fs::read_to_string(&post).unwrap();
        assert!(text.contains(from), "{from}");
        fs::write(&post, text.replacen(from, to, 1)).unwrap();
    };
    let kept = site.join("public/index.html");
    let before = fs::metadata(&kept).unwrap().modified().unwrap();
    edit(&site, "\n\n", "\n\n改过的一段。\n\n");
    edit(linux.path(), "\n\n", "\n\n改过的一段。\n\n");
    let want = linux_build(linux.path());
    let out = wine.run(&exe, &["build", "--root", root]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_same_site(&site.join("public"), &want);
    assert_eq!(fs::metadata(&kept).unwrap().modified().unwrap(), before);

    // A change to every page replaces the whole folder without renameat2 (two renames), and
    // files that did not change keep their time.
    let retitle = |site: &Path| {
        let toml = site.join("site.toml");
        let text = fs::read_to_string(&toml).unwrap();
        let at = text.find("title = \"").unwrap() + "title = \"".len();
        fs::write(&toml, format!("{}新{}", &text[..at], &text[at..])).unwrap();
    };
    let logo = site.join("public/favicon.ico");
    let before = fs::metadata(&logo).unwrap().modified().unwrap();
    retitle(&site);
    retitle(linux.path());
    let want = linux_build(linux.path());
    let out = wine.run(&exe, &["build", "--root", root]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_same_site(&site.join("public"), &want);
    assert_eq!(fs::metadata(&logo).unwrap().modified().unwrap(), before);

    // A build zhen refuses leaves the previous site as it was, and nothing beside it.
    let post = site.join("content/theory/broken.md");
    fs::write(
        &post,
        "+++\ntitle = \"坏文章\"\ndate = 2024-13-45\n+++\n正文\n",
    )
    .unwrap();
    let out = wine.run(&exe, &["build", "--root", root]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // The file as Windows writes it, line and column, the fix, in Chinese.
    assert!(
        stderr.contains(r"D:\宣传办\网 站\content\theory\broken.md:3:8"),
        "{stderr}"
    );
    assert!(stderr.contains("写成 date = \"2024-13-45\""), "{stderr}");
    assert!(stderr.contains("上一次生成的网站没有被改动"), "{stderr}");
    fs::remove_file(&post).unwrap();
    assert_same_site(&site.join("public"), &want);
    let beside: Vec<String> = fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.zhen-") && !n.ends_with("lock"))
        .collect();
    assert!(beside.is_empty(), "left behind: {beside:?}");
}

#[test]
fn windows_reads_crlf_files_like_linux_and_checks_in_chinese() {
    let Some(exe) = cross_binary(WINDOWS, true) else {
        return;
    };
    let wine = wine();
    let exe = wine.install(&exe, "crlf");
    let site = wine.folder(r"宣传办\换行");
    sample_into(&site);
    // Every Markdown file with Windows line ends: the site is the one Linux builds from LF.
    let linux = fixture("sample");
    for entry in walkdir::WalkDir::new(site.join("content")) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "md") {
            let lf = fs::read_to_string(&path).unwrap().replace("\r\n", "\n");
            fs::write(&path, lf.replace('\n', "\r\n")).unwrap();
        }
    }
    let want = linux_build(linux.path());
    let out = wine.run(&exe, &["build", "--root", r"D:\宣传办\换行"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_same_site(&site.join("public"), &want);

    let root = r"D:\宣传办\换行";
    let out = wine.run(&exe, &["check", "--root", root, "--now", "2025-01-01"]);
    let linux_root = linux.path().to_str().unwrap();
    let linux_check = common::zhen(
        linux.path(),
        &["check", "--root", linux_root, "--now", "2025-01-01"],
    );
    assert_eq!(out.status.code(), linux_check.status.code());
    let got = text(&out.stdout).replace(root, "ROOT").replace('\\', "/");
    let want = text(&linux_check.stdout).replace(linux_root, "ROOT");
    assert!(want.contains("检查完成"), "{want}");
    assert_eq!(got, want);
}

/// Reads what `child` prints on stderr in the background; returns the preview address.
fn preview_address(stderr: impl Read + Send + 'static) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("[serve] {line}");
            if line.contains("预览地址") {
                let _ = tx.send(line);
            }
        }
    });
    let line = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the preview started");
    let url = line.split("http://").nth(1).unwrap();
    url.split('/').next().unwrap().to_string()
}

fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    String::from_utf8_lossy(&raw).into_owned()
}

#[test]
fn windows_previews_the_site_and_rebuilds_on_save() {
    let Some(exe) = cross_binary(WINDOWS, true) else {
        return;
    };
    let wine = wine();
    let exe = wine.install(&exe, "serve");
    let site = wine.folder(r"宣传办\预览");
    sample_into(&site);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = wine
        .command(&exe)
        .args([
            "serve",
            "--root",
            r"D:\宣传办\预览",
            "--port",
            &port.to_string(),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = preview_address(child.stderr.take().unwrap());
    let home = get(&addr, "/");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("青溪镇"), "{home}");
    let post = site.join("content/theory/预览测试.md");
    fs::write(
        &post,
        "+++\ntitle = \"预览里的新文章\"\ndate = 2024-05-01\ncategory = \"theory\"\n+++\n\n正文。\r\n",
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !get(&addr, "/").contains("预览里的新文章") {
        assert!(Instant::now() < deadline, "the new post never showed");
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn windows_double_click_without_a_site_shows_the_chinese_menu() {
    let Some(exe) = cross_binary(WINDOWS, true) else {
        return;
    };
    let wine = wine();
    let exe = wine.install(&exe, r"下载\zhen 镇");
    // As Explorer starts it: a console of its own, no arguments, in the program's folder; the
    // menu's answers come from standard input: 1 (new site), its name, Enter, 5 (quit).
    let mut child = wine
        .command(&wine.explorer)
        .arg(&exe)
        .current_dir(exe.parent().unwrap())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let answers = "1\n新 网站\n\n5\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("这个文件夹里还没有网站"), "{stdout}");
    assert!(stdout.contains("5  退出"), "{stdout}");
    assert!(stderr.contains("已新建网站"), "{stderr}");
    let site = exe.parent().unwrap().join("新 网站");
    assert!(site.join("site.toml").is_file(), "{stdout}");

    // Typed in a terminal instead (the console shared), no arguments is a mistake to explain.
    let out = wine.run(&exe, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("缺少命令"),
        "{}",
        text(&out.stderr)
    );
}

/// A Linux build of zhen for another processor builds the sample portal under qemu-user.
fn emulated_build_matches(target: &str, qemu: &Path, required_in_ci: bool) {
    let Some(exe) = cross_binary(target, required_in_ci) else {
        return;
    };
    let name = qemu.display();
    let site = fixture("sample");
    let linux = fixture("sample");
    let want = linux_build(linux.path());
    let started = Instant::now();
    let out = Command::new(qemu)
        .arg(&exe)
        .arg("build")
        .current_dir(site.path())
        .output()
        .unwrap_or_else(|e| panic!("{name}: {e} (scripts/cross-setup installs it)"));
    eprintln!("{target} build under {name}: {:?}", started.elapsed());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_same_site(&site.path().join("public"), &want);
    let out = Command::new(qemu)
        .arg(&exe)
        .args(["check", "--now", "2025-01-01"])
        .current_dir(site.path())
        .output()
        .unwrap();
    let linux_check = common::zhen(linux.path(), &["check", "--now", "2025-01-01"]);
    assert_eq!(out.status.code(), linux_check.status.code());
    assert_eq!(text(&out.stdout), text(&linux_check.stdout));
}

#[test]
fn arm64_linux_builds_the_sample_portal_like_x86_64() {
    emulated_build_matches(
        "aarch64-unknown-linux-musl",
        Path::new("qemu-aarch64-static"),
        true,
    );
}

/// The LoongArch binary is the one the release ships, with LSX vector instructions (Loongson
/// 3A5000 and later): it runs under a qemu that emulates them (8.1 or later), fetched by
/// scripts/cross-setup into the target folder.
#[test]
fn loongarch64_linux_builds_the_sample_portal_like_x86_64() {
    let target = "loongarch64-unknown-linux-musl";
    let qemu = target_dir().join("qemu/qemu-loongarch64");
    if cross_binary(target, false).is_some() {
        assert!(
            qemu.is_file(),
            "no {} (run scripts/cross-setup {target})",
            qemu.display()
        );
    }
    emulated_build_matches(target, &qemu, false);
}
