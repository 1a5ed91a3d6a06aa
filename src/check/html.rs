//! The HTML scanner a link check needs, deliberately small: it reads start
//! tags and their attributes and skips comments, `<script>` and `<style>`
//! bodies, including in raw HTML an author wrote in Markdown.

/// A start tag's name and attributes, as written (entities decoded).
#[derive(Debug, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the start tags of an HTML document.
pub fn scan(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |j| &after[j + 3..]);
            continue;
        }
        let Some(name_len) = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .filter(|&n| n > 0)
        else {
            rest = &rest[1..];
            continue;
        };
        let name = rest[1..1 + name_len].to_ascii_lowercase();
        let (attrs, after) = attributes(&rest[1 + name_len..]);
        rest = after;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = find_ci(rest, &close).map_or("", |j| &rest[j..]);
        }
        tags.push(Tag { name, attrs });
    }
    tags
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

/// Parses attributes up to the end of the tag; returns them and the text after `>`.
fn attributes(mut s: &str) -> (Vec<(String, String)>, &str) {
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() {
            return (attrs, s);
        }
        if let Some(after) = s.strip_prefix('>') {
            return (attrs, after);
        }
        let name_end = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(s.len());
        let name = s[..name_end].to_ascii_lowercase();
        s = s[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = s.strip_prefix('=') {
            let after = after.trim_start();
            let (v, rest) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode_entities(v);
            s = rest;
        }
        if name.is_empty() {
            // Stray character: skip it so the loop always advances.
            s = s.get(1..).unwrap_or("");
            continue;
        }
        attrs.push((name, value));
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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
    fn entities_in_attributes_are_decoded() {
        let tags = scan("<a href=\"a.html?x=1&amp;y=2\">");
        assert_eq!(tags[0].attr("href"), Some("a.html?x=1&y=2"));
    }
}
