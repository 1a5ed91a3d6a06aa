//! A good site builds into cross-linked pages that work from disk.

use crate::site_test::{crawl, SiteTest};

fn built() -> SiteTest {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    t
}

#[test]
fn every_page_and_index_is_written() {
    let t = built();
    for page in [
        "index.html",
        "404.html",
        "patterns/index.html",
        "patterns/alpha.html",
        "patterns/beta.html",
        "cases/index.html",
        "cases/open-case.html",
        "cases/closed-case.html",
        "hybrids/index.html",
        "hybrids/hybrid-one.html",
        "mistakes/index.html",
        "mistakes/mistake-one.html",
        "assets/style.css",
        ".nojekyll",
        ".playbook-output",
    ] {
        assert!(t.path("public").join(page).is_file(), "{page} missing");
    }
    // No sitemap without a base-url to make its URLs absolute.
    assert!(!t.path("public/sitemap.xml").exists());
}

#[test]
fn index_pages_list_every_page_of_their_kind() {
    let t = built();
    let patterns = t.html("patterns/index.html");
    assert_eq!(
        patterns.hrefs("[data-section-list] a"),
        ["alpha.html", "beta.html"]
    );
    let cases = t.html("cases/index.html");
    assert_eq!(cases.hrefs("[data-group=open] a"), ["open-case.html"]);
    assert_eq!(cases.hrefs("[data-group=closed] a"), ["closed-case.html"]);
    assert!(cases
        .text("[data-group=open] .card")
        .contains("A case where opening pays."));
}

#[test]
fn content_pages_show_kind_breadcrumb_and_home_link() {
    let t = built();
    let page = t.html("cases/open-case.html");
    assert_eq!(page.text("h1"), "Open case");
    assert_eq!(page.text(".kind-label"), "Case");
    assert_eq!(
        page.one("[data-page-badge]")
            .value()
            .attr("data-page-badge"),
        Some("open")
    );
    assert_eq!(
        page.hrefs(".breadcrumb a"),
        ["../index.html", "../cases/index.html"]
    );
    assert!(page.hrefs(".brand").contains(&"../index.html".to_string()));
}

#[test]
fn related_links_and_backlinks_are_both_shown() {
    let t = built();
    // open-case lists hybrid-one as related, and alpha lists open-case: a
    // relation shows on both pages, once.
    let open = t.html("cases/open-case.html");
    assert_eq!(
        open.hrefs(".related a"),
        ["../hybrids/hybrid-one.html", "../patterns/alpha.html"]
    );
    // alpha is linked from the home page's text; hybrid-one names it in
    // `patterns`, so it shows under that field's inverse label; open-case
    // names it too, but alpha lists open-case as related, so it shows there.
    let alpha = t.html("patterns/alpha.html");
    let back = alpha.hrefs(".backlinks a");
    assert!(back.contains(&"../index.html".to_string()), "{back:?}");
    assert!(
        !back.contains(&"../cases/open-case.html".to_string()),
        "{back:?}"
    );
    assert_eq!(alpha.text(".inbound h2"), "Hybrids that combine it");
    assert_eq!(alpha.hrefs(".inbound a"), ["../hybrids/hybrid-one.html"]);
    assert!(alpha
        .hrefs(".related a")
        .contains(&"../cases/open-case.html".to_string()));
    // Nothing shows twice.
    let all = alpha.hrefs(".connections a");
    let mut unique = all.clone();
    unique.dedup();
    assert_eq!(all.len(), unique.len(), "{all:?}");
    // closed-case is linked from alpha's body: a backlink, not a related page.
    let closed = t.html("cases/closed-case.html");
    assert!(closed
        .hrefs(".backlinks a")
        .contains(&"../patterns/alpha.html".to_string()));
    assert!(closed
        .hrefs(".related a")
        .contains(&"../mistakes/mistake-one.html".to_string()));
}

#[test]
fn md_links_are_rewritten_to_relative_html_links() {
    let t = built();
    let home = t.html("index.html");
    assert_eq!(
        home.hrefs(".prose a:not(.pb-anchor)"),
        ["patterns/alpha.html", "cases/open-case.html#signals"]
    );
    let open = t.html("cases/open-case.html");
    assert_eq!(
        open.hrefs(".prose a:not(.pb-anchor)"),
        ["../patterns/alpha.html#details"]
    );
    let closed = t.html("cases/closed-case.html");
    assert_eq!(
        closed.hrefs(".prose a:not(.pb-anchor)"),
        ["open-case.html", "#why"]
    );
    // Each heading links to itself, beside it.
    assert_eq!(open.hrefs(".prose .pb-anchor"), ["#signals"]);
    // External links pass through untouched.
    let hybrid = t.html("hybrids/hybrid-one.html");
    assert_eq!(hybrid.hrefs(".prose a"), ["https://example.org/paper"]);
}

#[test]
fn headings_get_ids_that_fragments_resolve_to() {
    let t = built();
    let open = t.html("cases/open-case.html");
    assert!(open.ids().contains("signals"));
}

#[test]
fn previous_and_next_follow_weight_within_a_kind() {
    let t = built();
    let alpha = t.html("patterns/alpha.html");
    assert!(alpha.hrefs(".pager a[rel=prev]").is_empty());
    assert_eq!(alpha.hrefs(".pager a[rel=next]"), ["beta.html"]);
    let beta = t.html("patterns/beta.html");
    assert_eq!(beta.hrefs(".pager a[rel=prev]"), ["alpha.html"]);
}

#[test]
fn pattern_pages_show_what_is_opened_and_kept() {
    let t = built();
    let alpha = t.html("patterns/alpha.html");
    let rows: Vec<String> = alpha
        .select(".glance dl > div")
        .iter()
        .map(|row| row.text().collect::<Vec<_>>().join("|"))
        .collect();
    for expected in [
        "Opened|The alpha layer",
        "Kept|The beta layer",
        "Gains|Reach",
        "Costs|Revenue",
    ] {
        assert!(
            rows.iter().any(|r| r == expected),
            "{expected:?} not in {rows:?}"
        );
    }
}

#[test]
fn every_link_is_relative_and_resolves_from_disk() {
    let t = built();
    let crawl = crawl(&t.path("public"));
    assert!(crawl.problems.is_empty(), "{:#?}", crawl.problems);
    assert_eq!(crawl.pages, 13); // 12 pages and print.html
    assert!(crawl.links > 50, "{crawl:?}");
}

#[test]
fn markdown_extensions_render() {
    let t = built();
    let mistake = t.html("mistakes/mistake-one.html");
    assert_eq!(mistake.select(".prose table th").len(), 2);
}

#[test]
fn rebuild_drops_pages_whose_source_is_gone() {
    let t = SiteTest::fixture("all-kinds");
    t.write(
        "content/patterns/gamma.md",
        "---\ntitle: G\nsummary: S\nopened: o\nkept: k\ngains: [g]\ncosts: [c]\n---\n",
    );
    t.built();
    assert!(t.path("public/patterns/gamma.html").exists());
    t.remove("content/patterns/gamma.md").built();
    assert!(!t.path("public/patterns/gamma.html").exists());
    assert!(t.path("public/patterns/alpha.html").exists());
}

#[test]
fn out_flag_and_site_dir_argument() {
    let t = SiteTest::fixture("all-kinds");
    let other = tempfile::tempdir().unwrap();
    let out = other.path().join("site-out");
    let run = t.run(&[
        "build",
        t.root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    run.success();
    assert!(out.join("index.html").is_file());
    assert!(!t.path("public").exists());
}

#[test]
fn check_validates_without_writing() {
    let t = SiteTest::fixture("all-kinds");
    t.run(&["check"]).success();
    assert!(!t.path("public").exists());
    t.write(
        "content/cases/bad.md",
        "---\ntitle: Bad\nsummary: s\nverdict: maybe\n---\n",
    );
    t.run(&["check"])
        .failure()
        .reports("content/cases/bad.md:4:10", "unknown verdict \"maybe\"");
    assert!(!t.path("public").exists());
}

#[test]
fn a_site_template_overrides_the_theme() {
    let t = SiteTest::fixture("all-kinds");
    let theme = std::fs::read_to_string(
        crate::site_test::repo_root().join("themes/default/templates/section.html"),
    )
    .unwrap();
    t.write(
        "templates/section.html",
        theme.replace(
            "<h1>{{ section.label }}</h1>",
            "<h1 class=\"custom\">{{ section.label }}</h1>",
        ),
    );
    t.built();
    assert_eq!(t.html("cases/index.html").text("h1.custom"), "Cases");
}

#[test]
fn help_explains_every_command() {
    let t = SiteTest::empty();
    for cmd in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["check", "--help"],
    ] {
        let run = t.run(&cmd);
        run.success();
        assert!(run.stdout.contains("Usage: playbook"), "{}", run.stdout);
    }
}
