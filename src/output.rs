//! The rendered site in memory, and where a build hands each file as it is
//! made. A leaf: render produces an [`Output`] (and feeds a [`Sink`]), write
//! and watch consume it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;

/// One output file's contents.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Shared with the watch cache, which hands the same page to the next
    /// rebuild without a copy.
    Bytes(Arc<Vec<u8>>),
    /// A file copied as is (content assets), read only when written or served.
    Copy(PathBuf),
    /// Already handed to the render's [`Sink`], which wrote it; nothing kept.
    Written,
    /// A file kept as its pieces, joined only when read: print.html in
    /// `watch`, made of every page's part. Joining them on each save copied
    /// the whole site into one fresh string (100 MB at 10,000 pages, a fifth
    /// of the rebuild's time); the pieces are shared with the watch cache.
    Pieces(Arc<[Arc<str>]>),
}

impl Contents {
    /// The pieces of [`Contents::Pieces`] as one file.
    pub fn join(pieces: &[Arc<str>]) -> Vec<u8> {
        let mut out = Vec::with_capacity(pieces.iter().map(|p| p.len()).sum());
        for p in pieces {
            out.extend_from_slice(p.as_bytes());
        }
        out
    }
}

/// Where a render hands each file as soon as it is made, so that a build
/// need not hold the whole site in memory: at 10,000 pages that is a
/// gigabyte, and first-touching it cost more than writing it. `check` and
/// `watch` render without one and keep every file in [`Output`].
pub trait Sink: Sync {
    /// Opens the file at output path `path` for writing, replacing it.
    fn open(&self, path: &str) -> Result<Box<dyn SinkFile + '_>, Diagnostic>;

    /// Writes the whole file at once.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.open(path)?.append(bytes)
    }
}

/// A file a [`Sink`] is writing, in pieces.
pub trait SinkFile: Send {
    fn append(&mut self, bytes: &[u8]) -> Result<(), Diagnostic>;
}

/// The whole site, rendered: output path (with `/`) → contents.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, Contents>,
    /// Number of HTML pages, for the build summary.
    pub pages: usize,
}

impl Output {
    pub(crate) fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files
            .insert(path.into(), Contents::Bytes(Arc::new(bytes.into())));
    }
}
