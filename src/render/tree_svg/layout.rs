//! Where each box goes: layers by longest path (in topological order),
//! wrapped into rows on a fixed grid of columns, each box in the column
//! nearest its parents; then each arrow's route through the free gutters,
//! in lanes so that arrows side by side do not merge.

use super::*;
use crate::model::tree::Target;

/// Places every question and routes every arrow between questions.
pub(super) fn layout(tree: &Tree) -> Layout {
    let layer = layers(tree);
    let mut nodes = boxes(tree, &layer);
    let incoming = incoming(tree);
    let rows = place(tree, &mut nodes, &incoming);
    let edges = route(tree, &nodes, &incoming, rows.len());
    let height = nodes
        .iter()
        .map(|n| n.y + n.h)
        .fold(MARGIN_Y + LEGEND_H, f64::max)
        + MARGIN_Y;
    let width = 2.0 * MARGIN_X + COLS as f64 * BOX_W + (COLS - 1) as f64 * COL_GAP;
    Layout {
        nodes,
        edges,
        width,
        height,
    }
}

/// Each question's layer: its longest path from the start, counted in
/// questions, found in one pass over a topological order (Kahn's), so it is
/// linear in the tree. The tree is checked to be acyclic and connected;
/// a question the order never reaches keeps layer 0 all the same.
fn layers(tree: &Tree) -> Vec<usize> {
    let n = tree.questions.len();
    let mut indegree = vec![0usize; n];
    for q in &tree.questions {
        for a in &q.answers {
            if let Target::Question(t) = a.target {
                indegree[t] += 1;
            }
        }
    }
    let mut layer = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&q| indegree[q] == 0).collect();
    while let Some(q) = ready.pop() {
        for a in &tree.questions[q].answers {
            if let Target::Question(t) = a.target {
                layer[t] = layer[t].max(layer[q] + 1);
                indegree[t] -= 1;
                if indegree[t] == 0 {
                    ready.push(t);
                }
            }
        }
    }
    layer
}

/// For each question, the answers that lead to it: (question, answer).
fn incoming(tree: &Tree) -> Vec<Vec<(usize, usize)>> {
    let mut incoming = vec![Vec::new(); tree.questions.len()];
    for (q, question) in tree.questions.iter().enumerate() {
        for (k, a) in question.answers.iter().enumerate() {
            if let Target::Question(t) = a.target {
                incoming[t].push((q, k));
            }
        }
    }
    incoming
}

/// A box per question: its number and text, a row per answer, and the
/// chip of the call an answer ends in.
fn boxes(tree: &Tree, layer: &[usize]) -> Vec<Node> {
    tree.questions
        .iter()
        .enumerate()
        .map(|(q, question)| {
            let head = wrap(
                &format!("Q{} {}", question.number, question.text),
                CHARS_BOLD,
            );
            let rows: Vec<Row> = question
                .answers
                .iter()
                .map(|a| Row {
                    label: wrap(&a.label, CHARS),
                    chip: match a.target {
                        Target::Verdict(v) => Some(wrap(&tree.verdicts[v].title, CHARS_CHIP)),
                        Target::Question(_) => None,
                    },
                })
                .collect();
            let mut node = Node {
                question: q,
                layer: layer[q],
                head,
                rows,
                not_sure: question.not_sure,
                h: 0.0,
                row: 0,
                col: 0,
                y: 0.0,
            };
            let not_sure = if node.not_sure {
                2.0 * ROW_PAD + LINE
            } else {
                0.0
            };
            node.h = node.head_h() + node.rows.iter().map(Row::h).sum::<f64>() + not_sure + PAD;
            node
        })
        .collect()
}

/// The order a reader meets the questions in: depth first from the start,
/// answers in order. Breaks ties when placing.
fn reading_order(tree: &Tree) -> Vec<usize> {
    let mut order = vec![usize::MAX; tree.questions.len()];
    let mut next = 0;
    let mut stack = vec![tree.start];
    while let Some(q) = stack.pop() {
        if order[q] != usize::MAX {
            continue;
        }
        order[q] = next;
        next += 1;
        for a in tree.questions[q].answers.iter().rev() {
            if let Target::Question(t) = a.target {
                if order[t] == usize::MAX {
                    stack.push(t);
                }
            }
        }
    }
    for o in order.iter_mut().filter(|o| **o == usize::MAX) {
        *o = next;
        next += 1;
    }
    order
}

/// Places layer after layer: each sorted by where its parents' arrows leave
/// (so arrows cross little), cut into rows of [`COLS`], each box in the free
/// column nearest its parents. Returns each row's nodes.
fn place(tree: &Tree, nodes: &mut [Node], incoming: &[Vec<(usize, usize)>]) -> Vec<Vec<usize>> {
    let order = reading_order(tree);
    let depth = nodes.iter().map(|n| n.layer).max().map_or(0, |d| d + 1);
    let mut by_layer: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (i, n) in nodes.iter().enumerate() {
        by_layer[n.layer].push(i);
    }
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for layer in &mut by_layer {
        // Where the arrows into each box come from, left to right; a box
        // with none (the start) sits on the left.
        let key = |n: usize, nodes: &[Node]| -> f64 {
            let from = &incoming[n];
            if from.is_empty() {
                return MARGIN_X;
            }
            let sum: f64 = from
                .iter()
                .map(|&(q, k)| {
                    let p = &nodes[q];
                    let share = (k as f64 + 0.5) / p.rows.len().max(1) as f64;
                    p.x() + share * BOX_W
                })
                .sum();
            sum / from.len() as f64
        };
        let mut keyed: Vec<(f64, usize, usize)> = layer
            .iter()
            .map(|&n| (key(n, nodes), order[n], n))
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for chunk in keyed.chunks(COLS) {
            let wanted: Vec<usize> = chunk.iter().map(|&(x, _, _)| nearest_col(x)).collect();
            let cols = assign_cols(&wanted);
            let row = rows.len();
            for (&(_, _, n), col) in chunk.iter().zip(cols) {
                nodes[n].row = row;
                nodes[n].col = col;
            }
            rows.push(chunk.iter().map(|&(_, _, n)| n).collect());
        }
    }
    let mut y = MARGIN_Y + LEGEND_H;
    for row in &rows {
        let h = row.iter().map(|&n| nodes[n].h).fold(0.0, f64::max);
        for &n in row {
            nodes[n].y = y;
        }
        y += h + ROW_GAP;
    }
    rows
}

/// The column whose boxes are centred nearest `x`.
fn nearest_col(x: f64) -> usize {
    let c = ((x - MARGIN_X - BOX_W / 2.0) / (BOX_W + COL_GAP)).round();
    c.clamp(0.0, (COLS - 1) as f64) as usize
}

/// Distinct columns, in order, each as near as can be to the one wanted.
fn assign_cols(wanted: &[usize]) -> Vec<usize> {
    let m = wanted.len();
    let mut cols: Vec<usize> = Vec::with_capacity(m);
    for (i, &w) in wanted.iter().enumerate() {
        let lowest = cols.last().map_or(0, |&c: &usize| c + 1);
        // Leave room for the boxes still to come.
        let highest = COLS - (m - i);
        cols.push(w.max(lowest).min(highest));
    }
    cols
}

/// Which gutter an arrow runs down: 0 is left of the first column, `COLS`
/// right of the last.
fn gutter_of(from: &Node, to: &Node) -> usize {
    if to.col > from.col {
        from.col + 1
    } else if to.col < from.col || from.col < COLS / 2 {
        from.col
    } else {
        from.col + 1
    }
}

/// The x of lane `lane` in gutter `g`, counted from the box the arrows leave.
fn lane_x(g: usize, lane: usize) -> f64 {
    let off = 6.0 + lane as f64 * LANE;
    if g == 0 {
        MARGIN_X - off
    } else {
        col_x(g - 1) + BOX_W + off
    }
}

fn lanes_in(g: usize) -> usize {
    let room = if g == 0 || g == COLS {
        MARGIN_X
    } else {
        COL_GAP
    };
    ((room - 12.0) / LANE).floor() as usize + 1
}

/// Greedy interval lanes: each span, in order of its start, takes the first
/// lane free by then, or the one that frees soonest. `spans` is (start, end,
/// id); returns the lane of each id.
fn assign_lanes(spans: &mut [(f64, f64, usize)], lanes: usize, out: &mut [usize]) {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut ends = vec![f64::NEG_INFINITY; lanes.max(1)];
    for &(start, end, id) in spans.iter() {
        let lane = ends
            .iter()
            .position(|&e| e + 3.0 < start)
            .unwrap_or_else(|| {
                ends.iter()
                    .enumerate()
                    .min_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |(i, _)| i)
            });
        ends[lane] = end;
        out[id] = lane;
    }
}

/// Every arrow between questions: out of its answer's row at the side of
/// its gutter, down the gutter in its lane, across the gap above its
/// target's row in another lane, and into the target from the top, arrows
/// into one box spread along its top.
fn route(
    tree: &Tree,
    nodes: &[Node],
    incoming: &[Vec<(usize, usize)>],
    row_count: usize,
) -> Vec<Edge> {
    struct Plan {
        from: usize,
        answer: usize,
        to: usize,
        gutter: usize,
        port: (f64, f64),
        cross_y: f64,
    }
    let mut plans: Vec<Plan> = Vec::new();
    for (q, question) in tree.questions.iter().enumerate() {
        for (k, a) in question.answers.iter().enumerate() {
            let Target::Question(t) = a.target else {
                continue;
            };
            let (s, d) = (&nodes[q], &nodes[t]);
            let gutter = gutter_of(s, d);
            let px = if gutter > s.col { s.x() + BOX_W } else { s.x() };
            plans.push(Plan {
                from: q,
                answer: k,
                to: t,
                gutter,
                port: (px, s.port_y(k)),
                cross_y: d.y - ROW_GAP,
            });
        }
    }
    // Lanes down each gutter.
    let mut vlane = vec![0usize; plans.len()];
    let mut by_gutter: Vec<Vec<(f64, f64, usize)>> = vec![Vec::new(); COLS + 1];
    for (i, p) in plans.iter().enumerate() {
        by_gutter[p.gutter].push((p.port.1, p.cross_y + ROW_GAP, i));
    }
    for (g, spans) in by_gutter.iter_mut().enumerate() {
        assign_lanes(spans, lanes_in(g), &mut vlane);
    }
    let gx: Vec<f64> = plans
        .iter()
        .zip(&vlane)
        .map(|(p, &l)| lane_x(p.gutter, l))
        .collect();
    // Where each arrow enters its target: spread along the top, in the
    // order the arrows arrive from, left to right.
    let mut entry = vec![0.0f64; plans.len()];
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, p) in plans.iter().enumerate() {
        into[p.to].push(i);
    }
    for (t, list) in into.iter_mut().enumerate() {
        debug_assert_eq!(list.len(), incoming[t].len());
        list.sort_by(|&a, &b| gx[a].total_cmp(&gx[b]));
        let m = list.len() as f64;
        let node = &nodes[t];
        for (i, &e) in list.iter().enumerate() {
            let x = node.x() + BOX_W / 2.0 + (i as f64 - (m - 1.0) / 2.0) * 16.0;
            entry[e] = x.clamp(node.x() + 16.0, node.x() + BOX_W - 16.0);
        }
    }
    // Lanes across the gap above each row.
    let mut hlane = vec![0usize; plans.len()];
    let mut by_row: Vec<Vec<(f64, f64, usize)>> = vec![Vec::new(); row_count];
    for (i, p) in plans.iter().enumerate() {
        let (a, b) = (gx[i].min(entry[i]), gx[i].max(entry[i]));
        by_row[nodes[p.to].row].push((a, b, i));
    }
    let cross_lanes = (((ROW_GAP - 14.0) / LANE).floor() as usize) + 1;
    for spans in &mut by_row {
        assign_lanes(spans, cross_lanes, &mut hlane);
    }
    plans
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let hy = p.cross_y + 8.0 + hlane[i] as f64 * LANE;
            let top = nodes[p.to].y;
            Edge {
                from: p.from,
                answer: p.answer,
                to: p.to,
                points: vec![
                    p.port,
                    (gx[i], p.port.1),
                    (gx[i], hy),
                    (entry[i], hy),
                    (entry[i], top - 1.5),
                ],
            }
        })
        .collect()
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

    #[test]
    fn columns_keep_their_order_and_stay_on_the_grid() {
        assert_eq!(assign_cols(&[0, 0]), [0, 1]);
        assert_eq!(assign_cols(&[1, 1]), [0, 1]);
        assert_eq!(assign_cols(&[1]), [1]);
        assert_eq!(assign_cols(&[0]), [0]);
        assert_eq!(nearest_col(MARGIN_X), 0);
        assert_eq!(nearest_col(col_x(1) + BOX_W / 2.0), 1);
        assert_eq!(nearest_col(1e9), COLS - 1);
    }

    #[test]
    fn spans_that_overlap_get_different_lanes() {
        let mut spans = [(0.0, 10.0, 0), (5.0, 20.0, 1), (30.0, 40.0, 2)];
        let mut out = [9; 3];
        assign_lanes(&mut spans, 3, &mut out);
        assert_eq!(out, [0, 1, 0]);
    }
}
