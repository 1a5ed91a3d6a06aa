//! What render keeps for the next rebuild of `playbook watch`: every
//! output it made, with its key (see [`crate::incremental`]).

use std::sync::Arc;

use crate::incremental::Memo;
use crate::model::Rendered;
use crate::search::{Dictionary, PageIndex};

/// Outputs of the last successful render, by key. Empty for a one-off build.
#[derive(Default)]
pub struct Cache {
    pub(super) markdown: Memo<Arc<Rendered>>,
    pub(super) pages: Memo<Arc<Vec<u8>>>,
    pub(super) print: Memo<Arc<str>>,
    /// Section indexes and the decision tree's pages, by output path.
    pub(super) whole: Memo<Arc<Vec<u8>>>,
    pub(super) search: Memo<Arc<PageIndex>>,
    pub(super) search_texts: Memo<Arc<str>>,
    /// The search index's terms; its numbers are only valid for `search`.
    /// Locked only by the one render using the cache; a lock, so that it can
    /// grow while the memos above are being read.
    pub(super) dictionary: std::sync::Mutex<Dictionary>,
    /// What the last render did, for the watch log and tests.
    pub stats: Stats,
}

/// Pages rendered afresh in the last render, out of all of them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub markdown: usize,
    pub templates: usize,
}
