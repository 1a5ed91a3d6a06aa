//! What the rebuild loop and the server threads share: the last good site,
//! the latest errors, and every open browser's event stream.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use crate::output::{Contents, Output};

/// One successful build, as served.
pub struct Snapshot {
    pub output: Output,
    /// Copied files are read from these folders when requested, and only
    /// from these: the content folder and `static/`, resolved once here
    /// (those that exist) rather than at every request.
    pub sources: Vec<PathBuf>,
    /// Size and modification time of each copied file, so an edited image
    /// counts as a change even though its output entry (a path) is the same.
    pub(super) stamps: BTreeMap<String, Option<(u64, SystemTime)>>,
}

impl Snapshot {
    pub(super) fn new(output: Output, sources: Vec<PathBuf>) -> Snapshot {
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
                Contents::Bytes(_) | Contents::Pieces(_) | Contents::Written => None,
            })
            .collect();
        let sources = sources
            .iter()
            .filter_map(|dir| std::fs::canonicalize(dir).ok())
            .collect();
        Snapshot {
            output,
            sources,
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
    pub(super) current: Mutex<Current>,
    clients: Mutex<Vec<Sender<Arc<str>>>>,
}

/// A poisoned lock only means another thread panicked while holding it; the
/// data (an `Arc` swap or a list of senders) is still whole, so keep serving.
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
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

    pub(super) fn broadcast(&self, message: &str) {
        let message: Arc<str> = Arc::from(message);
        lock(&self.clients).retain(|tx| tx.send(message.clone()).is_ok());
    }
}

/// One Server-Sent Events message.
pub(super) fn sse(event: &str, data: &str) -> Arc<str> {
    Arc::from(format!("event: {event}\ndata: {data}\n\n"))
}
