//! Splits a page into its `---` front-matter block and body, and parses the block as YAML.
//!
//! Positions reported here count from the start of the file, not of the block,
//! so an editor's "go to line" lands on the mistake.

use std::fmt;
use std::sync::Arc;

use serde::de::{Deserializer as _, MapAccess, Visitor};
use serde_yaml::Value;

use super::locate::locate;
pub use super::yaml_scan::Opener;
use crate::diagnostics::{Diagnostic, Pos};

/// The parsed block, with what is needed to point at any key or list item later.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// Keys in file order.
    pub fields: Vec<(String, Value)>,
    pub written: Written,
}

/// A front-matter block as written: enough to point at any key or list item.
/// Kept apart from the parsed values so that what reports problems once the
/// values are checked (references to other pages) can keep it without them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The block's text, without the `---` lines.
    pub text: Arc<str>,
    /// The file line on which `text` starts.
    pub first_line: usize,
}

/// The result of splitting a file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    pub front_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Why a page's front matter cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    #[error("the file does not start with front matter")]
    NoOpening,
    #[error("the front matter opened here is never closed")]
    NeverClosed,
    #[error("a tab indents this line; YAML allows only spaces")]
    Tab { pos: Pos },
    #[error("invalid YAML: this {} is never closed", .what.name())]
    Unclosed { what: Opener, pos: Pos },
    #[error("`{key}` is given twice")]
    DuplicateKey { key: String, pos: Pos },
    /// Any other YAML syntax error, described by the parser.
    #[error("invalid YAML: {problem}")]
    Yaml {
        problem: String,
        pos: Pos,
        /// The parser stopped at a `:`: a value with `: ` in it, unquoted.
        at_colon: bool,
    },
    #[error(
        "lists or maps nested more than {} levels deep",
        super::yaml_scan::MAX_FLOW_DEPTH
    )]
    TooDeep { pos: Pos },
    #[error("front matter must be `key: value` lines, found {found}")]
    NotAMapping { found: &'static str },
    #[error("front-matter keys must be words, found {found}")]
    KeyNotText { found: &'static str },
}

impl FrontMatterError {
    /// Where in the file the problem is; `first_line` is the block's first
    /// line, for problems that concern the block as a whole.
    pub fn pos(&self, first_line: usize) -> Pos {
        match self {
            FrontMatterError::NoOpening | FrontMatterError::NeverClosed => Pos::new(1, 1),
            FrontMatterError::Tab { pos }
            | FrontMatterError::Unclosed { pos, .. }
            | FrontMatterError::DuplicateKey { pos, .. }
            | FrontMatterError::TooDeep { pos }
            | FrontMatterError::Yaml { pos, .. } => *pos,
            FrontMatterError::NotAMapping { .. } | FrontMatterError::KeyNotText { .. } => {
                Pos::new(first_line, 1)
            }
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            FrontMatterError::NoOpening => "put `---` on the first line, then `title: ...` and `summary: ...`, then another `---` line; the Markdown body follows",
            FrontMatterError::NeverClosed => "add a line with just `---` after the last front-matter field",
            FrontMatterError::Tab { .. } => "replace the tab with spaces (two per level is usual)",
            FrontMatterError::Unclosed { .. } => "close it on the same line: every `\"`, `'`, `[` and `{` needs its partner",
            FrontMatterError::DuplicateKey { .. } => "each key may appear once; remove or merge the repeated one",
            FrontMatterError::Yaml { at_colon: true, .. } => "a value containing `: ` must be quoted, e.g. `summary: \"Open: when and why\"`",
            FrontMatterError::Yaml { .. } => "front matter is YAML: `key: value` lines, lists as `[a, b]` or `- item` lines; quote text containing `:` or `#`",
            FrontMatterError::TooDeep { .. } => "flatten the value: a field holds text, a list or a small map, not brackets within brackets",
            FrontMatterError::NotAMapping { .. } => "write one field per line, e.g. `title: My page`",
            FrontMatterError::KeyNotText { .. } => "write keys such as `title:` or `related:`",
        }
    }

    /// The diagnostic for a block starting on line `first_line` of the file at `path`.
    pub fn diagnostic(&self, path: impl Into<std::path::PathBuf>, first_line: usize) -> Diagnostic {
        Diagnostic::new(path, self.to_string())
            .at_pos(self.pos(first_line))
            .hint(self.hint())
    }
}

const FENCE: &str = "---";

/// Finds the front-matter block. `text` has had its BOM and `\r`s removed.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != FENCE {
        return Err(FrontMatterError::NoOpening);
    }
    let after_open = first.len() + 1;
    let mut offset = after_open;
    for (line, l) in (2..).zip(text.get(after_open..).unwrap_or("").split_inclusive('\n')) {
        let content = l.trim_end_matches('\n').trim_end();
        if content == FENCE || content == "..." {
            let body_start = (offset + l.len()).min(text.len());
            return Ok(Split {
                front: &text[after_open..offset],
                front_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(FrontMatterError::NeverClosed)
}

/// Parses the block, which starts on line `first_line` of its file, into an
/// ordered list of keys and values.
pub fn parse(front: &str, first_line: usize) -> Result<FrontMatter, FrontMatterError> {
    let done = |fields| {
        Ok(FrontMatter {
            fields,
            written: Written {
                text: Arc::from(front),
                first_line,
            },
        })
    };
    if front.trim().is_empty() {
        return done(Vec::new());
    }
    if let Some((i, line)) = front.lines().enumerate().find(|(_, l)| {
        let indent: &str = &l[..l.len() - l.trim_start().len()];
        indent.contains('\t')
    }) {
        let col = line.find('\t').unwrap_or(0) + 1;
        return Err(FrontMatterError::Tab {
            pos: Pos::new(first_line + i, col),
        });
    }
    if let Some(fields) = super::simple_yaml::parse(front) {
        return done(fields);
    }
    if let Some((line, col)) = super::yaml_scan::nested_too_deep(front) {
        return Err(FrontMatterError::TooDeep {
            pos: Pos::new(first_line + line - 1, col),
        });
    }
    let top = serde_yaml::Deserializer::from_str(front)
        .deserialize_any(TopLevelVisitor)
        .map_err(|e| yaml_error(&e, front, first_line))?;
    let entries = match top {
        TopLevel::Mapping(entries) => entries,
        TopLevel::Empty => Vec::new(),
        TopLevel::Other => {
            // Read again as a value, only to say what it is.
            let value: Value = serde_yaml::from_str(front).unwrap_or(Value::Null);
            return Err(FrontMatterError::NotAMapping {
                found: describe(&value),
            });
        }
    };
    let mut fields: Vec<(String, Value)> = Vec::with_capacity(entries.len());
    // A set beside the list: 100,000 keys must not be compared pairwise.
    let mut keys = std::collections::HashSet::with_capacity(entries.len());
    for (key, value) in entries {
        let Value::String(key) = key else {
            return Err(FrontMatterError::KeyNotText {
                found: describe(&key),
            });
        };
        if !keys.insert(key.clone()) {
            return Err(FrontMatterError::DuplicateKey {
                pos: second_key_line(front, &key, first_line),
                key,
            });
        }
        fields.push((key, value));
    }
    done(fields)
}

/// The block's top level, read without serde_yaml's `Mapping`, which
/// rejects a repeated key with no more than a message: the entries come in
/// file order, repeats included, so a repeat is reported with its key.
enum TopLevel {
    Mapping(Vec<(Value, Value)>),
    /// An empty document or `null`: no fields.
    Empty,
    Other,
}

/// Reads a [`TopLevel`].
struct TopLevelVisitor;

macro_rules! other {
    ($($name:ident: $t:ty),*) => {$(
        fn $name<E>(self, _: $t) -> Result<TopLevel, E> {
            Ok(TopLevel::Other)
        }
    )*};
}

impl<'de> Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`key: value` lines")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Value, Value>()? {
            entries.push(entry);
        }
        Ok(TopLevel::Mapping(entries))
    }

    fn visit_unit<E>(self) -> Result<TopLevel, E> {
        Ok(TopLevel::Empty)
    }

    fn visit_none<E>(self) -> Result<TopLevel, E> {
        Ok(TopLevel::Empty)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<TopLevel, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(TopLevel::Other)
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<TopLevel, A::Error> {
        // A tagged value (`!tag x`).
        let (serde::de::IgnoredAny, variant) = data.variant()?;
        serde::de::VariantAccess::newtype_variant::<serde::de::IgnoredAny>(variant)?;
        Ok(TopLevel::Other)
    }

    other!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
}

/// The line of the second top-level `key:`: the repeat to remove.
fn second_key_line(front: &str, key: &str, first_line: usize) -> Pos {
    front
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .nth(1)
        .map_or(Pos::new(first_line, 1), |(i, _)| {
            Pos::new(first_line + i, 1)
        })
}

/// A YAML syntax error, at the parser's position: reported as the construct
/// left open where the block leaves one open, else in the parser's words.
fn yaml_error(e: &serde_yaml::Error, front: &str, first_line: usize) -> FrontMatterError {
    let at = |line: usize, col: usize| Pos::new(first_line + line - 1, col);
    let location = e.location().map(|l| (l.line(), l.column(), l.index()));
    if let Some((what, line, col)) = super::yaml_scan::left_open(front) {
        return FrontMatterError::Unclosed {
            what,
            pos: at(line, col),
        };
    }
    let at_colon =
        location.is_some_and(|(_, _, index)| front[index.min(front.len())..].starts_with(':'));
    FrontMatterError::Yaml {
        problem: problem(e),
        pos: location.map_or(Pos::new(first_line, 1), |(l, c, _)| at(l, c)),
        at_colon,
    }
}

/// The parser's description of the problem, without the positions it
/// appends (they count from the block, not the file; ours replace them).
/// Pinned by a test, so a parser upgrade that changes the form shows there.
fn problem(e: &serde_yaml::Error) -> String {
    let full = e.to_string();
    let cut = [", while ", " at line "]
        .iter()
        .filter_map(|sep| full.find(sep))
        .min()
        .unwrap_or(full.len());
    full[..cut].to_string()
}

pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map of keys",
        Value::Tagged(_) => "a tagged value",
    }
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Where `key:` is written, or the block's first line if it is not.
    pub fn key_pos(&self, key: &str) -> Pos {
        self.written.key_pos(key)
    }

    /// Where `item` is written within the value of `key` (a list item, say);
    /// falls back to the key.
    pub fn item_pos(&self, key: &str, item: &str) -> Pos {
        self.written.item_pos(key, item)
    }
}

impl Written {
    /// Where `key:` is written, or the block's first line if it is not.
    pub fn key_pos(&self, key: &str) -> Pos {
        locate(&self.text, self.first_line, &[key], None)
    }

    /// Where `item` is written within the value of `key`; falls back to the key.
    pub fn item_pos(&self, key: &str, item: &str) -> Pos {
        locate(&self.text, self.first_line, &[key], Some(item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_block_and_body_with_lines() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.front, "title: A\n");
        assert_eq!(s.front_line, 2);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn missing_opening_fence_is_reported() {
        assert_eq!(split("title: A\n"), Err(FrontMatterError::NoOpening));
    }

    #[test]
    fn unclosed_block_is_reported() {
        let e = split("---\ntitle: A\nbody").unwrap_err();
        assert_eq!(e, FrontMatterError::NeverClosed);
        assert!(e.hint().contains("---"));
    }

    #[test]
    fn closing_fence_at_end_of_file_without_newline() {
        let s = split("---\ntitle: A\n---").unwrap();
        assert_eq!(s.front, "title: A\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn yaml_errors_count_lines_from_the_file() {
        // Block starts on line 2; the bad line is the block's second line.
        let e = parse("title: A\nsummary: \"open\nverdict: open\n", 2).unwrap_err();
        assert_eq!(
            e,
            FrontMatterError::Unclosed {
                what: Opener::Quote,
                pos: Pos::new(3, 10)
            }
        );
        assert_eq!(
            e.to_string(),
            "invalid YAML: this quoted text is never closed"
        );
        let e = parse("title: [a, b\n", 2).unwrap_err();
        assert_eq!(e.to_string(), "invalid YAML: this `[` list is never closed");
        assert_eq!(e.pos(2), Pos::new(2, 8));
    }

    #[test]
    fn the_parser_s_own_words_lose_only_their_positions() {
        let e = parse("summary: Open: when\n", 5).unwrap_err();
        assert_eq!(
            e,
            FrontMatterError::Yaml {
                problem: "mapping values are not allowed in this context".into(),
                pos: Pos::new(5, 14),
                at_colon: true,
            }
        );
        let e = parse("x: *nope\n", 2).unwrap_err();
        assert_eq!(e.to_string(), "invalid YAML: unknown anchor");
        assert_eq!(e.pos(2), Pos::new(2, 4));
        assert!(!e.hint().contains("quoted"));
    }

    #[test]
    fn tabs_in_indentation_are_named() {
        let e = parse("related:\n\t- a\n", 2).unwrap_err();
        assert_eq!(
            e,
            FrontMatterError::Tab {
                pos: Pos::new(3, 1)
            }
        );
    }

    #[test]
    fn duplicate_keys_are_an_error() {
        let e = parse("title: A\nsummary: s\ntitle: B\n", 2).unwrap_err();
        assert_eq!(
            e,
            FrontMatterError::DuplicateKey {
                key: "title".into(),
                pos: Pos::new(4, 1)
            }
        );
        assert_eq!(e.to_string(), "`title` is given twice");
        // In the parser's way too, when the short reader gives up on a line.
        let e = parse("title: A # c\nsummary: s\ntitle: B\n", 2).unwrap_err();
        assert_eq!(e.pos(2), Pos::new(4, 1));
    }

    #[test]
    fn a_block_that_is_not_a_map_says_what_it_is() {
        let e = parse("- a\n- b\n", 2).unwrap_err();
        assert_eq!(e, FrontMatterError::NotAMapping { found: "a list" });
        assert_eq!(e.pos(2), Pos::new(2, 1));
        let e = parse("just text\n", 2).unwrap_err();
        assert_eq!(e, FrontMatterError::NotAMapping { found: "text" });
        assert!(parse("~\n", 2).unwrap().fields.is_empty());
        let e = parse("[a]: x\n", 2).unwrap_err();
        assert_eq!(e, FrontMatterError::KeyNotText { found: "a list" });
    }

    #[test]
    fn locates_list_items() {
        let fm = parse("title: A\nrelated:\n  - one\n  - two\nsummary: s\n", 2).unwrap();
        assert_eq!(fm.key_pos("related"), Pos::new(3, 1));
        assert_eq!(fm.item_pos("related", "two"), Pos::new(5, 5));
        let fm = parse("related: [one, two]\n", 2).unwrap();
        assert_eq!(fm.item_pos("related", "two"), Pos::new(2, 16));
    }
}
