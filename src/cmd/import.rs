//! `zhen import hexo|hugo|zola|jekyll|markdown SRC [DEST]`: another tool's site as a new zhen
//! site, with IMPORT-REPORT.md listing what is left to do.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::import::{self, Tool};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 原网站用的工具（markdown 指一个放着 .md 文件的文件夹）
    #[arg(value_enum)]
    tool: Tool,
    /// 原网站的目录（不会被改动）
    src: PathBuf,
    /// 新网站的目录（默认是原目录旁边的 <原目录>-zhen；必须是新的或空的文件夹）
    dest: Option<PathBuf>,
}

pub fn run(args: &Args) -> ExitCode {
    let dest = args
        .dest
        .clone()
        .unwrap_or_else(|| import::default_dest(&args.src));
    match import::import(args.tool, &args.src, &dest) {
        Ok(s) => {
            eprintln!(
                "已导入到 {}：文章 {} 篇，普通页面 {} 个，图片和附件 {} 个，待处理的问题 {} 条。",
                s.dest.display(),
                s.posts,
                s.pages,
                s.images,
                s.problems
            );
            eprintln!(
                "请先看 {}，再运行 zhen build --root {}",
                s.dest.join("IMPORT-REPORT.md").display(),
                s.dest.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            super::report(&[d]);
            ExitCode::FAILURE
        }
    }
}
