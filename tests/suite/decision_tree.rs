//! The decision tree: validation of content/decide.yaml, the page it becomes,
//! and the default playbook's tree covering the whole framework.

use crate::site_test::{crawl, SiteTest};

/// A small valid tree over the all-kinds fixture: two questions, three calls.
pub const TREE: &str = "\
title: Decide
intro: Two questions.
start: first
questions:
  first:
    question: Are you behind?
    why: It matters.
    see: [open-case]
    answers:
      - label: Yes
        verdict: go-open
      - label: No
        next: second
  second:
    question: Is the model the product?
    answers:
      - label: Yes
        verdict: stay-closed
      - label: Partly
        verdict: mix
verdicts:
  go-open:
    call: open
    recommend: alpha
    confidence: 80
    changes: Leading would change it.
    reasons:
      - page: open-case
        text: Behind means little to lose.
      - page: alpha
        text: Alpha spreads.
    watch: [mistake-one]
  stay-closed:
    call: closed
    recommend: beta
    confidence: 70
    changes: A rival opening would change it.
    reasons:
      - page: closed-case
        text: It is the product.
      - page: beta
        text: Beta keeps it.
  mix:
    call: hybrid
    recommend: hybrid-one
    confidence: 60
    changes: More data would change it.
    reasons:
      - page: hybrid-one
        text: Both.
      - page: open-case
        text: Some openness helps.
";

fn with_tree(tree: &str) -> SiteTest {
    let t = SiteTest::fixture("all-kinds");
    t.write("content/decide.yaml", tree);
    t
}

#[test]
fn a_valid_tree_becomes_a_page_and_is_summarised() {
    let t = with_tree(TREE);
    let run = t.build();
    run.success();
    assert!(
        run.stderr.contains(
            "decision tree: 2 questions, 3 verdicts, 3 paths (1 open, 1 closed, 1 hybrid)"
        ),
        "{}",
        run.stderr
    );
    let page = t.html("decide.html");
    page.one("[data-decision-tree]");
    // Readable without JavaScript: every question and verdict, linked by anchors.
    assert_eq!(page.select("[data-tree-static] section[id^=q-]").len(), 2);
    assert_eq!(page.select("[data-tree-static] [data-call]").len(), 3);
    assert_eq!(
        page.hrefs("#q-first a[href^='#']"),
        ["#v-go-open", "#q-second"]
    );
    let reasons = page.hrefs("#v-go-open .dt-reasons a");
    assert_eq!(reasons, ["cases/open-case.html", "patterns/alpha.html"]);
    assert_eq!(page.text("#v-go-open .dt-confidence"), "Confidence: 80%");
    assert_eq!(
        page.hrefs("#v-go-open .dt-watch a"),
        ["mistakes/mistake-one.html"]
    );
    let crawl = crawl(&t.path("public"));
    assert!(crawl.problems.is_empty(), "{:#?}", crawl.problems);
}

#[test]
fn every_page_links_to_the_tree_when_there_is_one() {
    let t = with_tree(TREE);
    t.built();
    for page in [
        "index.html",
        "cases/index.html",
        "cases/open-case.html",
        "patterns/alpha.html",
        "mistakes/mistake-one.html",
    ] {
        let html = t.html(page);
        let links = html.hrefs("a");
        assert!(
            links.iter().any(|h| h.ends_with("decide.html")),
            "{page} does not link to the tree"
        );
    }
    // Without a tree, no page links to a tree that is not there.
    let t = SiteTest::fixture("all-kinds");
    t.built();
    assert!(!t
        .html("index.html")
        .hrefs("a")
        .iter()
        .any(|h| h.ends_with("decide.html")));
    assert!(!t.path("public/decide.html").exists());
}

#[test]
fn tree_data_cannot_break_out_of_its_script() {
    let hostile = "</script><script>alert(1)</script><!-- & \"quotes\" 'single'";
    let t = with_tree(&TREE.replace(
        "question: Are you behind?",
        &format!("question: {}", serde_json::to_string(hostile).unwrap()),
    ));
    t.built();
    let html = t.read("public/decide.html");
    let data = crate::site_test::tree_data(&html);
    assert!(!data.contains('<') && !data.contains('\u{2028}'), "{data}");
    let value: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(value["questions"][0]["text"], hostile);
    // In the static version the same text is escaped HTML, not markup.
    let page = t.html("decide.html");
    assert_eq!(
        page.select("script:not([data-theme-init])").len(),
        4,
        "the data, decide.js, search.js and reader.js"
    );
    assert_eq!(
        page.select("script:not([src]):not([data-theme-init])")
            .len(),
        1,
        "the data is the only inline script besides the theme's"
    );
    assert_eq!(
        page.text("#q-first h2"),
        hostile.split_whitespace().collect::<Vec<_>>().join(" ")
    );
}

/// Replaces `from` with `to` in the valid tree and expects one error there.
fn broken(from: &str, to: &str, location: &str, message: &str) {
    assert!(TREE.contains(from), "fixture text {from:?} not in the tree");
    let t = with_tree(&TREE.replacen(from, to, 1));
    let run = t.build();
    run.failure().reports(location, message);
}

#[test]
fn unknown_next_question() {
    broken(
        "        next: second",
        "        next: secnd",
        "content/decide.yaml:13:15",
        "unknown question \"secnd\"",
    );
}

#[test]
fn unknown_verdict() {
    broken(
        "        verdict: mix",
        "        verdict: mixed",
        "content/decide.yaml:20:18",
        "unknown verdict \"mixed\"",
    );
}

#[test]
fn unknown_page_in_a_reason() {
    broken(
        "      - page: beta\n",
        "      - page: gamma\n",
        "content/decide.yaml:41:15",
        "unknown case, pattern or hybrid \"gamma\"",
    );
}

#[test]
fn a_reason_must_be_a_case_pattern_or_hybrid() {
    broken(
        "      - page: beta\n",
        "      - page: mistake-one\n",
        "content/decide.yaml:41:15",
        "\"mistake-one\" is a mistake, not a case, pattern or hybrid",
    );
}

#[test]
fn unknown_start() {
    broken(
        "start: first",
        "start: begin",
        "content/decide.yaml:3:8",
        "unknown question \"begin\"",
    );
}

#[test]
fn unreachable_question() {
    let t = with_tree(&TREE.replace("questions:\n", "questions:\n  orphan:\n    question: Anyone?\n    answers:\n      - label: A\n        verdict: mix\n      - label: B\n        verdict: mix\n"));
    t.build().failure().reports(
        "content/decide.yaml:5:3",
        "question \"orphan\" cannot be reached from the start",
    );
}

#[test]
fn unreachable_verdict() {
    let t = with_tree(&format!("{TREE}  spare:\n    call: open\n    recommend: alpha\n    confidence: 1\n    changes: c\n    reasons:\n      - page: alpha\n        text: a\n      - page: beta\n        text: b\n"));
    t.build().failure().reports(
        "content/decide.yaml:53:3",
        "verdict \"spare\" cannot be reached",
    );
}

#[test]
fn cycles_are_refused() {
    broken(
        "        verdict: stay-closed",
        "        next: first",
        "content/decide.yaml:17:16",
        "answer \"Yes\" loops back: first → second → first",
    );
}

#[test]
fn an_answer_leading_nowhere() {
    broken(
        "      - label: Partly\n        verdict: mix\n",
        "      - label: Partly\n",
        "content/decide.yaml:19:16",
        "answer \"Partly\" leads nowhere",
    );
}

#[test]
fn a_question_needs_two_answers() {
    let t = with_tree(&TREE.replace("      - label: Partly\n        verdict: mix\n", "").replace("  mix:\n", "  unused-mix:\n").replacen("verdict: go-open\n      - label: No\n        next: second", "verdict: go-open\n      - label: No\n        next: second\n      - label: Maybe\n        verdict: unused-mix", 1));
    t.build().failure().reports(
        "content/decide.yaml:18:5",
        "question \"second\" has 1 answer",
    );
}

#[test]
fn a_verdict_needs_two_reasons() {
    broken(
        "      - page: hybrid-one\n        text: Both.\n",
        "",
        "content/decide.yaml:43:3",
        "verdict \"mix\" gives 1 reason",
    );
}

#[test]
fn a_verdict_needs_a_confidence_in_range() {
    broken(
        "    confidence: 60",
        "    confidence: 160",
        "content/decide.yaml:46:5",
        "`confidence` must be a whole number from 0 to 100",
    );
}

#[test]
fn an_unknown_call() {
    broken(
        "    call: hybrid",
        "    call: hybird",
        "content/decide.yaml:44:11",
        "unknown call \"hybird\"",
    );
}

#[test]
fn unknown_fields_in_the_tree() {
    broken(
        "    changes: Leading would change it.",
        "    change: Leading would change it.",
        "content/decide.yaml:26:5",
        "unknown field `change`",
    );
}

#[test]
fn tree_yaml_errors_name_the_line() {
    broken(
        "    why: It matters.",
        "    why: \"It matters.",
        "content/decide.yaml:7:10",
        "quoted text is never closed",
    );
}

const CASES: [&str; 9] = [
    "hosted-services",
    "commoditize-a-complement",
    "developer-mindshare",
    "catching-up",
    "regulatory-goodwill",
    "model-is-the-product",
    "cheap-replication",
    "safety-in-the-weights",
    "ip-and-data-entangled",
];
const HYBRIDS: [&str; 4] = [
    "open-small-closed-large",
    "delayed-open-sourcing",
    "research-only-license",
    "open-evals-closed-model",
];

#[test]
fn default_tree_covers_the_whole_framework() {
    let t = SiteTest::default_playbook();
    let run = t.build();
    run.success();
    assert!(
        run.stderr.contains(
            "decision tree: 9 questions, 12 verdicts, 13 paths (4 open, 3 closed, 6 hybrid)"
        ),
        "{}",
        run.stderr
    );
    let page = t.html("decide.html");
    let reasons = page.hrefs("[data-call] .dt-reasons a");
    for case in CASES {
        assert!(
            reasons.contains(&format!("cases/{case}.html")),
            "case {case} is no verdict's reason"
        );
    }
    let recommended = page.hrefs("[data-call] .dt-recommend a");
    for hybrid in HYBRIDS {
        assert!(
            recommended.contains(&format!("hybrids/{hybrid}.html")),
            "hybrid {hybrid} is never recommended"
        );
    }
    for call in ["open", "closed", "hybrid"] {
        assert!(
            !page.select(&format!("[data-call={call}]")).is_empty(),
            "no {call} verdict"
        );
    }
    for verdict in page.select("[data-call]") {
        let n = verdict
            .select(&scraper::Selector::parse(".dt-reasons li").unwrap())
            .count();
        assert!(n >= 2, "a verdict with {n} reasons");
    }
}
