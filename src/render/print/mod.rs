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
    base: &'a tera::Context,
    theme: &'a super::templates::Theme,
    targets: Targets<'a>,
}

impl<'a> Printer<'a> {
    pub fn new(
        site: &'a Site,
        tree: Option<&'a Tree>,
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
            base,
            theme,
            targets,
        }
    }

    /// Renders print.html in memory from every page's `rendered` Markdown.
    /// Each page's part is rendered first, in parallel, with
    /// `print-page.html` (one template render of the whole site would run
    /// on one core); parts `reuse` holds for the same key are not rendered
    /// again. Also returns each part with its key, for the watch cache.
    /// With a `sink`, the page is handed to it and `None` returned; else
    /// `apart` keeps the skeleton's pieces and the parts apart
    /// ([`Contents::Pieces`]) instead of joining them.
    ///
    /// A build streams print.html with [`Printer::stream`] instead, unless
    /// the theme leaves it no [`Layout`].
    pub fn page(
        &self,
        rendered: &[Arc<Rendered>],
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
                    None => self.part(i, &rendered[i]).map(Arc::from),
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
    /// `beside(i, r)` runs with part `i`'s rendering, in the same task, with
    /// page `i`'s `rendered` Markdown: a build renders page `i`'s own file
    /// there, so the page's HTML is read while it is in cache, and no pass
    /// over all pages waits for another. Its results come back in page order
    /// (the layout holds each page once). Each page's `rendered` is dropped
    /// as soon as its task is done: at 100,000 bench pages, a build that then
    /// makes the section indexes peaks at 1.45 GiB, against 1.54 GiB with
    /// every page's held to the end of the pass.
    /// After the first failed part or write nothing more goes to
    /// print.html, but `beside` still runs for every page, so a build
    /// reports each page's problems as a check does.
    pub fn stream<R: Send>(
        &self,
        sink: &dyn Sink,
        layout: &Layout,
        rendered: Vec<Arc<Rendered>>,
        beside: &(dyn Fn(usize, &Rendered) -> R + Sync),
    ) -> (Vec<R>, Result<(), Diagnostic>) {
        let mut results: Vec<(usize, R)> = Vec::with_capacity(layout.pieces.len());
        let mut file = sink.open(PRINT_PAGE);
        let mut rendered: Vec<Option<Arc<Rendered>>> = rendered.into_iter().map(Some).collect();
        type Batch<R> = Vec<(R, Option<Result<String, Diagnostic>>)>;
        // Each batch's pages are taken out of `rendered`, to be dropped in
        // their own task. The layout holds each page once, so each is there.
        let mut render = |batch: &[(&str, usize)], failed: bool| -> Batch<R> {
            let taken: Vec<(usize, Arc<Rendered>)> = batch
                .iter()
                .filter_map(|&(_, i)| Some((i, rendered.get_mut(i)?.take()?)))
                .collect();
            debug_assert_eq!(taken.len(), batch.len());
            taken
                .into_par_iter()
                .map(|(i, r)| (beside(i, &r), (!failed).then(|| self.part(i, &r))))
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
            let (written, made_next) = rayon::join(
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
            pending = made_next;
        }
        let done = file.and_then(|mut file| file.append(layout.tail.as_bytes()));
        results.sort_unstable_by_key(|&(i, _)| i);
        (results.into_iter().map(|(_, r)| r).collect(), done)
    }

    /// Page `i`'s part of print.html, from its `rendered` Markdown.
    fn part(&self, i: usize, rendered: &Rendered) -> Result<String, Diagnostic> {
        let site = self.site;
        let link = |j: usize| {
            let href = format!("#{}", page_anchor(&site.pages[j].id));
            super::context::link_to(site, j, href)
        };
        let p = &site.pages[i];
        let anchor = page_anchor(&p.id);
        let body = rewrite(&rendered.html, &p.out_path, &anchor, &self.targets);
        let data = PrintPage {
            fields: super::context::PageFields::of(site, p, &body, rendered, &link),
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Mutex, Weak};

    use super::*;
    use crate::output::SinkFile;
    use crate::render::{context::Base, links::Files, markdown, templates::Theme};

    /// A sink that keeps what is written to it in memory.
    #[derive(Default)]
    struct Memory(Arc<Mutex<Vec<u8>>>);

    struct Appending(Arc<Mutex<Vec<u8>>>);

    impl Sink for Memory {
        fn open(&self, _path: &str) -> Result<Box<dyn SinkFile + '_>, Diagnostic> {
            Ok(Box::new(Appending(self.0.clone())))
        }
    }

    impl SinkFile for Appending {
        fn append(&mut self, bytes: &[u8]) -> Result<(), Diagnostic> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(())
        }
    }

    /// A site with a home page and `cases` case pages.
    fn site_of(dir: &std::path::Path, cases: usize) -> Site {
        std::fs::create_dir_all(dir.join("content/cases")).unwrap();
        std::fs::write(dir.join("book.toml"), "title = \"Streamed\"\n").unwrap();
        std::fs::write(
            dir.join("content/index.md"),
            "---\ntitle: Home\nsummary: S\n---\nThe home page.\n",
        )
        .unwrap();
        for i in 0..cases {
            std::fs::write(
                dir.join(format!("content/cases/c{i:04}.md")),
                format!(
                    "---\ntitle: Case {i}\nsummary: S\nverdict: open\n---\n## Part {i}\n\nText.\n"
                ),
            )
            .unwrap();
        }
        let options = crate::Options {
            root: dir.to_path_buf(),
            ..crate::Options::default()
        };
        match crate::compile(&options) {
            Ok(compiled) => compiled.site,
            Err(failure) => panic!("{:?}", failure.0),
        }
    }

    #[test]
    fn streaming_lets_go_of_each_pages_html_once_its_batch_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let site = site_of(dir.path(), 3 * BATCH);
        let n = site.pages.len();
        let theme = Theme::compile(Theme::read(&site.config).unwrap()).unwrap();
        let base = Base::of(&site, false).context();
        let skeleton = skeleton(&site, None, &base, &theme).unwrap();
        let layout = skeleton.layout(n).unwrap();
        let files = Files::of(&site, None);
        let rendered: Vec<Arc<Rendered>> = (0..n)
            .map(|i| Arc::new(markdown::render(&site, i, &site.pages[i].body, &files)))
            .collect();
        let held: Vec<Weak<Rendered>> = rendered.iter().map(Arc::downgrade).collect();
        let fewest_held = AtomicUsize::new(usize::MAX);
        let beside = |i: usize, r: &Rendered| {
            let now = held.iter().filter(|w| w.strong_count() > 0).count();
            fewest_held.fetch_min(now, Ordering::Relaxed);
            (i, r.headings.len())
        };
        let sink = Memory::default();
        let printer = Printer::new(&site, None, &base, &theme);
        let (results, done) = printer.stream(&sink, &layout, rendered, &beside);
        done.unwrap();

        // Each page was handed its own rendered Markdown, and the results
        // come back in page order.
        let expected: Vec<(usize, usize)> = (0..n).map(|i| (i, usize::from(i > 0))).collect();
        assert_eq!(results, expected);
        // While the last batch was made, the batches before it were gone
        // (holding every page's to the end, the fewest would be all `n`).
        let fewest = fewest_held.into_inner();
        assert!(fewest <= n - 2 * BATCH, "{fewest} of {n} pages still held");
        assert!(held.iter().all(|w| w.strong_count() == 0));
        // And print.html has every page's part, once.
        let html = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert_eq!(html.matches("<section class=\"print-page\"").count(), n);
        assert!(
            html.contains("id=\"page-c0767:part-767\""),
            "{}",
            &html[..2000]
        );
    }
}
