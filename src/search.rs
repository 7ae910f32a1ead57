//! Site search: picks the rendered pages readers can search (posts, sections, feature columns),
//! hands them to Pagefind in memory and returns its bundle as outputs under `pagefind/`.

use std::cell::Cell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, Settings, text};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::content::FrontMatter;
use crate::diagnostics::Diagnostic;
use crate::output::{Body, Output};
use crate::site::Site;
use crate::site::columns::COLUMNS_DIR;
use crate::site::permalink::output_file;

/// The folder of the search bundle in the output (`/pagefind/pagefind.js`).
pub const BUNDLE_DIR: &str = "pagefind";

/// Files of Pagefind's own search interfaces: zhen's theme has its own script.
const UNUSED: &[&str] = &[
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.js",
];

/// One rendered page to index.
#[derive(Clone)]
pub struct Document {
    /// Site path, which results link to (`/theory/2024/01/study/`).
    pub url: String,
    /// Output file (`theory/2024/01/study/index.html`).
    pub file: String,
    pub html: Arc<[u8]>,
}

/// What the index is built from: the pages and the site's language.
#[derive(Clone)]
pub struct Input {
    pub language: String,
    pub documents: Vec<Document>,
    /// Pages too long to index whole (only their beginning is searchable).
    pub warnings: Vec<Diagnostic>,
}

/// Characters of a page's text that search indexes. Pagefind's work on a page grows with the
/// square of its length (a 4 MB post took 18 s, a 50 MB one would take 45 minutes), while a
/// page of 100 000 characters takes well under a second; a long news article has about 10 000.
pub const MAX_INDEXED_CHARS: usize = 100_000;

/// The pages of `site` that search lists, taken from its rendered `outputs`: published posts
/// and plain pages, sections and feature columns (their first page), less drafts, pages with
/// `in_search_index = false` and the folders in `[search] exclude`. None when search is off.
pub fn input(site: &Site, outputs: &[Output]) -> Option<Input> {
    let search = &site.config.search;
    if !search.enabled {
        return None;
    }
    let rendered: HashMap<&str, &Arc<[u8]>> = outputs
        .iter()
        .filter_map(|o| match &o.body {
            Body::Rendered(bytes) => Some((o.path.as_str(), bytes)),
            _ => None,
        })
        .collect();
    let pages = site
        .library
        .pages
        .iter()
        .zip(&site.pages)
        .filter(|(p, _)| !p.meta.draft && p.meta.in_search_index)
        .filter(|(p, _)| {
            let folder = p.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
            !search.excludes(folder)
        })
        .map(|(p, info)| (info.path.as_str(), p.path.as_path(), &p.meta));
    let sections = site
        .library
        .sections
        .iter()
        .zip(&site.sections)
        .filter(|(s, _)| {
            !s.dir.is_empty()
                && s.dir != COLUMNS_DIR
                && s.meta.in_search_index
                && !search.excludes(&s.dir)
        })
        .map(|(s, info)| (info.path.as_str(), s.path.as_path(), &s.meta));
    let mut warnings = Vec::new();
    let documents = pages
        .chain(sections)
        .filter_map(|(url, source, meta)| {
            let file = output_file(url);
            let mut html = Arc::clone(rendered.get(file.as_str())?);
            if let Some((capped, chars)) = cap(&html, MAX_INDEXED_CHARS) {
                html = Arc::from(capped);
                warnings.push(too_long(source, meta, chars));
            }
            Some(Document {
                url: url.to_string(),
                html,
                file,
            })
        })
        .collect();
    Some(Input {
        language: site.config.language.to_lowercase(),
        documents,
        warnings,
    })
}

/// `html` cut short after `max` characters of the text of its indexed part (the elements
/// marked `data-pagefind-body`, else `<body>`), and how many characters it had; None when it
/// is short enough. What precedes the cut (title, date, category) is indexed as usual.
fn cap(html: &[u8], max: usize) -> Option<(Vec<u8>, usize)> {
    // A page of at most `max` bytes has at most `max` characters.
    if html.len() <= max {
        return None;
    }
    let region = if String::from_utf8_lossy(html).contains(BODY_MARK) {
        "[data-pagefind-body]"
    } else {
        "body"
    };
    let seen = Cell::new(0usize);
    let mut out = Vec::with_capacity(max * 4);
    let mut rest = html;
    {
        let settings = Settings::new()
            .with_strict(false)
            .append_element_content_handler(text!(region, |t| {
                let before = seen.get();
                if before > max {
                    t.remove();
                    return Ok(());
                }
                let chars = t.as_str().chars().count();
                seen.set(before + chars);
                if before + chars > max {
                    let kept: String = t.as_str().chars().take(max - before).collect();
                    t.replace(&kept, ContentType::Html);
                }
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |c: &[u8]| out.extend_from_slice(c));
        // The page is read in pieces until the cut, so that its length past the cut costs
        // nothing. lol_html fails only on limits zhen does not set; the page is then indexed
        // whole.
        while !rest.is_empty() && seen.get() <= max {
            let (piece, after) = rest.split_at(rest.len().min(16 * 1024));
            rewriter.write(piece).ok()?;
            rest = after;
        }
        rewriter.end().ok()?;
    }
    if seen.get() <= max {
        return None;
    }
    Some((out, seen.get() + text_chars(rest)))
}

/// Characters outside tags in `html`: an estimate of its text without parsing it.
fn text_chars(html: &[u8]) -> usize {
    let mut in_tag = false;
    String::from_utf8_lossy(html)
        .chars()
        .filter(|&c| {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    return false;
                }
                _ => {}
            }
            !in_tag && !c.is_whitespace()
        })
        .count()
}

/// The warning for a page of `chars` characters whose beginning only is searchable.
fn too_long(source: &Path, meta: &FrontMatter, chars: usize) -> Diagnostic {
    let location = std::fs::read_to_string(source)
        .ok()
        .and_then(|text| meta.key_location(&text, "title"));
    Diagnostic::warning(format!(
        "这篇文章太长（正文约 {chars} 字），站内搜索只收录它的前 {MAX_INDEXED_CHARS} 字：后面的内容搜不到"
    ))
    .in_file(source)
    .at_opt(location)
    .help("文章在网站上照常完整显示；想让全文都能被搜到，请把它拆成几篇（例如每章一篇），每篇不超过 10 万字")
}

/// The attribute that marks what Pagefind indexes of a page. Once one page has it, pages
/// without it are left out.
const BODY_MARK: &str = "data-pagefind-body";

/// A built search index.
pub struct Bundle {
    /// Its files, under `pagefind/`.
    pub files: Vec<Output>,
    /// Pages left out because their template does not mark its body while others do.
    pub warning: Option<Diagnostic>,
}

/// Builds the search index of `input`.
pub fn index(input: &Input) -> Result<Bundle, Diagnostic> {
    Index::new()?.update(input)
}

/// A search index that can be brought up to date (`zhen serve` keeps one): a page whose HTML
/// is unchanged is not read again. Pagefind replaces a page in place but cannot drop one, and
/// numbers pages in the order they came, so the index starts afresh whenever the list of pages
/// changed: the files are then always those a fresh build writes.
pub struct Index {
    runtime: tokio::runtime::Runtime,
    pagefind: Option<PagefindIndex>,
    language: String,
    /// URL -> the HTML it was indexed from, and whether it marks its body.
    indexed: HashMap<String, (Arc<[u8]>, bool)>,
    /// The URLs, in the order they were first indexed.
    order: Vec<String>,
}

fn failed(e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(format!("无法生成搜索索引：{e}"))
        .help("可以在 site.toml 里写 [search] enabled = false 暂时关闭站内搜索，并把这个问题报告给 zhen 的开发者")
}

impl Index {
    /// An empty index.
    pub fn new() -> Result<Index, Diagnostic> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| failed(&e))?;
        Ok(Index {
            runtime,
            pagefind: None,
            language: String::new(),
            indexed: HashMap::new(),
            order: Vec::new(),
        })
    }

    /// Indexes the pages of `input` that are new or changed and returns the whole bundle.
    pub fn update(&mut self, input: &Input) -> Result<Bundle, Diagnostic> {
        let same_pages = self.order.len() == input.documents.len()
            && self
                .order
                .iter()
                .zip(&input.documents)
                .all(|(u, d)| *u == d.url);
        if self.pagefind.is_none() || self.language != input.language || !same_pages {
            let config = PagefindServiceConfig::builder()
                .force_language(input.language.clone())
                .build();
            self.pagefind = Some(PagefindIndex::new(Some(config)).map_err(|e| failed(&e))?);
            self.language = input.language.clone();
            self.indexed.clear();
            self.order = input.documents.iter().map(|d| d.url.clone()).collect();
        }
        let Index {
            runtime,
            pagefind,
            indexed,
            ..
        } = self;
        let Some(pagefind) = pagefind.as_mut() else {
            return Err(failed(&"Pagefind"));
        };
        let files = runtime
            .block_on(async {
                for doc in &input.documents {
                    if indexed
                        .get(&doc.url)
                        .is_some_and(|(html, _)| Arc::ptr_eq(html, &doc.html) || *html == doc.html)
                    {
                        continue;
                    }
                    let html = String::from_utf8_lossy(&doc.html).into_owned();
                    let marked = html.contains(BODY_MARK);
                    pagefind
                        .add_html_file(Some(doc.file.clone()), Some(doc.url.clone()), html)
                        .await?;
                    indexed.insert(doc.url.clone(), (doc.html.clone(), marked));
                }
                pagefind.get_files().await
            })
            .map_err(|e| failed(&e))?;
        let unmarked: Vec<&str> = input
            .documents
            .iter()
            .filter(|d| indexed.get(&d.url).is_some_and(|(_, marked)| !marked))
            .map(|d| d.url.as_str())
            .collect();
        let warning = (!unmarked.is_empty() && unmarked.len() < input.documents.len()).then(|| {
            let shown: Vec<&str> = unmarked.iter().take(5).copied().collect();
            Diagnostic::warning(format!(
                "{} 个页面不会出现在站内搜索结果里：它们的模板没有 {BODY_MARK} 标记（{}{}）",
                unmarked.len(),
                shown.join("、"),
                if unmarked.len() > shown.len() { " 等" } else { "" }
            ))
            .help(format!(
                "在这些页面所用模板的正文外层元素上加 {BODY_MARK}，默认主题的 page.html、section.html 和 column.html 都有；不想被搜索到的文章请写 in_search_index = false"
            ))
        });
        let files = files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                if UNUSED.iter().any(|u| name.starts_with(u)) {
                    return None;
                }
                Some(Output {
                    path: format!("{BUNDLE_DIR}/{name}"),
                    body: Body::Rendered(Arc::from(f.contents)),
                })
            })
            .collect();
        Ok(Bundle { files, warning })
    }
}
