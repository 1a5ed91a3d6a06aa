//! One page's Markdown → HTML, in a single pass over pulldown-cmark's events.
//!
//! On the way it gives headings stable ids, rewrites links between `.md` files
//! to relative links between output pages, and records every internal link so
//! fragments can be checked once all pages are known. It also collects plain text
//! per section for the search index, so no page is parsed twice. [`pass`]
//! renders every page so, feeding the search index as it goes.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use super::links::{self, Files};
use crate::diagnostics::{Diagnostic, Pos};
use crate::escape;
use crate::incremental::Reuse;
use crate::model::{Heading, Rendered, Section, Site};
use crate::search::{IndexBuilder, PageIndex};

/// Each page's Markdown (`bodies`, in page order) → HTML, with whether it was
/// rendered now rather than reused. The search index is fed from the same
/// pass, a batch of pages at a time while each page's text is fresh, each
/// batch merged while the next renders. With `drop_sections` (a build) a
/// page's section text, which only the index needs, is dropped at once.
pub(super) fn pass(
    site: &Site,
    files: &Files<'_>,
    reuse: Option<&Reuse<Arc<Rendered>>>,
    bodies: Vec<Arc<str>>,
    search: &mut IndexBuilder,
    drop_sections: bool,
) -> Result<Vec<(Arc<Rendered>, bool)>, Diagnostic> {
    let indexer = search.indexer();
    let batch = search.batch();
    let mut bodies = bodies.into_iter();
    let mut rendered: Vec<(Arc<Rendered>, bool)> = Vec::with_capacity(site.pages.len());
    let mut indexed: Vec<Arc<PageIndex>> = Vec::new();
    for first in (0..site.pages.len()).step_by(batch) {
        let sources: Vec<Arc<str>> = bodies.by_ref().take(batch).collect();
        let last = std::mem::take(&mut indexed);
        let (taken, made): (Result<(), Diagnostic>, Vec<_>) = rayon::join(
            || search.take_batch(last),
            || {
                sources
                    .into_par_iter()
                    .enumerate()
                    .map(|(k, body)| {
                        let i = first + k;
                        let reused = reuse.and_then(|r| r.get(i, &site.pages[i].content_path));
                        let fresh = reused.is_none();
                        let r = reused.unwrap_or_else(|| Arc::new(render(site, i, &body, files)));
                        let index = indexer.page(i, &r);
                        let r = match (drop_sections, Arc::try_unwrap(r)) {
                            (true, Ok(mut r)) => {
                                r.sections = Vec::new();
                                Arc::new(r)
                            }
                            (_, Ok(r)) => Arc::new(r),
                            (_, Err(r)) => r,
                        };
                        (r, fresh, index)
                    })
                    .collect()
            },
        );
        taken?;
        for (r, fresh, index) in made {
            rendered.push((r, fresh));
            indexed.push(index);
        }
    }
    search.take_batch(indexed)?;
    Ok(rendered)
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
}

/// Renders page `index` of `site`. `assets` holds the content paths of non-page
/// files, and `sizes` the pixel sizes of those that are readable images.
pub fn render(site: &Site, index: usize, body: &str, files: &Files<'_>) -> Rendered {
    let page = &site.pages[index];
    let mut out = Rendered::default();
    // Sized for the bench corpus' one event per 24 bytes or so: growing the
    // list from empty copied it seven times a page (callgrind: 30M of 1,765M
    // instructions at 1,000 pages went to those copies).
    let mut events: Vec<(Event, std::ops::Range<usize>)> = Vec::with_capacity(body.len() / 24 + 16);
    events.extend(Parser::new_ext(body, options()).into_offset_iter());
    // Only raw HTML can bring a URL a browser loads without asking that the
    // link rules below do not see; pages without any skip that check.
    let raw_html = events
        .iter()
        .find(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        .map(|(_, range)| range.start);
    let mut used_ids = UsedIds::default();
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
        if let Some((heading, end)) = heading_at(&mut events, i, &mut used_ids) {
            out.headings.push(heading);
            out.sections.push(Section {
                heading: Some(out.headings.len() - 1),
                text: String::new(),
            });
            // Links inside headings are still checked: step into them, not over.
            for (event, range) in &mut events[i + 1..end] {
                links::rewrite(site, index, files, event, range.start, &mut out, &mut error);
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
        links::rewrite(
            site,
            index,
            files,
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
    out.fields_html = markdown_fields(site, index, files, &mut out);
    super::images::add_sizes(&mut events, &page.out_path, &files.sizes);
    let events = footnotes_last(events);
    out.html.reserve(body.len() * 3 / 2);
    // Each heading gets a link to itself, beside it rather than inside it, so
    // the heading's own name stays its text: shown on hover and focus.
    let mut anchors = out.headings.iter().map(|h| {
        format!(
            "<a class=\"pb-anchor\" href=\"#{id}\" aria-label=\"Link to this section: {text}\">#</a></div>",
            id = escape::html_attr(&h.id),
            text = escape::html_attr(&h.text),
        )
    });
    let mut opens = out
        .headings
        .iter()
        .map(|h| format!("<div class=\"pb-heading pb-h{}\">", h.level));
    let mut stream = Vec::with_capacity(events.len() + 2 * out.headings.len());
    for (e, _) in events {
        match &e {
            Event::Start(Tag::Heading { .. }) => {
                stream.extend(opens.next().map(|h| Event::Html(h.into())));
                stream.push(e);
            }
            Event::End(TagEnd::Heading(_)) => {
                stream.push(e);
                stream.extend(anchors.next().map(|a| Event::Html(a.into())));
            }
            _ => stream.push(e),
        }
    }
    let events = stream.into_iter();
    out.html.reserve(body.len() + body.len() / 4);
    pulldown_cmark::html::push_html(&mut out.html, events);
    if let Some(first) = raw_html {
        for (offset, message, hint) in loaded_from_outside(&out.html, body, first) {
            let index = lines.get_or_insert_with(|| LineIndex::new(body));
            let pos = index.pos(offset, page.body_line);
            out.diags.push(
                Diagnostic::new(page.shown_path.clone(), message)
                    .at_pos(pos)
                    .hint(hint),
            );
        }
    }
    out.html = fitted(std::mem::take(&mut out.html));
    out
}

/// `html` in a block of its own size when the one it was written into is
/// much larger. Every page's HTML is held from here until its page file is
/// written, so the room reserved above and not used is held across the
/// whole render: 144 MiB of 918 MiB at 100,000 bench pages. `shrink_to_fit`
/// would not return it, as mimalloc leaves in place a block shrunk by less
/// than half.
fn fitted(html: String) -> String {
    if html.capacity() - html.len() > html.len() / 16 {
        html.as_str().to_owned()
    } else {
        html
    }
}

/// What the rendered `html` of Markdown `source` loads from outside the
/// site, by the rule `check` applies to the output: each as its offset in
/// `source`, a message and a hint. The offset is where the URL is next
/// written (raw HTML passes through as written), or `fallback` once one is
/// not found (a character reference hid it): searching on from there for
/// each could read the page once per URL.
fn loaded_from_outside(html: &str, source: &str, fallback: usize) -> Vec<(usize, String, String)> {
    let mut found = Vec::new();
    let mut from = Some(0);
    for r in crate::refs::of_html(html, &crate::refs::html::scan(html)) {
        let Some((message, hint)) = crate::refs::loads_from_outside(&r) else {
            continue;
        };
        let url = r.url.trim();
        from = from.and_then(|f| Some(f + source.get(f..)?.find(url)?));
        found.push((from.unwrap_or(fallback), message, hint));
        from = from.map(|f| f + url.len().max(1));
    }
    found
}

/// A Markdown event with the byte range of its source.
type Spanned<'a> = (Event<'a>, Range<usize>);

/// Moves footnote definitions to the end of the page, in the order of their
/// first reference, the order of their numbers. Authors keep definitions
/// where they like; left in place, a definition added later showed as "4"
/// after "8".
fn footnotes_last(events: Vec<Spanned>) -> Vec<Spanned> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::FootnoteDefinition(_))))
    {
        return events;
    }
    // A map, not a list: a page of 100,000 references must stay linear.
    let mut order: HashMap<CowStr, usize> = HashMap::new();
    for (e, _) in &events {
        if let Event::FootnoteReference(label) = e {
            let next = order.len();
            order.entry(label.clone()).or_insert(next);
        }
    }
    let mut body = Vec::with_capacity(events.len());
    let mut definitions: Vec<(CowStr, Vec<Spanned>)> = Vec::new();
    let mut depth = 0usize;
    for (e, r) in events {
        match &e {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                if depth == 0 {
                    definitions.push((label.clone(), Vec::new()));
                }
                depth += 1;
            }
            Event::End(TagEnd::FootnoteDefinition) => depth = depth.saturating_sub(1),
            _ if depth == 0 => {
                body.push((e, r));
                continue;
            }
            _ => {}
        }
        if let Some((_, d)) = definitions.last_mut() {
            d.push((e, r));
        }
    }
    // Unreferenced definitions keep their place after the referenced ones.
    definitions.sort_by_key(|(label, _)| order.get(label).copied().unwrap_or(usize::MAX));
    body.extend(definitions.into_iter().flat_map(|(_, d)| d));
    body
}

/// Each Markdown field of page `index`, rendered inline, with its links
/// checked and rewritten as the body's are; a problem is reported at the
/// field's line in the front matter.
fn markdown_fields(
    site: &Site,
    index: usize,
    files: &Files<'_>,
    out: &mut Rendered,
) -> Vec<(usize, String)> {
    let page = &site.pages[index];
    let mut html = Vec::new();
    for &(field, pos) in &page.markdown_at {
        let Some(crate::model::FieldValue::Text(text)) = page.fields.get(field) else {
            continue;
        };
        let mut error = |_: usize, message: String, hint: &str| {
            Diagnostic::new(page.shown_path.clone(), message)
                .at_pos(pos)
                .hint(hint)
        };
        let mut events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(text, options())
            .into_offset_iter()
            .collect();
        for (event, range) in &mut events {
            links::rewrite(site, index, files, event, range.start, out, &mut error);
        }
        // One line of Markdown is one paragraph: keep what is inside it.
        let inline = events.into_iter().map(|(e, _)| e).filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        });
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, inline);
        if s.contains('<') {
            for (_, message, hint) in loaded_from_outside(&s, text, 0) {
                out.diags.push(error(0, message, &hint));
            }
        }
        html.push((field, s));
    }
    html
}

/// The heading that starts at event `i`, if one does, with the index of its
/// end event: its text, and a unique id (its own `{#id}` or its slug), which
/// is written into the event.
fn heading_at(
    events: &mut [(Event, std::ops::Range<usize>)],
    i: usize,
    used_ids: &mut UsedIds,
) -> Option<(Heading, usize)> {
    let Event::Start(Tag::Heading {
        level,
        id: explicit,
        ..
    }) = &events[i].0
    else {
        return None;
    };
    let level = heading_level(*level);
    let explicit = explicit.as_ref().map(|id| id.to_string());
    let end = (i + 1..events.len())
        .find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_))))
        .unwrap_or(events.len());
    let text = plain_text(&events[i + 1..end]);
    let id = unique_id(&explicit.unwrap_or_else(|| slugify(&text)), used_ids);
    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
        *slot = Some(CowStr::from(id.clone()));
    }
    Some((Heading { level, id, text }, end))
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
/// The heading ids a page has given out, and for each wanted id the next
/// number to try: 50,000 headings `## A` took 150 s when each one counted up
/// from `a-1` again.
#[derive(Default)]
struct UsedIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

fn unique_id(wanted: &str, ids: &mut UsedIds) -> String {
    let wanted = if wanted.starts_with("pb-") {
        format!("h-{wanted}")
    } else {
        wanted.to_string()
    };
    let mut id = wanted.clone();
    let n = ids.next.entry(wanted.clone()).or_insert(1);
    while ids.used.contains(&id) {
        id = format!("{wanted}-{n}");
        *n += 1;
    }
    ids.used.insert(id.clone());
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
    fn html_is_kept_in_a_block_near_its_own_size() {
        let html = "<p>x</p>".repeat(100);
        let mut roomy = String::with_capacity(html.len() * 3 / 2);
        roomy.push_str(&html);
        let small = fitted(roomy);
        assert_eq!(small, html);
        assert!(small.capacity() <= html.len() + html.len() / 16);
        // Nearly full: kept as it is, not copied.
        let mut full = String::with_capacity(html.len() + 10);
        full.push_str(&html);
        let at = full.as_ptr();
        let kept = fitted(full);
        assert_eq!(kept.as_ptr(), at);
    }

    #[test]
    fn duplicate_headings_get_numbered_ids() {
        let mut used = UsedIds::default();
        assert_eq!(unique_id("a", &mut used), "a");
        assert_eq!(unique_id("a", &mut used), "a-1");
        assert_eq!(unique_id("pb-x", &mut used), "h-pb-x");
        assert_eq!(unique_id("b-1", &mut used), "b-1");
        assert_eq!(unique_id("b", &mut used), "b");
        assert_eq!(unique_id("b", &mut used), "b-2");
    }

    #[test]
    fn footnotes_are_listed_at_the_end_in_the_order_of_their_numbers() {
        let md =
            "A.[^b] B.[^a]\n\n[^a]: Second.\n\nMiddle.\n\n[^c]: Never cited.\n\n[^b]: First.\n";
        let events = Parser::new_ext(md, options()).into_offset_iter().collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            footnotes_last(events).into_iter().map(|(e, _)| e),
        );
        let at = |s: &str| html.find(s).unwrap();
        assert!(at("Middle.") < at("First."), "{html}");
        assert!(
            at("First.") < at("Second.") && at("Second.") < at("Never cited."),
            "{html}"
        );
        assert!(
            html.contains(r#"<sup class="footnote-definition-label">1</sup>"#)
                && html.find("label\">1").unwrap() < at("First."),
            "{html}"
        );
    }

    #[test]
    fn line_index_finds_lines() {
        let idx = LineIndex::new("ab\ncé d\n");
        assert_eq!(idx.pos(4, 10), Pos::new(11, 2));
        // "é" is two bytes but one column.
        assert_eq!(idx.pos(6, 1), Pos::new(2, 3));
    }
}
