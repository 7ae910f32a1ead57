//! `zhen deploy`: uploads the built site to a target of site.toml's `[deploy.<name>]`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::deploy::{self, Options, human_bytes};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 上传目标的名称（site.toml 里 [deploy.名称]）；只有一个目标时可以不写
    target: Option<String>,
    /// 网站根目录（包含 site.toml 的目录）
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 要上传的目录，默认是网站根目录下的 public/
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// 只列出要上传、不变和要删除的文件，不改动目标
    #[arg(long)]
    dry_run: bool,
    /// 即使网站比源文件旧，或是用 --drafts、--no-check 生成的，也上传
    #[arg(long)]
    force: bool,
}

/// Deploys; exit code 1 on any error (what was sent stays sent: the next run goes on).
pub fn run(args: &Args) -> ExitCode {
    let root = match super::site_root(&args.root) {
        Ok(root) => root,
        Err(e) => return fail(&[e]),
    };
    let options = Options {
        dir: args.output.clone().unwrap_or_else(|| root.join("public")),
        root,
        target: args.target.clone(),
        dry_run: args.dry_run,
        force: args.force,
    };
    match deploy::run(&options) {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(s)) => {
            eprintln!(
                "上传完成：发送 {} 个文件（{}），{} 个未变跳过，删除 {} 个旧文件，用时 {:.1} 秒",
                s.sent,
                human_bytes(s.bytes),
                s.unchanged,
                s.deleted,
                s.took.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => fail(&errors),
    }
}

fn fail(errors: &[crate::diagnostics::Diagnostic]) -> ExitCode {
    super::report(errors);
    eprintln!("上传没有完成。已经传好的文件不会重传：问题解决后再运行一次 zhen deploy。");
    ExitCode::FAILURE
}
