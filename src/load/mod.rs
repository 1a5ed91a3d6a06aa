//! content/ → raw pages: a sorted walk of the content folder ([`walk`]), each
//! Markdown file read ([`text`]), split and its front matter parsed
//! ([`front_matter`]), on all cores. Nothing here judges what the fields say;
//! the one rule applied to files as they are read is that the site's style
//! sheets, SVG and HTML load nothing from the network ([`asset_refs`]).

mod asset_refs;
mod cache;
pub mod front_matter;
pub mod image_size;
mod locate;
mod simple_yaml;
pub mod static_dir;
mod text;
mod walk;
mod yaml_scan;

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::{Asset, Kind, SourceText};
pub use cache::{Cache, Stamp};
pub use locate::{locate, locate_item};
pub use text::read_text;
use walk::{classify, slash_path};
pub use walk::{is_ignored, link_inside, shown, walk};

/// The file that holds the decision tree, at the top of the content folder.
pub const TREE_FILE: &str = "decide.yaml";

/// Everything read from the content folder.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Shared with `watch`'s cache: an unchanged file's page is the same
    /// allocation from one load to the next.
    pub pages: Vec<Arc<RawPage>>,
    /// Non-Markdown files, copied to the same place in the output.
    pub assets: Vec<Asset>,
    /// The decision tree's source, if the site has one.
    pub tree: Option<SourceText>,
    /// Ids of pages that exist but could not be read or parsed: references to
    /// them are not reported again, as the page's own error says it all.
    pub unreadable: Vec<String>,
}

/// A Markdown file split into front matter and body, not yet checked.
#[derive(Debug, Clone)]
pub struct RawPage {
    /// Path shown in diagnostics, e.g. `content/cases/catching-up.md`.
    pub shown_path: PathBuf,
    /// Path inside the content folder with `/` separators, e.g. `cases/catching-up.md`;
    /// links between pages are resolved against it.
    pub content_path: String,
    pub kind: Kind,
    /// The file stem.
    pub id: String,
    /// Shared with `watch`'s cache; validation keeps only its text
    /// ([`front_matter::Written`]), for error positions.
    pub front: std::sync::Arc<front_matter::FrontMatter>,
    /// Shared with the checked page and `watch`'s cache, never copied.
    pub body: std::sync::Arc<str>,
    /// The line of the file on which `body` starts.
    pub body_line: usize,
}

/// Walks the content folder, reading only the files whose [`Stamp`] differs
/// from the one `cache` holds for them, and keeping this load's pages there.
/// When all that changed since the last load is page files that walk found
/// (see [`Cache::forget`]), its findings are used again and only those files
/// are read. Problems with single files are gathered, not fatal, so one run
/// reports them all.
pub fn load(config: &Config, mut cache: Option<&mut Cache>) -> (Loaded, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let content = &config.content_dir;
    if !content.is_dir() {
        diags.push(
            Diagnostic::new(shown(config, content), "the content folder does not exist")
                .hint("create it with an index.md, or set `content-dir` in book.toml"),
        );
        return (Loaded::default(), diags);
    }
    let mut timer = crate::timing::Timer::new();
    // Walking 10,000 pages and taking the stamp of each was 63 ms of a
    // 267 ms save in `watch` (median of 12 saves, PLAYBOOK_TIMINGS=1).
    let (listing, saved) = match cache.as_deref_mut().and_then(Cache::take_listing) {
        Some((listing, saved)) => (listing, Some(saved)),
        None => (walk_listing(config), None),
    };
    timer.mark("load: walk");
    let mut loaded = Loaded {
        assets: listing.assets.clone(),
        tree: listing.tree.clone(),
        ..Loaded::default()
    };
    diags.extend(listing.diags.iter().cloned());
    read_pages(
        &listing.markdown,
        saved.as_ref(),
        cache.as_deref_mut(),
        &mut loaded,
        &mut diags,
    );
    if let Some(cache) = cache {
        cache.keep_listing(listing);
    }
    timer.mark("load: read");
    (loaded, diags)
}

/// What a walk of the content folder (and `static/`) found, with the
/// problems it met: everything a load needs but the pages themselves.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    markdown: Vec<MarkdownFile>,
    assets: Vec<Asset>,
    tree: Option<SourceText>,
    diags: Vec<Diagnostic>,
}

fn walk_listing(config: &Config) -> Listing {
    let mut loaded = Loaded::default();
    let mut diags = Vec::new();
    let markdown = walk_content(config, &mut loaded, &mut diags);
    static_dir::load(config, &mut loaded.assets, &mut diags);
    asset_refs::check(&loaded.assets, &mut diags);
    Listing {
        markdown,
        assets: loaded.assets,
        tree: loaded.tree,
        diags,
    }
}

/// A Markdown file found by the walk, not yet read.
#[derive(Debug, Clone)]
struct MarkdownFile {
    path: PathBuf,
    shown_path: PathBuf,
    content_path: String,
    kind: Kind,
    id: String,
}

/// The content folder's files: the tree's source and the assets into
/// `loaded`, the Markdown files returned, to be read on all cores.
fn walk_content(
    config: &Config,
    loaded: &mut Loaded,
    diags: &mut Vec<Diagnostic>,
) -> Vec<MarkdownFile> {
    let content = &config.content_dir;
    let mut markdown = Vec::new();
    for entry in walk(&config.root, content) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let content_path = slash_path(rel);
        let shown_path = shown(config, entry.path());
        if content_path == TREE_FILE {
            match read_text(entry.path(), &shown_path) {
                Ok(text) => loaded.tree = Some(SourceText { shown_path, text }),
                Err(d) => diags.push(d),
            }
        } else if !content_path.ends_with(".md") {
            loaded.assets.push(Asset {
                size: image_size::of_file(entry.path()),
                content_path,
                source: entry.path().to_path_buf(),
                shown_path,
            });
        } else {
            match classify(&content_path, &config.model) {
                Ok((kind, id)) => markdown.push(MarkdownFile {
                    path: entry.path().to_path_buf(),
                    shown_path,
                    content_path,
                    kind,
                    id,
                }),
                Err((message, hint)) => diags.push(Diagnostic::new(shown_path, message).hint(hint)),
            }
        }
    }
    markdown
}

/// Reads and parses every Markdown file in parallel, or takes it from
/// `cache` when its stamp is unchanged, or when `saved` (the only files
/// changed since the cache's load) does not name it; pages in walk order
/// into `loaded`.
fn read_pages(
    markdown: &[MarkdownFile],
    saved: Option<&HashSet<OsString>>,
    mut cache: Option<&mut Cache>,
    loaded: &mut Loaded,
    diags: &mut Vec<Diagnostic>,
) {
    let old = cache.as_deref();
    // What to keep of each file or why not. `None` as the page: the cache's
    // page is still good; `None` as the stamp as well: the file was not even
    // looked at, and the cache's stamp for it stands.
    type Read = Result<(Option<Stamp>, Option<Arc<RawPage>>), Diagnostic>;
    let results: Vec<Read> = markdown
        .par_iter()
        .map(|file| {
            let untouched = saved.is_some_and(|s| !s.contains(file.path.as_os_str()));
            if untouched && old.is_some_and(|c| c.page(&file.path).is_some()) {
                return Ok((None, None));
            }
            // Stamped before reading: a write during the read shows next time.
            let stamp = old.and_then(|_| Stamp::of(&file.path));
            let unchanged = old.is_some_and(|c| {
                c.unchanged(&file.path, stamp, &file.content_path, &file.shown_path)
            });
            if unchanged {
                Ok((stamp, None))
            } else {
                read_text(&file.path, &file.shown_path)
                    .and_then(|text| {
                        let MarkdownFile {
                            shown_path,
                            content_path,
                            kind,
                            id,
                            ..
                        } = file;
                        parse_page(
                            &text,
                            shown_path.clone(),
                            content_path.clone(),
                            *kind,
                            id.clone(),
                        )
                    })
                    .map(|page| (stamp, Some(Arc::new(page))))
            }
        })
        .collect();
    // After a save the watcher named, the files are the ones the cache holds:
    // its map is updated in place (rebuilding it, one insert per page, was
    // most of the 17 ms this step took at 10,000 pages). After a walk it is
    // made afresh, which drops the pages of files that are gone.
    let in_place = saved.is_some();
    let mut before = match cache.as_deref_mut() {
        Some(c) if !in_place => c.take(),
        _ => HashMap::new(),
    };
    let mut kept = HashMap::new();
    for (file, r) in markdown.iter().zip(results) {
        match r {
            Ok((stamp, Some(page))) => {
                match cache.as_deref_mut() {
                    Some(c) if in_place => c.insert(&file.path, stamp, page.clone()),
                    Some(_) => {
                        kept.insert(file.path.clone().into_os_string(), (stamp, page.clone()));
                    }
                    None => {}
                }
                loaded.pages.push(page);
            }
            Ok((_, None)) if in_place => {
                // `unchanged` or the check for an untouched file found it there.
                if let Some(page) = cache.as_deref().and_then(|c| c.page(&file.path)) {
                    loaded.pages.push(page.clone());
                }
            }
            Ok((stamp, None)) => {
                if let Some((was, page)) = before.remove(file.path.as_os_str()) {
                    kept.insert(
                        file.path.clone().into_os_string(),
                        (stamp.or(was), page.clone()),
                    );
                    loaded.pages.push(page);
                }
            }
            Err(d) => {
                diags.push(d);
                loaded.unreadable.push(file.id.clone());
            }
        }
    }
    if let (Some(cache), false) = (cache, in_place) {
        cache.keep(kept);
    }
}

fn parse_page(
    text: &str,
    shown_path: PathBuf,
    content_path: String,
    kind: Kind,
    id: String,
) -> Result<RawPage, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(shown_path, "the file is empty").at(1, 1).hint(
            "a page needs front matter: `---`, `title: ...`, `summary: ...`, `---`, then its Markdown",
        ));
    }
    let split = front_matter::split(text).map_err(|e| e.diagnostic(&shown_path, 1))?;
    let front = front_matter::parse(split.front, split.front_line)
        .map_err(|e| e.diagnostic(&shown_path, split.front_line))?;
    Ok(RawPage {
        content_path,
        kind,
        id,
        front: std::sync::Arc::new(front),
        body: std::sync::Arc::from(split.body),
        body_line: split.body_line,
        shown_path,
    })
}
