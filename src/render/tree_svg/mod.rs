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

mod draw;
mod layout;

use crate::model::schema::EnumValue;
use crate::model::Tree;
pub use layout::wrap;

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
pub fn render(tree: &Tree, calls: &[EnumValue], href_base: &str) -> String {
    let layout = layout::layout(tree);
    draw::svg(tree, calls, &layout, href_base)
}
