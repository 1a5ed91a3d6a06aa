//! Site → files. This module writes nothing itself, so `build`, `check` and
//! `watch` share one render and only differ in what they do with the result:
//! `check` and `watch` keep every file in memory; `build` hands each one, as
//! it is made, to a [`Sink`] (the staging folder of [`crate::write`]).
//!
//! A render runs these phases, in order ([`Render::run`]):
//!
//! 1. **Markdown**: every page's body to HTML ([`markdown`]), feeding the
//!    search index a batch at a time; print.html's skeleton renders beside it.
//! 2. **Links**: every `#fragment` resolves; who links to whom ([`links`]).
//! 3. **Pages**: each page's own file ([`pages`]), beside the section indexes;
//!    a build streams each page's part of print.html in the same pass, lets
//!    go of each page's HTML as soon as both are made, and makes the section
//!    indexes after.
//! 4. **The tree**: decide.html, decide-map.html and the map's SVG.
//! 5. **print.html**, unless a build streamed it.
//! 6. **The rest**: 404.html, the theme's static files, the search index, and
//!    the site's own files.
//!
//! The watch cache wraps the phases: [`cache::Memos`] tells each what it may
//! reuse, and what they made is kept as [`cache::Fresh`] for the next render.

pub mod cache;
mod context;
mod images;
mod links;
mod markdown;
mod page_map;
mod pages;
pub mod print;
mod sidebar;
mod sitemap;
pub mod templates;
mod tree_context;
pub mod tree_svg;

use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::{Kind, Rendered, Site, Tree};
use crate::output::{Contents, Output, Sink};
use crate::search::{Dictionary, IndexBuilder, EXCERPT_CHARS};
use crate::timing::Timer;
pub use cache::{Cache, Stats};
use cache::{Fresh, Memos};
use context::Base;
pub use markdown::slugify;
use pages::{FileBytes, PageFiles, PageHtml};
use templates::Theme;

/// The decision tree's page, at the site root.
pub const DECIDE_PAGE: &str = "decide.html";
/// The whole tree drawn as one diagram, beside the decision tree's page.
pub const DECIDE_MAP_PAGE: &str = "decide-map.html";

/// Renders every page, reusing from `cache` whatever the last render made
/// from the same inputs and leaving this render's outputs there for the
/// next one. Files go to `sink` as they are made, if there is one; a render
/// with a sink and no cache (a build) also releases each page's Markdown
/// source once it is rendered, as nothing after needs it.
///
/// Content problems (broken links, missing fragments) are all returned at
/// once; template errors are reported once each.
pub fn render(
    site: &mut Site,
    tree: Option<&Tree>,
    theme: &Theme,
    mut cache: Option<&mut Cache>,
    sink: Option<&dyn Sink>,
) -> Result<Output, Vec<Diagnostic>> {
    let build = sink.is_some() && cache.is_none();
    let bodies = take_bodies(site, build);
    if let Some(cache) = cache.as_deref_mut() {
        cache.retire_stale_dictionary();
    }
    let mut timer = Timer::new();
    let (output, mut fresh, hashes) = {
        let (memos, hashes) = cache.as_deref().map(|c| Memos::new(c, site)).unzip();
        timer.mark("render: keys");
        let render = Render {
            site,
            tree,
            theme,
            sink,
            memos: memos.as_ref(),
            build,
        };
        let (output, fresh) = render.run(bodies)?;
        (output, fresh, hashes)
    };
    timer.mark("render");
    if let Some(cache) = cache {
        fresh.bodies = hashes.unwrap_or_default();
        cache.keep(fresh);
        timer.mark("render: keep");
    }
    Ok(output)
}

/// Each page's Markdown source, in page order. A build takes them out of
/// the site, to be freed as each page is rendered: the sources are as large
/// as the HTML to come, which then takes their memory instead of memory
/// never touched before (which the kernel must zero first).
fn take_bodies(site: &mut Site, build: bool) -> Vec<Arc<str>> {
    let empty: Arc<str> = Arc::from("");
    site.pages
        .iter_mut()
        .map(|p| match build {
            true => std::mem::replace(&mut p.body, empty.clone()),
            false => p.body.clone(),
        })
        .collect()
}

/// One render: what every phase reads.
struct Render<'a> {
    site: &'a Site,
    tree: Option<&'a Tree>,
    theme: &'a Theme,
    sink: Option<&'a dyn Sink>,
    /// The watch cache, if this is a rebuild of `watch`.
    memos: Option<&'a Memos<'a>>,
    /// A one-off build: a sink and no cache.
    build: bool,
}

/// A whole file with its cache key: a section index or a tree file.
type Whole = (String, Option<u64>, FileBytes);

/// What the phases have made so far: the output, what the cache will keep,
/// and the template errors, which are reported together at the end.
#[derive(Default)]
struct Made {
    out: Output,
    fresh: Fresh,
    errors: Vec<Diagnostic>,
}

impl Render<'_> {
    fn run(&self, bodies: Vec<Arc<str>>) -> Result<(Output, Fresh), Vec<Diagnostic>> {
        let (site, theme) = (self.site, self.theme);
        let mut timer = Timer::new();
        let mut made = Made::default();
        made.fresh.stats.pages = site.pages.len();
        let base_parts = Base::of(site, self.tree.is_some());
        let base = base_parts.context();
        let sidebar = sidebar::Sidebar::new(site, self.tree.is_some());
        let shared = self.memos.map(|m| {
            m.shared(
                &base_parts,
                theme,
                &sidebar.html("", sidebar::Current::Other),
            )
        });
        let mut dictionary = self.memos.map(|m| m.dictionary());
        let mut own_dictionary = Dictionary::default();
        let reuse_search = self.memos.map(|m| m.search());
        let mut search = IndexBuilder::new(
            site,
            EXCERPT_CHARS,
            reuse_search.as_ref(),
            dictionary.as_deref_mut().unwrap_or(&mut own_dictionary),
            self.sink,
        );

        // 1. Markdown, feeding the search index, beside print.html's skeleton.
        let skeleton_key = self.memos.zip(shared).map(|(m, s)| m.skeleton_key(site, s));
        let cached_skeleton = self
            .memos
            .zip(skeleton_key)
            .and_then(|(m, k)| m.skeleton(k));
        let (skeleton, rendered) = rayon::join(
            || match cached_skeleton {
                Some(skeleton) => Ok(skeleton),
                None => print::skeleton(site, self.tree, &base, theme).map(Arc::new),
            },
            || self.markdown(bodies, &mut search),
        );
        if let (Some(key), Ok(skeleton)) = (skeleton_key, &skeleton) {
            made.fresh.skeleton = Some((key, skeleton.clone()));
        }
        let rendered = rendered.map_err(|d| vec![d])?;
        made.fresh.stats.markdown = rendered.iter().filter(|(_, new)| *new).count();
        let rendered: Vec<Arc<Rendered>> = rendered.into_iter().map(|(r, _)| r).collect();
        timer.mark("markdown+search");

        // 2. Links.
        let inbound = self.links(&rendered)?;
        timer.mark("links");

        // 3. Pages and the section indexes (and in a build, print.html).
        let printer = print::Printer::new(site, self.tree, &base, theme);
        let page_keys = self
            .memos
            .zip(shared)
            .map(|(m, shared)| m.page_keys(site, &rendered, &inbound, shared));
        let boxes = page_map::Boxes::new(site);
        let pages = self.page_files(&inbound, &base, (&sidebar, &boxes), page_keys.as_deref());
        let (streamed, rendered) = self.pages(
            &pages,
            &printer,
            skeleton.as_deref().ok(),
            (&base, shared),
            rendered,
            &mut made,
        );
        timer.mark("pages+sections");

        // 4. The tree.
        self.tree_files(&base, shared, &mut made);
        timer.mark("tree");

        // 5. print.html, unless streamed.
        let printed = match (streamed, skeleton) {
            (Some(done), _) => done.map(|()| None),
            (None, Err(d)) => Err(d),
            (None, Ok(skeleton)) => {
                self.print(&printer, &rendered, &skeleton, shared, &mut made.fresh)
            }
        };
        match printed {
            Ok(html) => {
                let contents = html.unwrap_or(Contents::Written);
                made.out.files.insert(print::PRINT_PAGE.into(), contents);
                made.out.pages += 1;
            }
            Err(d) => made.errors.push(d),
        }
        timer.mark("print.html");

        // 6. The rest.
        self.rest(made, &base, search, rendered)
    }

    /// Phase 6: 404.html, and once every template has rendered without
    /// error, the theme's static files, the search index and the site's own
    /// files.
    fn rest(
        &self,
        made: Made,
        base: &tera::Context,
        search: IndexBuilder,
        rendered: Vec<Arc<Rendered>>,
    ) -> Result<(Output, Fresh), Vec<Diagnostic>> {
        let Made {
            mut out,
            mut fresh,
            mut errors,
        } = made;
        match pages::not_found(self.site, base, self.theme) {
            Ok(html) => out.add("404.html", html),
            Err(d) => errors.push(d),
        }
        if !errors.is_empty() {
            errors.sort_by_key(|d| d.to_string());
            errors.dedup();
            return Err(errors);
        }
        for (name, bytes) in &self.theme.static_files {
            out.add(format!("assets/{name}"), bytes.clone());
        }
        // The search index comes before the clash check: an author's file
        // may not overwrite it either.
        let mut timer = Timer::new();
        let (index, search_made) = search.finish();
        for (path, js) in index {
            out.files
                .insert(path, js.map_or(Contents::Written, Contents::Bytes));
        }
        timer.mark("search files");
        pages::add_site_files(self.site, &mut out)?;
        if let Some(memos) = self.memos {
            fresh.markdown = memos.markdown_made(self.site, rendered);
            fresh.stats.search_runs = search_made.afresh;
            fresh.search = Some(search_made);
        }
        Ok((out, fresh))
    }

    /// Phase 1: each page's Markdown, in page order, with whether it was
    /// rendered now rather than reused.
    fn markdown(
        &self,
        bodies: Vec<Arc<str>>,
        search: &mut IndexBuilder,
    ) -> Result<Vec<(Arc<Rendered>, bool)>, Diagnostic> {
        let files = links::Files::of(self.site, self.tree);
        let reuse = self.memos.map(|m| m.markdown());
        // A build drops each page's section text, which only the index needs.
        markdown::pass(
            self.site,
            &files,
            reuse.as_ref(),
            bodies,
            search,
            self.build,
        )
    }

    /// Phase 2: every link's problems, found while rendering, and every
    /// fragment, checked now that all headings are known; then what points
    /// at each page.
    fn links(&self, rendered: &[Arc<Rendered>]) -> Result<Vec<links::Inbound>, Vec<Diagnostic>> {
        let mut diags: Vec<Diagnostic> = rendered
            .iter()
            .flat_map(|r| r.diags.iter().cloned())
            .collect();
        diags.extend(links::check_fragments(self.site, rendered));
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(links::inbound(self.site, rendered))
    }

    /// What phase 3 renders each page's own file with.
    fn page_files<'a>(
        &'a self,
        inbound: &'a [links::Inbound],
        base: &'a tera::Context,
        (sidebar, boxes): (&'a sidebar::Sidebar<'a>, &'a page_map::Boxes<'a>),
        keys: Option<&'a [u64]>,
    ) -> PageFiles<'a> {
        PageFiles {
            site: self.site,
            inbound,
            base,
            sidebar,
            boxes,
            theme: self.theme,
            reuse: self.memos.zip(keys).map(|(m, k)| m.pages(k)),
            sink: self.sink,
            keep: self.memos.is_some() || self.sink.is_none(),
        }
    }

    /// Phase 3: every page's own file, from its `rendered` Markdown, beside
    /// the section indexes (before them in a build). A build writes each
    /// page and its part of print.html in one pass, letting go of each
    /// page's `rendered` as soon as both are made, and returns how writing
    /// print.html went; any other render hands back `rendered` for
    /// print.html and the watch cache.
    fn pages(
        &self,
        files: &PageFiles,
        printer: &print::Printer,
        skeleton: Option<&print::Skeleton>,
        (base, shared): (&tera::Context, Option<u64>),
        rendered: Vec<Arc<Rendered>>,
        made: &mut Made,
    ) -> (Option<Result<(), Diagnostic>>, Vec<Arc<Rendered>>) {
        // Only a build streams print.html: a `watch` rebuild cutting the
        // skeleton here for nothing was 3.4 % of its instructions.
        let layout = skeleton
            .filter(|_| self.build && self.sink.is_some())
            .and_then(|s| s.layout(self.site.pages.len()));
        let stream = self.sink.zip(layout.as_ref());
        let (sections, (results, streamed, rendered)) = match stream {
            // A build makes the section indexes after its pages, in the
            // memory the pages' HTML leaves behind: made beside the first
            // pages, their thousands of cards set the peak of a build of
            // 100,000 bench pages (1.53 GiB, against 1.45 GiB after), and the
            // build of 10,000 was no slower.
            Some((sink, layout)) => {
                let page = |i, r: &Rendered| files.page(i, r);
                let (results, done) = printer.stream(sink, layout, rendered, &page);
                let pages = (results, Some(done), Vec::new());
                (self.sections(base, shared), pages)
            }
            None => rayon::join(
                || self.sections(base, shared),
                || {
                    let results = rendered
                        .par_iter()
                        .enumerate()
                        .map(|(i, r)| files.page(i, r))
                        .collect();
                    (results, None, rendered)
                },
            ),
        };
        self.add_pages(results, files.reuse.as_ref().map(|r| r.keys), made);
        for (path, key, html) in sections {
            made.add_whole(path, key, html, true);
        }
        (streamed, rendered)
    }

    /// Phase 3, beside the pages (after them in a build): the section
    /// indexes. Each lists thousands of cards on a large site; reused while
    /// those cards, the site's settings and the theme stay the same.
    fn sections(&self, base: &tera::Context, shared: Option<u64>) -> Vec<Whole> {
        let kinds: Vec<Kind> = self.site.config.model.sections().collect();
        kinds
            .into_par_iter()
            .map(|kind| {
                let path = pages::section_path(self.site, kind);
                let key = self
                    .memos
                    .zip(shared)
                    .map(|(m, s)| m.section_key(self.site, kind, s));
                let html = match self.memos.zip(key).and_then(|(m, key)| m.whole(&path, key)) {
                    Some(html) => Ok(html),
                    None => pages::section(self.site, kind, base, self.theme),
                };
                (path, key, html)
            })
            .collect()
    }

    /// Phase 3's pages into the output, and into the cache under `keys`.
    fn add_pages(
        &self,
        results: Vec<Result<PageHtml, Diagnostic>>,
        keys: Option<&[u64]>,
        made: &mut Made,
    ) {
        for (i, r) in results.into_iter().enumerate() {
            match r {
                Ok((html, new)) => {
                    made.fresh.stats.templates += usize::from(new);
                    let path = self.site.pages[i].out_path.clone();
                    if let (Some(keys), Some(html)) = (keys, &html) {
                        made.fresh.pages.push((path.clone(), keys[i], html.clone()));
                    }
                    let contents = match (self.sink, html) {
                        (None, Some(html)) => Contents::Bytes(html),
                        _ => Contents::Written,
                    };
                    made.out.files.insert(path, contents);
                    made.out.pages += 1;
                }
                Err(d) => made.errors.push(d),
            }
        }
    }

    /// Phase 4: the decision tree's pages and map, reused while the tree,
    /// every card, the site's settings and the theme stay the same.
    fn tree_files(&self, base: &tera::Context, shared: Option<u64>, made: &mut Made) {
        let Some(tree) = self.tree else {
            return;
        };
        let key = self
            .memos
            .zip(shared)
            .map(|(m, s)| m.tree_key(self.site, s));
        let cached = |path: &str| self.memos.zip(key).and_then(|(m, key)| m.whole(path, key));
        for (path, is_page, html) in pages::tree_files(self.site, tree, self.theme, base, &cached) {
            made.add_whole(path.to_string(), key, html, is_page);
        }
    }

    /// Phase 5: print.html in memory (or to the sink in one piece), each
    /// page's part reused while its inputs stay the same.
    fn print(
        &self,
        printer: &print::Printer,
        rendered: &[Arc<Rendered>],
        skeleton: &print::Skeleton,
        shared: Option<u64>,
        fresh: &mut Fresh,
    ) -> Result<Option<Contents>, Diagnostic> {
        let keys = self
            .memos
            .zip(shared)
            .map(|(m, s)| m.print_keys(self.site, self.tree.is_some(), s));
        let reuse = self.memos.zip(keys.as_deref()).map(|(m, k)| m.print(k));
        // `watch` serves print.html from its pieces (see `Contents::Pieces`).
        let apart = self.memos.is_some();
        let (html, parts) = printer.page(rendered, skeleton, reuse.as_ref(), self.sink, apart)?;
        fresh.print = parts;
        Ok(html)
    }
}

impl Made {
    /// A whole file (a section index, a tree file) into the output, and into
    /// the cache under `key`.
    fn add_whole(&mut self, path: String, key: Option<u64>, html: FileBytes, is_page: bool) {
        match html {
            Ok(bytes) => {
                if let Some(key) = key {
                    self.fresh.whole.push((path.clone(), key, bytes.clone()));
                }
                self.out.files.insert(path, Contents::Bytes(bytes));
                self.out.pages += usize::from(is_page);
            }
            Err(d) => self.errors.push(d),
        }
    }
}
