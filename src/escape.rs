//! Escaping for the text playbook writes by hand: HTML attributes, XML (the
//! sitemap and the tree's SVG) and JSON inside a `<script>` element.
//!
//! Kept here rather than taken from pulldown-cmark-escape: its `escape_html`
//! also turns `'` into `&#39;`, which would change every image's alt text
//! that holds an apostrophe, and it has no XML or script form.

use serde::Serialize;

/// Text for a double-quoted HTML attribute: `&`, `"`, `<` and `>` escaped.
pub fn html_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for XML content and double-quoted attributes. Control characters
/// XML 1.0 forbids are dropped.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: no content can close the
/// element (`</script>`), open a comment (`<!--`) or end a JS string early
/// (U+2028/U+2029), because every such character is written as a `\u` escape.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    json_for_script_into(&json, &mut out);
    out
}

/// Makes serialized JSON safe inside a `<script>` file and any JS parser,
/// appending it to `out`: `<`, `>`, `&` (so no `</script>` or `<!--` can
/// appear), and the line separators U+2028 and U+2029 (not allowed in older JS
/// string literals) become `\uXXXX`. These characters only ever occur inside
/// JSON strings, where the escape means the same character.
pub fn json_for_script_into(json: &str, out: &mut String) {
    // The search files pass through here whole: `str::find` with a set of
    // characters cost 20 instructions a byte, 5 % of a build (callgrind,
    // 1,000-page bench corpus, 93M of 1,986M). U+2028 and U+2029 almost
    // never occur, so one SIMD search rules them out and the runs between
    // `<`, `>` and `&` are found by another.
    if memchr::memmem::find(json.as_bytes(), "\u{2028}".as_bytes()).is_some()
        || memchr::memmem::find(json.as_bytes(), "\u{2029}".as_bytes()).is_some()
    {
        return json_for_script_slow(json, out);
    }
    let mut copied = 0;
    for i in memchr::memchr3_iter(b'<', b'>', b'&', json.as_bytes()) {
        out.push_str(&json[copied..i]);
        out.push_str(match json.as_bytes()[i] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        copied = i + 1;
    }
    out.push_str(&json[copied..]);
}

/// [`json_for_script_into`] for text that holds a line or paragraph separator.
fn json_for_script_slow(json: &str, out: &mut String) {
    let mut rest = json;
    while let Some(i) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or('<');
        out.push_str(match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            _ => "\\u2029",
        });
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_escape_what_ends_or_opens_markup() {
        assert_eq!(
            html_attr(r#"A "big" <chart> & it's"#),
            "A &quot;big&quot; &lt;chart&gt; &amp; it's"
        );
    }

    #[test]
    fn xml_escapes_everything_it_needs_and_drops_what_it_forbids() {
        assert_eq!(
            xml("a<b & \"c\" 'd'\u{1}\te"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\te"
        );
    }

    #[test]
    fn script_json_escapes_everything_that_could_end_a_script() {
        let s = script_json(&"</script><!-- a & b \u{2028}\u{2029}");
        assert_eq!(
            s,
            r#""\u003c/script\u003e\u003c!-- a \u0026 b \u2028\u2029""#
        );
        // Still the same JSON value.
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "</script><!-- a & b \u{2028}\u{2029}");
    }

    #[test]
    fn script_json_without_separators_escapes_as_the_general_path_does() {
        // The fast path runs only when U+2028 and U+2029 are absent; other
        // characters that start with the same byte (— “ ”) stay as they are.
        for text in [
            "</script> — “a” & <b>",
            "",
            "plain",
            "&&<<>>",
            "x\u{2027}y\u{202a}",
        ] {
            let json = serde_json::to_string(text).unwrap();
            let (mut fast, mut general) = (String::new(), String::new());
            json_for_script_into(&json, &mut fast);
            json_for_script_slow(&json, &mut general);
            assert_eq!(fast, general, "{text:?}");
            assert!(!fast.contains(['<', '>', '&']));
        }
    }

    #[test]
    fn script_escaping_leaves_no_way_out() {
        let text = "</script><img src=x onerror=alert(1)> & \u{2028}\u{2029} \"q\" 'q'";
        let safe = script_json(&text);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!safe.contains(bad), "{bad:?} left in {safe}");
        }
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, text);
    }
}
