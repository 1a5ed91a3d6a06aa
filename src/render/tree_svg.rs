//! Decision [`Tree`] → an SVG map of the whole tree, drawn at build time.
//!
//! Questions are boxes that list their answers; each answer's edge leaves from
//! its own row, so the label sits at the start of the edge it names. Verdicts
//! are leaves coloured by their call. The layout is layered, left to right:
//! a node's column is its longest path from the start, edges that skip columns
//! pass through reserved slots (dummy nodes) so they never cross a box, and a
//! few barycenter sweeps order each column to reduce crossings. Boxes in one
//! column are stacked, so they cannot overlap.
//!
//! Colours come from the theme's CSS variables when the SVG sits inside a page,
//! with fallbacks (light and dark) when it is opened on its own. No script.

use std::fmt::Write as _;

use crate::escape;
use crate::model::tree::{Call, Target};
use crate::model::Tree;

const BOX_W: f64 = 260.0;
const GAP_X: f64 = 90.0;
const GAP_Y: f64 = 18.0;
const DUMMY_GAP: f64 = 10.0;
const LINE: f64 = 17.0;
const PAD: f64 = 9.0;
const ROW_PAD: f64 = 5.0;
const MARGIN: f64 = 16.0;
const LEGEND_H: f64 = 34.0;
/// Characters per line: a conservative width for 13px sans-serif in BOX_W.
const CHARS_BOLD: usize = 30;
const CHARS: usize = 34;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeKind {
    Question(usize),
    Verdict(usize),
    /// A slot an edge passes through when it skips a column.
    Dummy,
}

#[derive(Debug, Clone)]
struct Node {
    kind: NodeKind,
    layer: usize,
    /// Wrapped text: the question and each answer, or the verdict's title.
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    h: f64,
    y: f64,
}

impl Node {
    fn x(&self) -> f64 {
        MARGIN + self.layer as f64 * (BOX_W + GAP_X)
    }

    fn head_h(&self) -> f64 {
        match self.kind {
            NodeKind::Question(_) => 2.0 * PAD + self.head.len() as f64 * LINE,
            _ => self.h,
        }
    }

    fn row_h(row: &[String]) -> f64 {
        2.0 * ROW_PAD + row.len() as f64 * LINE
    }

    /// Where answer `k`'s edge leaves the box.
    fn port_y(&self, k: usize) -> f64 {
        match self.kind {
            NodeKind::Question(_) => {
                let above: f64 = self.rows[..k].iter().map(|r| Node::row_h(r)).sum();
                self.y + self.head_h() + above + Node::row_h(&self.rows[k]) / 2.0
            }
            _ => self.y + self.h / 2.0,
        }
    }

    /// Where edges arrive.
    fn entry_y(&self) -> f64 {
        match self.kind {
            NodeKind::Question(_) => self.y + self.head_h() / 2.0,
            _ => self.y + self.h / 2.0,
        }
    }
}

/// One answer's edge: the nodes it passes through, from the question to its target.
struct Edge {
    answer: usize,
    chain: Vec<usize>,
}

/// The positioned diagram, before it is written out; tests inspect it too.
struct Layout {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    layers: Vec<Vec<usize>>,
    width: f64,
    height: f64,
}

/// Renders `tree` as an SVG element. Node links go to `href_base#q-<id>` and
/// `href_base#v-<id>`, the anchors of the tree's static version.
pub fn render(tree: &Tree, href_base: &str) -> String {
    let layout = layout(tree);
    write_svg(tree, &layout, href_base)
}

fn layout(tree: &Tree) -> Layout {
    let nq = tree.questions.len();
    let nv = tree.verdicts.len();
    let index = |t: Target| match t {
        Target::Question(q) => q,
        Target::Verdict(v) => nq + v,
    };

    // Longest path from the start. The tree is checked to be acyclic; the
    // round limit keeps a bad tree from looping all the same.
    let mut layer = vec![0usize; nq + nv];
    for _ in 0..=(nq + nv) {
        let mut changed = false;
        for (q, question) in tree.questions.iter().enumerate() {
            for a in &question.answers {
                let t = index(a.target);
                if layer[t] < layer[q] + 1 && t != tree.start {
                    layer[t] = layer[q] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }

    let mut nodes: Vec<Node> = Vec::with_capacity(nq + nv);
    for (q, question) in tree.questions.iter().enumerate() {
        let head = wrap(&question.text, CHARS_BOLD);
        let rows: Vec<Vec<String>> = question
            .answers
            .iter()
            .map(|a| wrap(&a.label, CHARS - 2))
            .collect();
        let h =
            2.0 * PAD + head.len() as f64 * LINE + rows.iter().map(|r| Node::row_h(r)).sum::<f64>();
        nodes.push(Node {
            kind: NodeKind::Question(q),
            layer: layer[q],
            head,
            rows,
            h,
            y: 0.0,
        });
    }
    for (v, verdict) in tree.verdicts.iter().enumerate() {
        let head = wrap(&verdict.title, CHARS_BOLD);
        // Call label, title lines, confidence.
        let h = 2.0 * PAD + (head.len() + 2) as f64 * LINE;
        nodes.push(Node {
            kind: NodeKind::Verdict(v),
            layer: layer[nq + v],
            head,
            rows: Vec::new(),
            h,
            y: 0.0,
        });
    }

    let mut edges = Vec::new();
    for (q, question) in tree.questions.iter().enumerate() {
        for (k, a) in question.answers.iter().enumerate() {
            let t = index(a.target);
            let mut chain = vec![q];
            for l in layer[q] + 1..layer[t] {
                nodes.push(Node {
                    kind: NodeKind::Dummy,
                    layer: l,
                    head: Vec::new(),
                    rows: Vec::new(),
                    h: 0.0,
                    y: 0.0,
                });
                chain.push(nodes.len() - 1);
            }
            chain.push(t);
            edges.push(Edge { answer: k, chain });
        }
    }

    let depth = nodes.iter().map(|n| n.layer).max().unwrap_or(0) + 1;
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (i, n) in nodes.iter().enumerate() {
        layers[n.layer].push(i);
    }
    order_layers(&nodes, &edges, &mut layers);
    place(&mut nodes, &edges, &layers);

    let height = nodes
        .iter()
        .map(|n| n.y + n.h)
        .fold(LEGEND_H + MARGIN, f64::max)
        + MARGIN;
    let width = 2.0 * MARGIN + depth as f64 * BOX_W + (depth.saturating_sub(1)) as f64 * GAP_X;
    Layout {
        nodes,
        edges,
        layers,
        width: width.max(2.0 * MARGIN + 3.0 * 150.0),
        height,
    }
}

/// Barycenter ordering: each column sorted by the mean position of its
/// neighbours in the previous column (going right) or the next (going left).
fn order_layers(nodes: &[Node], edges: &[Edge], layers: &mut [Vec<usize>]) {
    // Segments between adjacent columns, with the source's answer share so
    // edges from one question keep their answers' order.
    let mut segs: Vec<(usize, f64, usize)> = Vec::new();
    for e in edges {
        for w in e.chain.windows(2) {
            let share = match nodes[w[0]].kind {
                NodeKind::Question(_) => {
                    (e.answer as f64 + 0.5) / nodes[w[0]].rows.len().max(1) as f64
                }
                _ => 0.5,
            };
            segs.push((w[0], share, w[1]));
        }
    }
    let mut pos = vec![0.0f64; nodes.len()];
    let set_pos = |layers: &[Vec<usize>], pos: &mut [f64]| {
        for layer in layers {
            for (p, &n) in layer.iter().enumerate() {
                pos[n] = p as f64;
            }
        }
    };
    set_pos(layers, &mut pos);
    // Even sweeps go right, odd ones left; ending on a rightward sweep.
    for sweep in 0..9 {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for l in range {
            let mut keyed: Vec<(f64, usize)> = layers[l]
                .iter()
                .map(|&n| {
                    let (sum, count) = segs
                        .iter()
                        .filter_map(|&(from, share, to)| {
                            if down && to == n {
                                Some(pos[from] + share)
                            } else if !down && from == n {
                                Some(pos[to] + 0.5)
                            } else {
                                None
                            }
                        })
                        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
                    let key = if count == 0 {
                        pos[n] + 0.5
                    } else {
                        sum / count as f64
                    };
                    (key, n)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[l] = keyed.into_iter().map(|(_, n)| n).collect();
            for (p, &n) in layers[l].iter().enumerate() {
                pos[n] = p as f64;
            }
        }
    }
}

/// Stacks each column top to bottom, moving each box down towards the mean
/// height of the edges that arrive at it, never up into the box above.
fn place(nodes: &mut [Node], edges: &[Edge], layers: &[Vec<usize>]) {
    let top = MARGIN + LEGEND_H;
    for layer in layers {
        let mut cursor = top;
        let mut prev_dummy = true;
        for &n in layer {
            let mut sum = 0.0;
            let mut count = 0;
            for e in edges {
                for (i, w) in e.chain.windows(2).enumerate() {
                    if w[1] == n {
                        let from = &nodes[w[0]];
                        sum += if i == 0 {
                            from.port_y(e.answer)
                        } else {
                            from.entry_y()
                        };
                        count += 1;
                    }
                }
            }
            let node = &nodes[n];
            let is_dummy = node.kind == NodeKind::Dummy;
            let gap = if is_dummy || prev_dummy {
                DUMMY_GAP
            } else {
                GAP_Y
            };
            let min_y = if cursor == top { top } else { cursor + gap };
            let wanted = if count == 0 {
                min_y
            } else {
                sum / count as f64 - (node.entry_y() - node.y)
            };
            let y = wanted.max(min_y);
            nodes[n].y = y;
            cursor = y + nodes[n].h;
            prev_dummy = is_dummy;
        }
    }
}

fn write_svg(tree: &Tree, l: &Layout, href_base: &str) -> String {
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

    // Legend.
    let mut x = MARGIN;
    for call in Call::ALL {
        let _ = write!(
            s,
            r#"<g class="pb-tm-legend pb-tm-{c}"><rect x="{x}" y="{y}" width="14" height="14" rx="3"/><text x="{tx}" y="{ty}">{label}</text></g>"#,
            c = call.name(),
            y = MARGIN,
            tx = x + 20.0,
            ty = MARGIN + 12.0,
            label = escape::xml(call.label())
        );
        x += 130.0;
    }

    // Edges first, so boxes sit on top of them.
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

    for (n, node) in l.nodes.iter().enumerate() {
        let (x, y) = (node.x(), node.y);
        let layer = node.layer;
        match node.kind {
            NodeKind::Dummy => {}
            NodeKind::Question(q) => {
                let question = &tree.questions[q];
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
                    text_line(&mut s, x + PAD, ty, "pb-tm-qtext", line);
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
                        text_line(&mut s, x + PAD, ry, "pb-tm-answer", &shown);
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
            NodeKind::Verdict(v) => {
                let verdict = &tree.verdicts[v];
                let call = verdict.call.name();
                let _ = write!(
                    s,
                    r##"<a href="{base}#v-{id}" class="pb-tm-node pb-tm-v pb-tm-{call}" data-node="v-{id}" data-kind="verdict" data-map-call="{call}" data-layer="{layer}" data-order="{order}"><rect x="{x}" y="{y:.1}" width="{BOX_W}" height="{h:.1}" rx="8"/>"##,
                    base = escape::xml(href_base),
                    id = escape::xml(&verdict.id),
                    order = order_of(l, n),
                    h = node.h
                );
                let mut ty = y + PAD;
                text_line(
                    &mut s,
                    x + PAD,
                    ty,
                    "pb-tm-call",
                    &verdict.call.label().to_uppercase(),
                );
                ty += LINE;
                for line in &node.head {
                    text_line(&mut s, x + PAD, ty, "pb-tm-vtext", line);
                    ty += LINE;
                }
                text_line(
                    &mut s,
                    x + PAD,
                    ty,
                    "pb-tm-conf",
                    &format!("Confidence {}%", verdict.confidence),
                );
                s.push_str("</a>");
            }
        }
    }
    s.push_str("</svg>");
    s
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

/// Greedy word wrap to `width` characters; a longer word is cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word[..width].iter().collect());
            word.drain(..width);
        }
        let word: String = word.into_iter().collect();
        if word.is_empty() {
            continue;
        }
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Scoped to `.pb-tree-map`, so it styles nothing else when inlined in a page.
/// Inside a page the theme's variables win; alone, the fallbacks apply.
const STYLE: &str = r#"<style>
.pb-tree-map { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 13px; }
.pb-tree-map text { fill: var(--text, #1d1f23); }
.pb-tree-map .pb-tm-q rect { fill: var(--surface, #ffffff); stroke: var(--muted, #5b616b); stroke-width: 1.5; }
.pb-tree-map .pb-tm-qtext { font-weight: 700; }
.pb-tree-map .pb-tm-sep { stroke: var(--line, #e3e0d8); }
.pb-tree-map .pb-tm-port, .pb-tree-map .pb-tm-head { fill: var(--muted, #5b616b); }
.pb-tree-map .pb-tm-edge { fill: none; stroke: var(--muted, #5b616b); stroke-width: 1.4; opacity: 0.75; }
.pb-tree-map .pb-tm-v rect, .pb-tree-map .pb-tm-legend rect { stroke-width: 2; }
.pb-tree-map .pb-tm-open rect { fill: var(--open-soft, #e3f4ea); stroke: var(--open, #1d7a46); }
.pb-tree-map .pb-tm-closed rect { fill: var(--closed-soft, #fbe8e3); stroke: var(--closed, #a2331f); }
.pb-tree-map .pb-tm-hybrid rect { fill: var(--hybrid-soft, #fbf1d6); stroke: var(--hybrid, #7a5a00); }
.pb-tree-map .pb-tm-call { font-size: 11px; font-weight: 700; letter-spacing: 0.06em; }
.pb-tree-map .pb-tm-open .pb-tm-call { fill: var(--open, #1d7a46); }
.pb-tree-map .pb-tm-closed .pb-tm-call { fill: var(--closed, #a2331f); }
.pb-tree-map .pb-tm-hybrid .pb-tm-call { fill: var(--hybrid, #7a5a00); }
.pb-tree-map .pb-tm-vtext { font-weight: 600; }
.pb-tree-map .pb-tm-conf { fill: var(--muted, #5b616b); font-size: 12px; }
.pb-tree-map a:hover rect, .pb-tree-map a:focus rect { stroke: var(--accent, #1f5fbf); stroke-width: 3; }
@media (prefers-color-scheme: dark) {
  .pb-tree-map text { fill: var(--text, #e6e4df); }
  .pb-tree-map .pb-tm-q rect { fill: var(--surface, #1d2026); stroke: var(--muted, #a2a7b0); }
  .pb-tree-map .pb-tm-sep { stroke: var(--line, #32363e); }
  .pb-tree-map .pb-tm-port, .pb-tree-map .pb-tm-head { fill: var(--muted, #a2a7b0); }
  .pb-tree-map .pb-tm-edge { stroke: var(--muted, #a2a7b0); }
  .pb-tree-map .pb-tm-open rect { fill: var(--open-soft, #183325); stroke: var(--open, #6fd39a); }
  .pb-tree-map .pb-tm-closed rect { fill: var(--closed-soft, #3a201b); stroke: var(--closed, #ff9b85); }
  .pb-tree-map .pb-tm-hybrid rect { fill: var(--hybrid-soft, #352c12); stroke: var(--hybrid, #f0cd6a); }
  .pb-tree-map .pb-tm-open .pb-tm-call { fill: var(--open, #6fd39a); }
  .pb-tree-map .pb-tm-closed .pb-tm-call { fill: var(--closed, #ff9b85); }
  .pb-tree-map .pb-tm-hybrid .pb-tm-call { fill: var(--hybrid, #f0cd6a); }
  .pb-tree-map .pb-tm-conf { fill: var(--muted, #a2a7b0); }
}
@media print {
  .pb-tree-map text { fill: #000; }
  .pb-tree-map .pb-tm-edge { stroke: #444; opacity: 1; }
}
</style>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_word_boundaries_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }
}
