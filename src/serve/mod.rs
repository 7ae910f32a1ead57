//! `zhen serve`: builds the site into memory, serves it on loopback, watches the sources and
//! rebuilds only what a change touches, reloading open pages.

mod http;
mod indexer;
mod state;
mod watch;
mod watermark;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::pipeline::{Cache, Options};
use indexer::Indexer;
use state::Shared;
use watch::Changes;

/// How to serve.
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// Serves until Ctrl-C. Content and template errors never stop the server.
pub fn run(opts: ServeOptions) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误: 无法启动服务：{e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(opts))
}

async fn serve(opts: ServeOptions) -> ExitCode {
    let listener = match bind(opts.bind, opts.port).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "错误: 无法监听 {}:{} 及之后的端口：{e}",
                opts.bind, opts.port
            );
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::new(opts.bind, opts.port));
    if opts.port != 0 && addr.port() != opts.port {
        eprintln!("端口 {} 已被占用，改用 {}", opts.port, addr.port());
    }
    let shared = Shared::new();
    let options = Options {
        root: opts.root.clone(),
        drafts: opts.drafts,
        // The preview shows scheduled posts, marked as such by the theme.
        future: true,
        base_url: Some(format!("http://{addr}")),
        now: jiff::Timestamp::now(),
        defer_search: true,
    };
    let changes = match watch::watch(&opts.root) {
        Ok(rx) => rx,
        Err(e) => {
            eprintln!("错误: 无法监视文件变化：{e}");
            return ExitCode::FAILURE;
        }
    };
    let indexer = Indexer::start(shared.clone());
    let first = {
        let shared = shared.clone();
        let options = options.clone();
        tokio::task::spawn_blocking(move || {
            let mut cache = Cache::default();
            eprintln!(
                "{}",
                state::rebuild(&shared, &indexer, &options, &mut cache, &Changes::default())
            );
            (cache, options, indexer)
        })
    };
    let Ok((cache, options, indexer)) = first.await else {
        return ExitCode::FAILURE;
    };
    let looping = shared.clone();
    std::thread::spawn(move || rebuild_loop(&looping, &indexer, options, cache, changes));

    let url = format!("http://{addr}/");
    // A terminal gets a clickable link (OSC 8); logs get the plain address.
    let shown = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        format!("\u{1b}]8;;{url}\u{1b}\\{url}\u{1b}]8;;\u{1b}\\")
    } else {
        url.clone()
    };
    eprintln!("预览地址：{shown}  （按 Ctrl-C 停止）");
    if opts.open && open::that_detached(&url).is_err() {
        eprintln!("无法自动打开浏览器，请手动访问 {url}");
    }
    let app = http::router(shared);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("\n已停止预览。");
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误: 预览服务出错：{e}");
            ExitCode::FAILURE
        }
    }
}

/// The first free port from `port` on (a few tries).
async fn bind(ip: IpAddr, port: u16) -> std::io::Result<tokio::net::TcpListener> {
    let mut last = None;
    for p in port..port.saturating_add(20) {
        match tokio::net::TcpListener::bind((ip, p)).await {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no port")))
}

fn rebuild_loop(
    shared: &Arc<Shared>,
    indexer: &Indexer,
    options: Options,
    mut cache: Cache,
    changes: std::sync::mpsc::Receiver<Changes>,
) {
    while let Ok(mut batch) = changes.recv() {
        // Changes that arrived while the last rebuild ran are taken together.
        while let Ok(more) = changes.try_recv() {
            for p in more.paths {
                if !batch.paths.contains(&p) {
                    batch.paths.push(p);
                }
            }
        }
        let time = jiff::ZonedDateTime::now();
        eprintln!(
            "[{}] {}",
            time.strftime("%H:%M:%S"),
            state::rebuild(shared, indexer, &options, &mut cache, &batch)
        );
    }
}
