//! Splits a page into its `---` front-matter block and body, and parses the block as YAML.
//!
//! Positions reported here count from the start of the file, not of the block,
//! so an editor's "go to line" lands on the mistake.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Pos;

/// The parsed block, with what is needed to point at any key or list item later.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// Keys in file order.
    pub fields: Vec<(String, Value)>,
    /// The block's text, without the `---` lines.
    pub text: String,
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

const FENCE: &str = "---";

/// Finds the front-matter block. `text` has had its BOM and `\r`s removed.
pub fn split(text: &str) -> Result<Split<'_>, (Pos, String, String)> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != FENCE {
        return Err((
            Pos::new(1, 1),
            "the file does not start with front matter".into(),
            "put `---` on the first line, then `title: ...` and `summary: ...`, then another `---` line; the Markdown body follows".into(),
        ));
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
    Err((
        Pos::new(1, 1),
        "the front matter opened here is never closed".into(),
        "add a line with just `---` after the last front-matter field".into(),
    ))
}

/// Parses the block into an ordered list of keys and values.
pub fn parse(front: &str, first_line: usize) -> Result<FrontMatter, (Pos, String, String)> {
    if front.trim().is_empty() {
        return Ok(FrontMatter {
            fields: Vec::new(),
            text: front.to_string(),
            first_line,
        });
    }
    if let Some((i, line)) = front.lines().enumerate().find(|(_, l)| {
        let indent: &str = &l[..l.len() - l.trim_start().len()];
        indent.contains('\t')
    }) {
        let col = line.find('\t').unwrap_or(0) + 1;
        return Err((
            Pos::new(first_line + i, col),
            "a tab indents this line; YAML allows only spaces".into(),
            "replace the tab with spaces (two per level is usual)".into(),
        ));
    }
    if let Some(fields) = super::simple_yaml::parse(front) {
        return Ok(FrontMatter {
            fields,
            text: front.to_string(),
            first_line,
        });
    }
    let value: Value =
        serde_yaml::from_str(front).map_err(|e| yaml_error(&e, front, first_line))?;
    let mapping: Mapping = match value {
        Value::Mapping(m) => m,
        Value::Null => Mapping::new(),
        other => {
            return Err((
                Pos::new(first_line, 1),
                format!(
                    "front matter must be `key: value` lines, found {}",
                    describe(&other)
                ),
                "write one field per line, e.g. `title: My page`".into(),
            ))
        }
    };
    let mut fields = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let key = match key {
            Value::String(s) => s,
            other => {
                return Err((
                    Pos::new(first_line, 1),
                    format!(
                        "front-matter keys must be words, found {}",
                        describe(&other)
                    ),
                    "write keys such as `title:` or `related:`".into(),
                ))
            }
        };
        fields.push((key, value));
    }
    Ok(FrontMatter {
        fields,
        text: front.to_string(),
        first_line,
    })
}

fn yaml_error(e: &serde_yaml::Error, front: &str, first_line: usize) -> (Pos, String, String) {
    let full = e.to_string();
    let at = |line: usize, col: usize| Pos::new(first_line + line - 1, col);
    let mut pos = e
        .location()
        .map(|l| at(l.line(), l.column()))
        .unwrap_or(Pos::new(first_line, 1));
    // The YAML library appends its own block-relative positions; ours replace them.
    let mut message = full.split(" at line ").next().unwrap_or(&full).to_string();
    // For something left open, the useful place is where it was opened, which
    // the library names in a ", while ... at line N column M" clause.
    if let Some((context, line, col)) = while_clause(&full) {
        let opened = if context.contains("quoted scalar") {
            Some("this quoted text is never closed")
        } else if context.contains("flow sequence") {
            Some("this `[` list is never closed")
        } else if context.contains("flow mapping") {
            Some("this `{` map is never closed")
        } else {
            None
        };
        if let Some(opened) = opened {
            pos = at(line, col);
            message = opened.to_string();
        }
    }
    if let Some(key) = message.strip_prefix("duplicate entry with key ") {
        let key = key.trim_matches('"').to_string();
        if let Some(i) = front
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                l.strip_prefix(key.as_str())
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .nth(1)
            .map(|(i, _)| i)
        {
            pos = Pos::new(first_line + i, 1);
        }
        return (
            pos,
            format!("`{key}` is given twice"),
            "each key may appear once; remove or merge the repeated one".into(),
        );
    }
    let hint = if message.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted, e.g. `summary: \"Open: when and why\"`"
    } else if message.contains("never closed") {
        "close it on the same line: every `\"`, `'`, `[` and `{` needs its partner"
    } else {
        "front matter is YAML: `key: value` lines, lists as `[a, b]` or `- item` lines; quote text containing `:` or `#`"
    };
    (pos, format!("invalid YAML: {message}"), hint.into())
}

/// Parses `, while CONTEXT at line N column M` from a YAML error message.
fn while_clause(message: &str) -> Option<(&str, usize, usize)> {
    let rest = &message[message.find(", while ")? + 8..];
    let (context, place) = rest.split_once(" at line ")?;
    let (line, col) = place.split_once(" column ")?;
    let col: String = col.chars().take_while(char::is_ascii_digit).collect();
    Some((context, line.parse().ok()?, col.parse().ok()?))
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
        self.find_key_line(key)
            .map(|(i, col)| Pos::new(self.first_line + i, col))
            .unwrap_or(Pos::new(self.first_line, 1))
    }

    /// Where `item` is written within the value of `key` (a list item, say);
    /// falls back to the key.
    pub fn item_pos(&self, key: &str, item: &str) -> Pos {
        let Some((start, _)) = self.find_key_line(key) else {
            return self.key_pos(key);
        };
        for (i, line) in self.text.lines().enumerate().skip(start) {
            if i > start && is_top_level_key(line) {
                break;
            }
            let search_from = if i == start {
                line.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            if let Some(c) = line[search_from..].find(item) {
                let col = line[..search_from + c].chars().count() + 1;
                return Pos::new(self.first_line + i, col);
            }
        }
        self.key_pos(key)
    }

    fn find_key_line(&self, key: &str) -> Option<(usize, usize)> {
        self.text.lines().enumerate().find_map(|(i, line)| {
            let rest = line.strip_prefix(key).or_else(|| {
                line.strip_prefix(&format!("\"{key}\""))
                    .or_else(|| line.strip_prefix(&format!("'{key}'")))
            })?;
            rest.trim_start().starts_with(':').then_some((i, 1))
        })
    }
}

fn is_top_level_key(line: &str) -> bool {
    !line.is_empty() && !line.starts_with([' ', '-', '#']) && line.contains(':')
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
        let (pos, msg, _) = split("title: A\n").unwrap_err();
        assert_eq!(pos, Pos::new(1, 1));
        assert!(msg.contains("does not start with front matter"));
    }

    #[test]
    fn unclosed_block_is_reported() {
        let (_, msg, hint) = split("---\ntitle: A\nbody").unwrap_err();
        assert!(msg.contains("never closed"));
        assert!(hint.contains("---"));
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
        let (pos, msg, _) = parse("title: A\nsummary: \"open\nverdict: open\n", 2).unwrap_err();
        assert!(msg.contains("quoted text is never closed"), "{msg}");
        assert_eq!(pos, Pos::new(3, 10));
        let (pos, msg, _) = parse("title: [a, b\n", 2).unwrap_err();
        assert!(msg.contains("`[` list is never closed"), "{msg}");
        assert_eq!(pos, Pos::new(2, 8));
    }

    #[test]
    fn tabs_in_indentation_are_named() {
        let (pos, msg, _) = parse("related:\n\t- a\n", 2).unwrap_err();
        assert_eq!(pos, Pos::new(3, 1));
        assert!(msg.contains("tab"));
    }

    #[test]
    fn duplicate_keys_are_an_error() {
        let (pos, msg, hint) = parse("title: A\nsummary: s\ntitle: B\n", 2).unwrap_err();
        assert_eq!(pos, Pos::new(4, 1));
        assert!(msg.contains("`title` is given twice"), "{msg}");
        assert!(hint.contains("once"));
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
