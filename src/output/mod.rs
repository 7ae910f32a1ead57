//! Writes a rendered site. A build that changes much of it builds the whole new site in a
//! staging folder on the same file system as the output (files whose bytes did not change are
//! hard links to the previous ones, so they keep their modification time) and then puts it in
//! place in one step, so that the output holds either the previous site or the new one, also
//! when a build fails or is killed. A build that changes a few files of an existing output
//! (an edit) publishes them as a patch (`patch`): written beside first, then renamed in one by
//! one, undone on a failure, and undone by the next build when this one is killed half-way.
//! Only folders zhen made are ever replaced, and every path written is checked to stay inside.

mod guard;
mod patch;
mod swap;

use std::borrow::Cow;
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::site::permalink::unsafe_file;
pub use guard::{MARKER, check_output_dir, resolve};

/// The bytes of one output file.
#[derive(Debug, Clone)]
pub enum Body {
    /// Rendered in memory.
    Rendered(Arc<[u8]>),
    /// Copied from this file.
    File(PathBuf),
    /// Built into the binary (the default theme).
    Builtin(&'static [u8]),
    /// The file the last build wrote for this output, unchanged since (the build cache found
    /// it with the stamp it recorded) and what this build would write again; `hash` is
    /// [`Body::hash`] of its bytes. Read only when asked for: the write stage keeps it without
    /// reading it.
    Previous { file: PathBuf, hash: u64 },
}

impl Body {
    /// The bytes, read from disk for a copied file or a previous output.
    pub fn bytes(&self) -> io::Result<Cow<'_, [u8]>> {
        match self {
            Body::Rendered(bytes) => Ok(Cow::Borrowed(bytes)),
            Body::Builtin(bytes) => Ok(Cow::Borrowed(bytes)),
            Body::File(path) | Body::Previous { file: path, .. } => fs::read(path).map(Cow::Owned),
        }
    }

    /// A hash of the bytes (xxh3), known without reading them for a previous output.
    pub fn hash(&self) -> io::Result<u64> {
        match self {
            Body::Previous { hash, .. } => Ok(*hash),
            other => Ok(hash_bytes(&other.bytes()?)),
        }
    }
}

/// The hash [`Body::hash`] gives for `bytes`.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// `outputs` with the bytes of every previous output read into memory, for a stage that reads
/// every page (the search index); `outputs` themselves stay as they are, for the write stage.
pub fn read_previous(outputs: &[Output]) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let read: Vec<Result<Output, Diagnostic>> = outputs
        .par_iter()
        .map(|o| match &o.body {
            Body::Previous { file, .. } => match fs::read(file) {
                Ok(bytes) => Ok(Output {
                    path: o.path.clone(),
                    body: Body::Rendered(Arc::from(bytes)),
                }),
                Err(e) => Err(io_error("无法读取", file, e)),
            },
            _ => Ok(o.clone()),
        })
        .collect();
    let (read, errors): (Vec<_>, Vec<_>) = read.into_iter().partition(Result::is_ok);
    if errors.is_empty() {
        Ok(read.into_iter().flatten().collect())
    } else {
        Err(errors.into_iter().filter_map(Result::err).collect())
    }
}

/// One file of the site, at `path` relative to the output folder (`/` separators).
#[derive(Debug, Clone)]
pub struct Output {
    pub path: String,
    pub body: Body,
}

/// What writing did.
#[derive(Debug, Default, Clone)]
pub struct WriteStats {
    pub files: usize,
    /// Files whose bytes were the same as in the previous output.
    pub unchanged: usize,
    /// Problems after the new site was in place (an old copy that could not be removed).
    pub warnings: Vec<Diagnostic>,
    /// The files a patch wrote or removed, when the site was patched rather than replaced.
    pub patched: Option<Vec<String>>,
}

/// Why writing failed, and whether the previous output is still as it was.
#[derive(Debug)]
pub struct WriteError {
    pub diagnostic: Diagnostic,
    /// True unless the failure came in the middle of replacing the files of a mount point.
    pub previous_kept: bool,
}

impl From<Diagnostic> for WriteError {
    fn from(diagnostic: Diagnostic) -> Self {
        WriteError {
            diagnostic,
            previous_kept: true,
        }
    }
}

fn io_error(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(format!("{what} {}：{e}", path.display()))
        .help("请确认磁盘空间充足、输出目录可写")
}

/// Writes `outputs` as the site in `out`. The new site is first written in full to a staging
/// folder — beside `out`, or inside it when `out` is a mount point — and then swapped in; the
/// previous site is removed afterwards — or, for a few changed files, patched in (`patch`).
/// `listed` is the files `out` held before the build ([`files`]), when the caller listed them
/// (else `out` is walked). A lock beside the staging folder keeps a second build out; what a killed
/// build left behind is removed by the next one. Callers check `out` with
/// [`check_output_dir`] first.
pub fn write_site(
    outputs: &[Output],
    out: &Path,
    listed: Option<&[&str]>,
) -> Result<WriteStats, WriteError> {
    if let Some((o, why)) = outputs
        .iter()
        .find_map(|o| unsafe_file(&o.path).map(|why| (o, why)))
    {
        return Err(Diagnostic::error(format!("拒绝写入 {}：{why}", o.path))
            .help("网站的每个文件都必须在输出目录里面；请检查生成它的文章的 slug、aliases 或文件名")
            .into());
    }
    let out = guard::resolve(out);
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return Err(Diagnostic::error(format!("不能用 {} 作输出目录", out.display())).into());
    };
    let mount = out.is_dir() && swap::is_mount_point(&out);
    let (place, prefix) = if mount {
        (out.clone(), OsString::from(".zhen-"))
    } else {
        let mut prefix = OsString::from(".");
        prefix.push(name);
        prefix.push(".zhen-");
        (parent.to_path_buf(), prefix)
    };
    let named = |what: &str| {
        let mut n = prefix.clone();
        n.push(what);
        place.join(n)
    };
    fs::create_dir_all(&place).map_err(|e| io_error("无法创建目录", &place, e))?;
    let lock_path = named("lock");
    let _lock = match swap::Lock::take(&lock_path) {
        Ok(Some(lock)) => lock,
        Ok(None) => {
            return Err(
                Diagnostic::error(format!("另一个 zhen build 正在写入 {}", out.display()))
                    .help("等那一次生成结束后再运行；同一个输出目录一次只能有一个生成在写")
                    .into(),
            );
        }
        Err(e) => return Err(io_error("无法锁定输出目录", &lock_path, e).into()),
    };
    remove_leftovers(&place, &prefix, &out);
    let ours =
        |n: &std::ffi::OsStr| mount && n.as_encoded_bytes().starts_with(prefix.as_encoded_bytes());
    let same = compare(outputs, &out)?;
    let unchanged = same.iter().filter(|s| **s).count();
    if out.join(MARKER).is_file()
        && let Some(changes) = patch_changes(outputs, &same, (&out, listed), &ours)
    {
        let folder = named(&format!("patch-{}", std::process::id()));
        let published = make_marked(&folder).and_then(|()| patch::publish(&changes, &out, &folder));
        match published {
            Ok(()) => {
                return Ok(WriteStats {
                    files: outputs.len(),
                    unchanged,
                    warnings: Vec::new(),
                    patched: Some(changes.into_iter().map(|c| c.path).collect()),
                });
            }
            // Nothing of the patch is left in the output: publish the whole site instead.
            Err(_) => {
                let _ = remove_tree(&folder);
            }
        }
    }
    let staging = named(&format!("staging-{}", std::process::id()));
    let staged = make_marked(&staging)
        .map_err(|e| io_error("无法创建临时目录", &staging, e))
        .and_then(|()| stage(outputs, &same, &out, &staging));
    if let Err(d) = staged {
        let _ = remove_tree(&staging);
        return Err(d.into());
    }
    let mut stats = WriteStats {
        files: outputs.len(),
        unchanged,
        warnings: Vec::new(),
        patched: None,
    };
    let old = if !out.exists() {
        fs::rename(&staging, &out).map_err(|e| io_error("无法生成输出目录", &out, e))?;
        None
    } else if mount {
        swap_entries(&staging, &out, &ours)?;
        Some(staging)
    } else {
        let aside = named(&format!("old-{}", std::process::id()));
        let old = swap::exchange(&staging, &out, &aside).map_err(|e| {
            let _ = remove_tree(&staging);
            io_error("无法替换输出目录", &out, e)
        })?;
        Some(old.to_path_buf())
    };
    if let Some(old) = old
        && let Err(e) = remove_tree(&old)
    {
        stats.warnings.push(
            Diagnostic::warning(format!(
                "新网站已经生成，但旧网站的副本 {} 没能删除：{e}",
                old.display()
            ))
            .help("可以手动删除它；下一次生成也会再试"),
        );
    }
    Ok(stats)
}

/// For each output, whether the file at its path in `out` already has its bytes: a previous
/// output (`Body::Previous`) the cache vouches for at that very path, or a file whose bytes
/// are read and found equal.
fn compare(outputs: &[Output], out: &Path) -> Result<Vec<bool>, Diagnostic> {
    outputs
        .par_iter()
        .map(|o| {
            let previous = out.join(&o.path);
            if matches!(&o.body, Body::Previous { file, .. } if *file == previous) {
                return Ok(true);
            }
            let bytes = o
                .body
                .bytes()
                .map_err(|e| io_error("无法读取", Path::new(&o.path), e))?;
            Ok(fs::symlink_metadata(&previous)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && fs::read(&previous).is_ok_and(|old| old == *bytes))
        })
        .collect()
}

/// The changes that turn the site in `out` (holding the files `listed`, or found by a walk)
/// into `outputs` file by file, when that is the smaller job: few files changed (at most a
/// quarter of the site, plus a few), and none of them where a folder now is. None when the
/// whole site is better staged and swapped.
fn patch_changes<'a>(
    outputs: &'a [Output],
    same: &[bool],
    (out, listed): (&Path, Option<&[&str]>),
    ours: &dyn Fn(&std::ffi::OsStr) -> bool,
) -> Option<Vec<patch::Change<'a>>> {
    let limit = outputs.len() / 4 + 16;
    let changed = same.iter().filter(|s| !**s).count();
    if changed > limit {
        return None;
    }
    let mut changes = Vec::with_capacity(changed);
    for (o, same) in outputs.iter().zip(same) {
        if *same {
            continue;
        }
        let step = match fs::symlink_metadata(out.join(&o.path)) {
            Ok(m) if m.is_file() => patch::Step::Replace,
            Ok(_) => return None,
            Err(_) => patch::Step::Add,
        };
        changes.push(patch::Change {
            path: o.path.clone(),
            step,
            body: Some(&o.body),
        });
    }
    let wanted: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    let walked = match listed {
        Some(_) => Vec::new(),
        None => files(out, ours).ok()?,
    };
    let walked: Vec<&str> = walked.iter().map(String::as_str).collect();
    let existing = listed.unwrap_or(&walked);
    let top = |p: &str| std::ffi::OsStr::new(p.split('/').next().unwrap_or(p)).to_owned();
    changes.extend(
        existing
            .iter()
            .filter(|p| !wanted.contains(*p) && **p != MARKER && !ours(&top(p)))
            .map(|p| patch::Change {
                path: p.to_string(),
                step: patch::Step::Remove,
                body: None,
            }),
    );
    (changes.len() <= limit).then_some(changes)
}

/// The files in `out` (relative, `/` separators), without zhen's marker and without the
/// top-level entries for which `ours` is true (the lock and patch folder on a mount point).
pub fn files(out: &Path, ours: &dyn Fn(&std::ffi::OsStr) -> bool) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || (e.file_name() != MARKER && !ours(e.file_name())));
    for entry in walk {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(out).map_err(io::Error::other)?;
        files.push(rel.to_string_lossy().replace('\\', "/"));
    }
    Ok(files)
}

/// Makes the folder `dir` with zhen's marker in it.
fn make_marked(dir: &Path) -> io::Result<()> {
    fs::create_dir(dir)?;
    fs::write(dir.join(MARKER), guard::MARKER_TEXT)
}

/// Writes every output into `staging`: one whose file in `out` already has its bytes (`same`)
/// becomes a hard link to that file (or a copy with its modification time), the others are
/// written. The folders are made first, each once.
fn stage(outputs: &[Output], same: &[bool], out: &Path, staging: &Path) -> Result<(), Diagnostic> {
    let mut dirs: Vec<&str> = outputs
        .iter()
        .filter_map(|o| o.path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    dirs.par_iter().try_for_each(|dir| {
        let dir = staging.join(dir);
        fs::create_dir_all(&dir).map_err(|e| io_error("无法创建目录", &dir, e))
    })?;
    outputs.par_iter().zip(same).try_for_each(|(o, same)| {
        let dest = staging.join(&o.path);
        if *same && keep_previous(&out.join(&o.path), &dest).is_ok() {
            return Ok(());
        }
        let bytes = o
            .body
            .bytes()
            .map_err(|e| io_error("无法读取", Path::new(&o.path), e))?;
        fs::write(&dest, &bytes).map_err(|e| io_error("无法写入", &dest, e))
    })
}

/// Puts the unchanged file `previous` at `dest`: a hard link, else a copy that keeps its
/// modification time.
fn keep_previous(previous: &Path, dest: &Path) -> io::Result<()> {
    if fs::hard_link(previous, dest).is_ok() {
        return Ok(());
    }
    fs::copy(previous, dest)?;
    let modified = fs::metadata(previous)?.modified()?;
    fs::File::options()
        .write(true)
        .open(dest)?
        .set_modified(modified)
}

/// On a mount point: puts each entry of `staging` in place of the entry of the same name in
/// `out` (swapped in one step each where the system can), and moves the entries the new site
/// no longer has into `staging`, which then holds the previous site. Entries for which `ours`
/// is true (the lock, the staging folder) stay.
fn swap_entries(
    staging: &Path,
    out: &Path,
    ours: &dyn Fn(&std::ffi::OsStr) -> bool,
) -> Result<(), WriteError> {
    let partial = |d: Diagnostic| WriteError {
        diagnostic: d
            .help("输出目录是一个挂载点，文件是逐个替换的：这次替换到一半，请重新运行 zhen build"),
        previous_kept: false,
    };
    let list = |dir: &Path| -> Result<Vec<OsString>, Diagnostic> {
        fs::read_dir(dir)
            .and_then(|entries| entries.map(|e| e.map(|e| e.file_name())).collect())
            .map_err(|e| io_error("无法读取目录", dir, e))
    };
    let new: HashSet<OsString> = list(staging)?.into_iter().collect();
    let mut aside = OsString::from(".zhen-aside-");
    aside.push(std::process::id().to_string());
    let aside = staging.join(aside);
    for name in &new {
        let (from, to) = (staging.join(name), out.join(name));
        let result = if fs::symlink_metadata(&to).is_ok() {
            swap::exchange(&from, &to, &aside).map(|old| {
                if old == aside {
                    // Without an exchange the old entry was set aside: keep it with the rest.
                    let _ = fs::rename(&aside, &from);
                }
            })
        } else {
            fs::rename(&from, &to)
        };
        result.map_err(|e| partial(io_error("无法替换", &to, e)))?;
    }
    for name in list(out)? {
        if !new.contains(&name) && !ours(&name) {
            fs::rename(out.join(&name), staging.join(&name))
                .map_err(|e| partial(io_error("无法移走旧文件", &out.join(&name), e)))?;
        }
    }
    Ok(())
}

/// Clears what a build killed before it finished left in `place` (named `prefix` +
/// `staging-`/`old-`/`patch-` + a process id): a patch begun on `out` is undone first (its
/// old files put back), then the folder is removed. Only folders that carry zhen's marker, or
/// are empty, are touched.
fn remove_leftovers(place: &Path, prefix: &OsString, out: &Path) {
    let Ok(entries) = fs::read_dir(place) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .as_encoded_bytes()
            .strip_prefix(prefix.as_encoded_bytes())
        else {
            continue;
        };
        let path = entry.path();
        let kind = ["staging-", "old-", "patch-"]
            .into_iter()
            .find(|k| rest.starts_with(k.as_bytes()));
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let marked = path.join(MARKER).is_file();
        if kind.is_none()
            || !is_dir
            || !(marked || fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none()))
        {
            continue;
        }
        if kind == Some("patch-") && marked {
            let _ = patch::recover(&path, out);
        } else {
            let _ = remove_tree(&path);
        }
    }
}

/// Removes a folder zhen made (its entries in parallel), its marker last: a removal cut short
/// (a killed build) leaves a folder that still says it is zhen's, which the next build then
/// removes.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries
        .par_iter()
        .filter(|entry| entry.file_name() != MARKER)
        .try_for_each(|entry| {
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(entry.path())
            } else {
                fs::remove_file(entry.path())
            }
        })?;
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, text: &str) -> Output {
        Output {
            path: path.into(),
            body: Body::Rendered(Arc::from(text.as_bytes())),
        }
    }

    #[test]
    fn unchanged_files_keep_their_mtime_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        write_site(
            &[
                out("a/index.html", "A"),
                out("b.html", "B"),
                out("gone.html", "G"),
            ],
            &public,
            None,
        )
        .unwrap();
        let before = fs::metadata(public.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stats = write_site(
            &[out("a/index.html", "A"), out("b.html", "B2")],
            &public,
            None,
        )
        .unwrap();
        assert_eq!((stats.files, stats.unchanged), (2, 1));
        assert_eq!(
            fs::metadata(public.join("a/index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            before
        );
        assert_eq!(fs::read_to_string(public.join("b.html")).unwrap(), "B2");
        assert!(!public.join("gone.html").exists());
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(left.len(), 2, "only public/ and the lock: {left:?}");
        assert!(public.join(MARKER).is_file());
    }

    #[test]
    fn a_previous_output_is_linked_only_at_its_own_path() {
        let dir = tempfile::tempdir().unwrap();
        let public = guard::resolve(&dir.path().join("public"));
        write_site(&[out("a.html", "A"), out("b.html", "B")], &public, None).unwrap();
        let previous = |name: &str| Output {
            path: name.into(),
            body: Body::Previous {
                file: public.join(name),
                hash: 0,
            },
        };
        // b.html's previous file given for a.html: read and written, not linked in its place.
        let moved = Output {
            path: "a.html".into(),
            body: previous("b.html").body,
        };
        let stats = write_site(&[moved, previous("b.html")], &public, None).unwrap();
        assert_eq!((stats.files, stats.unchanged), (2, 1));
        assert_eq!(fs::read_to_string(public.join("a.html")).unwrap(), "B");
        assert_eq!(fs::read_to_string(public.join("b.html")).unwrap(), "B");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |name: &str| fs::metadata(public.join(name)).unwrap().ino();
            let b = ino("b.html");
            write_site(&[previous("a.html"), previous("b.html")], &public, None).unwrap();
            assert_eq!(ino("b.html"), b, "kept as a hard link to the same file");
            assert_ne!(ino("a.html"), b);
        }
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        write_site(&[out("index.html", "old")], &public, None).unwrap();
        let missing = Output {
            path: "x.png".into(),
            body: Body::File(dir.path().join("nope.png")),
        };
        assert!(write_site(&[out("index.html", "new"), missing], &public, None).is_err());
        assert_eq!(
            fs::read_to_string(public.join("index.html")).unwrap(),
            "old"
        );
    }
}
