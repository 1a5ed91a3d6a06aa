//! What `watch` keeps of one load for the next: each page as parsed, with
//! the stamp of the file it came from.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;

use super::RawPage;

/// Pages parsed by the last load, with the stamp of the file they came from:
/// `watch` reads and parses again only the files whose stamp changed.
#[derive(Default)]
pub struct Cache {
    /// By the file's path as bytes: `Path`'s own hash walks its components,
    /// and of the three lookups per file the inserts alone were 3 % of a
    /// `watch` rebuild's instructions at 10,000 pages (callgrind).
    pages: HashMap<OsString, (Option<Stamp>, RawPage)>,
}

/// What tells that a file may have changed since it was read: its size, its
/// modification time, and on Unix its inode and status-change time (a file
/// replaced by a rename is a new inode). Timestamps can be coarse, so `watch`
/// also forgets every file its events name ([`Cache::forget`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, i64, i64),
}

impl Stamp {
    pub(super) fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            (m.ino(), m.ctime(), m.ctime_nsec())
        };
        Some(Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            inode,
        })
    }
}

impl Cache {
    /// Drops what was read from `paths` or from under them, so the next load
    /// reads them again whatever their stamps say.
    pub fn forget<'a>(&mut self, paths: impl IntoIterator<Item = &'a Path>) {
        for path in paths {
            self.pages.retain(|p, _| !Path::new(p).starts_with(path));
        }
    }
}

impl Cache {
    /// The page read from `path` last time, if the file's stamp is still
    /// `stamp` and it sits where it sat.
    pub(super) fn unchanged(
        &self,
        path: &Path,
        stamp: Option<Stamp>,
        content_path: &str,
        shown_path: &Path,
    ) -> bool {
        self.pages.get(path.as_os_str()).is_some_and(|(s, page)| {
            stamp.is_some()
                && *s == stamp
                && page.content_path == content_path
                && page.shown_path == shown_path
        })
    }

    /// Takes out every page kept, to be put back by [`Cache::keep`].
    pub(super) fn take(&mut self) -> HashMap<OsString, (Option<Stamp>, RawPage)> {
        std::mem::take(&mut self.pages)
    }

    pub(super) fn keep(&mut self, pages: HashMap<OsString, (Option<Stamp>, RawPage)>) {
        self.pages = pages;
    }
}
