//! Front matter in the few shapes nearly every page uses, read without the
//! YAML parser, which costs about as much as rendering the page's Markdown.
//!
//! Every line must be one of: `key: text`, `key: 12`, `key: "text"`,
//! `key: 'text'`, `key: [id, id]`, or `key:` followed by `- item` lines.
//! Anything else (a comment, an escape, a multi-line value, a nested map, a
//! value YAML would read as true/false, null or a non-trivial number)
//! returns `None`, and the YAML parser reads the whole block as before. The
//! property test below holds this reader to the YAML parser on random blocks:
//! where it answers, it answers exactly what the parser does.

use serde_yaml::Value;

/// The block's fields in order, or `None` if any line has another shape
/// (or a key repeats, which the YAML parser reports).
pub fn parse(front: &str) -> Option<Vec<(String, Value)>> {
    let mut fields: Vec<(String, Value)> = Vec::new();
    // After a bare `key:`, the indentation of its items once the first is seen.
    let mut items: Option<Option<usize>> = None;
    for line in front.lines() {
        let line = line.trim_end_matches(' ');
        if line.is_empty() {
            continue;
        }
        if line.chars().any(is_unusual) {
            return None;
        }
        let rest = line.trim_start_matches(' ');
        let indent = line.len() - rest.len();
        if let Some(item) = rest.strip_prefix("- ") {
            let first = items.as_mut()?;
            if *first.get_or_insert(indent) != indent {
                return None;
            }
            let (_, Value::Sequence(list)) = fields.last_mut()? else {
                return None;
            };
            list.push(scalar(item.trim_start_matches(' '))?);
            continue;
        }
        // Continuation lines and nested blocks are the parser's.
        if indent > 0 {
            return None;
        }
        close_bare_key(&mut items, &mut fields);
        let (key, value) = rest.split_once(':')?;
        if !is_plain_key(key) || fields.iter().any(|(k, _)| k == key) {
            return None;
        }
        let value = match value.strip_prefix(' ') {
            None if value.is_empty() => {
                items = Some(None);
                Value::Sequence(Vec::new())
            }
            None => return None,
            Some(value) => {
                let value = value.trim_start_matches(' ');
                match value.strip_prefix('[') {
                    Some(list) => flow_list(list)?,
                    None => scalar(value)?,
                }
            }
        };
        fields.push((key.to_string(), value));
    }
    close_bare_key(&mut items, &mut fields);
    Some(fields)
}

/// A bare `key:` with no items under it is null, as in YAML.
fn close_bare_key(items: &mut Option<Option<usize>>, fields: &mut [(String, Value)]) {
    if let (Some(None), Some((_, value))) = (items.take(), fields.last_mut()) {
        *value = Value::Null;
    }
}

/// Characters YAML forbids, treats as line breaks or as a byte-order mark,
/// and the tab, which it treats differently in different places.
fn is_unusual(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
        )
}

/// `title`, `related`, `first_seen`: a key that YAML reads as that text.
fn is_plain_key(key: &str) -> bool {
    key.len() <= 64
        && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !is_special_word(key)
}

/// Words YAML reads as null or true/false in some spelling.
fn is_special_word(s: &str) -> bool {
    ["null", "true", "false"]
        .iter()
        .any(|w| s.eq_ignore_ascii_case(w))
}

/// One value on one line: quoted text without escapes, a plain decimal
/// number, or plain text that YAML reads as text.
fn scalar(v: &str) -> Option<Value> {
    for quote in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(quote) {
            let inner = inner.strip_suffix(quote)?;
            // A doubled `''` or a `\` escape is the parser's to read.
            if inner.contains(quote) || (quote == '"' && inner.contains('\\')) {
                return None;
            }
            return Some(Value::String(inner.to_string()));
        }
    }
    let first = v.chars().next()?;
    if first.is_ascii_digit() {
        let plain_decimal = v.len() <= 18
            && v.bytes().all(|b| b.is_ascii_digit())
            && (v == "0" || !v.starts_with('0'));
        return match plain_decimal {
            true => Some(Value::Number(v.parse::<u64>().ok()?.into())),
            false => None,
        };
    }
    // A `: ` would start a map, a ` #` a comment, a final `:` a key.
    let plain = first.is_alphabetic()
        && !v.contains(": ")
        && !v.contains(" #")
        && !v.ends_with(':')
        && !is_special_word(v);
    plain.then(|| Value::String(v.to_string()))
}

/// The rest of `[a, b]` after its `[`: ids and words only.
fn flow_list(list: &str) -> Option<Value> {
    let inner = list.strip_suffix(']')?;
    if inner.trim_matches(' ').is_empty() {
        return Some(Value::Sequence(Vec::new()));
    }
    inner
        .split(',')
        .map(|item| {
            let item = item.trim_matches(' ');
            let word = item.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && item
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                && !is_special_word(item);
            word.then(|| Value::String(item.to_string()))
        })
        .collect::<Option<Vec<Value>>>()
        .map(Value::Sequence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the YAML parser makes of `front`, as this reader returns it
    /// (an empty block is no fields, as `front_matter::parse` takes it).
    fn by_parser(front: &str) -> Option<Vec<(String, Value)>> {
        match serde_yaml::from_str::<Value>(front).ok()? {
            Value::Null => Some(Vec::new()),
            Value::Mapping(m) => m
                .into_iter()
                .map(|(k, v)| Some((k.as_str()?.to_string(), v)))
                .collect(),
            _ => None,
        }
    }

    #[test]
    fn reads_the_usual_shapes() {
        let front = "title: Catching up\nsummary: \"A: b\"\nweight: 4\nkept: 'x'\n\
                     patterns: [open-weights, a_b]\nsignals:\n  - \"one\"\n  - two, three\n\
                     related:\nempty: []\nlast:\n- x\n";
        let fields = parse(front).expect("every line has a usual shape");
        assert_eq!(Some(fields), by_parser(front));
    }

    #[test]
    fn leaves_the_rest_to_the_parser() {
        for front in [
            "title: a # comment\n",
            "title: \"a \\\" b\"\n",
            "summary: one\n  two\n",
            "map:\n  key: value\n",
            "flag: true\n",
            "n: 012\n",
            "n: 1.5\n",
            "n: -3\n",
            "title: a: b\n",
            "title: a\ntitle: b\n",
            "list: [a, 'b']\n",
            "list:\n  - a\n    - b\n",
            "text: |\n  block\n",
            "a:b\n",
            "\"quoted key\": x\n",
            "x: ~\n",
            "x: &anchor a\n",
            "x: \ta\n",
        ] {
            assert_eq!(parse(front), None, "{front:?}");
        }
    }

    /// The default playbook's pages all take the short way: were the reader
    /// to give up on them, the tests above could still pass while it saved
    /// nothing.
    #[test]
    fn reads_every_page_of_the_default_playbook() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut pages = 0;
        for entry in walkdir::WalkDir::new(content).into_iter().flatten() {
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let split = crate::load::front_matter::split(&text);
            let front = split.expect("the default playbook has front matter").front;
            assert_eq!(parse(front), by_parser(front), "{}", entry.path().display());
            assert!(parse(front).is_some(), "{}", entry.path().display());
            pages += 1;
        }
        assert!(pages > 20, "{pages}");
    }

    /// Lines built from pieces chosen to sit on either side of each rule.
    fn line() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "title", "a-b", "_x", "True", "null", "1a", "a b", "k\u{e9}", "",
        ]);
        let sep = prop::sample::select(vec![": ", ":", ":  ", " : ", ": - ", ":\t"]);
        let value = "[a-zA-Z0-9 :#\"'\\[\\]{},._~+\\-&*!|>%@`é\u{a0}\u{85}\u{2028}\\\\]{0,10}";
        let indent = prop::sample::select(vec!["", " ", "  ", "    "]);
        prop_oneof![
            (key.clone(), sep, value).prop_map(|(k, s, v)| format!("{k}{s}{v}")),
            key.prop_map(|k| format!("{k}:")),
            (indent, value).prop_map(|(i, v)| format!("{i}- {v}")),
            Just(String::new()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn answers_only_what_the_parser_answers(lines in prop::collection::vec(line(), 1..6)) {
            let front = lines.join("\n") + "\n";
            if let Some(fields) = parse(&front) {
                prop_assert_eq!(Some(fields), by_parser(&front), "{:?}", front);
            }
        }
    }
}
