//! Site → files. This module writes nothing itself, so `build`, `check` and
//! `watch` share one render and only differ in what they do with the result:
//! `check` and `watch` keep every file in memory; `build` hands each one, as
//! it is made, to a [`Sink`] (the staging folder of [`crate::write`]).

pub mod cache;
pub mod images;
pub mod markdown;
pub mod print;
pub mod sitemap;
pub mod templates;
pub mod tree_svg;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{list_for_hint, Diagnostic};
use crate::escape::script_json;
use crate::incremental::{self, Keys, Reuse};
use crate::model::tree::Target;
use crate::model::{Kind, Page, Rendered, Site, Tree};
use crate::output::{Contents, Output, Sink};
use crate::urls;
pub use cache::{Cache, Stats};
use templates::Theme;

/// Renders every page. Content problems found on the way (broken links, missing
/// fragments) are all returned at once; templates errors are reported once each.
pub fn render(
    site: &mut Site,
    tree: Option<&Tree>,
    theme: &Theme,
) -> Result<Output, Vec<Diagnostic>> {
    render_with(site, tree, theme, None, None)
}

/// [`render`], reusing from `cache` whatever the last render made from the
/// same inputs, and leaving this render's outputs there for the next one.
/// Files go to `sink` as they are made, if there is one; a render with a
/// sink and no cache (a build) also releases each page's Markdown source
/// once it is rendered and checked, as nothing after needs it.
pub fn render_with(
    site: &mut Site,
    tree: Option<&Tree>,
    theme: &Theme,
    cache: Option<&mut cache::Cache>,
    sink: Option<&dyn Sink>,
) -> Result<Output, Vec<Diagnostic>> {
    let assets: HashSet<String> = site.assets.iter().map(|a| a.content_path.clone()).collect();
    let sizes: HashMap<String, crate::model::ImageSize> = site
        .assets
        .iter()
        .filter_map(|a| Some((a.content_path.clone(), a.size?)))
        .collect();
    let mut timer = crate::timing::Timer::new();
    let mut cache = cache;
    if let Some(c) = cache.as_deref_mut() {
        let dictionary = c.dictionary.get_mut().unwrap_or_else(|e| e.into_inner());
        if dictionary.is_stale() {
            // The cached pages' term numbers belong to the old dictionary.
            *dictionary = crate::search::Dictionary::default();
            c.search = incremental::Memo::default();
        }
    }
    let keys = cache.as_ref().map(|_| Keys::new(site));
    let old = cache.as_deref();
    let reuse_markdown = old.zip(keys.as_ref()).map(|(c, k)| Reuse {
        memo: &c.markdown,
        keys: &k.markdown,
    });
    let mut stats = Stats {
        pages: site.pages.len(),
        ..cache::Stats::default()
    };
    // A build (a sink, no cache) takes each page's Markdown source out of
    // the site and frees it as soon as the page is rendered: the sources are
    // as large as the HTML to come, which then takes their memory instead of
    // memory never touched before (which the kernel must zero first).
    let build = sink.is_some() && cache.is_none();
    let empty: Arc<str> = Arc::from("");
    let bodies: Vec<Arc<str>> = site
        .pages
        .iter_mut()
        .map(|p| match build {
            true => std::mem::replace(&mut p.body, empty.clone()),
            false => p.body.clone(),
        })
        .collect();
    let site: &Site = site;
    // The search index is built from the same pass, a batch of pages at a
    // time, while each page's text is fresh; a build then drops the text,
    // which only the index needs.
    let search_keys: Option<Vec<u64>> = keys.as_ref().map(|k| {
        k.markdown
            .iter()
            .map(|m| incremental::hash(&("search", m)))
            .collect()
    });
    let reuse_search =
        old.zip(search_keys.as_deref())
            .map(|(c, keys)| crate::search::SearchReuse {
                pages: Reuse {
                    memo: &c.search,
                    keys,
                },
                texts: &c.search_texts,
            });
    let mut dictionary = old.map(|c| c.dictionary.lock().unwrap_or_else(|e| e.into_inner()));
    let mut fresh_dictionary = crate::search::Dictionary::default();
    let mut search = crate::search::IndexBuilder::new(
        site,
        crate::search::EXCERPT_CHARS,
        reuse_search.as_ref(),
        dictionary.as_deref_mut().unwrap_or(&mut fresh_dictionary),
        sink,
    );
    let base_parts = base(site, tree.is_some());
    let base = base_context(&base_parts);
    // print.html's skeleton needs no page's HTML: one core renders it while
    // the other starts on the Markdown.
    let (skeleton, pass) = rayon::join(
        || print::skeleton(site, tree, &base, theme),
        || {
            let pages = Pages {
                site,
                assets: &assets,
                sizes: &sizes,
                reuse: reuse_markdown.as_ref(),
            };
            markdown_pass(&pages, bodies, &mut search, build)
        },
    );
    let rendered = pass.map_err(|d| vec![d])?;
    stats.markdown = rendered.iter().filter(|(_, fresh)| *fresh).count();
    let rendered: Vec<Arc<Rendered>> = rendered.into_iter().map(|(r, _)| r).collect();
    timer.mark("markdown+search");
    let mut diags: Vec<Diagnostic> = rendered
        .iter()
        .flat_map(|r| r.diags.iter().cloned())
        .collect();
    diags.extend(check_fragments(site, &rendered));
    if !diags.is_empty() {
        return Err(diags);
    }

    timer.mark("link checks");
    let backlinks = backlinks(site, &rendered);
    // What every page shows of the site beside its own inputs.
    let shared = keys.as_ref().map(|_| {
        let base_json = serde_json::to_string(&base_parts).unwrap_or_default();
        incremental::hash(&(base_json, theme.fingerprint))
    });
    let page_keys = keys
        .as_ref()
        .zip(shared)
        .map(|(k, shared)| k.pages(site, &backlinks, shared));
    let reuse_pages = old.zip(page_keys.as_deref()).map(|(c, keys)| Reuse {
        memo: &c.pages,
        keys,
    });
    timer.mark("backlinks");
    // (HTML, whether rendered now rather than reused). A page handed to the
    // sink is dropped at once unless the cache keeps it.
    type PageHtml = (Option<Arc<Vec<u8>>>, bool);
    let keep = page_keys.is_some() || sink.is_none();
    let page_html = |i: usize| -> Result<PageHtml, Diagnostic> {
        let page = &site.pages[i];
        let reused = reuse_pages.as_ref().and_then(|r| r.get(i, &page.out_path));
        let fresh = reused.is_none();
        let html = match reused {
            Some(html) => html,
            None => {
                let ctx = page_context(site, i, &rendered[i], &backlinks[i], &base);
                let template = if page.kind == Kind::Home {
                    "index.html"
                } else {
                    "page.html"
                };
                Arc::new(theme.render(template, &ctx)?.into_bytes())
            }
        };
        if let Some(sink) = sink {
            sink.put(&page.out_path, &html)?;
        }
        Ok((keep.then_some(html), fresh))
    };
    let printer = print::Printer::new(site, tree, &rendered, &base, theme);
    let layout = skeleton
        .as_ref()
        .ok()
        .and_then(|s| s.layout(site.pages.len()));
    // A build writes each page and its part of print.html in one pass.
    let stream = sink.zip(layout.as_ref()).filter(|_| build);
    // Section indexes and the decision tree's pages show every page's card
    // (or those of one kind): reused while those cards, the tree, the site's
    // settings and the theme stay the same. Each lists thousands of cards
    // on a large site: rendered beside the pages.
    type Whole = (String, Option<u64>, FileBytes);
    let section = |kind: Kind| -> Whole {
        let path = format!("{}/index.html", kind.folder());
        let key = keys.as_ref().zip(shared).map(|(k, shared)| {
            let cards: Vec<u64> = site.of_kind(kind).map(|(j, _)| k.card[j]).collect();
            incremental::hash(&("section", kind.name(), cards, shared))
        });
        let html = match old.zip(key).and_then(|(c, key)| c.whole.get(&path, key)) {
            Some(html) => Ok(html),
            None => theme
                .render("section.html", &section_context(site, kind, &path, &base))
                .map(|html| Arc::new(html.into_bytes())),
        };
        (path, key, html)
    };
    let (sections, (results, streamed)) = rayon::join(
        || -> Vec<Whole> { Kind::SECTIONS.into_par_iter().map(section).collect() },
        || match stream {
            Some((sink, layout)) => {
                let (results, done) = printer.stream(sink, layout, &page_html);
                (results, Some(done))
            }
            None => {
                let results: Vec<_> = (0..site.pages.len())
                    .into_par_iter()
                    .map(page_html)
                    .collect();
                (results, None)
            }
        },
    );
    timer.mark("pages+sections");
    let mut out = Output::default();
    let mut errors = Vec::new();
    let mut new_pages = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok((html, fresh)) => {
                stats.templates += usize::from(fresh);
                let path = site.pages[i].out_path.clone();
                if let (Some(keys), Some(html)) = (&page_keys, &html) {
                    new_pages.push((path.clone(), keys[i], html.clone()));
                }
                let contents = match (sink, html) {
                    (None, Some(html)) => Contents::Bytes(html),
                    _ => Contents::Written,
                };
                out.files.insert(path, contents);
                out.pages += 1;
            }
            Err(d) => errors.push(d),
        }
    }
    let mut new_whole: incremental::Made<Arc<Vec<u8>>> = Vec::new();
    // A whole file (a section index, a tree file) into the output, and into
    // the cache under `key`.
    let mut add_whole = |path: String, key: Option<u64>, made: FileBytes, is_page: bool| match made
    {
        Ok(bytes) => {
            if let Some(key) = key {
                new_whole.push((path.clone(), key, bytes.clone()));
            }
            out.files.insert(path, Contents::Bytes(bytes));
            out.pages += usize::from(is_page);
        }
        Err(d) => errors.push(d),
    };
    for (path, key, html) in sections {
        add_whole(path, key, html, true);
    }
    if let Some(tree) = tree {
        let key = keys.as_ref().zip(shared).map(|(k, shared)| {
            let source = site.tree.as_ref().map(|t| (&t.shown_path, &t.text));
            incremental::hash(&("tree", source, &k.card, shared))
        });
        let cached = |path: &str| old.zip(key).and_then(|(c, key)| c.whole.get(path, key));
        for (path, is_page, made) in tree_files(site, tree, theme, &base, &cached) {
            add_whole(path.to_string(), key, made, is_page);
        }
    }
    timer.mark("sections+tree");
    let print_keys = keys
        .as_ref()
        .zip(shared)
        .map(|(k, shared)| k.print_parts(site, tree.is_some(), shared));
    let reuse_print = old.zip(print_keys.as_deref()).map(|(c, keys)| Reuse {
        memo: &c.print,
        keys,
    });
    let mut new_print = Vec::new();
    let printed = match (streamed, skeleton) {
        (Some(done), _) => done.map(|()| None),
        (None, Err(d)) => Err(d),
        (None, Ok(skeleton)) => {
            printer
                .page(&skeleton, reuse_print.as_ref(), sink)
                .map(|(html, parts)| {
                    new_print = parts;
                    html
                })
        }
    };
    match printed {
        Ok(html) => {
            out.add_or_written(print::PRINT_PAGE, html);
            out.pages += 1;
        }
        Err(d) => errors.push(d),
    }
    timer.mark("print.html");
    let mut ctx = base.clone();
    ctx.insert("root", "");
    ctx.insert("current", "404");
    ctx.insert("canonical", &None::<String>);
    match theme.render("404.html", &ctx) {
        Ok(html) => out.add("404.html", html),
        Err(d) => errors.push(d),
    }
    if !errors.is_empty() {
        errors.sort_by_key(|d| d.to_string());
        errors.dedup();
        return Err(errors);
    }

    for (name, bytes) in &theme.static_files {
        out.add(format!("assets/{name}"), bytes.clone());
    }
    // The search index comes before the clash check: an author's file may not
    // overwrite it either.
    let (index, new_search) = search.finish();
    drop(dictionary);
    for (path, js) in index {
        out.add_or_written(path, js);
    }
    timer.mark("search files");
    add_site_files(site, &mut out)?;
    if let (Some(cache), Some(keys)) = (cache, &keys) {
        cache.markdown = site
            .pages
            .iter()
            .zip(&keys.markdown)
            .zip(rendered)
            .map(|((p, &k), r)| (p.content_path.clone(), k, r))
            .collect();
        cache.pages = new_pages.into_iter().collect();
        cache.print = new_print.into_iter().collect();
        cache.whole = new_whole.into_iter().collect();
        cache.search = new_search.pages.into_iter().collect();
        cache.search_texts = new_search.texts.into_iter().collect();
        cache.stats = stats;
    }
    Ok(out)
}

/// A whole file's bytes, rendered now or taken from the cache.
type FileBytes = Result<Arc<Vec<u8>>, Diagnostic>;

/// The decision tree's files: its page, its full-size map page and the map
/// alone as SVG, each with whether it is a page, and each taken from
/// `cached` when it holds it.
fn tree_files(
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
    let mut ctx = decide_context(site, tree, base);
    let mut files = Vec::new();
    let pages: [(&str, &str, &str); 2] = [
        // On decide.html the map's boxes open the same spot of the full map.
        (DECIDE_PAGE, "decide.html", DECIDE_MAP_PAGE),
        (DECIDE_MAP_PAGE, "decide-map.html", ""),
    ];
    for (path, template, map_target) in pages {
        let mut make = || {
            ctx.insert("tree_svg", &tree_svg::render(tree, map_target));
            if path == DECIDE_MAP_PAGE {
                ctx.insert("canonical", &canonical(site, DECIDE_MAP_PAGE));
            }
            theme.render(template, &ctx)
        };
        files.push((path, true, made(path, &mut make)));
    }
    let svg = "assets/decide-tree.svg";
    let mut make = || Ok(tree_svg::render(tree, &format!("../{DECIDE_MAP_PAGE}")));
    files.push((svg, false, made(svg, &mut make)));
    files
}

/// What the site adds to its rendered files: the `.nojekyll` marker, the
/// sitemap when the site has a base URL, and the author's own files, which
/// may not take the path of a generated one.
fn add_site_files(site: &Site, out: &mut Output) -> Result<(), Vec<Diagnostic>> {
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
    for asset in &site.assets {
        out.files.insert(
            asset.content_path.clone(),
            Contents::Copy(asset.source.clone()),
        );
    }
    Ok(())
}

/// What the Markdown pass reads besides each page's source.
struct Pages<'a> {
    site: &'a Site,
    assets: &'a HashSet<String>,
    sizes: &'a HashMap<String, crate::model::ImageSize>,
    reuse: Option<&'a Reuse<'a, Arc<Rendered>>>,
}

/// Each page's Markdown (`bodies`, in page order) → HTML, with whether it was
/// rendered now rather than reused. The search index is fed from the same
/// pass, a batch of pages at a time while each page's text is fresh, each
/// batch merged while the next renders. With `drop_sections` (a build) a
/// page's section text, which only the index needs, is dropped at once.
fn markdown_pass(
    pages: &Pages,
    bodies: Vec<Arc<str>>,
    search: &mut crate::search::IndexBuilder,
    drop_sections: bool,
) -> Result<Vec<(Arc<Rendered>, bool)>, Diagnostic> {
    let site = pages.site;
    let indexer = search.indexer();
    let batch = search.batch();
    let mut bodies = bodies.into_iter();
    let mut rendered: Vec<(Arc<Rendered>, bool)> = Vec::with_capacity(site.pages.len());
    let mut indexed: Vec<Arc<crate::search::PageIndex>> = Vec::new();
    for first in (0..site.pages.len()).step_by(batch) {
        let sources: Vec<Arc<str>> = bodies.by_ref().take(batch).collect();
        let last = std::mem::take(&mut indexed);
        let (taken, made): (Result<(), Diagnostic>, Vec<_>) = rayon::join(
            || search.take_batch(last),
            || {
                sources
                    .into_par_iter()
                    .enumerate()
                    .map(|(k, body)| {
                        let i = first + k;
                        let reused = pages
                            .reuse
                            .and_then(|r| r.get(i, &site.pages[i].content_path));
                        let fresh = reused.is_none();
                        let r = reused.unwrap_or_else(|| {
                            Arc::new(markdown::render(site, i, &body, pages.assets, pages.sizes))
                        });
                        let index = indexer.page(i, &r);
                        let r = match (drop_sections, Arc::try_unwrap(r)) {
                            (true, Ok(mut r)) => {
                                r.sections = Vec::new();
                                Arc::new(r)
                            }
                            (_, Ok(r)) => Arc::new(r),
                            (_, Err(r)) => r,
                        };
                        (r, fresh, index)
                    })
                    .collect()
            },
        );
        taken?;
        for (r, fresh, index) in made {
            rendered.push((r, fresh));
            indexed.push(index);
        }
    }
    search.take_batch(indexed)?;
    Ok(rendered)
}

/// Every `#fragment` of an internal link must name a heading of its target.
fn check_fragments(site: &Site, rendered: &[Arc<Rendered>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (i, r) in rendered.iter().enumerate() {
        for link in &r.links {
            let Some(fragment) = &link.fragment else {
                continue;
            };
            let target = &rendered[link.target];
            if fragment.is_empty() || target.headings.iter().any(|h| &h.id == fragment) {
                continue;
            }
            let page = &site.pages[i];
            let pos = link
                .pos
                .unwrap_or(crate::diagnostics::Pos::new(page.body_line, 1));
            let ids = target.headings.iter().map(|h| h.id.as_str());
            let hint = match crate::diagnostics::did_you_mean(
                fragment,
                target.headings.iter().map(|h| h.id.as_str()),
            ) {
                Some(s) => format!("did you mean `#{s}`?"),
                None if target.headings.is_empty() => format!(
                    "{} has no headings",
                    site.pages[link.target].shown_path.display()
                ),
                None => format!("headings there are {}", list_for_hint(ids)),
            };
            diags.push(
                Diagnostic::new(
                    page.shown_path.clone(),
                    format!(
                        "link to a missing heading `#{fragment}` in {}",
                        site.pages[link.target].shown_path.display()
                    ),
                )
                .at_pos(pos)
                .hint(hint),
            );
        }
    }
    diags
}

/// For each page, the pages that link to it in their body or list it as related,
/// built in one pass over all links (no page looks at all pages).
fn backlinks(site: &Site, rendered: &[Arc<Rendered>]) -> Vec<Vec<usize>> {
    let mut back: Vec<Vec<usize>> = vec![Vec::new(); site.pages.len()];
    for (i, page) in site.pages.iter().enumerate() {
        let targets = rendered[i]
            .links
            .iter()
            .map(|l| l.target)
            .chain(page.related.iter().copied());
        // Sources come in increasing order, so a repeat can only be the last
        // entry (a page linked from thousands stays cheap) and lists end sorted.
        for t in targets {
            if t != i && back[t].last() != Some(&i) {
                back[t].push(i);
            }
        }
    }
    back
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<&'a str>,
}

#[derive(Serialize, Clone)]
struct NavCtx {
    kind: &'static str,
    label: &'static str,
    /// Relative to the site root: templates prefix `root`.
    path: String,
    count: usize,
}

#[derive(Serialize)]
struct LinkCtx<'a> {
    href: String,
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    verdict: Option<&'static str>,
    verdict_label: Option<&'static str>,
}

fn link<'a>(site: &'a Site, from: &str, to: usize) -> LinkCtx<'a> {
    let p = &site.pages[to];
    LinkCtx {
        href: urls::relative(from, &p.out_path),
        id: &p.id,
        title: &p.title,
        summary: &p.summary,
        kind: p.kind.name(),
        kind_label: p.kind.label(),
        verdict: p.verdict.map(|v| {
            if v == crate::model::Verdict::Open {
                "open"
            } else {
                "closed"
            }
        }),
        verdict_label: p.verdict.map(|v| v.label()),
    }
}

/// The decision tree's page, at the site root.
pub const DECIDE_PAGE: &str = "decide.html";
/// The whole tree drawn as one diagram, beside the decision tree's page.
pub const DECIDE_MAP_PAGE: &str = "decide-map.html";

/// What every template gets: the site, the navigation.
#[derive(Serialize)]
struct Base<'a> {
    site: SiteCtx<'a>,
    nav: Vec<NavCtx>,
    has_tree: bool,
}

fn base(site: &Site, has_tree: bool) -> Base<'_> {
    Base {
        site: SiteCtx {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_url: site.config.base_url.as_deref(),
        },
        nav: Kind::SECTIONS
            .into_iter()
            .map(|k| NavCtx {
                kind: k.name(),
                label: k.plural(),
                path: format!("{}/index.html", k.folder()),
                count: site.of_kind(k).count(),
            })
            .collect(),
        has_tree,
    }
}

fn base_context(base: &Base) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", &base.site);
    ctx.insert("nav", &base.nav);
    ctx.insert("has_tree", &base.has_tree);
    ctx
}

fn canonical(site: &Site, out_path: &str) -> Option<String> {
    site.config.base_url.as_ref().map(|b| {
        let path = out_path.strip_suffix("index.html").unwrap_or(out_path);
        format!("{b}{path}")
    })
}

#[derive(Serialize)]
struct HeadingCtx<'a> {
    id: &'a str,
    text: &'a str,
}

fn page_context(
    site: &Site,
    i: usize,
    rendered: &Rendered,
    backlinks: &[usize],
    base: &tera::Context,
) -> tera::Context {
    let page: &Page = &site.pages[i];
    let from = page.out_path.as_str();
    let mut ctx = base.clone();
    ctx.insert("root", &urls::root_prefix(from));
    ctx.insert("current", page.kind.name());
    ctx.insert("canonical", &canonical(site, from));
    let links = |ids: &[usize]| ids.iter().map(|&t| link(site, from, t)).collect::<Vec<_>>();
    let (prev, next) = site.neighbours(i);
    let prev = prev.map(|j| link(site, from, j));
    let next = next.map(|j| link(site, from, j));
    let toc: Vec<HeadingCtx> = rendered
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| HeadingCtx {
            id: &h.id,
            text: &h.text,
        })
        .collect();
    let section_path = Kind::SECTIONS
        .contains(&page.kind)
        .then(|| format!("{}/index.html", page.kind.folder()));
    ctx.insert(
        "page",
        &PageCtx {
            fields: PageFields::of(page, &rendered.html),
            section_label: page.kind.plural(),
            section_path,
            toc,
        },
    );
    ctx.insert("patterns", &links(&page.patterns));
    ctx.insert("related", &links(&page.related));
    ctx.insert("backlinks", &links(backlinks));
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    ctx
}

/// What the templates see of a page itself (`page` in page.html, `p` in
/// print-page.html), borrowed: serialized straight into the template's
/// context, with no intermediate JSON copy of its body.
pub(crate) struct PageFields<'a> {
    id: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    opened: Option<&'a str>,
    kept: Option<&'a str>,
    gains: &'a [String],
    costs: &'a [String],
    examples: &'a [String],
    signals: &'a [String],
    verdict: Option<crate::model::Verdict>,
    verdict_label: Option<&'static str>,
    draft: bool,
}

impl<'a> PageFields<'a> {
    /// The number of fields `serialize_with` writes itself.
    const COUNT: usize = 15;

    /// Serializes the fields, then the caller's own (`own` of them, written
    /// by `rest`), as one struct. (`#[serde(flatten)]` would do the same
    /// through a map, which Tera's serializer handles measurably slower:
    /// page templates +4%, print.html +10%.)
    pub(crate) fn serialize_with<S: serde::Serializer>(
        &self,
        serializer: S,
        name: &'static str,
        own: usize,
        rest: impl FnOnce(&mut S::SerializeStruct) -> Result<(), S::Error>,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct(name, Self::COUNT + own)?;
        s.serialize_field("id", self.id)?;
        s.serialize_field("kind", self.kind)?;
        s.serialize_field("kind_label", self.kind_label)?;
        s.serialize_field("title", self.title)?;
        s.serialize_field("summary", self.summary)?;
        s.serialize_field("body", self.body)?;
        s.serialize_field("opened", &self.opened)?;
        s.serialize_field("kept", &self.kept)?;
        s.serialize_field("gains", self.gains)?;
        s.serialize_field("costs", self.costs)?;
        s.serialize_field("examples", self.examples)?;
        s.serialize_field("signals", self.signals)?;
        s.serialize_field("verdict", &self.verdict)?;
        s.serialize_field("verdict_label", &self.verdict_label)?;
        s.serialize_field("draft", &self.draft)?;
        rest(&mut s)?;
        s.end()
    }

    /// `page`'s fields, with `body` as its HTML.
    pub(crate) fn of(page: &'a Page, body: &'a str) -> PageFields<'a> {
        PageFields {
            id: &page.id,
            kind: page.kind.name(),
            kind_label: page.kind.label(),
            title: &page.title,
            summary: &page.summary,
            body,
            opened: page.opened.as_deref(),
            kept: page.kept.as_deref(),
            gains: &page.gains,
            costs: &page.costs,
            examples: &page.examples,
            signals: &page.signals,
            verdict: page.verdict,
            verdict_label: page.verdict.map(|v| v.label()),
            draft: page.draft,
        }
    }
}

/// `page` in page.html and index.html.
struct PageCtx<'a> {
    fields: PageFields<'a>,
    section_label: &'static str,
    section_path: Option<String>,
    toc: Vec<HeadingCtx<'a>>,
}

impl Serialize for PageCtx<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        self.fields.serialize_with(serializer, "PageCtx", 3, |s| {
            s.serialize_field("section_label", self.section_label)?;
            s.serialize_field("section_path", &self.section_path)?;
            s.serialize_field("toc", &self.toc)
        })
    }
}

#[derive(Serialize)]
struct GroupCtx<'a> {
    id: &'static str,
    title: &'static str,
    items: Vec<LinkCtx<'a>>,
}

fn section_context(site: &Site, kind: Kind, path: &str, base: &tera::Context) -> tera::Context {
    let mut ctx = base.clone();
    ctx.insert("root", &urls::root_prefix(path));
    ctx.insert("current", kind.name());
    ctx.insert("canonical", &canonical(site, path));
    let items = |filter: &dyn Fn(&Page) -> bool| -> Vec<LinkCtx> {
        site.of_kind(kind)
            .filter(|(_, p)| filter(p))
            .map(|(j, _)| link(site, path, j))
            .collect()
    };
    let groups = if kind == Kind::Case {
        use crate::model::Verdict;
        vec![
            GroupCtx {
                id: "open",
                title: "When opening pays",
                items: items(&|p| p.verdict == Some(Verdict::Open)),
            },
            GroupCtx {
                id: "closed",
                title: "When to stay closed",
                items: items(&|p| p.verdict == Some(Verdict::Closed)),
            },
        ]
    } else {
        vec![GroupCtx {
            id: "all",
            title: kind.plural(),
            items: items(&|_| true),
        }]
    };
    ctx.insert("section", &serde_json::json!({ "kind": kind.name(), "label": kind.plural(), "singular": kind.label() }));
    ctx.insert("groups", &groups);
    ctx
}

#[derive(Serialize)]
struct AnswerCtx<'a> {
    label: &'a str,
    next: Option<&'a str>,
    verdict: Option<&'a str>,
    /// The anchor of its target in the page's static (no-script) version.
    anchor: String,
}

#[derive(Serialize)]
struct QuestionCtx<'a> {
    id: &'a str,
    text: &'a str,
    why: &'a str,
    see: Vec<LinkCtx<'a>>,
    answers: Vec<AnswerCtx<'a>>,
}

#[derive(Serialize)]
struct ReasonCtx<'a> {
    #[serde(flatten)]
    page: LinkCtx<'a>,
    text: &'a str,
}

#[derive(Serialize)]
struct VerdictCtx<'a> {
    id: &'a str,
    call: &'static str,
    call_label: &'static str,
    title: &'a str,
    confidence: u8,
    changes: &'a str,
    recommend: LinkCtx<'a>,
    reasons: Vec<ReasonCtx<'a>>,
    watch: Vec<LinkCtx<'a>>,
}

#[derive(Serialize)]
struct TreeCtx<'a> {
    title: &'a str,
    intro: &'a str,
    start: &'a str,
    questions: Vec<QuestionCtx<'a>>,
    verdicts: Vec<VerdictCtx<'a>>,
}

fn decide_context(site: &Site, tree: &Tree, base: &tera::Context) -> tera::Context {
    let from = DECIDE_PAGE;
    let links = |ids: &[usize]| ids.iter().map(|&t| link(site, from, t)).collect::<Vec<_>>();
    let questions = tree
        .questions
        .iter()
        .map(|q| QuestionCtx {
            id: &q.id,
            text: &q.text,
            why: &q.why,
            see: links(&q.see),
            answers: q
                .answers
                .iter()
                .map(|a| match a.target {
                    Target::Question(n) => AnswerCtx {
                        label: &a.label,
                        next: Some(&tree.questions[n].id),
                        verdict: None,
                        anchor: format!("q-{}", tree.questions[n].id),
                    },
                    Target::Verdict(v) => AnswerCtx {
                        label: &a.label,
                        next: None,
                        verdict: Some(&tree.verdicts[v].id),
                        anchor: format!("v-{}", tree.verdicts[v].id),
                    },
                })
                .collect(),
        })
        .collect();
    let verdicts = tree
        .verdicts
        .iter()
        .map(|v| VerdictCtx {
            id: &v.id,
            call: v.call.name(),
            call_label: v.call.label(),
            title: &v.title,
            confidence: v.confidence,
            changes: &v.changes,
            recommend: link(site, from, v.recommend),
            reasons: v
                .reasons
                .iter()
                .map(|r| ReasonCtx {
                    page: link(site, from, r.page),
                    text: &r.text,
                })
                .collect(),
            watch: links(&v.watch),
        })
        .collect();
    let data = TreeCtx {
        title: &tree.title,
        intro: &tree.intro,
        start: &tree.questions[tree.start].id,
        questions,
        verdicts,
    };
    let mut ctx = base.clone();
    ctx.insert("root", "");
    ctx.insert("current", "decide");
    ctx.insert("canonical", &canonical(site, from));
    ctx.insert("tree_json", &script_json(&data));
    ctx.insert("tree", &data);
    ctx
}
