//! The kinds of page: what the folder a file sits in makes it.

use serde::Serialize;

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
