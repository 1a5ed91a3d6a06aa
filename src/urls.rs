//! Relative URLs between output files.
//!
//! Every link the generator writes is relative to the page that holds it, so the
//! same output works from file://, under a GitHub Pages `/<repo>/` prefix and at
//! a domain root. Paths here are output paths with `/` separators.

/// `../` repeated once per folder above `out_path`: the way back to the site root.
pub fn root_prefix(out_path: &str) -> String {
    "../".repeat(out_path.matches('/').count())
}

/// The link from the page at `from` to the file at `to`: up out of the
/// folders of `from` that `to` is not in, then down into the rest of `to`.
/// Called for every link of every page, so it allocates only its result.
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs = from.rsplit_once('/').map(|(dirs, _)| dirs);
    let to_dirs = to.rsplit_once('/').map(|(dirs, _)| dirs);
    let common = folders(from_dirs)
        .zip(folders(to_dirs))
        .take_while(|(a, b)| a == b)
        .count();
    let up = folders(from_dirs).count() - common;
    // `to` past its first `common` folders.
    let down = match common {
        0 => to,
        n => to
            .match_indices('/')
            .nth(n - 1)
            .map_or(to, |(at, _)| &to[at + 1..]),
    };
    let mut out = String::with_capacity(3 * up + down.len());
    for _ in 0..up {
        out.push_str("../");
    }
    out.push_str(down);
    out
}

/// The folders of a path's folder part, none if it has none.
fn folders(dirs: Option<&str>) -> impl Iterator<Item = &str> {
    dirs.into_iter().flat_map(|d| d.split('/'))
}

/// Resolves `href` (already stripped of any `#fragment`) against the folder of
/// `base`, both inside the content folder. `None` if it climbs above the root.
pub fn resolve(base: &str, href: &str) -> Option<String> {
    let decoded = percent_decode(href);
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// What a file's name may not hold as written in an `href` or `src`: a
/// space, `#` (a fragment), `?` (a query), `%` (an escape) and the rest of
/// what a URL path spells with `%XX`.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\');

/// A relative path (`a/b c#1.png`) as a URL path (`a/b%20c%231.png`): an
/// asset named with `#`, `?`, `%` or a space was written as it is and broke.
pub fn encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH).to_string()
}

/// `%XX` escapes decoded; invalid escapes are kept as written, and bytes
/// that are not UTF-8 become U+FFFD.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `%XX` escapes decoded, or `None` if any `%` is not followed by two hex
/// digits: for request paths, where a bad escape is a bad request.
pub fn percent_decode_strict(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let valid = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    valid.then(|| percent_encoding::percent_decode(bytes).collect())
}

/// True for links that leave the site: `https:`, `mailto:` and other schemes.
pub fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !href[..i].contains('/')
        }
        None => false,
    }
}

/// Schemes that run code when followed; never allowed in content.
pub fn is_script_scheme(href: &str) -> bool {
    let lower: String = href
        .trim_start()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    lower.starts_with("javascript:") || lower.starts_with("vbscript:") || lower.starts_with("data:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_counts_folders() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("cases/a.html"), "../");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
    }

    #[test]
    fn relative_links_between_pages() {
        assert_eq!(relative("cases/a.html", "cases/b.html"), "b.html");
        assert_eq!(
            relative("cases/a.html", "patterns/p.html"),
            "../patterns/p.html"
        );
        assert_eq!(relative("index.html", "cases/a.html"), "cases/a.html");
        assert_eq!(relative("cases/a.html", "index.html"), "../index.html");
        assert_eq!(relative("a/b/c.html", "a/d.png"), "../d.png");
    }

    /// `relative` as first written: with the folder lists spelled out.
    fn relative_by_definition(from: &str, to: &str) -> String {
        let from_dirs: Vec<&str> = from.split('/').collect();
        let from_dirs = &from_dirs[..from_dirs.len() - 1];
        let to_parts: Vec<&str> = to.split('/').collect();
        let (to_dirs, to_file) = to_parts.split_at(to_parts.len() - 1);
        let common = from_dirs
            .iter()
            .zip(to_dirs)
            .take_while(|(a, b)| a == b)
            .count();
        let mut out = "../".repeat(from_dirs.len() - common);
        for dir in &to_dirs[common..] {
            out.push_str(dir);
            out.push('/');
        }
        out.push_str(to_file[0]);
        out
    }

    proptest::proptest! {
        #[test]
        fn relative_matches_its_definition(
            from in "(a|b|cases|/|x\\.html){0,8}",
            to in "(a|b|cases|/|y\\.html){0,8}",
        ) {
            proptest::prop_assert_eq!(relative(&from, &to), relative_by_definition(&from, &to));
        }
    }

    #[test]
    fn resolves_md_paths_inside_content() {
        assert_eq!(
            resolve("cases/a.md", "../patterns/p.md").as_deref(),
            Some("patterns/p.md")
        );
        assert_eq!(resolve("cases/a.md", "b.md").as_deref(), Some("cases/b.md"));
        assert_eq!(
            resolve("index.md", "./cases/a%20b.md").as_deref(),
            Some("cases/a b.md")
        );
        assert_eq!(resolve("index.md", "../x.md"), None);
    }

    #[test]
    fn file_names_are_encoded_for_urls() {
        assert_eq!(
            encode_path("../a b/c#d?e%f.png"),
            "../a%20b/c%23d%3Fe%25f.png"
        );
        assert_eq!(percent_decode(&encode_path("x #?%y")), "x #?%y");
        assert_eq!(encode_path("café/ok-1_2.~.png"), "caf%C3%A9/ok-1_2.~.png");
    }

    #[test]
    fn percent_escapes() {
        assert_eq!(percent_decode("a%20b%2Fc%zz%4"), "a b/c%zz%4");
        assert_eq!(percent_decode("%C3%A9%ff"), "é\u{fffd}");
        assert_eq!(percent_decode_strict("a%20b"), Some(b"a b".to_vec()));
        assert_eq!(percent_decode_strict("%ff"), Some(vec![0xff]));
        for bad in ["%zz", "%4", "a%", "%+1"] {
            assert_eq!(percent_decode_strict(bad), None, "{bad}");
        }
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("../a.md"));
        assert!(!has_scheme("a.md#x:y"));
        assert!(is_script_scheme("JavaScript:alert(1)"));
        assert!(is_script_scheme(" java\tscript:alert(1)"));
        assert!(!is_script_scheme("https://x"));
    }
}
