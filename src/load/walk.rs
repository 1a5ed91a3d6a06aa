//! The content folder's files, in a sorted walk: what each one is (a page
//! of some kind, an asset, the decision tree) from where it sits, and the
//! paths a message shows for it.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::Kind;

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
pub(super) fn classify(content_path: &str) -> Result<(Kind, String), (String, String)> {
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
