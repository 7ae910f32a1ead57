//! `zhen serve`: builds the site into memory, serves it on loopback, watches the sources and
//! rebuilds only what a change touches, reloading open pages.

mod host;
mod http;
mod indexer;
mod pages;
mod panic;
mod photos;
mod state;
mod stop;
mod watch;
mod watermark;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::pipeline::{Cache, Options};
use indexer::Indexer;
use state::{Background, Shared};
use watch::Changes;

/// How to serve.
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
    /// Host names the preview answers besides the loopback ones (`--allow-host`).
    pub allow_hosts: Vec<String>,
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
    let code = runtime.block_on(serve(opts));
    // Answers still being sent at Ctrl-C are not waited for.
    runtime.shutdown_background();
    code
}

async fn serve(opts: ServeOptions) -> ExitCode {
    // Listened to before anything else, so that Ctrl-C always stops the server cleanly.
    let interrupts = match stop::Interrupts::listen() {
        Ok(i) => i,
        Err(e) => {
            eprintln!("错误: 无法接收 Ctrl-C：{e}");
            return ExitCode::FAILURE;
        }
    };
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
    // Listening on every address: this computer opens it on loopback.
    let local = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    };
    let shared = Shared::new();
    // From here on, also during the first build.
    tokio::spawn(stop::on_interrupt(interrupts, shared.stopping.clone()));
    let options = Options {
        drafts: opts.drafts,
        // The preview shows scheduled posts, marked as such by the theme.
        future: true,
        base_url: Some(format!("http://{local}")),
        defer_search: true,
        defer_images: true,
        ..Options::new(opts.root.clone(), jiff::Timestamp::now())
    };
    let (rebuilds, changes) = std::sync::mpsc::channel();
    let photos = photos::Photos::start(
        opts.root.clone(),
        crate::images::cache_dir(&opts.root),
        rebuilds.clone(),
    );
    match watch::watch(&opts.root, rebuilds) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("错误: 无法监视文件变化：{e}");
            return ExitCode::FAILURE;
        }
    };
    let background = Background {
        indexer: Indexer::start(shared.clone()),
        photos,
    };
    let first = {
        let shared = shared.clone();
        let options = options.clone();
        tokio::task::spawn_blocking(move || {
            let mut cache = Cache::default();
            eprintln!(
                "{}",
                state::rebuild_safely(
                    &shared,
                    &background,
                    &options,
                    &mut cache,
                    &Changes::default()
                )
            );
            (cache, options, background)
        })
    };
    let Ok((cache, options, background)) = first.await else {
        return ExitCode::FAILURE;
    };
    let looping = shared.clone();
    std::thread::spawn(move || rebuild_loop(&looping, &background, options, cache, changes));

    let url = format!("http://{local}/");
    // A terminal gets a clickable link (OSC 8); logs get the plain address.
    let shown = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        format!("\u{1b}]8;;{url}\u{1b}\\{url}\u{1b}]8;;\u{1b}\\")
    } else {
        url.clone()
    };
    eprintln!("预览地址：{shown}  （按 Ctrl-C 停止）");
    if !addr.ip().is_loopback() {
        eprintln!(
            "警告: 正在监听 {addr}，同一网络里的任何人都能打开这个预览，包括草稿和还没审核的文章。\
             其他设备请用这台电脑在网络里的地址访问（端口 {}）。只在本机预览时请去掉 --bind（默认 127.0.0.1）。",
            addr.port()
        );
    }
    if opts.open && open::that_detached(&url).is_err() {
        eprintln!("无法自动打开浏览器，请手动访问 {url}");
    }
    let mut stopped = shared.stopping.subscribe();
    let app = http::router(shared, host::Allowed::new(addr, &opts.allow_hosts));
    let shutdown = async move {
        let _ = stopped.wait_for(|s| *s).await;
    };
    match axum::serve(
        listener,
        app.into_make_service_with_connect_info::<host::LocalAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    {
        Ok(()) => {
            eprintln!("已停止预览。");
            ExitCode::SUCCESS
        }
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
    background: &Background,
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
            state::rebuild_safely(shared, background, &options, &mut cache, &batch)
        );
    }
}
