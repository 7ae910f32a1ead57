//! `zhen build`: renders the site and swaps it into the output folder.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::output::{check_output_dir, write_site};
use crate::pipeline::{self, Options};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 网站根目录（包含 site.toml 的目录）
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 输出目录，默认是网站根目录下的 public/
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// 同时生成草稿（draft = true 的文章）
    #[arg(long)]
    drafts: bool,
    /// 同时生成定时发布、还没到发布时间的文章（日期晚于现在的文章）
    #[arg(long)]
    future: bool,
    /// 覆盖 site.toml 里的 base_url
    #[arg(long)]
    base_url: Option<String>,
    /// 打印每个阶段的用时
    #[arg(long)]
    timings: bool,
    /// 跳过内容检查（死链、错别字、禁用人名、个人信息、三审、图片替代文字）：只在紧急时用
    #[arg(long)]
    no_check: bool,
}

/// Builds; exit code 1 when the site has errors (the previous output then stays as it was).
pub fn run(args: &Args) -> ExitCode {
    let start = Instant::now();
    let root = match super::site_root(&args.root) {
        Ok(root) => root,
        Err(e) => return fail(&[e]),
    };
    let out = args.output.clone().unwrap_or_else(|| root.join("public"));
    if let Err(e) = check_output_dir(&out, &root) {
        return fail(&[e]);
    }
    let options = Options {
        root,
        drafts: args.drafts,
        future: args.future,
        base_url: args.base_url.clone(),
        now: jiff::Timestamp::now(),
        defer_search: false,
        defer_images: false,
    };
    let built = match pipeline::run(&options, None) {
        Ok(built) => built,
        Err(errors) => return fail(&errors),
    };
    super::report(&built.warnings);
    let checking = Instant::now();
    if args.no_check {
        eprintln!(
            "警告: 已用 --no-check 跳过内容检查，网站可能带着死链、错别字或个人信息发布；请尽快运行 zhen check"
        );
    } else if !super::check::gate(&built, options.now) {
        return ExitCode::FAILURE;
    }
    let checked = checking.elapsed();
    let writing = Instant::now();
    let stats = match write_site(&built.outputs, &out) {
        Ok(stats) => stats,
        Err(e) if e.previous_kept => return fail(&[e.diagnostic]),
        Err(e) => {
            super::report(&[e.diagnostic]);
            eprintln!(
                "生成失败：写入输出目录时出错，输出目录里现在新旧文件混在一起，请修好问题后重新生成。"
            );
            return ExitCode::FAILURE;
        }
    };
    super::report(&stats.warnings);
    // What zhen deploy checks before uploading this folder.
    if let Err(e) =
        crate::deploy::fresh::record(&options.root, &out, args.drafts, args.future, args.no_check)
    {
        eprintln!("警告: 无法记录这次生成的方式（zhen deploy 会要求重新生成）：{e}");
    }
    // The site is published: its URLs join the manifest that C7 checks.
    if let Err(e) = crate::check::permanence::record(&built.site) {
        eprintln!("警告: 无法更新 {}：{e}", crate::check::permanence::MANIFEST);
    }
    if args.timings {
        let after = [("check", checked), ("write", writing.elapsed())];
        for (stage, took) in built.timings.iter().chain(&after) {
            let name = match *stage {
                "load" => "读取文章",
                "model" => "整理网址和列表",
                "markdown" => "转换正文",
                "render" => "套用模板",
                "images" => "处理图片",
                "search" => "建立搜索索引",
                "check" => "内容检查",
                "write" => "写入输出目录",
                other => other,
            };
            // The English name at the end of the line is what bench/ reads.
            eprintln!(
                "{name:　<7}{:>9.1} ms  {stage}",
                took.as_secs_f64() * 1000.0
            );
        }
    }
    let warnings = if built.warnings.is_empty() {
        String::new()
    } else {
        format!("，{} 条警告", built.warnings.len())
    };
    eprintln!(
        "生成完成：{} 个页面，共 {} 个文件（{} 个未变），用时 {} 毫秒{warnings} → {}",
        built.page_count(),
        stats.files,
        stats.unchanged,
        start.elapsed().as_millis(),
        out.display()
    );
    if let Some((file, due)) = built.site.library.scheduled.iter().min_by_key(|(_, d)| d) {
        eprintln!(
            "另有 {} 篇定时发布的文章还没到发布时间，这次没有生成；最早的一篇 {} 在 {} 发布，到时间后再运行 zhen build（用 --future 可以提前生成）",
            built.site.library.scheduled.len(),
            file.display(),
            due.strftime("%Y-%m-%d %H:%M")
        );
    }
    ExitCode::SUCCESS
}

fn fail(errors: &[crate::diagnostics::Diagnostic]) -> ExitCode {
    super::report(errors);
    let n = errors.iter().filter(|d| d.is_error()).count();
    eprintln!("生成失败：{n} 个错误。上一次生成的网站没有被改动。");
    ExitCode::FAILURE
}
