//! `zhen init DIR`: a new site that `zhen build --root DIR` builds at once, using the default
//! theme built into the binary.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;

use crate::diagnostics::Diagnostic;

const SITE_TOML: &str = include_str!("scaffold/site.toml");

/// Writes the new site; refuses to touch a folder that already holds one.
pub fn run(dir: &Path) -> ExitCode {
    match init(dir) {
        Ok(post) => {
            eprintln!("已新建网站：{}", dir.display());
            eprintln!("示例文章：{}", post);
            eprintln!(
                "下一步：\n  1. 打开 {}，把示例的“某某镇”、网址 example.gov.cn、主办单位、电话、地址和备案号改成你们自己的；\n  2. 把示例文章换成真实的内容（zhen new 分类 \"标题\" 新建文章）；\n  3. 运行 zhen serve --root {} 边写边预览，zhen build --root {} 生成网站。\n示例内容没改完之前，zhen build 会逐条指出还要改哪里。",
                dir.join("site.toml").display(),
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            super::report(&[d]);
            ExitCode::FAILURE
        }
    }
}

fn init(dir: &Path) -> Result<String, Diagnostic> {
    if dir.join("site.toml").exists() {
        return Err(
            Diagnostic::error(format!("{} 里已经有 site.toml", dir.display()))
                .in_file(dir.join("site.toml"))
                .help("zhen init 只在空目录或新目录里新建网站，不会覆盖已有文件"),
        );
    }
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("无法写入 {}：{e}", dir.display())).help("请确认目录可写")
    };
    let today = ZonedDateTime::now()
        .with_time_zone(TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::UTC));
    let post_dir = dir.join("content").join("theory");
    fs::create_dir_all(&post_dir).map_err(fail)?;
    fs::write(dir.join("site.toml"), SITE_TOML).map_err(fail)?;
    // The output, the lock and staging folders beside it, and the link cache are not sources.
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        fs::write(&gitignore, "/public/\n/.public.zhen-*\n.zhen-cache/\n").map_err(fail)?;
    }
    fs::write(
        dir.join("content").join("_index.md"),
        "+++\ntitle = \"首页\"\n+++\n",
    )
    .map_err(fail)?;
    let name = format!("{}-welcome.md", today.strftime("%Y-%m-%d"));
    let post = format!(
        "+++\ntitle = \"网站开通了\"\ndate = {}\ncategory = \"theory\"\ntags = [\"公告\"]\nsource = \"某某镇宣传办\"\n+++\n\n这是用 zhen 新建的第一篇文章。把它改成真实的内容，或在 content/ 下按分类新建文章。\n\n## 怎样写文章\n\n每篇文章开头的 `+++` 之间写标题、日期、分类等信息，下面用 Markdown 写正文。\n",
        today.strftime("%Y-%m-%dT%H:%M:%S")
    );
    fs::write(post_dir.join(&name), post).map_err(fail)?;
    Ok(format!("content/theory/{name}"))
}
