//! The whole site → `print.html`: every page once, in reading order, on one
//! page a reader can print or save as a PDF.
//!
//! Pages are already rendered to HTML; this module moves them into one
//! document. Each page sits in `<section id="page-<id>">`, its element ids get
//! the prefix `page-<id>:` (ids cannot contain `:`, so no two pages' ids can
//! meet), and its links to other pages become `#page-<id>[:<fragment>]`, so
//! the printed whole links within itself. Links to files stay links to files.

mod context;
mod rewrite;
mod skeleton;

use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::incremental::{Made, Reuse};
use crate::model::{Rendered, Site, Tree};
use crate::output::{Contents, Sink};
use rewrite::{rewrite, Targets};
pub use skeleton::{skeleton, Layout, Skeleton};

/// Its output path, at the site root.
pub const PRINT_PAGE: &str = "print.html";

/// The anchor of a page inside print.html.
pub fn page_anchor(id: &str) -> String {
    format!("page-{id}")
}

/// Parts rendered at once when streaming: enough to keep both cores busy,
/// few enough to stay small.
const BATCH: usize = 256;

/// Renders print.html from the pages' HTML: each page's part with
/// `print-page.html`, then the whole, in memory or streamed.
pub struct Printer<'a> {
    site: &'a Site,
    tree: Option<&'a Tree>,
    rendered: &'a [Arc<Rendered>],
    base: &'a tera::Context,
    theme: &'a super::templates::Theme,
    targets: Targets<'a>,
}

impl<'a> Printer<'a> {
    pub fn new(
        site: &'a Site,
        tree: Option<&'a Tree>,
        rendered: &'a [Arc<Rendered>],
        base: &'a tera::Context,
        theme: &'a super::templates::Theme,
    ) -> Printer<'a> {
        let targets = Targets {
            site,
            by_out: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.out_path.as_str(), i))
                .collect(),
            has_tree: tree.is_some(),
        };
        Printer {
            site,
            tree,
            rendered,
            base,
            theme,
            targets,
        }
    }

    /// Renders print.html in memory. Each page's part is rendered first,
    /// in parallel, with `print-page.html` (one template render of the
    /// whole site would run on one core); parts `reuse` holds for the same
    /// key are not rendered again. Also returns each part with its key, for
    /// the watch cache. With a `sink`, the page is handed to it and `None`
    /// returned; else `apart` keeps the skeleton's pieces and the parts apart
    /// ([`Contents::Pieces`]) instead of joining them.
    ///
    /// A build streams print.html with [`Printer::stream`] instead, unless
    /// the theme leaves it no [`Layout`].
    pub fn page(
        &self,
        skeleton: &Skeleton,
        reuse: Option<&Reuse<Arc<str>>>,
        sink: Option<&dyn Sink>,
        apart: bool,
    ) -> Result<(Option<Contents>, Made<Arc<str>>), Diagnostic> {
        let site = self.site;
        let htmls: Vec<Arc<str>> = (0..site.pages.len())
            .into_par_iter()
            .map(
                |i| match reuse.and_then(|r| r.get(i, &site.pages[i].out_path)) {
                    Some(html) => Ok(html),
                    None => self.part(i).map(Arc::from),
                },
            )
            .collect::<Result<_, _>>()?;
        let made = reuse.map(|r| r.made(site, &htmls)).unwrap_or_default();
        if apart && sink.is_none() {
            if let Some(pieces) = skeleton.pieces(&htmls) {
                return Ok((Some(Contents::Pieces(pieces)), made));
            }
        }
        let html = match skeleton.layout(site.pages.len()) {
            Some(layout) => layout.join(&htmls),
            None => {
                let whole = |i: usize| Value::String(htmls[i].to_string());
                let ctx = context::print(site, self.tree, self.base, &whole);
                self.theme.render("print.html", &ctx)?
            }
        };
        match sink {
            Some(sink) => {
                sink.put(PRINT_PAGE, html.as_bytes())?;
                Ok((None, made))
            }
            None => Ok((Some(Contents::Bytes(Arc::new(html.into_bytes()))), made)),
        }
    }

    /// Writes print.html to `sink` in the layout's order, a batch of parts
    /// at a time, rendering the next batch while the last one is written:
    /// the whole document is the size of the site, and is never held at
    /// once.
    ///
    /// `beside(i)` runs with part `i`'s rendering, in the same task: a build
    /// renders page `i`'s own file there, so the page's HTML is read while
    /// it is in cache, and no pass over all pages waits for another. Its
    /// results come back in page order (the layout holds each page once).
    /// After the first failed part or write nothing more goes to
    /// print.html, but `beside` still runs for every page, so a build
    /// reports each page's problems as a check does.
    pub fn stream<R: Send>(
        &self,
        sink: &dyn Sink,
        layout: &Layout,
        beside: &(dyn Fn(usize) -> R + Sync),
    ) -> (Vec<R>, Result<(), Diagnostic>) {
        let mut results: Vec<(usize, R)> = Vec::with_capacity(layout.pieces.len());
        let mut file = sink.open(PRINT_PAGE);
        type Batch<R> = Vec<(R, Option<Result<String, Diagnostic>>)>;
        let render = |batch: &[(&str, usize)], failed: bool| -> Batch<R> {
            batch
                .par_iter()
                .map(|&(_, i)| (beside(i), (!failed).then(|| self.part(i))))
                .collect()
        };
        let mut failed = file.is_err();
        let mut batches = layout.pieces.chunks(BATCH);
        let mut pending = batches.next().map(|b| (b, render(b, failed)));
        while let Some((batch, made)) = pending {
            let mut parts = Vec::with_capacity(batch.len());
            for (&(_, i), (result, part)) in batch.iter().zip(made) {
                results.push((i, result));
                parts.push(part);
            }
            let next = batches.next();
            let (written, rendered) = rayon::join(
                || -> Result<(), Diagnostic> {
                    let Ok(file) = file.as_mut() else {
                        return Ok(());
                    };
                    for ((literal, _), part) in batch.iter().zip(parts) {
                        let Some(part) = part else {
                            break;
                        };
                        file.append(literal.as_bytes())?;
                        file.append(part?.as_bytes())?;
                    }
                    Ok(())
                },
                || next.map(|b| (b, render(b, failed))),
            );
            if let Err(d) = written {
                failed = true;
                if file.is_ok() {
                    file = Err(d);
                }
            }
            pending = rendered;
        }
        let done = file.and_then(|mut file| file.append(layout.tail.as_bytes()));
        results.sort_unstable_by_key(|&(i, _)| i);
        (results.into_iter().map(|(_, r)| r).collect(), done)
    }

    /// Page `i`'s part of print.html.
    fn part(&self, i: usize) -> Result<String, Diagnostic> {
        let site = self.site;
        let link = |j: usize| {
            let href = format!("#{}", page_anchor(&site.pages[j].id));
            super::context::link_to(site, j, href)
        };
        let p = &site.pages[i];
        let anchor = page_anchor(&p.id);
        let body = rewrite(&self.rendered[i].html, &p.out_path, &anchor, &self.targets);
        let data = PrintPage {
            fields: super::context::PageFields::of(site, p, &body, &self.rendered[i], &link),
            related: p.related.iter().map(|&j| link(j)).collect(),
            anchor,
        };
        let mut ctx = self.base.clone();
        ctx.insert("root", "");
        ctx.insert("p", &data);
        self.theme.render("print-page.html", &ctx)
    }
}

/// `p` in print-page.html: the page's fields, its anchor, its related pages.
struct PrintPage<'a> {
    fields: super::context::PageFields<'a>,
    anchor: String,
    related: Vec<super::context::LinkCtx<'a>>,
}

impl serde::Serialize for PrintPage<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(None)?;
        self.fields.write(&mut m)?;
        m.serialize_entry("anchor", &self.anchor)?;
        m.serialize_entry("related", &self.related)?;
        m.end()
    }
}
