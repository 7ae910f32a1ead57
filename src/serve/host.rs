//! Which `Host:` a request may name, against DNS rebinding (as Vite and webpack-dev-server
//! check it): a page of another site that points its own name at this computer must not read
//! the preview, drafts included. Allowed are `localhost` and `*.localhost`, loopback
//! addresses, the address the server is bound to, the address the request came in on (with
//! `--bind 0.0.0.0`, this computer's addresses on the network) and the names given with
//! `--allow-host` (`.example.org` allows its subdomains too), with any port. Other requests
//! get 403 saying how to allow the name.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::serve::IncomingStream;
use rustc_hash::FxHashSet;
use tokio::net::TcpListener;

/// How many refused names the terminal is told about (each once).
const LOGGED: usize = 20;

/// The host part of a `Host:` header or of an `--allow-host` name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Ip(IpAddr),
    /// Lowercase, without the port and the final dot.
    Name(String),
}

/// Parses `name`, `name:port`, `1.2.3.4:port`, `[::1]:port` (a scheme or a path around it, as
/// in a pasted address, are dropped). None when nothing is left.
pub fn parse(text: &str) -> Option<Host> {
    let text = text.trim();
    let text = text.split_once("://").map_or(text, |(_, rest)| rest);
    let text = text.split('/').next().unwrap_or_default();
    if let Some(rest) = text.strip_prefix('[') {
        let (ip, _) = rest.split_once(']')?;
        return ip
            .parse()
            .ok()
            .map(|ip: IpAddr| Host::Ip(ip.to_canonical()));
    }
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(Host::Ip(ip.to_canonical()));
    }
    let name = match text.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => text,
    };
    let name = name.trim_end_matches('.').to_lowercase();
    if let Ok(ip) = name.parse::<IpAddr>() {
        return Some(Host::Ip(ip.to_canonical()));
    }
    (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(Host::Name(name))
}

/// The local address a connection came in on, kept with each of its requests.
#[derive(Debug, Clone, Copy)]
pub struct LocalAddr(Option<IpAddr>);

impl axum::extract::connect_info::Connected<IncomingStream<'_, TcpListener>> for LocalAddr {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        LocalAddr(stream.io().local_addr().ok().map(|a| a.ip()))
    }
}

/// The allowed hosts of one server.
pub struct Allowed {
    bound: SocketAddr,
    extra: Vec<Host>,
    /// Names refused so far, told about in the terminal once each.
    refused: Mutex<FxHashSet<String>>,
}

impl Allowed {
    /// The loopback names, `bound` and the `--allow-host` names `extra`.
    pub fn new(bound: SocketAddr, extra: &[String]) -> Allowed {
        Allowed {
            bound,
            extra: extra.iter().filter_map(|e| parse(e)).collect(),
            refused: Mutex::default(),
        }
    }

    /// Whether a request naming `host`, come in on `local`, is answered.
    pub fn allows(&self, host: &Host, local: Option<IpAddr>) -> bool {
        match host {
            Host::Ip(ip) => {
                ip.is_loopback()
                    || *ip == self.bound.ip().to_canonical()
                    || local.is_some_and(|l| l.to_canonical() == *ip)
                    || self.extra.contains(host)
            }
            Host::Name(name) => {
                name == "localhost"
                    || name.ends_with(".localhost")
                    || self.extra.iter().any(|e| match e {
                        Host::Name(allowed) => match allowed.strip_prefix('.') {
                            Some(domain) => name == domain || name.ends_with(allowed.as_str()),
                            None => name == allowed,
                        },
                        Host::Ip(_) => false,
                    })
            }
        }
    }

    /// The 403 answer for `shown` (the Host header as sent), said once in the terminal too.
    fn refuse(&self, shown: &str) -> Response {
        let name = match parse(shown) {
            Some(Host::Name(n)) => n,
            Some(Host::Ip(ip)) => ip.to_string(),
            None => String::new(),
        };
        let port = self.bound.port();
        let body = if name.is_empty() {
            format!(
                "zhen serve 拒绝了这个请求：请求里没有主机名（Host）。\n\
                 请在浏览器里打开 http://localhost:{port}/ 预览。\n"
            )
        } else {
            if let Ok(mut refused) = self.refused.lock()
                && refused.len() < LOGGED
                && refused.insert(name.clone())
            {
                eprintln!(
                    "已拒绝用主机名“{name}”访问预览（防止别的网站偷看）。\
                     如果信任这个名称，请用 zhen serve --allow-host {name} 重新启动。"
                );
            }
            format!(
                "zhen serve 拒绝了这个请求：主机名“{name}”不在允许的列表里。\n\
                 这是为了防止别的网站通过 DNS 重绑定偷看你的预览（包括草稿和还没审核的文章）。\n\
                 在本机预览，请打开 http://localhost:{port}/ 或 http://127.0.0.1:{port}/。\n\
                 如果“{name}”是你信任的名称（例如局域网里这台电脑的名字），\
                 请这样重新启动：zhen serve --allow-host {name}\n"
            )
        };
        let mut response = (StatusCode::FORBIDDEN, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        response
    }
}

/// Middleware: answers only requests naming an allowed host.
pub async fn check(State(allowed): State<Arc<Allowed>>, request: Request, next: Next) -> Response {
    let shown = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| request.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let local = request
        .extensions()
        .get::<ConnectInfo<LocalAddr>>()
        .and_then(|c| c.0.0);
    match parse(&shown) {
        Some(host) if allowed.allows(&host, local) => next.run(request).await,
        _ => allowed.refuse(&shown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(bind: &str, extra: &[&str]) -> Allowed {
        let extra: Vec<String> = extra.iter().map(|e| e.to_string()).collect();
        Allowed::new(bind.parse().unwrap(), &extra)
    }

    fn ok(a: &Allowed, host: &str, local: Option<&str>) -> bool {
        let local = local.map(|l| l.parse().unwrap());
        parse(host).is_some_and(|h| a.allows(&h, local))
    }

    #[test]
    fn hosts_parse_with_and_without_ports() {
        assert_eq!(
            parse("LocalHost:1111"),
            Some(Host::Name("localhost".into()))
        );
        assert_eq!(parse("localhost."), Some(Host::Name("localhost".into())));
        assert_eq!(
            parse("127.0.0.1:80"),
            Some(Host::Ip("127.0.0.1".parse().unwrap()))
        );
        assert_eq!(parse("[::1]:1111"), Some(Host::Ip("::1".parse().unwrap())));
        assert_eq!(parse("[::1]"), Some(Host::Ip("::1".parse().unwrap())));
        assert_eq!(parse("::1"), Some(Host::Ip("::1".parse().unwrap())));
        assert_eq!(
            parse("http://pc.lan:8080/about/"),
            Some(Host::Name("pc.lan".into()))
        );
        assert_eq!(parse(""), None);
        assert_eq!(parse(":80"), None);
        assert_eq!(parse("[zz]:80"), None);
    }

    #[test]
    fn loopback_names_and_the_bound_address_are_allowed() {
        let a = allowed("127.0.0.1:1111", &[]);
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:9",
            "zhen.localhost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(ok(&a, host, Some("127.0.0.1")), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "evillocalhost",
            "10.0.0.5:1111",
            "0.0.0.0",
            "",
        ] {
            assert!(!ok(&a, host, Some("127.0.0.1")), "{host}");
        }
    }

    #[test]
    fn a_network_bind_allows_the_address_a_request_came_in_on() {
        let a = allowed("0.0.0.0:1111", &[]);
        assert!(ok(&a, "192.168.1.5:1111", Some("192.168.1.5")));
        assert!(ok(&a, "0.0.0.0:1111", Some("127.0.0.1")));
        assert!(!ok(&a, "192.168.1.6:1111", Some("192.168.1.5")));
        assert!(!ok(&a, "evil.example:1111", Some("192.168.1.5")));
        // An IPv4 request to a dual-stack socket comes in on a mapped address.
        let a = allowed("[::]:1111", &[]);
        assert!(ok(&a, "192.168.1.5", Some("::ffff:192.168.1.5")));
        let a = allowed("192.168.1.5:1111", &[]);
        assert!(ok(&a, "192.168.1.5:1111", None));
    }

    #[test]
    fn allow_host_adds_names_and_domains() {
        let a = allowed(
            "127.0.0.1:1111",
            &[
                "Preview.Town.Lan",
                ".gov.example",
                "10.0.0.7",
                "http://pc:80/",
            ],
        );
        for host in [
            "preview.town.lan:1111",
            "gov.example",
            "news.gov.example:80",
            "10.0.0.7:1111",
            "pc",
        ] {
            assert!(ok(&a, host, None), "{host}");
        }
        for host in ["town.lan", "notgov.example", "10.0.0.8", "pc.lan"] {
            assert!(!ok(&a, host, None), "{host}");
        }
    }
}
