//! Template functions that look things up in the site: `get_url`, `get_page`, `get_section`,
//! `get_category`, and `now`.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::values::{Values, rfc3339};
use crate::site::Site;

/// What the functions look things up in, shared by every render.
pub struct Lookup {
    pub values: Arc<Values>,
    pub base_url: String,
    /// Content path -> site path.
    pub links: HashMap<String, String>,
    /// Content path -> page index.
    pub pages: HashMap<String, usize>,
    /// Section folder -> section index.
    pub sections: HashMap<String, usize>,
    /// Category key -> index.
    pub categories: HashMap<String, usize>,
    pub tz: jiff::tz::TimeZone,
}

impl Lookup {
    pub fn new(site: &Site, values: Arc<Values>) -> Lookup {
        Lookup {
            values,
            base_url: site.config.base_url.clone(),
            links: site.links.clone(),
            pages: site
                .library
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.rel.clone(), i))
                .collect(),
            sections: site
                .library
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| (s.dir.clone(), i))
                .collect(),
            categories: site
                .config
                .categories
                .iter()
                .enumerate()
                .map(|(i, c)| (c.key.clone(), i))
                .collect(),
            tz: site.config.tz.clone(),
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

/// Registers the functions on `tera`.
pub fn register(tera: &mut Tera, lookup: Arc<Lookup>) {
    let l = lookup.clone();
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            let absolute = kwargs.get::<bool>("absolute")?.unwrap_or(false);
            l.url(path, absolute).map_err(Error::message)
        },
    );
    let l = lookup.clone();
    tera.register_function(
        "get_page",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path = kwargs.must_get::<&str>("path")?;
            let path = path.trim_start_matches("@/");
            l.pages
                .get(path)
                .map(|&i| l.values.pages[i].clone())
                .ok_or_else(|| {
                    Error::message(format!("get_page：找不到 {path}（路径从 content/ 算起）"))
                })
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
            l.sections
                .get(dir)
                .map(|&i| l.values.sections[i].clone())
                .ok_or_else(|| Error::message(format!("get_section：找不到栏目 {path}")))
        },
    );
    let l = lookup.clone();
    tera.register_function(
        "get_category",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let key = kwargs.must_get::<&str>("key")?;
            l.categories
                .get(key)
                .map(|&i| l.values.categories[i].clone())
                .ok_or_else(|| Error::message(format!("get_category：site.toml 里没有分类 {key}")))
        },
    );
    let l = lookup;
    tera.register_function("now", move |_: Kwargs, _: &State| -> TeraResult<String> {
        Ok(rfc3339(&Timestamp::now().to_zoned_datetime(l.tz.clone())))
    });
}
