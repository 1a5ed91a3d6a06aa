//! The content folder's files, in a sorted walk: what each one is (a page
//! of some kind, an asset, the decision tree) from where it sits, and the
//! paths a message shows for it.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::{Kind, Model};

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Every entry under `dir`, sorted by name so output is the same each run,
/// skipping hidden files and editor droppings. Symbolic links are followed
/// when they resolve inside the site folder `root`; one that leads out of it
/// is an error at the link, and nothing behind it is read: a committed link
/// to `/etc/passwd` or `/proc/self/environ` must not be published. A failed
/// step is a diagnostic naming the path as the user types it from `root`.
pub fn walk<'a>(
    root: &'a Path,
    dir: &Path,
) -> impl Iterator<Item = Result<walkdir::DirEntry, Diagnostic>> + 'a {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let fallback = dir.strip_prefix(root).unwrap_or(dir).to_path_buf();
    let mut entries = WalkDir::new(dir)
        .follow_links(true)
        // By file name, as siblings' paths differ only there. Comparing
        // `file_name()`s parsed each path again per comparison: 6.7 % of a
        // `watch` rebuild's instructions at 10,000 pages (callgrind).
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    std::iter::from_fn(move || {
        let entry = match entries.next()? {
            Ok(entry) => entry,
            Err(e) => return Some(Err(walk_error(root, &e, &fallback))),
        };
        // At depth 0 a link may sit higher up (`themes/x` → elsewhere).
        if entry.path_is_symlink() || entry.depth() == 0 {
            if let Err(d) = link_inside(root, &real_root, entry.path()) {
                if entry.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                return Some(Err(d));
            }
        }
        // A name that is not UTF-8 cannot be a URL as written, and a lossy
        // reading made two such files one output file, silently.
        if entry.depth() > 0 && entry.file_name().to_str().is_none() {
            if entry.file_type().is_dir() {
                entries.skip_current_dir();
            }
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let mut name = String::new();
            for chunk in entry.file_name().as_encoded_bytes().utf8_chunks() {
                name.push_str(chunk.valid());
                for b in chunk.invalid() {
                    name.push_str(&format!("\\x{b:02X}"));
                }
            }
            return Some(Err(Diagnostic::new(
                shown.to_path_buf(),
                format!("this file name is not UTF-8 (`{name}`)"),
            )
            .hint(
                "rename it using UTF-8 (letters, digits, `-`, `_` and `.` are safest)",
            )));
        }
        Some(Ok(entry))
    })
}

/// Whether `link`, a symbolic link or a path through one, resolves inside
/// the site folder.
pub fn link_inside(root: &Path, real_root: &Path, link: &Path) -> Result<(), Diagnostic> {
    let shown = link.strip_prefix(root).unwrap_or(link).to_path_buf();
    match link.canonicalize() {
        Ok(target) if target.starts_with(real_root) => Ok(()),
        Ok(target) => Err(Diagnostic::new(
            shown,
            format!(
                "a symbolic link takes this path out of the site folder, to {}",
                target.display()
            ),
        )
        .hint("playbook publishes only files inside the site folder: copy the file in, or remove the link")),
        Err(e) => Err(Diagnostic::new(shown, format!("this symbolic link cannot be followed: {e}"))
            .hint("point the link at a file inside the site folder, or remove it")),
    }
}

/// A failed step of [`walk`] as a diagnostic naming the path as the user types it.
fn walk_error(root: &Path, e: &walkdir::Error, fallback: &Path) -> Diagnostic {
    let path = e
        .path()
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
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
pub(super) fn classify(
    content_path: &str,
    model: &Model,
) -> Result<(Kind, String), (String, String)> {
    let mut parts: Vec<&str> = content_path.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    let id = file.strip_suffix(".md").unwrap_or(file).to_string();
    match parts.first() {
        None if id == "index" => Ok((Kind::Home, id)),
        None => Ok((Kind::Page, id)),
        Some(folder) => {
            match model.from_folder(folder) {
                Some(kind) => Ok((kind, id)),
                None => {
                    let folders: Vec<String> = model
                        .sections()
                        .map(|k| format!("{}/", model.folder(k)))
                        .collect();
                    let folders: Vec<&str> = folders.iter().map(String::as_str).collect();
                    Err((
                    format!("`{folder}/` is not a folder playbook knows"),
                    format!("put each page in {} (the folder gives its kind), or index.md at the top", or_list(&folders)),
                ))
                }
            }
        }
    }
}

/// A path as the user would type it from the site folder.
pub fn shown(config: &Config, path: &Path) -> PathBuf {
    path.strip_prefix(&config.root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

pub(super) fn slash_path(path: &Path) -> String {
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
        let model = Model::default();
        let classify = |path: &str| classify(path, &model);
        let case = model.from_name("case").unwrap();
        assert_eq!(classify("index.md").unwrap(), (Kind::Home, "index".into()));
        assert_eq!(classify("about.md").unwrap(), (Kind::Page, "about".into()));
        assert_eq!(classify("cases/a-b.md").unwrap(), (case, "a-b".into()));
        assert_eq!(classify("cases/2024/x.md").unwrap(), (case, "x".into()));
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
