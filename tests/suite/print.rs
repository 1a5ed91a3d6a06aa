//! print.html: the whole playbook on one page, linking within itself.

use std::collections::HashMap;

use crate::site_test::{crawl, Page, SiteTest};

/// Every id of the page with how often it occurs.
fn id_counts(page: &Page) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for el in page.select("[id]") {
        *counts
            .entry(el.value().attr("id").unwrap().to_string())
            .or_insert(0) += 1;
    }
    counts
}

/// Internal links inside <main> all point at an id of print.html itself;
/// only files (images, PDFs) and the web are left as they are.
fn assert_links_stay_inside(page: &Page) {
    let ids = id_counts(page);
    let dupes: Vec<_> = ids.iter().filter(|(_, &n)| n > 1).collect();
    assert!(dupes.is_empty(), "ids used twice: {dupes:?}");
    for href in page.hrefs("main a[href]") {
        if href.starts_with("https:") || href.starts_with("http:") || href.starts_with("mailto:") {
            continue;
        }
        let anchor = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("link `{href}` leaves print.html"));
        assert!(
            ids.contains_key(anchor),
            "link `{href}` has no target in print.html"
        );
    }
}

#[test]
fn the_default_playbook_prints_every_page_once_in_reading_order() {
    let t = SiteTest::default_playbook();
    t.built();
    let print = t.html("print.html");
    let pages: Vec<String> = print
        .select("section.print-page")
        .iter()
        .map(|s| s.value().attr("data-page").unwrap().to_string())
        .collect();
    // Home, 4 patterns, 9 cases, 4 hybrids, 4 mistakes, then free pages.
    assert_eq!(pages[0], "index");
    let mut sorted = pages.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), pages.len(), "a page printed twice: {pages:?}");
    let kinds: Vec<String> = print
        .select("section.print-page")
        .iter()
        .map(|s| s.value().attr("data-kind").unwrap().to_string())
        .collect();
    let order = |k: &str| {
        ["home", "pattern", "case", "hybrid", "mistake", "page"]
            .iter()
            .position(|x| *x == k)
            .unwrap()
    };
    assert!(
        kinds.windows(2).all(|w| order(&w[0]) <= order(&w[1])),
        "{kinds:?}"
    );
    for kind in ["pattern", "case", "hybrid", "mistake"] {
        let built = std::fs::read_dir(t.path(&format!("public/{kind}s")))
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name != "index.html"
            })
            .count();
        assert_eq!(
            kinds.iter().filter(|k| *k == kind).count(),
            built,
            "{kind}s in print.html"
        );
    }
    // The decision tree comes last, as questions, calls and the map.
    assert_eq!(print.select("#decide [id^='q-']").len(), 10);
    assert_eq!(print.select("#decide [id^='v-']").len(), 16);
    assert_eq!(print.select("main svg[data-tree-map]").len(), 1);
    assert_links_stay_inside(&print);
    // A body link to another page now points at its section.
    let home = print.one("#page-index");
    let home_links: Vec<&str> = home
        .select(&scraper::Selector::parse(".prose a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(home_links.contains(&"#page-open-weights"), "{home_links:?}");
    let crawl = crawl(&t.path("public"));
    assert!(crawl.problems.is_empty(), "{:#?}", crawl.problems);
}

#[test]
fn fragments_footnotes_and_images_are_retargeted_into_print() {
    let t = SiteTest::fixture("all-kinds");
    t.write(
        "content/mistakes/mistake-one.md",
        "---\ntitle: Mistake one\nsummary: A mistake.\n---\nSee [alpha's details](../patterns/alpha.md#details), [below](#later), a note[^n], [cases](../cases/index.md) and ![a chart](../img/c.png).\n\n## Later\n\n## Details\n\n[^n]: The note.\n",
    )
    .write("content/img/c.png", "not really a png");
    t.built();
    let print = t.html("print.html");
    assert_links_stay_inside(&print);
    let hrefs = print.hrefs("#page-mistake-one .prose a");
    assert!(
        hrefs.contains(&"#page-alpha:details".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"#page-mistake-one:later".to_string()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"#kind-cases".to_string()), "{hrefs:?}");
    // Both pages have a `details` heading; the prefixes keep them apart.
    let ids = print.ids();
    assert!(ids.contains("page-alpha:details") && ids.contains("page-mistake-one:details"));
    let img = print.one("#page-mistake-one img");
    assert_eq!(img.value().attr("src"), Some("img/c.png"));
    assert!(t.path("public/img/c.png").is_file());
}

/// The parts of print.html reach a theme's own print.html whatever it does with
/// them: printed whole, twice, or changed by a filter.
#[test]
fn a_theme_may_use_the_parts_as_it_likes() {
    let site = SiteTest::default_playbook();
    let template =
        "{% for g in groups %}{% for p in g.pages %}{{ p.html | safe }}{% endfor %}{% endfor %}";
    for (extra, needle) in [
        ("", "class=\"print-page\""),
        (
            "{% for p in home %}{{ p.html | safe }}{{ p.html | safe }}{% endfor %}",
            "id=\"page-index\"",
        ),
        (
            "{% for p in home %}{{ p.html | upper | safe }}{% endfor %}",
            "ID=\"PAGE-INDEX\"",
        ),
    ] {
        site.write("templates/print.html", format!("{extra}{template}"));
        site.build().success();
        let html = site.read("public/print.html");
        assert!(html.contains(needle), "{extra}: {needle} missing");
        assert!(
            !html.contains("playbook-part-"),
            "{extra}: a marker was left"
        );
        assert!(
            html.contains("id=\"page-catching-up\""),
            "{extra}: a case is missing"
        );
    }
}
