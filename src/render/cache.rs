//! What one rebuild of `playbook watch` reuses from the one before.
//!
//! Each page's Markdown render, HTML page, part of print.html and search
//! terms are stored with a key: a hash of every input they were made from.
//! The next rebuild computes the keys again (cheap: no Markdown, no
//! templates) and reuses any output whose key is unchanged. So an edit to one
//! page re-renders that page and the pages whose output shows something of
//! it (those that list it, link to it or sit next to it); a change to the
//! set of pages, the assets or the theme changes every key it feeds.
//!
//! Keys are 64-bit hashes; two different inputs sharing one is as likely as
//! any 64-bit collision, and the cache only lives as long as one `watch`.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3Default;

use super::markdown::Rendered;
use crate::validate::Site;

/// Outputs of the last successful render, by key. Empty for a one-off build.
#[derive(Default)]
pub struct Cache {
    pub(super) markdown: Memo<Arc<Rendered>>,
    pub(super) pages: Memo<Arc<Vec<u8>>>,
    pub(super) print: Memo<Arc<str>>,
    /// Section indexes and the decision tree's pages, by output path.
    pub(super) whole: Memo<Arc<Vec<u8>>>,
    pub(super) search: Memo<Arc<crate::search::PageIndex>>,
    pub(super) search_texts: Memo<Arc<str>>,
    /// The search index's terms; its numbers are only valid for `search`.
    /// Locked only by the one render using the cache; a lock, so that it can
    /// grow while the memos above are being read.
    pub(super) dictionary: std::sync::Mutex<crate::search::Dictionary>,
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

/// Outputs of one kind, by name (a page's path), each with its key.
pub struct Memo<V> {
    entries: HashMap<String, (u64, V)>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            entries: HashMap::new(),
        }
    }
}

impl<V: Clone> Memo<V> {
    /// The stored output for `name`, if it was made from inputs with `key`.
    pub fn get(&self, name: &str, key: u64) -> Option<V> {
        self.entries
            .get(name)
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }
}

impl<V> FromIterator<(String, u64, V)> for Memo<V> {
    fn from_iter<I: IntoIterator<Item = (String, u64, V)>>(iter: I) -> Self {
        Memo {
            entries: iter.into_iter().map(|(n, k, v)| (n, (k, v))).collect(),
        }
    }
}

/// Outputs made by one render, `(name, key, output)`, to become the next memo.
pub type Made<V> = Vec<(String, u64, V)>;

/// A memo to read from and the keys of this render, one per page.
pub struct Reuse<'a, V> {
    pub memo: &'a Memo<V>,
    pub keys: &'a [u64],
}

impl<V: Clone> Reuse<'_, V> {
    pub fn get(&self, i: usize, name: &str) -> Option<V> {
        self.memo.get(name, self.keys[i])
    }

    /// One output per page, named by the page's path, for the next memo.
    pub fn made(&self, site: &Site, outputs: &[V]) -> Made<V> {
        site.pages
            .iter()
            .zip(outputs)
            .zip(self.keys)
            .map(|((p, v), &k)| (p.out_path.clone(), k, v.clone()))
            .collect()
    }
}

/// XXH3: keys hash every page's text on each rebuild, and SipHash (std's
/// default) was a tenth of a 1,000-page rebuild in perf.
pub fn hash(value: &impl Hash) -> u64 {
    let mut h = Xxh3Default::new();
    value.hash(&mut h);
    h.finish()
}

/// The keys of one render.
pub struct Keys {
    /// Each page on its own: every field, body included.
    pub page: Vec<u64>,
    /// What other pages show of a page when they link to it or list it:
    /// see `render::link` and print's page links.
    pub card: Vec<u64>,
    /// A page's Markdown render: the page, and what its links can point to
    /// (every page's place and path, the assets and their sizes, the drafts
    /// left out). Page indices mean the same thing under one key.
    pub markdown: Vec<u64>,
}

impl Keys {
    pub fn new(site: &Site) -> Keys {
        let page: Vec<u64> = site.pages.par_iter().map(hash).collect();
        let card = site
            .pages
            .iter()
            .map(|p| hash(&(&p.out_path, &p.id, &p.title, &p.summary, p.kind, p.verdict)))
            .collect();
        let mut env = Xxh3Default::new();
        for p in &site.pages {
            (&p.content_path, &p.out_path, &p.id).hash(&mut env);
        }
        for a in &site.assets {
            (&a.content_path, a.size).hash(&mut env);
        }
        let mut drafts: Vec<&String> = site.excluded_drafts.keys().collect();
        drafts.sort();
        drafts.hash(&mut env);
        let env = env.finish();
        let markdown = page.iter().map(|k| hash(&(k, env))).collect();
        Keys {
            page,
            card,
            markdown,
        }
    }

    /// Each page's HTML: its Markdown render, what every page shows of the
    /// site (`shared`: settings, navigation, theme), and the cards of the
    /// pages it lists, is linked from and sits beside.
    pub fn pages(&self, site: &Site, backlinks: &[Vec<usize>], shared: u64) -> Vec<u64> {
        (0..site.pages.len())
            .map(|i| {
                let p = &site.pages[i];
                let (prev, next) = super::neighbours(site, i);
                hash(&(
                    self.markdown[i],
                    shared,
                    self.of(&p.patterns),
                    self.of(&p.related),
                    self.of(&backlinks[i]),
                    prev.map(|j| self.card[j]),
                    next.map(|j| self.card[j]),
                ))
            })
            .collect()
    }

    /// Each page's part of print.html: its Markdown render, the site, whether
    /// there is a decision tree (links to it stay inside print.html), and the
    /// cards of the pages it lists.
    pub fn print_parts(&self, site: &Site, has_tree: bool, shared: u64) -> Vec<u64> {
        (0..site.pages.len())
            .map(|i| {
                let p = &site.pages[i];
                hash(&(
                    "print",
                    self.markdown[i],
                    shared,
                    has_tree,
                    self.of(&p.patterns),
                    self.of(&p.related),
                ))
            })
            .collect()
    }

    /// The card keys of `pages`, for a key that depends on what they show.
    pub fn of(&self, pages: &[usize]) -> Vec<u64> {
        pages.iter().map(|&j| self.card[j]).collect()
    }
}
