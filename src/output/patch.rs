//! Publishes a small change to an existing output in place, for a build that rewrites a few
//! files of a large site (an edit): the changed files are first written in full into a patch
//! folder, then each is renamed over its old file, the old one kept aside in the patch folder
//! until all are in. A failure on the way puts every old file back; a build killed on the way
//! leaves a journal from which the next build puts them back. Unchanged files are not touched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::guard::MARKER_TEXT;
use super::{Body, MARKER};

/// What publishing does to one path of the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// The file there is replaced by the new one.
    Replace,
    /// The file is new.
    Add,
    /// The file is no longer part of the site.
    Remove,
}

/// One file of a patch: its path in the output folder, what happens to it, and the new
/// bytes (for a file replaced or added).
pub struct Change<'a> {
    pub path: String,
    pub step: Step,
    pub body: Option<&'a Body>,
}

/// The journal's name inside the patch folder: once it is there, the patch has begun.
const JOURNAL: &str = "journal.json";

/// The new files, inside the patch folder.
const NEW: &str = "new";

/// The old files set aside, inside the patch folder.
const OLD: &str = "old";

/// Writes the new files of `changes` into `patch/new/`, then puts the patch into `out`. On an
/// error the output is as it was (every step taken is undone) and the patch folder is gone.
pub fn publish(changes: &[Change<'_>], out: &Path, patch: &Path) -> io::Result<()> {
    let staged = changes.par_iter().try_for_each(|c| {
        let Some(body) = c.body else {
            return Ok(());
        };
        let dest = patch.join(NEW).join(&c.path);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&dest, body.bytes()?)
    });
    // A new marker replaces the output's last, like any file: its time tells `zhen deploy`
    // when the site was built, and undoing the patch puts the old one back.
    let staged = staged.and_then(|()| {
        fs::create_dir_all(patch.join(NEW))?;
        fs::write(patch.join(NEW).join(MARKER), MARKER_TEXT)
    });
    let steps: Vec<(&str, Step)> = changes
        .iter()
        .map(|c| (c.path.as_str(), c.step))
        .chain([(MARKER, Step::Replace)])
        .collect();
    let journal = || {
        let text = serde_json::to_vec(&steps).map_err(io::Error::other)?;
        let temp = patch.join("journal.tmp");
        fs::write(&temp, text)?;
        fs::rename(&temp, patch.join(JOURNAL))
    };
    if let Err(e) = staged.and_then(|()| journal()) {
        let _ = super::remove_tree(patch);
        return Err(e);
    }
    if let Err(e) = apply(&steps, out, patch) {
        undo(&steps, out, patch);
        let _ = super::remove_tree(patch);
        return Err(e);
    }
    super::remove_tree(patch)
}

/// Takes the steps in order: each replaced or removed file goes aside into `patch/old/`, each
/// new one into place, and folders left empty go.
fn apply(steps: &[(&str, Step)], out: &Path, patch: &Path) -> io::Result<()> {
    for (path, step) in steps {
        let (target, old, new) = places(path, out, patch);
        match step {
            Step::Replace => {
                make_parent(&old)?;
                keep_aside(&target, &old)?;
                fs::rename(&new, &target)?;
            }
            Step::Add => {
                make_parent(&target)?;
                fs::rename(&new, &target)?;
            }
            Step::Remove => {
                make_parent(&old)?;
                fs::rename(&target, &old)?;
                remove_empty_parents(&target, out);
            }
        }
    }
    Ok(())
}

/// Keeps the file at `target` at `old` too, before a new one is renamed over it: a hard link,
/// else a copy.
fn keep_aside(target: &Path, old: &Path) -> io::Result<()> {
    if fs::hard_link(target, old).is_ok() {
        return Ok(());
    }
    fs::copy(target, old).map(drop)
}

/// Puts back what the steps of a patch changed in `out`, as far as they got: every old file
/// set aside returns to its place, every new file that got in goes.
fn undo(steps: &[(&str, Step)], out: &Path, patch: &Path) {
    for (path, step) in steps.iter().rev() {
        let (target, old, new) = places(path, out, patch);
        match step {
            Step::Replace | Step::Remove => {
                if old.exists() {
                    let _ = make_parent(&target);
                    let _ = fs::rename(&old, &target);
                }
            }
            Step::Add => {
                if !new.exists() && fs::remove_file(&target).is_ok() {
                    remove_empty_parents(&target, out);
                }
            }
        }
    }
}

/// Puts `out` back as it was before the patch a killed build left in `patch`, and removes
/// the patch folder. Without a journal the patch had not begun: `out` is as it was.
pub fn recover(patch: &Path, out: &Path) -> io::Result<()> {
    if let Ok(text) = fs::read(patch.join(JOURNAL)) {
        let steps: Vec<(String, Step)> = serde_json::from_slice(&text).map_err(io::Error::other)?;
        if steps.iter().any(|(p, _)| super::unsafe_file(p).is_some()) {
            return Err(io::Error::other("补丁记录里有输出目录以外的路径"));
        }
        let steps: Vec<(&str, Step)> = steps.iter().map(|(p, s)| (p.as_str(), *s)).collect();
        undo(&steps, out, patch);
    }
    super::remove_tree(patch)
}

/// The path in the output folder, the old file's place and the new file's place.
fn places(path: &str, out: &Path, patch: &Path) -> (PathBuf, PathBuf, PathBuf) {
    (
        out.join(path),
        patch.join(OLD).join(path),
        patch.join(NEW).join(path),
    )
}

fn make_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) => fs::create_dir_all(dir),
        None => Ok(()),
    }
}

/// Removes the folders above `file` that are empty now, up to `out` (kept).
fn remove_empty_parents(file: &Path, out: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output folder, and the patch folder beside it with its marker.
    fn site(dir: &Path) -> (PathBuf, PathBuf) {
        let out = dir.join("public");
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/index.html"), "A").unwrap();
        fs::write(out.join("b.html"), "B").unwrap();
        fs::create_dir_all(out.join("gone")).unwrap();
        fs::write(out.join("gone/x.html"), "X").unwrap();
        fs::write(out.join(MARKER), "old").unwrap();
        let patch = dir.join(".public.zhen-patch-1");
        fs::create_dir(&patch).unwrap();
        fs::write(patch.join(MARKER), "new").unwrap();
        (out, patch)
    }

    /// a/index.html replaced, c/d.html added, gone/x.html removed.
    fn changes(bodies: &[Body; 2]) -> Vec<Change<'_>> {
        let change = |path: &str, step, body| Change {
            path: path.into(),
            step,
            body,
        };
        vec![
            change("a/index.html", Step::Replace, Some(&bodies[0])),
            change("c/d.html", Step::Add, Some(&bodies[1])),
            change("gone/x.html", Step::Remove, None),
        ]
    }

    fn bodies() -> [Body; 2] {
        [
            Body::Builtin(b"A2".as_slice()),
            Body::Builtin(b"D".as_slice()),
        ]
    }

    #[test]
    fn a_patch_replaces_adds_and_removes() {
        let dir = tempfile::tempdir().unwrap();
        let (out, patch) = site(dir.path());
        publish(&changes(&bodies()), &out, &patch).unwrap();
        let marker = fs::read_to_string(out.join(MARKER)).unwrap();
        assert_eq!(marker, MARKER_TEXT, "a new marker");
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "A2");
        assert_eq!(fs::read_to_string(out.join("c/d.html")).unwrap(), "D");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "B");
        assert!(!out.join("gone").exists(), "the emptied folder goes too");
        assert!(!patch.exists());
    }

    #[test]
    fn a_killed_patch_is_undone_by_recover() {
        let dir = tempfile::tempdir().unwrap();
        let (out, patch) = site(dir.path());
        // As a build killed after its first two steps leaves it.
        let bodies = bodies();
        let changes = changes(&bodies);
        let steps: Vec<(&str, Step)> = changes
            .iter()
            .map(|c| (c.path.as_str(), c.step))
            .chain([(MARKER, Step::Replace)])
            .collect();
        let journal = serde_json::to_vec(&steps).unwrap();
        fs::write(patch.join(JOURNAL), journal).unwrap();
        fs::create_dir_all(patch.join("new/c")).unwrap();
        fs::write(patch.join("new/c/d.html"), "D").unwrap();
        fs::create_dir_all(patch.join("old/a")).unwrap();
        fs::hard_link(out.join("a/index.html"), patch.join("old/a/index.html")).unwrap();
        fs::write(dir.path().join("new-a"), "A2").unwrap();
        fs::rename(dir.path().join("new-a"), out.join("a/index.html")).unwrap();
        fs::create_dir_all(out.join("c")).unwrap();
        fs::rename(patch.join("new/c/d.html"), out.join("c/d.html")).unwrap();
        recover(&patch, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "A");
        assert!(!out.join("c").exists());
        assert_eq!(fs::read_to_string(out.join("gone/x.html")).unwrap(), "X");
        assert!(!patch.exists());
    }

    #[test]
    fn a_failing_step_puts_everything_back() {
        let dir = tempfile::tempdir().unwrap();
        let (out, patch) = site(dir.path());
        // b.html/e.html cannot be added: b.html is a file, not a folder. Staging it inside the
        // patch folder works; putting it in place does not.
        let bodies = bodies();
        let e = Body::Builtin(b"E".as_slice());
        let mut changes = changes(&bodies);
        changes.push(Change {
            path: "b.html/e.html".into(),
            step: Step::Add,
            body: Some(&e),
        });
        assert!(publish(&changes, &out, &patch).is_err());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "A");
        assert_eq!(fs::read_to_string(out.join("gone/x.html")).unwrap(), "X");
        assert!(!out.join("c").exists());
        assert_eq!(fs::read_to_string(out.join(MARKER)).unwrap(), "old");
        assert!(!patch.exists());
    }
}
