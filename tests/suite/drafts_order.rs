//! Drafts stay out of the published site; weight, then title, orders each kind.

use crate::site_test::SiteTest;

fn mistake(title: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\nsummary: About {title}.\n{extra}---\nText.\n")
}

/// Three mistakes with no weight (ordered by title) and a draft linked from nowhere.
fn site() -> SiteTest {
    let t = SiteTest::fixture("all-kinds");
    t.write("content/mistakes/zebra.md", mistake("Zebra", ""))
        .write("content/mistakes/apple.md", mistake("apple", ""))
        .write(
            "content/mistakes/unfinished.md",
            mistake("Unfinished thoughts", "draft: true\n"),
        );
    t
}

#[test]
fn drafts_are_left_out_by_default() {
    let t = site();
    t.built();
    assert!(!t.path("public/mistakes/unfinished.html").exists());
    let index = t.html("mistakes/index.html");
    assert!(!index
        .hrefs("[data-section-list] a")
        .contains(&"unfinished.html".to_string()));
    assert!(t
        .html("mistakes/apple.html")
        .select("[data-draft]")
        .is_empty());
}

#[test]
fn drafts_are_built_with_a_badge_when_asked() {
    let t = site();
    t.run(&["build", "--drafts"]).success();
    let page = t.html("mistakes/unfinished.html");
    assert_eq!(page.text("[data-draft]"), "Draft");
    assert!(t
        .html("mistakes/index.html")
        .hrefs("[data-section-list] a")
        .contains(&"unfinished.html".to_string()));
    // Published pages carry no badge.
    assert!(t
        .html("mistakes/apple.html")
        .select("[data-draft]")
        .is_empty());
}

#[test]
fn a_link_from_a_published_page_to_a_draft_says_so() {
    let t = site();
    t.write(
        "content/mistakes/apple.md",
        mistake("apple", "").replace("Text.", "Text.\n\nSee [the draft](unfinished.md)."),
    );
    let run = t.build();
    run.failure().reports(
        "content/mistakes/apple.md:7:5",
        "link to a draft page `unfinished.md`",
    );
    assert!(run
        .stderr
        .contains("content/mistakes/unfinished.md has `draft: true`"));
    assert!(run.stderr.contains("--drafts"));
    assert!(!run.stderr.contains("missing page"), "{}", run.stderr);
    // With drafts the same link is fine.
    t.run(&["build", "--drafts"]).success();
}

#[test]
fn pages_without_weight_are_ordered_by_title() {
    let t = site();
    t.built();
    // mistake-one's title is "Mistake one"; case does not matter.
    assert_eq!(
        t.html("mistakes/index.html").hrefs("[data-section-list] a"),
        ["apple.html", "mistake-one.html", "zebra.html"]
    );
}

#[test]
fn weight_comes_before_title() {
    let t = site();
    t.write(
        "content/mistakes/zebra.md",
        mistake("Zebra", "weight: -1\n"),
    )
    .write("content/mistakes/apple.md", mistake("apple", "weight: 5\n"));
    t.built();
    assert_eq!(
        t.html("mistakes/index.html").hrefs("[data-section-list] a"),
        ["zebra.html", "mistake-one.html", "apple.html"]
    );
    // Previous/next follow the same order.
    let middle = t.html("mistakes/mistake-one.html");
    assert_eq!(middle.hrefs(".pager .prev"), ["zebra.html"]);
    assert_eq!(middle.hrefs(".pager .next"), ["apple.html"]);
}
