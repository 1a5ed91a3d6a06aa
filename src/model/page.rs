//! A checked page: every field typed, references resolved to page indices.

use std::path::PathBuf;

use super::{FieldValue, Kind};
use crate::diagnostics::Pos;

/// A checked page.
#[derive(Debug, Clone, Hash)]
pub struct Page {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    pub summary: String,
    pub shown_path: PathBuf,
    pub content_path: String,
    /// Output path with `/` separators, e.g. `cases/catching-up.html`.
    pub out_path: String,
    pub body: std::sync::Arc<str>,
    pub body_line: usize,
    /// `related`, the relation every kind has: page indices.
    pub related: Vec<usize>,
    /// The values of its kind's declared fields, in the order they are
    /// declared; references are page indices.
    pub fields: Vec<FieldValue>,
    /// Where each Markdown field's value is written, by the field's index:
    /// problems with its links are reported there.
    pub markdown_at: Vec<(usize, Pos)>,
    pub weight: i64,
    pub draft: bool,
}

impl Page {
    /// The pages every reference field of this page names, field by field.
    pub fn references(&self) -> impl Iterator<Item = (usize, &[usize])> {
        self.fields.iter().enumerate().filter_map(|(i, v)| match v {
            FieldValue::Refs(pages) => Some((i, pages.as_slice())),
            _ => None,
        })
    }
}
