//! `zhen check`: renders the site in memory, audits it against the portal rules and prints
//! the findings as text or JSON; also the content checks `zhen build` runs before writing.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use jiff::{Timestamp, ZonedDateTime};

use crate::check::report::{self, RunInfo};
use crate::check::{Audit, Finding, Rule, Tally, external, freshness};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::pipeline::{self, Built, Options};

/// How to print the findings.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 网站根目录（包含 site.toml 的目录）
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 警告也算不通过；首页超过 14 天未更新算错误
    #[arg(long)]
    strict: bool,
    /// 同时检查外部链接（需要联网，结果缓存一天）
    #[arg(long)]
    external: bool,
    /// 输出格式：text（给人看）或 json（给程序用）
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// 把“今天”定为这一天，例如 2024-06-30（检查更新频率用）
    #[arg(long)]
    now: Option<String>,
}

/// Exit code when the site could not be loaded.
const NOT_LOADED: u8 = 2;

pub fn run(args: &Args) -> ExitCode {
    let root = match super::site_root(&args.root) {
        Ok(root) => root,
        Err(e) => {
            super::report(&[e]);
            return ExitCode::from(NOT_LOADED);
        }
    };
    // Naive dates are read in the site's time zone; a broken site.toml is reported below.
    let tz = Config::load(&root).map_or(jiff::tz::TimeZone::UTC, |c| c.tz);
    let now = match &args.now {
        None => Timestamp::now().to_zoned_datetime(tz),
        Some(text) => match crate::content::date::parse_date(text, &tz) {
            Ok(now) => now,
            Err(e) => {
                eprintln!("错误: --now {e}");
                return ExitCode::from(NOT_LOADED);
            }
        },
    };
    let mut info = RunInfo {
        root: &root,
        now: now.strftime("%Y-%m-%d").to_string(),
        strict: args.strict,
        external: args.external,
        skipped: None,
    };
    let options = Options {
        // Posts dated after today are looked at (F2) rather than held back.
        future: true,
        // The audit reads pages, not the search index.
        defer_search: true,
        ..Options::new(root.clone(), now.timestamp())
    };
    let built = match pipeline::run(&options, None) {
        Ok(built) => built,
        Err(errors) => {
            let Some(undated) = freshness::undated(&errors) else {
                return not_loaded(&errors, args.format, &info);
            };
            info.skipped = Some(
                "其余规则没有检查：有文章缺少发布日期时网站无法生成。补上日期后再运行 zhen check。"
                    .into(),
            );
            return finish(&undated, args.format, &info);
        }
    };
    let audit = match Audit::prepare(&built, now, args.strict) {
        Ok(audit) => audit,
        Err(errors) => return not_loaded(&errors, args.format, &info),
    };
    let fetcher = args
        .external
        .then(|| external::Fetcher::new(&root, &built.site.config.check.external));
    if fetcher.is_some() && args.format == Format::Text {
        eprintln!("正在检查外部链接……");
    }
    let rules: Vec<Rule> = Rule::all().collect();
    let mut findings = audit.run(&rules, fetcher.as_ref());
    // What reading the site warned about is in the report and its tally too.
    findings.extend(
        built
            .warnings
            .iter()
            .map(|d| Finding::new(Rule::Z1, d.clone(), "")),
    );
    finish(&findings, args.format, &info)
}

/// Prints the report; exit 0 when the site passes, else 1.
fn finish(findings: &[Finding], format: Format, info: &RunInfo<'_>) -> ExitCode {
    match format {
        Format::Text => print!(
            "{}",
            report::text(findings, info, std::io::stdout().is_terminal())
        ),
        Format::Json => println!("{:#}", report::json(findings, info)),
    }
    if Tally::of(findings).passed(info.strict) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn not_loaded(errors: &[Diagnostic], format: Format, info: &RunInfo<'_>) -> ExitCode {
    match format {
        Format::Text => {
            super::report(errors);
            let n = errors.iter().filter(|d| d.is_error()).count();
            eprintln!("无法检查：网站有 {n} 个错误，改正后再运行 zhen check。");
        }
        Format::Json => println!("{:#}", report::json_not_loaded(errors, info)),
    }
    ExitCode::from(NOT_LOADED)
}

/// The checks of `zhen build`: the error-level content rules that need no network. Prints
/// what fails and returns false when the site must not be published. Pages whose bytes are
/// those `scans` holds the scans of are not read again; `scans` then holds this site's.
pub fn gate(built: &Built, now: Timestamp, scans: &mut crate::check::html::Scans) -> bool {
    let now: ZonedDateTime = now.to_zoned_datetime(built.site.config.tz.clone());
    let today = now.strftime("%Y-%m-%d").to_string();
    let errors = match crate::check::refusals(built, now, scans) {
        Ok(errors) => errors,
        Err(errors) => {
            super::report(&errors);
            eprintln!(
                "生成失败：{} 个错误。上一次生成的网站没有被改动。",
                errors.len()
            );
            return false;
        }
    };
    if errors.is_empty() {
        return true;
    }
    let info = RunInfo {
        root: &built.site.config.root,
        now: today,
        strict: false,
        external: false,
        skipped: None,
    };
    let text = report::text(&errors, &info, std::io::stderr().is_terminal());
    // The tally line of the report is replaced by build's own.
    let body = text.trim_end().rsplit_once('\n').map_or("", |(b, _)| b);
    eprintln!("{body}");
    eprintln!(
        "生成失败：内容检查发现 {} 个错误（运行 zhen check 查看全部规则）。上一次生成的网站没有被改动。",
        errors.len()
    );
    false
}
