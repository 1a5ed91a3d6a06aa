//! The kinds of page and the raw page as loaded from disk, before validation.

use std::path::PathBuf;

use serde::Serialize;

use super::front_matter::FrontMatter;

/// What a page is. The folder a file sits in decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Home,
    Pattern,
    Case,
    Hybrid,
    Mistake,
    /// A free-standing page at the top of the content folder, e.g. `about.md`.
    Page,
}

impl Kind {
    /// The kinds that have a folder and an index page, in reading order.
    pub const SECTIONS: [Kind; 4] = [Kind::Pattern, Kind::Case, Kind::Hybrid, Kind::Mistake];

    /// The content folder, which is also the output folder.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Home | Kind::Page => "",
            Kind::Pattern => "patterns",
            Kind::Case => "cases",
            Kind::Hybrid => "hybrids",
            Kind::Mistake => "mistakes",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::SECTIONS.into_iter().find(|k| k.folder() == folder)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Home => "Home",
            Kind::Pattern => "Pattern",
            Kind::Case => "Case",
            Kind::Hybrid => "Hybrid",
            Kind::Mistake => "Mistake",
            Kind::Page => "Page",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Kind::Home => "Home",
            Kind::Pattern => "Patterns",
            Kind::Case => "Cases",
            Kind::Hybrid => "Hybrids",
            Kind::Mistake => "Mistakes",
            Kind::Page => "Pages",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Pattern => "pattern",
            Kind::Case => "case",
            Kind::Hybrid => "hybrid",
            Kind::Mistake => "mistake",
            Kind::Page => "page",
        }
    }
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
    pub front: std::sync::Arc<FrontMatter>,
    /// Shared with the checked page and `watch`'s cache, never copied.
    pub body: std::sync::Arc<str>,
    /// The line of the file on which `body` starts.
    pub body_line: usize,
}
