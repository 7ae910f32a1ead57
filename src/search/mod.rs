//! Site search: picks the rendered pages readers can search (posts, sections, feature columns)
//! and writes zhen's own static index of them under `search-index/` (character and bigram
//! postings in shards, read by the theme's search.js).

mod bundle;
mod doc;
mod extract;
mod postings;
mod tokens;

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, Settings, text};

use rayon::prelude::*;

pub use bundle::BUNDLE_DIR;
use bundle::{PageFiles, Shard};
use doc::Doc;
pub use extract::BODY_MARK;
use postings::Postings;

use crate::content::FrontMatter;
use crate::diagnostics::Diagnostic;
use crate::output::{Body, Output};
use crate::site::Site;
use crate::site::columns::COLUMNS_DIR;
use crate::site::permalink::output_file;

/// One rendered page to index.
#[derive(Clone)]
pub struct Document {
    /// Site path, which results link to (`/theory/2024/01/study/`).
    pub url: String,
    /// Output file (`theory/2024/01/study/index.html`).
    pub file: String,
    pub html: Arc<[u8]>,
}

/// What the index is built from: the pages.
#[derive(Clone)]
pub struct Input {
    pub documents: Vec<Document>,
    /// Pages too long to index whole (only their beginning is searchable).
    pub warnings: Vec<Diagnostic>,
    /// Whether any page marks its body (worked out once).
    marked: std::sync::OnceLock<bool>,
}

/// Characters of a page's text that search indexes: a long news article has about 10 000. The
/// text is also what a result's excerpt is cut from, so the cut bounds what a reader downloads
/// for one result (a 50 MB post would otherwise be one 50 MB file).
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
        documents,
        warnings,
        marked: std::sync::OnceLock::new(),
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

/// A built search index.
pub struct Bundle {
    /// Its files, under `search-index/`.
    pub files: Vec<Output>,
    /// Pages left out because their template does not mark its body while others do.
    pub warning: Option<Diagnostic>,
}

/// Pages read at once when a whole site is indexed: their terms go into the postings and are
/// dropped, so memory holds the postings and not every page's terms.
const BATCH: usize = 256;

/// What a build keeps of a page once its terms are in the postings.
struct Entry {
    fragment: Arc<[u8]>,
    filters: BTreeMap<String, Vec<String>>,
    date: Option<String>,
}

/// Builds the search index of `input`.
pub fn index(input: &Input) -> Bundle {
    let mut postings = Postings::default();
    let mut entries = Vec::with_capacity(input.documents.len());
    let mut marked = Vec::with_capacity(input.documents.len());
    for batch in input.documents.chunks(BATCH) {
        let docs: Vec<Doc> = batch
            .par_iter()
            .map(|d| doc::read(&d.url, &d.html))
            .collect();
        for doc in docs {
            if keep(&doc, input) {
                postings.push(entries.len() as u32, &doc);
                entries.push(Entry {
                    fragment: doc.fragment,
                    filters: doc.filters,
                    date: doc.date,
                });
            }
            marked.push((doc.url, doc.marked));
        }
    }
    let dates: Vec<Option<&str>> = entries.iter().map(|e| e.date.as_deref()).collect();
    let order = bundle::order(&dates);
    let mut number = vec![0u32; entries.len()];
    for (new, &old) in order.iter().enumerate() {
        number[old] = new as u32;
    }
    postings.renumber(&number);
    let shards = all_shards(&postings);
    drop(postings);
    let pages: Vec<PageFiles> = order
        .iter()
        .map(|&old| PageFiles {
            fragment: &entries[old].fragment,
            filters: &entries[old].filters,
        })
        .collect();
    Bundle {
        files: bundle::files(&shards, &pages),
        warning: unmarked_warning(&marked),
    }
}

fn all_shards(postings: &Postings) -> Vec<Shard> {
    let count = bundle::shard_count(postings);
    bundle::encode(postings, count, None)
        .into_iter()
        .map(|(_, shard)| shard)
        .collect()
}

/// Whether `doc` is searchable: it marks its body, or no page does (a page without the mark is
/// left out once others have it, as with Pagefind).
fn keep(doc: &Doc, input: &Input) -> bool {
    doc.marked || !input.any_marked()
}

impl Input {
    fn any_marked(&self) -> bool {
        *self.marked.get_or_init(|| {
            self.documents
                .par_iter()
                .any(|d| memchr::memmem::find(&d.html, BODY_MARK.as_bytes()).is_some())
        })
    }
}

/// The warning naming the pages left out of search for want of the body mark.
fn unmarked_warning(pages: &[(String, bool)]) -> Option<Diagnostic> {
    let unmarked: Vec<&str> = pages
        .iter()
        .filter(|(_, m)| !m)
        .map(|(u, _)| u.as_str())
        .collect();
    (!unmarked.is_empty() && unmarked.len() < pages.len()).then(|| {
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
    })
}

/// A search index that can be brought up to date (`zhen serve` keeps one): a page whose HTML
/// is unchanged is not read again, and when the pages and their order are those of the last
/// update, only the terms of the pages that changed are taken out and put in again and only
/// the shards holding them are encoded again. The files are always those a fresh build writes.
#[derive(Default)]
pub struct Index {
    /// URL -> the HTML it was read from and what was read.
    docs: HashMap<String, (Arc<[u8]>, Arc<Doc>)>,
    /// The last update's pages in index order, postings and shards.
    last: Option<Last>,
}

struct Last {
    pages: Vec<Arc<Doc>>,
    postings: Postings,
    shards: Vec<Shard>,
}

impl Index {
    /// Reads the pages of `input` that are new or changed and returns the whole bundle.
    pub fn update(&mut self, input: &Input) -> Bundle {
        let docs: Vec<Arc<Doc>> = input
            .documents
            .par_iter()
            .map(|d| match self.docs.get(&d.url) {
                Some((html, doc)) if Arc::ptr_eq(html, &d.html) || *html == d.html => {
                    Arc::clone(doc)
                }
                _ => Arc::new(doc::read(&d.url, &d.html)),
            })
            .collect();
        self.docs = input
            .documents
            .iter()
            .zip(&docs)
            .map(|(d, doc)| (d.url.clone(), (Arc::clone(&d.html), Arc::clone(doc))))
            .collect();
        let kept: Vec<&Arc<Doc>> = docs.iter().filter(|d| keep(d, input)).collect();
        let dates: Vec<Option<&str>> = kept.iter().map(|d| d.date.as_deref()).collect();
        let pages: Vec<Arc<Doc>> = bundle::order(&dates)
            .into_iter()
            .map(|old| Arc::clone(kept[old]))
            .collect();
        let last = match self.last.take().map(|last| patch(last, &pages)) {
            Some(Some(last)) => last,
            _ => {
                let mut postings = Postings::default();
                for (i, doc) in pages.iter().enumerate() {
                    postings.push(i as u32, doc);
                }
                let shards = all_shards(&postings);
                Last {
                    pages,
                    postings,
                    shards,
                }
            }
        };
        let files: Vec<PageFiles> = last
            .pages
            .iter()
            .map(|d| PageFiles {
                fragment: &d.fragment,
                filters: &d.filters,
            })
            .collect();
        let files = bundle::files(&last.shards, &files);
        self.last = Some(last);
        let marked: Vec<(String, bool)> = docs.iter().map(|d| (d.url.clone(), d.marked)).collect();
        Bundle {
            files,
            warning: unmarked_warning(&marked),
        }
    }
}

/// `last` brought to `pages`: the terms of pages that changed or went are taken out of the
/// postings, the pages that stay are numbered again if their places moved (a new post comes
/// first), and the new and changed pages' terms are put in. When the numbering is kept, only
/// the shards those terms touch are encoded again. None when so many pages changed that
/// reading them all into new postings is quicker.
fn patch(mut last: Last, pages: &[Arc<Doc>]) -> Option<Last> {
    let at: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, d)| (d.url.as_str(), i))
        .collect();
    let mut number = vec![u32::MAX; last.pages.len()];
    let mut kept = vec![false; pages.len()];
    for (i, old) in last.pages.iter().enumerate() {
        if let Some(&j) = at.get(old.url.as_str())
            && Arc::ptr_eq(old, &pages[j])
        {
            number[i] = j as u32;
            kept[j] = true;
        }
    }
    let changed =
        kept.iter().filter(|k| !**k).count() + number.iter().filter(|&&n| n == u32::MAX).count();
    if at.len() != pages.len() || changed * 8 > pages.len().max(8) {
        return None;
    }
    let mut touched: rustc_hash::FxHashSet<u32> = rustc_hash::FxHashSet::default();
    let mut mark = |h: u32| {
        touched.insert(h);
    };
    for (i, old) in last.pages.iter().enumerate() {
        if number[i] == u32::MAX {
            last.postings.remove(i as u32, old, &mut mark);
        }
    }
    let moved = number
        .iter()
        .enumerate()
        .any(|(i, &n)| n != u32::MAX && n != i as u32);
    if moved {
        last.postings.renumber(&number);
    }
    for (j, doc) in pages.iter().enumerate() {
        if !kept[j] {
            last.postings.insert(j as u32, doc, &mut mark);
        }
    }
    let count = bundle::shard_count(&last.postings);
    if !moved && count == last.shards.len() {
        let dirty = touched.iter().map(|&h| h as usize & (count - 1)).collect();
        for (s, shard) in bundle::encode(&last.postings, count, Some(&dirty)) {
            last.shards[s] = shard;
        }
    } else {
        last.shards = all_shards(&last.postings);
    }
    last.pages = pages.to_vec();
    Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, date: &str, title: &str, body: &str) -> Document {
        let html = format!(
            r#"<html><body><article data-pagefind-body><h1 data-pagefind-meta="title" data-pagefind-weight="10">{title}</h1>
            <time data-pagefind-sort="date:{date}" data-pagefind-filter="year:{}"></time><p>{body}</p></article></body></html>"#,
            &date[..4]
        );
        Document {
            url: url.into(),
            file: format!("{}index.html", &url[1..]),
            html: Arc::from(html.into_bytes()),
        }
    }

    fn input(documents: Vec<Document>) -> Input {
        Input {
            documents,
            warnings: Vec::new(),
            marked: std::sync::OnceLock::new(),
        }
    }

    fn files(bundle: Bundle) -> BTreeMap<String, Vec<u8>> {
        bundle
            .files
            .into_iter()
            .map(|o| match o.body {
                Body::Rendered(bytes) => (o.path, bytes.to_vec()),
                _ => unreachable!(),
            })
            .collect()
    }

    /// A site big enough for several shards and for common terms in files of their own.
    fn site(edit: usize, text: &str) -> Vec<Document> {
        (0..1200)
            .map(|i| {
                let body = if i == edit {
                    text.to_string()
                } else {
                    format!("古桥村第{i}次志愿服务活动，乡村旅游{}。", i % 7)
                };
                page(
                    &format!("/p/{i}/"),
                    &format!("2024{:02}{:02}", 1 + i % 12, 1 + i % 28),
                    &format!("标题{i}"),
                    &body,
                )
            })
            .collect()
    }

    #[test]
    fn an_updated_index_equals_a_fresh_build_after_each_edit() {
        let mut index = Index::default();
        let first = site(usize::MAX, "");
        assert_eq!(
            files(index.update(&input(first.clone()))),
            files(self::index(&input(first)))
        );
        assert!(
            files(self::index(&input(site(usize::MAX, ""))))
                .keys()
                .any(|p| p.starts_with("search-index/t/") && p.matches('.').count() == 2),
            "common terms have files of their own"
        );
        for (edit, text) in [
            (5, "石桥村新修了桃花节步道，5A景区2024年开放。"),
            (5, "只剩一句话。"),
            (700, "古桥村志愿服务。"),
        ] {
            let pages = site(edit, text);
            let updated = files(index.update(&input(pages.clone())));
            assert_eq!(
                updated,
                files(self::index(&input(pages))),
                "after editing page {edit}"
            );
        }
        // A page with a new date moves: the pages are numbered again.
        let mut pages = site(usize::MAX, "");
        pages[3] = page("/p/3/", "20250101", "新文章", "新时代文明实践。");
        assert_eq!(
            files(index.update(&input(pages.clone()))),
            files(self::index(&input(pages.clone())))
        );
        // A new post (the newest) and a post deleted: the others move up or down one place.
        pages.push(page(
            "/new/",
            "20260101",
            "新建的文章",
            "移风易俗，古桥村。",
        ));
        pages.remove(100);
        assert_eq!(
            files(index.update(&input(pages.clone()))),
            files(self::index(&input(pages)))
        );
    }
}
