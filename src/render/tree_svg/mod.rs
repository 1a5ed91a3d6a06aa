//! Decision [`Tree`] → an SVG map of the whole tree, drawn at build time.
//!
//! The map reads from the top down and fits a page column: at its natural
//! size (about 660 px wide, 13 px text) it needs no scaling in the theme's
//! column at 1,024 px. Each question is a box, numbered as on paper (Q1…),
//! listing its answers; each answer says where it leads: "→ Q4", with an
//! arrow to that question's box, or the call it ends in, drawn in the
//! answer's row as a chip coloured by the call ("→ C3 · Stay closed · 80%"
//! and the verdict's title). So only questions are laid out, and most of
//! the tree's width disappears.
//!
//! Layout: a question's layer is its longest path from the start (every
//! arrow points down); layers are wrapped into rows of at most [`COLS`]
//! boxes on a fixed grid, so the gutters between columns are always free
//! for arrows to run down; each box goes to the column nearest its parents.
//! An arrow leaves its answer's row at the side facing its target, runs down
//! its gutter in a lane of its own, crosses in the gap above the target's
//! row and enters the box from the top. Every step is linear in the tree
//! (or n·log n, for sorting), so a tree of thousands of questions lays out
//! in moments.
//!
//! Colours come from the theme's CSS variables when the SVG sits inside a page,
//! with fallbacks (light and dark) when it is opened on its own. The reader's
//! path, when decide-map.html is opened from a result, is marked by
//! decide.js with classes the style sheet draws.

mod draw;
mod layout;

use crate::model::schema::EnumValue;
use crate::model::Tree;
pub use layout::wrap;

/// Boxes side by side at most.
const COLS: usize = 2;
const BOX_W: f64 = 290.0;
/// The gutter between two columns, where arrows run.
const COL_GAP: f64 = 36.0;
/// The gutters outside the first and last column.
const MARGIN_X: f64 = 20.0;
const MARGIN_Y: f64 = 16.0;
/// The gap between rows, where arrows cross to their target.
const ROW_GAP: f64 = 40.0;
const LINE: f64 = 17.0;
const PAD: f64 = 10.0;
const ROW_PAD: f64 = 6.0;
/// The chip of a call inside an answer's row: its inset from the box's text.
const CHIP_INSET: f64 = 0.0;
const LEGEND_H: f64 = 30.0;
/// Lanes are this far apart in a gutter or a gap.
const LANE: f64 = 5.0;
/// Characters per line, conservative for 13px sans-serif in the box's width.
const CHARS_BOLD: usize = 31;
const CHARS: usize = 36;
const CHARS_CHIP: usize = 31;

/// One question's box, before it is placed.
#[derive(Debug, Clone)]
struct Node {
    question: usize,
    layer: usize,
    /// Wrapped text: the question (its first line after the number).
    head: Vec<String>,
    rows: Vec<Row>,
    /// The "Not sure" row, when the question offers it.
    not_sure: bool,
    h: f64,
    /// Placed: the row of the grid and the column.
    row: usize,
    col: usize,
    y: f64,
}

/// One answer's row in its question's box.
#[derive(Debug, Clone)]
struct Row {
    label: Vec<String>,
    /// For an answer that ends in a call, the verdict's title wrapped for
    /// its chip.
    chip: Option<Vec<String>>,
}

impl Row {
    fn h(&self) -> f64 {
        let target = match &self.chip {
            Some(title) => Row::chip_h(title),
            None => LINE,
        };
        2.0 * ROW_PAD + self.label.len() as f64 * LINE + target
    }

    fn chip_h(title: &[String]) -> f64 {
        2.0 * ROW_PAD + (1 + title.len()) as f64 * LINE
    }
}

impl Node {
    fn x(&self) -> f64 {
        col_x(self.col)
    }

    fn head_h(&self) -> f64 {
        PAD + self.head.len() as f64 * LINE + PAD / 2.0
    }

    /// The top of answer `k`'s row.
    fn row_y(&self, k: usize) -> f64 {
        self.y + self.head_h() + self.rows[..k].iter().map(Row::h).sum::<f64>()
    }

    /// Where answer `k`'s arrow leaves the box: level with its "→ Q4".
    fn port_y(&self, k: usize) -> f64 {
        self.row_y(k) + ROW_PAD + self.rows[k].label.len() as f64 * LINE + LINE / 2.0
    }
}

fn col_x(col: usize) -> f64 {
    MARGIN_X + col as f64 * (BOX_W + COL_GAP)
}

/// One answer's arrow, from a question to the question it leads to.
#[derive(Debug, Clone)]
struct Edge {
    from: usize,
    answer: usize,
    to: usize,
    /// The route, corner by corner, from the port to the target's top.
    points: Vec<(f64, f64)>,
}

/// The positioned diagram, before it is written out.
struct Layout {
    /// Indexed like the tree's questions.
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    width: f64,
    height: f64,
}

/// Renders `tree` as an SVG element. Links go to `href_base#q-<id>` and
/// `href_base#v-<id>`, the anchors of the tree's static version.
pub fn render(tree: &Tree, calls: &[EnumValue], href_base: &str) -> String {
    let layout = layout::layout(tree);
    draw::svg(tree, calls, &layout, href_base)
}
