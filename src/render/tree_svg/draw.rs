//! The laid-out tree → SVG text: the legend, the edges (drawn first, so
//! boxes sit on top), and a box per question and verdict, each a link.

use std::fmt::Write as _;

use super::*;
use crate::escape;
use crate::model::schema::EnumValue;
use crate::model::tree::{Question, Verdict};

/// Scoped to `.pb-tree-map`, so it styles nothing else when inlined in a page.
/// Inside a page the theme's variables win; alone, the fallbacks apply.
const STYLE: &str = concat!("<style>", include_str!("map.css"), "</style>");

/// The laid-out tree as SVG text.
pub(super) fn svg(tree: &Tree, calls: &[EnumValue], l: &Layout, href_base: &str) -> String {
    let (w, h) = (l.width.ceil(), l.height.ceil());
    let mut s = String::with_capacity(16 * 1024);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="pb-tree-map" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-labelledby="pb-tm-title" data-tree-map="">"#
    );
    let _ = write!(
        s,
        r#"<title id="pb-tm-title">{}: the whole decision tree</title>"#,
        escape::xml(&tree.title)
    );
    s.push_str(STYLE);
    s.push_str(r#"<defs><marker id="pb-tm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="pb-tm-head" d="M0 0L10 5L0 10z"/></marker></defs>"#);

    legend(&mut s, calls);
    edges(&mut s, tree, l);
    for (n, node) in l.nodes.iter().enumerate() {
        match node.kind {
            NodeKind::Dummy => {}
            NodeKind::Question(q) => question_box(&mut s, &tree.questions[q], l, n, href_base),
            NodeKind::Verdict(v) => verdict_box(&mut s, &tree.verdicts[v], calls, l, n, href_base),
        }
    }
    s.push_str("</svg>");
    s
}

/// One swatch per call.
fn legend(s: &mut String, calls: &[EnumValue]) {
    let mut x = MARGIN;
    for call in calls {
        let _ = write!(
            s,
            r#"<g class="pb-tm-legend pb-tm-tone-{t}" data-map-call="{c}"><rect x="{x}" y="{y}" width="14" height="14" rx="3"/><text x="{tx}" y="{ty}">{label}</text></g>"#,
            t = escape::xml(call.tone.as_deref().unwrap_or("neutral")),
            c = escape::xml(&call.value),
            y = MARGIN,
            tx = x + 20.0,
            ty = MARGIN + 12.0,
            label = escape::xml(&call.label)
        );
        x += 130.0;
    }
}

/// Every answer's edge, from its row of the question's box to its target.
fn edges(s: &mut String, tree: &Tree, l: &Layout) {
    s.push_str(r#"<g class="pb-tm-edges">"#);
    for e in &l.edges {
        let src = &l.nodes[e.chain[0]];
        let NodeKind::Question(q) = src.kind else {
            continue;
        };
        let question = &tree.questions[q];
        let target = &l.nodes[e.chain[e.chain.len() - 1]];
        let mut points = vec![(src.x() + BOX_W, src.port_y(e.answer))];
        for &d in &e.chain[1..e.chain.len() - 1] {
            let n = &l.nodes[d];
            points.push((n.x(), n.y));
            points.push((n.x() + BOX_W, n.y));
        }
        points.push((target.x() - 2.0, target.entry_y()));
        let mut d = format!("M{:.1} {:.1}", points[0].0, points[0].1);
        for pair in points.windows(2) {
            let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
            if (y1 - y2).abs() < 0.05 {
                let _ = write!(d, "L{x2:.1} {y2:.1}");
            } else {
                let mid = (x1 + x2) / 2.0;
                let _ = write!(d, "C{mid:.1} {y1:.1} {mid:.1} {y2:.1} {x2:.1} {y2:.1}");
            }
        }
        let label = &question.answers[e.answer].label;
        let _ = write!(
            s,
            r#"<path class="pb-tm-edge" d="{d}" marker-end="url(#pb-tm-arrow)" data-answer="{a}"><title>{t}</title></path>"#,
            a = e.answer,
            t = escape::xml(label)
        );
    }
    s.push_str("</g>");
}

/// A question's box: its text, then a row per answer with the port its
/// edge leaves from.
fn question_box(s: &mut String, question: &Question, l: &Layout, n: usize, href_base: &str) {
    let node = &l.nodes[n];
    let (x, y, layer) = (node.x(), node.y, node.layer);
    let _ = write!(
        s,
        r##"<a href="{base}#q-{id}" class="pb-tm-node pb-tm-q" data-node="q-{id}" data-kind="question" data-layer="{layer}" data-order="{order}"><rect x="{x}" y="{y:.1}" width="{BOX_W}" height="{h:.1}" rx="8"/>"##,
        base = escape::xml(href_base),
        id = escape::xml(&question.id),
        order = order_of(l, n),
        h = node.h
    );
    let mut ty = y + PAD;
    for line in &node.head {
        text_line(s, x + PAD, ty, "pb-tm-qtext", line);
        ty += LINE;
    }
    ty += PAD;
    for (k, row) in node.rows.iter().enumerate() {
        let _ = write!(
            s,
            r#"<line class="pb-tm-sep" x1="{x}" y1="{ty:.1}" x2="{x2}" y2="{ty:.1}"/>"#,
            x2 = x + BOX_W
        );
        let mut ry = ty + ROW_PAD;
        for (i, line) in row.iter().enumerate() {
            let shown = if i == 0 {
                format!("→ {line}")
            } else {
                format!("   {line}")
            };
            text_line(s, x + PAD, ry, "pb-tm-answer", &shown);
            ry += LINE;
        }
        let _ = write!(
            s,
            r#"<circle class="pb-tm-port" cx="{cx}" cy="{cy:.1}" r="3"/>"#,
            cx = x + BOX_W,
            cy = node.port_y(k)
        );
        ty += Node::row_h(row);
    }
    s.push_str("</a>");
}

/// A verdict's box, coloured by its call: the call, the title, the confidence.
fn verdict_box(
    s: &mut String,
    verdict: &Verdict,
    calls: &[EnumValue],
    l: &Layout,
    n: usize,
    href_base: &str,
) {
    let node = &l.nodes[n];
    let (x, y, layer) = (node.x(), node.y, node.layer);
    let call = &calls[verdict.call];
    let tone = escape::xml(call.tone.as_deref().unwrap_or("neutral"));
    let value = escape::xml(&call.value);
    let _ = write!(
        s,
        r##"<a href="{base}#v-{id}" class="pb-tm-node pb-tm-v pb-tm-tone-{tone}" data-node="v-{id}" data-kind="verdict" data-map-call="{value}" data-layer="{layer}" data-order="{order}"><rect x="{x}" y="{y:.1}" width="{BOX_W}" height="{h:.1}" rx="8"/>"##,
        base = escape::xml(href_base),
        id = escape::xml(&verdict.id),
        order = order_of(l, n),
        h = node.h
    );
    let mut ty = y + PAD;
    text_line(s, x + PAD, ty, "pb-tm-call", &call.label.to_uppercase());
    ty += LINE;
    for line in &node.head {
        text_line(s, x + PAD, ty, "pb-tm-vtext", line);
        ty += LINE;
    }
    text_line(
        s,
        x + PAD,
        ty,
        "pb-tm-conf",
        &format!("Confidence {}%", verdict.confidence),
    );
    s.push_str("</a>");
}

fn order_of(l: &Layout, n: usize) -> usize {
    l.layers[l.nodes[n].layer]
        .iter()
        .filter(|&&m| l.nodes[m].kind != NodeKind::Dummy)
        .position(|&m| m == n)
        .unwrap_or(0)
}

/// One line of text whose top is at `top`.
fn text_line(s: &mut String, x: f64, top: f64, class: &str, text: &str) {
    let _ = write!(
        s,
        r#"<text class="{class}" x="{x:.1}" y="{y:.1}">{t}</text>"#,
        y = top + 13.0,
        t = escape::xml(text)
    );
}
