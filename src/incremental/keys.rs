//! The keys of one render: for each page, a hash of every input each of its
//! outputs is made from.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3Default;

use super::hash;
use crate::model::Site;

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
            .map(|p| {
                let badge = site.config.model.badge(p.kind, &p.fields);
                hash(&(&p.out_path, &p.id, &p.title, &p.summary, p.kind, badge))
            })
            .collect();
        let mut env = Xxh3Default::new();
        // Labels, kinds and fields show in every page.
        site.config.model.hash(&mut env);
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
    /// `around(i)` is a hash of the cards of the other pages page `i` shows:
    /// what links to it, and what only the render knows (see `render::cache`).
    pub fn pages(&self, site: &Site, around: &dyn Fn(usize) -> u64, shared: u64) -> Vec<u64> {
        (0..site.pages.len())
            .map(|i| {
                let p = &site.pages[i];
                let (prev, next) = site.neighbours(i);
                hash(&(
                    self.markdown[i],
                    shared,
                    self.references(p),
                    self.of(&p.related),
                    around(i),
                    prev.map(|j| self.card[j]),
                    next.map(|j| self.card[j]),
                ))
            })
            .collect()
    }

    /// The cards of every page the page's reference fields name.
    fn references(&self, page: &crate::model::Page) -> Vec<(usize, Vec<u64>)> {
        page.references()
            .map(|(f, pages)| (f, self.of(pages)))
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
                    self.references(p),
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
