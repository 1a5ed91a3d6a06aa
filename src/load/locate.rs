//! Where a key or a value is written in a block of YAML, for diagnostics
//! found after parsing: the front matter of a page and the decision tree
//! share this one locator.
//!
//! serde_yaml's `Value` keeps no positions, so the text is read again, by
//! indentation, and only when a problem is reported: a key is a line
//! `key:` (or `"key":`, `'key':`) indented deeper than its parent; its block
//! runs to the next line indented no deeper, a `- item` at the key's own
//! indentation still belonging to it, as YAML allows.

use crate::diagnostics::Pos;

/// The position of the nested block-style key `path` (`questions:` →
/// `  moat:` → `    answers:`) in `text`, whose first line is line
/// `first_line` of the file; with a `needle`, of the first occurrence of it
/// inside that key's block (on the key's own line, only in its value).
/// Falls back to the deepest part of the path it found, or the block's
/// first line.
pub fn locate(text: &str, first_line: usize, path: &[&str], needle: Option<&str>) -> Pos {
    let lines: Vec<&str> = text.lines().collect();
    let at = |i: usize, col: usize| Pos::new(first_line + i, col);
    let mut from = 0;
    let mut end = lines.len();
    // The top level is the block's least indented line (usually column 1).
    let top = lines
        .iter()
        .filter(|l| !is_blank_or_comment(l))
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    let mut parent: Option<usize> = None;
    let mut found = at(0, 1);
    for key in path {
        let hit = (from..end).find(|&i| {
            let line = lines[i];
            let indent = indent(line);
            let level = match parent {
                None => indent == top,
                Some(p) => indent > p,
            };
            level && is_key_line(line.trim_start(), key)
        });
        let Some(i) = hit else { break };
        let key_indent = indent(lines[i]);
        found = at(i, key_indent + 1);
        end = block_end(&lines, i, end, key_indent);
        from = i;
        parent = Some(key_indent);
    }
    if let Some(needle) = needle.filter(|n| !n.is_empty()) {
        for (i, line) in lines.iter().enumerate().take(end).skip(from) {
            // On the key's own line, look only at its value.
            let skip = if i == from && !path.is_empty() {
                line.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            if let Some(c) = line[skip..].find(needle) {
                return at(i, line[..skip + c].chars().count() + 1);
            }
        }
    }
    found
}

/// The position of item `index` (from 0) of the block-style list under the
/// key `path`; with a `key`, of the value of that key inside the item
/// (`- label: Yes` → `Yes`). Two items may hold the same text (two answers
/// with one id): this finds the one meant. Falls back to [`locate`] when
/// the list is not written in block style.
pub fn locate_item(
    text: &str,
    first_line: usize,
    path: &[&str],
    index: usize,
    key: Option<&str>,
) -> Pos {
    let fallback = || locate(text, first_line, path, None);
    let lines: Vec<&str> = text.lines().collect();
    let found = locate(text, 1, path, None);
    let key_line = found.line.saturating_sub(1);
    let Some(key_text) = lines.get(key_line) else {
        return fallback();
    };
    if path
        .last()
        .is_none_or(|k| !is_key_line(key_text.trim_start(), k))
    {
        return fallback();
    }
    let end = block_end(&lines, key_line, lines.len(), indent(key_text));
    let first = (key_line + 1..end).find(|&i| lines[i].trim_start().starts_with("- "));
    let items: Vec<usize> = match first {
        Some(f) => {
            let item_indent = indent(lines[f]);
            (f..end)
                .filter(|&i| {
                    indent(lines[i]) == item_indent && lines[i].trim_start().starts_with("- ")
                })
                .collect()
        }
        None => Vec::new(),
    };
    let Some(&start) = items.get(index) else {
        return fallback();
    };
    let stop = items.get(index + 1).copied().unwrap_or(end);
    let at = |i: usize, col: usize| Pos::new(first_line + i, col);
    let item = at(start, indent(lines[start]) + 1);
    let Some(key) = key else {
        return item;
    };
    (start..stop)
        .find_map(|i| {
            let line = lines[i];
            let body = line.trim_start();
            if !is_key_line(body, key) {
                return None;
            }
            let colon = line.find(':')?;
            let value = line[colon + 1..].len() - line[colon + 1..].trim_start().len();
            Some(at(i, line[..colon + 1 + value].chars().count() + 1))
        })
        .unwrap_or(item)
}

fn is_blank_or_comment(line: &str) -> bool {
    let body = line.trim_start();
    body.is_empty() || body.starts_with('#')
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `key:`, `"key":` or `'key':`, possibly as the first entry of a list item.
fn is_key_line(body: &str, key: &str) -> bool {
    let body = body.strip_prefix("- ").unwrap_or(body);
    [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
        .iter()
        .any(|k| {
            body.strip_prefix(k.as_str())
                .is_some_and(|rest| rest.trim_start_matches(' ').starts_with(':'))
        })
}

/// The end of the block of the key on line `i` (indented `key_indent`),
/// within lines `..end`.
fn block_end(lines: &[&str], i: usize, end: usize, key_indent: usize) -> usize {
    (i + 1..end)
        .find(|&j| {
            let l = lines[j];
            if is_blank_or_comment(l) {
                return false;
            }
            let body = l.trim_start();
            let indent = indent(l);
            indent < key_indent || (indent == key_indent && !body.starts_with("- "))
        })
        .unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_keys_and_values() {
        let text = "start: a\nquestions:\n  a:\n    question: Q\n    answers:\n      - label: Yes\n        next: b\n  b:\n    question: R\n";
        assert_eq!(locate(text, 1, &["questions", "a"], None), Pos::new(3, 3));
        assert_eq!(
            locate(text, 1, &["questions", "a", "answers"], Some("next: b")),
            Pos::new(7, 9)
        );
        assert_eq!(locate(text, 1, &["questions", "b"], None), Pos::new(8, 3));
        assert_eq!(locate(text, 1, &["start"], Some("a")), Pos::new(1, 8));
    }

    #[test]
    fn front_matter_keys_and_list_items_count_from_the_block_s_line() {
        let text = "title: A\nrelated:\n  - one\n  - two\nsummary: s\n";
        assert_eq!(locate(text, 2, &["related"], None), Pos::new(3, 1));
        assert_eq!(locate(text, 2, &["related"], Some("two")), Pos::new(5, 5));
        let flow = "related: [one, two]\n";
        assert_eq!(locate(flow, 2, &["related"], Some("two")), Pos::new(2, 16));
        // List items may sit at the key's own indentation.
        let flush = "related:\n- one\n- two\ntitle: T\n";
        assert_eq!(locate(flush, 1, &["related"], Some("two")), Pos::new(3, 3));
        // A needle after the block is not the key's.
        assert_eq!(locate(flush, 1, &["related"], Some("T")), Pos::new(1, 1));
    }

    #[test]
    fn the_nth_item_of_a_list() {
        let text = "questions:\n  a:\n    answers:\n      - label: Yes\n        id: y\n      - label: Also yes\n        id: y\n  b:\n    answers: [x, y]\n";
        let path = ["questions", "a", "answers"];
        assert_eq!(locate_item(text, 1, &path, 0, None), Pos::new(4, 7));
        assert_eq!(
            locate_item(text, 1, &path, 0, Some("label")),
            Pos::new(4, 16)
        );
        assert_eq!(locate_item(text, 1, &path, 1, Some("id")), Pos::new(7, 13));
        assert_eq!(locate_item(text, 3, &path, 1, Some("id")), Pos::new(9, 13));
        // A key the item lacks: the item itself.
        assert_eq!(locate_item(text, 1, &path, 1, Some("next")), Pos::new(6, 7));
        // Past the end, or a flow list: the list's key.
        assert_eq!(locate_item(text, 1, &path, 5, Some("id")), Pos::new(3, 5));
        let flow = ["questions", "b", "answers"];
        assert_eq!(locate_item(text, 1, &flow, 1, Some("id")), Pos::new(9, 5));
    }

    #[test]
    fn quoted_keys_and_a_nested_key_of_the_same_name() {
        let text = "signals:\n  - title: x\n'title' : Real\n";
        assert_eq!(locate(text, 1, &["title"], None), Pos::new(3, 1));
        let top = "\"summary\": s\n";
        assert_eq!(locate(top, 4, &["summary"], None), Pos::new(4, 1));
        assert_eq!(locate(top, 4, &["missing"], None), Pos::new(4, 1));
    }
}
