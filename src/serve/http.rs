//! The HTTP side of `zhen serve`: pages from the in-memory site (never from disk paths a
//! request names), the live-reload script and event stream, and a status endpoint; only GET
//! and HEAD, only for allowed hosts (see `host.rs`).

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body as HttpBody;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::host::{self, Allowed};
use super::pages;
use super::state::{Event, Shared};
use crate::output::Body;

const RELOAD_JS: &str = include_str!("reload.js");
const RELOAD_TAG: &str = "<script src=\"/__zhen/reload.js\"></script>";

/// The routes of the preview server, answering hosts that `allowed` allows.
pub fn router(shared: Arc<Shared>, allowed: Allowed) -> Router {
    Router::new()
        .route(
            "/__zhen/reload.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    RELOAD_JS,
                )
            }),
        )
        .route("/__zhen/events", get(events))
        .route("/__zhen/status", get(status))
        .fallback(page)
        .with_state(shared)
        .layer(middleware::from_fn(only_get))
        // The outermost layer: every route, the methods refused included, checks the host.
        .layer(middleware::from_fn_with_state(
            Arc::new(allowed),
            host::check,
        ))
}

/// Middleware: the preview only reads; other methods get 405.
async fn only_get(request: Request, next: Next) -> Response {
    let method = request.method();
    if method == Method::GET || method == Method::HEAD {
        return next.run(request).await;
    }
    let text = format!("预览只接受 GET 和 HEAD 请求，不接受 {method}。\n");
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [
            (header::ALLOW, "GET, HEAD"),
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        ],
        text,
    )
        .into_response()
}

async fn status(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let json = serde_json::to_string(&shared.status()).unwrap_or_else(|_| "{}".into());
    ([(header::CONTENT_TYPE, "application/json")], json)
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let stream = BroadcastStream::new(shared.events.subscribe()).filter_map(|e| {
        let event = match e.ok()? {
            Event::Reload => SseEvent::default().event("reload").data("reload"),
            Event::Css => SseEvent::default().event("css").data("css"),
            Event::Error(text) => SseEvent::default().event("build-error").data(text),
        };
        Some(Ok(event))
    });
    // Ends at Ctrl-C: an open stream would keep the server from stopping.
    let mut stopping = shared.stopping.subscribe();
    let stream = futures_util::StreamExt::take_until(stream, async move {
        let _ = stopping.wait_for(|s| *s).await;
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The output file a request path names, or None when the path tries to leave the site
/// (`..`, encoded or not, backslashes, NUL).
pub fn output_key(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// `path` with one slash between segments and none doubled, without `.` segments: the
/// address a redirect may name (`//about` would be another host).
fn normal_path(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let mut normal = format!("/{}", parts.join("/"));
    if !parts.is_empty() && path.ends_with('/') {
        normal.push('/');
    }
    normal
}

/// A permanent redirect to `path`, keeping the query.
fn redirect(path: &str, query: Option<&str>) -> Response {
    let location = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    let location = HeaderValue::from_str(&location).unwrap_or(HeaderValue::from_static("/"));
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location)],
    )
        .into_response()
}

async fn page(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    if !shared.has_site()
        && let Some(error) = shared.status().error
    {
        let html = pages::no_site(&error).into_bytes();
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "index.html",
            &Body::Rendered(html.into()),
            None,
        )
        .await;
    }
    let path = uri.path();
    let Some(key) = output_key(path) else {
        return (StatusCode::FORBIDDEN, "forbidden").into_response();
    };
    let site = shared.served();
    let normal = normal_path(path);
    if let Some(body) = site.get(&key) {
        if normal != path {
            return redirect(&normal, uri.query());
        }
        let mark = site.marks.get(&key).map(|gap| super::watermark::html(gap));
        return respond(StatusCode::OK, &key, body, mark.as_deref()).await;
    }
    // `/about` -> `/about/` when that is a page, as static hosts do.
    if !path.ends_with('/') && site.get(&format!("{key}/index.html")).is_some() {
        return redirect(&format!("{normal}/"), uri.query());
    }
    match site.get("404.html") {
        Some(body) => respond(StatusCode::NOT_FOUND, "404.html", body, None).await,
        None => {
            let html = pages::not_found(path).into_bytes();
            let body = Body::Rendered(html.into());
            respond(StatusCode::NOT_FOUND, "404.html", &body, None).await
        }
    }
}

/// Sends an output; an HTML page gets the live-reload script, and `mark` (the review
/// watermark) when given.
async fn respond(status: StatusCode, key: &str, body: &Body, mark: Option<&str>) -> Response {
    let bytes: Vec<u8> = match body {
        Body::Rendered(b) => b.to_vec(),
        Body::Builtin(b) => b.to_vec(),
        Body::File(path) | Body::Previous { file: path, .. } => match tokio::fs::read(path).await {
            Ok(b) => b,
            Err(_) => return (StatusCode::NOT_FOUND, "404").into_response(),
        },
    };
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let bytes = if is_html { inject(bytes, mark) } else { bytes };
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/xml"
            || mime.essence_str() == "application/javascript" =>
        {
            format!("{}; charset=utf-8", mime.essence_str())
        }
        _ => mime.essence_str().to_string(),
    };
    let mut response = Response::new(HttpBody::from(bytes));
    *response.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Adds `extra` and the live-reload script before `</body>` (or at the end).
fn inject(mut html: Vec<u8>, extra: Option<&str>) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let added = format!("{}{RELOAD_TAG}", extra.unwrap_or_default());
    html.splice(at..at, added.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_output_files() {
        assert_eq!(output_key("/").as_deref(), Some("index.html"));
        assert_eq!(output_key("/theory/").as_deref(), Some("theory/index.html"));
        assert_eq!(
            output_key("/css/style.css").as_deref(),
            Some("css/style.css")
        );
        assert_eq!(output_key("/a/t1_x.html").as_deref(), Some("a/t1_x.html"));
        assert_eq!(
            output_key("/tags/%E5%AD%A6/").as_deref(),
            Some("tags/学/index.html")
        );
    }

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fetc",
            "/a%5c..%5cb",
            "/a%00",
            "/%ff",
        ] {
            assert_eq!(output_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn redirects_name_a_path_of_this_host() {
        assert_eq!(normal_path("//about"), "/about");
        assert_eq!(normal_path("///about//x/"), "/about/x/");
        assert_eq!(normal_path("/./about/./"), "/about/");
        assert_eq!(normal_path("/about/."), "/about");
        assert_eq!(normal_path("//"), "/");
        assert_eq!(normal_path("/"), "/");
        assert_eq!(normal_path("/tags/%E5%AD%A6/"), "/tags/%E5%AD%A6/");
    }

    #[test]
    fn the_script_goes_before_the_end_of_body() {
        let html = inject(b"<html><body><p>x</p></BODY></html>".to_vec(), None);
        assert_eq!(
            String::from_utf8(html).unwrap(),
            format!("<html><body><p>x</p>{RELOAD_TAG}</BODY></html>")
        );
    }
}
