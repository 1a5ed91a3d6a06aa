//! CSS → the URLs it makes a browser load: `url()` (quoted or not, escapes
//! decoded), `@import "…"`, and the strings of `image-set()`. Read with
//! cssparser, the tokenizer Firefox's style system (Servo) uses, so comments,
//! escapes and strings are read as a browser reads them rather than as a
//! pattern guesses. `@namespace url(…)` names a namespace and loads nothing.

use cssparser::{ParseError, Parser, ParserInput, Token};

/// One URL in a style sheet, at the byte offset of its token.
#[derive(Debug, PartialEq, Eq)]
pub struct CssUrl {
    pub url: String,
    pub at: usize,
}

/// What reading a style sheet found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub urls: Vec<CssUrl>,
    /// Where blocks nest deeper than [`MAX_DEPTH`], if they do: what is
    /// inside them is not read, so it cannot be said to load nothing.
    pub too_deep: Option<usize>,
}

/// Blocks nested deeper than this are not read: a real style sheet nests a
/// handful, and reading is recursive.
pub const MAX_DEPTH: usize = 64;

pub fn urls(css: &str) -> Found {
    let mut input = ParserInput::new(css);
    let mut parser = Parser::new(&mut input);
    let mut found = Found::default();
    walk(&mut parser, &mut found, Context::Plain, 0);
    found
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Plain,
    /// Inside `url(` or `src(`: a string here is the URL.
    Url,
    /// Inside `image-set(`: every string here is a URL.
    ImageSet,
}

/// Reads the tokens of one block.
fn walk(parser: &mut Parser<'_, '_>, found: &mut Found, context: Context, depth: usize) {
    // After `@import`, the next string is the URL; in `@namespace …;` none is.
    let mut import = false;
    let mut namespace = false;
    loop {
        let at = parser.position().byte_index();
        let token = match parser.next_including_whitespace_and_comments() {
            Ok(Token::WhiteSpace(_) | Token::Comment(_)) => continue,
            Ok(token) => token.clone(),
            Err(_) => return,
        };
        let mut push = |url: &str| {
            if !namespace {
                found.urls.push(CssUrl {
                    url: url.to_string(),
                    at,
                });
            }
        };
        let block = match &token {
            Token::UnquotedUrl(url) => {
                push(url);
                None
            }
            Token::QuotedString(s) if import || context != Context::Plain => {
                push(s);
                None
            }
            Token::Function(name) => {
                let name = name.to_ascii_lowercase();
                Some(if name == "url" || name == "src" {
                    Context::Url
                } else if name.ends_with("image-set") {
                    Context::ImageSet
                } else {
                    Context::Plain
                })
            }
            Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                Some(Context::Plain)
            }
            _ => None,
        };
        import = matches!(&token, Token::AtKeyword(k) if k.eq_ignore_ascii_case("import"));
        match &token {
            Token::AtKeyword(k) => namespace = k.eq_ignore_ascii_case("namespace"),
            Token::Semicolon | Token::CurlyBracketBlock => namespace = false,
            _ => {}
        }
        let Some(inner) = block else { continue };
        if depth >= MAX_DEPTH {
            found.too_deep.get_or_insert(at);
            continue;
        }
        let in_namespace = namespace;
        let _ = parser.parse_nested_block(|p| -> Result<(), ParseError<'_, ()>> {
            if in_namespace {
                // Still read it: a block inside could hold more rules.
                walk(p, &mut Found::default(), inner, depth + 1);
            } else {
                walk(p, found, inner, depth + 1);
            }
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(css: &str) -> Vec<String> {
        urls(css).urls.into_iter().map(|u| u.url).collect()
    }

    #[test]
    fn finds_every_url_a_browser_loads() {
        let css = r#"@import "a.css"; @import url(b.css) screen;
            @namespace svg url(http://www.w3.org/2000/svg);
            /* url(comment.png) */
            body { background: url( "c.png" ) , URL(d\2e png); content: "url(e.png)" }
            @font-face { src: url('f.woff2') format("woff2") }
            .x { background-image: image-set("g.png" 1x, url(h.png) 2x) }
            @media print { .y { cursor: url(i.cur), auto } }"#;
        assert_eq!(
            list(css),
            ["a.css", "b.css", "c.png", "d.png", "f.woff2", "g.png", "h.png", "i.cur"]
        );
    }

    #[test]
    fn offsets_point_at_the_url() {
        let css = "a {}\n@import 'x.css';\nb { background: url(y.png) }";
        let found = urls(css);
        assert_eq!(&css[found.urls[0].at..][..7], "'x.css'");
        assert_eq!(&css[found.urls[1].at..][..4], "url(");
    }

    #[test]
    fn deep_nesting_is_noticed_not_recursed() {
        let css = format!(
            "{}url(https://x.example/a.png){}",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        let found = urls(&css);
        assert_eq!(found.too_deep, Some(MAX_DEPTH));
        assert!(found.urls.is_empty());
    }
}
