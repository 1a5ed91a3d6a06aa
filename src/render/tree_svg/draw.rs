//! The laid-out tree → SVG text: the legend, a box per question (its
//! number, its text, a row per answer with where it leads), then the arrows
//! between questions, drawn last so their heads sit on the boxes' edges.

use std::fmt::Write as _;

use super::*;
use crate::escape;
use crate::model::schema::EnumValue;
use crate::model::tree::{Question, Target};

/// Scoped to `.pb-tree-map`, so it styles nothing else when inlined in a page.
/// Inside a page the theme's variables win; alone, the fallbacks apply.
const STYLE: &str = concat!("<style>", include_str!("map.css"), "</style>");

/// The baseline of 13px text whose line starts at `top`.
const BASELINE: f64 = 13.0;

/// The laid-out tree as SVG text.
pub(super) fn svg(tree: &Tree, calls: &[EnumValue], l: &Layout, href_base: &str) -> String {
    let (w, h) = (l.width.ceil(), l.height.ceil());
    let mut s = String::with_capacity(2048 + tree.questions.len() * 2048);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="pb-tree-map" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-labelledby="pb-tm-title" data-tree-map="" data-start="{start}">"#,
        start = escape::xml(&tree.questions[tree.start].id)
    );
    let _ = write!(
        s,
        r#"<title id="pb-tm-title">{}: the whole decision tree, from Q1 at the top to the calls</title>"#,
        escape::xml(&tree.title)
    );
    s.push_str(STYLE);
    s.push_str(concat!(
        r#"<defs><marker id="pb-tm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="pb-tm-head" d="M0 0L10 5L0 10z"/></marker>"#,
        r#"<marker id="pb-tm-arrow-on" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="3.5" markerHeight="3.5" orient="auto-start-reverse"><path class="pb-tm-head-on" d="M0 0L10 5L0 10z"/></marker></defs>"#
    ));
    legend(&mut s, calls);
    for node in &l.nodes {
        question_box(&mut s, tree, calls, node, href_base);
    }
    edges(&mut s, tree, l);
    s.push_str("</svg>");
    s
}

/// One swatch per call, and what the numbers mean.
fn legend(s: &mut String, calls: &[EnumValue]) {
    let mut x = MARGIN_X;
    let y = MARGIN_Y;
    for call in calls {
        let _ = write!(
            s,
            r#"<g class="pb-tm-legend pb-tm-tone-{t}" data-map-call="{c}"><rect x="{x}" y="{y}" width="14" height="14" rx="3"/><text x="{tx}" y="{ty}">{label}</text></g>"#,
            t = escape::xml(call.tone.as_deref().unwrap_or("neutral")),
            c = escape::xml(&call.value),
            tx = x + 20.0,
            ty = y + 12.0,
            label = escape::xml(&call.label)
        );
        x += 28.0 + 7.5 * call.label.chars().count() as f64;
    }
    let _ = write!(
        s,
        r#"<text class="pb-tm-key" x="{x}" y="{ty}">Q: a question · C: a call</text>"#,
        x = x + 8.0,
        ty = y + 12.0
    );
}

/// A question's box: its number and text (a link to its full text), then
/// a row per answer, with the question it leads to or the call's chip.
fn question_box(s: &mut String, tree: &Tree, calls: &[EnumValue], node: &Node, base: &str) {
    let question: &Question = &tree.questions[node.question];
    let (x, y) = (node.x(), node.y);
    let base = escape::xml(base);
    let id = escape::xml(&question.id);
    let _ = write!(
        s,
        r##"<g class="pb-tm-node pb-tm-q" data-node="q-{id}" data-kind="question" data-number="Q{n}" data-layer="{layer}" data-row="{row}" data-col="{col}"><rect class="pb-tm-box" x="{x}" y="{y:.1}" width="{BOX_W}" height="{h:.1}" rx="8"/>"##,
        n = question.number,
        layer = node.layer,
        row = node.row,
        col = node.col,
        h = node.h
    );
    let _ = write!(s, r##"<a href="{base}#q-{id}" class="pb-tm-qlink">"##);
    let number = format!("Q{}", question.number);
    let mut ty = y + PAD;
    for (i, line) in node.head.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text class="pb-tm-qtext" x="{tx:.1}" y="{by:.1}">"#,
            tx = x + PAD,
            by = ty + BASELINE
        );
        match line.strip_prefix(&number).filter(|_| i == 0) {
            Some(rest) => {
                let _ = write!(
                    s,
                    r#"<tspan class="pb-tm-num">{number}</tspan>{}"#,
                    escape::xml(rest)
                );
            }
            None => s.push_str(&escape::xml(line)),
        }
        s.push_str("</text>");
        ty += LINE;
    }
    s.push_str("</a>");
    for (k, (row, answer)) in node.rows.iter().zip(&question.answers).enumerate() {
        let top = node.row_y(k);
        let to = match answer.target {
            Target::Question(t) => format!("q-{}", tree.questions[t].id),
            Target::Verdict(v) => format!("v-{}", tree.verdicts[v].id),
        };
        let _ = write!(
            s,
            r#"<g class="pb-tm-row" data-answer-id="{a}" data-to="{to}"><rect class="pb-tm-rowbg" x="{x1}" y="{top:.1}" width="{w}" height="{h:.1}"/><line class="pb-tm-sep" x1="{x}" y1="{top:.1}" x2="{x2}" y2="{top:.1}"/>"#,
            a = escape::xml(&answer.id),
            to = escape::xml(&to),
            x1 = x + 1.5,
            w = BOX_W - 3.0,
            h = row.h(),
            x2 = x + BOX_W
        );
        let mut ly = top + ROW_PAD;
        for line in &row.label {
            text_line(s, x + PAD, ly, "pb-tm-answer", line);
            ly += LINE;
        }
        match (answer.target, &row.chip) {
            (Target::Verdict(v), Some(title)) => {
                let verdict = &tree.verdicts[v];
                let call = &calls[verdict.call];
                let tone = escape::xml(call.tone.as_deref().unwrap_or("neutral"));
                let cx = x + PAD + CHIP_INSET;
                let cw = BOX_W - 2.0 * (PAD + CHIP_INSET);
                let _ = write!(
                    s,
                    r##"<a href="{base}#v-{vid}" class="pb-tm-chip pb-tm-tone-{tone}" data-kind="verdict" data-node="v-{vid}" data-number="C{n}" data-map-call="{value}"><rect class="pb-tm-chipbox" x="{cx}" y="{ly:.1}" width="{cw}" height="{ch:.1}" rx="6"/>"##,
                    vid = escape::xml(&verdict.id),
                    n = verdict.number,
                    value = escape::xml(&call.value),
                    ch = Row::chip_h(title)
                );
                let mut cy = ly + ROW_PAD;
                let head = format!(
                    "→ C{} · {} · {}%",
                    verdict.number, call.label, verdict.confidence
                );
                text_line(s, cx + 8.0, cy, "pb-tm-call", &head);
                cy += LINE;
                for line in title {
                    text_line(s, cx + 8.0, cy, "pb-tm-vtext", line);
                    cy += LINE;
                }
                s.push_str("</a>");
            }
            (Target::Question(t), _) => {
                let _ = write!(
                    s,
                    r##"<a href="{base}#q-{tid}" class="pb-tm-to">"##,
                    tid = escape::xml(&tree.questions[t].id)
                );
                text_line(
                    s,
                    x + PAD,
                    ly,
                    "pb-tm-totext",
                    &format!("→ Q{}", tree.questions[t].number),
                );
                s.push_str("</a>");
            }
            (Target::Verdict(_), None) => {}
        }
        s.push_str("</g>");
    }
    if node.not_sure {
        let top = node.y + node.h - PAD - 2.0 * ROW_PAD - LINE;
        let _ = write!(
            s,
            r#"<g class="pb-tm-row pb-tm-unsure"><line class="pb-tm-sep" x1="{x}" y1="{top:.1}" x2="{x2}" y2="{top:.1}"/>"#,
            x2 = x + BOX_W
        );
        text_line(
            s,
            x + PAD,
            top + ROW_PAD,
            "pb-tm-note",
            "Not sure → every answer above",
        );
        s.push_str("</g>");
    }
    s.push_str("</g>");
}

/// Every arrow between questions, with rounded corners, each naming the
/// answer it draws.
fn edges(s: &mut String, tree: &Tree, l: &Layout) {
    s.push_str(r#"<g class="pb-tm-edges">"#);
    for e in &l.edges {
        let question = &tree.questions[e.from];
        let answer = &question.answers[e.answer];
        let ports = &l.nodes[e.from];
        let _ = write!(
            s,
            r#"<circle class="pb-tm-port" cx="{cx:.1}" cy="{cy:.1}" r="3"/>"#,
            cx = e.points[0].0,
            cy = ports.port_y(e.answer)
        );
        let _ = write!(
            s,
            r#"<path class="pb-tm-edge" d="{d}" marker-end="url(#pb-tm-arrow)" data-from="q-{from}" data-to="q-{to}" data-answer-id="{a}"><title>{t}</title></path>"#,
            d = rounded(&e.points, 6.0),
            from = escape::xml(&question.id),
            to = escape::xml(&tree.questions[e.to].id),
            a = escape::xml(&answer.id),
            t = escape::xml(&format!(
                "Q{}: {} → Q{}",
                question.number, answer.label, tree.questions[e.to].number
            ))
        );
    }
    s.push_str("</g>");
}

/// The path through `points`, each corner rounded to radius `r` (less when
/// the segments beside it are short).
fn rounded(points: &[(f64, f64)], r: f64) -> String {
    let mut d = String::new();
    let Some(&(x0, y0)) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{x0:.1} {y0:.1}");
    let dist = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let toward = |from: (f64, f64), to: (f64, f64), by: f64| {
        let len = dist(from, to);
        if len == 0.0 {
            from
        } else {
            (
                from.0 + (to.0 - from.0) * by / len,
                from.1 + (to.1 - from.1) * by / len,
            )
        }
    };
    for w in points.windows(3) {
        let (prev, at, next) = (w[0], w[1], w[2]);
        let r = r.min(dist(prev, at) / 2.0).min(dist(at, next) / 2.0);
        let a = toward(at, prev, r);
        let b = toward(at, next, r);
        let _ = write!(
            d,
            "L{:.1} {:.1}Q{:.1} {:.1} {:.1} {:.1}",
            a.0, a.1, at.0, at.1, b.0, b.1
        );
    }
    if let Some(&(x, y)) = points.last().filter(|_| points.len() > 1) {
        let _ = write!(d, "L{x:.1} {y:.1}");
    }
    d
}

/// One line of text whose top is at `top`.
fn text_line(s: &mut String, x: f64, top: f64, class: &str, text: &str) {
    let _ = write!(
        s,
        r#"<text class="{class}" x="{x:.1}" y="{y:.1}">{t}</text>"#,
        y = top + BASELINE,
        t = escape::xml(text)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_are_rounded_and_short_segments_keep_their_shape() {
        assert_eq!(
            rounded(&[(0.0, 0.0), (10.0, 0.0), (10.0, 20.0)], 4.0),
            "M0.0 0.0L6.0 0.0Q10.0 0.0 10.0 4.0L10.0 20.0"
        );
        assert_eq!(
            rounded(&[(0.0, 0.0), (2.0, 0.0), (2.0, 20.0)], 4.0),
            "M0.0 0.0L1.0 0.0Q2.0 0.0 2.0 1.0L2.0 20.0"
        );
        assert_eq!(rounded(&[], 4.0), "");
    }
}
