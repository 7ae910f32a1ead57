//! `zhen build`: renders the site and swaps it into the output folder, reusing what the last
//! build left in `.zhen-cache/build/` (`cache/`) for everything that did not change.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::cache::{self, Key, Moment};
use crate::config::Config;
use crate::output::{check_output_dir, write_site};
use crate::pipeline::{self, Cache, Options};

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
    /// 不用上次生成留下的缓存（.zhen-cache/build/），从头完整生成（也不更新缓存）
    #[arg(long)]
    fresh: bool,
    /// 把“现在”定为这个时间，例如 2024-06-30 或 2024-06-30 08:00（测试定时发布用）
    #[arg(long, hide = true)]
    now: Option<String>,
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
    // A broken site.toml is reported by the pipeline; without one, nothing is cached.
    let config = Config::load(&root).ok();
    let now = match (&args.now, &config) {
        (None, _) => jiff::Timestamp::now(),
        (Some(text), config) => {
            let tz = config
                .as_ref()
                .map_or(jiff::tz::TimeZone::UTC, |c| c.tz.clone());
            match crate::content::date::parse_date(text, &tz) {
                Ok(now) => now.timestamp(),
                Err(e) => {
                    eprintln!("错误: --now {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let options = Options {
        drafts: args.drafts,
        future: args.future,
        base_url: args.base_url.clone(),
        ..Options::new(root, now)
    };
    let key = Key {
        drafts: args.drafts,
        future: args.future,
        base_url: args.base_url.clone(),
        root: std::path::absolute(&options.root).unwrap_or_else(|_| options.root.clone()),
        output: std::path::absolute(&out).unwrap_or_else(|_| out.clone()),
    };
    // --fresh: the build without any cache, as if there were none (which leaves it as it is).
    let config = config.filter(|_| !args.fresh);
    let restoring = Instant::now();
    let mut reuse = config.as_ref().map(|config| {
        let moment = Moment {
            config,
            now,
            checking: !args.no_check,
        };
        let reuse = Reuse::of(&options.root, key, &moment, &out);
        (moment, reuse)
    });
    if let Some((_, Reuse::Unchanged(report))) = &reuse {
        return unchanged(args, report, start, &out);
    }
    let mut cache = match &mut reuse {
        Some((_, Reuse::Cache(cache, ..))) => Some(std::mem::take(&mut **cache)),
        _ => None,
    };
    let restored = restoring.elapsed();
    let built = match pipeline::run(&options, cache.as_mut()) {
        Ok(built) => built,
        Err(errors) => return fail(&errors),
    };
    super::report(&built.warnings);
    let checking = Instant::now();
    if args.no_check {
        eprintln!(
            "警告: 已用 --no-check 跳过内容检查，网站可能带着死链、错别字或个人信息发布；请尽快运行 zhen check"
        );
    } else if !super::check::gate(
        &built,
        options.now,
        cache
            .as_mut()
            .map_or(&mut Default::default(), |c| &mut c.scans),
    ) {
        return ExitCode::FAILURE;
    }
    let checked = checking.elapsed();
    let writing = Instant::now();
    let listed = match &reuse {
        Some((_, Reuse::Cache(_, before))) => before.output_files(),
        _ => None,
    };
    let stats = match write_site(&built.outputs, &out, listed.as_deref()) {
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
    let written = writing.elapsed();
    let saving = Instant::now();
    if let (Some((moment, Reuse::Cache(_, mut before))), Some(cache)) = (reuse, &cache) {
        before
            .sources
            .restamp(&options.root, crate::check::permanence::MANIFEST);
        let patched = stats.patched.as_deref();
        if let Err(e) = cache::save(before, &moment, cache, &built, (&out, patched)) {
            eprintln!(
                "警告: 无法保存缓存 {}：{e}（下一次生成会从头完整生成）",
                cache::FILE
            );
        }
    }
    if args.timings {
        let after = [
            ("check", checked),
            ("write", written),
            ("cache", saving.elapsed()),
        ];
        let before = [("restore", restored)];
        for (stage, took) in before.iter().chain(&built.timings).chain(&after) {
            let name = match *stage {
                "restore" => "读取缓存",
                "load" => "读取文章",
                "model" => "整理网址和列表",
                "markdown" => "转换正文",
                "render" => "套用模板",
                "images" => "处理图片",
                "search" => "建立搜索索引",
                "check" => "内容检查",
                "write" => "写入输出目录",
                "cache" => "保存缓存",
                other => other,
            };
            // The English name at the end of the line is what bench/ reads.
            eprintln!(
                "{name:　<7}{:>9.1} ms  {stage}",
                took.as_secs_f64() * 1000.0
            );
        }
        if let Some(cache) = &cache {
            eprintln!(
                "缓存：重新转换 {} 篇正文，重新套用模板的页面 {} 个，重新读取检查的页面 {} 个",
                cache.markdown.renders, cache.render.renders, cache.scans.read
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
    scheduled_note(&built.site.library.scheduled);
    // The process ends here: its memory goes back to the system at once, without freeing
    // the site's millions of allocations one by one (0.x s at 10 000 posts).
    std::mem::forget(built);
    std::mem::forget(cache);
    ExitCode::SUCCESS
}

/// Names the earliest of the posts held back until their time.
fn scheduled_note(scheduled: &[(PathBuf, jiff::ZonedDateTime)]) {
    if let Some((file, due)) = scheduled.iter().min_by_key(|(_, d)| d) {
        eprintln!(
            "另有 {} 篇定时发布的文章还没到发布时间，这次没有生成；最早的一篇 {} 在 {} 发布，到时间后再运行 zhen build（用 --future 可以提前生成）",
            scheduled.len(),
            file.display(),
            due.strftime("%Y-%m-%d %H:%M")
        );
    }
}

/// What the cache of the last build offers this one.
enum Reuse {
    /// Nothing changed: the output folder already holds this build; what it reported.
    Unchanged(cache::Report),
    /// The caches to run the pipeline with, and what saving them after the build needs.
    Cache(Box<Cache>, cache::Before),
}

impl Reuse {
    fn of(root: &Path, key: Key, moment: &Moment<'_>, out: &Path) -> Reuse {
        let empty = || {
            Box::new(Cache {
                prune_images: true,
                ..Cache::default()
            })
        };
        let Some(stored) = cache::load(root, &key) else {
            let sources = cache::inputs::sources(moment.config);
            return Reuse::Cache(empty(), cache::Before::new(key, sources));
        };
        let current = stored.current(moment.config, out);
        if stored.unchanged(&current, moment) {
            return Reuse::Unchanged(stored.report().clone());
        }
        let (cache, before) = stored.into_cache(current, key, out);
        Reuse::Cache(cache.map_or_else(empty, Box::new), before)
    }
}

/// Ends a build that found nothing changed since the last one: says what that one said.
fn unchanged(args: &Args, report: &cache::Report, start: Instant, out: &Path) -> ExitCode {
    super::report(&report.warnings);
    if args.no_check {
        eprintln!(
            "警告: 已用 --no-check 跳过内容检查，网站可能带着死链、错别字或个人信息发布；请尽快运行 zhen check"
        );
    }
    if args.timings {
        let took: Duration = start.elapsed();
        eprintln!(
            "{:　<7}{:>9.1} ms  cache",
            "检查缓存",
            took.as_secs_f64() * 1000.0
        );
    }
    let warnings = if report.warnings.is_empty() {
        String::new()
    } else {
        format!("，{} 条警告", report.warnings.len())
    };
    eprintln!(
        "生成完成：{} 个页面，共 {} 个文件（{} 个未变），用时 {} 毫秒{warnings} → {}",
        report.pages,
        report.files,
        report.files,
        start.elapsed().as_millis(),
        out.display()
    );
    scheduled_note(&report.scheduled);
    ExitCode::SUCCESS
}

fn fail(errors: &[crate::diagnostics::Diagnostic]) -> ExitCode {
    super::report(errors);
    let n = errors.iter().filter(|d| d.is_error()).count();
    eprintln!("生成失败：{n} 个错误。上一次生成的网站没有被改动。");
    ExitCode::FAILURE
}
