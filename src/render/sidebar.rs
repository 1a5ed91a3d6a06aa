//! The playbook's contents on every page: the decision tree, each kind with
//! its pages in index order (the current page marked), free-standing pages.
//!
//! Written here rather than in a template: at 1,000 pages the template spent
//! 2.6 thousand instructions a link, 530 million a build for one copy of the
//! list (callgrind, one thread), against a few hundred a link here. A theme
//! that wants its own sidebar ignores `sidebar` and builds one from `nav`.

use std::fmt::Write as _;
use std::sync::OnceLock;

use crate::escape::html_attr;
use crate::model::{Kind, Site};

/// Kinds of up to this many pages are listed whole in every page's sidebar.
/// Listing every page of a 6,000-page kind on each of its pages would make
/// the output grow with the square of the site (mdBook's sidebar does).
const SIDEBAR_LIMIT: usize = 100;

/// Pages listed on either side of the current one in a longer kind.
const SIDEBAR_WINDOW: usize = 7;

/// The pages the sidebar lists around page `i`, when its kind is too long
/// to list whole; the render cache keys a page by them too.
pub(super) fn nav_window_range(site: &Site, i: usize) -> Option<std::ops::Range<usize>> {
    let page = &site.pages[i];
    if !matches!(page.kind, Kind::Declared(_)) {
        return None;
    }
    let range = site.kind_range(page.kind);
    if range.len() <= SIDEBAR_LIMIT {
        return None;
    }
    let start = i.saturating_sub(SIDEBAR_WINDOW).max(range.start);
    let end = (i + SIDEBAR_WINDOW + 1).min(range.end);
    Some(start..end)
}

/// What the page showing the sidebar is.
#[derive(Clone, Copy)]
pub(super) enum Current {
    Page(usize),
    Section(Kind),
    Decide,
    Other,
}

/// The sidebar, ready to draw for any page: each page's link is escaped
/// once per build, not once per page that lists it. Escaping and
/// formatting every link on every page cost 297 million instructions at
/// 1,000 pages (callgrind, one thread), an eighth of the build.
pub(super) struct Sidebar<'a> {
    site: &'a Site,
    has_tree: bool,
    /// Per page: its escaped path, and what its link shows (mark and title).
    /// Made when first shown: a `watch` rebuild draws a few sidebars, and
    /// making all 10,000 items for them was 4.6 % of its instructions
    /// (callgrind).
    items: Vec<OnceLock<(String, String)>>,
}

impl<'a> Sidebar<'a> {
    pub(super) fn new(site: &'a Site, has_tree: bool) -> Sidebar<'a> {
        Sidebar {
            site,
            has_tree,
            items: site.pages.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    fn item(&self, i: usize) -> &(String, String) {
        self.items[i].get_or_init(|| {
            let page = &self.site.pages[i];
            let mut label = String::new();
            if let Some(badge) = self.site.config.model.badge(page.kind, &page.fields) {
                let _ = write!(
                    label,
                    r#"<span class="sb-mark tone-{}" aria-hidden="true"></span>"#,
                    badge.tone.as_deref().unwrap_or("neutral")
                );
            }
            label.push_str(&html_attr(&page.title));
            (html_attr(&page.out_path), label)
        })
    }

    /// The sidebar's HTML for a page whose way back to the site root is `root`.
    pub(super) fn html(&self, root: &str, current: Current) -> String {
        let site = self.site;
        let model = &site.config.model;
        let mut s = String::with_capacity(8192);
        let here = |on: bool| if on { r#" aria-current="page""# } else { "" };
        if self.has_tree {
            let _ = write!(
                s,
                r#"<p class="sb-decide"><a href="{root}decide.html"{}>Walk the decision tree</a></p>"#,
                here(matches!(current, Current::Decide))
            );
        }
        s.push_str(r#"<ul class="sb-kinds">"#);
        let current_page = match current {
            Current::Page(i) => Some(i),
            _ => None,
        };
        for kind in model.sections() {
            let range = site.kind_range(kind);
            let _ = write!(
                s,
                r#"<li class="sb-kind"><a class="sb-kind-link" href="{root}{}/index.html"{}>{} <span class="count">{}</span></a>"#,
                model.folder(kind),
                here(matches!(current, Current::Section(k) if k == kind)),
                html_attr(model.plural(kind)),
                range.len()
            );
            if range.len() <= SIDEBAR_LIMIT {
                self.list(&mut s, site, root, range, current_page, (0, 0), kind);
            } else if let Some(shown) = current_page
                .filter(|&i| site.pages[i].kind == kind)
                .and_then(|i| nav_window_range(site, i))
            {
                let around = (shown.start - range.start, range.end - shown.end);
                self.list(&mut s, site, root, shown, current_page, around, kind);
            }
            s.push_str("</li>");
        }
        let free = site.kind_range(Kind::Page);
        if !free.is_empty() {
            s.push_str(r#"<li class="sb-kind sb-free">"#);
            self.list(&mut s, site, root, free, current_page, (0, 0), Kind::Page);
            s.push_str("</li>");
        }
        s.push_str("</ul>");
        s
    }

    /// The pages `range` as a list, with how many of the kind come `around`
    /// them (before, after) when it shows only some.
    #[allow(clippy::too_many_arguments)]
    fn list(
        &self,
        s: &mut String,
        site: &Site,
        root: &str,
        range: std::ops::Range<usize>,
        current: Option<usize>,
        around: (usize, usize),
        kind: Kind,
    ) {
        let index = format!("{root}{}/index.html", site.config.model.folder(kind));
        s.push_str("<ul>");
        if around.0 > 0 {
            let _ = write!(
                s,
                r#"<li class="sb-more"><a href="{index}">{} before</a></li>"#,
                around.0
            );
        }
        for i in range {
            let (path, label) = self.item(i);
            s.push_str(r#"<li><a href=""#);
            s.push_str(root);
            s.push_str(path);
            s.push_str(if current == Some(i) {
                r#"" aria-current="page">"#
            } else {
                r#"">"#
            });
            s.push_str(label);
            s.push_str("</a></li>");
        }
        if around.1 > 0 {
            let _ = write!(
                s,
                r#"<li class="sb-more"><a href="{index}">{} more</a></li>"#,
                around.1
            );
        }
        s.push_str("</ul>");
    }
}

/// The sidebar of one page outside the per-page loop (indexes, the tree,
/// print.html, 404.html): built for the occasion.
pub(super) fn html(site: &Site, has_tree: bool, root: &str, current: Current) -> String {
    Sidebar::new(site, has_tree).html(root, current)
}
