//! A checked page: every field typed, references resolved to page indices.

use std::path::PathBuf;

use super::Kind;

/// The call a case makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Open,
    Closed,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Open => "Open",
            Verdict::Closed => "Stay closed",
        }
    }
}

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
    pub related: Vec<usize>,
    pub patterns: Vec<usize>,
    pub examples: Vec<String>,
    pub signals: Vec<String>,
    pub gains: Vec<String>,
    pub costs: Vec<String>,
    pub opened: Option<String>,
    pub kept: Option<String>,
    pub verdict: Option<Verdict>,
    pub weight: i64,
    pub draft: bool,
}
