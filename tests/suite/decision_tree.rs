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
        format!(
            "Q1 {}",
            hostile.split_whitespace().collect::<Vec<_>>().join(" ")
        )
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

/// The tree's JSON as decide.html embeds it.
fn tree_json(t: &SiteTest) -> serde_json::Value {
    serde_json::from_str(crate::site_test::tree_data(&t.read("public/decide.html"))).unwrap()
}

/// Question `id` of the embedded tree.
fn question<'a>(tree: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    tree["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap_or_else(|| panic!("no question {id}"))
}

#[test]
fn answers_get_ids_from_their_labels_or_their_own() {
    let t = with_tree(&TREE.replacen(
        "      - label: Partly\n",
        "      - id: some\n        label: Partly\n",
        1,
    ));
    t.built();
    let tree = tree_json(&t);
    let ids = |q: &str| -> Vec<String> {
        question(&tree, q)["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("first"), ["yes", "no"]);
    assert_eq!(ids("second"), ["yes", "some"]);
    // The static version carries them too, for the map's highlighting.
    let page = t.html("decide.html");
    let items = page.select("#q-second li[data-answer-id]");
    let attrs: Vec<&str> = items
        .iter()
        .map(|li| li.value().attr("data-answer-id").unwrap())
        .collect();
    assert_eq!(attrs, ["yes", "some"]);
}

#[test]
fn two_answers_with_one_id_are_refused_at_the_second() {
    // Taken from the labels: "Yes!" gives "yes" too.
    broken(
        "      - label: Partly\n",
        "      - label: Yes!\n",
        "content/decide.yaml:19:16",
        "question \"second\" has two answers with the id \"yes\" (taken from its label): \"Yes\" and \"Yes!\"",
    );
    // Written by the author: the second `id:` is the one named.
    broken(
        "      - label: Yes\n        verdict: stay-closed\n      - label: Partly\n",
        "      - id: same\n        label: Yes\n        verdict: stay-closed\n      - id: same\n        label: Partly\n",
        "content/decide.yaml:20:13",
        "question \"second\" has two answers with the id \"same\": \"Yes\" and \"Partly\"",
    );
}

#[test]
fn an_answer_id_is_lower_case_words_and_hyphens() {
    broken(
        "      - label: Partly\n",
        "      - id: Some Of It\n        label: Partly\n",
        "content/decide.yaml:19:13",
        "answer id \"Some Of It\" has an upper-case letter (S)",
    );
    let t = with_tree(&TREE.replacen(
        "      - label: Partly\n",
        "      - id: some of it\n        label: Partly\n",
        1,
    ));
    let run = t.build();
    run.failure().reports(
        "content/decide.yaml:19:13",
        "answer id \"some of it\" has a space",
    );
    assert!(
        run.stderr.contains("e.g. `id: some-of-it`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_label_with_no_letter_needs_an_id() {
    broken(
        "      - label: Partly\n",
        "      - label: \"?!\"\n",
        "content/decide.yaml:19:16",
        "answer \"?!\" has no letter or digit to take an id from",
    );
}

#[test]
fn not_sure_is_true_or_false() {
    broken(
        "    question: Is the model the product?\n",
        "    question: Is the model the product?\n    not_sure: 2\n",
        "content/decide.yaml:16:5",
        "`not_sure` must be true or false, found 2",
    );
}

#[test]
fn an_answer_may_not_take_the_id_of_not_sure() {
    broken(
        "    question: Is the model the product?\n    answers:\n      - label: Yes\n        verdict: stay-closed\n      - label: Partly\n",
        "    question: Is the model the product?\n    not_sure: true\n    answers:\n      - label: Yes\n        verdict: stay-closed\n      - label: Not sure\n",
        "content/decide.yaml:20:16",
        "answer \"Not sure\" has the id \"not-sure\", which question \"second\" gives its \"Not sure\" option",
    );
}

#[test]
fn reachable_calls_progress_and_version_are_worked_out_at_build() {
    let t = with_tree(&TREE.replacen(
        "    question: Is the model the product?\n",
        "    question: Is the model the product?\n    not_sure: true\n",
        1,
    ));
    t.built();
    let tree = tree_json(&t);
    assert_eq!(tree["depth"], 2);
    assert_eq!(tree["paths"], "3");
    let version = tree["version"].as_str().unwrap().to_string();
    assert_eq!(version.len(), 8, "{version}");
    assert!(version.chars().all(|c| c.is_ascii_hexdigit()));
    let first = question(&tree, "first");
    let second = question(&tree, "second");
    assert_eq!(
        (first["number"].as_u64(), second["number"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        (first["longest"].as_u64(), second["longest"].as_u64()),
        (Some(2), Some(1))
    );
    // What the other answers lead to: "Yes" (open) could have been closed or
    // hybrid, one path each; "No" could have been open.
    let whatif = |q: &serde_json::Value, k: usize| q["answers"][k]["whatif"].clone();
    assert_eq!(
        whatif(first, 0),
        serde_json::json!([{"call": "closed", "paths": "1"}, {"call": "hybrid", "paths": "1"}])
    );
    assert_eq!(
        whatif(first, 1),
        serde_json::json!([{"call": "open", "paths": "1"}])
    );
    assert_eq!(
        whatif(second, 0),
        serde_json::json!([{"call": "hybrid", "paths": "1"}])
    );
    // "Not sure" follows every answer: the spread of calls below.
    assert_eq!(second["not_sure"], true);
    assert_eq!(first["not_sure"], false);
    assert_eq!(
        second["spread"],
        serde_json::json!([{"call": "closed", "paths": "1"}, {"call": "hybrid", "paths": "1"}])
    );
    assert_eq!(first["answers"][0]["to"], "C1");
    assert_eq!(first["answers"][1]["to"], "Q2");
    // The page states the depth and the version; no author writes them.
    let page = t.html("decide.html");
    let facts = page.text(".dt-facts");
    assert!(
        facts.starts_with("At most 2 questions · 3 paths"),
        "{facts}"
    );
    assert!(facts.ends_with(&version), "{facts}");
    // A comment leaves the version alone; a reworded answer changes it.
    t.write(
        "content/decide.yaml",
        format!(
            "# a comment\n{}",
            TREE.replacen(
                "    question: Is the model the product?\n",
                "    question: Is the model the product?\n    not_sure: true\n",
                1
            )
        ),
    );
    t.built();
    assert_eq!(tree_json(&t)["version"], version);
    t.write(
        "content/decide.yaml",
        TREE.replacen("label: Partly", "label: Partly so", 1),
    );
    t.built();
    assert_ne!(tree_json(&t)["version"], version);
}

#[test]
fn the_static_tree_numbers_questions_and_says_where_answers_lead() {
    let t = with_tree(TREE);
    t.built();
    let page = t.html("decide.html");
    assert_eq!(page.text("#q-first h2"), "Q1 Are you behind?");
    assert_eq!(page.text("#q-second h2"), "Q2 Is the model the product?");
    let answers: Vec<String> = page
        .select("#q-first .dt-static-answers li")
        .iter()
        .map(|li| {
            li.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(answers, ["Yes → C1 Open it", "No → Q2"]);
    assert_eq!(page.text("#v-stay-closed h3"), "C2 Stay closed Stay closed");
    assert!(page
        .text("#q-first .dt-why")
        .starts_with("Why we ask: It matters."));
    // print.html says the same.
    let print = t.html("print.html");
    assert_eq!(print.text("#decide #q-first h3"), "Q1 Are you behind?");
    let printed: Vec<String> = print
        .select("#decide #q-second li")
        .iter()
        .map(|li| {
            li.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(printed, ["Yes → C2 Stay closed", "Partly → C3 Go hybrid"]);
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
            "decision tree: 10 questions, 16 verdicts, 18 paths (8 open, 3 closed, 7 hybrid)"
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
    // Every hybrid is recommended, or argued with in a call's reasons (the
    // research-only licence: the tree no longer recommends one, because
    // such licences bind only the honest).
    let recommended = page.hrefs("[data-call] .dt-recommend a");
    for hybrid in HYBRIDS {
        let href = format!("hybrids/{hybrid}.html");
        assert!(
            recommended.contains(&href) || reasons.contains(&href),
            "hybrid {hybrid} is neither recommended nor a reason"
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

/// A page may link to a walk through the tree (`decide.yaml#harm=no`); each
/// `question=answer` is checked against the tree, in the order it asks.
#[test]
fn links_into_the_trees_answers_are_checked_where_they_are_written() {
    let t = SiteTest::default_playbook();
    let about = t.read("content/about.md");
    t.built();
    assert!(t
        .read("public/about.html")
        .contains("decide.html#harm=largest-only"));
    t.write(
        "content/about.md",
        format!("{about}\n[bad](decide.yaml#harm=biggest) [order](decide.yaml#data=yes) [late](decide.yaml#harm=yes&data=no)\n"),
    );
    let run = t.build();
    run.failure();
    let line = about.lines().count() + 2;
    run.reports(
        &format!("content/about.md:{line}:1"),
        "question `harm` has no answer `biggest`",
    );
    assert!(
        run.stderr
            .contains("hint: its answers are yes, no, largest-only"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the tree asks `harm` here, not `data`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`data=no` comes after the call"),
        "{}",
        run.stderr
    );
}
