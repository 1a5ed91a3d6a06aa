//! Where each box goes: layered left to right by longest path, edges that
//! skip columns routed through dummy nodes, columns ordered to reduce
//! crossings, boxes stacked so none overlap.

use super::*;
use crate::model::tree::Target;

/// Places every node: layers by longest path, dummy nodes where an edge
/// skips a layer, then crossing reduction and vertical placement.
pub(super) fn layout(tree: &Tree) -> Layout {
    let layer = layers(tree);
    let mut nodes = boxes(tree, &layer);
    let edges = route(tree, &layer, &mut nodes);
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

/// Node index of an answer's target: questions first, then verdicts.
fn index(tree: &Tree, t: Target) -> usize {
    match t {
        Target::Question(q) => q,
        Target::Verdict(v) => tree.questions.len() + v,
    }
}

/// Each question's and verdict's column: its longest path from the start.
fn layers(tree: &Tree) -> Vec<usize> {
    let (nq, nv) = (tree.questions.len(), tree.verdicts.len());
    // The tree is checked to be acyclic; the round limit keeps a bad tree
    // from looping all the same.
    let mut layer = vec![0usize; nq + nv];
    for _ in 0..=(nq + nv) {
        let mut changed = false;
        for (q, question) in tree.questions.iter().enumerate() {
            for a in &question.answers {
                let t = index(tree, a.target);
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
    layer
}

/// A box per question (its text wrapped, a row per answer) and per verdict.
fn boxes(tree: &Tree, layer: &[usize]) -> Vec<Node> {
    let nq = tree.questions.len();
    let mut nodes: Vec<Node> = Vec::with_capacity(nq + tree.verdicts.len());
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
    nodes
}

/// Each answer's edge, through a dummy node in every column it skips.
fn route(tree: &Tree, layer: &[usize], nodes: &mut Vec<Node>) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (q, question) in tree.questions.iter().enumerate() {
        for (k, a) in question.answers.iter().enumerate() {
            let t = index(tree, a.target);
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
    edges
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
