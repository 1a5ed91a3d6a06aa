//! What render keeps for the next rebuild of `playbook watch`: every output
//! it made, with its key (the mechanism is [`crate::incremental`]).
//!
//! A render reads the cache through [`Memos`], which holds this render's
//! keys, and hands back what it made as [`Fresh`], which replaces the cache's
//! contents once the render has succeeded. The phases of the render never
//! see the cache itself.

use std::sync::{Arc, Mutex, MutexGuard};

use super::context::Base;
use super::links::Inbound;
use super::print::Skeleton;
use super::templates::Theme;
use crate::incremental::{hash, BodyHashes, Keys, Made, Memo, Reuse};
use crate::model::{Kind, Rendered, Site};
use crate::search::{self, Dictionary, PageIndex, Run, SearchReuse};

/// Outputs of the last successful render, by key. Empty for a one-off build.
#[derive(Default)]
pub struct Cache {
    markdown: Memo<Arc<Rendered>>,
    pages: Memo<Arc<Vec<u8>>>,
    print: Memo<Arc<str>>,
    /// Section indexes and the decision tree's pages, by output path.
    whole: Memo<Arc<Vec<u8>>>,
    search: Memo<Arc<PageIndex>>,
    search_files: Memo<Arc<Vec<u8>>>,
    search_runs: Vec<Arc<Run>>,
    /// print.html's skeleton, with its key: it lists every page, so
    /// rendering it on each save cost 8 % of a rebuild at 10,000 pages.
    skeleton: Option<(u64, Arc<Skeleton>)>,
    bodies: BodyHashes,
    /// The search index's terms; its numbers are only valid for `search`.
    /// Locked only by the one render using the cache; a lock, so that it can
    /// grow while the memos above are being read.
    dictionary: Mutex<Dictionary>,
    /// What the last render did, for the watch log and tests.
    pub stats: Stats,
}

/// Pages rendered afresh in the last render, out of all of them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub markdown: usize,
    pub templates: usize,
    /// Runs of pages whose search postings were gathered afresh.
    pub search_runs: usize,
}

/// What one render made, with its keys: the next cache.
#[derive(Default)]
pub(super) struct Fresh {
    pub markdown: Made<Arc<Rendered>>,
    pub pages: Made<Arc<Vec<u8>>>,
    pub print: Made<Arc<str>>,
    pub whole: Made<Arc<Vec<u8>>>,
    pub search: Option<search::Made>,
    pub skeleton: Option<(u64, Arc<Skeleton>)>,
    pub bodies: BodyHashes,
    pub stats: Stats,
}

impl Cache {
    /// Before a render: a dictionary holding mostly terms that no page holds
    /// any more is replaced, and the pages' search terms with it, since
    /// their numbers belong to the old one.
    pub(super) fn retire_stale_dictionary(&mut self) {
        let dictionary = self.dictionary.get_mut().unwrap_or_else(|e| e.into_inner());
        if dictionary.is_stale() {
            *dictionary = Dictionary::default();
            self.search = Memo::default();
            self.search_runs = Vec::new();
        }
    }

    /// After a successful render: what it made is all there is to reuse.
    pub(super) fn keep(&mut self, fresh: Fresh) {
        self.markdown = fresh.markdown.into_iter().collect();
        self.pages = fresh.pages.into_iter().collect();
        self.print = fresh.print.into_iter().collect();
        self.whole = fresh.whole.into_iter().collect();
        self.skeleton = fresh.skeleton;
        self.bodies = fresh.bodies;
        if let Some(made) = fresh.search {
            self.search = made.pages.into_iter().collect();
            self.search_files = made.files.into_iter().collect();
            self.search_runs = made.runs;
        }
        self.stats = fresh.stats;
    }
}

/// One render's view of the cache: what it may reuse, under this render's
/// keys. Keys that depend on what the render finds (what links where) are made
/// when asked for.
pub(super) struct Memos<'a> {
    cache: &'a Cache,
    keys: Keys,
    search_keys: Vec<u64>,
}

impl<'a> Memos<'a> {
    /// This render's memos, with its body hashes for the next one's cache.
    pub fn new(cache: &'a Cache, site: &Site) -> (Memos<'a>, BodyHashes) {
        let (keys, bodies) = Keys::new(site, &cache.bodies);
        let search_keys = keys.markdown.iter().map(|m| hash(&("search", m))).collect();
        let memos = Memos {
            cache,
            keys,
            search_keys,
        };
        (memos, bodies)
    }

    pub fn markdown(&self) -> Reuse<'_, Arc<Rendered>> {
        Reuse {
            memo: &self.cache.markdown,
            keys: &self.keys.markdown,
        }
    }

    pub fn search(&self) -> SearchReuse<'_> {
        SearchReuse {
            pages: Reuse {
                memo: &self.cache.search,
                keys: &self.search_keys,
            },
            files: &self.cache.search_files,
            runs: &self.cache.search_runs,
        }
    }

    /// The dictionary, for this render alone.
    pub fn dictionary(&self) -> MutexGuard<'a, Dictionary> {
        self.cache
            .dictionary
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// What every page shows of the site beside its own inputs: the
    /// settings, the navigation, the pages every sidebar lists (`sidebar`,
    /// as drawn for no page in particular) and the theme.
    pub fn shared(&self, base: &Base, theme: &Theme, sidebar: &str) -> u64 {
        let base_json = serde_json::to_string(base).unwrap_or_default();
        hash(&(base_json, sidebar, theme.fingerprint))
    }

    /// Each page's own file, under `keys` (from [`Memos::page_keys`]).
    pub fn pages<'k>(&'k self, keys: &'k [u64]) -> Reuse<'k, Arc<Vec<u8>>> {
        Reuse {
            memo: &self.cache.pages,
            keys,
        }
    }

    pub fn page_keys(
        &self,
        site: &Site,
        rendered: &[Arc<Rendered>],
        inbound: &[Inbound],
        shared: u64,
    ) -> Vec<u64> {
        // Besides its own links and references, a page shows the cards of
        // what links to it, of the pages its text links to (in its map) and
        // of its sidebar's window in a long kind.
        let around = |page: usize| {
            let i: &Inbound = &inbound[page];
            let cards = |pages: &[usize]| self.keys.of(pages);
            let groups: Vec<(&str, Vec<u64>)> = i
                .groups
                .iter()
                .map(|(l, p)| (l.as_str(), cards(p)))
                .collect();
            let prose: Vec<usize> = rendered[page].links.iter().map(|l| l.target).collect();
            let window: Vec<usize> = super::sidebar::nav_window_range(site, page)
                .map(|r| r.collect())
                .unwrap_or_default();
            hash(&(
                cards(&i.related),
                groups,
                cards(&i.linked_from),
                cards(&prose),
                cards(&window),
            ))
        };
        self.keys.pages(site, &around, shared)
    }

    /// Each page's part of print.html, under `keys` (from [`Memos::print_keys`]).
    pub fn print<'k>(&'k self, keys: &'k [u64]) -> Reuse<'k, Arc<str>> {
        Reuse {
            memo: &self.cache.print,
            keys,
        }
    }

    pub fn print_keys(&self, site: &Site, has_tree: bool, shared: u64) -> Vec<u64> {
        self.keys.print_parts(site, has_tree, shared)
    }

    /// A section index shows every card of its kind.
    pub fn section_key(&self, site: &Site, kind: Kind, shared: u64) -> u64 {
        let cards: Vec<u64> = site.of_kind(kind).map(|(j, _)| self.keys.card[j]).collect();
        hash(&("section", site.config.model.name(kind), cards, shared))
    }

    /// The tree's files show its source and every card.
    pub fn tree_key(&self, site: &Site, shared: u64) -> u64 {
        let source = site.tree.as_ref().map(|t| (&t.shown_path, &t.text));
        hash(&("tree", source, &self.keys.card, shared))
    }

    /// print.html's skeleton shows the tree and every page's card, as the
    /// tree's files do.
    pub fn skeleton_key(&self, site: &Site, shared: u64) -> u64 {
        hash(&("print skeleton", self.tree_key(site, shared)))
    }

    /// The skeleton made under `key`.
    pub fn skeleton(&self, key: u64) -> Option<Arc<Skeleton>> {
        self.cache
            .skeleton
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, s)| s.clone())
    }

    /// A whole file (a section index, a tree file) made under `key`.
    pub fn whole(&self, path: &str, key: u64) -> Option<Arc<Vec<u8>>> {
        self.cache.whole.get(path, key)
    }

    /// Every page's Markdown render with its key, for the next memo.
    pub fn markdown_made(&self, site: &Site, rendered: Vec<Arc<Rendered>>) -> Made<Arc<Rendered>> {
        site.pages
            .iter()
            .zip(&self.keys.markdown)
            .zip(rendered)
            .map(|((p, &k), r)| (p.content_path.clone(), k, r))
            .collect()
    }
}
