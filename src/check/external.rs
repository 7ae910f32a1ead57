//! C1, external (`zhen check --external`): fetches every link, image and resource of another
//! host that the rendered pages use, with a bounded number of requests in flight, a pause
//! between two requests to one host, a timeout and retries; answers are cached for a day in
//! `.zhen-cache/external-links.json` beside site.toml.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::html::{Target, resolve};
use super::settings::ExternalSettings;
use super::{Audit, Finding, Rule};
use crate::diagnostics::Diagnostic;

/// The cache, relative to the site root.
pub const CACHE_FILE: &str = ".zhen-cache/external-links.json";
/// How long an answer stays good.
const CACHE_SECONDS: i64 = 24 * 60 * 60;

/// What fetching a URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx answer, redirects followed.
    Ok,
    /// An HTTP error status.
    Status(u16),
    /// No answer in time, after every retry.
    Timeout,
    /// No connection, no such host, too many redirects …
    Failed(String),
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// URL -> (checked at, Unix seconds; status, 0 for a 2xx answer).
    entries: BTreeMap<String, (i64, u16)>,
}

/// Fetches URLs politely.
pub struct Fetcher {
    agent: ureq::Agent,
    settings: ExternalSettings,
    cache_path: PathBuf,
}

impl Fetcher {
    /// A fetcher for the site at `root` with its `[check.external]` settings.
    pub fn new(root: &Path, settings: &ExternalSettings) -> Fetcher {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(settings.timeout.max(1))))
            .http_status_as_error(false)
            .max_redirects(10)
            .user_agent(concat!("zhen-check/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Fetcher {
            agent,
            settings: settings.clone(),
            cache_path: root.join(CACHE_FILE),
        }
    }

    /// The outcome for each of `urls`: from the cache when checked within a day, else fetched.
    pub fn fetch_all(&self, urls: &[String]) -> HashMap<String, Outcome> {
        let now = jiff::Timestamp::now().as_second();
        let mut cache: Cache = std::fs::read(&self.cache_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        cache.entries.retain(|_, (at, _)| now - *at < CACHE_SECONDS);
        let mut results = HashMap::new();
        let mut todo: BTreeMap<String, VecDeque<String>> = BTreeMap::new();
        for url in urls {
            match cache.entries.get(url) {
                Some((_, 0)) => {
                    results.insert(url.clone(), Outcome::Ok);
                }
                Some((_, status)) => {
                    results.insert(url.clone(), Outcome::Status(*status));
                }
                None => todo.entry(host(url)).or_default().push_back(url.clone()),
            }
        }
        // Hosts take turns, so that one slow host does not hold up the rest.
        let mut queue = VecDeque::new();
        while !todo.is_empty() {
            todo.retain(|_, urls| {
                queue.extend(urls.pop_front());
                !urls.is_empty()
            });
        }
        let workers = self.settings.concurrency.clamp(1, queue.len().max(1));
        let queue = Mutex::new(queue);
        let turns: Mutex<HashMap<String, Instant>> = Mutex::new(HashMap::new());
        let fetched = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                        let Some(url) = next else { break };
                        let outcome = self.fetch(&url, &turns);
                        if let Ok(mut f) = fetched.lock() {
                            f.push((url, outcome));
                        }
                    }
                });
            }
        });
        for (url, outcome) in fetched.into_inner().unwrap_or_default() {
            match &outcome {
                Outcome::Ok => {
                    cache.entries.insert(url.clone(), (now, 0));
                }
                Outcome::Status(s) => {
                    cache.entries.insert(url.clone(), (now, *s));
                }
                // Not cached: the next run tries again.
                Outcome::Timeout | Outcome::Failed(_) => {}
            }
            results.insert(url, outcome);
        }
        if let Some(dir) = self.cache_path.parent()
            && std::fs::create_dir_all(dir).is_ok()
            && let Ok(json) = serde_json::to_vec_pretty(&cache)
        {
            // A cache that cannot be written only costs time on the next run.
            let _ = std::fs::write(&self.cache_path, json);
        }
        results
    }

    /// Fetches one URL, waiting for its host's turn, retrying what may pass on a second try.
    fn fetch(&self, url: &str, turns: &Mutex<HashMap<String, Instant>>) -> Outcome {
        let interval = Duration::from_millis(self.settings.host_interval_ms);
        let mut attempt = 0;
        loop {
            let wait = turns.lock().map_or(Duration::ZERO, |mut t| {
                let now = Instant::now();
                let at = t
                    .get(&host(url))
                    .copied()
                    .filter(|at| *at > now)
                    .unwrap_or(now);
                t.insert(host(url), at + interval);
                at - now
            });
            std::thread::sleep(wait);
            let outcome = match self.agent.get(url).call() {
                Ok(response) if response.status().as_u16() < 400 => Outcome::Ok,
                Ok(response) => Outcome::Status(response.status().as_u16()),
                Err(ureq::Error::Timeout(_)) => Outcome::Timeout,
                Err(e) => Outcome::Failed(e.to_string()),
            };
            let retry = match &outcome {
                Outcome::Ok => false,
                Outcome::Status(s) => *s >= 500 || *s == 429,
                Outcome::Timeout | Outcome::Failed(_) => true,
            };
            if !retry || attempt >= self.settings.retries {
                return outcome;
            }
            attempt += 1;
            std::thread::sleep(interval * attempt);
        }
    }
}

/// The host of an http(s) URL, lower-cased.
fn host(url: &str) -> String {
    url.split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The finding for a URL that did not answer well; None when it did.
fn diagnose(outcome: &Outcome, url: &str) -> Option<Diagnostic> {
    let fix = "请打开这个链接确认：失效的改成新地址或删去；对方网站拒绝自动检查的话，把它写进 [check.external] skip";
    Some(match outcome {
        Outcome::Ok => return None,
        Outcome::Status(s @ (401 | 403 | 429)) => Diagnostic::warning(format!(
            "外部链接 {url} 拒绝访问（HTTP {s}），无法确认是否有效"
        ))
        .help(fix),
        Outcome::Status(s) => {
            Diagnostic::error(format!("外部链接 {url} 失效（HTTP {s}）")).help(fix)
        }
        Outcome::Timeout => {
            Diagnostic::warning(format!("外部链接 {url} 超时没有响应，无法确认是否有效")).help(fix)
        }
        Outcome::Failed(e) => Diagnostic::error(format!("外部链接 {url} 无法访问：{e}")).help(fix),
    })
}

pub fn check(audit: &Audit<'_>, fetcher: &Fetcher) -> Vec<Finding> {
    let domain = audit.site.config.domain();
    let skip = &fetcher.settings.skip;
    let mut uses: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (di, doc) in audit.docs().iter().enumerate() {
        for (ri, r) in doc.refs.iter().enumerate() {
            if let Target::External(url) = resolve(&r.url, &doc.url, domain)
                && url.to_ascii_lowercase().starts_with("http")
                && !skip.iter().any(|s| url.starts_with(s.as_str()))
            {
                let url = url.split('#').next().unwrap_or(&url).to_string();
                uses.entry(url).or_default().push((di, ri));
            }
        }
    }
    let urls: Vec<String> = uses.keys().cloned().collect();
    let outcomes = fetcher.fetch_all(&urls);
    let mut out = Vec::new();
    for (url, places) in &uses {
        let Some(d) = outcomes.get(url).and_then(|o| diagnose(o, url)) else {
            continue;
        };
        for &(di, ri) in places {
            let doc = &audit.docs()[di];
            let r = &doc.refs[ri];
            let (file, location) = audit.locate(doc, &r.url, r.span.clone());
            let mut d = d.clone().at(location);
            if let Some(file) = file {
                d = d.in_file(file);
            }
            out.push(Finding::new(Rule::C1, d, url.clone()).on_page(&doc.url));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_lower_cased_without_paths() {
        assert_eq!(host("https://WWW.Gov.cn/a?b"), "www.gov.cn");
        assert_eq!(host("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
    }

    #[test]
    fn only_bad_answers_are_findings() {
        assert!(diagnose(&Outcome::Ok, "u").is_none());
        assert!(diagnose(&Outcome::Status(404), "u").unwrap().is_error());
        assert!(!diagnose(&Outcome::Status(403), "u").unwrap().is_error());
        assert!(!diagnose(&Outcome::Timeout, "u").unwrap().is_error());
    }
}
