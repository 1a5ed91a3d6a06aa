//! The checked site: its pages in reading order, its files, its tree's source.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{Kind, Page};
use crate::config::Config;

/// The checked site: pages in reading order (home, then each section by weight
/// and title, then free pages), with lookup tables built once.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    pub by_id: HashMap<String, usize>,
    pub by_content_path: HashMap<String, usize>,
    pub assets: Vec<Asset>,
    pub tree: Option<SourceText>,
    /// Drafts left out of this build: content path → path shown in messages,
    /// so a link to one can say it is a draft rather than missing.
    pub excluded_drafts: HashMap<String, PathBuf>,
}

impl Site {
    pub fn home(&self) -> Option<&Page> {
        self.pages.first().filter(|p| p.kind == Kind::Home)
    }

    /// Pages of one kind, in order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.kind == kind)
    }

    /// The indices of the pages of `kind`: contiguous, as pages are sorted
    /// by kind first (validate), so found by binary search.
    pub fn kind_range(&self, kind: Kind) -> std::ops::Range<usize> {
        let start = self.pages.partition_point(|p| p.kind < kind);
        let end = self.pages.partition_point(|p| p.kind <= kind);
        start..end
    }

    /// The pages before and after page `i` in reading order, within its kind.
    /// Pages are sorted by kind first (validate), so a page's neighbours within
    /// its kind are its neighbours in the list: no page scans all pages.
    pub fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let kind = self.pages[i].kind;
        let same_kind = |j: usize| self.pages.get(j).is_some_and(|p| p.kind == kind);
        (
            i.checked_sub(1).filter(|&j| same_kind(j)),
            Some(i + 1).filter(|&j| same_kind(j)),
        )
    }
}

/// Width and height in pixels.
pub type ImageSize = (u32, u32);

/// A file that is not a page (an image, a PDF, a `static/` file), copied as is.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// Path inside the content folder with `/` separators, which is also its
    /// output path (files from `static/` count as sitting at the content's top).
    pub content_path: String,
    pub source: PathBuf,
    /// The path shown in messages, e.g. `static/CNAME`.
    pub shown_path: PathBuf,
    /// Pixel size, for images whose header we can read.
    pub size: Option<ImageSize>,
}

/// A source file kept as text until its stage reads it (the decision tree).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceText {
    pub shown_path: PathBuf,
    pub text: String,
}
