//! The decision tree drawn as an SVG map at build time: top down, a box per
//! question on a grid of columns that fits the page, each answer's call as a
//! chip in its row, arrows only between questions and never through a box.

use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

use crate::site_test::SiteTest;

/// The `<svg>…</svg>` element of an HTML page, parsed as XML: proves the
/// inline copy is well-formed too.
fn inline_svg(html: &str) -> String {
    let start = html.find("<svg").expect("no <svg> in the page");
    let end = html[start..].find("</svg>").unwrap() + start + "</svg>".len();
    html[start..end].to_string()
}

#[derive(Debug)]
struct Box_ {
    node: String,
    layer: usize,
    row: usize,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Box_ {
    /// Whether (x, y) is inside, more than `margin` from every edge.
    fn holds(&self, x: f64, y: f64, margin: f64) -> bool {
        x > self.x + margin
            && x < self.x + self.w - margin
            && y > self.y + margin
            && y < self.y + self.h - margin
    }
}

/// An arrow: from, to, the answer's id, the points of its path.
type Arrow = (String, String, String, Vec<(f64, f64)>);

/// A map's parts: question boxes, verdict chips (inside them) and arrows.
struct Map {
    width: f64,
    questions: Vec<Box_>,
    /// (the chip's node, its box, the question box it sits in, its href)
    chips: Vec<(String, Box_, String, String)>,
    edges: Vec<Arrow>,
    hrefs: Vec<String>,
    text: String,
}

fn rect_of(n: roxmltree::Node, node: &str) -> Box_ {
    let rect = n
        .children()
        .find(|c| c.has_tag_name("rect"))
        .unwrap_or_else(|| panic!("{node} has no box"));
    let num = |a: &str| rect.attribute(a).unwrap().parse::<f64>().unwrap();
    Box_ {
        node: node.to_string(),
        layer: n.attribute("data-layer").map_or(0, |v| v.parse().unwrap()),
        row: n.attribute("data-row").map_or(0, |v| v.parse().unwrap()),
        x: num("x"),
        y: num("y"),
        w: num("width"),
        h: num("height"),
    }
}

/// Every coordinate pair of a path's `d` (M, L and Q commands).
fn points(d: &str) -> Vec<(f64, f64)> {
    let nums: Vec<f64> = d
        .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    nums.chunks(2).map(|p| (p[0], p[1])).collect()
}

fn parse(svg: &str) -> Map {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let width = root.attribute("width").unwrap().parse().unwrap();
    let mut map = Map {
        width,
        questions: Vec::new(),
        chips: Vec::new(),
        edges: Vec::new(),
        hrefs: Vec::new(),
        text: String::new(),
    };
    for n in doc.descendants() {
        match n.attribute("data-kind") {
            Some("question") => {
                map.questions
                    .push(rect_of(n, n.attribute("data-node").unwrap()));
            }
            Some("verdict") => {
                let owner = n
                    .ancestors()
                    .find(|a| a.attribute("data-kind") == Some("question"))
                    .expect("a chip outside any question's box");
                map.chips.push((
                    n.attribute("data-node").unwrap().to_string(),
                    rect_of(n, n.attribute("data-node").unwrap()),
                    owner.attribute("data-node").unwrap().to_string(),
                    n.attribute("href").unwrap().to_string(),
                ));
            }
            _ => {}
        }
        if n.attribute("class") == Some("pb-tm-edge") {
            map.edges.push((
                n.attribute("data-from").unwrap().into(),
                n.attribute("data-to").unwrap().into(),
                n.attribute("data-answer-id").unwrap().into(),
                points(n.attribute("d").unwrap()),
            ));
        }
        if let Some(href) = n.attribute("href") {
            map.hrefs.push(href.to_string());
        }
        if n.is_text() {
            map.text.push_str(n.text().unwrap_or(""));
            map.text.push(' ');
        }
    }
    map
}

/// No two question boxes overlap; every box and chip is inside the map;
/// every chip inside its question's box; arrows start on their box's side,
/// end on their target's top, and never pass through a box.
fn assert_readable(map: &Map) {
    let q = &map.questions;
    for (i, a) in q.iter().enumerate() {
        assert!(
            a.x >= 0.0 && a.x + a.w <= map.width,
            "{} leaves the map",
            a.node
        );
        for b in &q[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(apart, "{} and {} overlap", a.node, b.node);
        }
    }
    let by_node: std::collections::HashMap<&str, &Box_> =
        q.iter().map(|b| (b.node.as_str(), b)).collect();
    for (chip, r, owner, _) in &map.chips {
        let o = by_node[owner.as_str()];
        assert!(
            r.x >= o.x && r.x + r.w <= o.x + o.w && r.y >= o.y && r.y + r.h <= o.y + o.h,
            "{chip} is not inside {owner}"
        );
    }
    for (from, to, answer, pts) in &map.edges {
        let (s, t) = (by_node[from.as_str()], by_node[to.as_str()]);
        assert!(t.row > s.row, "{from} → {to} does not point down");
        let first = pts[0];
        assert!(
            (first.0 - s.x).abs() < 0.2 || (first.0 - (s.x + s.w)).abs() < 0.2,
            "{from}/{answer} does not leave from its box's side"
        );
        let last = pts[pts.len() - 1];
        assert!(
            last.0 > t.x && last.0 < t.x + t.w && (last.1 - t.y).abs() < 3.0,
            "{from}/{answer} does not end on {to}'s top"
        );
        for &(x, y) in &pts[1..pts.len() - 1] {
            for b in q {
                assert!(
                    !b.holds(x, y, 0.5),
                    "{from}/{answer} passes through {}",
                    b.node
                );
            }
        }
        // Vertical runs are in a gutter: beside every box, not over one.
        for w in pts.windows(2) {
            if (w[0].0 - w[1].0).abs() < 0.05 && (w[0].1 - w[1].1).abs() > 1.0 {
                let (lo, hi) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
                for b in q {
                    let across = w[0].0 > b.x + 0.5 && w[0].0 < b.x + b.w - 0.5;
                    let level = lo < b.y + b.h - 0.5 && hi > b.y + 0.5;
                    assert!(
                        !(across && level),
                        "{from}/{answer} runs down through {}",
                        b.node
                    );
                }
            }
        }
    }
}

#[test]
fn the_default_tree_map_reads_top_down_and_fits_the_column() {
    let t = SiteTest::default_playbook();
    t.built();
    let svg = t.read("public/assets/decide-tree.svg");
    let map = parse(&svg);
    let questions: Vec<&str> = map.questions.iter().map(|b| b.node.as_str()).collect();
    assert_eq!(questions.len(), 10, "{questions:?}");
    assert!(questions.contains(&"q-harm"));
    let calls: BTreeSet<&str> = map.chips.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(calls.len(), 16, "every call is on the map: {calls:?}");
    // One chip per answer that ends in a call: 18 paths, one answer each.
    assert_eq!(map.chips.len(), 18);
    // Drawn to fit a page column at its natural size: no shrinking text.
    assert!(map.width <= 680.0, "the map is {} wide", map.width);
    let harm = map.questions.iter().find(|b| b.node == "q-harm").unwrap();
    assert_eq!((harm.layer, harm.row), (0, 0));
    assert_readable(&map);
    // The standalone file links back to the map page's anchors.
    assert!(map
        .hrefs
        .iter()
        .all(|h| h.starts_with("../decide-map.html#")));
    assert!(map.text.contains("Q1"), "numbered as on paper");
    assert!(
        map.text.contains("→ C3 · Stay closed · 80%"),
        "{}",
        map.text
    );
    // Every answer between questions has its arrow, named by the answer's id.
    assert_eq!(map.edges.len(), 9);
    assert!(map
        .edges
        .iter()
        .any(|e| e.0 == "q-moat" && e.1 == "q-challenger" && e.2 == "behind"));

    // decide-map.html shows it, linking within itself; decide.html links to
    // the map instead of shrinking it into its column.
    let map_html = t.read("public/decide-map.html");
    let inline = parse(&inline_svg(&map_html));
    let page = t.html("decide-map.html");
    let ids = page.ids();
    for href in &inline.hrefs {
        let anchor = href.strip_prefix('#').unwrap();
        assert!(ids.contains(anchor), "{anchor} is not on decide-map.html");
    }
    let decide = t.html("decide.html");
    assert!(decide.select("svg[data-tree-map]").is_empty());
    assert_eq!(decide.hrefs("[data-map-link]"), ["decide-map.html"]);
    // Chips are coloured by their call.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    for n in doc
        .descendants()
        .filter(|n| n.attribute("data-kind") == Some("verdict"))
    {
        let tone = match n.attribute("data-map-call").unwrap() {
            "open" => "good",
            "closed" => "bad",
            "hybrid" => "mixed",
            other => panic!("unknown call {other}"),
        };
        assert!(n
            .attribute("class")
            .unwrap()
            .split(' ')
            .any(|c| c == format!("pb-tm-tone-{tone}")));
    }
}

/// A full binary tree of 31 questions and 32 verdicts, plus answers that skip
/// to a verdict, with labels long enough to wrap and characters XML must escape.
fn big_tree() -> String {
    let mut y = String::from("title: A big <tree> & more\nstart: q0\nquestions:\n");
    let target = |n: usize| {
        if n < 31 {
            format!("next: q{n}")
        } else {
            format!("verdict: v{}", n - 31)
        }
    };
    for i in 0..31 {
        y.push_str(&format!(
            "  q{i}:\n    question: \"Question {i}: is this <long> question & its many words wrapped onto several lines of the box?\"\n    answers:\n      - label: \"Yes, answer {i}a & a rather long label that wraps\"\n        {}\n      - label: \"No <{i}b>\"\n        {}\n",
            target(2 * i + 1),
            target(2 * i + 2)
        ));
        if i == 1 || i == 2 {
            y.push_str("      - label: Skip ahead\n        verdict: v0\n");
        }
    }
    y.push_str("verdicts:\n");
    for v in 0..32 {
        let call = ["open", "closed", "hybrid"][v % 3];
        y.push_str(&format!(
            "  v{v}:\n    call: {call}\n    title: \"Verdict {v} with a title long enough to wrap\"\n    recommend: alpha\n    confidence: 70\n    changes: Something.\n    reasons:\n      - page: open-case\n        text: One.\n      - page: alpha\n        text: Two.\n"
        ));
    }
    y
}

#[test]
fn a_tree_of_63_nodes_renders_without_overlapping_boxes() {
    let t = SiteTest::fixture("all-kinds");
    t.write("content/decide.yaml", big_tree());
    let run = t.build();
    run.success();
    assert!(
        run.stderr.contains("31 questions, 32 verdicts"),
        "{}",
        run.stderr
    );
    let map = parse(&t.read("public/assets/decide-tree.svg"));
    assert_eq!(map.questions.len(), 31);
    assert_eq!(map.questions.iter().map(|b| b.layer).max(), Some(4));
    // The 16 questions of the last layer wrap into rows of two.
    let rows: HashSet<usize> = map.questions.iter().map(|b| b.row).collect();
    assert_eq!(rows.len(), 1 + 1 + 2 + 4 + 8);
    let verdicts: HashSet<&str> = map.chips.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(verdicts.len(), 32);
    assert_eq!(map.chips.len(), 32 + 2);
    assert_readable(&map);
    // Text is escaped, not dropped: the parsed text reads as written.
    assert!(map.text.contains("No <0b>"), "{}", map.text);
    assert!(map.text.contains("A big <tree> & more"));
    // Every answer between questions has an arrow.
    assert_eq!(map.edges.len(), 30);
}

/// A tree of `n` questions, each with two or three answers to later
/// questions (some far below) or to one of 40 verdicts: many shared
/// subtrees, long arrows and more paths than any integer holds.
fn generated_tree(n: usize) -> String {
    let mut y = String::from("title: Generated\nstart: q0\nquestions:\n");
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    for i in 0..n {
        y.push_str(&format!(
            "  q{i}:\n    question: Question {i}, about something that takes a line or two to ask?\n"
        ));
        if i % 7 == 0 {
            y.push_str("    not_sure: true\n");
        }
        y.push_str("    answers:\n");
        for k in 0..3 {
            let last = i + 1 == n;
            if !last && (k == 0 || (k == 1 && next(2) == 0)) {
                let to = if k == 0 {
                    i + 1
                } else {
                    i + 1 + next((n - i - 1).min(40))
                };
                y.push_str(&format!(
                    "      - label: Answer {k} of {i}\n        next: q{to}\n"
                ));
            } else {
                y.push_str(&format!(
                    "      - label: Answer {k} of {i}, which ends\n        verdict: v{}\n",
                    (i + k) % 40
                ));
            }
        }
    }
    y.push_str("verdicts:\n");
    for v in 0..40 {
        let call = ["open", "closed", "hybrid"][v % 3];
        y.push_str(&format!(
            "  v{v}:\n    call: {call}\n    recommend: alpha\n    confidence: 70\n    changes: Something.\n    reasons:\n      - page: open-case\n        text: One.\n      - page: alpha\n        text: Two.\n"
        ));
    }
    y
}

/// Issue 23: a 500-question tree took over 120 s, in the map's layout. Every
/// step is now linear or n·log n; the bound is generous for a slow machine.
#[test]
fn issue_23_a_500_question_tree_builds_in_seconds() {
    let t = SiteTest::fixture("all-kinds");
    t.write("content/decide.yaml", generated_tree(500));
    let started = Instant::now();
    let run = t.build();
    let took = started.elapsed();
    run.success();
    assert!(
        run.stderr.contains("500 questions, 40 verdicts"),
        "{}",
        run.stderr
    );
    assert!(took < Duration::from_secs(20), "the build took {took:?}");
    let map = parse(&t.read("public/assets/decide-tree.svg"));
    assert_eq!(map.questions.len(), 500);
    assert!(map.width <= 680.0);
    // Checking every pair of boxes is itself quadratic, but cheap at 500.
    assert_readable(&map);
    let page = t.html("decide.html");
    let facts = page.text(".dt-facts");
    assert!(facts.starts_with("At most 500 questions"), "{facts}");
}
