//! zhen (镇): a static site generator for the news portals of Chinese townships.
//! This file parses the command line and hands over to one of `cmd/*` (or, double-clicked on
//! Windows, to `desktop`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use zhen::{cmd, desktop};

#[derive(Parser)]
#[command(
    name = "zhen",
    version,
    about = "镇：为乡镇新闻门户打造的静态网站生成器"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成网站到输出目录（默认 public/）
    Build(cmd::build::Args),
    /// 本地预览：边写边看，保存后浏览器自动刷新
    Serve(cmd::serve::Args),
    /// 按网站检查指标体检：死链、更新频率、错别字、个人信息、备案信息……
    Check(cmd::check::Args),
    /// 上传生成好的网站：只传改了的文件（阿里云 OSS、腾讯云 COS、华为云 OBS、S3、SFTP）
    Deploy(cmd::deploy::Args),
    /// 新建一篇文章：zhen new tourism "春季赏花节开幕" [--column flower-festival]
    New(cmd::new::Args),
    /// 新建一个网站：site.toml、四个标准分类和一篇示例文章
    Init {
        /// 新网站的目录
        dir: PathBuf,
    },
    /// 从 Hexo、Hugo、Zola、Jekyll 或一个 Markdown 文件夹导入：zhen import hexo ./旧博客 [新目录]
    Import(cmd::import::Args),
    /// 输出命令行补全脚本，例如 zhen completions bash
    Completions { shell: clap_complete::Shell },
}

fn main() -> ExitCode {
    desktop::prepare_console();
    if desktop::double_clicked() {
        let cwd = std::env::current_dir().unwrap_or_default();
        let exe = std::env::current_exe().ok();
        return desktop::start(
            &cwd,
            exe.as_deref().and_then(Path::parent),
            &mut std::io::stdin().lock(),
            &mut std::io::stdout(),
            &mut |args| run(std::iter::once(OsString::from("zhen")).chain(args)),
        );
    }
    run(std::env::args_os())
}

/// Parses one command line (the program's name first) and runs its command.
fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let parsed = cmd::usage::localize(Cli::command())
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{}", cmd::usage::explain(&e));
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Build(args) => cmd::build::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Deploy(args) => cmd::deploy::run(&args),
        Command::New(args) => cmd::new::run(&args),
        Command::Init { dir } => cmd::init::run(&dir),
        Command::Import(args) => cmd::import::run(&args),
        Command::Completions { shell } => {
            cmd::completions::run::<Cli>(shell);
            ExitCode::SUCCESS
        }
    }
}
