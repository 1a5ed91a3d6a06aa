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
