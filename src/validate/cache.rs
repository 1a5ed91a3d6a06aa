//! What `watch` keeps of one validate for the next: the pages as read and
//! the site checked from them. A save that changes only page bodies (the
//! commonest save there is) changes nothing validate looks at, so the next
//! validate takes the last site and puts the new bodies in.
//!
//! At 10,000 pages checking every page again was 46–67 ms of a 220 ms save
//! (fields 20, sort 8, references 22; `PLAYBOOK_TIMINGS=1 playbook watch`).

use std::sync::Arc;

use crate::config::Config;
use crate::load::{Loaded, RawPage};
use crate::model::Site;

/// The last validate's input, and its site once the compile it was part of
/// succeeded (see [`Cache::keep_site`]).
#[derive(Default)]
pub struct Cache {
    /// The pages the last validate checked, as read, in load order.
    raw: Vec<Arc<RawPage>>,
    include_drafts: bool,
    /// The site checked from `raw`, handed back after a good compile.
    site: Option<Site>,
    /// Which site the last validate made, if it found nothing wrong: the
    /// only one that may be handed back.
    made: Option<Identity>,
    /// Pages whose fields the last validate checked (0: it reused the site).
    pub checked: usize,
}

impl Cache {
    /// Gives back the site the last validate made, once every later stage has
    /// accepted it too; the next validate may then start from it. A site from
    /// anywhere else, or the same one a second time, is not taken.
    pub fn keep_site(&mut self, site: Site) {
        if self.made == Some(Identity::of(&site)) {
            self.made = None;
            self.site = Some(site);
        }
    }

    /// The last site, with the bodies of `loaded` in place of its own, if
    /// nothing else validate reads differs from the last validate's input.
    /// Otherwise `None`, and the caller checks every page.
    pub(super) fn reuse(
        &mut self,
        config: &Config,
        loaded: &Loaded,
        include_drafts: bool,
    ) -> Option<Site> {
        self.made = None;
        let mut site = self.site.take()?;
        let same = include_drafts == self.include_drafts
            && *config == site.config
            && loaded.unreadable.is_empty()
            && loaded.assets == site.assets
            && loaded.tree == site.tree
            && patch(&mut site, &self.raw, &loaded.pages);
        if same {
            return Some(site);
        }
        // As below: freeing 10,000 pages takes a while, and nothing waits.
        rayon::spawn(move || drop(site));
        None
    }

    /// Keeps what this validate read, for the next one, and which site it
    /// made from it if it found no problem, so that the site may be handed
    /// back.
    pub(super) fn keep_input(
        &mut self,
        raw: Vec<Arc<RawPage>>,
        include_drafts: bool,
        made: Option<&Site>,
    ) {
        self.raw = raw;
        self.include_drafts = include_drafts;
        self.made = made.map(Identity::of);
    }
}

/// What tells one site from another, however often it is moved: where its
/// pages are held (no two live sites share it) and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity(usize, usize);

impl Identity {
    fn of(site: &Site) -> Identity {
        Identity(site.pages.as_ptr() as usize, site.pages.len())
    }
}

/// Puts the bodies of `new` into `site` where they differ from `old`'s,
/// if `new` is `old` with nothing but bodies changed: the same files in the
/// same order, each with the same front matter at the same line. Returns
/// false otherwise (`site` is then half patched and must be dropped).
fn patch(site: &mut Site, old: &[Arc<RawPage>], new: &[Arc<RawPage>]) -> bool {
    if old.len() != new.len() {
        return false;
    }
    for (a, b) in old.iter().zip(new) {
        // A file the load did not read again.
        if Arc::ptr_eq(a, b) {
            continue;
        }
        let same_front = Arc::ptr_eq(&a.front, &b.front) || a.front.written == b.front.written;
        let same_place = a.content_path == b.content_path
            && a.shown_path == b.shown_path
            && a.kind == b.kind
            && a.id == b.id
            && a.body_line == b.body_line;
        if !(same_front && same_place) {
            return false;
        }
        match site.by_content_path.get(&b.content_path) {
            Some(&i) => site.pages[i].body = b.body.clone(),
            // A draft left out: its body shows nowhere.
            None if site.excluded_drafts.contains_key(&b.content_path) => {}
            None => return false,
        }
    }
    true
}
