//! `playbook new DIR [--kit NAME]`: an empty folder → a small working site.
//!
//! Each kit lives in `src/scaffold/kits/NAME/` and is compiled into the binary,
//! so `new` works wherever the binary is. Kits are tested like any fixture:
//! each must build with no problem and pass `playbook check`.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

macro_rules! kit {
    ($kit:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("kits/", $kit, "/", $name)))),*]
    };
}

/// A starting point for `playbook new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Kit {
    /// When to open-source AI models and tooling: patterns, cases, hybrids, mistakes
    #[default]
    OpenSourceAi,
    /// Incident response: scenarios, plays, roles and anti-patterns, all declared in book.toml
    IncidentResponse,
}

impl Kit {
    /// Path inside the new site → text. `__TITLE__` is replaced by the site's title.
    pub fn files(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kit::OpenSourceAi => kit![
                "open-source-ai":
                "book.toml",
                "README.md",
                "content/index.md",
                "content/decide.yaml",
                "content/patterns/open-the-tools.md",
                "content/cases/behind-the-leader.md",
                "content/hybrids/open-last-year.md",
                "content/mistakes/open-and-walk-away.md",
            ],
            Kit::IncidentResponse => kit![
                "incident-response":
                "book.toml",
                "README.md",
                "content/index.md",
                "content/decide.yaml",
                "content/scenarios/service-outage.md",
                "content/scenarios/data-leak.md",
                "content/scenarios/noisy-alert.md",
                "content/plays/contain-first.md",
                "content/plays/roll-back.md",
                "content/plays/find-what-changed.md",
                "content/plays/tell-the-customers.md",
                "content/roles/incident-commander.md",
                "content/roles/on-call-engineer.md",
                "content/roles/communications-lead.md",
                "content/anti-patterns/heroics.md",
                "content/anti-patterns/silencing-alerts.md",
            ],
        }
    }
}

/// Written too, so the first `git add .` does not pick up the output.
const GITIGNORE: &str = "/public/\n";

/// Creates a site in `dir`, which must be missing or empty. Nothing is written
/// unless every check passes first. Returns the files written, in order.
pub fn new_site(dir: &Path, kit: Kit) -> Result<Vec<PathBuf>, Diagnostic> {
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(Diagnostic::new(dir, "exists and is not a folder")
                .hint("choose a new folder name, e.g. `playbook new my-playbook`"))
        }
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir)
                .map_err(|e| Diagnostic::new(dir, format!("cannot read: {e}")))?;
            if entries.next().is_some() {
                return Err(Diagnostic::new(dir, "the folder is not empty").hint(
                    "`playbook new` only writes into a new or empty folder, so it never overwrites your work: choose another name",
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Diagnostic::new(dir, format!("cannot read: {e}"))),
    }
    let title = title_for(dir);
    let mut written = Vec::new();
    let files = kit
        .files()
        .iter()
        .copied()
        .chain(std::iter::once((".gitignore", GITIGNORE)));
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::new(parent, format!("cannot create: {e}")))?;
        }
        let text = fill(text, &title);
        std::fs::write(&path, text)
            .map_err(|e| Diagnostic::new(&path, format!("cannot write: {e}")))?;
        written.push(path);
    }
    Ok(written)
}

/// "my-playbook" → "My playbook": a readable first title the author will replace.
fn title_for(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words = name.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "My playbook".into(),
    }
}

/// Puts the title in. It lands inside a TOML basic string or a YAML
/// double-quoted scalar, which escape `\` and `"` the same way.
fn fill(text: &str, title: &str) -> String {
    let escaped: String = title
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    text.replace("__TITLE__", &escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file added to a kit's folder but not to its list would silently not
    /// be written; this keeps the list and the folder the same.
    #[test]
    fn every_kit_lists_every_file_in_its_folder() {
        for (kit, dir) in [
            (Kit::OpenSourceAi, "open-source-ai"),
            (Kit::IncidentResponse, "incident-response"),
        ] {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src/scaffold/kits")
                .join(dir);
            let mut on_disk: Vec<String> = walkdir::WalkDir::new(&root)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    e.path()
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/")
                })
                .collect();
            let mut listed: Vec<String> = kit.files().iter().map(|(n, _)| n.to_string()).collect();
            on_disk.sort();
            listed.sort();
            assert_eq!(on_disk, listed, "{dir}");
        }
    }

    #[test]
    fn titles_come_from_the_folder_name() {
        assert_eq!(title_for(Path::new("x/my-playbook")), "My playbook");
        assert_eq!(title_for(Path::new("ai_strategy")), "Ai strategy");
        assert_eq!(title_for(Path::new("/")), "My playbook");
    }

    #[test]
    fn titles_are_escaped_for_toml_and_yaml() {
        assert_eq!(fill("t = \"__TITLE__\"", "a\"b\\"), "t = \"a\\\"b\\\\\"");
    }
}
