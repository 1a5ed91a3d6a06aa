//! `playbook watch` seen from headless Chromium: a page open on the preview
//! shows a save at once, updated in place where it was scrolled (a changed
//! script reloads it; a page the save did not change is left alone); a
//! broken file puts an overlay (built as text) over the last good page; fixing
//! it removes the overlay and reloads; a stylesheet-only change is swapped in
//! without a reload. Pages ask for nothing outside the preview's origin and
//! log no error.
//!
//! A reload is told from a same-document change by a marker: `window.__marker`
//! is set before the save and is gone only in a new document. Every wait is on
//! a condition with a deadline, never a fixed sleep.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::browser::{self, js_string};
use crate::site_test::SiteTest;
use crate::watch::{edit, Watching};

const CASE: &str = "content/cases/open-case.md";
const CASE_URL: &str = "cases/open-case.html";

/// The all-kinds fixture with a case body long enough to scroll far.
fn long_site() -> SiteTest {
    let site = SiteTest::fixture("all-kinds");
    let mut text = site.read(CASE);
    for i in 0..200 {
        text.push_str(&format!(
            "\nParagraph {i} of a long case, to scroll past.\n"
        ));
    }
    site.write(CASE, text);
    site
}

/// Opens `url` and waits until its live script listens for events, so a save
/// made next is heard as an event rather than on (re)connecting.
fn open_live(url: &str) -> browser::Page {
    let page = browser::open_url(url);
    wait_live(&page);
    page
}

fn wait_live(page: &browser::Page) {
    page.wait_until(
        "window.playbookLive && window.playbookLive.source.readyState === EventSource.OPEN",
        "the live reload script to connect",
    );
}

/// Marks the current document; [`wait_reloaded`] waits for a new one.
fn mark(page: &browser::Page) {
    page.eval("window.__marker = 1");
}

/// Waits until a new, fully loaded document shows `title` as its `<h1>`.
fn wait_reloaded(page: &browser::Page, title: &str) {
    page.wait_until(
        &format!(
            "window.__marker === undefined && document.readyState === 'complete' \
             && (h => h && h.textContent.trim() === {})(document.querySelector('main h1'))",
            js_string(title)
        ),
        &format!("a reload showing {title:?}"),
    );
}

fn scroll_y(page: &browser::Page) -> f64 {
    page.eval("window.scrollY").as_f64().unwrap_or(-1.0)
}

/// Waits until the same document shows `title` as its `<h1>`.
fn wait_updated(page: &browser::Page, title: &str) {
    page.wait_until(
        &format!(
            "window.__marker === 1 \
             && (h => h && h.textContent.trim() === {})(document.querySelector('main h1'))",
            js_string(title)
        ),
        &format!("the page updated in place to show {title:?}"),
    );
}

#[test]
fn a_save_updates_the_open_page_in_place_where_it_was_scrolled() {
    let w = Watching::start(long_site());
    let page = open_live(&format!("{}{CASE_URL}", w.url));
    assert_eq!(page.text("main h1"), "Open case");
    page.eval("history.scrollRestoration = 'manual'; window.scrollTo(0, 1500)");
    let before = scroll_y(&page);
    assert!(
        before >= 1000.0,
        "the page did not scroll: scrollY {before}"
    );
    // The reader's state outside <main> survives: an open menu, the theme.
    page.eval("document.documentElement.setAttribute('data-theme', 'dark')");
    mark(&page);

    edit(&w.site, CASE, "title: Open case", "title: Opened up");
    wait_updated(&page, "Opened up");
    let after = scroll_y(&page);
    assert!(
        (after - before).abs() <= 2.0,
        "scrolled to {before} before the update, {after} after"
    );
    assert_eq!(page.eval("document.title.startsWith('Opened up')"), true);
    assert_eq!(
        page.eval("document.documentElement.getAttribute('data-theme')"),
        "dark"
    );
    // The sidebar, swapped too, lists the new title.
    assert!(page.text("#pb-contents").contains("Opened up"));
    // "On this page" follows the new headings.
    assert_eq!(
        page.eval("typeof window.playbookReader.refresh"),
        "function"
    );
    page.assert_clean_origin(&w.url);
}

#[test]
fn a_save_that_changes_a_script_reloads_and_one_elsewhere_leaves_the_page() {
    let site = long_site();
    site.write("themes/default/static/reader.js", "window.__reader = 1;\n");
    let w = Watching::start(site);
    let page = open_live(&format!("{}{CASE_URL}", w.url));
    mark(&page);
    // Another page's body: this page is not among the changed files.
    edit(
        &w.site,
        "content/mistakes/mistake-one.md",
        "Avoid it.",
        "Avoid it, always.",
    );
    w.wait_log("(version 2)");
    assert_eq!(
        page.eval("window.__marker"),
        1,
        "an unchanged page was touched"
    );
    assert_eq!(page.text("main h1"), "Open case");
    wait_live(&page);
    w.site
        .write("themes/default/static/reader.js", "window.__reader = 2;\n");
    page.wait_until(
        "window.__marker === undefined && window.__reader === 2",
        "a reload with the new script",
    );
    page.assert_clean_origin(&w.url);
}

#[test]
fn a_broken_file_shows_an_overlay_over_the_last_good_page_until_fixed() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    let url = format!("{}{CASE_URL}", w.url);
    let page = open_live(&url);
    let original = w.site.read(CASE);
    mark(&page);

    w.site.write(
        CASE,
        "---\ntitle: Open case\nsummary: \"unclosed\nverdict: open\n---\nBody\n",
    );
    page.wait_for("#playbook-error-overlay");
    assert_eq!(
        page.texts("#playbook-error-overlay .playbook-error-location"),
        ["content/cases/open-case.md:3:10"]
    );
    let hint = page.text("#playbook-error-overlay .playbook-error-hint");
    assert!(
        hint.starts_with("hint: ") && hint.len() > "hint: ".len(),
        "{hint}"
    );
    // The same document, still showing the last good page underneath.
    assert_eq!(page.eval("window.__marker"), 1);
    assert_eq!(page.text("main h1"), "Open case");

    // A page opened while the build is broken gets the last good site and the
    // overlay at once.
    page.goto(&url);
    page.wait_for("#playbook-error-overlay");
    assert_eq!(page.text("main h1"), "Open case");
    assert_eq!(
        page.texts(".playbook-error-location"),
        ["content/cases/open-case.md:3:10"]
    );
    wait_live(&page);
    mark(&page);

    w.site.write(
        CASE,
        original.replace("title: Open case", "title: Fixed case"),
    );
    wait_reloaded(&page, "Fixed case");
    assert_eq!(page.count("#playbook-error-overlay"), 0);
    page.assert_clean_origin(&w.url);
}

#[test]
fn error_messages_quoting_markup_show_as_text() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    let page = open_live(&format!("{}{CASE_URL}", w.url));
    // The image would point at `x` on the preview; if it were ever parsed, the
    // missing file would run its onerror.
    let field = "<img src=x onerror=window.__xss=1>";
    let pattern = "<img src=x onerror=window.__xss=2>";
    let text = w
        .site
        .read(CASE)
        .replace(
            "verdict: open\n",
            &format!("verdict: open\n\"{field}\": 1\n"),
        )
        .replace("patterns: [alpha]", &format!("patterns: [\"{pattern}\"]"));
    w.site.write(CASE, text);

    page.wait_until(
        "document.querySelectorAll('#playbook-error-overlay .playbook-error').length === 2",
        "both errors in the overlay",
    );
    let shown = page.texts("#playbook-error-overlay .playbook-error");
    assert!(
        shown[0].contains(&format!("error: unknown field `{field}`")),
        "{shown:#?}"
    );
    assert!(
        shown[1].contains(&format!("error: unknown pattern \"{pattern}\"")),
        "{shown:#?}"
    );
    assert_eq!(page.count("img"), 0, "the overlay made an element");
    assert_eq!(page.eval("window.__xss === undefined"), true);
    page.assert_clean_origin(&w.url);
}

#[test]
fn a_stylesheet_change_is_swapped_in_without_a_reload() {
    let site = SiteTest::fixture("all-kinds");
    // A site-level copy of the theme's stylesheet overrides it, as an author's would.
    let theme_css = crate::site_test::repo_root().join("themes/default/static/style.css");
    let css = std::fs::read_to_string(&theme_css).unwrap();
    let rule = |color: &str| format!("{css}\nmain h1 {{ color: {color} }}\n");
    site.write("themes/default/static/style.css", rule("rgb(1, 2, 3)"));
    let w = Watching::start(site);
    let page = open_live(&format!("{}{CASE_URL}", w.url));
    let color = "getComputedStyle(document.querySelector('main h1')).color";
    assert_eq!(page.eval(color), "rgb(1, 2, 3)");
    mark(&page);

    w.site
        .write("themes/default/static/style.css", rule("rgb(4, 5, 6)"));
    page.wait_until(
        &format!("{color} === 'rgb(4, 5, 6)'"),
        "the new stylesheet to apply",
    );
    // The old stylesheet goes once the new one is in.
    page.wait_until(
        "document.querySelectorAll('link[rel=stylesheet]').length === 1",
        "one stylesheet left",
    );
    assert_eq!(page.eval("window.__marker"), 1, "the page reloaded");
    let href = page
        .attr("link[rel=stylesheet]", "href")
        .unwrap_or_default();
    assert!(href.contains("assets/style.css?playbook="), "{href}");
    page.assert_clean_origin(&w.url);
}

/// Save → reloaded page, timed in the browser: from just before the file is
/// written (wall clock, in Rust) to the new document's DOMContentLoaded (its
/// `performance.timeOrigin` plus the navigation entry's offset, also wall
/// clock). Each save appends a sentence to one case's body: a one-page edit.
/// Prints every run and the medians. `cargo test --release -- --ignored
/// --nocapture save_to_reload` times the release binary; bench/run.sh runs
/// the second test on its 1,000-page corpus.
#[test]
#[ignore = "a measurement, not a check: prints numbers"]
fn save_to_reload_time_at_the_default_playbook() {
    time_saves(
        SiteTest::default_playbook(),
        "content/cases/catching-up.md",
        "the default playbook",
    );
}

/// The same at the site folder named by `PLAYBOOK_BENCH_SITE` (a copy of it is
/// edited), e.g. the benchmark's 1,000-page corpus.
#[test]
#[ignore = "a measurement, not a check: prints numbers"]
fn save_to_reload_time_at_a_bench_site() {
    let Some(dir) = std::env::var_os("PLAYBOOK_BENCH_SITE") else {
        println!("set PLAYBOOK_BENCH_SITE to a site folder to time it");
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let site = SiteTest::empty();
    crate::site_test::copy_dir(&dir, &site.root);
    let mut cases: Vec<String> = std::fs::read_dir(site.path("content/cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    cases.sort();
    let rel = format!("content/cases/{}", cases[cases.len() / 2]);
    time_saves(site, &rel, &dir.display().to_string());
}

fn time_saves(site: SiteTest, rel: &str, label: &str) {
    const RUNS: usize = 15;
    let w = Watching::start_as_shipped(site);
    let url = rel.trim_start_matches("content/").replace(".md", ".html");
    let page = open_live(&format!("{}{url}", w.url));
    let pages = page_count(&w.log());
    let original = w.site.read(rel);
    let mut totals = Vec::new();
    let mut heard = Vec::new();
    let mut builds = Vec::new();
    for i in 0..RUNS {
        mark(&page);
        // When the old page hears `reload` (after live.js's own listener, which
        // only starts the navigation), kept where the new page can read it.
        page.eval(
            "sessionStorage.removeItem('heard'); \
             window.playbookLive.source.addEventListener('reload', () => \
             sessionStorage.setItem('heard', String(performance.timeOrigin + performance.now())))",
        );
        let sentence = format!("Saved edit number {i}.");
        // The moment the page shows the sentence, updated in place: stamped
        // by an observer in the page (a reload would lose it, and is then
        // timed by its navigation entry).
        page.eval(&format!(
            "window.__shown = undefined; new MutationObserver((_, o) => {{ \
             if (document.querySelector('main').textContent.includes({s})) {{ \
             window.__shown = performance.timeOrigin + performance.now(); o.disconnect(); }} }}) \
             .observe(document.querySelector('main'), {{ childList: true, subtree: true }})",
            s = js_string(&sentence)
        ));
        let before = now_ms();
        w.site.write(rel, format!("{original}\n{sentence}\n"));
        page.wait_until(
            &format!(
                "document.readyState === 'complete' \
                 && document.querySelector('main').textContent.includes({})",
                js_string(&sentence)
            ),
            &format!("the page showing {sentence:?}"),
        );
        let loaded = page
            .eval(
                "window.__shown !== undefined ? window.__shown : performance.timeOrigin + \
                 performance.getEntriesByType('navigation')[0].domContentLoadedEventStart",
            )
            .as_f64()
            .unwrap_or(f64::NAN);
        totals.push(loaded - before);
        let event = page
            .eval("Number(sessionStorage.getItem('heard'))")
            .as_f64()
            .unwrap_or(f64::NAN);
        heard.push(event - before);
        let log = w.wait_log(&format!("(version {})", i + 2));
        builds.push(last_build_ms(&log));
        // The next save must find the new page listening.
        wait_live(&page);
    }
    page.assert_clean_origin(&w.url);
    println!("save → page shows the change (in place, else DOMContentLoaded of the reload), {label}, {pages} pages, one-page edit:");
    println!("  runs (ms): {}", list(&totals));
    println!("  median: {:.1} ms", median(&totals));
    println!(
        "  of which save → `reload` event in the old page (ms): {}",
        list(&heard)
    );
    println!("  median: {:.1} ms", median(&heard));
    println!("  rebuild alone (terminal, ms): {}", list(&builds));
    println!("  rebuild median: {:.1} ms", median(&builds));
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

/// `N` in the first build's `built N pages in …` line.
fn page_count(log: &str) -> String {
    log.split("built ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or("?")
        .to_string()
}

/// `M` in the last `built N pages in M ms` line.
fn last_build_ms(log: &str) -> f64 {
    log.rsplit(" pages in ")
        .next()
        .and_then(|s| s.split_whitespace().next())
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(f64::NAN)
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn list(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{v:.1}"))
        .collect::<Vec<_>>()
        .join(", ")
}
