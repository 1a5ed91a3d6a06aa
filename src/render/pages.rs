//! The files the theme's templates make: each page's HTML file, the section
//! indexes, the decision tree's pages and map, and 404.html; then what the
//! site adds beside them (.nojekyll, the sitemap, the author's own files).
//!
//! Each function renders one kind of file; whether it is rendered at all or
//! taken from the watch cache is decided by the caller, in [`super::render`].

use std::sync::Arc;

use super::context::{canonical, page_context, section_context};
use super::links::Inbound;
use super::templates::Theme;
use super::tree_context::decide_context;
use super::{sitemap, tree_svg, DECIDE_MAP_PAGE, DECIDE_PAGE};
use crate::diagnostics::Diagnostic;
use crate::incremental::Reuse;
use crate::model::{Kind, Rendered, Site, Tree};
use crate::output::{Contents, Output, Sink};

/// A whole file's bytes, rendered now or taken from the cache.
pub(super) type FileBytes = Result<Arc<Vec<u8>>, Diagnostic>;

/// A page's HTML, if anything keeps it (the watch cache, or the output when
/// there is no sink), and whether it was rendered now rather than reused.
pub(super) type PageHtml = (Option<Arc<Vec<u8>>>, bool);

/// Renders each page's own file: page.html, or index.html for the home page.
pub(super) struct PageFiles<'a> {
    pub site: &'a Site,
    pub inbound: &'a [Inbound],
    pub base: &'a tera::Context,
    pub sidebar: &'a super::sidebar::Sidebar<'a>,
    /// The boxes of the page maps.
    pub boxes: &'a super::page_map::Boxes<'a>,
    pub theme: &'a Theme,
    pub reuse: Option<Reuse<'a, Arc<Vec<u8>>>>,
    /// Each file goes here as soon as it is made, if there is one.
    pub sink: Option<&'a dyn Sink>,
    /// Whether the HTML is kept after the sink has it.
    pub keep: bool,
}

impl PageFiles<'_> {
    /// Page `i`'s file, rendered from its `rendered` Markdown or reused, and
    /// handed to the sink.
    pub fn page(&self, i: usize, rendered: &Rendered) -> Result<PageHtml, Diagnostic> {
        let site = self.site;
        let page = &site.pages[i];
        let reused = self.reuse.as_ref().and_then(|r| r.get(i, &page.out_path));
        let fresh = reused.is_none();
        let html = match reused {
            Some(html) => html,
            None => {
                let ctx = page_context(
                    site,
                    i,
                    rendered,
                    &self.inbound[i],
                    self.base,
                    self.sidebar,
                    self.boxes,
                );
                let template = if page.kind == Kind::Home {
                    "index.html"
                } else {
                    "page.html"
                };
                // A bench page is its body and about as much again around it.
                let capacity = rendered.html.len() * 2 + 16 * 1024;
                let mut html = self.theme.render_bytes(template, &ctx, capacity)?;
                if self.keep {
                    // Kept for the watch cache: only what it holds.
                    html.shrink_to_fit();
                }
                Arc::new(html)
            }
        };
        if let Some(sink) = self.sink {
            sink.put(&page.out_path, &html)?;
        }
        Ok((self.keep.then_some(html), fresh))
    }
}

/// The output path of `kind`'s index page.
pub(super) fn section_path(site: &Site, kind: Kind) -> String {
    format!("{}/index.html", site.config.model.folder(kind))
}

/// The index page of `kind`: every page of the kind, as cards.
pub(super) fn section(site: &Site, kind: Kind, base: &tera::Context, theme: &Theme) -> FileBytes {
    let path = section_path(site, kind);
    theme
        .render("section.html", &section_context(site, kind, &path, base))
        .map(|html| Arc::new(html.into_bytes()))
}

/// The decision tree's files: its page, its full-size map page and the map
/// alone as SVG, each with whether it is a page, and each taken from
/// `cached` when it holds it.
pub(super) fn tree_files(
    site: &Site,
    tree: &Tree,
    theme: &Theme,
    base: &tera::Context,
    cached: &dyn Fn(&str) -> Option<Arc<Vec<u8>>>,
) -> Vec<(&'static str, bool, FileBytes)> {
    let made = |path: &str, make: &mut dyn FnMut() -> Result<String, Diagnostic>| match cached(path)
    {
        Some(bytes) => Ok(bytes),
        None => make().map(|s| Arc::new(s.into_bytes())),
    };
    let calls = &site.config.model.tree.calls;
    let mut ctx = decide_context(site, tree, base);
    let mut files = Vec::new();
    // The default decide.html links to the map rather than shrinking it into
    // its column; `tree_svg` is still there for a theme that shows it, its
    // boxes opening the same spot of the full map.
    let pages: [(&str, &str, &str); 2] = [
        (DECIDE_PAGE, "decide.html", DECIDE_MAP_PAGE),
        (DECIDE_MAP_PAGE, "decide-map.html", ""),
    ];
    for (path, template, map_target) in pages {
        let mut make = || {
            ctx.insert("tree_svg", &tree_svg::render(tree, calls, map_target));
            if path == DECIDE_MAP_PAGE {
                ctx.insert("canonical", &canonical(site, DECIDE_MAP_PAGE));
            }
            theme.render(template, &ctx)
        };
        files.push((path, true, made(path, &mut make)));
    }
    let svg = "assets/decide-tree.svg";
    let mut make = || {
        Ok(tree_svg::render(
            tree,
            calls,
            &format!("../{DECIDE_MAP_PAGE}"),
        ))
    };
    files.push((svg, false, made(svg, &mut make)));
    files
}

/// 404.html, written for the site root: hosts serve it at any depth.
pub(super) fn not_found(
    site: &Site,
    base: &tera::Context,
    theme: &Theme,
) -> Result<String, Diagnostic> {
    let mut ctx = base.clone();
    ctx.insert("root", "");
    ctx.insert(
        "sidebar",
        &super::sidebar::html(
            site,
            site.tree.is_some(),
            "",
            super::sidebar::Current::Other,
        ),
    );
    ctx.insert("current", "404");
    ctx.insert("canonical", &None::<String>);
    theme.render("404.html", &ctx)
}

/// What the site adds to its rendered files: the `.nojekyll` marker, the
/// sitemap when the site has a base URL, and the author's own files, which
/// may not take the path of a generated one.
pub(super) fn add_site_files(site: &Site, out: &mut Output) -> Result<(), Vec<Diagnostic>> {
    // GitHub Pages runs Jekyll unless told not to, and Jekyll hides `_` files.
    out.add(".nojekyll", Vec::new());
    if let Some(base_url) = &site.config.base_url {
        out.add("sitemap.xml", sitemap::sitemap(base_url, out));
    }
    // Generated files win no clash silently: a file the author placed at the
    // same output path is an error, so neither is lost by surprise.
    let clashes: Vec<Diagnostic> = site
        .assets
        .iter()
        .filter(|a| out.files.contains_key(&a.content_path))
        .map(|a| {
            Diagnostic::new(
                a.shown_path.clone(),
                format!(
                    "would overwrite `{}`, which playbook generates",
                    a.content_path
                ),
            )
            .hint("rename or move the file")
        })
        .collect();
    if !clashes.is_empty() {
        return Err(clashes);
    }
    let folded = folded_clashes(site, out);
    if !folded.is_empty() {
        return Err(folded);
    }
    for asset in &site.assets {
        out.files.insert(
            asset.content_path.clone(),
            Contents::Copy(asset.source.clone()),
        );
    }
    Ok(())
}

/// Files whose names differ only in case or in how an accent is encoded
/// (NFC `café`, NFD `café`): distinct on Linux, one file on a macOS or
/// Windows checkout, where one silently replaces the other.
fn folded_clashes(site: &Site, out: &Output) -> Vec<Diagnostic> {
    use unicode_normalization::UnicodeNormalization;
    // Only an asset can clash this way: a page's id must be lower-case
    // ASCII, and playbook's own files are named so. Folding every output
    // path cost 7.8 % of a `watch` rebuild's instructions at 10,000 pages
    // (callgrind), mostly in NFC on ASCII.
    if site.assets.is_empty() {
        return Vec::new();
    }
    let fold = |path: &str| -> String {
        if path.is_ascii() {
            path.to_ascii_lowercase()
        } else {
            path.nfc().flat_map(char::to_lowercase).collect()
        }
    };
    let mut seen: std::collections::HashMap<String, &str> =
        out.files.keys().map(|k| (fold(k), k.as_str())).collect();
    let mut diags = Vec::new();
    for asset in &site.assets {
        match seen.entry(fold(&asset.content_path)) {
            std::collections::hash_map::Entry::Occupied(other) => diags.push(
                Diagnostic::new(
                    asset.shown_path.clone(),
                    format!(
                        "`{}` and `{}` differ only in case or in how an accent is encoded: on macOS and Windows they are one file",
                        asset.content_path,
                        other.get()
                    ),
                )
                .hint("rename one of them so the names differ in more than that"),
            ),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(&asset.content_path);
            }
        }
    }
    diags
}
