//! `playbook watch`: file events → debounced batch → full in-memory rebuild →
//! atomic swap of the served site → one event to every open browser.
//!
//! Nothing is written to disk: the site is compiled with [`crate::compile`] and
//! served from memory by [`serve`], so a half-edited preview can never end up in
//! the publish folder, and there is no temporary folder to clean up on Ctrl-C.
//! A failed or even panicking rebuild keeps the last good site on the air.

pub mod serve;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::IpAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::{display_path, Diagnostic};
use crate::output::{Contents, Output};
use crate::{Failure, Options};

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

/// What `playbook watch` was asked to do.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub build: Options,
    /// `None`: 3000, or the next free port if it is busy.
    pub port: Option<u16>,
    pub bind: IpAddr,
    pub open: bool,
    /// Poll instead of using the OS's file events.
    pub poll: bool,
}

/// Why `watch` could not start. Once it serves, nothing stops it but Ctrl-C.
#[derive(Debug)]
pub enum Error {
    Site(Failure),
    Serve { message: String, hint: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Site(Failure(diags)) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            Error::Serve { message, hint } => write!(f, "error: {message}\n  hint: {hint}"),
        }
    }
}

/// One successful build, as served.
pub struct Snapshot {
    pub output: Output,
    /// Content assets are read from here when requested, and only from here.
    pub content_dir: PathBuf,
    /// Size and modification time of each copied file, so an edited image
    /// counts as a change even though its output entry (a path) is the same.
    stamps: BTreeMap<String, Option<(u64, SystemTime)>>,
}

impl Snapshot {
    fn new(output: Output, content_dir: PathBuf) -> Snapshot {
        let stamps = output
            .files
            .iter()
            .filter_map(|(path, contents)| match contents {
                Contents::Copy(source) => {
                    let stamp = std::fs::metadata(source)
                        .ok()
                        .and_then(|m| Some((m.len(), m.modified().ok()?)));
                    Some((path.clone(), stamp))
                }
                Contents::Bytes(_) | Contents::Written => None,
            })
            .collect();
        Snapshot {
            output,
            content_dir,
            stamps,
        }
    }
}

/// What the server shows: the last good site and, if the latest rebuild failed,
/// its errors.
#[derive(Clone, Default)]
pub struct Current {
    pub site: Option<Arc<Snapshot>>,
    /// Counts successful rebuilds that changed something; pages carry it so a
    /// browser that connects late still learns it holds an old page.
    pub version: u64,
    /// The errors of the latest rebuild, as JSON, while it is broken.
    pub errors: Option<Arc<str>>,
}

/// Shared between the rebuild loop and the server threads.
#[derive(Default)]
pub struct State {
    current: Mutex<Current>,
    clients: Mutex<Vec<Sender<Arc<str>>>>,
}

/// A poisoned lock only means another thread panicked while holding it; the
/// data (an `Arc` swap or a list of senders) is still whole, so keep serving.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    pub fn current(&self) -> Current {
        lock(&self.current).clone()
    }

    /// Registers a browser for events and returns its first message.
    pub fn subscribe(&self) -> (Receiver<Arc<str>>, Arc<str>) {
        let (tx, rx) = mpsc::channel();
        // Register before reading the state: a rebuild in between then reaches
        // this browser twice (harmless) rather than never.
        lock(&self.clients).push(tx);
        let current = self.current();
        let errors = current.errors.as_deref().unwrap_or("null");
        let hello = sse(
            "hello",
            &format!("{{\"version\":{},\"errors\":{errors}}}", current.version),
        );
        (rx, hello)
    }

    fn broadcast(&self, message: &str) {
        let message: Arc<str> = Arc::from(message);
        lock(&self.clients).retain(|tx| tx.send(message.clone()).is_ok());
    }
}

/// One Server-Sent Events message.
fn sse(event: &str, data: &str) -> Arc<str> {
    Arc::from(format!("event: {event}\ndata: {data}\n\n"))
}

/// Builds, serves and rebuilds until the process is stopped.
pub fn run(options: &WatchOptions) -> Result<(), Error> {
    let root = std::fs::canonicalize(&options.build.root).map_err(|e| {
        Error::Site(
            Diagnostic::new(
                options.build.root.clone(),
                format!("cannot open the site folder: {e}"),
            )
            .hint("pass the folder that holds book.toml: `playbook watch DIR`")
            .into(),
        )
    })?;
    // Without a book.toml there is nothing to preview; a broken one is fine,
    // its errors show in the browser until it is fixed.
    if !root.join(CONFIG_FILE).is_file() {
        Config::load(&root).map_err(|d| Error::Site(d.into()))?;
    }
    let build = Options {
        root: root.clone(),
        out: None,
        drafts: options.build.drafts,
    };
    let state = Arc::new(State::default());

    // Watch before the first build, so a save during it is not lost.
    let (tx, rx) = mpsc::channel();
    let mut watch = Watch::new(&root, options.poll, tx);
    watch.sync();

    let mut cache = crate::Incremental::default();
    rebuild(&build, &state, &mut cache, &[]);
    let server = serve::Server::bind(options.bind, options.port)?;
    let url = server.url();
    eprintln!("serving at {url} (Ctrl-C to stop)");
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read the preview",
            options.bind
        );
    }
    server.spawn(state.clone());
    if options.open {
        open_browser(&url);
    }

    // The watcher holds a sender, so this only ends if its thread dies.
    while let Some(batch) = next_batch(&rx, &watch) {
        let shown: Vec<String> = batch
            .changed
            .iter()
            .map(|p| display_path(p.strip_prefix(&watch.root).unwrap_or(p)))
            .collect();
        watch.forget(&batch.changed);
        if batch.lost {
            cache = crate::Incremental::default();
        }
        cache.forget(batch.changed.iter().map(PathBuf::as_path));
        rebuild(&build, &state, &mut cache, &shown);
        watch.sync();
    }
    Err(Error::Serve {
        message: "the file watcher stopped".into(),
        hint: "restart `playbook watch`; with --poll if this keeps happening".into(),
    })
}

/// Changes that belong to one save.
struct Batch {
    changed: BTreeSet<PathBuf>,
    /// The watcher lost events: anything may have changed.
    lost: bool,
}

/// Waits for a change that matters, then for [`DEBOUNCE`] of quiet, so the
/// several events of one editor save (temp file, rename, backup, chmod) make
/// one rebuild. Events about files that do not matter neither start nor
/// prolong a batch.
fn next_batch(rx: &Receiver<notify::Result<Event>>, watch: &Watch) -> Option<Batch> {
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

/// How a successful rebuild differs from what browsers show.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    None,
    /// Only stylesheets changed: browsers swap them without a reload.
    Css(Vec<String>),
    Pages,
}

fn diff(old: Option<&Snapshot>, new: &Snapshot) -> Change {
    let Some(old) = old else {
        return Change::Pages;
    };
    let (a, b) = (&old.output.files, &new.output.files);
    if a.len() != b.len() || a.keys().ne(b.keys()) {
        return Change::Pages;
    }
    let changed: Vec<&String> = b
        .iter()
        .filter(|(path, contents)| match (&a[*path], contents) {
            (Contents::Bytes(x), Contents::Bytes(y)) => x != y,
            (Contents::Copy(x), Contents::Copy(y)) => {
                x != y || old.stamps.get(*path) != new.stamps.get(*path)
            }
            _ => true,
        })
        .map(|(path, _)| path)
        .collect();
    if changed.is_empty() {
        Change::None
    } else if changed.iter().all(|p| p.ends_with(".css")) {
        Change::Css(changed.into_iter().cloned().collect())
    } else {
        Change::Pages
    }
}

/// Compiles the site and swaps it in, or reports why not. A panic in the
/// pipeline is caught and reported like any other error: the server lives on.
fn rebuild(options: &Options, state: &State, cache: &mut crate::Incremental, changed: &[String]) {
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| {
        crate::compile_with(options, Some(&mut *cache))
    }));
    if result.is_err() {
        // Whatever the panic interrupted, start the next rebuild afresh.
        *cache = crate::Incremental::default();
    }
    let stats = cache.render.stats;
    let what = match changed {
        [] => String::new(),
        [one] => format!("{one} changed; "),
        [one, rest @ ..] => format!("{one} and {} more changed; ", rest.len()),
    };
    let diags = match result {
        Ok(Ok(compiled)) => {
            let pages = compiled.output.pages;
            let snapshot = Snapshot::new(compiled.output, compiled.site.config.content_dir);
            let (event, version) = {
                let mut current = lock(&state.current);
                let change = diff(current.site.as_deref(), &snapshot);
                current.errors = None;
                if change != Change::None || current.site.is_none() {
                    current.site = Some(Arc::new(snapshot));
                    current.version += 1;
                }
                let version = current.version;
                let event = match change {
                    Change::Pages => sse("reload", &format!("{{\"version\":{version}}}")),
                    Change::Css(paths) => sse(
                        "css",
                        &serde_json::json!({ "version": version, "paths": paths }).to_string(),
                    ),
                    // After an error the page under the overlay is the last good
                    // one; browsers reload anyway, so the fix is seen to work.
                    Change::None => sse("unchanged", &format!("{{\"version\":{version}}}")),
                };
                (event, version)
            };
            // The new site is in place before any browser hears of it.
            state.broadcast(&event);
            eprintln!(
                "{what}built {pages} pages in {} ms, {} rendered afresh (version {version})",
                start.elapsed().as_millis(),
                stats.templates
            );
            return;
        }
        Ok(Err(Failure(diags))) => diags,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            vec![Diagnostic::new(
                options.root.join(CONFIG_FILE),
                format!("internal error: the build panicked: {why}"),
            )
            .hint(
                "this is a bug in playbook, please report it; the last good site is still served",
            )]
        }
    };
    for d in &diags {
        eprintln!("{d}");
    }
    eprintln!(
        "error: {what}{} problem{} found; still serving the last good site",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    );
    let errors = errors_json(&diags);
    let version = {
        let mut current = lock(&state.current);
        current.errors = Some(Arc::from(errors.as_str()));
        current.version
    };
    state.broadcast(&sse(
        "build-error",
        &format!("{{\"version\":{version},\"errors\":{errors}}}"),
    ));
}

/// Diagnostics for the browser overlay: the same text the terminal shows, and
/// its parts, so the page can lay them out.
fn errors_json(diags: &[Diagnostic]) -> String {
    let list: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let mut location = display_path(&d.path);
            if let Some(line) = d.line {
                location.push_str(&format!(":{line}"));
                if let Some(col) = d.col {
                    location.push_str(&format!(":{col}"));
                }
            }
            serde_json::json!({
                "path": display_path(&d.path),
                "line": d.line,
                "col": d.col,
                "location": location,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
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
struct Watch {
    root: PathBuf,
    watcher: Box<dyn Watcher + Send>,
    polling: bool,
    tx: Sender<notify::Result<Event>>,
    watched: BTreeSet<PathBuf>,
    content_dir: PathBuf,
}

impl Watch {
    fn new(root: &Path, poll: bool, tx: Sender<notify::Result<Event>>) -> Watch {
        Watch {
            root: root.to_path_buf(),
            watcher: watcher(poll, tx.clone()),
            polling: poll,
            tx,
            watched: BTreeSet::new(),
            content_dir: root.join("content"),
        }
    }

    /// The folders worth watching recursively, from the current book.toml.
    fn trees(&self) -> [PathBuf; 3] {
        [
            self.content_dir.clone(),
            self.root.join("templates"),
            self.root.join("themes"),
        ]
    }

    fn is_relevant(&self, path: &Path) -> bool {
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
    fn forget(&mut self, paths: &BTreeSet<PathBuf>) {
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
    fn sync(&mut self) {
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

/// Opens `url` in the default browser; failing that, says so and goes on.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(files: &[(&str, &str)]) -> Snapshot {
        let mut output = Output::default();
        for (path, text) in files {
            output.files.insert(
                path.to_string(),
                Contents::Bytes(Arc::new(text.as_bytes().to_vec())),
            );
        }
        Snapshot::new(output, PathBuf::from("content"))
    }

    #[test]
    fn a_stylesheet_only_change_is_told_apart() {
        let old = snapshot(&[("index.html", "a"), ("assets/style.css", "x")]);
        let same = snapshot(&[("index.html", "a"), ("assets/style.css", "x")]);
        let css = snapshot(&[("index.html", "a"), ("assets/style.css", "y")]);
        let page = snapshot(&[("index.html", "b"), ("assets/style.css", "y")]);
        let added = snapshot(&[
            ("index.html", "a"),
            ("assets/style.css", "x"),
            ("b.css", ""),
        ]);
        assert_eq!(diff(Some(&old), &same), Change::None);
        assert_eq!(
            diff(Some(&old), &css),
            Change::Css(vec!["assets/style.css".into()])
        );
        assert_eq!(diff(Some(&old), &page), Change::Pages);
        assert_eq!(diff(Some(&old), &added), Change::Pages);
        assert_eq!(diff(None, &old), Change::Pages);
    }

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
