//! HTML or CSS text → every URL in it, with where it is and whether a
//! browser loads it to show the page (an image, a style sheet, a font, a
//! frame, a refresh) or only follows it when the reader asks (a link).
//!
//! The one rule both `build` and `check` apply with it: the site is read
//! offline, so nothing it loads may come from the network
//! ([`loads_from_outside`]). A leaf: [`crate::check`] crawls the output with
//! it, and render and load hold the author's HTML, CSS and templates to it.

pub mod css;
pub mod html;

use crate::diagnostics::{Diagnostic, Pos};
use html::Tag;

/// One URL in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// Where it was found, for messages: "`srcset` of <img>", "CSS of <style>".
    pub what: String,
    /// As a browser reads it: character references and CSS escapes decoded.
    pub url: String,
    /// Byte offset in the document, as near the URL as the source allows.
    pub at: usize,
    /// Loaded, or followed, without the reader asking.
    pub loads: bool,
}

/// How an attribute holds URLs.
#[derive(Clone, Copy)]
enum Holds {
    Url,
    /// `srcset`: `url [descriptor], url [descriptor]…`.
    Srcset,
    Css,
    /// `<meta http-equiv=refresh content="5; url=…">`.
    Refresh,
    /// `<iframe srcdoc>`: a whole document.
    Document,
}

/// The attributes of `tag` that hold URLs, and whether what they name loads.
fn attributes(tag: &Tag) -> Vec<(&'static str, Holds, bool)> {
    use Holds::*;
    let mut out: Vec<(&'static str, Holds, bool)> = match tag.name.as_str() {
        "a" | "area" => vec![("href", Url, false), ("xlink:href", Url, false)],
        "link" => vec![
            ("href", Url, link_loads(tag.attr("rel").unwrap_or(""))),
            ("imagesrcset", Srcset, true),
        ],
        "img" | "source" => vec![("src", Url, true), ("srcset", Srcset, true)],
        "script" => vec![
            ("src", Url, true),
            ("href", Url, true),
            ("xlink:href", Url, true),
        ],
        "iframe" => vec![("src", Url, true), ("srcdoc", Document, true)],
        "frame" | "embed" | "audio" | "track" | "input" => vec![("src", Url, true)],
        "video" => vec![("src", Url, true), ("poster", Url, true)],
        "object" => vec![("data", Url, true)],
        // SVG: pictures, reused shapes and filter inputs all load their target.
        "image" | "use" | "feimage" => vec![("href", Url, true), ("xlink:href", Url, true)],
        "meta"
            if tag
                .attr("http-equiv")
                .is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh")) =>
        {
            vec![("content", Refresh, true)]
        }
        _ => Vec::new(),
    };
    out.push(("style", Css, true));
    // The old `background` attribute of <body>, <table> and their cells.
    out.push(("background", Url, true));
    out
}

/// Whether `<link rel=…>` makes the browser fetch its `href`. `canonical`,
/// `alternate` and the like only name an address.
fn link_loads(rel: &str) -> bool {
    rel.split_ascii_whitespace().any(|r| {
        matches!(
            r.to_ascii_lowercase().as_str(),
            "stylesheet"
                | "icon"
                | "apple-touch-icon"
                | "apple-touch-icon-precomposed"
                | "mask-icon"
                | "manifest"
                | "preload"
                | "modulepreload"
                | "prefetch"
                | "prerender"
                | "preconnect"
                | "dns-prefetch"
        )
    })
}

/// Every URL of an HTML document, given its tags from [`html::scan`].
pub fn of_html(text: &str, tags: &[Tag]) -> Vec<Ref> {
    of_document(text, tags, 0)
}

/// `<iframe srcdoc>` nested deeper than this is not read: each level is
/// decoded again from the one above, and no page needs more than one.
const MAX_SRCDOC_DEPTH: usize = 4;

fn of_document(text: &str, tags: &[Tag], depth: usize) -> Vec<Ref> {
    let mut refs = Vec::new();
    for tag in tags {
        if let Some(body) = &tag.text {
            push_css(&text[body.clone()], "CSS of <style>", &mut refs, |at| {
                body.start + at
            });
        }
        for (name, holds, loads) in attributes(tag) {
            let Some(attr) = tag.get(name) else { continue };
            let what = match holds {
                // A refresh is followed, not loaded, but as surely.
                Holds::Refresh => "the refresh of <meta http-equiv=refresh>".to_string(),
                _ => format!("`{name}` of <{}>", tag.name),
            };
            // Offsets inside the value are exact when no reference was
            // decoded in it; otherwise everything is placed at its start.
            let exact = text.get(attr.raw.clone()) == Some(attr.value.as_str());
            let place = |i: usize| attr.raw.start + if exact { i } else { 0 };
            let value = attr.value.as_str();
            let found: Vec<(String, usize)> = match holds {
                Holds::Url => vec![(value.to_string(), 0)],
                Holds::Srcset => srcset(value),
                Holds::Refresh => refresh(value).into_iter().collect(),
                Holds::Css => {
                    let what = format!("CSS of `style` of <{}>", tag.name);
                    push_css(value, &what, &mut refs, place);
                    continue;
                }
                Holds::Document if depth >= MAX_SRCDOC_DEPTH => {
                    refs.push(Ref {
                        what: format!(
                            "`srcdoc` of <{}> (nested over {MAX_SRCDOC_DEPTH} deep, not read)",
                            tag.name
                        ),
                        url: UNREAD.into(),
                        at: attr.raw.start,
                        loads: true,
                    });
                    continue;
                }
                Holds::Document => {
                    for inner in of_document(value, &html::scan(value), depth + 1) {
                        refs.push(Ref {
                            what: format!("{} in `srcdoc` of <{}>", inner.what, tag.name),
                            at: place(inner.at),
                            ..inner
                        });
                    }
                    continue;
                }
            };
            for (url, i) in found {
                refs.push(Ref {
                    what: what.clone(),
                    url,
                    at: place(i),
                    loads,
                });
            }
        }
    }
    refs
}

/// Every URL of a style sheet.
pub fn of_css(text: &str) -> Vec<Ref> {
    let mut refs = Vec::new();
    push_css(text, "style sheet", &mut refs, |at| at);
    refs
}

/// Adds the URLs of `css` to `refs`, each at `place(offset in css)`. CSS
/// nested too deep to read is added as a reference that never passes.
fn push_css(css: &str, what: &str, refs: &mut Vec<Ref>, place: impl Fn(usize) -> usize) {
    let found = css::urls(css);
    for u in found.urls {
        refs.push(Ref {
            what: what.to_string(),
            url: u.url,
            at: place(u.at),
            loads: true,
        });
    }
    if let Some(at) = found.too_deep {
        refs.push(Ref {
            what: format!("{what} (nested over {} deep, not read)", css::MAX_DEPTH),
            url: UNREAD.into(),
            at: place(at),
            loads: true,
        });
    }
}

/// Stands for CSS or `srcdoc` nested too deep to read: it may load anything.
pub const UNREAD: &str = "//unread-css";

/// The candidates of a `srcset`, with their offsets in it.
fn srcset(value: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut url = &value[start..i];
        if url.is_empty() {
            break;
        }
        // A URL that ends in commas ends the candidate there; otherwise the
        // descriptors run to the next comma outside parentheses.
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
        } else {
            let mut depth = 0usize;
            while i < bytes.len() {
                match bytes[i] {
                    b'(' => depth += 1,
                    b')' => depth = depth.saturating_sub(1),
                    b',' if depth == 0 => break,
                    _ => {}
                }
                i += 1;
            }
        }
        if !url.is_empty() {
            out.push((url.to_string(), start));
        }
    }
    out
}

/// The URL of a refresh's `content` (`5; url='next.html'`), with its
/// offset, read as HTML's "shared declarative refresh steps" say.
fn refresh(content: &str) -> Option<(String, usize)> {
    let b = content.as_bytes();
    let mut at = 0;
    let skip = |at: &mut usize, pred: fn(u8) -> bool| {
        while *at < b.len() && pred(b[*at]) {
            *at += 1;
        }
    };
    skip(&mut at, |c| c.is_ascii_whitespace());
    skip(&mut at, |c| c.is_ascii_digit() || c == b'.');
    skip(&mut at, |c| c.is_ascii_whitespace());
    if at < b.len() && (b[at] == b';' || b[at] == b',') {
        at += 1;
    }
    skip(&mut at, |c| c.is_ascii_whitespace());
    if content
        .get(at..at + 3)
        .is_some_and(|u| u.eq_ignore_ascii_case("url"))
    {
        let mut eq = at + 3;
        skip(&mut eq, |c| c.is_ascii_whitespace());
        if eq < b.len() && b[eq] == b'=' {
            at = eq + 1;
            skip(&mut at, |c| c.is_ascii_whitespace());
        }
    }
    let mut rest = &content[at..];
    if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        at += 1;
        rest = rest[1..].split(q).next().unwrap_or("");
    }
    let url = rest.trim_end();
    (!url.is_empty()).then(|| (url.to_string(), at))
}

/// A URL as a browser parses it: tabs and line breaks anywhere dropped,
/// spaces and control characters at either end trimmed.
pub fn clean(url: &str) -> String {
    url.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_matches(|c: char| c <= ' ')
        .to_string()
}

/// Whether `url` reaches outside the site: another host (`https:`,
/// `//host/`, `\\host\`) or any scheme but the self-contained `data:` and
/// `about:`. A browser reads `\` as `/` in such URLs.
pub fn is_outside(url: &str) -> bool {
    let url = clean(url);
    let start: String = url.chars().take(2).collect();
    if start.chars().all(|c| c == '/' || c == '\\') && start.len() == 2 {
        return true;
    }
    if !crate::urls::has_scheme(&url) {
        return false;
    }
    let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
    !matches!(scheme.as_str(), "data" | "about")
}

/// The offline rule: what a loaded reference from outside the site breaks,
/// as a message and a hint; `None` if it is fine.
pub fn loads_from_outside(r: &Ref) -> Option<(String, String)> {
    if !r.loads || !is_outside(&r.url) {
        return None;
    }
    if r.url == UNREAD {
        return Some((
            format!("{}: it may load anything", r.what),
            "nothing a page needs nests so deep: flatten it".into(),
        ));
    }
    Some((
        format!(
            "{} loads `{}` from outside the site",
            r.what,
            shorten(&r.url)
        ),
        "readers browse offline: put the file in the site and link it with a relative path".into(),
    ))
}

/// What kind of text a file holds, for [`offline_diagnostics`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    /// HTML, an HTML template or SVG.
    Html,
    Css,
}

impl Doc {
    /// By file name: `.html`, `.htm` and `.svg` are read as HTML, `.css` as CSS.
    pub fn of(name: &str) -> Option<Doc> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "svg" => Some(Doc::Html),
            "css" => Some(Doc::Css),
            _ => None,
        }
    }
}

/// The offline rule applied to a whole file the site is made of (a
/// template, a theme or content style sheet): one diagnostic per URL it
/// loads from outside, at its line and column in `shown`.
pub fn offline_diagnostics(text: &str, doc: Doc, shown: &std::path::Path) -> Vec<Diagnostic> {
    let refs = match doc {
        Doc::Html => of_html(text, &html::scan(text)),
        Doc::Css => of_css(text),
    };
    refs.iter()
        .filter_map(|r| {
            let (message, hint) = loads_from_outside(r)?;
            Some(
                Diagnostic::new(shown, message)
                    .at_pos(Pos::of_offset(text, r.at, 1))
                    .hint(hint),
            )
        })
        .collect()
}

/// A URL cut to a readable length for a message.
pub fn shorten(url: &str) -> String {
    const MAX: usize = 120;
    match url.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &url[..i]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(html: &str) -> Vec<(String, String, bool)> {
        of_html(html, &html::scan(html))
            .into_iter()
            .map(|r| (r.what, r.url, r.loads))
            .collect()
    }

    #[test]
    fn every_attribute_that_loads_is_read() {
        let html = r#"<img srcset="a.png 1x, https://x.example/b.png 2x"><video poster="p.png"></video>
<object data="o.svg"></object><input type=image src="i.png"><svg><image href="h.png"/><use xlink:href="s.svg#i"/></svg>
<meta http-equiv="Refresh" content="0; URL='next.html'"><div style="background: url(d.png)"></div>
<style>@import "s.css";</style><a href="l.html">l</a><link rel=canonical href="https://c.example/">"#;
        let found = refs(html);
        let urls: Vec<&str> = found.iter().map(|(_, u, _)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "a.png",
                "https://x.example/b.png",
                "p.png",
                "o.svg",
                "i.png",
                "h.png",
                "s.svg#i",
                "next.html",
                "d.png",
                "s.css",
                "l.html",
                "https://c.example/"
            ]
        );
        let loads: Vec<bool> = found.iter().map(|(_, _, l)| *l).collect();
        assert_eq!(loads.iter().filter(|l| !**l).count(), 2, "{found:?}");
        assert_eq!(found[1].0, "`srcset` of <img>");
    }

    #[test]
    fn srcdoc_is_read_as_a_page_to_a_depth() {
        let html = "<iframe srcdoc=\"<img src=&quot;https://x.example/a.png&quot;>\"></iframe>";
        let found = refs(html);
        assert_eq!(found[0].0, "`src` of <img> in `srcdoc` of <iframe>");
        assert_eq!(found[0].1, "https://x.example/a.png");
        let mut deep = "<p>".to_string();
        for _ in 0..6 {
            deep = format!(
                "<iframe srcdoc=\"{}\"></iframe>",
                deep.replace('&', "&amp;").replace('"', "&quot;")
            );
        }
        let found = of_html(&deep, &html::scan(&deep));
        assert!(found.iter().any(|r| r.url == UNREAD), "{found:?}");
    }

    #[test]
    fn offsets_point_into_the_value() {
        let html = "<img srcset=\"a.png 1x,\n  b.png 2x\">";
        let found = of_html(html, &html::scan(html));
        assert_eq!(&html[found[1].at..][..5], "b.png");
        let html = "<div style=\"x: 1;\n background: url(d.png)\"></div>";
        let found = of_html(html, &html::scan(html));
        assert_eq!(&html[found[0].at..][..4], "url(");
    }

    #[test]
    fn srcset_and_refresh_are_parsed_as_browsers_do() {
        assert_eq!(
            srcset("a.png, b.png 2x,c.png 100w , data:image/png;base64,AAA= 3x"),
            [
                ("a.png".to_string(), 0),
                ("b.png".to_string(), 7),
                ("c.png".to_string(), 16),
                ("data:image/png;base64,AAA=".to_string(), 29)
            ]
        );
        assert_eq!(refresh("5"), None);
        assert_eq!(refresh("0;url=a.html"), Some(("a.html".into(), 6)));
        assert_eq!(
            refresh(" 1 , URL = \"b.html\""),
            Some(("b.html".into(), 12))
        );
        assert_eq!(refresh("0; c.html"), Some(("c.html".into(), 3)));
    }

    #[test]
    fn outside_is_any_host_in_any_spelling() {
        for url in [
            "https://x.example/a.png",
            "HTTP://x",
            "//x.example/a",
            "\\\\x.example\\a",
            "/\\x.example",
            " \thttps://x",
            "ht\ntps://x",
            "file:///etc/passwd",
            "ftp://x",
        ] {
            assert!(is_outside(url), "{url:?}");
        }
        for url in [
            "a.png",
            "../a.png",
            "/abs.png",
            "data:image/png;base64,AA",
            "about:blank",
            "#x",
        ] {
            assert!(!is_outside(url), "{url:?}");
        }
    }
}
