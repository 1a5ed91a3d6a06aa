//! The decision tree in headless Chromium, opened from disk (file://): every
//! path reaches the call the tree says, with its confidence and reasons; back,
//! restart, the trail, keyboard use and the URL hash all work; nothing is
//! requested but file: URLs and nothing logs an error.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::browser;
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

/// Clicks the answers with these indexes, one question at a time.
fn answer(page: &browser::Page, path: &[usize]) {
    for (step, i) in path.iter().enumerate() {
        page.wait_until(
            &format!("document.querySelectorAll('.dt-trail li').length === {step}"),
            "the trail to grow",
        );
        page.click(&format!("[data-decision-tree] button[data-answer='{i}']"));
    }
    page.wait_for("[data-verdict]");
}

/// Every file a verdict links to exists on disk.
fn verdict_links_resolve(page: &browser::Page) -> usize {
    let hrefs: Vec<String> = serde_json::from_value(
        page.eval("[...document.querySelectorAll('[data-verdict] a')].map(a => a.href)"),
    )
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

#[test]
fn reaches_an_open_call_with_confidence_and_reasons() {
    let page = browser::open(&decide());
    page.wait_for("[data-decision-tree] button[data-answer]");
    // No risk, clean data, no moat yet, good enough, adoption anywhere helps.
    answer(&page, &[1, 1, 2, 0, 0]);
    assert_eq!(
        page.attr("[data-verdict]", "data-verdict").as_deref(),
        Some("open")
    );
    assert_eq!(
        page.attr("[data-verdict]", "data-confidence")
            .or(page.attr("[data-confidence]", "data-confidence"))
            .as_deref(),
        Some("80")
    );
    assert!(page.text("[data-verdict] .dt-confidence").contains("80%"));
    assert!(page.count("[data-verdict] .dt-reasons a") >= 2);
    assert!(page
        .attrs("[data-verdict] .dt-reasons a", "href")
        .contains(&Some("cases/catching-up.html".into())));
    assert!(verdict_links_resolve(&page) >= 3);
    assert!(page.url().ends_with("#path=1.1.2.0.0"), "{}", page.url());
    page.assert_clean();
}

#[test]
fn reaches_a_closed_and_a_hybrid_call() {
    let page = browser::open(&decide());
    answer(&page, &[0]);
    assert_eq!(
        page.attr("[data-verdict]", "data-verdict").as_deref(),
        Some("closed")
    );
    assert!(page.text("[data-verdict] .dt-confidence").contains("90%"));
    assert!(page
        .attrs("[data-verdict] .dt-reasons a", "href")
        .contains(&Some("cases/safety-in-the-weights.html".into())));
    page.click("[data-restart]");
    page.wait_for("[data-question=harm]");
    answer(&page, &[1, 1, 0, 1]);
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
fn every_path_shows_the_call_the_tree_makes() {
    // Enumerate the paths from the tree embedded in the page, then open each
    // by its URL hash and compare what the reader sees.
    let html = std::fs::read_to_string(decide()).unwrap();
    let tree: serde_json::Value = serde_json::from_str(crate::site_test::tree_data(&html)).unwrap();
    let question = |id: &str| {
        tree["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == id)
            .unwrap()
            .clone()
    };
    let verdict = |id: &str| {
        tree["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == id)
            .unwrap()
            .clone()
    };
    let mut paths = Vec::new();
    let mut stack = vec![(
        tree["start"].as_str().unwrap().to_string(),
        Vec::<usize>::new(),
    )];
    while let Some((q, path)) = stack.pop() {
        for (i, a) in question(&q)["answers"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let mut p = path.clone();
            p.push(i);
            match a["verdict"].as_str() {
                Some(v) => paths.push((p, verdict(v))),
                None => stack.push((a["next"].as_str().unwrap().to_string(), p)),
            }
        }
    }
    assert_eq!(paths.len(), 13);
    let page = browser::open(&decide());
    for (path, v) in &paths {
        let hash = path
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(".");
        // A new hash on the same document, as following a shared link would set it.
        page.eval(&format!(
            "location.hash = {}",
            browser::js_string(&format!("path={hash}"))
        ));
        page.wait_until(
            &format!(
                "(e => e && e.dataset.verdictId === {})(document.querySelector('[data-verdict]'))",
                browser::js_string(v["id"].as_str().unwrap())
            ),
            "the verdict for this path",
        );
        assert_eq!(
            page.attr("[data-verdict]", "data-verdict").as_deref(),
            v["call"].as_str(),
            "path {hash}"
        );
        assert!(
            page.text("[data-verdict] .dt-confidence")
                .contains(&format!("{}%", v["confidence"])),
            "path {hash}"
        );
        assert!(
            page.count("[data-verdict] .dt-reasons a") >= 2,
            "path {hash}"
        );
        assert_eq!(
            page.count(".dt-trail li"),
            path.len(),
            "path {hash}: the trail shows every answer"
        );
    }
    page.assert_clean();
}

#[test]
fn back_button_trail_and_restart_step_back() {
    let page = browser::open(&decide());
    answer(&page, &[1, 1, 2, 0, 0]);
    // The browser's back button undoes one answer.
    page.eval("history.back()");
    page.wait_for("[data-question=commercial]");
    assert_eq!(page.count("[data-verdict]"), 0);
    assert_eq!(page.count(".dt-trail li"), 4);
    // A step of the trail goes back to that question.
    page.click(".dt-trail button[data-step='1']");
    page.wait_for("[data-question=data]");
    assert_eq!(page.count(".dt-trail li"), 1);
    // The page's own back button, then restart.
    page.click("[data-back]");
    page.wait_for("[data-question=harm]");
    answer(&page, &[0]);
    page.click("[data-restart]");
    page.wait_for("[data-question=harm]");
    assert_eq!(page.count(".dt-trail li"), 0);
    assert!(page.url().ends_with("#path="), "{}", page.url());
    page.assert_clean();
}

#[test]
fn a_bookmarked_result_is_restored_on_load() {
    let page = browser::open_url(&format!("{}#path=1.1.0.0", browser::file_url(&decide())));
    page.wait_for("[data-verdict]");
    assert_eq!(
        page.attr("[data-verdict]", "data-verdict-id").as_deref(),
        Some("closed-frontier")
    );
    assert_eq!(page.count(".dt-trail li"), 4);
    // A reload restores it too.
    page.eval("location.reload()");
    page.wait_until(
        "document.readyState === 'complete' && document.querySelector('[data-verdict]')",
        "the reloaded verdict",
    );
    assert_eq!(
        page.attr("[data-verdict]", "data-verdict-id").as_deref(),
        Some("closed-frontier")
    );
    // A hand-edited hash that goes nowhere shows the last valid question.
    page.eval("location.hash = 'path=1.9.9'");
    page.wait_for("[data-question=data]");
    page.assert_clean();
}

#[test]
fn keyboard_only() {
    let page = browser::open(&decide());
    page.wait_for("[data-decision-tree] button[data-answer]");
    page.focus("[data-decision-tree] button[data-answer='1']");
    page.press("Enter");
    page.wait_for("[data-question=data]");
    // Focus moves to the new question, so Tab goes on to its "see" link, then its answers.
    assert_eq!(page.focused(), "pb-dt-question");
    for _ in 0..3 {
        page.press("Tab");
        if page
            .eval("document.activeElement.dataset.answer === '0'")
            .as_bool()
            == Some(true)
        {
            break;
        }
    }
    assert_eq!(
        page.eval("document.activeElement.dataset.answer").as_str(),
        Some("0"),
        "Tab never reached the first answer"
    );
    page.press("Enter");
    page.wait_for("[data-verdict=closed]");
    page.assert_clean();
}

#[test]
fn without_javascript_the_whole_tree_is_readable() {
    // The static version is in the HTML the script hides: every question and
    // verdict, linked by anchors (checked by the HTML tests); here, that the
    // script hid it and showed the interactive version instead.
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
