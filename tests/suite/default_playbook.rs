//! The playbook shipped in this repository builds and is complete.

use crate::site_test::{crawl, SiteTest};

const IDS: [(&str, &str); 21] = [
    ("patterns", "open-weights"),
    ("patterns", "open-tooling-closed-model"),
    ("patterns", "open-core-paid-hosted"),
    ("patterns", "open-research-closed-product"),
    ("cases", "hosted-services"),
    ("cases", "commoditize-a-complement"),
    ("cases", "developer-mindshare"),
    ("cases", "catching-up"),
    ("cases", "regulatory-goodwill"),
    ("cases", "model-is-the-product"),
    ("cases", "cheap-replication"),
    ("cases", "safety-in-the-weights"),
    ("cases", "ip-and-data-entangled"),
    ("hybrids", "open-small-closed-large"),
    ("hybrids", "delayed-open-sourcing"),
    ("hybrids", "research-only-license"),
    ("hybrids", "open-evals-closed-model"),
    ("mistakes", "open-sourcing-as-pr"),
    ("mistakes", "no-license-strategy"),
    ("mistakes", "no-ongoing-investment"),
    ("mistakes", "failing-to-decide-what-stays-closed"),
];

#[test]
fn default_playbook_has_a_page_for_every_id_and_no_broken_link() {
    let t = SiteTest::default_playbook();
    t.built();
    for (kind, id) in IDS {
        let page = t.html(&format!("{kind}/{id}.html"));
        assert_eq!(page.one("article").value().attr("data-id"), Some(id));
        // Every page is woven in: it links out and something links to it.
        assert!(!page.select(".prose a").is_empty(), "{id} links nowhere");
        assert!(
            !page
                .select(".related a, .inbound a, .backlinks a")
                .is_empty(),
            "nothing links to {id}"
        );
        let index = t.html(&format!("{kind}/index.html"));
        assert!(
            index
                .hrefs("[data-section-list] a")
                .contains(&format!("{id}.html")),
            "{kind}/index.html does not list {id}"
        );
    }
    let cases = t.html("cases/index.html");
    assert_eq!(cases.select("[data-group=open] .card").len(), 5);
    assert_eq!(cases.select("[data-group=closed] .card").len(), 4);
    let crawl = crawl(&t.path("public"));
    assert!(crawl.problems.is_empty(), "{:#?}", crawl.problems);
}
