//! `static/` beside the content folder → files copied to the output root as
//! they are (a favicon, `CNAME`, a downloadable PDF).
//!
//! They join the content folder's own assets, as if they sat at its top, so a
//! page links them the same way. A path both folders provide is an error, as is
//! one the generator writes itself (checked in render, which knows its files).

use std::collections::HashMap;
use std::path::PathBuf;

use super::{image_size, shown, slash_path};
use crate::config::Config;
use crate::diagnostics::{display_path, Diagnostic};
use crate::model::Asset;

/// The folder's name, beside book.toml.
pub const STATIC_DIR: &str = "static";

/// Adds the files of `static/` to `assets`, reporting clashes with content files.
pub fn load(config: &Config, assets: &mut Vec<Asset>, diags: &mut Vec<Diagnostic>) {
    let dir = config.root.join(STATIC_DIR);
    if !dir.is_dir() {
        return;
    }
    let taken: HashMap<String, PathBuf> = assets
        .iter()
        .map(|a| (a.content_path.clone(), a.shown_path.clone()))
        .collect();
    for entry in super::walk(&config.root, &dir) {
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
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let content_path = slash_path(rel);
        let shown_path = shown(config, entry.path());
        if let Some(other) = taken.get(&content_path) {
            diags.push(
                Diagnostic::new(
                    shown_path,
                    format!(
                        "would be copied to `{content_path}`, which {} provides too",
                        display_path(other)
                    ),
                )
                .hint("static/ and the content folder share the output root: rename or remove one of the two"),
            );
            continue;
        }
        assets.push(Asset {
            size: image_size::of_file(entry.path()),
            content_path,
            shown_path,
            source: entry.path().to_path_buf(),
        });
    }
}
