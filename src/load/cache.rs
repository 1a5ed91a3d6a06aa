//! What `watch` keeps of one load for the next: each page as parsed, with
//! the stamp of the file it came from.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::Path;
use std::sync::Arc;

use super::{Listing, RawPage};

/// Pages parsed by the last load, with the stamp of the file they came from:
/// `watch` reads and parses again only the files whose stamp changed.
#[derive(Default)]
pub struct Cache {
    /// By the file's path as bytes: `Path`'s own hash walks its components,
    /// and of the three lookups per file the inserts alone were 3 % of a
    /// `watch` rebuild's instructions at 10,000 pages (callgrind).
    pages: HashMap<OsString, (Option<Stamp>, Arc<RawPage>)>,
    /// What the last load's walk found.
    listing: Option<Listing>,
    /// The page files changed since the last load, when that is all that
    /// changed: the next load uses `listing` again and reads only these.
    saved: Option<HashSet<OsString>>,
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
    /// reads them again whatever their stamps say. If every one of them is a
    /// page file the last load read, and still a file, the next load also
    /// skips the walk and the stamps of the other files: `watch` names every
    /// path its events name, and a new, removed or renamed file, a folder, an
    /// asset or a lost event names something else (a save by rename names
    /// the page's own path, which is fine).
    pub fn forget<'a>(&mut self, paths: impl IntoIterator<Item = &'a Path>) {
        let paths: Vec<&Path> = paths.into_iter().collect();
        let pages_only = !paths.is_empty()
            && paths
                .iter()
                .all(|p| self.pages.contains_key(p.as_os_str()) && p.is_file());
        if pages_only && self.listing.is_some() {
            let saved = self.saved.get_or_insert_with(HashSet::new);
            saved.extend(paths.iter().map(|p| p.as_os_str().to_owned()));
        } else {
            self.saved = None;
            self.listing = None;
        }
        for path in paths {
            // A page file is one entry; only a folder means a walk over all
            // of them (10,000 `starts_with` were 3 % of a save's samples).
            if self.pages.remove(path.as_os_str()).is_none() {
                self.pages.retain(|p, _| !Path::new(p).starts_with(path));
            }
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

    /// The page read from `path`, as kept.
    pub(super) fn page(&self, path: &Path) -> Option<&Arc<RawPage>> {
        self.pages.get(path.as_os_str()).map(|(_, page)| page)
    }

    /// Keeps `page`, read from `path` with `stamp`, in place of any other.
    pub(super) fn insert(&mut self, path: &Path, stamp: Option<Stamp>, page: Arc<RawPage>) {
        self.pages
            .insert(path.as_os_str().to_owned(), (stamp, page));
    }

    /// The last walk's findings and the page files saved since, if nothing
    /// else changed; otherwise the load walks again.
    pub(super) fn take_listing(&mut self) -> Option<(Listing, HashSet<OsString>)> {
        let saved = self.saved.take()?;
        Some((self.listing.take()?, saved))
    }

    pub(super) fn keep_listing(&mut self, listing: Listing) {
        self.listing = Some(listing);
    }

    /// Takes out every page kept, to be put back by [`Cache::keep`].
    pub(super) fn take(&mut self) -> HashMap<OsString, (Option<Stamp>, Arc<RawPage>)> {
        std::mem::take(&mut self.pages)
    }

    pub(super) fn keep(&mut self, pages: HashMap<OsString, (Option<Stamp>, Arc<RawPage>)>) {
        self.pages = pages;
    }
}
