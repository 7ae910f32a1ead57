//! site.toml -> a validated [`Config`], with defaults for everything but the title.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Location, did_you_mean};

/// What kind of site this is: the portal rules for government sites are stricter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteKind {
    Gov,
    #[default]
    Publicity,
}

/// One of the site's content categories (理论武装, 精神文明 ...).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub key: String,
    /// Chinese name shown to readers.
    pub name: String,
    /// URL segment; defaults to the key.
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub description: String,
    /// Position in navigation; defaults to the order in site.toml.
    #[serde(default)]
    pub order: i64,
    /// How often the category must get a new post, e.g. "14d" or "6 months".
    #[serde(default)]
    pub update_every: Option<String>,
    /// The government page tag `ColumnType` (栏目类型) of its list pages.
    #[serde(default = "default_column_type")]
    pub column_type: String,
}

fn default_column_type() -> String {
    "信息发布".into()
}

/// Footer details a portal must show (主办单位, ICP 备案 ...).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    #[serde(default)]
    pub organizer: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub icp: String,
    #[serde(default)]
    pub police_filing: String,
    #[serde(default)]
    pub police_filing_code: String,
    #[serde(default)]
    pub site_id: String,
    /// The site's logo (a PNG or JPG, relative to the site's folder): favicon and the share
    /// image of pages without a cover. Empty: the theme's emblem.
    #[serde(default)]
    pub logo: String,
}

/// Markdown rendering options.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// A syntect theme name used for the highlighting stylesheet.
    pub highlight_theme: String,
    /// Open external links in a new tab (with rel="noopener").
    pub external_links_target_blank: bool,
    /// Add rel="nofollow" to external links.
    pub external_links_nofollow: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_theme: "InspiredGitHub".into(),
            external_links_target_blank: true,
            external_links_nofollow: false,
        }
    }
}

/// Site search (`[search]`): the index, the /search/ page and the search box.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Whether the site has search at all.
    pub enabled: bool,
    /// Content folders (sections such as `about`) whose pages stay out of the index.
    pub exclude: Vec<String>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            exclude: Vec::new(),
        }
    }
}

impl SearchConfig {
    /// Whether the content folder `dir` (relative to content/, `/` separators) is left out.
    pub fn excludes(&self, dir: &str) -> bool {
        self.exclude.iter().any(|e| {
            let e = e.trim_matches('/');
            dir == e
                || dir
                    .strip_prefix(e)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_base_url")]
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    kind: SiteKind,
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    #[serde(default = "default_permalink")]
    permalink: String,
    #[serde(default = "default_reading_speed")]
    reading_speed: usize,
    #[serde(default = "default_summary_length")]
    summary_length: usize,
    #[serde(default)]
    default_source: String,
    #[serde(default)]
    slug_overrides: BTreeMap<String, String>,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    #[serde(default = "default_true")]
    feed_full_content: bool,
    #[serde(default)]
    categories: Vec<Category>,
    #[serde(default)]
    identity: Identity,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    images: crate::images::Settings,
    #[serde(default)]
    check: crate::check::Settings,
    /// `[deploy.<name>]`: read by `deploy::settings`; checked here too, so that a build already
    /// refuses a secret written into site.toml.
    #[serde(default)]
    deploy: toml::Table,
    #[serde(default)]
    extra: BTreeMap<String, toml::Value>,
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "zh-CN".into()
}
fn default_timezone() -> String {
    "Asia/Shanghai".into()
}
fn default_theme() -> String {
    "township".into()
}
fn default_paginate_by() -> usize {
    10
}
fn default_permalink() -> String {
    "/{category}/{year}/{month}/{slug}/".into()
}
fn default_reading_speed() -> usize {
    300
}
fn default_summary_length() -> usize {
    120
}
fn default_feed_limit() -> usize {
    20
}
fn default_true() -> bool {
    true
}

/// The validated site configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute site URL without a trailing slash ("" for a site served from the root).
    pub base_url: String,
    pub language: String,
    pub timezone: String,
    #[serde(skip)]
    pub tz: TimeZone,
    pub theme: String,
    pub kind: SiteKind,
    pub paginate_by: usize,
    pub permalink: String,
    pub reading_speed: usize,
    pub summary_length: usize,
    pub default_source: String,
    /// Readings for place names that pinyin gets wrong: `长乐 = "chang-le"`.
    pub slug_overrides: BTreeMap<String, String>,
    /// How many posts each feed carries, newest first.
    pub feed_limit: usize,
    /// Whether feeds carry whole posts (else their summaries).
    pub feed_full_content: bool,
    /// Sorted by `order`.
    pub categories: Vec<Category>,
    pub identity: Identity,
    pub markdown: MarkdownConfig,
    pub search: SearchConfig,
    /// `[images]`: variant widths, quality, metadata.
    pub images: crate::images::Settings,
    /// `[check]`: what `zhen check` and the checks of `zhen build` allow.
    #[serde(skip)]
    pub check: crate::check::Settings,
    pub extra: BTreeMap<String, toml::Value>,
    /// The folder holding site.toml.
    #[serde(skip)]
    pub root: PathBuf,
    /// A hash of the text of site.toml, to tell an unchanged configuration cheaply.
    #[serde(skip)]
    pub text_hash: u64,
}

const PERMALINK_PLACEHOLDERS: &[&str] = &["category", "year", "month", "day", "slug"];

impl Config {
    /// Whether `other` was read from the same site.toml text, for the same site and URL.
    pub fn same_as(&self, other: &Config) -> bool {
        self.text_hash == other.text_hash
            && self.base_url == other.base_url
            && self.root == other.root
    }

    /// Reads and validates `root/site.toml`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("site.toml");
        let text = crate::content::read_utf8(&path).map_err(|d| vec![d])?;
        Self::parse(&text, &path, root)
    }

    /// Parses site.toml text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path, root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_error(&e, text, path)])?;
        let mut errors = Vec::new();
        let at = |needle: &str| find_location(text, needle);

        let tz = match TimeZone::get(&raw.timezone) {
            Ok(tz) => tz,
            Err(_) => {
                errors.push(
                    Diagnostic::error(format!("未知的时区 \"{}\"", raw.timezone))
                        .in_file(path)
                        .help("请写 IANA 时区名，例如 timezone = \"Asia/Shanghai\"")
                        .at_opt(at(&raw.timezone)),
                );
                TimeZone::UTC
            }
        };
        if raw.paginate_by == 0 {
            errors.push(
                Diagnostic::error("paginate_by 必须大于 0")
                    .in_file(path)
                    .at_opt(at("paginate_by"))
                    .help("例如 paginate_by = 10"),
            );
        }
        if raw.reading_speed == 0 {
            errors.push(
                Diagnostic::error("reading_speed 必须大于 0")
                    .in_file(path)
                    .at_opt(at("reading_speed"))
                    .help("默认每分钟 300 字：reading_speed = 300"),
            );
        }
        errors.extend(check_permalink(&raw.permalink, path, text));
        if !raw.deploy.is_empty()
            && let Err(e) = crate::deploy::settings::parse(text, path, root)
        {
            errors.extend(e);
        }
        if let Err(why) = check_base_url(&raw.base_url) {
            errors.push(
                Diagnostic::error(format!(
                    "base_url \"{}\" 不是有效的网址：{why}",
                    raw.base_url.escape_debug()
                ))
                .in_file(path)
                .at_opt(top_level_key(text, "base_url"))
                .help(BASE_URL_HELP),
            );
        }
        let themes = available_themes(root);
        if !themes.contains(&raw.theme) {
            let d = Diagnostic::error(format!("找不到主题 \"{}\"", raw.theme.escape_debug()))
                .in_file(path)
                .at_opt(top_level_key(text, "theme"));
            let list = themes.join("、");
            errors.push(
                match did_you_mean(&raw.theme, themes.iter().map(String::as_str)) {
                    Some(s) => d.help(format!("你是不是想写 theme = \"{s}\"？可用的主题：{list}")),
                    None => d.help(format!(
                        "可用的主题：{list}（内置的是 {}；自己的主题放在 themes/<名字>/ 文件夹里）",
                        crate::render::theme::BUILTIN_NAME
                    )),
                },
            );
        }

        let mut categories = raw.categories;
        let mut seen = BTreeMap::new();
        for (i, cat) in categories.iter_mut().enumerate() {
            if cat.slug.is_empty() {
                cat.slug = cat.key.clone();
            }
            if cat.order == 0 {
                cat.order = i as i64 + 1;
            }
            let valid = |s: &str| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            if !valid(&cat.key) || !valid(&cat.slug) {
                errors.push(
                    Diagnostic::error(format!(
                        "分类的 key 和 slug 只能用小写字母、数字和连字符：\"{}\"",
                        cat.key
                    ))
                    .in_file(path)
                    .at_opt(at(&format!("\"{}\"", cat.key)))
                    .help("例如 key = \"tourism\"，中文名写在 name 里"),
                );
            }
            if seen.insert(cat.key.clone(), i).is_some() {
                errors.push(
                    Diagnostic::error(format!("分类 \"{}\" 重复定义", cat.key))
                        .in_file(path)
                        .help("每个分类的 key 只能出现一次"),
                );
            }
            if let Some(every) = &cat.update_every
                && every.parse::<jiff::Span>().is_err()
            {
                errors.push(
                    Diagnostic::error(format!("update_every 的值 \"{every}\" 无法识别"))
                        .in_file(path)
                        .at_opt(at(every))
                        .help("写成天数或月数，例如 \"14d\"、\"6 months\""),
                );
            }
        }
        categories.sort_by_key(|c| c.order);

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            title: raw.title,
            description: raw.description,
            base_url: raw.base_url.trim_end_matches('/').to_string(),
            language: raw.language,
            timezone: raw.timezone,
            tz,
            theme: raw.theme,
            kind: raw.kind,
            paginate_by: raw.paginate_by,
            permalink: raw.permalink,
            reading_speed: raw.reading_speed,
            summary_length: raw.summary_length,
            default_source: raw.default_source,
            slug_overrides: raw.slug_overrides,
            feed_limit: raw.feed_limit,
            feed_full_content: raw.feed_full_content,
            categories,
            identity: raw.identity,
            markdown: raw.markdown,
            search: raw.search,
            images: raw.images,
            check: raw.check,
            text_hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            extra: raw.extra,
            root: root.to_path_buf(),
        })
    }

    /// The site's content/ folder.
    /// The category a post names: by key, Chinese name or URL slug, ignoring case and spaces
    /// (`tourism`, `乡村旅游`, `Tourism`).
    pub fn category_index(&self, given: &str) -> Option<usize> {
        let given = given.trim();
        let same = |a: &str| a.trim().eq_ignore_ascii_case(given);
        self.categories
            .iter()
            .position(|c| c.key == given)
            .or_else(|| {
                self.categories
                    .iter()
                    .position(|c| same(&c.key) || same(&c.name) || same(&c.slug))
            })
    }

    /// The configured categories as a publicist picks one: `理论武装（theory）、乡村旅游（tourism）`.
    pub fn category_choices(&self) -> String {
        let names: Vec<String> = self
            .categories
            .iter()
            .map(|c| format!("{}（{}）", c.name, c.key))
            .collect();
        names.join("、")
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// The host of `base_url` (`www.qingxi.gov.cn`), for the `SiteDomain` page tag.
    pub fn domain(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        rest.split('/').next().unwrap_or("")
    }

    /// The absolute URL of a site path ("/a/b/" -> "https://site/a/b/").
    pub fn absolute(&self, path: &str) -> String {
        if path.starts_with('/') || path.is_empty() {
            format!("{}{}", self.base_url, path)
        } else {
            format!("{}/{}", self.base_url, path)
        }
    }
}

impl Diagnostic {
    /// Attaches a location when one was found.
    pub fn at_opt(self, location: Option<Location>) -> Self {
        match location {
            Some(l) => self.at(l),
            None => self,
        }
    }
}

/// What to write instead of a bad `base_url`.
pub const BASE_URL_HELP: &str =
    "写网站的完整地址，以 https:// 或 http:// 开头，例如 base_url = \"https://www.qingxi.gov.cn\"";

/// Why `url` cannot be the site's address, if it cannot: it is put before every site path in
/// canonical links, feeds and sitemap.xml, so it must be an absolute http(s) URL (or empty or
/// `/` for a site without one) with nothing a URL or XML cannot hold.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if let Some(c) = url.chars().find(|c| c.is_control()) {
        return Err(format!("含有控制字符 U+{:04X}", c as u32));
    }
    if url.chars().any(char::is_whitespace) {
        return Err("含有空格".into());
    }
    if let Some(c) = url.chars().find(|c| "\"'<>`{}|\\^".contains(*c)) {
        return Err(format!("含有网址里不能出现的字符 {c}"));
    }
    if url.contains(['?', '#']) {
        return Err("不能带 ? 或 # 后面的部分".into());
    }
    if url.is_empty() || url == "/" {
        return Ok(());
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("缺少 https:// 或 http:// 开头".into());
    };
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return Err(format!("应以 https:// 或 http:// 开头，而不是 {scheme}://"));
    }
    let host = rest.split('/').next().unwrap_or("");
    let (name, port) = host.rsplit_once(':').unwrap_or((host, ""));
    if name.is_empty()
        || name.starts_with(['.', '-'])
        || name.ends_with('-')
        || name.contains("..")
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return Err(format!("域名 \"{name}\" 不对"));
    }
    if host.contains(':') && (port.is_empty() || port.parse::<u16>().is_err()) {
        return Err(format!("端口 \"{port}\" 不对"));
    }
    Ok(())
}

/// The themes a site can name: the built-in one and the folders in `root/themes/`.
fn available_themes(root: &Path) -> Vec<String> {
    let mut themes = vec![crate::render::theme::BUILTIN_NAME.to_string()];
    if let Ok(dir) = std::fs::read_dir(root.join("themes")) {
        let mut own: Vec<String> = dir
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.') && !themes.contains(n))
            .collect();
        own.sort();
        themes.extend(own);
    }
    themes
}

/// The location of top-level key `key` (before any `[table]`) in site.toml `text`.
fn top_level_key(text: &str, key: &str) -> Option<Location> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start_matches(['\u{feff}', ' ', '\t']);
        if t.starts_with('[') {
            return None;
        }
        let name = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        if t.contains('=') && name == key {
            let len = line.trim_end().len();
            return Some(Location::in_source(text, offset..offset + len));
        }
        offset += line.len();
    }
    None
}

fn find_location(text: &str, needle: &str) -> Option<Location> {
    text.find(needle)
        .map(|i| Location::in_source(text, i..i + needle.len()))
}

fn check_permalink(pattern: &str, path: &Path, text: &str) -> Option<Diagnostic> {
    let bad = |msg: String| {
        Some(
            Diagnostic::error(msg)
                .in_file(path)
                .at_opt(find_location(text, pattern).or_else(|| find_location(text, "permalink")))
                .help("默认格式是 permalink = \"/{category}/{year}/{month}/{slug}/\"，可用占位符：{category} {year} {month} {day} {slug}"),
        )
    };
    if !pattern.starts_with('/') {
        return bad(format!("permalink \"{pattern}\" 必须以 / 开头"));
    }
    if !pattern.contains("{slug}") {
        return bad(format!("permalink \"{pattern}\" 必须包含 {{slug}}"));
    }
    // Filled with ASCII values, the pattern must still name a file inside the output.
    let sample = pattern.replace("{category}", "c").replace(['{', '}'], "");
    if let Some(why) =
        crate::site::permalink::unsafe_file(&crate::site::permalink::output_file(&sample))
    {
        return bad(format!("permalink \"{pattern}\" 不能用：{why}"));
    }
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return bad(format!("permalink \"{pattern}\" 的花括号没有闭合"));
        };
        let name = &rest[open + 1..open + close];
        if !PERMALINK_PLACEHOLDERS.contains(&name) {
            return bad(format!("permalink 里有未知的占位符 {{{name}}}"));
        }
        rest = &rest[open + close + 1..];
    }
    None
}

/// Turns a toml error into a located diagnostic, with a suggestion for misspelt keys.
pub fn toml_error(e: &toml::de::Error, text: &str, path: &Path) -> Diagnostic {
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::error(translate_toml_message(&message)).in_file(path);
    if let Some(span) = e.span() {
        d = d.at(Location::in_source(text, span.clone()));
        if message.starts_with("unknown field") {
            let word = text.get(span).unwrap_or("").trim_matches('"');
            let expected: Vec<&str> = message.split('`').skip(3).step_by(2).collect::<Vec<_>>();
            d = match did_you_mean(word, expected.iter().copied()) {
                Some(s) => d.help(format!("你是不是想写 `{s}`？")),
                None => d.help(format!("可用的字段：{}", expected.join("、"))),
            };
        }
    }
    if d.help.is_none() {
        d = d.help("请检查这一行的 TOML 写法：字符串要加英文双引号，键和值之间用 = 连接");
    }
    d
}

fn translate_toml_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("未知的字段 {field}");
    }
    if message.starts_with("missing field") {
        return format!(
            "缺少必填字段：{}",
            message.trim_start_matches("missing field ")
        );
    }
    format!("TOML 格式错误：{message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(text, Path::new("site.toml"), Path::new("."))
    }

    #[test]
    fn defaults_are_filled() {
        let c =
            parse("title = \"青溪镇\"\n[[categories]]\nkey = \"theory\"\nname = \"理论武装\"\n")
                .unwrap();
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.timezone, "Asia/Shanghai");
        assert_eq!(c.paginate_by, 10);
        assert_eq!(c.categories[0].slug, "theory");
        assert_eq!(c.base_url, "");
        assert!(c.search.enabled);
    }

    #[test]
    fn search_exclude_covers_folders_below() {
        let c = parse("title = \"x\"\n[search]\nexclude = [\"about/\"]\n").unwrap();
        assert!(c.search.excludes("about"));
        assert!(c.search.excludes("about/team"));
        assert!(!c.search.excludes("about-us"));
        assert!(!c.search.excludes(""));
    }

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let errs = parse("title = \"x\"\ntittle = \"y\"\n").unwrap_err();
        let text = errs[0].render(false);
        assert!(text.contains("site.toml:2:1"), "{text}");
        assert!(text.contains("`title`"), "{text}");
    }

    #[test]
    fn bad_values_are_errors() {
        let errs = parse(
            "title = \"x\"\ntimezone = \"Mars/Base\"\npaginate_by = 0\npermalink = \"/{cat}/{slug}/\"\n",
        )
        .unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[0].render(false).contains("site.toml:2:13"));
    }

    #[test]
    fn permalinks_that_leave_the_output_are_refused() {
        for pattern in [
            "/../../esc/{slug}/",
            "/{category}/../{slug}/",
            "/a//{slug}/",
            "/a\\\\{slug}/",
            "/{category}/{slug}?x/",
        ] {
            let errs = parse(&format!("title = \"x\"\npermalink = \"{pattern}\"\n")).unwrap_err();
            let text = errs[0].render(false);
            assert!(
                text.contains("不能用") && text.contains("site.toml:2"),
                "{pattern}: {text}"
            );
        }
        assert!(
            parse("title = \"x\"\npermalink = \"/{category}/{year}{month}/t{day}_{slug}.html\"\n")
                .is_ok()
        );
    }
}
