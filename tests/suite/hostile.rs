//! Hostile content: whatever authors write, nothing the generator places in
//! attributes, JSON or text can run as script or become markup. Raw HTML written
//! in a Markdown body is the author's own and passes through, as in CommonMark.

use crate::site_test::{crawl, SiteTest};

const EVIL: &str =
    r#"</script><script>alert(1)</script><img src=x onerror=alert(2)> "double" 'single' & <!--"#;

fn hostile_site() -> SiteTest {
    let t = SiteTest::fixture("all-kinds");
    let yaml = serde_json::to_string(EVIL).unwrap();
    t.write(
        "content/cases/open-case.md",
        format!("---\ntitle: {yaml}\nsummary: {yaml}\nverdict: open\nsignals: [{yaml}]\nexamples: [{yaml}]\nrelated: [hybrid-one]\n---\nBody with <em>author HTML</em>.\n\n## Signals\n\nText.\n"),
    );
    t.write(
        "content/patterns/alpha.md",
        t.read("content/patterns/alpha.md")
            .replace("opened: The alpha layer", &format!("opened: {yaml}")),
    );
    t.write(
        "content/decide.yaml",
        crate::decision_tree::TREE
            .replace("question: Are you behind?", &format!("question: {yaml}"))
            .replace(
                "text: Behind means little to lose.",
                &format!("text: {yaml}"),
            ),
    );
    t.built();
    t
}

#[test]
fn no_content_becomes_markup_anywhere() {
    let t = hostile_site();
    for page in [
        "cases/open-case.html",
        "cases/index.html",
        "patterns/alpha.html",
        "hybrids/hybrid-one.html",
        "decide.html",
        "index.html",
    ] {
        let html = t.html(page);
        assert!(
            html.select("[onerror]").is_empty(),
            "{page}: an injected attribute became markup"
        );
        assert!(
            html.select("img[src=x]").is_empty(),
            "{page}: an injected image became markup"
        );
        for script in html.select("script") {
            assert!(
                !script.inner_html().contains("alert(1)")
                    || script.value().attr("type") == Some("application/json"),
                "{page}: injected script"
            );
        }
    }
}

#[test]
fn text_stays_text_in_titles_attributes_and_lists() {
    let t = hostile_site();
    let page = t.html("cases/open-case.html");
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(page.text("h1"), collapse(EVIL));
    assert_eq!(
        page.one("meta[name=description]").value().attr("content"),
        Some(EVIL)
    );
    assert!(page.text("head > title").starts_with(&collapse(EVIL)));
    assert!(page.text(".glance").contains(&collapse(EVIL)));
    // The section index and the pages linking to it show it as text too.
    let index = t.html("cases/index.html");
    assert!(index.text("[data-group=open]").contains(&collapse(EVIL)));
    let hybrid = t.html("hybrids/hybrid-one.html");
    assert!(hybrid.text(".connections").contains(&collapse(EVIL)));
}

#[test]
fn decision_tree_data_and_static_tree_are_escaped() {
    let t = hostile_site();
    let raw = t.read("public/decide.html");
    let data = crate::site_test::tree_data(&raw);
    let value: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(value["questions"][0]["text"], EVIL);
    assert_eq!(value["verdicts"][0]["reasons"][0]["text"], EVIL);
    assert_eq!(
        value["verdicts"][0]["reasons"][0]["title"], EVIL,
        "the page title inside a reason link"
    );
    let page = t.html("decide.html");
    // The tree's data is the only inline script; the others are the theme's files.
    assert_eq!(
        page.select("script:not([src]):not([data-theme-init])")
            .len(),
        1
    );
}

#[test]
fn author_html_in_a_body_passes_through_and_links_still_resolve() {
    let t = hostile_site();
    let page = t.html("cases/open-case.html");
    assert_eq!(page.text(".prose em"), "author HTML");
    let crawl = crawl(&t.path("public"));
    assert!(crawl.problems.is_empty(), "{:#?}", crawl.problems);
}

#[test]
fn script_urls_are_refused_in_every_spelling() {
    for href in [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ] {
        let t = SiteTest::fixture("all-kinds");
        t.write(
            "content/hybrids/hybrid-one.md",
            format!("---\ntitle: H\nsummary: S\n---\n[x](<{href}>)\n"),
        );
        let run = t.build();
        run.failure();
        assert!(
            run.stderr.contains("script URL") || run.stderr.contains("not in the content folder"),
            "{href}: {}",
            run.stderr
        );
        assert!(!t.path("public").exists());
    }
}
