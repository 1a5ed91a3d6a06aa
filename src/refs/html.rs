//! The HTML scanner a link check needs, deliberately small: it reads start
//! tags and their attributes, with where each sits in the text, and skips
//! comments and the bodies of elements whose text is not markup (`<script>`,
//! `<style>`, `<textarea>`…), including in raw HTML an author wrote in
//! Markdown. A `<style>` body is kept, for its CSS.

use std::ops::Range;

/// A start tag: its name (lowercase), attributes as written (references
/// decoded), and where it is.
#[derive(Debug, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<Attr>,
    /// Byte offset of its `<`.
    pub at: usize,
    /// For `<style>`: the byte range of its CSS.
    pub text: Option<Range<usize>>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Attr {
    pub name: String,
    pub value: String,
    /// Byte range of the value as written (inside any quotes); empty at the
    /// end of the name when there is no value.
    pub raw: Range<usize>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.get(name).map(|a| a.value.as_str())
    }

    pub fn get(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// Elements whose content is text, not tags: a `<` inside them starts no tag.
const TEXT_ELEMENTS: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Reads the start tags of an HTML document.
pub fn scan(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(i) = html[at..].find('<') {
        at += i;
        let rest = &html[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            at = after
                .find("-->")
                .map_or(html.len(), |j| html.len() - after.len() + j + 3);
            continue;
        }
        let Some(name_len) = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .filter(|&n| n > 0 && rest.as_bytes()[1].is_ascii_alphabetic())
        else {
            at += 1;
            continue;
        };
        let name = rest[1..1 + name_len].to_ascii_lowercase();
        let (attrs, end) = attributes(html, at + 1 + name_len);
        let mut tag = Tag {
            name,
            attrs,
            at,
            text: None,
        };
        at = end;
        if TEXT_ELEMENTS.contains(&tag.name.as_str()) {
            let close = format!("</{}", tag.name);
            let body_end = find_ci(&html[at..], &close).map_or(html.len(), |j| at + j);
            if tag.name == "style" {
                tag.text = Some(at..body_end);
            }
            at = body_end;
        }
        tags.push(tag);
    }
    tags
}

/// Where `needle` (lowercase ASCII) first occurs in `haystack`, in any case.
/// Scans only up to the match: lowercasing the rest of the page for each
/// `<script>` made a page of many scripts quadratic.
fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    let mut from = 0;
    while let Some(i) = h[from..].iter().position(|&b| b == first) {
        let at = from + i;
        if h.get(at..at + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Parses attributes from byte `at` of `html` up to the end of the tag;
/// returns them and the offset after `>`.
fn attributes(html: &str, mut at: usize) -> (Vec<Attr>, usize) {
    let mut attrs = Vec::new();
    let skip = |at: usize, pred: &dyn Fn(char) -> bool| {
        html[at..]
            .find(|c: char| !pred(c))
            .map_or(html.len(), |i| at + i)
    };
    loop {
        at = skip(at, &|c| c.is_whitespace() || c == '/');
        let Some(c) = html[at..].chars().next() else {
            return (attrs, at);
        };
        if c == '>' {
            return (attrs, at + 1);
        }
        let name_end = skip(at, &|c| {
            !(c.is_whitespace() || c == '=' || c == '>' || c == '/')
        });
        if name_end == at {
            // Stray character: skip it so the loop always advances.
            at += c.len_utf8();
            continue;
        }
        let name = html[at..name_end].to_ascii_lowercase();
        at = skip(name_end, &char::is_whitespace);
        let mut raw = name_end..name_end;
        if html[at..].starts_with('=') {
            at = skip(at + 1, &char::is_whitespace);
            match html[at..].chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let start = at + 1;
                    let end = html[start..].find(q).map_or(html.len(), |j| start + j);
                    raw = start..end;
                    at = (end + 1).min(html.len());
                }
                _ => {
                    let end = skip(at, &|c| !(c.is_whitespace() || c == '>'));
                    raw = at..end;
                    at = end;
                }
            }
        }
        attrs.push(Attr {
            name,
            value: decode_references(&html[raw.clone()]),
            raw,
        });
    }
}

/// Character references decoded as a browser does in an attribute: every
/// numeric one, and the named ones of ASCII characters, which are all that
/// could change what a URL points to (its scheme, its slashes, its dots).
/// Others are left as written.
pub fn decode_references(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character `s` (which starts with `&`) refers to, and the length of
/// the reference.
fn reference(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (num, 10, 2),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if len == 0 {
            return None;
        }
        // An out-of-range number is U+FFFD, as in a browser.
        let c = u32::from_str_radix(&digits[..len], radix)
            .ok()
            .and_then(char::from_u32)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}');
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((c, skip + len + semi));
    }
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    if !body[name_len..].starts_with(';') {
        // Legacy names without `;` (`&amp`, `&lt`) are rare in URLs.
        return None;
    }
    let c = named(&body[..name_len])?;
    Some((c, name_len + 2))
}

/// HTML's named references to ASCII characters.
fn named(name: &str) -> Option<char> {
    Some(match name {
        "Tab" => '\t',
        "NewLine" => '\n',
        "excl" => '!',
        "quot" | "QUOT" => '"',
        "num" => '#',
        "dollar" => '$',
        "percnt" => '%',
        "amp" | "AMP" => '&',
        "apos" => '\'',
        "lpar" => '(',
        "rpar" => ')',
        "ast" | "midast" => '*',
        "plus" => '+',
        "comma" => ',',
        "period" => '.',
        "sol" => '/',
        "colon" => ':',
        "semi" => ';',
        "lt" | "LT" => '<',
        "equals" => '=',
        "gt" | "GT" => '>',
        "quest" => '?',
        "commat" => '@',
        "lsqb" | "lbrack" => '[',
        "bsol" => '\\',
        "rsqb" | "rbrack" => ']',
        "Hat" => '^',
        "lowbar" | "UnderBar" => '_',
        "grave" | "DiacriticalGrave" => '`',
        "lcub" | "lbrace" => '{',
        "verbar" | "vert" | "VerticalLine" => '|',
        "rcub" | "rbrace" => '}',
        "nbsp" | "NonBreakingSpace" => '\u{a0}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_tags_and_skips_scripts_and_comments() {
        let tags = scan("<p id=a>x</p><!-- <a href=no> --><script>if (a<b) '<a href=\"no\">'</script><A HREF='b.html#c' class=x>y</a><img src=\"i.png\" alt='a > b'>");
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "script", "a", "img"]);
        assert_eq!(tags[0].attr("id"), Some("a"));
        assert_eq!(tags[2].attr("href"), Some("b.html#c"));
        assert_eq!(tags[3].attr("alt"), Some("a > b"));
    }

    #[test]
    fn knows_where_each_tag_and_value_is() {
        let html =
            "<p>\n  <img alt=x src=\"a.png\">\n<style>a{}</style><svg:image xlink:href='i.png'/>";
        let tags = scan(html);
        assert_eq!(tags[1].at, 6);
        let src = tags[1].get("src").unwrap();
        assert_eq!(&html[src.raw.clone()], "a.png");
        let css = tags[2].text.clone().unwrap();
        assert_eq!(&html[css], "a{}");
        assert_eq!(tags[3].name, "svg:image");
        assert_eq!(tags[3].attr("xlink:href"), Some("i.png"));
    }

    #[test]
    fn many_text_elements_stay_linear() {
        let html = "<script>x</SCRIPT><title>t</title>".repeat(50_000);
        let start = std::time::Instant::now();
        assert_eq!(scan(&html).len(), 100_000);
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn references_in_attributes_are_decoded() {
        let tags = scan("<a href=\"a.html?x=1&amp;y=2\">");
        assert_eq!(tags[0].attr("href"), Some("a.html?x=1&y=2"));
        assert_eq!(
            decode_references("https&colon;&sol;/&#x63;dn&period;example&#47;x &unknown; &#;"),
            "https://cdn.example/x &unknown; &#;"
        );
        assert_eq!(decode_references("&#0;&#x110000;"), "\u{FFFD}\u{FFFD}");
    }
}
