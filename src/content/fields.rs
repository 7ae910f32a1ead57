//! Reads front matter fields from a parsed value tolerantly, the way content from Hexo, Hugo,
//! Zola and Jekyll writes them: each zhen field under its own name or another tool's
//! (`lastmod`, `excerpt`, `[taxonomies]`, `permalink` …), a one-element list where text is
//! meant, a number where a tag is meant. What had to be reinterpreted is one warning per field;
//! keys only a theme of another tool uses are accepted quietly; other keys are warned about.

use serde_json::{Map, Value};

/// Keys other tools' themes use that mean nothing to zhen and are skipped without a word.
pub const QUIET_KEYS: &[&str] = &[
    "toc",
    "id",
    "layout",
    "comments",
    "series",
    "mathjax",
    "math",
    "katex",
    "copyright",
    "hide",
    "hidden",
    "keywords",
    "lang",
    "language",
    "type",
    "sidebar",
    "toc_number",
    "abbrlink",
    "subtitle",
    "linkTitle",
    "menu",
    "translationKey",
    "isCJKLanguage",
    "showToc",
    "TocOpen",
    "outputs",
    "headless",
    "markup",
    "expiryDate",
    "reward",
    "share",
    "original",
    "photos",
    "top_img",
    "featured",
    "mermaid",
    "nav_order",
    "parent",
    "has_children",
];

/// The keys that name a page's cover image, zhen's own first, then other tools' names.
pub const COVER_KEYS: &[&str] = &[
    "cover",
    "image",
    "images",
    "thumbnail",
    "banner",
    "featured_image",
    "cover_image",
];

/// A field that needed reinterpreting: the key as written and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub key: String,
    pub message: String,
}

/// The top-level map of a front matter, taken apart field by field.
pub struct Fields {
    map: Map<String, Value>,
    pub notes: Vec<Note>,
}

impl Fields {
    pub fn new(map: Map<String, Value>) -> Self {
        Fields {
            map,
            notes: Vec::new(),
        }
    }

    /// Removes and returns the value of the first of `keys` present (Zola's
    /// `[taxonomies]` entries are looked up as `taxonomies.<name>`).
    fn take(&mut self, keys: &[&str]) -> Option<(String, Value)> {
        for key in keys {
            if let Some((table, name)) = key.split_once('.') {
                let inner = self.map.get_mut(table).and_then(Value::as_object_mut);
                if let Some(v) = inner.and_then(|t| t.remove(name)) {
                    if self.map[table].as_object().is_some_and(Map::is_empty) {
                        self.map.remove(table);
                    }
                    return Some((table.to_string(), v));
                }
            } else if let Some(v) = self.map.remove(*key) {
                return Some((key.to_string(), v));
            }
        }
        None
    }

    fn note(&mut self, key: &str, message: String) {
        if !self.notes.iter().any(|n| n.key == key) {
            self.notes.push(Note {
                key: key.to_string(),
                message,
            });
        }
    }

    /// A text field. A number or truth value is written out, a list's items are joined with
    /// `、` (one item quietly), an empty value is none.
    pub fn text(&mut self, keys: &[&str]) -> Option<String> {
        let (key, value) = self.take(keys)?;
        match value {
            Value::String(s) => Some(s),
            Value::Null => None,
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().filter_map(scalar).collect();
                if parts.len() > 1 {
                    self.note(
                        &key,
                        format!("`{key}` 应该是一段文字，这里是一个列表，已用“、”连起来"),
                    );
                }
                (!parts.is_empty()).then(|| parts.join("、"))
            }
            // A theme's `cover = { image = "…" }`.
            Value::Object(o) => {
                let inner = ["image", "src", "url"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(scalar));
                if inner.is_none() {
                    self.note(
                        &key,
                        format!("`{key}` 应该是一段文字，这里是一个表，已忽略"),
                    );
                }
                inner
            }
            other => {
                let s = scalar(&other);
                self.note(&key, format!("`{key}` 写成了数字或真假值，已当作文字"));
                s
            }
        }
    }

    /// One text: a list gives its first item (Hugo's `images`).
    pub fn first(&mut self, keys: &[&str]) -> Option<String> {
        let (key, value) = self.take(keys)?;
        let value = match value {
            Value::Array(items) => items.into_iter().next()?,
            v => v,
        };
        self.map.insert(key.clone(), value);
        self.text(&[&key])
    }

    /// A list of texts: one text is a list of one; numbers become text.
    pub fn list(&mut self, keys: &[&str]) -> Vec<String> {
        let Some((key, value)) = self.take(keys) else {
            return Vec::new();
        };
        let items = match value {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            other => vec![other],
        };
        let mut out = Vec::new();
        for item in &items {
            match item {
                Value::String(s) => out.push(s.clone()),
                // Hexo's category hierarchy `[[新闻, 乡村旅游]]`.
                Value::Array(inner) => out.extend(inner.iter().filter_map(scalar)),
                other => match scalar(other) {
                    Some(s) => {
                        self.note(&key, format!("`{key}` 里的 {s} 不是文字，已当作文字“{s}”"));
                        out.push(s);
                    }
                    None => self.note(&key, format!("`{key}` 里有无法识别的值，已忽略")),
                },
            }
        }
        out.retain(|s| !s.trim().is_empty());
        out
    }

    /// A truth value: `true`/`false`, also written as text or as 0/1.
    pub fn flag(&mut self, keys: &[&str]) -> Option<bool> {
        let (key, value) = self.take(keys)?;
        let flag = match &value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => Some(n.as_f64().is_some_and(|x| x != 0.0)),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" | "是" => Some(true),
                "false" | "no" | "off" | "0" | "否" | "" => Some(false),
                _ => None,
            },
            _ => None,
        };
        if flag.is_none() || value.is_string() {
            self.note(&key, format!("`{key}` 应该写 true 或 false"));
        }
        flag
    }

    /// A whole number, also written as text.
    pub fn int(&mut self, keys: &[&str]) -> Option<i64> {
        let (key, value) = self.take(keys)?;
        let n = match &value {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        };
        if n.is_none() || !value.is_number() {
            self.note(&key, format!("`{key}` 应该是一个整数"));
        }
        n
    }

    /// A table, kept as it is (`[extra]`).
    pub fn table(&mut self, key: &str) -> Value {
        self.take(&[key]).map_or(Value::Null, |(_, v)| v)
    }

    /// The keys nobody took, other than the quiet ones.
    pub fn unknown(&self) -> Vec<&str> {
        self.map
            .keys()
            .map(String::as_str)
            .filter(|k| !QUIET_KEYS.contains(k))
            .collect()
    }
}

/// A scalar as text.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A TOML value as the same tree of JSON values; dates and times become their text.
pub fn from_toml(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(json: &str) -> Fields {
        Fields::new(serde_json::from_str(json).unwrap())
    }

    #[test]
    fn lists_and_numbers_are_read_as_meant_with_one_note_per_field() {
        let mut f = fields(r#"{"author": ["刘奇"], "authors2": 1, "tags": [2024, "乡村", 5]}"#);
        assert_eq!(f.text(&["author"]).as_deref(), Some("刘奇"));
        assert_eq!(f.list(&["tags"]), ["2024", "乡村", "5"]);
        assert_eq!(f.notes.len(), 1, "{:?}", f.notes);
        assert_eq!(f.notes[0].key, "tags");
        assert_eq!(f.unknown(), ["authors2"]);
    }

    #[test]
    fn other_tools_names_and_tables_are_found() {
        let mut f = fields(
            r#"{"taxonomies": {"tags": ["a"], "categories": ["乡村旅游"]}, "excerpt": "摘要", "toc": true, "cover": {"image": "c.jpg"}}"#,
        );
        assert_eq!(f.list(&["tags", "taxonomies.tags"]), ["a"]);
        assert_eq!(
            f.list(&["categories", "taxonomies.categories"]),
            ["乡村旅游"]
        );
        assert_eq!(f.text(&["summary", "excerpt"]).as_deref(), Some("摘要"));
        assert_eq!(f.text(&["cover"]).as_deref(), Some("c.jpg"));
        assert!(f.unknown().is_empty(), "{:?}", f.unknown());
        assert!(f.notes.is_empty());
    }

    #[test]
    fn flags_and_numbers_take_their_usual_spellings() {
        let mut f = fields(r#"{"draft": "true", "sticky": 100, "weight": "3", "pinned": true}"#);
        assert_eq!(f.flag(&["draft"]), Some(true));
        assert_eq!(f.flag(&["pinned"]), Some(true));
        assert_eq!(f.flag(&["sticky"]), Some(true));
        assert_eq!(f.int(&["weight"]), Some(3));
        assert_eq!(f.notes.len(), 2, "{:?}", f.notes);
    }
}
