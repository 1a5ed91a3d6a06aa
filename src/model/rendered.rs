//! A page's Markdown body as rendered: its HTML and what later phases read
//! from it (headings for the table of contents and fragment checks, section
//! text for search, internal links for backlinks).

use crate::diagnostics::{Diagnostic, Pos};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The text under one heading (or before the first), for search.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Index into `headings`; `None` for the text before the first heading.
    pub heading: Option<usize>,
    pub text: String,
}

/// An internal link, kept so its `#fragment` can be checked against the target.
#[derive(Debug, Clone)]
pub struct PageLink {
    pub target: usize,
    pub fragment: Option<String>,
    /// Byte offset in the body.
    pub offset: usize,
    /// Where it is, for a link with a fragment to check: the source is gone
    /// by the time fragments are checked.
    pub pos: Option<Pos>,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    pub links: Vec<PageLink>,
    /// Each Markdown field's value as inline HTML, by the field's index.
    pub fields_html: Vec<(usize, String)>,
    pub diags: Vec<Diagnostic>,
}
