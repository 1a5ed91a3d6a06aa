//! A page's place, drawn at build time: the page in the middle, the pages
//! that point to it on the left, the pages it points to on the right, each a
//! link coloured by its badge's tone. Static SVG: no script, and it prints.

use std::fmt::Write as _;

use super::links::Inbound;
use crate::escape;
use crate::model::{Page, Site};
use crate::urls;

/// Boxes per column; the rest are counted in a last line.
const MAX_PER_SIDE: usize = 8;
const BOX_W: i32 = 190;
const BOX_H: i32 = 40;
const ROW: i32 = 50;
const CENTER_W: i32 = 170;
const GAP: i32 = 46;
const PAD: i32 = 8;
const HEADER: i32 = 22;
/// Characters of a bold 13 px title that fit in a box (about 7.5 px each).
const TITLE_CHARS: usize = 22;

/// Each page's box, as every map that shows it draws it: made once per build,
/// as a page appears in the maps of all its neighbours. Drawing each box from
/// the page's fields in every map was 6.5 % of a build's instructions
/// (callgrind, 1,000-page bench corpus, 129M of 1,986M). Drawn when first
/// shown: a `watch` rebuild renders a few pages, and drawing all 10,000
/// boxes for them was 5 % of its instructions.
pub(super) struct Boxes<'a> {
    site: &'a Site,
    boxes: Vec<std::sync::OnceLock<Drawn>>,
}

/// A page's box without its place: the classes and the two lines of text.
struct Drawn {
    /// `tone-…`: the class that gives the box its badge's colour.
    tone: String,
    /// The kind (and badge) line, escaped.
    kind: String,
    /// The title, cut to fit and escaped.
    title: String,
    /// `<title>` with the whole title, when the box shows it cut.
    tooltip: String,
}

impl<'a> Boxes<'a> {
    pub(super) fn new(site: &'a Site) -> Boxes<'a> {
        Boxes {
            site,
            boxes: site
                .pages
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    fn of(&self, i: usize) -> &Drawn {
        self.boxes[i].get_or_init(|| Drawn::of(self.site, &self.site.pages[i]))
    }
}

impl Drawn {
    fn of(site: &Site, page: &Page) -> Drawn {
        let model = &site.config.model;
        let badge = model.badge(page.kind, &page.fields);
        let tone = badge.and_then(|b| b.tone.as_deref()).unwrap_or("neutral");
        let mut kind = model.label(page.kind).to_string();
        if let Some(b) = badge {
            kind.push_str(" · ");
            kind.push_str(&b.label);
        }
        let title = shorten(&page.title, TITLE_CHARS);
        let tooltip = if title == page.title {
            String::new()
        } else {
            format!("<title>{}</title>", escape::xml(&page.title))
        };
        Drawn {
            tone: format!("tone-{tone}"),
            kind: escape::xml(&kind),
            title: escape::xml(&title),
            tooltip,
        }
    }
}

/// The map of page `i`, or `None` when nothing links to or from it.
pub(super) fn svg(
    site: &Site,
    boxes: &Boxes<'_>,
    i: usize,
    inbound: &Inbound,
    prose: &[usize],
) -> Option<String> {
    let page = &site.pages[i];
    let mut seen = vec![i];
    let mut unique = |list: &mut Vec<usize>, t: usize| {
        if !seen.contains(&t) {
            seen.push(t);
            list.push(t);
        }
    };
    let mut outgoing = Vec::new();
    for (_, targets) in page.references() {
        for &t in targets {
            unique(&mut outgoing, t);
        }
    }
    for &t in page.related.iter().chain(prose) {
        unique(&mut outgoing, t);
    }
    let mut incoming = Vec::new();
    for &t in inbound
        .groups
        .iter()
        .flat_map(|(_, pages)| pages)
        .chain(&inbound.related)
        .chain(&inbound.linked_from)
    {
        unique(&mut incoming, t);
    }
    if incoming.is_empty() && outgoing.is_empty() {
        return None;
    }
    let rows = |n: usize| n.min(MAX_PER_SIDE) + usize::from(n > MAX_PER_SIDE);
    let height = HEADER + rows(incoming.len()).max(rows(outgoing.len())).max(1) as i32 * ROW + PAD;
    let width = PAD * 2 + BOX_W * 2 + GAP * 2 + CENTER_W;
    let (left_x, center_x) = (PAD, PAD + BOX_W + GAP);
    let right_x = center_x + CENTER_W + GAP;
    let center_y = HEADER + (height - HEADER - PAD) / 2 - BOX_H / 2;

    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="pb-page-map" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="group" aria-labelledby="pb-pm-title">"#
    );
    let _ = write!(
        s,
        r#"<title id="pb-pm-title">{}: the pages around it</title>"#,
        escape::xml(&page.title)
    );
    let _ = write!(
        s,
        r#"<text class="pm-side" x="{left_x}" y="14">Points here</text><text class="pm-side" x="{right_x}" y="14">It points to</text>"#
    );
    // Edges first, so boxes sit on top.
    let mid = center_y + BOX_H / 2;
    for (n, _) in incoming.iter().take(MAX_PER_SIDE).enumerate() {
        let y = HEADER + n as i32 * ROW + BOX_H / 2;
        let _ = write!(
            s,
            r#"<path class="pm-edge" d="M{} {y} C{} {y} {} {mid} {center_x} {mid}"/>"#,
            left_x + BOX_W,
            left_x + BOX_W + GAP / 2,
            center_x - GAP / 2
        );
    }
    for (n, _) in outgoing.iter().take(MAX_PER_SIDE).enumerate() {
        let y = HEADER + n as i32 * ROW + BOX_H / 2;
        let _ = write!(
            s,
            r#"<path class="pm-edge" d="M{} {mid} C{} {mid} {} {y} {right_x} {y}"/>"#,
            center_x + CENTER_W,
            center_x + CENTER_W + GAP / 2,
            right_x - GAP / 2
        );
    }
    node(&mut s, boxes.of(i), None, center_x, center_y, CENTER_W);
    for (side, x) in [(&incoming, left_x), (&outgoing, right_x)] {
        for (n, &t) in side.iter().take(MAX_PER_SIDE).enumerate() {
            let href = urls::relative(&page.out_path, &site.pages[t].out_path);
            let y = HEADER + n as i32 * ROW;
            node(&mut s, boxes.of(t), Some(&href), x, y, BOX_W);
        }
        if side.len() > MAX_PER_SIDE {
            let y = HEADER + MAX_PER_SIDE as i32 * ROW + BOX_H / 2 + 4;
            let _ = write!(
                s,
                r#"<text class="pm-more" x="{}" y="{y}">and {} more, listed below</text>"#,
                x + 10,
                side.len() - MAX_PER_SIDE
            );
        }
    }
    s.push_str("</svg>");
    Some(s)
}

/// One box: the page's kind (and badge) on top, its title below; a link
/// unless it is the page itself.
fn node(s: &mut String, drawn: &Drawn, href: Option<&str>, x: i32, y: i32, w: i32) {
    if let Some(href) = href {
        s.push_str(r#"<a href=""#);
        s.push_str(&escape::html_attr(href));
        s.push_str(r#"">"#);
    }
    s.push_str(if href.is_some() {
        r#"<g class="pm-node "#
    } else {
        r#"<g class="pm-node pm-here "#
    });
    s.push_str(&drawn.tone);
    let _ = write!(
        s,
        r#""><rect x="{x}" y="{y}" width="{w}" height="{BOX_H}" rx="6"/><text class="pm-kind" x="{}" y="{}">"#,
        x + 10,
        y + 14
    );
    s.push_str(&drawn.kind);
    let _ = write!(
        s,
        r#"</text><text class="pm-title" x="{}" y="{}">"#,
        x + 10,
        y + 31
    );
    s.push_str(&drawn.title);
    s.push_str("</text>");
    s.push_str(&drawn.tooltip);
    s.push_str("</g>");
    if href.is_some() {
        s.push_str("</a>");
    }
}

/// At most `max` characters, cut at a word with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > max / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut_at_a_word() {
        assert_eq!(shorten("Catching up", 22), "Catching up");
        assert_eq!(
            shorten("Failing to decide what stays closed", 22),
            "Failing to decide…"
        );
        assert_eq!(
            shorten("Supercalifragilisticexpialidocious", 10),
            "Supercali…"
        );
    }
}
