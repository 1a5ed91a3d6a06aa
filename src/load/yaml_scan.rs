//! What a block of YAML leaves open at its end: a quoted text, a `[` list or
//! a `{` map, and where it was opened. Asked only once the YAML parser has
//! failed, so the error can point at the opening rather than at the end of
//! the block, where the parser noticed. (The parser knows the opening too,
//! but offers it only inside its message text.)
//!
//! A small scanner, not a parser: it knows where YAML lets a quote or a
//! bracket begin a value (at the start of a line's content, after `- `,
//! `: `, `? `, and after `[`, `{` or `,` inside brackets), skips comments and
//! block scalars (`|`, `>`), and follows escapes inside quotes.

/// What was left open in a block of YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opener {
    Quote,
    List,
    Map,
}

impl Opener {
    pub(super) fn name(self) -> &'static str {
        match self {
            Opener::Quote => "quoted text",
            Opener::List => "`[` list",
            Opener::Map => "`{` map",
        }
    }
}

/// The construct left open at the end of `text`, innermost first, with its
/// 1-based line and column.
pub fn left_open(text: &str) -> Option<(Opener, usize, usize)> {
    let mut s = Scan::default();
    for (n, line) in text.lines().enumerate() {
        s.line(n + 1, line);
    }
    if let Some((_, line, col)) = s.quote {
        return Some((Opener::Quote, line, col));
    }
    s.flows.last().copied()
}

/// Brackets may nest this deep in front matter and in the decision tree.
/// The YAML scanner's cost grows with the square of the depth (100,000
/// nested `[` took 50 s); no real field needs more than a few levels.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Where `text` first opens a `[` or `{` deeper than [`MAX_FLOW_DEPTH`]:
/// its 1-based line and column.
pub fn nested_too_deep(text: &str) -> Option<(usize, usize)> {
    let mut s = Scan::default();
    for (n, line) in text.lines().enumerate() {
        s.line(n + 1, line);
        if s.too_deep.is_some() {
            break;
        }
    }
    s.too_deep
}

#[derive(Default)]
struct Scan {
    /// An open quote: its character and where it opened.
    quote: Option<(char, usize, usize)>,
    /// Open brackets, outermost first.
    flows: Vec<(Opener, usize, usize)>,
    /// The first bracket opened deeper than [`MAX_FLOW_DEPTH`].
    too_deep: Option<(usize, usize)>,
    /// Inside a block scalar whose key is indented this much: lines indented
    /// deeper are its text.
    block_scalar: Option<usize>,
}

impl Scan {
    fn line(&mut self, n: usize, line: &str) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(key_indent) = self.block_scalar {
            if line.trim().is_empty() || indent > key_indent {
                return;
            }
            self.block_scalar = None;
        }
        let chars: Vec<char> = line.chars().collect();
        // A value may begin at the first character of the line's content.
        let mut value_start = true;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let col = i + 1;
            if let Some((q, _, _)) = self.quote {
                match (q, c) {
                    ('"', '\\') => i += 1,
                    ('\'', '\'') if chars.get(i + 1) == Some(&'\'') => i += 1,
                    (q, c) if q == c => self.quote = None,
                    _ => {}
                }
                i += 1;
                continue;
            }
            let next = chars.get(i + 1).copied();
            let in_flow = !self.flows.is_empty();
            match c {
                ' ' => {}
                '#' if i == 0 || chars[i - 1] == ' ' => return,
                '"' | '\'' if value_start => {
                    self.quote = Some((c, n, col));
                    value_start = false;
                }
                '[' | '{' if value_start => {
                    let what = if c == '[' { Opener::List } else { Opener::Map };
                    self.flows.push((what, n, col));
                    if self.flows.len() > MAX_FLOW_DEPTH && self.too_deep.is_none() {
                        self.too_deep = Some((n, col));
                    }
                }
                ']' | '}' if in_flow => {
                    self.flows.pop();
                    value_start = false;
                }
                ',' if in_flow => value_start = true,
                '-' | '?' | ':' if next.is_none_or(|n| n == ' ') => {
                    value_start = true;
                    if c == ':' && !in_flow && self.starts_block_scalar(&chars[i + 1..]) {
                        self.block_scalar = Some(indent);
                        return;
                    }
                }
                _ => value_start = false,
            }
            i += 1;
        }
    }

    /// Whether the rest of the line after a key's `:` opens a block scalar
    /// (`|`, `>`, with optional chomping and indentation indicators).
    fn starts_block_scalar(&self, rest: &[char]) -> bool {
        let rest: String = rest.iter().collect();
        let rest = rest.trim();
        let rest = rest.split(" #").next().unwrap_or("").trim_end();
        rest.starts_with(['|', '>'])
            && rest[1..]
                .chars()
                .all(|c| matches!(c, '-' | '+' | '1'..='9'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_is_left_open_and_where() {
        assert_eq!(
            left_open("title: A\nsummary: \"open\nverdict: open\n"),
            Some((Opener::Quote, 2, 10))
        );
        assert_eq!(left_open("title: 'x\n"), Some((Opener::Quote, 1, 8)));
        assert_eq!(left_open("title: [a, b\n"), Some((Opener::List, 1, 8)));
        assert_eq!(left_open("a: x\nb: {c: d\n"), Some((Opener::Map, 2, 4)));
        assert_eq!(left_open("a: [x, {b: [c\n"), Some((Opener::List, 1, 12)));
        assert_eq!(left_open("a: [x, \"b\n"), Some((Opener::Quote, 1, 8)));
        assert_eq!(left_open("- \"a\n"), Some((Opener::Quote, 1, 3)));
    }

    #[test]
    fn brackets_deeper_than_the_limit_are_found_where_they_open() {
        let ok = format!(
            "x: {}{}",
            "[".repeat(MAX_FLOW_DEPTH),
            "]".repeat(MAX_FLOW_DEPTH)
        );
        assert_eq!(nested_too_deep(&ok), None);
        let deep = format!("a: 1\nx: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(nested_too_deep(&deep), Some((2, 4 + MAX_FLOW_DEPTH)));
        // Brackets inside quotes are text.
        assert_eq!(
            nested_too_deep(&format!("x: \"{}\"", "[".repeat(100))),
            None
        );
    }

    #[test]
    fn closed_and_plain_text_leave_nothing_open() {
        for text in [
            "title: don't stop\n",
            "title: a [b\n",
            "summary: \"it's \\\"fine\\\"\"\n",
            "summary: 'it''s fine'\n",
            "list: [a, 'b', \"c\"]\nmap: {a: [b]}\n",
            "title: x # a \"comment\n",
            "text: |\n  \"a quoted line\n  [and a bracket\nnext: ok\n",
            "text: >-\n  'folded\n",
            "a: \"multi\n  line\"\n",
            "time: 12:30\n",
        ] {
            assert_eq!(left_open(text), None, "{text:?}");
        }
    }
}
