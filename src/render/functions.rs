//! Template functions that look things up in the site: `get_url`, `get_page`, `get_section`,
//! `get_category`, and `now`. Each lookup is noted, so an output can be rendered again when
//! what it looked up changes. Also registers `qr_svg` (render/qr.rs), which depends on its
//! arguments alone.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::values::{Values, rfc3339};
use crate::site::{Model, Site};

/// What the functions look things up in, shared by every render.
pub struct Lookup {
    pub values: Arc<Values>,
    pub base_url: String,
    /// Links and the indexes of pages and sections by path.
    pub model: Arc<Model>,
    /// Category key -> index.
    pub categories: HashMap<String, usize>,
    pub tz: jiff::tz::TimeZone,
    /// Hashes of answers already given in this build (many outputs make the same lookups).
    answer_hashes: Mutex<HashMap<Call, u64>>,
}

impl Lookup {
    pub fn new(site: &Site, values: Arc<Values>) -> Lookup {
        Lookup {
            values,
            base_url: site.config.base_url.clone(),
            model: site.model.clone(),
            categories: site
                .config
                .categories
                .iter()
                .enumerate()
                .map(|(i, c)| (c.key.clone(), i))
                .collect(),
            tz: site.config.tz.clone(),
            answer_hashes: Mutex::default(),
        }
    }

    /// `@/path.md` -> the page's site path; `/css/x.css` or `css/x.css` -> `/css/x.css`;
    /// with `absolute`, prefixed with the site's base URL.
    fn url(&self, path: &str, absolute: bool) -> Result<String, String> {
        let site_path = match path.strip_prefix("@/") {
            Some(rel) => {
                let (file, anchor) = rel
                    .split_once('#')
                    .map_or((rel, None), |(f, a)| (f, Some(a)));
                let mut p = self
                    .model
                    .links
                    .get(file)
                    .cloned()
                    .ok_or_else(|| format!("get_url：内容文件 @/{file} 不存在"))?;
                if let Some(a) = anchor {
                    p = format!("{p}#{a}");
                }
                p
            }
            None if path.contains("://") => return Ok(path.to_string()),
            None => format!("/{}", path.trim_start_matches('/')),
        };
        Ok(if absolute {
            format!("{}{site_path}", self.base_url)
        } else {
            site_path
        })
    }
}

/// One lookup a template made while rendering: what an output depends on beyond its context.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Call {
    Url(String, bool),
    Page(String),
    Section(String),
    Category(String),
    /// `now()`: a different answer every time.
    Now,
}

thread_local! {
    /// The calls of the render running on this thread, when it is being recorded.
    static CALLS: RefCell<Option<Vec<Call>>> = const { RefCell::new(None) };
}

/// Runs `f` (a render) and returns what it gave with the lookups it made.
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Call>) {
    CALLS.with(|c| *c.borrow_mut() = Some(Vec::new()));
    let out = f();
    let calls = CALLS.with(|c| c.borrow_mut().take()).unwrap_or_default();
    (out, calls)
}

impl Lookup {
    /// Answers `call`, noting it for the render being recorded.
    pub fn resolve(&self, call: Call) -> Result<Value, String> {
        let answer = self.answer(&call);
        CALLS.with(|c| {
            if let Some(calls) = c.borrow_mut().as_mut()
                && !calls.contains(&call)
            {
                calls.push(call);
            }
        });
        answer
    }

    /// The hash of the current answer to `call`, for fingerprints.
    pub fn answer_hash(&self, call: &Call, memo: &super::fingerprint::Memo) -> u64 {
        if let Some(h) = self
            .answer_hashes
            .lock()
            .ok()
            .and_then(|m| m.get(call).copied())
        {
            return h;
        }
        let digest = match self.answer(call) {
            Ok(v) => memo.hash(&v),
            Err(e) => xxhash_rust::xxh3::xxh3_64(e.as_bytes()),
        };
        if let Ok(mut m) = self.answer_hashes.lock() {
            m.insert(call.clone(), digest);
        }
        digest
    }

    /// The current answer to `call`, without noting it.
    pub fn answer(&self, call: &Call) -> Result<Value, String> {
        match call {
            Call::Url(path, absolute) => self.url(path, *absolute).map(Value::from),
            Call::Page(path) => self
                .model
                .page_index
                .get(path.as_str())
                .map(|&i| self.values.pages[i].clone())
                .ok_or_else(|| format!("get_page：找不到 {path}（路径从 content/ 算起）")),
            Call::Section(dir) => self
                .model
                .section_index
                .get(dir.as_str())
                .map(|&i| self.values.sections[i].clone())
                .ok_or_else(|| format!("get_section：找不到栏目 {dir}")),
            Call::Category(key) => self
                .categories
                .get(key.as_str())
                .map(|&i| self.values.categories[i].clone())
                .ok_or_else(|| format!("get_category：site.toml 里没有分类 {key}")),
            Call::Now => Ok(rfc3339(&Timestamp::now().to_zoned_datetime(self.tz.clone())).into()),
        }
    }
}

/// Registers the functions on `tera`.
pub fn register(tera: &mut Tera, lookup: Arc<Lookup>) {
    let l = lookup.clone();
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path = kwargs.must_get::<&str>("path")?;
            let absolute = kwargs.get::<bool>("absolute")?.unwrap_or(false);
            l.resolve(Call::Url(path.to_string(), absolute))
                .map_err(Error::message)
        },
    );
    let l = lookup.clone();
    tera.register_function(
        "get_page",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path = kwargs.must_get::<&str>("path")?;
            l.resolve(Call::Page(path.trim_start_matches("@/").to_string()))
                .map_err(Error::message)
        },
    );
    let l = lookup.clone();
    tera.register_function(
        "get_section",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path = kwargs.must_get::<&str>("path")?;
            let dir = path
                .trim_start_matches("@/")
                .trim_end_matches("_index.md")
                .trim_matches('/');
            l.resolve(Call::Section(dir.to_string()))
                .map_err(Error::message)
        },
    );
    let l = lookup.clone();
    tera.register_function(
        "get_category",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let key = kwargs.must_get::<&str>("key")?;
            l.resolve(Call::Category(key.to_string()))
                .map_err(Error::message)
        },
    );
    tera.register_function("qr_svg", super::qr::qr_svg);
    let l = lookup;
    tera.register_function("now", move |_: Kwargs, _: &State| -> TeraResult<Value> {
        l.resolve(Call::Now).map_err(Error::message)
    });
}
