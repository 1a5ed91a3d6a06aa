//! content/ → raw pages: a sorted walk of the content folder, each Markdown file
//! read, split and its front matter parsed. Nothing here judges what the fields say.

pub mod front_matter;
pub mod image_size;
mod locate;
mod simple_yaml;
pub mod static_dir;
mod yaml_scan;

pub use locate::locate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Pos};
use crate::model::{Asset, Kind, SourceText};

/// The file that holds the decision tree, at the top of the content folder.
pub const TREE_FILE: &str = "decide.yaml";

/// Everything read from the content folder.
#[derive(Debug, Default)]
pub struct Loaded {
    pub pages: Vec<RawPage>,
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
    /// Shared: validation keeps it for error positions, `watch` for reuse.
    pub front: std::sync::Arc<front_matter::FrontMatter>,
    /// Shared with the checked page and `watch`'s cache, never copied.
    pub body: std::sync::Arc<str>,
    /// The line of the file on which `body` starts.
    pub body_line: usize,
}

/// Pages parsed by the last load, with the stamp of the file they came from:
/// `watch` reads and parses again only the files whose stamp changed.
#[derive(Default)]
pub struct Cache {
    pages: HashMap<PathBuf, (Option<Stamp>, RawPage)>,
}

/// Walks the content folder. Problems with single files are gathered, not fatal,
/// so one run reports them all.
pub fn load(config: &Config) -> (Loaded, Vec<Diagnostic>) {
    load_with(config, None)
}

/// [`load`], reading only the files whose [`Stamp`] differs from the one
/// `cache` holds for them, and keeping this load's pages there.
pub fn load_with(config: &Config, mut cache: Option<&mut Cache>) -> (Loaded, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let content = &config.content_dir;
    let shown_root = shown(config, content);
    if !content.is_dir() {
        diags.push(
            Diagnostic::new(shown_root, "the content folder does not exist")
                .hint("create it with an index.md, or set `content-dir` in book.toml"),
        );
        return (Loaded::default(), diags);
    }

    let mut timer = crate::timing::Timer::new();
    let mut markdown = Vec::new();
    let mut loaded = Loaded::default();
    for entry in walk(content) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diags.push(walk_error(config, &e, &shown_root));
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
            continue;
        }
        if !content_path.ends_with(".md") {
            loaded.assets.push(Asset {
                size: image_size::of_file(entry.path()),
                content_path,
                source: entry.path().to_path_buf(),
                shown_path,
            });
            continue;
        }
        match classify(&content_path) {
            Ok((kind, id)) => markdown.push((
                entry.path().to_path_buf(),
                shown_path,
                content_path,
                kind,
                id,
            )),
            Err((message, hint)) => diags.push(Diagnostic::new(shown_path, message).hint(hint)),
        }
    }

    static_dir::load(config, &mut loaded.assets, &mut diags);
    timer.mark("load: walk");

    let old = cache.as_deref();
    // (id, path, what to keep of it or why not). `None` as the page: the
    // cache's page is still good.
    type Read = (
        String,
        PathBuf,
        Result<(Option<Stamp>, Option<RawPage>), Diagnostic>,
    );
    let results: Vec<Read> = markdown
        .into_par_iter()
        .map(|(path, shown_path, content_path, kind, id)| {
            // Stamped before reading: a write during the read shows next time.
            let stamp = old.and_then(|_| Stamp::of(&path));
            let fresh = old
                .and_then(|c| c.pages.get(&path))
                .is_some_and(|(s, page)| {
                    stamp.is_some()
                        && *s == stamp
                        && page.content_path == content_path
                        && page.shown_path == shown_path
                });
            let result = if fresh {
                Ok((stamp, None))
            } else {
                read_text(&path, &shown_path)
                    .and_then(|text| parse_page(&text, shown_path, content_path, kind, id.clone()))
                    .map(|page| (stamp, Some(page)))
            };
            (id, path, result)
        })
        .collect();
    timer.mark("load: read");
    let mut before = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.pages))
        .unwrap_or_default();
    let mut kept = HashMap::new();
    for (id, path, r) in results {
        match r {
            Ok((stamp, page)) => {
                let page = match page {
                    Some(page) => page,
                    None => match before.remove(&path) {
                        Some((_, page)) => page,
                        // Cannot happen: `fresh` found it there.
                        None => continue,
                    },
                };
                if cache.is_some() {
                    kept.insert(path, (stamp, page.clone()));
                }
                loaded.pages.push(page);
            }
            Err(d) => {
                diags.push(d);
                loaded.unreadable.push(id);
            }
        }
    }
    if let Some(cache) = cache {
        cache.pages = kept;
    }
    (loaded, diags)
}

/// What tells that a file may have changed since it was read: its size, its
/// modification time, and on Unix its inode and status-change time (a file
/// replaced by a rename is a new inode). Timestamps can be coarse, so `watch`
/// also forgets every file its events name ([`Cache::forget`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, i64, i64),
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            (m.ino(), m.ctime(), m.ctime_nsec())
        };
        Some(Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            inode,
        })
    }
}

impl Cache {
    /// Drops what was read from `paths` or from under them, so the next load
    /// reads them again whatever their stamps say.
    pub fn forget<'a>(&mut self, paths: impl IntoIterator<Item = &'a Path>) {
        for path in paths {
            self.pages.retain(|p, _| !p.starts_with(path));
        }
    }
}

/// Every entry under `dir`, sorted by name so output is the same each run,
/// following symbolic links (loops are reported by walkdir) and skipping
/// hidden files and editor droppings.
pub fn walk(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()))
}

/// A failed step of [`walk`] as a diagnostic naming the path as the user types it.
pub fn walk_error(config: &Config, e: &walkdir::Error, fallback: &Path) -> Diagnostic {
    let path = e
        .path()
        .map(|p| shown(config, p))
        .unwrap_or_else(|| fallback.to_path_buf());
    if e.loop_ancestor().is_some() {
        Diagnostic::new(
            path,
            "a symbolic link here loops back to a folder that contains it",
        )
        .hint("remove the link or point it somewhere outside its own folder")
    } else {
        Diagnostic::new(path, format!("cannot read: {e}"))
            .hint("check that the file exists and is readable")
    }
}

/// Editor droppings and hidden files: never content, never assets.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        // JetBrains "safe write" temporaries.
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// The kind and id of a Markdown file from where it sits.
fn classify(content_path: &str) -> Result<(Kind, String), (String, String)> {
    let mut parts: Vec<&str> = content_path.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    let id = file.strip_suffix(".md").unwrap_or(file).to_string();
    match parts.first() {
        None if id == "index" => Ok((Kind::Home, id)),
        None => Ok((Kind::Page, id)),
        Some(folder) => match Kind::from_folder(folder) {
            Some(kind) => Ok((kind, id)),
            None => Err((
                format!("`{folder}/` is not a folder playbook knows"),
                "put each page in patterns/, cases/, hybrids/ or mistakes/ (the folder gives its kind), or index.md at the top".into(),
            )),
        },
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

/// Reads a file as UTF-8 text, dropping a byte-order mark and `\r` before `\n`,
/// which line counting and front-matter fences would otherwise trip on.
pub fn read_text(path: &Path, shown_path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::new(shown_path, format!("cannot read: {e}")))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let pos = Pos::of_offset(&prefix, prefix.len(), 1);
            return Err(Diagnostic::new(
                shown_path,
                format!("the file is not UTF-8 (byte 0x{:02X})", bytes[valid]),
            )
            .at_pos(pos)
            .hint("save the file as UTF-8; most editors offer this under \"Save with encoding\""));
        }
    };
    // Most files have neither a byte-order mark nor `\r`: keep them as read.
    if !text.starts_with('\u{feff}') && !text.contains('\r') {
        return Ok(text);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text.replace("\r\n", "\n"))
}

/// A path as the user would type it from the site folder.
pub fn shown(config: &Config, path: &Path) -> PathBuf {
    path.strip_prefix(&config.root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_gives_kind_and_stem_gives_id() {
        assert_eq!(classify("index.md").unwrap(), (Kind::Home, "index".into()));
        assert_eq!(classify("about.md").unwrap(), (Kind::Page, "about".into()));
        assert_eq!(
            classify("cases/a-b.md").unwrap(),
            (Kind::Case, "a-b".into())
        );
        assert_eq!(
            classify("cases/2024/x.md").unwrap(),
            (Kind::Case, "x".into())
        );
        assert!(classify("notes/x.md").is_err());
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".x.md.swp",
            "x.md~",
            "4913",
            "#x.md#",
            ".hidden",
            "x.md___jb_old___",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("x.md"));
    }
}
