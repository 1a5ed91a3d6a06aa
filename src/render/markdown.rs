//! One page's Markdown → HTML, in a single pass over pulldown-cmark's events.
//!
//! On the way it gives headings stable ids, rewrites links between `.md` files
//! to relative links between output pages, and records every internal link so
//! fragments can be checked once all pages are known. It also collects plain text
//! per section for the search index, so no page is parsed twice.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::{Heading, ImageSize, Kind, PageLink, Rendered, Section, Site};
use crate::urls;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
}

/// Renders page `index` of `site`. `assets` holds the content paths of non-page
/// files, and `sizes` the pixel sizes of those that are readable images.
pub fn render(
    site: &Site,
    index: usize,
    body: &str,
    assets: &HashSet<String>,
    sizes: &HashMap<String, ImageSize>,
) -> Rendered {
    let page = &site.pages[index];
    let mut out = Rendered::default();
    let mut events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut lines: Option<LineIndex> = None;
    let mut error = |offset: usize, message: String, hint: &str| {
        let index = lines.get_or_insert_with(|| LineIndex::new(body));
        let pos = index.pos(offset, page.body_line);
        Diagnostic::new(page.shown_path.clone(), message)
            .at_pos(pos)
            .hint(hint)
    };
    out.sections.push(Section::default());

    let mut i = 0;
    while i < events.len() {
        let offset = events[i].1.start;
        if let Event::Start(Tag::Heading {
            level,
            id: explicit,
            ..
        }) = &events[i].0
        {
            let level = heading_level(*level);
            let explicit = explicit.as_ref().map(|id| id.to_string());
            let end = (i + 1..events.len())
                .find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_))))
                .unwrap_or(events.len());
            let text = plain_text(&events[i + 1..end]);
            let id = unique_id(&explicit.unwrap_or_else(|| slugify(&text)), &mut used_ids);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id.clone()));
            }
            out.headings.push(Heading { level, id, text });
            out.sections.push(Section {
                heading: Some(out.headings.len() - 1),
                text: String::new(),
            });
            // Links inside headings are still checked: step into them, not over.
            for (event, range) in &mut events[i + 1..end] {
                rewrite_link(
                    site,
                    index,
                    assets,
                    event,
                    range.start,
                    &mut out,
                    &mut error,
                );
            }
            i = end + 1;
            continue;
        }
        match &events[i].0 {
            Event::Text(t) | Event::Code(t) => push_text(&mut out.sections, t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                push_text(&mut out.sections, " ")
            }
            _ => {}
        }
        rewrite_link(
            site,
            index,
            assets,
            &mut events[i].0,
            offset,
            &mut out,
            &mut error,
        );
        i += 1;
    }
    for section in &mut out.sections {
        section.text = collapse_whitespace(&section.text);
    }
    out.sections
        .retain(|s| s.heading.is_some() || !s.text.is_empty());
    for link in &mut out.links {
        if link.fragment.as_ref().is_some_and(|f| !f.is_empty()) {
            let index = lines.get_or_insert_with(|| LineIndex::new(body));
            link.pos = Some(index.pos(link.offset, page.body_line));
        }
    }
    super::images::add_sizes(&mut events, &page.out_path, sizes);
    out.html.reserve(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter().map(|(e, _)| e));
    out
}

/// Runs of whitespace become one space, none at either end.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut join = |word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    // Byte-wise splitting is much cheaper, and in ASCII text the same but
    // for the vertical tab, which only Unicode calls whitespace.
    if text.is_ascii() && !text.contains('\x0b') {
        text.split_ascii_whitespace().for_each(&mut join);
    } else {
        text.split_whitespace().for_each(&mut join);
    }
    out
}

fn push_text(sections: &mut [Section], text: &str) {
    if let Some(last) = sections.last_mut() {
        last.text.push_str(text);
    }
}

/// Checks and rewrites the destination of a link or image event, in place.
fn rewrite_link(
    site: &Site,
    index: usize,
    assets: &HashSet<String>,
    event: &mut Event,
    offset: usize,
    out: &mut Rendered,
    error: &mut impl FnMut(usize, String, &str) -> Diagnostic,
) {
    let (dest, is_image) = match event {
        Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
        Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
        _ => return,
    };
    let page = &site.pages[index];
    let href = dest.to_string();
    let what = if is_image { "image" } else { "link" };
    if href.is_empty() {
        return;
    }
    if urls::is_script_scheme(&href) {
        out.diags.push(error(
            offset,
            format!("{what} to a script URL (`{}`)", truncate(&href)),
            "links may not run code; link to a page or an https:// address",
        ));
        *dest = CowStr::from("#");
        return;
    }
    if urls::has_scheme(&href) {
        if is_image {
            out.diags.push(error(offset, format!("image loaded from the network (`{}`)", truncate(&href)), "readers browse offline: put the image in the content folder and link it with a relative path"));
        }
        return;
    }
    if href.starts_with('/') || href.starts_with('\\') {
        out.diags.push(error(offset, format!("absolute {what} `{}`", truncate(&href)), "absolute paths break under a GitHub Pages /<repo>/ prefix and from disk: use a path relative to this file, e.g. `../cases/catching-up.md`"));
        return;
    }
    let (path_part, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href.as_str(), None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    if path_part.is_empty() {
        if let Some(fragment) = fragment {
            out.links.push(PageLink {
                target: index,
                fragment: Some(fragment),
                offset,
                pos: None,
            });
        }
        return;
    }
    let Some(target) = urls::resolve(&page.content_path, path_part) else {
        out.diags.push(error(
            offset,
            format!(
                "{what} `{}` points outside the content folder",
                truncate(&href)
            ),
            "link to a file inside the content folder",
        ));
        return;
    };
    let fragment_suffix = fragment
        .as_ref()
        .map(|f| format!("#{f}"))
        .unwrap_or_default();
    if !is_image && target.ends_with(".md") {
        if let Some(&t) = site.by_content_path.get(&target) {
            let url = format!(
                "{}{}",
                urls::relative(&page.out_path, &site.pages[t].out_path),
                fragment_suffix
            );
            *dest = CowStr::from(url);
            out.links.push(PageLink {
                target: t,
                fragment,
                offset,
                pos: None,
            });
            return;
        }
        if let Some(folder) = target.strip_suffix("/index.md") {
            if Kind::from_folder(folder).is_some() {
                let url = format!(
                    "{}{}",
                    urls::relative(&page.out_path, &format!("{folder}/index.html")),
                    fragment_suffix
                );
                *dest = CowStr::from(url);
                return;
            }
        }
        if let Some(shown) = site.excluded_drafts.get(&target) {
            out.diags.push(error(
                offset,
                format!("link to a draft page `{}`", truncate(&href)),
                &format!(
                    "{} has `draft: true`, so this build leaves it out: publish it (remove `draft: true`), build with --drafts to preview, or remove the link",
                    crate::diagnostics::display_path(shown)
                ),
            ));
            return;
        }
        let known = site.by_content_path.keys().map(String::as_str);
        let hint = match crate::diagnostics::did_you_mean(&target, known) {
            Some(s) => format!("did you mean `{}`?", urls::relative(&page.content_path, s)),
            None => {
                "link to an existing .md file, relative to this one, e.g. `../cases/catching-up.md`"
                    .into()
            }
        };
        out.diags.push(error(
            offset,
            format!("link to a missing page `{}`", truncate(&href)),
            &hint,
        ));
        return;
    }
    if assets.contains(&target) {
        let url = format!(
            "{}{}",
            urls::relative(&page.out_path, &target),
            fragment_suffix
        );
        *dest = CowStr::from(url);
        return;
    }
    let is_folder =
        path_part.ends_with('/') || Kind::from_folder(target.trim_end_matches('/')).is_some();
    let hint = if is_folder {
        "link to a file, not a folder: from disk a folder shows a file listing; for a section use its `index.md`, e.g. `../cases/index.md`"
    } else if is_image {
        "put the image in the content folder and link it relative to this file"
    } else {
        "link to an existing file, relative to this one; pages are linked by their .md path"
    };
    out.diags.push(error(
        offset,
        format!(
            "{what} to `{}`, which is not in the content folder",
            truncate(&href)
        ),
        hint,
    ));
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}

fn plain_text(events: &[(Event, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// "Signals it applies" → `signals-it-applies`. Letters of any script are kept,
/// so non-English headings get readable ids.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-') && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

/// Ids starting `pb-` belong to the theme; a heading that wants one is moved aside.
fn unique_id(wanted: &str, used: &mut HashSet<String>) -> String {
    let wanted = if wanted.starts_with("pb-") {
        format!("h-{wanted}")
    } else {
        wanted.to_string()
    };
    let mut id = wanted.clone();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

/// Byte offset → line and column, without rescanning the text for each link.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    fn pos(&self, offset: usize, first_line: usize) -> Pos {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let before = self.text.get(self.starts[line]..offset).unwrap_or("");
        Pos::new(first_line + line, before.chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The ASCII fast path splits where Unicode whitespace does.
        #[test]
        fn whitespace_collapses_as_unicode_splits_it(text in "[ a\t\n\r\x0b\x0c\u{a0}\u{2003}é]{0,40}") {
            let by_definition: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse_whitespace(&text), by_definition.join(" "));
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Signals it applies"), "signals-it-applies");
        assert_eq!(slugify("What's kept — and why?"), "whats-kept-and-why");
        assert_eq!(slugify("Ökonomie 101"), "ökonomie-101");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn duplicate_headings_get_numbered_ids() {
        let mut used = HashSet::new();
        assert_eq!(unique_id("a", &mut used), "a");
        assert_eq!(unique_id("a", &mut used), "a-1");
        assert_eq!(unique_id("pb-x", &mut used), "h-pb-x");
    }

    #[test]
    fn line_index_finds_lines() {
        let idx = LineIndex::new("ab\ncé d\n");
        assert_eq!(idx.pos(4, 10), Pos::new(11, 2));
        // "é" is two bytes but one column.
        assert_eq!(idx.pos(6, 1), Pos::new(2, 3));
    }
}
