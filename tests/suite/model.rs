//! The content model as configuration: the incident-response kit is a second,
//! complete playbook with none of the default kinds. Everything it shows
//! (kinds, fields, groups, backlinks, calls, facets) comes from its book.toml,
//! with no template of its own; and every mistake against the model is an
//! error at the page's line and column.

use crate::site_test::{tree_data, SiteTest};

/// A copy of the incident-response kit, as `playbook new --kit` writes it.
fn incident_response() -> SiteTest {
    let made = SiteTest::empty();
    made.run(&["new", "site", "--kit", "incident-response"])
        .success();
    let t = SiteTest::empty();
    crate::site_test::copy_dir(&made.path("site"), &t.root);
    t
}

#[test]
fn the_second_playbook_builds_from_its_own_declaration() {
    let t = incident_response();
    let run = t.build();
    run.success();
    assert!(run.stderr.contains("built 20 pages"), "{}", run.stderr);
    assert!(!t.path("templates").exists() && !t.path("themes").exists());
    // The sidebar lists the declared kinds, in their order, by plural, with
    // their counts, after the decision tree.
    let home = t.html("index.html");
    let nav: Vec<String> = home
        .select(".sidebar .sb-kind-link")
        .iter()
        .map(|a| {
            let text: String = a.text().collect();
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect();
    assert_eq!(
        nav,
        ["Scenarios 3", "Plays 4", "Roles 3", "Anti-patterns 2"]
    );
    assert_eq!(home.hrefs(".sidebar .sb-decide a"), ["decide.html"]);
}

#[test]
fn indexes_group_by_the_declared_enumeration_in_its_order() {
    let t = incident_response();
    t.built();
    let plays = t.html("plays/index.html");
    let headings: Vec<String> = plays
        .select("main h2")
        .iter()
        .map(|h| {
            h.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        headings,
        [
            "Contain the damage 1",
            "Find the cause 1",
            "Get back to normal 1",
            "Keep people told 1"
        ]
    );
    // Each card carries its value's badge, coloured by the declared tone.
    let badge =
        plays.one("a[href='roll-back.html'] ~ .badge, .card:has(a[href='roll-back.html']) .badge");
    assert_eq!(badge.text().collect::<String>(), "Recover");
    assert!(badge.value().classes().any(|c| c == "tone-good"));
    let scenarios = t.html("scenarios/index.html");
    let headings: Vec<String> = scenarios
        .select("main h2")
        .iter()
        .map(|h| {
            h.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        headings,
        [
            "Critical: all hands 1",
            "High: the on-call team 1",
            "Moderate: next working day 1"
        ]
    );
}

#[test]
fn every_declared_field_is_shown_by_its_type() {
    let t = incident_response();
    t.built();
    let outage = t.html("scenarios/service-outage.html");
    // References sit in the banner, beside the badge they explain.
    assert_eq!(
        outage.hrefs(".banner [data-field='owner'] a"),
        ["../roles/on-call-engineer.html"]
    );
    assert!(outage.select(".glance [data-field='owner']").is_empty());
    assert_eq!(
        outage.hrefs(".banner [data-field='plays'] a"),
        [
            "../plays/contain-first.html",
            "../plays/roll-back.html",
            "../plays/find-what-changed.html"
        ]
    );
    assert_eq!(
        outage.hrefs(".glance [data-field='runbook'] a"),
        ["https://example.org/runbooks/outage"]
    );
    assert_eq!(outage.select(".glance [data-field='signals'] li").len(), 2);
    // The field the kind groups by is the badge, not a row.
    assert_eq!(outage.text("[data-page-badge]"), "High");
    assert!(outage.select(".glance [data-field='severity']").is_empty());

    let play = t.html("plays/find-what-changed.html");
    let field = |name: &str| play.text(&format!(".glance [data-field='{name}'] dd"));
    assert_eq!(field("time-box"), "20");
    assert_eq!(field("automated"), "No");
    // Markdown fields are rendered inline.
    assert_eq!(
        play.one(".glance [data-field='caution'] dd em")
            .text()
            .collect::<String>(),
        "fix"
    );
    assert_eq!(play.select(".glance [data-field='steps'] li").len(), 3);
    // A boolean's declared default shows where the page leaves it out.
    let role = t.html("roles/incident-commander.html");
    assert_eq!(role.text(".glance [data-field='on-call'] dd"), "No");
}

/// Each reference lists its pages back under its own inverse label, in
/// declaration order, instead of one "Linked from".
#[test]
fn backlinks_are_grouped_by_each_references_inverse() {
    let t = incident_response();
    t.built();
    let commander = t.html("roles/incident-commander.html");
    let groups: Vec<(String, Vec<String>)> = commander
        .select("section.inbound")
        .iter()
        .map(|s| {
            let h2 = s
                .select(&scraper::Selector::parse("h2").unwrap())
                .next()
                .unwrap()
                .text()
                .collect::<String>();
            let links = s
                .select(&scraper::Selector::parse("a").unwrap())
                .filter_map(|a| a.value().attr("href").map(str::to_string))
                .collect();
            (h2, links)
        })
        .collect();
    assert_eq!(
        groups,
        [
            (
                "Owns".to_string(),
                vec!["../scenarios/data-leak.html".to_string()]
            ),
            (
                "Runs".to_string(),
                vec![
                    "../plays/contain-first.html".to_string(),
                    "../plays/tell-the-customers.html".to_string()
                ]
            ),
            (
                "Escalated from".to_string(),
                vec![
                    "communications-lead.html".to_string(),
                    "on-call-engineer.html".to_string()
                ]
            ),
        ]
    );
    // The kind tag of a backlink shows its badge value.
    let tag = commander.select("section.inbound .kind-tag")[0]
        .text()
        .collect::<String>();
    assert_eq!(tag, "Scenario · Critical");
    // A page listed in a group is not listed again as a plain backlink.
    let backlinks = commander.hrefs(".backlinks a");
    assert!(
        !backlinks.contains(&"../scenarios/data-leak.html".to_string()),
        "{backlinks:?}"
    );
    let play = t.html("plays/tell-the-customers.html");
    let labels: Vec<String> = play
        .select("section.inbound h2")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(labels, ["Used in", "Prevents"]);
}

#[test]
fn the_tree_makes_the_declared_calls_in_their_tones() {
    let t = incident_response();
    t.built();
    let decide = t.read("public/decide.html");
    let page = crate::site_test::Page::parse(&decide);
    let calls: Vec<(String, String)> = page
        .select(".dt-verdict")
        .iter()
        .map(|s| {
            let badge = s
                .select(&scraper::Selector::parse(".badge").unwrap())
                .next()
                .unwrap();
            (
                s.value().attr("data-call").unwrap().to_string(),
                format!(
                    "{} {}",
                    badge.text().collect::<String>(),
                    badge.value().attr("class").unwrap()
                ),
            )
        })
        .collect();
    assert_eq!(
        calls,
        [
            (
                "escalate".to_string(),
                "Escalate badge tone-bad".to_string()
            ),
            (
                "contain".to_string(),
                "Contain badge tone-warning".to_string()
            ),
            ("monitor".to_string(), "Monitor badge tone-good".to_string()),
        ]
    );
    let data = tree_data(&decide);
    assert!(data.contains("\"escalate\""), "{data}");
    assert!(!data.contains("\"open\""), "{data}");
    // The map colours each call by its tone.
    let map = t.read("public/decide-map.html");
    for tone in ["pb-tm-tone-bad", "pb-tm-tone-warning", "pb-tm-tone-good"] {
        assert!(map.contains(tone), "{tone}");
    }
}

#[test]
fn search_indexes_the_declared_facets_with_every_page_s_value() {
    let t = incident_response();
    t.built();
    let js = t.read("public/assets/search-index.js");
    let json = js
        .strip_prefix("window.PLAYBOOK_SEARCH=")
        .and_then(|j| j.trim_end().strip_suffix(';'))
        .unwrap();
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(index["v"], 6);
    let kinds: Vec<&str> = index["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k[0].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["home", "scenario", "play", "role", "anti-pattern", "page"]
    );
    let facets: Vec<(&str, usize)> = index["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f[4] == 1)
        .map(|f| (f[1].as_str().unwrap(), f[3].as_array().unwrap().len()))
        .collect();
    assert_eq!(facets, [("severity", 3), ("phase", 4)]);
    // The data leak's severity is its first value, critical: its values
    // follow those of the pages before it, one per enumeration field of
    // each page's kind.
    let pages = &index["pages"];
    let leak = pages["paths"]
        .as_str()
        .unwrap()
        .lines()
        .position(|p| p == "scenarios/data-leak")
        .unwrap();
    let fields_of = |kind: &serde_json::Value| {
        index["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f[0] == *kind)
            .count()
    };
    let kinds = pages["kinds"].as_array().unwrap();
    let start: usize = kinds[..leak].iter().map(fields_of).sum();
    let values = pages["values"].as_array().unwrap();
    let own = &values[start..start + fields_of(&kinds[leak])];
    assert_eq!(own, [serde_json::json!(1)]);
    assert_eq!(
        values.len(),
        kinds.iter().map(fields_of).sum::<usize>(),
        "one value per page and enumeration field of its kind"
    );
}

/// Writes `front` as the front matter of `rel`, builds, and returns the run,
/// which must fail with exactly one problem.
fn broken(t: &SiteTest, rel: &str, front: &str) -> crate::site_test::Run {
    t.write(rel, format!("---\n{front}---\nBody.\n"));
    let run = t.build();
    run.failure();
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    run
}

const PLAY: &str = "content/plays/find-what-changed.md";
const SCENARIO: &str = "content/scenarios/noisy-alert.md";

#[test]
fn a_date_that_is_not_yyyy_mm_dd_is_refused() {
    let t = incident_response();
    broken(
        &t,
        SCENARIO,
        "title: A noisy alert\nsummary: s\nseverity: moderate\nowner: on-call-engineer\nlast-drill: 14/09/2026\n",
    )
    .reports(
        "content/scenarios/noisy-alert.md:6:13",
        "`last-drill` must be a date written YYYY-MM-DD, found \"14/09/2026\"",
    );
    // A day that does not exist is no date either.
    broken(
        &t,
        SCENARIO,
        "title: A noisy alert\nsummary: s\nseverity: moderate\nowner: on-call-engineer\nlast-drill: 2026-02-30\n",
    )
    .reports("content/scenarios/noisy-alert.md:6:13", "found \"2026-02-30\"");
}

#[test]
fn a_url_without_http_is_refused() {
    let t = incident_response();
    broken(
        &t,
        SCENARIO,
        "title: A noisy alert\nsummary: s\nseverity: moderate\nowner: on-call-engineer\nrunbook: wiki/alerts\n",
    )
    .reports(
        "content/scenarios/noisy-alert.md:6:10",
        "`runbook` must be an http(s) address, found \"wiki/alerts\"",
    );
}

#[test]
fn an_integer_field_refuses_text() {
    let t = incident_response();
    let run = broken(
        &t,
        PLAY,
        "title: T\nsummary: s\nphase: investigate\ntime-box: twenty\n",
    );
    run.reports(
        "content/plays/find-what-changed.md:5:11",
        "`time-box` must be a whole number, found text \"twenty\"",
    );
    broken(
        &t,
        PLAY,
        "title: T\nsummary: s\nphase: investigate\ntime-box: 2.5\n",
    )
    .reports(
        "content/plays/find-what-changed.md:5:11",
        "found the number 2.5",
    );
}

#[test]
fn a_boolean_field_refuses_yes_in_quotes() {
    let t = incident_response();
    broken(
        &t,
        PLAY,
        "title: T\nsummary: s\nphase: investigate\nautomated: \"yes\"\n",
    )
    .reports(
        "content/plays/find-what-changed.md:5:13",
        "`automated` must be true or false, found text \"yes\"",
    );
}

#[test]
fn an_unknown_enumeration_value_lists_the_declared_ones() {
    let t = incident_response();
    let run = broken(&t, PLAY, "title: T\nsummary: s\nphase: mitigate\n");
    run.reports(
        "content/plays/find-what-changed.md:4:8",
        "unknown phase \"mitigate\"",
    );
    assert!(
        run.stderr.contains(
            "hint: a play's phase is `contain`, `investigate`, `recover` or `communicate`"
        ),
        "{}",
        run.stderr
    );
    // A near miss gets a suggestion first.
    let run = broken(&t, PLAY, "title: T\nsummary: s\nphase: recovr\n");
    assert!(
        run.stderr.contains("hint: did you mean `phase: recover`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_reference_to_a_page_of_the_wrong_kind_names_the_kinds_allowed() {
    let t = incident_response();
    let run = broken(
        &t,
        PLAY,
        "title: T\nsummary: s\nphase: investigate\nrun-by: [on-call-engineer, roll-back]\n",
    );
    run.reports("content/plays/find-what-changed.md:5:28", "roll-back");
    assert!(run.stderr.contains("role"), "{}", run.stderr);
}

#[test]
fn a_reference_to_a_missing_page_suggests_the_nearest_id() {
    let t = incident_response();
    let run = broken(
        &t,
        SCENARIO,
        "title: A noisy alert\nsummary: s\nseverity: moderate\nowner: on-call-enginer\n",
    );
    run.reports("content/scenarios/noisy-alert.md:5:8", "on-call-enginer");
    assert!(run.stderr.contains("on-call-engineer"), "{}", run.stderr);
}

#[test]
fn a_single_reference_refuses_a_list_and_a_list_refuses_a_map() {
    let t = incident_response();
    broken(
        &t,
        SCENARIO,
        "title: A noisy alert\nsummary: s\nseverity: moderate\nowner: [on-call-engineer]\n",
    )
    .reports(
        "content/scenarios/noisy-alert.md:5:1",
        "`owner` must be text, found a list",
    );
    let t = incident_response();
    broken(
        &t,
        PLAY,
        "title: T\nsummary: s\nphase: investigate\nsteps:\n  first: look\n",
    )
    .reports(
        "content/plays/find-what-changed.md:5:1",
        "`steps` must be a list",
    );
}

#[test]
fn a_missing_required_field_shows_its_declared_example() {
    let t = incident_response();
    let run = broken(&t, PLAY, "title: T\nsummary: s\n");
    run.reports(
        "content/plays/find-what-changed.md:1:1",
        "missing required field `phase` for a play",
    );
    assert!(
        run.stderr
            .contains("hint: add a line such as `phase: contain`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_field_gets_did_you_mean_from_the_kinds_own_fields() {
    let t = incident_response();
    let run = broken(
        &t,
        PLAY,
        "title: T\nsummary: s\nphase: investigate\ntimebox: 20\n",
    );
    run.reports(
        "content/plays/find-what-changed.md:5:1",
        "unknown field `timebox`",
    );
    assert!(
        run.stderr.contains("did you mean `time-box`?"),
        "{}",
        run.stderr
    );
    // A field of another kind says whose it is.
    let run = broken(
        &t,
        PLAY,
        "title: T\nsummary: s\nphase: investigate\nseverity: high\n",
    );
    assert!(
        run.stderr.contains("`severity` belongs to scenario pages"),
        "{}",
        run.stderr
    );
}

/// Every problem in one run: three pages, three kinds of mistake.
#[test]
fn every_mistake_against_the_model_is_reported_in_one_run() {
    let t = incident_response();
    t.write(PLAY, "---\ntitle: T\nsummary: s\nphase: mitigate\n---\n");
    t.write(
        SCENARIO,
        "---\ntitle: A noisy alert\nsummary: s\nseverity: moderate\nowner: on-call-engineer\nlast-drill: soon\n---\n",
    );
    t.write(
        "content/roles/on-call-engineer.md",
        "---\ntitle: On call\nsummary: s\non-call: maybe\n---\n",
    );
    let run = t.build();
    run.failure();
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
}
