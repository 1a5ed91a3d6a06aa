//! Diagnostics: what every stage reports to the user.
//!
//! A diagnostic names a file, a place in it when there is one, what is wrong
//! and what to do about it, so the author never has to read our source.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the user's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user would type it (relative to the site folder when possible).
    pub path: PathBuf,
    /// 1-based line and column; `None` when the problem is about the file as a whole.
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            col: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = Some(line.max(1));
        self.col = Some(col.max(1));
        self
    }

    pub fn at_pos(self, pos: Pos) -> Self {
        self.at(pos.line, pos.col)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", display_path(&self.path))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": error: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Paths are shown with forward slashes so messages read the same everywhere
/// and tests can match them exactly.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A 1-based position in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub fn new(line: usize, col: usize) -> Self {
        Pos { line, col }
    }

    /// The position of byte `offset` in `text`, counting lines from `first_line`.
    /// Columns count characters, not bytes, as editors do.
    pub fn of_offset(text: &str, offset: usize, first_line: usize) -> Pos {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = first_line + before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Pos { line, col }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest candidate to `word` by edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A short list of names for a hint, cut so the hint stays one readable line.
pub fn list_for_hint<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    const MAX: usize = 8;
    let mut out = names
        .iter()
        .take(MAX)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > MAX {
        out.push_str(&format!(", … ({} in all)", names.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_path_line_col_and_hint() {
        let d = Diagnostic::new("content/cases/a.md", "unknown pattern \"x\"")
            .at(6, 3)
            .hint("known patterns are y, z");
        assert_eq!(
            d.to_string(),
            "content/cases/a.md:6:3: error: unknown pattern \"x\"\n  hint: known patterns are y, z"
        );
    }

    #[test]
    fn position_of_offset_counts_lines_and_chars() {
        let text = "ab\ncé d\n";
        assert_eq!(Pos::of_offset(text, 0, 1), Pos::new(1, 1));
        assert_eq!(Pos::of_offset(text, 3, 5), Pos::new(6, 1));
        // "é" is two bytes: the space after it is the third character.
        assert_eq!(Pos::of_offset(text, 6, 1), Pos::new(2, 3));
    }

    #[test]
    fn suggests_close_names_only() {
        let known = ["title", "summary", "related"];
        assert_eq!(did_you_mean("titel", known), Some("title"));
        assert_eq!(did_you_mean("relatd", known), Some("related"));
        assert_eq!(did_you_mean("colour", known), None);
    }
}
