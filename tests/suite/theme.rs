//! The reader theme (issue 19): layout, navigation, previews, the page's map,
//! and the web's judges on every page.

use crate::judges;
use crate::site_test::SiteTest;

/// The Nu Html Checker finds no error on any page of the default playbook or
/// of the second kit; its warnings are printed (run with --nocapture).
#[test]
fn every_page_passes_the_nu_html_checker() {
    let default = SiteTest::default_playbook();
    default.built();
    let kit = SiteTest::empty();
    kit.run(&["new", "site", "--kit", "incident-response"])
        .success();
    let run = std::process::Command::new(crate::site_test::BIN)
        .arg("build")
        .current_dir(kit.path("site"))
        .output()
        .unwrap();
    assert!(run.status.success());
    let mut errors = Vec::new();
    for dir in [default.path("public"), kit.path("site/public")] {
        let pages = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .count();
        assert!(pages > 20, "{pages} pages in {}", dir.display());
        for m in judges::vnu(&dir) {
            if m.kind == "error" {
                errors.push(format!("{}:{}: {}", m.file, m.line, m.message));
            } else {
                println!("{}: {}:{}: {}", m.kind, m.file, m.line, m.message);
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::browser::{self, Page};
use crate::site_test::{copy_dir, repo_root};

/// The default playbook, built once into the target folder for the
/// read-only browser tests below.
fn default_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("theme-default");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(repo_root().join("book.toml"), root.join("book.toml")).unwrap();
        copy_dir(&repo_root().join("content"), &root.join("content"));
        let out = std::process::Command::new(crate::site_test::BIN)
            .arg("build")
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        root.join("public")
    })
}

/// axe-core's serious and critical violations on the page as it is now.
fn axe(page: &Page) -> Vec<String> {
    if page.eval("typeof window.axe") != "object" {
        page.eval(&format!("{};\ntrue", judges::axe_source()));
    }
    let found = page.eval(
        "axe.run(document, { resultTypes: ['violations'], preload: false }).then(r => r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' +
                v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', ')))",
    );
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Clicks the decision tree's first answer `n` times, or until a result.
fn answer_first(page: &Page, n: usize) {
    page.eval(&format!(
        "(() => {{ for (let i = 0; i < {n}; i++) {{
            if (document.querySelector('[data-decision-tree] [data-verdict]')) return;
            const b = document.querySelector('[data-decision-tree] button[data-answer], [data-decision-tree] button.dt-answer');
            if (!b) return; b.click();
        }} }})()"
    ));
}

/// Every kind of page, light and dark, with the search results open, mid-way
/// through the decision tree and at a result: no serious or critical
/// violation.
#[test]
fn axe_finds_no_serious_violation_on_any_kind_of_page() {
    let site = default_site();
    let page = browser::open(&site.join("index.html"));
    let mut problems = Vec::new();
    for dark in [false, true] {
        page.color_scheme(dark);
        let scheme = if dark { "dark" } else { "light" };
        for (what, path) in [
            ("home", "index.html"),
            ("an index", "cases/index.html"),
            ("a case", "cases/catching-up.html"),
            ("a pattern", "patterns/open-weights.html"),
            ("a hybrid", "hybrids/open-small-closed-large.html"),
            ("a mistake", "mistakes/no-license-strategy.html"),
            ("a free page", "about.html"),
            ("the decision tree", "decide.html"),
            ("the map", "decide-map.html"),
            ("print.html", "print.html"),
            ("404.html", "404.html"),
        ] {
            page.goto(&browser::file_url(&site.join(path)));
            for p in axe(&page) {
                problems.push(format!("{scheme}, {what}: {p}"));
            }
        }
        let decide = browser::file_url(&site.join("decide.html"));
        let map = browser::file_url(&site.join("decide-map.html"));
        let result = "#harm=no&data=no&moat=behind&challenger=yes&commercial=no&sell=our-service";
        for (what, url, wait) in [
            (
                "mid-way through the tree",
                format!("{decide}#harm=no&data=no&moat=model"),
                "[data-decision-tree] button[data-answer=not-sure]",
            ),
            (
                "a result",
                format!("{decide}{result}"),
                "[data-decision-tree] [data-verdict]",
            ),
            (
                "a question asked again to change its answer",
                format!("{decide}#harm=no&data=no&challenger=yes&commercial=no"),
                "[data-decision-tree] [data-question=moat]",
            ),
            (
                "the spread of a \"Not sure\"",
                format!("{decide}#harm=no&data=no&moat=model&lead=not-sure"),
                "[data-decision-tree] [data-spread]",
            ),
            (
                "a link the tree no longer resolves",
                format!("{decide}#harm=no&data=gone"),
                "[data-decision-tree] .dt-notice",
            ),
            (
                "the map with the reader's path",
                format!("{map}{result}"),
                ".pb-tm-on-path",
            ),
        ] {
            page.goto(&url);
            page.wait_for(wait);
            for p in axe(&page) {
                problems.push(format!("{scheme}, {what}: {p}"));
            }
        }
        // Reached by clicking, as a reader would: the first answer each time.
        page.goto(&decide);
        answer_first(&page, 12);
        page.wait_for("[data-decision-tree] [data-verdict]");
        for p in axe(&page) {
            problems.push(format!("{scheme}, a result reached by clicking: {p}"));
        }
        page.goto(&browser::file_url(&site.join("cases/catching-up.html")));
        page.focus("[data-search-input]");
        page.type_text("open");
        page.wait_for("[data-search-results] [role=option]");
        for p in axe(&page) {
            problems.push(format!("{scheme}, search results open: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    page.assert_clean();
}

/// On a wide screen the sidebar lists every kind and its pages, marks the
/// current one, and stays in view as the reader scrolls; so does the header.
#[test]
fn the_sidebar_marks_the_current_page_and_stays_in_view() {
    let page = browser::open(&default_site().join("cases/catching-up.html"));
    page.viewport(1366, 900, false);
    page.wait_visible(".sidebar a[aria-current=page]");
    assert_eq!(
        page.attr(".sidebar a[aria-current=page]", "href")
            .as_deref(),
        Some("../cases/catching-up.html")
    );
    assert_eq!(page.count(".sidebar a[aria-current=page]"), 1);
    // Its kind's other pages, and the other kinds, are there too.
    assert!(page.count(".sidebar .sb-kind") >= 4);
    assert!(page.count(".sidebar a[href='../patterns/open-weights.html']") == 1);
    // The menu is for narrow screens only.
    page.wait_hidden("[data-menu]");
    page.eval("window.scrollTo(0, document.documentElement.scrollHeight / 2)");
    let top = |css: &str| {
        page.eval(&format!(
            "Math.round(document.querySelector('{css}').getBoundingClientRect().top)"
        ))
        .as_i64()
        .unwrap()
    };
    assert_eq!(top(".site-header"), 0, "the header stays at the top");
    assert!(top(".sidebar") <= 60, "the sidebar stays beside the text");
    page.assert_clean();
}

/// "On this page" marks the section being read, and follows the scroll.
#[test]
fn on_this_page_follows_the_scroll() {
    let page = browser::open(&default_site().join("cases/catching-up.html"));
    page.viewport(1366, 900, false);
    page.wait_visible(".rail .toc");
    let headings: Vec<String> = page
        .eval("[...document.querySelectorAll('.rail .toc a')].map(a => a.getAttribute('href').slice(1))")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(headings.len() >= 3, "{headings:?}");
    for id in [&headings[1], &headings[2], &headings[0]] {
        page.eval(&format!("document.getElementById('{id}').scrollIntoView()"));
        page.wait_until(
            &format!(
                "document.querySelector('.rail .toc a[aria-current=location]') && \
                 document.querySelector('.rail .toc a[aria-current=location]').getAttribute('href') === '#{id}'"
            ),
            &format!("the contents to mark #{id}"),
        );
        assert_eq!(page.count(".rail .toc a[aria-current]"), 1);
    }
    page.assert_clean();
}

/// On a phone no page of the default playbook is wider than the screen: a
/// long word or bare URL (a footnote's source, say) wraps instead of
/// pushing the page sideways. Wide figures scroll inside their own box.
#[test]
fn no_page_is_wider_than_a_phone() {
    let site = default_site();
    let page = browser::open(&site.join("index.html"));
    page.viewport(390, 844, true);
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() > 20, "{} pages", pages.len());
    let mut wide = Vec::new();
    for path in &pages {
        page.goto(&browser::file_url(path));
        let width = page
            .eval("document.scrollingElement.scrollWidth")
            .as_f64()
            .unwrap();
        if width > 390.0 {
            wide.push(format!(
                "{}: {width} px",
                path.strip_prefix(site).unwrap().display()
            ));
        }
    }
    assert!(wide.is_empty(), "wider than 390 px: {wide:?}");
}

/// On a phone: no sidebar, a menu that opens and closes by keyboard and by
/// touch, a short header, and "On this page" folded.
#[test]
fn the_phone_menu_opens_and_closes_by_keyboard_and_touch() {
    let page = browser::open(&default_site().join("cases/catching-up.html"));
    page.viewport(390, 844, true);
    page.wait_hidden("#pb-contents");
    page.wait_visible("[data-menu]");
    let header = page
        .eval("document.querySelector('.site-header').getBoundingClientRect().height")
        .as_f64()
        .unwrap();
    assert!(header <= 64.0, "the header takes {header} px");
    assert_eq!(
        page.eval("document.querySelector('.toc-compact').open"),
        false
    );
    assert_eq!(
        page.attr("[data-menu]", "aria-expanded").as_deref(),
        Some("false")
    );
    // Keyboard: Enter opens, Escape closes and returns to the button.
    page.focus("[data-menu]");
    page.press("Enter");
    page.wait_visible("#pb-contents a[aria-current=page]");
    assert_eq!(
        page.attr("[data-menu]", "aria-expanded").as_deref(),
        Some("true")
    );
    page.press("Escape");
    page.wait_hidden("#pb-contents");
    assert_eq!(page.focused(), "a", "focus is back on the menu button");
    assert!(page.eval("document.activeElement.hasAttribute('data-menu')") == true);
    // Space opens and closes it too, as for any button.
    page.press(" ");
    page.wait_visible("#pb-contents");
    page.press(" ");
    page.wait_hidden("#pb-contents");
    // Touch: a tap opens it, a tap on the page closes it.
    page.tap("[data-menu]");
    page.wait_visible("#pb-contents");
    page.tap("h1");
    page.wait_hidden("#pb-contents");
    // A tap on a link in it goes there; the address never held #pb-contents.
    page.tap("[data-menu]");
    page.wait_visible("#pb-contents a[href='../patterns/open-weights.html']");
    assert!(!page.url().contains("#pb-contents"));
    page.tap("#pb-contents a[href='../patterns/open-weights.html']");
    page.wait_for_url("patterns/open-weights.html");
    page.assert_clean();
}

/// With JavaScript off the menu still works: it is a link to the contents,
/// which the address's target shows, with a link to close them.
#[test]
fn without_javascript_the_menu_is_a_link_to_the_contents() {
    let site = default_site();
    let html = std::fs::read_to_string(site.join("cases/catching-up.html")).unwrap();
    let page = crate::site_test::Page::parse(&html);
    assert_eq!(page.hrefs("a[data-menu]"), ["#pb-contents"]);
    assert_eq!(page.select("nav#pb-contents").len(), 1);
    assert_eq!(page.hrefs("#pb-contents [data-menu-close]"), ["#pb-main"]);
    let css = std::fs::read_to_string(site.join("assets/style.css")).unwrap();
    assert!(
        css.contains(".sidebar:target"),
        "the contents show as the target"
    );
}

/// Hovering or focusing a link to another page shows its kind, title and
/// summary from the files on disk; it stays while the pointer is on it and
/// Escape dismisses it.
#[test]
fn link_previews_appear_on_hover_and_focus_and_leave_on_escape() {
    let page = browser::open(&default_site().join("cases/catching-up.html"));
    page.viewport(1366, 900, false);
    let link = ".prose a[href='../patterns/open-weights.html']";
    page.hover(link);
    page.wait_visible("#pb-preview");
    assert_eq!(page.text("#pb-preview .preview-title"), "Open weights");
    assert_eq!(page.text("#pb-preview .preview-kind"), "Pattern");
    assert!(page.text("#pb-preview .preview-summary").len() > 40);
    assert_eq!(
        page.attr(link, "aria-describedby").as_deref(),
        Some("pb-preview")
    );
    // The pointer can move onto the preview without losing it.
    page.hover("#pb-preview");
    page.wait_until(
        "new Promise(r => setTimeout(() => r(true), 600))",
        "a while on the preview",
    );
    page.wait_visible("#pb-preview");
    page.press("Escape");
    page.wait_hidden("#pb-preview");
    assert_eq!(page.attr(link, "aria-describedby"), None);
    // Away from both, it goes.
    page.hover(link);
    page.wait_visible("#pb-preview");
    page.mouse_to(5.0, 880.0);
    page.wait_hidden("#pb-preview");
    // By keyboard: focus shows it, with a case's verdict; blur hides it.
    page.eval(
        "document.querySelector('.connections a[href=\"developer-mindshare.html\"]').focus()",
    );
    page.wait_visible("#pb-preview");
    assert_eq!(page.text("#pb-preview .preview-kind"), "Case · Open");
    assert_eq!(
        page.text("#pb-preview .preview-title"),
        "Developer mindshare"
    );
    page.eval("document.activeElement.blur()");
    page.wait_hidden("#pb-preview");
    page.assert_clean();
}

/// The toggle starts from the system's scheme, switches, and the choice
/// holds on the next page, set before the stylesheet applies.
#[test]
fn the_theme_toggle_persists_across_pages_from_disk() {
    let site = default_site();
    let page = browser::open(&site.join("index.html"));
    page.color_scheme(false);
    page.eval("localStorage.removeItem('playbook-theme')");
    page.goto(&browser::file_url(&site.join("index.html")));
    page.wait_visible("[data-theme-toggle]");
    let bg = || {
        page.eval("getComputedStyle(document.body).backgroundColor")
            .as_str()
            .unwrap()
            .to_string()
    };
    let light = bg();
    assert_eq!(
        page.attr("[data-theme-toggle]", "aria-pressed").as_deref(),
        Some("false")
    );
    page.click("[data-theme-toggle]");
    assert_eq!(page.eval("document.documentElement.dataset.theme"), "dark");
    assert_eq!(
        page.attr("[data-theme-toggle]", "aria-pressed").as_deref(),
        Some("true")
    );
    let dark = bg();
    assert_ne!(light, dark);
    page.goto(&browser::file_url(&site.join("cases/catching-up.html")));
    assert_eq!(page.eval("document.documentElement.dataset.theme"), "dark");
    assert_eq!(bg(), dark);
    assert_eq!(
        page.attr("[data-theme-toggle]", "aria-pressed").as_deref(),
        Some("true")
    );
    // A system in dark mode is followed until the reader chooses.
    page.eval("localStorage.removeItem('playbook-theme')");
    page.color_scheme(true);
    page.goto(&browser::file_url(&site.join("index.html")));
    assert_eq!(
        page.eval("document.documentElement.dataset.theme || ''"),
        ""
    );
    assert_eq!(bg(), dark);
    assert_eq!(
        page.attr("[data-theme-toggle]", "aria-pressed").as_deref(),
        Some("true")
    );
    page.click("[data-theme-toggle]");
    assert_eq!(bg(), light);
    page.eval("localStorage.removeItem('playbook-theme')");
    page.assert_clean();
}

/// The parts of the theme that need no browser to check.
#[test]
fn pages_carry_the_banner_self_links_the_map_and_a_complete_404() {
    let site = default_site();
    let read =
        |p: &str| crate::site_test::Page::parse(&std::fs::read_to_string(site.join(p)).unwrap());
    let case = read("cases/catching-up.html");
    // The call first, in words, with the pattern it relies on; no list twice.
    assert_eq!(case.text(".banner [data-page-badge]"), "Open");
    assert!(case.text(".banner").contains("When opening pays"));
    assert_eq!(
        case.hrefs(".banner [data-field=patterns] a"),
        ["../patterns/open-weights.html"]
    );
    assert!(case.select(".glance [data-field=patterns]").is_empty());
    // The theme's choice is read in <head> before the stylesheet.
    let html = std::fs::read_to_string(site.join("cases/catching-up.html")).unwrap();
    let init = html.find("data-theme-init").unwrap();
    assert!(init < html.find("assets/style.css").unwrap());
    // Every heading of the text links to itself.
    let headings = case.select(".prose h2").len();
    assert!(headings >= 3);
    assert_eq!(case.select(".prose .pb-anchor").len(), headings);
    // The page's map: itself, and each neighbour a link.
    let map = case.one(".page-map svg");
    assert!(map.value().attr("aria-labelledby").is_some());
    let nodes = case.hrefs(".page-map a");
    assert!(
        nodes.contains(&"../patterns/open-weights.html".to_string()),
        "{nodes:?}"
    );
    assert_eq!(case.select(".page-map .pm-here").len(), 1);
    // Previous and next follow the index: open cases, then closed ones.
    let index = read("cases/index.html");
    let order: Vec<String> = index.hrefs(".cards a");
    for (i, href) in order.iter().enumerate() {
        let p = read(&format!("cases/{href}"));
        let prev = p.hrefs(".pager .prev");
        let next = p.hrefs(".pager .next");
        assert_eq!(
            prev.first(),
            i.checked_sub(1).and_then(|j| order.get(j)),
            "{href}"
        );
        assert_eq!(next.first(), order.get(i + 1), "{href}");
    }
    // The sidebar lists them in the same order.
    let listed: Vec<String> = case.hrefs(".sidebar .sb-kind:nth-child(2) ul a");
    let order: Vec<String> = order.iter().map(|h| format!("../cases/{h}")).collect();
    assert_eq!(listed, order);
    // 404.html offers the tree, every kind, search and print.html.
    let missing = read("404.html");
    let links = missing.hrefs("main a");
    for want in [
        "decide.html",
        "cases/index.html",
        "print.html",
        "index.html",
    ] {
        assert!(links.iter().any(|l| l == want), "{want} in {links:?}");
    }
    missing.one("[data-search]");
}
