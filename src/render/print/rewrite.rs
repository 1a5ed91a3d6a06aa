//! One page's body HTML → its part of print.html: element ids prefixed with
//! the page's anchor, links to other pages retargeted to their anchors,
//! image sources made relative to the root, headings moved two levels down.

use std::collections::HashMap;

use super::page_anchor;
use crate::model::Site;
use crate::render::{DECIDE_MAP_PAGE, DECIDE_PAGE};
use crate::urls;

/// Where a link to output path `target` (with `fragment`) goes inside print.html.
pub(super) struct Targets<'a> {
    pub site: &'a Site,
    pub by_out: HashMap<&'a str, usize>,
    pub has_tree: bool,
}

impl Targets<'_> {
    fn link(&self, target: &str, fragment: Option<&str>) -> String {
        if let Some(&i) = self.by_out.get(target) {
            let anchor = page_anchor(&self.site.pages[i].id);
            return match fragment.filter(|f| !f.is_empty()) {
                Some(f) => format!("#{anchor}:{f}"),
                None => format!("#{anchor}"),
            };
        }
        if let Some(folder) = target.strip_suffix("/index.html") {
            if self.site.config.model.from_folder(folder).is_some() {
                return format!("#kind-{folder}");
            }
        }
        if self.has_tree && (target == DECIDE_PAGE || target == DECIDE_MAP_PAGE) {
            // A walk through the tree (`#harm=no&data=yes`) has no place on
            // paper: the printed tree stands for it.
            return match fragment.filter(|f| !f.is_empty() && !f.contains('=')) {
                Some(f) => format!("#{f}"),
                None => "#decide".into(),
            };
        }
        // A file (image, PDF): print.html sits at the root, so its path is the link.
        let target = urls::encode_path(target);
        match fragment {
            Some(f) => format!("{target}#{f}"),
            None => target,
        }
    }
}

/// Moves one page's body HTML into print.html: ids prefixed, links retargeted,
/// image sources made relative to the root, headings moved two levels down
/// (under the section and the page title).
///
/// A byte scanner: print.html holds every page, and this pass was 9 % of a
/// build's instructions when it searched each tag with `str::find` (callgrind,
/// 1,000-page bench corpus, 186M of 1,986M). Tags with neither an attribute
/// nor a heading's name (`<p>`, `</li>`, `<em>`: most of them) are copied
/// with the text around them.
pub(super) fn rewrite(html: &str, page_out: &str, anchor: &str, targets: &Targets) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let bytes = html.as_bytes();
    // `html[..copied]` is in `out` already.
    let mut copied = 0;
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let Some(gt) = memchr::memchr(b'>', &bytes[lt..]).map(|i| lt + i) else {
            break;
        };
        at = gt + 1;
        let tag = &html[lt..=gt];
        if !may_change(tag) {
            continue;
        }
        out.push_str(&html[copied..lt]);
        rewrite_tag(&mut out, tag, page_out, anchor, targets);
        copied = at;
    }
    out.push_str(&html[copied..]);
    out
}

/// Whether [`rewrite_tag`] can change `tag`: it has an attribute value, or
/// it may be a heading.
fn may_change(tag: &str) -> bool {
    let b = tag.as_bytes();
    let name = if b.get(1) == Some(&b'/') { 2 } else { 1 };
    b.get(name) == Some(&b'h') || memchr::memchr(b'=', b).is_some()
}

/// Appends `tag` to `out`, rewritten; writes straight into `out`, as a page
/// has thousands of tags and most need no change.
fn rewrite_tag(out: &mut String, tag: &str, page_out: &str, anchor: &str, targets: &Targets) {
    let tag = shift_heading(tag);
    let mut rest: &str = &tag;
    // Attribute values are double-quoted and never hold a raw `"` in
    // pulldown-cmark's output.
    while let Some(q) = value_start(rest) {
        let name_start = rest[..q]
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |i| i + 1);
        let name = &rest[name_start..q];
        out.push_str(&rest[..q + 2]);
        rest = &rest[q + 2..];
        let end = memchr::memchr(b'"', rest.as_bytes()).unwrap_or(rest.len());
        let value = &rest[..end];
        rest = &rest[end..];
        if name.eq_ignore_ascii_case("id") {
            out.push_str(anchor);
            out.push(':');
            out.push_str(value);
        } else if name.eq_ignore_ascii_case("href") {
            out.push_str(&retarget(value, page_out, anchor, targets));
        } else if name.eq_ignore_ascii_case("src") {
            out.push_str(&relocate(value, page_out));
        } else {
            out.push_str(value);
        }
    }
    out.push_str(rest);
}

/// Where the next `="` of `s` starts.
fn value_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'=', &b[from..]).map(|i| from + i) {
        if b.get(i + 1) == Some(&b'"') {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

fn retarget(href: &str, page_out: &str, anchor: &str, targets: &Targets) -> String {
    if let Some(fragment) = href.strip_prefix('#') {
        return format!("#{anchor}:{fragment}");
    }
    if href.is_empty() || urls::has_scheme(href) || href.starts_with('/') {
        return href.to_string();
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    match urls::resolve(page_out, &path.replace("&amp;", "&")) {
        Some(target) => targets.link(&target, fragment),
        None => href.to_string(),
    }
}

fn relocate(src: &str, page_out: &str) -> String {
    if src.is_empty() || urls::has_scheme(src) || src.starts_with('/') {
        return src.to_string();
    }
    urls::resolve(page_out, src).map_or_else(|| src.to_string(), |s| urls::encode_path(&s))
}

/// `<h2 …>` → `<h4 …>`, `</h2>` → `</h4>`; at most `h6`.
fn shift_heading(tag: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let b = tag.as_bytes();
    let (prefix, at) = if tag.starts_with("</h") {
        ("</h", 3)
    } else if tag.starts_with("<h") {
        ("<h", 2)
    } else {
        return Cow::Borrowed(tag);
    };
    match b.get(at) {
        Some(d @ b'1'..=b'6')
            if b.get(at + 1)
                .is_some_and(|c| *c == b'>' || c.is_ascii_whitespace()) =>
        {
            let level = (d - b'0' + 2).min(6);
            Cow::Owned(format!("{prefix}{level}{}", &tag[at + 1..]))
        }
        _ => Cow::Borrowed(tag),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_two_levels_down() {
        assert_eq!(shift_heading("<h2 id=\"x\">"), "<h4 id=\"x\">");
        assert_eq!(shift_heading("</h5>"), "</h6>");
        assert_eq!(shift_heading("<hr />"), "<hr />");
        assert_eq!(shift_heading("<header>"), "<header>");
    }
}
