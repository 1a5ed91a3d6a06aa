//! The decision tree drawn as an SVG map at build time.

use std::collections::BTreeMap;

use crate::site_test::SiteTest;

/// The `<svg>…</svg>` element of an HTML page, parsed as XML: proves the
/// inline copy is well-formed too.
fn inline_svg(html: &str) -> String {
    let start = html.find("<svg").expect("no <svg> in the page");
    let end = html[start..].find("</svg>").unwrap() + start + "</svg>".len();
    html[start..end].to_string()
}

struct Box_ {
    kind: String,
    node: String,
    href: String,
    layer: usize,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// Every question and verdict box of a map.
fn boxes(svg: &str) -> Vec<Box_> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_attribute("data-kind"))
        .map(|n| {
            let rect = n
                .children()
                .find(|c| c.has_tag_name("rect"))
                .expect("a node without a box");
            let num = |a: &str| rect.attribute(a).unwrap().parse::<f64>().unwrap();
            Box_ {
                kind: n.attribute("data-kind").unwrap().into(),
                node: n.attribute("data-node").unwrap().into(),
                href: n.attribute("href").unwrap().into(),
                layer: n.attribute("data-layer").unwrap().parse().unwrap(),
                x: num("x"),
                y: num("y"),
                w: num("width"),
                h: num("height"),
            }
        })
        .collect()
}

/// Boxes in one column never overlap and share their x.
fn assert_no_overlap(boxes: &[Box_]) {
    let mut by_layer: BTreeMap<usize, Vec<&Box_>> = BTreeMap::new();
    for b in boxes {
        by_layer.entry(b.layer).or_default().push(b);
    }
    for (layer, mut col) in by_layer {
        col.sort_by(|a, b| a.y.total_cmp(&b.y));
        for pair in col.windows(2) {
            assert_eq!(pair[0].x, pair[1].x, "column {layer} is not aligned");
            assert!(
                pair[0].y + pair[0].h <= pair[1].y,
                "{} and {} overlap in column {layer}",
                pair[0].node,
                pair[1].node
            );
        }
    }
    // Columns do not overlap either.
    let mut xs: Vec<(f64, f64)> = boxes.iter().map(|b| (b.x, b.x + b.w)).collect();
    xs.sort_by(|a, b| a.0.total_cmp(&b.0));
    xs.dedup();
    for pair in xs.windows(2) {
        assert!(pair[0].1 < pair[1].0, "columns overlap: {xs:?}");
    }
}

#[test]
fn the_default_tree_map_has_a_node_per_question_and_verdict() {
    let t = SiteTest::default_playbook();
    t.built();
    let svg = t.read("public/assets/decide-tree.svg");
    let b = boxes(&svg);
    let questions: Vec<&str> = b
        .iter()
        .filter(|b| b.kind == "question")
        .map(|b| b.node.as_str())
        .collect();
    assert_eq!(questions.len(), 9, "{questions:?}");
    assert_eq!(b.iter().filter(|b| b.kind == "verdict").count(), 12);
    assert!(questions.contains(&"q-harm"));
    // The standalone file links back to the map page's anchors.
    let harm = b.iter().find(|b| b.node == "q-harm").unwrap();
    assert_eq!(harm.href, "../decide-map.html#q-harm");
    assert_eq!(harm.layer, 0);
    assert_no_overlap(&b);

    // The same map is inline on decide.html (linking to the map page) and on
    // decide-map.html (linking within it), and both copies are well-formed.
    let decide = inline_svg(&t.read("public/decide.html"));
    assert!(boxes(&decide)
        .iter()
        .all(|b| b.href.starts_with("decide-map.html#")));
    let map_html = t.read("public/decide-map.html");
    let map = boxes(&inline_svg(&map_html));
    assert_eq!(map.len(), 21);
    let page = t.html("decide-map.html");
    let ids = page.ids();
    for b in &map {
        let anchor = b.href.strip_prefix('#').unwrap();
        assert!(ids.contains(anchor), "{anchor} is not on decide-map.html");
    }
    // Verdicts are coloured by their call.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    for n in doc
        .descendants()
        .filter(|n| n.attribute("data-kind") == Some("verdict"))
    {
        let call = n.attribute("data-map-call").unwrap();
        // The default model's calls and the tones it gives them.
        let tone = match call {
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
/// columns, with labels long enough to wrap and characters XML must escape.
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
    let svg = t.read("public/assets/decide-tree.svg");
    let b = boxes(&svg);
    assert_eq!(b.iter().filter(|b| b.kind == "question").count(), 31);
    assert_eq!(b.iter().filter(|b| b.kind == "verdict").count(), 32);
    assert_eq!(b.iter().map(|b| b.layer).max(), Some(5));
    assert_no_overlap(&b);
    // Text is escaped, not dropped: the parsed text reads as written.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("No <0b>"), "{text}");
    assert!(text.contains("A big <tree> & more"));
    // Every answer has an edge.
    let edges = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("pb-tm-edge"))
        .count();
    assert_eq!(edges, 31 * 2 + 2);
}
