//! The decision tree in headless Chromium, opened from disk (file://): every
//! path reaches the call the tree says, with its confidence and reasons; the
//! address records answers by id, and first-edition links (answer positions)
//! still open the same result; a link the tree no longer resolves says which
//! answer is gone; "Check your answers" changes one answer and keeps the
//! rest; a result can be copied as a link and prints as the reader's record;
//! "Not sure" shows the spread of calls; progress counts the questions left;
//! the map shows the reader's path. Nothing is requested but file: URLs and
//! nothing logs an error.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::browser::{self, js_string, Page};
use crate::site_test::SiteTest;

/// The default playbook, built once for all tests in this module.
fn site() -> &'static SiteTest {
    static SITE: OnceLock<SiteTest> = OnceLock::new();
    SITE.get_or_init(|| {
        let t = SiteTest::default_playbook();
        t.built();
        t
    })
}

fn decide() -> PathBuf {
    site().path("public/decide.html")
}

fn url(hash: &str) -> String {
    format!("{}#{hash}", browser::file_url(&decide()))
}

/// The path to the open challenger's call, as the address records it.
const CHALLENGER: &str =
    "harm=no&data=no&moat=behind&challenger=yes&commercial=no&sell=our-service";

/// Clicks the answers with these ids, one question at a time.
fn answer(page: &Page, ids: &[&str]) {
    for (step, id) in ids.iter().enumerate() {
        page.wait_until(
            &format!("document.querySelectorAll('.dt-summary-row').length === {step}"),
            "the answers so far to grow",
        );
        page.click(&format!(
            "[data-decision-tree] button[data-answer={}]",
            js_string(id)
        ));
    }
}

/// Waits for the result `id`.
#[track_caller]
fn wait_verdict(page: &Page, id: &str) {
    page.wait_until(
        &format!(
            "(e => e && e.dataset.verdictId === {})(document.querySelector('[data-verdict]'))",
            js_string(id)
        ),
        &format!("the verdict {id}"),
    );
}

/// Waits for question `id` to be asked.
#[track_caller]
fn wait_question(page: &Page, id: &str) {
    page.wait_for(&format!("fieldset[data-question={}]", js_string(id)));
}

/// The part of the address after `#`.
fn hash(page: &Page) -> String {
    page.eval("location.hash.slice(1)")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Every file a verdict links to exists on disk.
fn verdict_links_resolve(page: &Page) -> usize {
    let hrefs: Vec<String> = serde_json::from_value(page.eval(
        "[...document.querySelectorAll('[data-verdict] a:not([data-map-path])')].map(a => a.href)",
    ))
    .unwrap();
    for href in &hrefs {
        let path = href
            .strip_prefix("file://")
            .unwrap()
            .split('#')
            .next()
            .unwrap();
        assert!(
            std::path::Path::new(path).is_file(),
            "{href} does not exist"
        );
    }
    hrefs.len()
}

/// The embedded tree's JSON.
fn tree() -> serde_json::Value {
    let html = std::fs::read_to_string(decide()).unwrap();
    serde_json::from_str(crate::site_test::tree_data(&html)).unwrap()
}

/// One answer on a path: its question, its id, its position.
type Step = (String, String, usize);

/// Every path of the tree: its answers and the verdict.
fn paths() -> Vec<(Vec<Step>, serde_json::Value)> {
    let tree = tree();
    let find = |list: &str, id: &str| {
        tree[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == id)
            .unwrap()
            .clone()
    };
    let mut paths = Vec::new();
    let mut stack = vec![(tree["start"].as_str().unwrap().to_string(), Vec::new())];
    while let Some((q, path)) = stack.pop() {
        for (i, a) in find("questions", &q)["answers"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let mut p: Vec<Step> = path.clone();
            p.push((q.clone(), a["id"].as_str().unwrap().to_string(), i));
            match a["verdict"].as_str() {
                Some(v) => paths.push((p, find("verdicts", v))),
                None => stack.push((a["next"].as_str().unwrap().to_string(), p)),
            }
        }
    }
    paths
}

#[test]
fn reaches_an_open_call_with_confidence_and_reasons() {
    let page = browser::open(&decide());
    page.wait_for("[data-decision-tree] button[data-answer]");
    // No risk, clean data, no moat yet, good enough, adoption anywhere helps.
    answer(&page, &["no", "no", "behind", "yes", "no", "our-service"]);
    wait_verdict(&page, "open-challenger");
    assert_eq!(
        page.attr("[data-verdict]", "data-verdict").as_deref(),
        Some("open")
    );
    assert_eq!(
        page.attr("[data-verdict]", "data-confidence").as_deref(),
        Some("80")
    );
    assert!(page.text("[data-verdict] .dt-confidence").contains("80%"));
    assert!(page.count("[data-verdict] .dt-reasons a") >= 2);
    assert!(page
        .attrs("[data-verdict] .dt-reasons a", "href")
        .contains(&Some("cases/catching-up.html".into())));
    assert!(verdict_links_resolve(&page) >= 3);
    // The address records the answers by id, in the order given.
    assert_eq!(hash(&page), CHALLENGER);
    page.assert_clean();
}

#[test]
fn reaches_a_closed_and_a_hybrid_call() {
    let page = browser::open(&decide());
    answer(&page, &["yes"]);
    wait_verdict(&page, "closed-for-safety");
    assert_eq!(
        page.attr("[data-verdict]", "data-verdict").as_deref(),
        Some("closed")
    );
    assert!(page.text("[data-verdict] .dt-confidence").contains("90%"));
    assert!(page
        .attrs("[data-verdict] .dt-reasons a", "href")
        .contains(&Some("cases/safety-in-the-weights.html".into())));
    page.click("[data-restart]");
    wait_question(&page, "harm");
    answer(&page, &["no", "no", "model", "top-only"]);
    wait_verdict(&page, "hybrid-small-large");
    assert_eq!(
        page.attr("[data-verdict]", "data-verdict").as_deref(),
        Some("hybrid")
    );
    assert!(page
        .attrs("[data-verdict] .dt-recommend a", "href")
        .contains(&Some("hybrids/open-small-closed-large.html".into())));
    page.assert_clean();
}

#[test]
fn every_path_shows_the_call_the_tree_makes_by_ids_and_by_positions() {
    let paths = paths();
    assert_eq!(paths.len(), 18);
    let page = browser::open(&decide());
    for (path, v) in &paths {
        let ids: Vec<String> = path.iter().map(|(q, a, _)| format!("{q}={a}")).collect();
        let by_ids = ids.join("&");
        let positions: Vec<String> = path.iter().map(|(_, _, i)| i.to_string()).collect();
        let by_positions = format!("path={}", positions.join("."));
        for hash in [&by_ids, &by_positions] {
            // A new hash on the same document, as following a shared link would set it.
            page.eval(&format!("location.hash = {}", js_string(hash)));
            wait_verdict(&page, v["id"].as_str().unwrap());
            assert_eq!(
                page.attr("[data-verdict]", "data-verdict").as_deref(),
                v["call"].as_str(),
                "{hash}"
            );
            assert!(
                page.text("[data-verdict] .dt-confidence")
                    .contains(&format!("{}%", v["confidence"])),
                "{hash}"
            );
            assert!(page.count("[data-verdict] .dt-reasons a") >= 2, "{hash}");
            assert_eq!(
                page.count(".dt-summary-row"),
                path.len(),
                "{hash}: the summary shows every answer"
            );
        }
        // A first-edition link is rewritten with ids, which survive edits.
        page.wait_until(
            &format!("location.hash === {}", js_string(&format!("#{by_ids}"))),
            "the position link rewritten with ids",
        );
    }
    page.assert_clean();
}

#[test]
fn first_edition_links_still_open_the_same_result() {
    // Today's tree, read by position: no, no, the model, far ahead.
    let page = browser::open_url(&url("path=1.1.0.0"));
    wait_verdict(&page, "closed-frontier");
    assert_eq!(hash(&page), "harm=no&data=no&moat=model&lead=far-ahead");
    assert_eq!(page.count(".dt-notice"), 0);
    // A position that does not exist is named, and the reader goes on from there.
    page.goto(&url("path=1.9.9"));
    wait_question(&page, "data");
    let notice = page.text(".dt-notice");
    assert!(notice.contains("answer number 10"), "{notice}");
    assert!(notice.contains("Was the model trained"), "{notice}");
    assert_eq!(hash(&page), "harm=no");
    page.assert_clean();
}

#[test]
fn a_link_the_tree_no_longer_resolves_says_which_answer_is_gone() {
    // As if "moat" had had an answer "nothing-yet" that the tree has since
    // renamed; the later answer still applies.
    let page = browser::open_url(&url(
        "harm=no&data=no&moat=nothing-yet&challenger=yes&gone=1",
    ));
    wait_question(&page, "moat");
    let notice = page.text(".dt-notice");
    assert!(
        notice.contains("“nothing-yet”") && notice.contains("Where is your moat"),
        "{notice}"
    );
    assert!(notice.contains("no longer exists"), "{notice}");
    assert!(
        notice.contains("(“gone”)"),
        "an unknown question is named too: {notice}"
    );
    assert_eq!(page.count(".dt-summary-row"), 2);
    // Answering it goes on from there, reusing the answer that still applies.
    page.click("button[data-answer=behind]");
    wait_question(&page, "commercial");
    assert_eq!(page.count(".dt-notice"), 0);
    assert_eq!(hash(&page), "harm=no&data=no&moat=behind&challenger=yes");
    page.assert_clean();
}

#[test]
fn changing_an_earlier_answer_keeps_the_later_ones_that_still_apply() {
    let page = browser::open_url(&url(CHALLENGER));
    wait_verdict(&page, "open-challenger");
    // Check your answers: a Change link per answer, named for the answer.
    assert_eq!(page.count(".dt-summary-row"), 6);
    let name = page.text("[data-change=harm]");
    assert!(
        name.starts_with("Change your answer “No — misuse risk is ordinary")
            && name.contains("to “If someone stripped"),
        "{name}"
    );
    // Opened from a link, the answers are folded; the reader opens them.
    page.click("details.dt-summary > summary");
    page.click("[data-change=harm]");
    wait_question(&page, "harm");
    assert!(page.text(".dt-previous").contains("No — misuse risk"));
    assert!(
        page.count(".dt-kept") == 1,
        "the reader is told the rest is kept"
    );
    page.click("button[data-answer=yes]");
    wait_verdict(&page, "closed-for-safety");
    // Changing it back asks nothing again: every later answer still applies.
    page.click("[data-change=harm]");
    wait_question(&page, "harm");
    page.click("button[data-answer=no]");
    wait_verdict(&page, "open-challenger");
    assert_eq!(page.count(".dt-summary-row"), 6);
    // Changing the moat leads to a new question; only it is asked.
    page.click("[data-change=moat]");
    wait_question(&page, "moat");
    page.click("button[data-answer=model]");
    wait_question(&page, "lead");
    assert_eq!(page.count(".dt-summary-row"), 3);
    page.click("button[data-answer=top-only]");
    wait_verdict(&page, "hybrid-small-large");
    // The link to keep holds only the answers on the path.
    assert_eq!(
        page.eval("document.getElementById('pb-dt-link').value.split('#')[1]")
            .as_str(),
        Some("harm=no&data=no&moat=model&lead=top-only")
    );
    // Back steps back through the changes.
    page.eval("history.back()");
    wait_question(&page, "lead");
    page.assert_clean();
}

#[test]
fn back_link_back_button_and_start_again() {
    let page = browser::open(&decide());
    answer(&page, &["no", "no", "behind", "yes", "no", "our-service"]);
    wait_verdict(&page, "open-challenger");
    // The browser's back button undoes one answer.
    page.eval("history.back()");
    wait_question(&page, "sell");
    assert_eq!(page.count("[data-verdict]"), 0);
    assert_eq!(page.count(".dt-summary-row"), 5);
    // An address that is not about the tree (the skip link) keeps the place.
    page.eval(
        "new Promise(done => { addEventListener('hashchange', () => setTimeout(done, 0), { once: true }); location.hash = 'pb-main'; })",
    );
    assert_eq!(page.count("fieldset[data-question=sell]"), 1);
    page.eval("history.back()");
    page.wait_until(
        "location.hash.includes('commercial=no')",
        "the answers again",
    );
    // The back link at the top goes to the previous question.
    assert_eq!(page.count(".dt-app > .dt-back-link:first-child"), 1);
    page.click("[data-back]");
    wait_question(&page, "commercial");
    assert_eq!(page.count(".dt-summary-row"), 4);
    page.click("[data-back]");
    wait_question(&page, "challenger");
    assert_eq!(page.count(".dt-summary-row"), 3);
    page.click("[data-back]");
    wait_question(&page, "moat");
    page.click("[data-restart]");
    wait_question(&page, "harm");
    assert_eq!(page.count(".dt-summary-row"), 0);
    assert_eq!(
        page.count("[data-back]"),
        0,
        "no back link on the first question"
    );
    assert_eq!(hash(&page), "");
    page.assert_clean();
}

#[test]
fn a_shared_link_opens_at_the_result_with_the_answers_folded() {
    let page = browser::open(&decide());
    page.viewport(390, 844, true);
    // Loaded afresh at the link, on a phone.
    page.goto(&url(CHALLENGER));
    wait_verdict(&page, "open-challenger");
    page.wait_until("window.scrollY > 100", "the page to scroll to the result");
    let top = page
        .eval("document.getElementById('pb-dt-question').getBoundingClientRect().top")
        .as_f64()
        .unwrap();
    assert!(
        (0.0..300.0).contains(&top),
        "the result's heading is at {top}px"
    );
    assert_eq!(page.focused(), "pb-dt-question");
    assert_eq!(
        page.eval("document.querySelector('details.dt-summary').open"),
        false,
        "the answers are folded into a summary"
    );
    assert!(page
        .text("details.dt-summary summary")
        .contains("Your answers (6)"));
    // A reload restores it.
    page.eval("location.reload()");
    page.wait_until(
        "document.readyState === 'complete' && document.querySelector('[data-verdict]')",
        "the reloaded verdict",
    );
    wait_verdict(&page, "open-challenger");
    page.assert_clean();
}

#[test]
fn copy_link_copies_the_permalink() {
    // Extra answers in the address (kept from a change) are not part of it.
    let page = browser::open_url(&url(&format!("{CHALLENGER}&lead=matched")));
    wait_verdict(&page, "open-challenger");
    page.eval(
        "window.copied = null;
         if (!navigator.clipboard) { Object.defineProperty(navigator, 'clipboard', { value: {} }); }
         navigator.clipboard.writeText = t => { window.copied = t; return Promise.resolve(); }; true",
    );
    page.click("[data-copy-link]");
    page.wait_until("window.copied !== null", "the link to be copied");
    let expected = url(CHALLENGER);
    assert_eq!(page.eval("window.copied").as_str(), Some(expected.as_str()));
    assert_eq!(page.text("[data-verdict] .dt-status"), "Link copied.");
    assert_eq!(
        page.eval("document.getElementById('pb-dt-link').value")
            .as_str(),
        Some(expected.as_str())
    );
    // When the clipboard refuses, the reader is shown the link to copy.
    page.eval(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('no')); document.execCommand = () => false; true",
    );
    page.click("[data-copy-link]");
    page.wait_until(
        "document.querySelector('[data-verdict] .dt-status').textContent.includes('select it')",
        "the fallback message",
    );
    assert_eq!(page.focused(), "pb-dt-link");
    page.assert_clean();
}

#[test]
fn printing_a_result_prints_only_the_record() {
    let page = browser::open_url(&url(CHALLENGER));
    wait_verdict(&page, "open-challenger");
    let version = tree()["version"].as_str().unwrap().to_string();
    page.media("print");
    let printed = page
        .eval("document.body.innerText")
        .as_str()
        .unwrap()
        .to_string();
    page.media("");
    let want = [
        "Open or closed?",
        "Should you open it? — your record",
        &format!("tree version {version}"),
        "Q1 If someone stripped your model's safeguards",
        "No — misuse risk is ordinary, or the model is too weak to matter",
        "Q3 Where is your moat",
        "Nothing yet — we are behind the leaders",
        "No — adoption anywhere helps us",
        "The call: Open it",
        "C11 Open the weights under a permissive licence",
        "Confidence: 80%",
        "Catching up — A challenger has less to lose",
        "/cases/catching-up.html)",
        "What would change this call",
        "If you overtake the leaders",
        "Had you answered Where is your moat — what would a competitor find hardest to copy? differently: Open it (5 paths), Stay closed (1 path) or Go hybrid (3 paths).",
        "Mistakes to watch for",
        "No licence strategy (file://",
        &format!("Permalink: {}", url(CHALLENGER)),
    ];
    for w in want {
        assert!(printed.contains(w), "the record lacks {w:?}:\n{printed}");
    }
    let date = regex_free_date(&printed);
    assert!(date.is_some(), "no date in the record:\n{printed}");
    for not in [
        "Copy link",
        "Start again",
        "Walk the decision tree",
        "Back\n",
        "Your answers (5)",
        "The whole tree",
        "Skip to content",
    ] {
        assert!(
            !printed.contains(not),
            "the record shows {not:?}:\n{printed}"
        );
    }
    // Mid-way, the page prints the whole tree, numbered, for paper.
    page.goto(&url("harm=no"));
    wait_question(&page, "data");
    page.media("print");
    let printed = page
        .eval("document.body.innerText")
        .as_str()
        .unwrap()
        .to_string();
    page.media("");
    assert!(printed.contains("Q2 Was the model trained"), "{printed}");
    assert!(printed.contains("→ C1 Stay closed"), "{printed}");
    assert!(printed.contains("→ Q3"), "{printed}");
    page.assert_clean();
}

/// "Printed 2026-01-31": the date, found without a regex crate.
fn regex_free_date(text: &str) -> Option<&str> {
    let at = text.find("Printed ")? + "Printed ".len();
    let date = text.get(at..at + 10)?;
    let ok = date.char_indices().all(|(i, c)| match i {
        4 | 7 => c == '-',
        _ => c.is_ascii_digit(),
    });
    ok.then_some(date)
}

#[test]
fn not_sure_shows_the_spread_of_calls() {
    let page = browser::open_url(&url("harm=no&data=no&moat=model"));
    wait_question(&page, "lead");
    assert_eq!(page.text("button[data-answer=not-sure]"), "Not sure");
    page.click("button[data-answer=not-sure]");
    page.wait_for("[data-spread]");
    assert_eq!(hash(&page), "harm=no&data=no&moat=model&lead=not-sure");
    // Not one call but the spread: each call with its paths and verdicts.
    assert_eq!(page.count("[data-verdict]"), 0);
    let calls = page.attrs("[data-spread] .dt-spread-calls > li", "data-call");
    assert_eq!(
        calls,
        [
            Some("open".into()),
            Some("closed".into()),
            Some("hybrid".into())
        ]
    );
    let hybrid = page.text("[data-spread] li[data-call=hybrid]");
    assert!(hybrid.starts_with("Go hybrid 2 paths"), "{hybrid}");
    assert_eq!(page.count("[data-spread] .dt-spread-verdicts li"), 4);
    assert_eq!(
        page.text(".dt-summary-row:last-child .dt-summary-answer"),
        "Not sure"
    );
    // Each verdict opens as a result of its own.
    page.click("[data-spread] li[data-verdict-id=hybrid-delayed] a");
    wait_verdict(&page, "hybrid-delayed");
    assert_eq!(hash(&page), "harm=no&data=no&moat=model&lead=matched");
    // And the spread prints as a record too.
    page.eval("history.back()");
    page.wait_for("[data-spread]");
    page.media("print");
    let printed = page
        .eval("document.body.innerText")
        .as_str()
        .unwrap()
        .to_string();
    page.media("");
    assert!(printed.contains("The calls: it depends"), "{printed}");
    assert!(
        printed.contains("Stay closed: C3 Stay closed at the frontier (1 path"),
        "{printed}"
    );
    page.assert_clean();
}

#[test]
fn progress_counts_the_questions_left_from_each_position() {
    let page = browser::open(&decide());
    let progress = |p: &Page| p.text("[data-progress]");
    wait_question(&page, "harm");
    assert_eq!(progress(&page), "Question 1 of at most 6");
    page.click("button[data-answer=no]");
    wait_question(&page, "data");
    assert_eq!(progress(&page), "Question 2 of at most 6");
    page.click("button[data-answer=no]");
    wait_question(&page, "moat");
    assert_eq!(progress(&page), "Question 3 of at most 6");
    page.click("button[data-answer=behind]");
    wait_question(&page, "challenger");
    assert_eq!(progress(&page), "Question 4 of at most 6");
    page.click("[data-back]");
    wait_question(&page, "moat");
    page.click("button[data-answer=model]");
    wait_question(&page, "lead");
    assert_eq!(
        progress(&page),
        "Question 4 of 4",
        "the last question says so"
    );
    page.click("[data-back]");
    wait_question(&page, "moat");
    page.click("button[data-answer=surroundings]");
    wait_question(&page, "compound");
    assert_eq!(progress(&page), "Question 4 of at most 6");
    // The page states the longest path, worked out by the build.
    assert!(page.text(".dt-facts").starts_with("At most 6 questions"));
    page.assert_clean();
}

#[test]
fn the_map_shows_the_readers_path_and_reads_at_1024_pixels() {
    let page = browser::open_url(&url(CHALLENGER));
    page.viewport(1024, 800, false);
    wait_verdict(&page, "open-challenger");
    page.click("[data-map-path]");
    page.wait_for_url(&format!("decide-map.html#{CHALLENGER}"));
    page.wait_for("[data-tree-map] .pb-tm-on-path");
    let on = |css: &str| page.count(&format!("[data-tree-map] {css}.pb-tm-on-path"));
    assert_eq!(on(".pb-tm-q"), 6);
    assert_eq!(on(".pb-tm-row"), 6);
    assert_eq!(on(".pb-tm-edge"), 5);
    assert_eq!(on("[data-kind=verdict]"), 1);
    assert_eq!(
        page.attr(
            "[data-tree-map] [data-kind=verdict].pb-tm-on-path",
            "data-node"
        )
        .as_deref(),
        Some("v-open-challenger")
    );
    assert!(page
        .text("[data-map-path-note]")
        .starts_with("Your path is highlighted: Q1 → Q2 → Q3 → Q8 → Q9 → Q10 → C11."));
    assert_eq!(page.count("[data-tree-outline] .dt-on-path"), 6);
    // Readable where it is: text of 12 px or more, nothing to scroll sideways.
    let smallest = page
        .eval(
            "(() => { const s = document.querySelector('[data-tree-map]');
                const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
                return Math.min(...[...s.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize))) * scale; })()",
        )
        .as_f64()
        .unwrap();
    assert!(
        smallest >= 12.0,
        "the map's smallest text is {smallest:.1} px"
    );
    assert_eq!(
        page.eval("document.scrollingElement.scrollWidth <= innerWidth"),
        true,
        "the map page scrolls sideways at 1,024 px"
    );
    // Back to the result.
    page.click("[data-map-path-note] a");
    page.wait_for_url(&format!("decide.html#{CHALLENGER}"));
    wait_verdict(&page, "open-challenger");
    page.assert_clean();
}

#[test]
fn only_answers_carry_data_answer() {
    let page = browser::open_url(&url("harm=no&data=no&moat=model"));
    wait_question(&page, "lead");
    let check = |page: &Page, at: &str| {
        let odd = page.eval(
            "[...document.querySelectorAll('[data-decision-tree] [data-answer]')]
                .filter(e => e.tagName !== 'BUTTON' || !e.classList.contains('dt-answer'))
                .map(e => e.outerHTML)",
        );
        assert_eq!(odd, serde_json::json!([]), "{at}");
        let controls = page.eval(
            "[...document.querySelectorAll('[data-decision-tree] [data-back], [data-decision-tree] [data-change], [data-decision-tree] [data-restart], [data-decision-tree] [data-copy-link], [data-decision-tree] [data-print]')]
                .filter(e => e.hasAttribute('data-answer')).length",
        );
        assert_eq!(controls, 0, "{at}");
    };
    assert_eq!(
        page.count("button[data-answer]"),
        5,
        "four answers and Not sure"
    );
    assert_eq!(
        page.attrs("button[data-answer]", "data-answer"),
        ["far-ahead", "top-only", "matched", "caught-up", "not-sure"].map(|s| Some(s.to_string()))
    );
    check(&page, "mid-way");
    page.click("button[data-answer=far-ahead]");
    wait_verdict(&page, "closed-frontier");
    assert_eq!(page.count("[data-decision-tree] button[data-answer]"), 0);
    for control in [
        "[data-back]",
        "[data-change]",
        "[data-restart]",
        "[data-copy-link]",
        "[data-print]",
    ] {
        assert!(page.count(control) >= 1, "no {control} at a result");
    }
    check(&page, "at a result");
    page.assert_clean();
}

#[test]
fn keyboard_only() {
    let page = browser::open(&decide());
    page.wait_for("[data-decision-tree] button[data-answer]");
    page.focus("[data-decision-tree] button[data-answer=no]");
    page.press("Enter");
    wait_question(&page, "data");
    // Focus moves to the new question, so Tab goes on to its "see" link, then its answers.
    assert_eq!(page.focused(), "pb-dt-question");
    for _ in 0..3 {
        page.press("Tab");
        if page
            .eval("document.activeElement.dataset.answer === 'yes'")
            .as_bool()
            == Some(true)
        {
            break;
        }
    }
    assert_eq!(
        page.eval("document.activeElement.dataset.answer").as_str(),
        Some("yes"),
        "Tab never reached the first answer"
    );
    page.press("Enter");
    page.wait_for("[data-verdict=closed]");
    page.assert_clean();
}

#[test]
fn without_javascript_the_whole_tree_is_readable() {
    // The static version is in the HTML the script hides: every question and
    // verdict, numbered and linked by anchors (checked by the HTML tests);
    // here, that the script hid it and showed the interactive version instead.
    let page = browser::open(&decide());
    page.wait_for("[data-tree-app] button[data-answer]");
    assert!(page
        .eval("document.querySelector('[data-tree-static]').hidden")
        .as_bool()
        .unwrap());
    assert!(!page
        .eval("document.querySelector('[data-tree-app]').hidden")
        .as_bool()
        .unwrap());
    page.assert_clean();
}
