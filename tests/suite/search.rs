//! Search (issue 5): the index file, the search box on every page, and the
//! search itself in headless Chromium from file://.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::browser::{self, js_string, Page};
use crate::site_test::{copy_dir, fixtures, repo_root, SiteTest, BIN};

const RESULTS: &str = "[data-search-results]";
const OPTIONS: &str = "[data-search-results] [role=option]";

/// The default playbook, built once into the target folder and shared by the
/// read-only tests below (a static's temp folder would never be removed).
fn default_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| build_into("default", &repo_root(), &["content"]))
}

fn fixture_site(name: &str) -> PathBuf {
    build_into(name, &fixtures().join(name), &["content"])
}

/// Copies `book.toml` and `dirs` of `from` into the target's temp folder, builds
/// there and returns the output folder.
fn build_into(name: &str, from: &Path, dirs: &[&str]) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("search-{name}"));
    let _ = std::fs::remove_dir_all(root.join("content"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(from.join("book.toml"), root.join("book.toml")).unwrap();
    for dir in dirs {
        copy_dir(&from.join(dir), &root.join(dir));
    }
    let out = Command::new(BIN)
        .arg("build")
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "build of {name} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    root.join("public")
}

/// Clears the search box, types `query` and waits for the results to settle.
fn search(page: &Page, query: &str) -> Vec<String> {
    page.eval("(i => { i.value = ''; i.focus(); })(document.querySelector('[data-search] input'))");
    page.type_text(query);
    page.wait_until(
        &format!(
            "document.querySelector('[data-search] input').value === {q} \
             && document.querySelector('{RESULTS}').getAttribute('data-query') === {q}",
            q = js_string(query)
        ),
        &format!("results for {query:?}"),
    );
    page.attrs(OPTIONS, "href")
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect()
}

#[test]
fn every_page_has_a_search_box_and_the_index_is_a_script() {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    for (page, root) in [
        ("index.html", ""),
        ("cases/open-case.html", "../"),
        ("patterns/index.html", "../"),
    ] {
        let html = t.html(page);
        html.one("[data-search] input[data-search-input]");
        html.one("[data-search] [data-search-results]");
        let box_ = html.one("[data-search]");
        assert_eq!(box_.value().attr("data-root"), Some(root), "{page}");
        assert_eq!(
            box_.value().attr("data-index"),
            Some(format!("{root}assets/search-index.js").as_str()),
            "{page}"
        );
        assert_eq!(
            html.hrefs("script[src]"),
            Vec::<String>::new(),
            "scripts are not links"
        );
        let srcs: Vec<&str> = html
            .select("script[src]")
            .iter()
            .filter_map(|s| s.value().attr("src"))
            .collect();
        assert_eq!(
            srcs,
            [
                format!("{root}assets/search.js"),
                format!("{root}assets/reader.js")
            ],
            "{page}"
        );
    }
    let js = t.read("public/assets/search-index.js");
    assert!(js.starts_with("window.PLAYBOOK_SEARCH={"), "{}", &js[..60]);
    let text = t.read("public/assets/search-text-0.js");
    assert!(
        text.starts_with("(window.PLAYBOOK_SEARCH_TEXT="),
        "{}",
        &text[..60]
    );
    assert!(!t.path("public/assets/search-text-1.js").exists());
    let terms = t.read("public/assets/search-terms-0.js");
    assert!(
        terms.starts_with("(window.PLAYBOOK_SEARCH_TERMS="),
        "{}",
        &terms[..60]
    );
    // Neither fetch() nor XHR work from file://: code (not comments) uses neither.
    let script = t.read("public/assets/search.js");
    let code: Vec<&str> = script
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    assert!(!code
        .iter()
        .any(|l| l.contains("fetch(") || l.contains("XMLHttpRequest")));
}

#[test]
fn first_result_for_deepseek_is_the_catching_up_case() {
    let page = browser::open(&default_site().join("index.html"));
    // The index is only loaded once the reader reaches for the search box.
    assert_eq!(page.eval("typeof window.PLAYBOOK_SEARCH"), "undefined");
    assert!(!page
        .log()
        .requests
        .iter()
        .any(|u| u.ends_with("search-index.js")));
    page.press("/");
    assert_eq!(page.focused(), "pb-search");
    assert_eq!(
        page.eval("document.querySelector('#pb-search').value"),
        "",
        "`/` is not typed into the box"
    );
    let hrefs = search(&page, "DeepSeek");
    assert!(
        hrefs[0].starts_with("cases/catching-up.html"),
        "first result is {hrefs:?}"
    );
    assert_eq!(
        page.text(&format!("{OPTIONS} .search-title")),
        "Catching up"
    );
    assert!(page
        .text(&format!("{OPTIONS} .search-kind"))
        .starts_with("Case"));
    let marks = page.texts(&format!("{OPTIONS}:first-child mark"));
    assert!(
        marks.iter().any(|m| m == "DeepSeek"),
        "highlights: {marks:?}"
    );
    assert!(page
        .log()
        .requests
        .iter()
        .any(|u| u.ends_with("assets/search-index.js")));
    page.assert_clean();
}

#[test]
fn queries_find_the_pages_they_should() {
    let page = browser::open(&default_site().join("index.html"));
    page.focus("#pb-search");
    // Prefix as you type, with stemming: licence, licenses, licensing…
    let hrefs = search(&page, "licen");
    assert!(
        hrefs
            .iter()
            .take(3)
            .any(|h| h.starts_with("mistakes/no-license-strategy.html")),
        "licen → {hrefs:?}"
    );
    let hrefs = search(&page, "licences");
    assert!(
        hrefs
            .iter()
            .any(|h| h.starts_with("hybrids/research-only-license.html")),
        "licences → {hrefs:?}"
    );
    // Case and diacritics are folded on the query side too.
    let hrefs = search(&page, "DÉÉPSËEK");
    assert!(hrefs[0].starts_with("cases/catching-up.html"), "{hrefs:?}");
    // Several words: every one must match.
    let hrefs = search(&page, "mistral apache ");
    assert!(!hrefs.is_empty());
    for h in &hrefs {
        let file = default_site().join(h.split('#').next().unwrap());
        let text = std::fs::read_to_string(&file).unwrap().to_lowercase();
        assert!(
            text.contains("mistral") && text.contains("apache"),
            "{h} lacks a word"
        );
    }
    // A quoted phrase must appear as written; the same words apart do not count.
    let phrase = search(&page, "\"open small\"");
    assert!(
        phrase[0].starts_with("hybrids/open-small-closed-large.html"),
        "{phrase:?}"
    );
    let loose = search(&page, "small open ");
    assert!(
        loose.len() > phrase.len(),
        "phrase {phrase:?} vs words {loose:?}"
    );
    // Nothing found says so.
    page.eval("(i => { i.value = ''; })(document.querySelector('#pb-search'))");
    page.type_text("zzqxj");
    page.wait_until(
        "document.querySelector('.search-status') && /No results/.test(document.querySelector('.search-status').textContent)",
        "a no-results message",
    );
    page.assert_clean();
}

#[test]
fn title_matches_rank_above_body_matches() {
    let page = browser::open(&default_site().join("index.html"));
    page.focus("#pb-search");
    let hrefs = search(&page, "developer mindshare ");
    assert!(
        hrefs[0].starts_with("cases/developer-mindshare.html"),
        "{hrefs:?}"
    );
    let hrefs = search(&page, "hosted");
    assert!(
        hrefs
            .iter()
            .take(2)
            .any(|h| h.starts_with("cases/hosted-services.html")),
        "{hrefs:?}"
    );
    page.assert_clean();
}

#[test]
fn keyboard_moves_through_results_opens_one_and_escape_closes() {
    // Start from a page one folder down: result links must climb back to the root.
    let page = browser::open(&default_site().join("cases/catching-up.html"));
    page.press("/");
    let hrefs = search(&page, "weights");
    assert!(hrefs.len() >= 2, "{hrefs:?}");
    assert!(hrefs.iter().all(|h| h.starts_with("../")), "{hrefs:?}");
    assert_eq!(page.attr(OPTIONS, "aria-selected").as_deref(), Some("true"));
    // Each result is laid out by the theme (title and kind on a line, the
    // snippet under them), not as one run of underlined text, and the
    // selected one stands out from the others.
    let style = |i: usize, prop: &str| {
        page.eval(&format!(
            "getComputedStyle(document.querySelectorAll('{OPTIONS}')[{i}]).{prop}"
        ))
    };
    assert_eq!(style(0, "display"), "grid");
    assert_eq!(style(1, "textDecorationLine"), "none");
    assert_ne!(style(0, "backgroundColor"), style(1, "backgroundColor"));
    page.press("Escape");
    page.wait_hidden(RESULTS);
    assert_eq!(
        page.attr("#pb-search", "aria-expanded").as_deref(),
        Some("false")
    );
    // Typing again reopens; ArrowDown moves to the second result, Enter opens it.
    page.type_text(" ");
    page.wait_visible(RESULTS);
    page.press("ArrowDown");
    page.wait_until(
        &format!(
            "document.querySelectorAll('{OPTIONS}')[1].getAttribute('aria-selected') === 'true'"
        ),
        "the second result to be selected",
    );
    let second = page.eval(&format!("document.querySelectorAll('{OPTIONS}')[1].href"));
    let second = second.as_str().unwrap().to_string();
    page.press("Enter");
    page.wait_for_url(second.rsplit('/').next().unwrap());
    assert_eq!(page.url(), second);
    page.assert_clean();
}

#[test]
fn slash_is_typed_normally_in_other_fields() {
    let page = browser::open(&default_site().join("index.html"));
    page.press("/");
    page.type_keys("a/b");
    assert_eq!(
        page.eval("document.querySelector('#pb-search').value"),
        "a/b"
    );
    page.assert_clean();
}

#[test]
fn diacritics_fold_both_ways() {
    let out = fixture_site("search-diacritics");
    let page = browser::open(&out.join("index.html"));
    page.focus("#pb-search");
    for query in [
        "okonomie",
        "ÖKONOMIE",
        "naivete",
        "strasse",
        "lodz",
        "tieng viet",
    ] {
        let hrefs = search(&page, query);
        assert!(
            hrefs[0].starts_with("mistakes/naivete.html"),
            "{query} → {hrefs:?}"
        );
    }
    let hrefs = search(&page, "résumé");
    assert!(hrefs[0].starts_with("mistakes/naivete.html"), "{hrefs:?}");
    assert_eq!(
        page.texts(&format!("{OPTIONS}:first-child mark"))[0],
        "résumé"
    );
    page.assert_clean();
}

#[test]
fn hostile_titles_cannot_break_out_of_the_index_or_the_results() {
    let out = fixture_site("search-hostile");
    for file in [
        "assets/search-index.js",
        "assets/search-terms-0.js",
        "assets/search-text-0.js",
    ] {
        let js = std::fs::read_to_string(out.join(file)).unwrap();
        for bad in ["</script", "<img", "<!--", "\u{2028}"] {
            assert!(!js.contains(bad), "{bad:?} in {file}");
        }
    }
    let page = browser::open(&out.join("index.html"));
    page.focus("#pb-search");
    let hrefs = search(&page, "zebrafish");
    assert!(hrefs[0].starts_with("cases/hostile.html"), "{hrefs:?}");
    // The title arrives as text, exactly as written.
    let title = "</script><img src=x onerror=alert(1)> \"double\" 'single' & <b>bold</b>";
    assert_eq!(
        page.eval("window.PLAYBOOK_SEARCH.pages.titles.split('\\n')[1]"),
        title
    );
    assert_eq!(page.text(&format!("{OPTIONS} .search-title")), title);
    assert_eq!(
        page.count(&format!("{RESULTS} img, {RESULTS} b, {RESULTS} script")),
        0
    );
    // Searching a word of the title highlights it without turning anything into markup.
    search(&page, "onerror");
    assert_eq!(page.count(&format!("{RESULTS} img")), 0);
    assert!(!page
        .log()
        .requests
        .iter()
        .any(|u| u.ends_with("/x") || u.ends_with("/y")));
    page.assert_clean();
}

#[test]
fn clicking_a_result_opens_the_page_at_the_matching_heading() {
    let page = browser::open(&default_site().join("index.html"));
    page.press("/");
    let hrefs = search(&page, "asymmetric");
    assert_eq!(
        hrefs[0], "cases/catching-up.html#why-the-verdict-holds",
        "{hrefs:?}"
    );
    assert_eq!(
        page.text(&format!("{OPTIONS} .search-heading")),
        "Why the verdict holds"
    );
    page.click(OPTIONS);
    page.wait_for_url("cases/catching-up.html#why-the-verdict-holds");
    page.assert_clean();
}

/// Results are listed by title as soon as they are ranked; their snippets
/// come from the text files. If those cannot be read (a partial upload, say),
/// the titles stay, linking to the tops of their pages, with a note saying
/// what is missing, rather than a list replaced by an error.
#[test]
fn results_stay_listed_when_their_text_cannot_be_loaded() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("search-no-text");
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(default_site(), &root);
    std::fs::remove_file(root.join("assets/search-text-0.js")).unwrap();
    let page = browser::open(&root.join("index.html"));
    page.press("/");
    let hrefs = search(&page, "deepseek");
    assert_eq!(hrefs[0], "cases/catching-up.html", "{hrefs:?}");
    assert_eq!(
        page.text(&format!("{OPTIONS} .search-title")),
        "Catching up"
    );
    assert_eq!(page.count(&format!("{OPTIONS} .search-snippet")), 0);
    assert_eq!(
        page.text(&format!("{RESULTS} .search-status")),
        "Snippets are unavailable: search text could not be loaded."
    );
    // The titles still work as links.
    page.press("Enter");
    page.wait_for_url("cases/catching-up.html");
}

/// A site whose dictionary holds 6,000 terms of one prefix, "zebra0000" to
/// "zebra5999" (50 words on each of 120 pages), and a few words of others: a
/// query loads the term file of each of its words and no other, names it
/// from the word (so it loads beside the index), and a prefix's terms are all
/// in the file of its first two letters.
#[test]
fn queries_load_one_term_file_per_word() {
    use playbook::search::{bucket_of, BUCKETS};
    let t = SiteTest::empty();
    t.write("book.toml", "title = \"Buckets\"\n");
    t.write(
        "content/index.md",
        "---\ntitle: Home\nsummary: The start.\n---\nHello.\n",
    );
    for page in 0..120 {
        let words: Vec<String> = (0..50)
            .map(|i| format!("zebra{:04}", page * 50 + i))
            .collect();
        let other = ["quokka", "marmot", "ibex", "okapi"][page % 4];
        t.write(
            &format!("content/cases/c{page:03}.md"),
            format!(
                "---\ntitle: Case {page}\nsummary: Case number {page}.\nverdict: open\n---\n{} {other}\n",
                words.join(" ")
            ),
        );
    }
    t.built();
    // Every bucket has its file, empty or not, and there are no others.
    for k in 0..BUCKETS {
        assert!(
            t.path(&format!("public/assets/search-terms-{k}.js"))
                .exists(),
            "{k}"
        );
    }
    assert!(!t
        .path(&format!("public/assets/search-terms-{BUCKETS}.js"))
        .exists());
    let page = browser::open(&t.path("public/index.html"));
    // A first query asks for its word's terms before the index has arrived.
    let early = page.eval(&format!(
        "(() => {{ const i = document.querySelector('#pb-search'); i.focus(); \
           i.value = 'quokka '; i.dispatchEvent(new Event('input')); \
           return [typeof window.PLAYBOOK_SEARCH, \
             !!document.querySelector('script[src$=\"/search-terms-{}.js\"]')]; }})()",
        bucket_of("quokka")
    ));
    assert_eq!(early, serde_json::json!(["undefined", true]));
    let loaded = |page: &Page| -> Vec<String> {
        let mut files: Vec<String> = page
            .log()
            .requests
            .iter()
            .filter_map(|u| Some(u[u.find("/assets/search-terms-")? + 8..].to_string()))
            .collect();
        files.sort();
        files.dedup();
        files
    };
    let file = |word: &str| format!("search-terms-{}.js", bucket_of(word));
    page.wait_until(
        "document.querySelector('[data-search-results]').getAttribute('data-query') === 'quokka '",
        "the results for quokka",
    );
    assert_eq!(page.count(OPTIONS), 12);
    assert_eq!(loaded(&page), [file("quokka")]);
    // A whole word: one file.
    page.eval("(i => { i.value = ''; })(document.querySelector('#pb-search'))");
    let hrefs = search(&page, "zebra5999 ");
    assert_eq!(hrefs.len(), 1, "{hrefs:?}");
    assert!(hrefs[0].starts_with("cases/c119.html"), "{hrefs:?}");
    let mut expected = vec![file("quokka"), file("zebra")];
    expected.sort();
    expected.dedup();
    assert_eq!(loaded(&page), expected);
    // A prefix of 6,000 terms, from the same file: every page holding one of
    // the first 300 terms (the expansion limit) in dictionary order, and none else.
    let hrefs = search(&page, "zebra3");
    let mut pages: Vec<&str> = hrefs
        .iter()
        .map(|h| &h[..h.find('#').unwrap_or(h.len())])
        .collect();
    pages.sort();
    assert_eq!(
        pages,
        (60..66)
            .map(|p| format!("cases/c{p:03}.html"))
            .collect::<Vec<_>>(),
        "{hrefs:?}"
    );
    assert_eq!(loaded(&page), expected);
    // Several words of other files, all required.
    let hrefs = search(&page, "zebra0051 marmot ");
    assert_eq!(hrefs.len(), 1, "{hrefs:?}");
    assert!(hrefs[0].starts_with("cases/c001.html"), "{hrefs:?}");
    assert!(search(&page, "zebra0001 okapi ").is_empty());
    expected.extend([file("okapi"), file("marmot")]);
    expected.sort();
    expected.dedup();
    assert_eq!(loaded(&page), expected);
    // A word no page holds still answers, from its own (maybe empty) file.
    page.eval("(i => { i.value = ''; })(document.querySelector('#pb-search'))");
    page.type_text("aardvark ");
    page.wait_until(
        "document.querySelector('.search-status') && /No results/.test(document.querySelector('.search-status').textContent)",
        "a no-results message",
    );
    assert!(loaded(&page).contains(&file("aardvark")));
    page.assert_clean();
}

/// The index is built a batch of pages at a time (a few hundred, whole
/// text files each): on a site of several batches, every page's words must
/// still lead to that page, with that page's own text in the result.
#[test]
fn every_batch_of_a_large_site_is_indexed_in_place() {
    let t = SiteTest::empty();
    t.write("book.toml", "title = \"Batches\"\n");
    t.write(
        "content/index.md",
        "---\ntitle: Home\nsummary: The start.\n---\nHello.\n",
    );
    let pages = 1100;
    for page in 0..pages {
        t.write(
            &format!("content/cases/c{page:04}.md"),
            format!(
                "---\ntitle: Case {page}\nsummary: Case number {page}.\nverdict: open\n---\n\
                 ## Finding\n\nOnly this page says quokka{page} here.\n"
            ),
        );
    }
    t.built();
    let page = browser::open(&t.path("public/index.html"));
    page.focus("#pb-search");
    // First, last, and either side of the batch and text-file boundaries.
    for n in [0, 1, 471, 472, 473, 943, 944, 945, pages - 1] {
        let hrefs = search(&page, &format!("quokka{n} "));
        assert_eq!(hrefs, [format!("cases/c{n:04}.html#finding")], "quokka{n}");
        let shown = page.texts(OPTIONS).join(" ");
        assert!(
            shown.contains(&format!("Case {n}")) && shown.contains(&format!("quokka{n}")),
            "quokka{n}: {shown}"
        );
    }
    page.assert_clean();
}

/// Measures the first query on a built site, index load included, in a fresh
/// tab per run:
/// `PLAYBOOK_SEARCH_SITE=/path/to/public cargo test --test suite -- --ignored --nocapture first_query_latency`
/// `PLAYBOOK_SEARCH_QUERIES` (queries separated by `|`, default
/// `open weights|deepseek|re`) and `PLAYBOOK_SEARCH_RUNS` (default 5) change
/// what is measured. Several sites separated by `|` (two builds of one
/// corpus, say) are measured side by side: each run goes through all of
/// them, in turn one way and the other.
///
/// Each run types the query into the search box of a fresh tab and times,
/// from the focus that starts the index loading: `shown`, until the list
/// holds the results (titles and kinds) or says there are none; `drawn`,
/// until the browser has drawn the frame after that (style and layout
/// included, so work moved out of the script into the next frame still
/// counts); and `complete`, until their snippets are in too. A second fresh
/// tab times the same query through `window.playbookSearch` (index, then
/// search, which resolves with the text loaded). Prints medians and ranges,
/// and the bytes of index files the query loaded.
#[test]
#[ignore = "measurement; needs PLAYBOOK_SEARCH_SITE"]
fn first_query_latency() {
    let Ok(sites) = std::env::var("PLAYBOOK_SEARCH_SITE") else {
        return;
    };
    let sites: Vec<&Path> = sites.split('|').map(Path::new).collect();
    let queries = std::env::var("PLAYBOOK_SEARCH_QUERIES")
        .unwrap_or_else(|_| "open weights|deepseek|re".into());
    let runs: usize = std::env::var("PLAYBOOK_SEARCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!("load average before: {}", load.trim());
    for query in queries.split('|') {
        let mut times: Vec<Vec<[f64; 6]>> = vec![Vec::new(); sites.len()];
        let mut loaded = vec![(0, 0); sites.len()];
        let mut found = vec![0; sites.len()];
        for run in 0..runs {
            let mut order: Vec<usize> = (0..sites.len()).collect();
            if run % 2 == 1 {
                order.reverse();
            }
            for s in order {
                let (t, l, f) = time_first_query(sites[s], query);
                times[s].push(t);
                loaded[s] = l;
                found[s] = f;
            }
        }
        for (s, site) in sites.iter().enumerate() {
            let stat = |i: usize| {
                let mut v: Vec<f64> = times[s].iter().map(|t| t[i]).collect();
                v.sort_by(f64::total_cmp);
                format!(
                    "{:.1} ms ({:.1}–{:.1})",
                    v[v.len() / 2],
                    v[0],
                    v[v.len() - 1]
                )
            };
            let name = match sites.len() {
                1 => String::new(),
                _ => format!("{}: ", site.display()),
            };
            eprintln!(
                "{name}{query:?}: {} results; median of {runs}: typed: shown {}, drawn {}, \
                 complete {}; API: index {}, search {}, total {}; loaded {} files, {} bytes",
                found[s],
                stat(0),
                stat(5),
                stat(1),
                stat(2),
                stat(3),
                stat(4),
                loaded[s].0,
                loaded[s].1
            );
        }
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!("load average after: {}", load.trim());
}

/// One run of [`first_query_latency`] on `site`: the times (typed: shown,
/// complete; API: index, search, total; typed: drawn), the index files the
/// query loaded (how many, their bytes) and the number of results.
fn time_first_query(site: &Path, query: &str) -> ([f64; 6], (usize, u64), usize) {
    // One tab at a time: a tab holds the browser until dropped.
    let typed = browser::open(&site.join("index.html")).eval(&format!(
        "(async () => {{ const q = {q}; \
           const input = document.querySelector('#pb-search'); \
           const list = document.querySelector('[data-search-results]'); \
           const ready = () => list.querySelector('[role=option]') \
             || (list.textContent.startsWith('No results') ? list : null); \
           let shown = 0, drew; \
           const drawn = new Promise(res => {{ drew = res; }}); \
           const seen = new Promise(res => new MutationObserver((_, o) => {{ \
             if (!shown && ready()) {{ shown = performance.now(); \
               requestAnimationFrame(() => setTimeout(() => drew(performance.now()))); }} \
             if (shown && list.getAttribute('data-query') === q) {{ o.disconnect(); res(); }} \
           }}).observe(list, {{ childList: true, subtree: true, attributes: true }})); \
           const t0 = performance.now(); \
           input.focus(); \
           input.value = q; \
           input.dispatchEvent(new Event('input')); \
           const late = await Promise.race([seen, new Promise(r => setTimeout(() => r('late'), 10000))]); \
           if (late) throw new Error('no results after 10 s: ' + list.getAttribute('data-query') + ' ' + list.innerHTML.slice(0, 300)); \
           const done = performance.now(); \
           return [shown - t0, done - t0, (await drawn) - t0]; }})()",
        q = js_string(query),
    ));
    let page = browser::open(&site.join("index.html"));
    let ms = page.eval(&format!(
        "(async () => {{ const t0 = performance.now(); \
           await window.playbookSearch.load('assets/search-index.js'); \
           const t1 = performance.now(); \
           const r = await window.playbookSearch.search({q}); \
           const t2 = performance.now(); \
           return [t1 - t0, t2 - t1, t2 - t0, r.length]; }})()",
        q = js_string(query),
    ));
    let ms: Vec<f64> = (0..4).map(|i| ms[i].as_f64().unwrap()).collect();
    let typed: Vec<f64> = (0..3).map(|i| typed[i].as_f64().unwrap()).collect();
    // Index files the query loaded, and their bytes.
    let files: Vec<PathBuf> = page
        .log()
        .requests
        .iter()
        .filter(|u| u.contains("/assets/search-") && u.starts_with("file://"))
        .map(|u| PathBuf::from(u["file://".len()..].replace("%20", " ")))
        .collect();
    let bytes = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum::<u64>();
    page.assert_clean();
    (
        [typed[0], typed[1], ms[0], ms[1], ms[2], typed[2]],
        (files.len(), bytes),
        ms[3] as usize,
    )
}

/// The buttons above the results keep one kind, or one value of a facet
/// ("closed cases"), each with how many matches it keeps; from file://.
#[test]
fn results_filter_by_kind_and_by_facet_with_counts() {
    let page = browser::open(&default_site().join("index.html"));
    page.press("/");
    let all = search(&page, "model");
    assert!(all.len() > 4, "{all:?}");
    let buttons = "[data-search-filters] button";
    let filters = page.attrs(buttons, "data-filter");
    for expected in [
        "all",
        "kind:case",
        "kind:pattern",
        "field:verdict=closed",
        "field:verdict=open",
    ] {
        assert!(
            filters.iter().any(|f| f.as_deref() == Some(expected)),
            "no {expected} filter in {filters:?}"
        );
    }
    // The filters sit outside the listbox, which holds options only.
    assert_eq!(page.count("[data-search-results] button"), 0);
    let count = |filter: &str| -> usize {
        page.text(&format!("{buttons}[data-filter='{filter}'] .count"))
            .parse()
            .unwrap()
    };
    let closed = count("field:verdict=closed");
    page.click(&format!("{buttons}[data-filter='field:verdict=closed']"));
    page.wait_until(
        &format!("document.querySelector(\"{buttons}[data-filter='field:verdict=closed']\").getAttribute('aria-pressed') === 'true'"),
        "the closed filter pressed",
    );
    let kinds = page.texts(&format!("{OPTIONS} .search-kind"));
    assert_eq!(kinds.len(), closed.min(12), "{kinds:?}");
    assert!(
        kinds.iter().all(|k| k == "Case \u{b7} Stay closed"),
        "{kinds:?}"
    );
    let hrefs = page.attrs(OPTIONS, "href");
    assert!(
        hrefs.iter().flatten().all(|h| h.starts_with("cases/")),
        "{hrefs:?}"
    );
    // Pressed again, it lets everything back. (Each press redraws the bar, so
    // the button is clicked through the DOM: the protocol's mouse click
    // waits on the node it first found.)
    let press = |filter: &str| {
        page.eval(&format!(
            "document.querySelector(\"{buttons}[data-filter='{filter}']\").click()"
        ));
    };
    press("field:verdict=closed");
    page.wait_until(
        &format!(
            "document.querySelectorAll('{OPTIONS}').length === {}",
            all.len()
        ),
        "all results back",
    );
    // A kind filter keeps that kind only.
    let patterns = count("kind:pattern");
    press("kind:pattern");
    page.wait_until(
        &format!(
            "document.querySelectorAll('{OPTIONS}').length === {}",
            patterns.min(12)
        ),
        "the patterns only",
    );
    let kinds = page.texts(&format!("{OPTIONS} .search-kind"));
    assert!(kinds.iter().all(|k| k == "Pattern"), "{kinds:?}");
    page.assert_clean();
}
