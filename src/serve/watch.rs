//! Watches the site's sources (content/, static/, templates/, themes/, site.toml) and hands
//! debounced batches of changed paths to the rebuild loop. Mere reads (`Access` events) and
//! editors' temporary files are ignored; folders created later are watched as they appear.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::content::is_ignored_name;

/// The folders below the site root whose changes matter.
pub const WATCHED_DIRS: &[&str] = &["content", "static", "templates", "themes"];

/// How long a batch with a new folder waits for the files written into it (see `forward`).
const NEW_FOLDER_DELAY: Duration = Duration::from_millis(300);

/// A batch of changes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Changed files and folders, relative to the site root.
    pub paths: Vec<PathBuf>,
}

impl Changes {
    /// Whether site.toml changed (everything must be rebuilt).
    pub fn config_changed(&self) -> bool {
        self.paths.iter().any(|p| p == Path::new("site.toml"))
    }

    /// Whether only stylesheets changed (the browser can swap them without reloading).
    pub fn only_css(&self) -> bool {
        !self.paths.is_empty()
            && self
                .paths
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }
}

/// Whether a change to `rel` (relative to the root) can affect the site.
pub fn relevant(rel: &Path) -> bool {
    let Some(first) = rel.components().next() else {
        return false;
    };
    let first = first.as_os_str().to_string_lossy();
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (first == "site.toml" || WATCHED_DIRS.contains(&first.as_ref()))
        && !rel
            .components()
            .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
        && !name.is_empty()
}

/// Starts watching `root`; batches of relevant changes are sent to `tx` for as long as its
/// receiver is held.
pub fn watch(root: &Path, tx: Sender<Changes>) -> notify::Result<()> {
    // Events carry absolute paths.
    let root = &std::fs::canonicalize(root)?;
    let (raw_tx, raw_rx) = channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(80), None, raw_tx)?;
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let root = root.to_path_buf();
    std::thread::spawn(move || forward(&root, raw_rx, tx, debouncer));
    Ok(())
}

/// Turns raw debounced events into batches; owns the debouncer so it lives with the thread.
fn forward<D>(
    root: &Path,
    raw: Receiver<DebounceEventResult>,
    tx: Sender<Changes>,
    mut debouncer: notify_debouncer_full::Debouncer<notify::RecommendedWatcher, D>,
) where
    D: notify_debouncer_full::FileIdCache,
{
    for result in raw {
        let Ok(events) = result else { continue };
        let mut changes = Changes::default();
        for event in events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
        {
            for path in &event.paths {
                let Ok(rel) = path.strip_prefix(root) else {
                    continue;
                };
                // A watched folder that did not exist at start: watch it from now on.
                if rel.components().count() == 1
                    && WATCHED_DIRS.iter().any(|d| rel == Path::new(d))
                    && path.is_dir()
                {
                    let _ = debouncer.watch(path, RecursiveMode::Recursive);
                }
                if relevant(rel) && !changes.paths.iter().any(|p| p == rel) {
                    changes.paths.push(rel.to_path_buf());
                }
            }
        }
        // Files written into a folder just created can come before the watcher watches it,
        // and their events are lost: a batch with a new folder waits until they are written.
        if events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Create(_)) && e.paths.iter().any(|p| p.is_dir()))
        {
            std::thread::sleep(NEW_FOLDER_DELAY);
        }
        if !changes.paths.is_empty() && tx.send(changes).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_relevant() {
        assert!(relevant(Path::new("content/theory/a.md")));
        assert!(relevant(Path::new("site.toml")));
        assert!(relevant(Path::new("themes/township/static/css/style.css")));
        assert!(!relevant(Path::new("public/index.html")));
        assert!(!relevant(Path::new("content/theory/.a.md.swp")));
        assert!(!relevant(Path::new("content/theory/a.md~")));
        assert!(!relevant(Path::new("target/debug/zhen")));
        assert!(!relevant(Path::new("README.md")));
    }

    #[test]
    fn css_only_batches_are_recognised() {
        let css = Changes {
            paths: vec!["static/a.css".into()],
        };
        assert!(css.only_css() && !css.config_changed());
        let mixed = Changes {
            paths: vec!["static/a.css".into(), "site.toml".into()],
        };
        assert!(!mixed.only_css() && mixed.config_changed());
    }
}
