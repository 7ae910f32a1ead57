//! What zhen does when started without a command from a window of its own — a double-click on
//! `zhen.exe` in Windows Explorer: preview the site in its folder, or a short Chinese menu,
//! waiting for Enter before the window closes so that nothing flashes past unread.

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Whether zhen was started with no arguments in a console window that belongs to it alone
/// (Explorer opens one for a double-clicked console program and closes it when it exits). A
/// command typed in a terminal shares that terminal's console, so it never counts.
pub fn double_clicked() -> bool {
    std::env::args_os().len() == 1 && console_is_ours()
}

#[cfg(windows)]
fn console_is_ours() -> bool {
    use windows_sys::Win32::System::Console::GetConsoleProcessList;
    let mut ids = [0u32; 2];
    // SAFETY: the buffer holds `ids.len()` process ids.
    unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) == 1 }
}

#[cfg(not(windows))]
fn console_is_ours() -> bool {
    false
}

/// Makes the console show UTF-8 as Chinese (code page 65001) and understand colour codes; a
/// no-op where the console already does (everywhere but Windows).
pub fn prepare_console() {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{
            ENABLE_VIRTUAL_TERMINAL_PROCESSING, GetConsoleMode, GetStdHandle, STD_ERROR_HANDLE,
            STD_OUTPUT_HANDLE, SetConsoleMode, SetConsoleOutputCP,
        };
        // SAFETY: plain calls on this process's standard handles; failures (no console,
        // output redirected to a file) leave everything as it was.
        unsafe {
            SetConsoleOutputCP(65001);
            for which in [STD_OUTPUT_HANDLE, STD_ERROR_HANDLE] {
                let handle = GetStdHandle(which);
                let mut mode = 0;
                if GetConsoleMode(handle, &mut mode) != 0 {
                    SetConsoleMode(handle, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
                }
            }
        }
    }
}

/// The folder to look for a site in first: the current one (Explorer starts a double-clicked
/// program in its own folder), then the program's folder.
pub fn site_beside(cwd: &Path, exe_dir: Option<&Path>) -> Option<PathBuf> {
    std::iter::once(cwd)
        .chain(exe_dir)
        .find(|d| d.join("site.toml").is_file())
        .map(Path::to_path_buf)
}

/// Runs the double-click start: with a site beside the program, its preview in the browser;
/// else the menu. `run` runs one zhen command line (as typed after `zhen`); answers are read
/// from `input`, everything zhen says goes to `out`.
pub fn start(
    cwd: &Path,
    exe_dir: Option<&Path>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    run: &mut dyn FnMut(Vec<OsString>) -> ExitCode,
) -> ExitCode {
    if let Some(site) = site_beside(cwd, exe_dir) {
        let _ = writeln!(
            out,
            "找到网站：{}\n正在打开预览，浏览器会自动打开；关闭这个窗口就停止预览。\n",
            site.display()
        );
        let code = run(command("serve", &site, &["--open"]));
        if code != ExitCode::SUCCESS {
            wait(input, out, "预览没能启动，原因见上面。按回车键关闭窗口……");
        }
        return code;
    }
    menu(cwd, input, out, run)
}

const MENU: &str = "\n请选择要做的事，输入数字后按回车：\n  1  在这里新建网站\n  2  打开网站预览（边写边看）\n  3  生成网站（写到网站文件夹的 public 里）\n  4  检查网站（死链、错别字、个人信息……）\n  5  退出\n";

fn menu(
    cwd: &Path,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    run: &mut dyn FnMut(Vec<OsString>) -> ExitCode,
) -> ExitCode {
    let _ = writeln!(
        out,
        "zhen（镇）{} — 乡镇新闻网站生成器\n这个文件夹里还没有网站（没有 site.toml）：{}",
        env!("CARGO_PKG_VERSION"),
        cwd.display()
    );
    let mut site: Option<PathBuf> = None;
    loop {
        let _ = write!(out, "{MENU}> ");
        let Some(choice) = read_line(input, out) else {
            return ExitCode::SUCCESS;
        };
        let (verb, extra): (&str, &[&str]) = match choice.as_str() {
            "1" => {
                let Some(name) = ask(input, out, "新网站的文件夹名（直接回车就用“我的网站”）：")
                else {
                    return ExitCode::SUCCESS;
                };
                let dir = cwd.join(if name.is_empty() {
                    "我的网站"
                } else {
                    &name
                });
                if run(vec!["init".into(), dir.clone().into()]) == ExitCode::SUCCESS {
                    site = Some(dir);
                }
                wait(input, out, "按回车键回到菜单……");
                continue;
            }
            "2" => ("serve", &["--open"]),
            "3" => ("build", &[]),
            "4" => ("check", &[]),
            "5" | "q" | "Q" => return ExitCode::SUCCESS,
            _ => {
                let _ = writeln!(out, "请输入 1 到 5 的数字。");
                continue;
            }
        };
        let dir = match &site {
            Some(dir) => dir.clone(),
            None => {
                let Some(answer) = ask(
                    input,
                    out,
                    "网站在哪个文件夹？把那个文件夹拖进这个窗口（或输入它的路径），再按回车：",
                ) else {
                    return ExitCode::SUCCESS;
                };
                let dir = cwd.join(answer.trim_matches('"'));
                if !dir.join("site.toml").is_file() {
                    let _ = writeln!(
                        out,
                        "{} 里没有 site.toml，不是网站文件夹。没有网站可以先选 1 新建。",
                        dir.display()
                    );
                    continue;
                }
                site = Some(dir.clone());
                dir
            }
        };
        run(command(verb, &dir, extra));
        wait(input, out, "按回车键回到菜单……");
    }
}

/// `VERB --root DIR EXTRA…`.
fn command(verb: &str, dir: &Path, extra: &[&str]) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec![verb.into(), "--root".into(), dir.into()];
    args.extend(extra.iter().map(OsString::from));
    args
}

fn ask(input: &mut dyn BufRead, out: &mut dyn Write, question: &str) -> Option<String> {
    let _ = write!(out, "{question}");
    read_line(input, out)
}

/// One line of input, trimmed; `None` when the input has ended.
fn read_line(input: &mut dyn BufRead, out: &mut dyn Write) -> Option<String> {
    let _ = out.flush();
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim().to_owned()),
    }
}

fn wait(input: &mut dyn BufRead, out: &mut dyn Write, message: &str) {
    let _ = write!(out, "\n{message}");
    read_line(input, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `start` on `answers` and returns what it printed and the commands it ran.
    fn session(cwd: &Path, answers: &str) -> (String, Vec<Vec<String>>) {
        let mut ran = Vec::new();
        let mut out = Vec::new();
        start(
            cwd,
            None,
            &mut answers.as_bytes(),
            &mut out,
            &mut |args: Vec<OsString>| {
                ran.push(
                    args.iter()
                        .map(|a| a.to_string_lossy().into_owned())
                        .collect(),
                );
                ExitCode::SUCCESS
            },
        );
        (String::from_utf8(out).unwrap(), ran)
    }

    #[test]
    fn a_site_beside_the_program_is_previewed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "").unwrap();
        let (said, ran) = session(dir.path(), "");
        let root = dir.path().to_string_lossy().into_owned();
        assert_eq!(ran, [vec!["serve", "--root", &root, "--open"]]);
        assert!(said.contains("找到网站"), "{said}");
    }

    #[test]
    fn the_menu_makes_a_site_then_builds_it_without_asking_where() {
        let dir = tempfile::tempdir().unwrap();
        let (said, ran) = session(dir.path(), "1\n网 站\n\n3\n\n5\n");
        let site = dir.path().join("网 站").to_string_lossy().into_owned();
        assert_eq!(
            ran,
            [vec!["init", &site], vec!["build", "--root", &site]],
            "{said}"
        );
        assert!(said.contains("在这里新建网站"), "{said}");
    }

    #[test]
    fn the_menu_asks_for_the_site_folder_and_refuses_one_without_site_toml() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        std::fs::create_dir(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("site/site.toml"), "").unwrap();
        let (said, ran) = session(dir.path(), "7\n4\n\"empty\"\n4\n\"site\"\n\n");
        let site = dir.path().join("site").to_string_lossy().into_owned();
        assert_eq!(ran, [vec!["check", "--root", &site]], "{said}");
        assert!(said.contains("请输入 1 到 5 的数字"), "{said}");
        assert!(said.contains("不是网站文件夹"), "{said}");
    }
}
