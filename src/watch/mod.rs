//! `playbook watch`: file events → debounced batch → full in-memory rebuild →
//! atomic swap of the served site → one event to every open browser.
//!
//! Nothing is written to disk: the site is compiled with [`crate::compile`] and
//! served from memory by [`serve`], so a half-edited preview can never end up in
//! the publish folder, and there is no temporary folder to clean up on Ctrl-C.
//! A failed or even panicking rebuild keeps the last good site on the air.
//!
//! [`files`] follows the site's files and folds the events of one save into
//! one batch; [`rebuild`] compiles and swaps the site in; [`state`] is what
//! the loop and the server share; [`serve`] answers the browsers over the
//! bounded connections of [`http`].

mod files;
mod http;
mod rebuild;
pub mod serve;
mod state;

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::{display_path, Diagnostic};
use crate::{Failure, Options};
use files::{next_batch, Watch};
use rebuild::rebuild;
pub use state::{Current, Snapshot, State};

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
