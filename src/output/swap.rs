//! The file-system steps of publishing: a lock so that one build at a time writes an output,
//! replacing one folder by another in a single rename where the system allows it, and telling
//! a mount point (which cannot be renamed) from a plain folder.

use std::fs::{self, File};
use std::io;
use std::path::Path;

/// An exclusive lock on an output folder, held until dropped (the system releases it when the
/// process ends, also when it is killed).
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock at `path` (the file is created and kept); `Ok(None)` when another
    /// process holds it.
    pub fn take(path: &Path) -> io::Result<Option<Lock>> {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Lock { _file: file })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }
}

/// Puts the folder `new` at `dest` and the folder that was at `dest` at `new`, in one step
/// where the system can (Linux `renameat2(RENAME_EXCHANGE)`). Elsewhere, or on a file system
/// without it, `dest` is first renamed to `aside` and the new folder moved in; a failure of
/// the second rename moves the old folder back. Afterwards the old folder is at `new` or
/// `aside`; the path it is at is returned.
pub fn exchange<'a>(new: &'a Path, dest: &Path, aside: &'a Path) -> io::Result<&'a Path> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, new, CWD, dest, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(new),
            Err(e)
                if e == rustix::io::Errno::INVAL
                    || e == rustix::io::Errno::NOSYS
                    || e == rustix::io::Errno::OPNOTSUPP => {}
            Err(e) => return Err(e.into()),
        }
    }
    fs::rename(dest, aside)?;
    if let Err(e) = fs::rename(new, dest) {
        let _ = fs::rename(aside, dest);
        return Err(e);
    }
    Ok(aside)
}

/// Whether `dir` is a mount point (a Docker volume, a tmpfs): it cannot be renamed, so its
/// new contents are built inside it.
pub fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (Ok(real), Some(parent)) = (fs::canonicalize(dir), dir.parent()) else {
            return false;
        };
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let (Ok(a), Ok(b)) = (fs::metadata(&real), fs::metadata(parent))
            && a.dev() != b.dev()
        {
            return true;
        }
        // A bind mount of a folder on the same device shows only in the mount table.
        #[cfg(target_os = "linux")]
        if let Ok(table) = fs::read_to_string("/proc/self/mountinfo") {
            return table
                .lines()
                .filter_map(|l| l.split(' ').nth(4))
                .any(|m| Path::new(&unescape_mount_path(m)) == real);
        }
        false
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// The mount table writes space, tab, newline and backslash as octal escapes (`\040`).
#[cfg(target_os = "linux")]
fn unescape_mount_path(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match octal {
            Some(d) => {
                out.push(d.iter().fold(0u8, |n, c| n.wrapping_mul(8) + (c - b'0')));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, aside) = (
            dir.path().join("new"),
            dir.path().join("public"),
            dir.path().join("old"),
        );
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("x"), "new").unwrap();
        fs::write(b.join("x"), "old").unwrap();
        let old = exchange(&a, &b, &aside).unwrap();
        assert_eq!(fs::read_to_string(b.join("x")).unwrap(), "new");
        assert_eq!(fs::read_to_string(old.join("x")).unwrap(), "old");
    }

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let first = Lock::take(&path).unwrap();
        assert!(first.is_some());
        assert!(Lock::take(&path).unwrap().is_none());
        drop(first);
        assert!(Lock::take(&path).unwrap().is_some());
    }

    #[test]
    fn plain_folders_are_not_mount_points() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("public")).unwrap();
        assert!(!is_mount_point(&dir.path().join("public")));
        #[cfg(target_os = "linux")]
        assert!(is_mount_point(Path::new("/proc")));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mount_table_escapes_are_read() {
        assert_eq!(unescape_mount_path(r"/mnt/my\040site"), "/mnt/my site");
        assert_eq!(unescape_mount_path(r"/a\\b"), r"/a\\b");
    }
}
