//! The build cache in `.zhen-cache/build/`: what `zhen build` keeps between runs so that the
//! next one redoes only what changed — the parsed content files, the rendered Markdown, each
//! output's fingerprint (its bytes are the file the build wrote) and what the content checks
//! read of each page, in shards (`codec`) — plus, in `state.bin`, the stamps that tell a build
//! that nothing changed at all. A cache from another zhen version or a damaged one is ignored
//! with a note, never trusted.

pub mod codec;
pub mod inputs;

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use jiff::{Timestamp, ZonedDateTime};

use crate::check::html::Scans;
use crate::content::{FileCache, SavedFiles};
use crate::diagnostics::Diagnostic;
use crate::markdown::{MdCache, SavedMarkdown};
use crate::pipeline::{Built, Cache};
use crate::render::{RenderCache, SavedRender};
use codec::Refused;
pub use inputs::Stamps;

/// Where the cache's state file lives, relative to the site folder; its shards are beside it.
pub const FILE: &str = ".zhen-cache/build/state.bin";

/// The cache's folder, relative to the site folder.
pub const DIR: &str = ".zhen-cache/build";

/// The options a cache is good for: another combination builds another site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Key {
    pub drafts: bool,
    pub future: bool,
    pub base_url: Option<String>,
    /// The site folder and the output folder, absolute (cached pages name their files).
    pub root: PathBuf,
    pub output: PathBuf,
}

/// What a build reads first: enough to tell whether anything changed since the last one.
#[derive(serde::Serialize, serde::Deserialize)]
struct Head {
    key: Key,
    /// The build's "now".
    now: Timestamp,
    /// The year the lists leave out of their dates (the clock's, in the site's time zone).
    year: i16,
    /// Every time at which a page or column changes state (publication dates, column ends),
    /// sorted: a later build whose "now" is on the other side of one is no longer the same.
    events: Vec<Timestamp>,
    /// Whether the content checks ran (and passed).
    checked: bool,
    /// Whether a template called `now()`, whose answer changes every time.
    uses_now: bool,
    /// The files the build read, stamped before it read them.
    sources: Stamps,
    /// Every file in the output folder once it was written (relative, sorted).
    outputs: Stamps,
    /// What the build reported.
    report: Report,
    /// The shards of the stages' caches, read only when the pipeline runs.
    parts: Parts,
}

/// The shards of each stage's cache.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Parts {
    files: Vec<codec::Shard>,
    markdown: Vec<codec::Shard>,
    render: Vec<codec::Shard>,
    scans: Vec<codec::Shard>,
}

/// What saving the cache after a build needs from before the build ran.
pub struct Before {
    pub key: Key,
    /// The sources as stamped before the build read them.
    pub sources: Stamps,
    /// The shards the cache was read from, kept where their bytes are the same.
    shards: Parts,
    /// The files of the output folder as they were (None without a cache to compare).
    outputs: Option<Stamps>,
}

impl Before {
    /// For a build without a usable cache.
    pub fn new(key: Key, sources: Stamps) -> Before {
        Before {
            key,
            sources,
            shards: Parts::default(),
            outputs: None,
        }
    }

    /// The files in the output folder before the build, relative, when they were listed.
    pub fn output_files(&self) -> Option<Vec<&str>> {
        let outputs = self.outputs.as_ref()?;
        Some(outputs.0.iter().map(|(name, _)| name.as_str()).collect())
    }
}

impl Parts {
    fn all(&self) -> impl Iterator<Item = &codec::Shard> {
        [&self.files, &self.markdown, &self.render, &self.scans]
            .into_iter()
            .flatten()
    }
}

/// What `zhen build` prints at the end, again when nothing changed.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    pub scheduled: Vec<(PathBuf, ZonedDateTime)>,
}

/// A cache whose state file was read.
pub struct Stored {
    head: Head,
    /// The folder of its files.
    dir: PathBuf,
}

/// Prints the note for a cache file that is not used.
fn refused(why: Refused) {
    match why {
        Refused::OtherVersion(v) => {
            eprintln!("提示: 缓存 {DIR} 是另一个版本的 zhen（{v}）留下的，这次不用它，完整生成一遍")
        }
        Refused::Corrupt(why) => {
            eprintln!("提示: 缓存 {DIR} 已损坏（{why}），这次不用它，完整生成一遍")
        }
    }
}

/// The cache of `root` for `key`, or None: none yet, made for other options, or refused
/// (another zhen version, damaged), which a one-line note on stderr says.
pub fn load(root: &Path, key: &Key) -> Option<Stored> {
    let file = File::open(root.join(FILE)).ok()?;
    match codec::open::<Head>(BufReader::new(file)) {
        Ok(head) => (head.key == *key).then_some(Stored {
            head,
            dir: root.join(DIR),
        }),
        Err(why) => {
            refused(why);
            None
        }
    }
}

/// The stamps of the files now, for the no-op test and the render cache: the sources and
/// the outputs of the cached build, taken again.
pub struct Current {
    pub sources: Stamps,
    outputs: Stamps,
    /// Whether a killed build left its folders beside the output (a build removes them).
    leftovers: bool,
}

/// What a build needs to decide how much it can reuse.
pub struct Moment<'a> {
    pub config: &'a crate::config::Config,
    pub now: Timestamp,
    /// Whether this build runs the content checks.
    pub checking: bool,
}

impl Moment<'_> {
    /// The year lists leave out of their dates, on the clock (as the planner takes it).
    fn year(&self) -> i16 {
        Timestamp::now()
            .to_zoned_datetime(self.config.tz.clone())
            .year()
    }
}

impl Stored {
    /// The stamps of the sources and of the files in the output folder, as they are now.
    pub fn current(&self, config: &crate::config::Config, out: &Path) -> Current {
        Current {
            sources: inputs::sources(config),
            outputs: inputs::outputs(out),
            leftovers: inputs::leftovers(out),
        }
    }

    /// Whether a build now would write exactly what the last one wrote: same sources, the
    /// output folder as it was left (no file changed, removed or added), no page or column changing state since its "now", the
    /// same year, no template asking for `now()`, and the checks done if they are wanted.
    pub fn unchanged(&self, current: &Current, moment: &Moment<'_>) -> bool {
        let head = &self.head;
        let (a, b) = if moment.now < head.now {
            (moment.now, head.now)
        } else {
            (head.now, moment.now)
        };
        let first = head.events.partition_point(|t| *t < a);
        let event_between = head.events.get(first).is_some_and(|t| *t <= b);
        current.sources == head.sources
            && current.outputs == head.outputs
            && !current.leftovers
            && !event_between
            && head.year == moment.year()
            && (head.checked || !moment.checking)
            && !head.uses_now
    }

    /// What the cached build reported.
    pub fn report(&self) -> &Report {
        &self.head.report
    }

    /// The pipeline's cache filled from the shards — outputs whose file in `out` is not the
    /// one the last build wrote are left out (rendered again); None, with a note, when a shard
    /// is missing, damaged or cannot be decoded — and what saving after the build needs.
    pub fn into_cache(self, current: Current, key: Key, out: &Path) -> (Option<Cache>, Before) {
        let cache = self.read(&current, out);
        let before = Before {
            key,
            sources: current.sources,
            shards: if cache.is_some() {
                self.head.parts
            } else {
                Parts::default()
            },
            outputs: Some(current.outputs),
        };
        (cache, before)
    }

    fn read(&self, current: &Current, out: &Path) -> Option<Cache> {
        let (dir, parts) = (&self.dir, &self.head.parts);
        let ((files, markdown), (render, scans)) = rayon::join(
            || {
                rayon::join(
                    || codec::read_part_files(dir, &parts.files),
                    || codec::read_part_files(dir, &parts.markdown),
                )
            },
            || {
                rayon::join(
                    || codec::read_part_files(dir, &parts.render),
                    || codec::read_part_files(dir, &parts.scans),
                )
            },
        );
        let read = || Ok::<_, Refused>((files?, markdown?, render?, scans?));
        let (files, markdown, mut render, scans) = read().map_err(refused).ok()?;
        let recorded = &self.head.outputs;
        render.retain(|o: &crate::render::SavedOutput| {
            let was = recorded.get(&o.output);
            was.is_some_and(|r| r.is_some() && current.outputs.get(&o.output) == Some(r))
        });
        Some(Cache {
            files: FileCache::restore(SavedFiles(files)),
            markdown: MdCache::restore(SavedMarkdown(markdown)),
            render: RenderCache::restore(SavedRender(render), &crate::output::resolve(out)),
            scans: Scans::from_entries(scans),
            prune_images: true,
            ..Cache::default()
        })
    }
}

/// Saves as the cache of the site what the build that made `built` with `cache` leaves for
/// the next one; `out` now holds what it wrote — the files `patched` only, changed or
/// removed, when it was patched. Shards read before with the same bytes are kept, the
/// others removed.
pub fn save(
    before: Before,
    moment: &Moment<'_>,
    cache: &Cache,
    built: &Built,
    (out, patched): (&Path, Option<&[String]>),
) -> std::io::Result<()> {
    let Before {
        key,
        sources,
        shards: previous,
        outputs,
    } = before;
    // A patch touched only its files: the others keep the stamps taken before the build (a
    // file changed by hand meanwhile then differs from them, and the next build sees it).
    let outputs = match (outputs, patched) {
        (Some(mut outputs), Some(paths)) => {
            outputs.update(out, paths);
            outputs
        }
        _ => inputs::outputs(out),
    };
    let library = &built.site.library;
    let dates = library.pages.iter().map(|p| &p.meta.date);
    let sections = library
        .sections
        .iter()
        .flat_map(|s| [&s.meta.date, &s.meta.start, &s.meta.end]);
    let mut events: Vec<Timestamp> = dates
        .chain(sections)
        .flatten()
        .chain(library.scheduled.iter().map(|(_, due)| due))
        .map(ZonedDateTime::timestamp)
        .collect();
    events.sort_unstable();
    events.dedup();
    let render = cache.render.save();
    let dir = built.site.config.root.join(DIR);
    std::fs::create_dir_all(&dir)?;
    let (files, markdown) = (cache.files.save(), cache.markdown.save());
    let scans = cache.scans.entries();
    let ((files, markdown), (render_shards, scans)) = rayon::join(
        || {
            rayon::join(
                || codec::write_part(&dir, "files", &files.0, |e| &e.0, &previous.files),
                || codec::write_part(&dir, "markdown", &markdown.0, |e| &e.0, &previous.markdown),
            )
        },
        || {
            rayon::join(
                || codec::write_part(&dir, "render", &render.0, |e| &e.output, &previous.render),
                || codec::write_part(&dir, "scans", &scans, |e| e.0, &previous.scans),
            )
        },
    );
    let parts = Parts {
        files: files?,
        markdown: markdown?,
        render: render_shards?,
        scans: scans?,
    };
    let head = Head {
        key,
        now: moment.now,
        year: moment.year(),
        events,
        checked: moment.checking,
        uses_now: render.uses_now(),
        sources,
        outputs,
        report: Report {
            pages: built.page_count(),
            files: built.outputs.len(),
            warnings: built.warnings.clone(),
            scheduled: library.scheduled.clone(),
        },
        parts,
    };
    let bytes = codec::encode(&head).map_err(std::io::Error::other)?;
    codec::write_atomic(&built.site.config.root.join(FILE), &bytes)?;
    let keep: HashSet<&str> = head.parts.all().map(|s| s.file.as_str()).collect();
    codec::remove_other_shards(&dir, &keep);
    Ok(())
}
