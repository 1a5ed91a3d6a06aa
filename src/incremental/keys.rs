//! The keys of one render: for each page, a hash of every input each of its
//! outputs is made from.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::hash;
use crate::model::{Page, Site};

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

/// Each page body's hash, by the body itself: `watch`'s load hands an
/// unchanged file's body to the next rebuild as the same allocation, so its
/// hash need not be computed again. At 10,000 pages (76 MB of Markdown)
/// hashing every body took 8 ms of each save's 27 ms of keys on two cores;
/// looked up here, 1–3 ms.
#[derive(Default)]
pub struct BodyHashes(HashMap<usize, (Arc<str>, u64)>);

impl BodyHashes {
    fn get(&self, body: &Arc<str>) -> Option<u64> {
        self.0
            .get(&body_address(body))
            .filter(|(kept, _)| Arc::ptr_eq(kept, body))
            .map(|&(_, h)| h)
    }
}

/// What tells bodies apart in [`BodyHashes`]; the map holds each body, so an
/// address is not reused while it is a key.
fn body_address(body: &Arc<str>) -> usize {
    Arc::as_ptr(body).cast::<u8>() as usize
}

/// A page's key: every field, with its body's hash in place of the body.
fn page_key(p: &Page, body: u64) -> u64 {
    // Named one by one, so that a new field cannot be left out of the key.
    let Page {
        kind,
        id,
        title,
        summary,
        shown_path,
        content_path,
        out_path,
        body: _,
        body_line,
        related,
        fields,
        markdown_at,
        weight,
        draft,
    } = p;
    // The path as bytes: `Path`'s own hash parses its components.
    let shown_path = shown_path.as_os_str();
    hash(&(
        (kind, id, title, summary, shown_path, content_path, out_path),
        (body, body_line, related, fields, markdown_at, weight, draft),
    ))
}

impl Keys {
    /// The keys of `site`'s render, with the body hashes for the next one;
    /// `bodies` holds the last render's.
    pub fn new(site: &Site, bodies: &BodyHashes) -> (Keys, BodyHashes) {
        let body: Vec<u64> = site
            .pages
            .par_iter()
            .map(|p| bodies.get(&p.body).unwrap_or_else(|| hash(&p.body)))
            .collect();
        let page: Vec<u64> = site
            .pages
            .par_iter()
            .zip(&body)
            .map(|(p, &b)| page_key(p, b))
            .collect();
        let fresh = BodyHashes(
            site.pages
                .iter()
                .zip(&body)
                .map(|(p, &b)| (body_address(&p.body), (p.body.clone(), b)))
                .collect(),
        );
        let card = site
            .pages
            .iter()
            .map(|p| {
                let badge = site.config.model.badge(p.kind, &p.fields);
                hash(&(&p.out_path, &p.id, &p.title, &p.summary, p.kind, badge))
            })
            .collect();
        let places: Vec<_> = site
            .pages
            .iter()
            .map(|p| (&p.content_path, &p.out_path, &p.id))
            .collect();
        let assets: Vec<_> = site
            .assets
            .iter()
            .map(|a| (&a.content_path, a.size))
            .collect();
        let mut drafts: Vec<&String> = site.excluded_drafts.keys().collect();
        drafts.sort();
        // Labels, kinds and fields show in every page.
        let env = hash(&(&*site.config.model, places, assets, drafts));
        let markdown = page.iter().map(|k| hash(&(k, env))).collect();
        let keys = Keys {
            page,
            card,
            markdown,
        };
        (keys, fresh)
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
