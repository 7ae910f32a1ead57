//! `zhen serve`: the live preview (see `serve/`).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::serve::{ServeOptions, run as serve};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 网站根目录（包含 site.toml 的目录）
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 监听的地址；默认只允许本机访问（0.0.0.0 会让同一网络里的人都能看到预览，包括草稿）
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// 端口；被占用时自动换下一个
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// 同时预览草稿
    #[arg(long)]
    drafts: bool,
    /// 启动后打开浏览器
    #[arg(long)]
    open: bool,
    /// 除本机名称（localhost、127.0.0.1）外，允许用这个主机名访问预览（可重复）；写成 .example.org 则连同子域名
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
}

pub fn run(args: &Args) -> ExitCode {
    let root = match super::site_root(&args.root) {
        Ok(root) => root,
        Err(e) => {
            super::report(&[e]);
            return ExitCode::FAILURE;
        }
    };
    serve(ServeOptions {
        root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        open: args.open,
        allow_hosts: args.allow_host.clone(),
    })
}
