//! Following the site's files: which folders are watched (kept in step with
//! book.toml), which events matter, and how the events of one save become
//! one batch.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::display_path;

/// Quiet time after the last relevant event before a batch counts as one save.
/// Editors touch files several times per save within a millisecond or two;
/// this folds them into one rebuild while adding little to the save → reload
/// time. `PLAYBOOK_WATCH_DEBOUNCE_MS` sets another (a slow network drive, or
/// the test suite, whose "editor" shares two cores with browsers).
const DEBOUNCE: Duration = Duration::from_millis(10);

fn debounce() -> Duration {
    std::env::var("PLAYBOOK_WATCH_DEBOUNCE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(DEBOUNCE, Duration::from_millis)
}
/// A save that never goes quiet (a long copy) is built at least this often.
const MAX_BATCH: Duration = Duration::from_secs(1);
/// How often the polling fallback looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// Changes that belong to one save.
pub(super) struct Batch {
    pub changed: BTreeSet<PathBuf>,
    /// The watcher lost events: anything may have changed.
    pub lost: bool,
}

/// Waits for a change that matters, then for [`DEBOUNCE`] of quiet, so the
/// several events of one editor save (temp file, rename, backup, chmod) make
/// one rebuild. Events about files that do not matter neither start nor
/// prolong a batch.
pub(super) fn next_batch(rx: &Receiver<notify::Result<Event>>, watch: &Watch) -> Option<Batch> {
    let quiet = debounce();
    let mut changed = BTreeSet::new();
    let mut lost = false;
    let mut started: Option<Instant> = None;
    loop {
        let event = match started {
            None => rx.recv().ok()?,
            Some(start) => {
                if start.elapsed() > MAX_BATCH {
                    break;
                }
                match rx.recv_timeout(quiet) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
        };
        match event {
            Ok(event) => {
                let relevant: Vec<PathBuf> = event
                    .paths
                    .into_iter()
                    .filter(|p| watch.is_relevant(p))
                    .collect();
                if !relevant.is_empty() {
                    changed.extend(relevant);
                    started.get_or_insert_with(Instant::now);
                }
            }
            Err(e) => {
                // A lost event (e.g. a full inotify queue) could be anything: rebuild.
                eprintln!("warning: file watcher: {e}");
                changed.insert(watch.root.join(CONFIG_FILE));
                lost = true;
                started.get_or_insert_with(Instant::now);
            }
        }
    }
    Some(Batch { changed, lost })
}

/// Starts the OS's file watcher, or a polling one. Reads are dropped at the
/// source: inotify reports every open, and the rebuild itself opens every file,
/// which would otherwise trigger the next rebuild, forever.
fn watcher(poll: bool, tx: Sender<notify::Result<Event>>) -> Box<dyn Watcher + Send> {
    let handler = move |event: notify::Result<Event>| {
        let is_read = event.as_ref().is_ok_and(
            |e| matches!(e.kind, EventKind::Access(a) if a != AccessKind::Close(AccessMode::Write)),
        );
        if !is_read {
            let _ = tx.send(event);
        }
    };
    if !poll {
        match RecommendedWatcher::new(handler.clone(), notify::Config::default()) {
            Ok(w) => return Box::new(w),
            Err(e) => eprintln!("warning: file events unavailable ({e}); polling instead"),
        }
    }
    // notify's poller keeps modification times in whole seconds, so two saves
    // within a second would look like one: compare contents as well.
    let config = notify::Config::default()
        .with_poll_interval(POLL_INTERVAL)
        .with_compare_contents(true);
    match PollWatcher::new(handler, config) {
        Ok(w) => Box::new(w),
        // Creating a poll watcher only spawns a thread; if even that fails,
        // there is no way to follow the files at all.
        Err(e) => {
            eprintln!("error: cannot watch files: {e}");
            std::process::exit(1)
        }
    }
}

/// The folders watched, kept in step with book.toml: the site folder itself
/// (for book.toml and new top-level folders), the content folder, the site's
/// templates/ and themes/.
pub(super) struct Watch {
    pub(super) root: PathBuf,
    watcher: Box<dyn Watcher + Send>,
    polling: bool,
    tx: Sender<notify::Result<Event>>,
    watched: BTreeSet<PathBuf>,
    content_dir: PathBuf,
}

impl Watch {
    pub(super) fn new(root: &Path, poll: bool, tx: Sender<notify::Result<Event>>) -> Watch {
        Watch {
            root: root.to_path_buf(),
            watcher: watcher(poll, tx.clone()),
            polling: poll,
            tx,
            watched: BTreeSet::new(),
            content_dir: root.join("content"),
        }
    }

    /// The folders worth watching recursively, from the current book.toml:
    /// the content, the site's templates and themes, and `static/`.
    fn trees(&self) -> [PathBuf; 4] {
        [
            self.content_dir.clone(),
            self.root.join("templates"),
            self.root.join("themes"),
            self.root.join(crate::load::static_dir::STATIC_DIR),
        ]
    }

    pub(super) fn is_relevant(&self, path: &Path) -> bool {
        if path == self.root.join(CONFIG_FILE) {
            return true;
        }
        self.trees().iter().any(|tree| {
            path.strip_prefix(tree).is_ok_and(|rel| {
                !rel.components()
                    .any(|c| crate::load::is_ignored(&c.as_os_str().to_string_lossy()))
            })
        })
    }

    /// A watched folder that was itself deleted or replaced has lost its
    /// watch: drop it so [`Watch::sync`] adds it again.
    pub(super) fn forget(&mut self, paths: &BTreeSet<PathBuf>) {
        let gone: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|w| *w != &self.root && paths.contains(*w))
            .cloned()
            .collect();
        for dir in gone {
            let _ = self.watcher.unwatch(&dir);
            self.watched.remove(&dir);
        }
    }

    /// Watches what should be watched now, and nothing else.
    pub(super) fn sync(&mut self) {
        if let Ok(config) = Config::load(&self.root) {
            self.content_dir = config.content_dir;
        }
        let mut wanted: BTreeMap<PathBuf, RecursiveMode> = BTreeMap::new();
        wanted.insert(self.root.clone(), RecursiveMode::NonRecursive);
        for tree in self.trees() {
            if tree.is_dir() {
                wanted.insert(tree, RecursiveMode::Recursive);
            }
        }
        let stale: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|w| !wanted.contains_key(*w))
            .cloned()
            .collect();
        for dir in stale {
            let _ = self.watcher.unwatch(&dir);
            self.watched.remove(&dir);
        }
        for (dir, mode) in wanted {
            if self.watched.contains(&dir) {
                continue;
            }
            match self.watcher.watch(&dir, mode) {
                Ok(()) => {
                    self.watched.insert(dir);
                }
                Err(e) if !self.polling => {
                    // Typically the inotify watch limit. Polling has no limit.
                    eprintln!(
                        "warning: cannot watch {} ({e}); polling for changes instead",
                        display_path(&dir)
                    );
                    self.watcher = watcher(true, self.tx.clone());
                    self.polling = true;
                    self.watched.clear();
                    return self.sync();
                }
                Err(e) => eprintln!("warning: cannot watch {}: {e}", display_path(&dir)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn editor_droppings_and_other_folders_are_not_changes() {
        let (tx, _rx) = mpsc::channel();
        let root = std::env::temp_dir();
        let watch = Watch::new(&root, true, tx);
        for p in [
            "content/cases/a.md",
            "content/cases/new-folder",
            "content/img.png",
            "book.toml",
            "templates/page.html",
            "themes/x/static/style.css",
            "static/CNAME",
        ] {
            assert!(watch.is_relevant(&root.join(p)), "{p}");
        }
        for p in [
            "content/cases/.a.md.swp",
            "content/cases/a.md~",
            "content/cases/4913",
            "content/.git/index",
            "content/cases/a.md___jb_tmp___",
            "public/index.html",
            "target/debug/x",
            "book.toml~",
        ] {
            assert!(!watch.is_relevant(&root.join(p)), "{p}");
        }
    }
}
