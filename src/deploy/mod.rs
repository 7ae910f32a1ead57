//! `zhen deploy`: uploads the built site to a target of `[deploy.<name>]` through OpenDAL,
//! sending only what changed (by the manifest on the target), in an order that never leaves a
//! link to a missing file, and deleting only files a previous deploy put there.

pub mod fresh;
pub mod manifest;
pub mod plan;
pub mod remote;
pub mod settings;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::Semaphore;

use crate::diagnostics::Diagnostic;
use manifest::{Entry, Manifest, PENDING};
use plan::Plan;
use remote::{Remote, explain};
use settings::Target;

/// What `zhen deploy` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// The built folder (default `public/`).
    pub dir: PathBuf,
    /// The target's name; None when site.toml has exactly one.
    pub target: Option<String>,
    pub dry_run: bool,
    pub force: bool,
}

/// What a deploy did.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub sent: usize,
    pub bytes: u64,
    pub unchanged: usize,
    pub deleted: usize,
    pub took: Duration,
}

/// Picks the target named `wanted`, or the only one.
pub fn choose(targets: Vec<Target>, wanted: Option<&str>) -> Result<Target, Diagnostic> {
    let names: Vec<String> = targets.iter().map(|t| t.name.clone()).collect();
    let list = names.join("、");
    match wanted {
        Some(w) => targets.into_iter().find(|t| t.name == w).ok_or_else(|| {
            let d = Diagnostic::error(format!("site.toml 里没有上传目标 {w}"));
            match crate::diagnostics::did_you_mean(w, names.iter().map(String::as_str)) {
                Some(s) => d.help(format!("你是不是想写 zhen deploy {s}？可用的目标：{list}")),
                None if names.is_empty() => d.help(NO_TARGET_HELP),
                None => d.help(format!("可用的目标：{list}")),
            }
        }),
        None => match targets.len() {
            0 => Err(Diagnostic::error("site.toml 里还没有上传目标").help(NO_TARGET_HELP)),
            1 => Ok(targets.into_iter().next().expect("one target")),
            _ => Err(
                Diagnostic::error("site.toml 里有多个上传目标，请说上传到哪一个")
                    .help(format!("例如 zhen deploy {}；可用的目标：{list}", names[0])),
            ),
        },
    }
}

const NO_TARGET_HELP: &str = "在 site.toml 里加一组，例如：\n[deploy.oss]\nendpoint = \"https://oss-cn-hangzhou.aliyuncs.com\"\nbucket = \"qingxi-www\"\n密钥用环境变量 ZHEN_DEPLOY_OSS_ACCESS_KEY 和 ZHEN_DEPLOY_OSS_SECRET_KEY 给出（见使用手册“上传”一节）";

/// Runs a deploy (or prints its plan); errors are ready to show.
pub fn run(options: &Options) -> Result<Option<Summary>, Vec<Diagnostic>> {
    let start = Instant::now();
    let target =
        choose(settings::load(&options.root)?, options.target.as_deref()).map_err(|d| vec![d])?;
    if !options.force {
        fresh::gate(&options.root, &options.dir).map_err(|d| vec![d])?;
    }
    let local = manifest::scan(&options.dir).map_err(|e| {
        vec![Diagnostic::error(format!(
            "读不了 {}：{e}",
            options.dir.display()
        ))]
    })?;
    let remote = remote::open(&target, &options.root).map_err(|d| vec![d])?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| vec![Diagnostic::error(format!("无法启动上传：{e}"))])?;
    runtime.block_on(deploy(options, &target, remote, local, start))
}

async fn deploy(
    options: &Options,
    target: &Target,
    remote: Remote,
    local: Manifest,
    start: Instant,
) -> Result<Option<Summary>, Vec<Diagnostic>> {
    let root = &options.root;
    let cached = manifest::read_cache(root, &target.name);
    let before = match remote.read_manifest().await {
        Ok(Some(m)) => m,
        Ok(None) => match cached {
            // The target lost zhen's manifest: send everything again, and the files the cache
            // says zhen put there stay zhen's to delete.
            Some(c) => pending(c),
            None => Manifest::default(),
        },
        Err(e) if options.dry_run => match cached {
            Some(c) => {
                crate::cmd::report(&[explain(target, "读取清单", &e)]);
                eprintln!("按本地缓存的清单列出计划（可能和目标上的实际情况不同）");
                c
            }
            None => return Err(vec![explain(target, "读取清单", &e)]),
        },
        Err(e) => return Err(vec![explain(target, "读取清单", &e)]),
    };
    let plan = Plan::new(&local, &before);
    if options.dry_run {
        print_plan(&plan, target);
        return Ok(None);
    }
    let mut done = Summary {
        unchanged: plan.unchanged.len(),
        ..Summary::default()
    };
    if plan.uploads.is_empty() && plan.deletes.is_empty() {
        save(&remote, root, target, &before).await?;
        done.took = start.elapsed();
        return Ok(Some(done));
    }
    // Claim every file about to be written before writing it: if the deploy dies, the next
    // one knows these are zhen's and sends them again.
    let mut working = before.clone();
    for u in &plan.uploads {
        working.files.insert(
            u.path.clone(),
            Entry {
                size: u.entry.size,
                hash: PENDING.into(),
            },
        );
    }
    save(&remote, root, target, &working).await?;

    let bar = ProgressBar::new(plan.bytes() + plan.deletes.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    for (phase, uploads) in plan.phases() {
        bar.set_message(phase.name());
        let results = send_all(&remote, &options.dir, target, &uploads, &bar).await;
        let mut errors = Vec::new();
        for (u, result) in uploads.iter().zip(results) {
            match result {
                Ok(()) => {
                    working.files.insert(u.path.clone(), u.entry.clone());
                    done.sent += 1;
                    done.bytes += u.entry.size;
                }
                Err(e) => errors.push(e),
            }
        }
        save(&remote, root, target, &working).await?;
        if !errors.is_empty() {
            bar.finish_and_clear();
            errors.truncate(5);
            return Err(errors);
        }
    }
    bar.set_message("删除旧文件");
    for path in &plan.deletes {
        remote
            .delete(path)
            .await
            .map_err(|e| vec![explain(target, &format!("删除 {path} "), &e)])?;
        working.files.remove(path);
        done.deleted += 1;
        bar.inc(1);
    }
    bar.finish_and_clear();
    save(&remote, root, target, &working).await?;
    done.took = start.elapsed();
    Ok(Some(done))
}

/// A manifest whose every file will be sent again.
fn pending(mut m: Manifest) -> Manifest {
    for e in m.files.values_mut() {
        e.hash = PENDING.into();
    }
    m
}

/// Writes the manifest to the target and to the local cache.
async fn save(
    remote: &Remote,
    root: &Path,
    target: &Target,
    m: &Manifest,
) -> Result<(), Vec<Diagnostic>> {
    remote
        .write_manifest(m)
        .await
        .map_err(|e| vec![explain(target, "写入清单", &e)])?;
    if let Err(e) = manifest::write_cache(root, &target.name, m) {
        eprintln!(
            "警告: 无法更新本地缓存 {}：{e}",
            manifest::cache_path(root, &target.name).display()
        );
    }
    Ok(())
}

/// Sends `uploads` with at most `target.concurrency` in flight; the results in their order.
async fn send_all(
    remote: &Remote,
    dir: &Path,
    target: &Target,
    uploads: &[&plan::Upload],
    bar: &ProgressBar,
) -> Vec<Result<(), Diagnostic>> {
    let permits = Arc::new(Semaphore::new(target.concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, u) in uploads.iter().enumerate() {
        let (remote, permits, bar) = (remote.clone(), permits.clone(), bar.clone());
        let (path, file) = (u.path.clone(), dir.join(&u.path));
        let (content_type, cache_control) = (u.content_type(), u.cache_control());
        let hash = u.entry.hash.clone();
        let target = target.clone();
        tasks.spawn(
            async move {
                let _permit = permits.acquire_owned().await.expect("never closed");
                let changed = || {
                    Diagnostic::error(format!("{} 在上传途中被改动或删除了", file.display()))
                        .help("可能同时在运行 zhen build：等它结束后再运行 zhen deploy")
                };
                let bytes = tokio::fs::read(&file).await.map_err(|_| changed())?;
                if manifest::hash(&bytes) != hash {
                    return Err(changed());
                }
                let size = bytes.len() as u64;
                remote
                    .put(&path, bytes, &content_type, cache_control)
                    .await
                    .map_err(|e| explain(&target, &format!("上传 {path} "), &e))?;
                bar.inc(size);
                Ok::<_, Diagnostic>(())
            }
            .map(move |r| (i, r)),
        );
    }
    let mut results: Vec<Option<Result<(), Diagnostic>>> =
        (0..uploads.len()).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((i, r)) => results[i] = Some(r),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Diagnostic::error("上传被中断"))))
        .collect()
}

fn print_plan(plan: &Plan, target: &Target) {
    println!("上传计划（--dry-run，没有改动 {}）：", target.shown());
    for u in &plan.uploads {
        let why = if u.replaces { "已修改" } else { "新文件" };
        println!("上传  {}（{why}，{} 字节）", u.path, u.entry.size);
    }
    for p in &plan.deletes {
        println!("删除  {p}");
    }
    for p in &plan.unchanged {
        println!("不变  {p}");
    }
    println!(
        "共 {} 个文件要上传（{}），{} 个不变，{} 个要删除",
        plan.uploads.len(),
        human_bytes(plan.bytes()),
        plan.unchanged.len(),
        plan.deletes.len()
    );
}

/// `1.5 MB`, `320 KB`, `12 字节`.
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.0} KB", n as f64 / 1024.0),
        n => format!("{n} 字节"),
    }
}
