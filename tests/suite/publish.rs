//! Publishing: the same output works under a GitHub Pages project path
//! (`/<repo>/`), at a domain root and from disk; `check` guards it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

use crate::site_test::{crawl, Page, SiteTest};

/// A static server on loopback that serves `dir` under `prefix`, the way
/// GitHub Pages serves a project site, with 404.html for anything missing.
struct PagesServer {
    addr: String,
    server: std::sync::Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl PagesServer {
    fn start(dir: &Path, prefix: &'static str) -> PagesServer {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let addr = server.server_addr().to_ip().unwrap().to_string();
        let dir: PathBuf = dir.to_path_buf();
        let s = server.clone();
        let thread = std::thread::spawn(move || {
            for request in s.incoming_requests() {
                let url = request
                    .url()
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("")
                    .to_string();
                let file = url.strip_prefix(prefix).map(|rest| {
                    let rest = if rest.is_empty() || rest.ends_with('/') {
                        format!("{rest}index.html")
                    } else {
                        rest.to_string()
                    };
                    dir.join(rest)
                });
                let response = match file.filter(|f| f.is_file() && !url.contains("..")) {
                    Some(f) => tiny_http::Response::from_data(std::fs::read(f).unwrap())
                        .with_status_code(200),
                    None => {
                        tiny_http::Response::from_data(std::fs::read(dir.join("404.html")).unwrap())
                            .with_status_code(404)
                    }
                };
                let _ = request.respond(response);
            }
        });
        PagesServer {
            addr,
            server,
            thread: Some(thread),
        }
    }

    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, raw[split + 4..].to_vec())
    }
}

impl Drop for PagesServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Joins a relative reference to the URL path of the page holding it.
fn join(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Follows every link and resource from `start`, breadth first, over HTTP.
/// Returns (pages, references followed, failures).
fn crawl_http(server: &PagesServer, start: &str) -> (usize, usize, Vec<String>) {
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = std::collections::VecDeque::from([start.to_string()]);
    let (mut pages, mut refs, mut failures) = (0, 0, Vec::new());
    seen.insert(start.to_string());
    while let Some(url) = queue.pop_front() {
        let (status, body) = server.get(&url);
        if status != 200 {
            failures.push(format!("{url}: HTTP {status}"));
            continue;
        }
        if !url.ends_with(".html") {
            continue;
        }
        pages += 1;
        let page = Page::parse(&String::from_utf8_lossy(&body));
        for el in page.select("a[href], link[href], script[src], img[src]") {
            let v = el.value();
            let href = v.attr("href").or(v.attr("src")).unwrap();
            if href.contains("://") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            refs += 1;
            let target = join(&url, href.split('#').next().unwrap());
            if seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    (pages, refs, failures)
}

#[test]
fn default_playbook_works_under_a_project_path_and_from_disk() {
    let t = SiteTest::default_playbook();
    t.built();
    let server = PagesServer::start(&t.path("public"), "/repo/");
    let (pages, refs, failures) = crawl_http(&server, "/repo/index.html");
    assert!(failures.is_empty(), "{failures:#?}");
    // Every HTML page of the output is reachable by following links (404.html aside).
    let on_disk = crawl(&t.path("public"));
    assert_eq!(
        pages,
        on_disk.pages - 1,
        "pages reachable over HTTP vs on disk"
    );
    assert!(refs > 500, "{refs} references");
    assert!(on_disk.problems.is_empty(), "{:#?}", on_disk.problems);
    eprintln!(
        "under /repo/: {pages} pages, {refs} references; from disk: {} pages, {} links",
        on_disk.pages, on_disk.links
    );
    // A missing page gets the 404 page, with status 404, at any depth.
    let (status, body) = server.get("/repo/no/such/deep/page.html");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"));
}

#[test]
fn the_same_output_works_at_a_domain_root() {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    let server = PagesServer::start(&t.path("public"), "/");
    let (pages, _, failures) = crawl_http(&server, "/index.html");
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(pages, 12); // with print.html, linked from the home page
}

#[test]
fn base_url_adds_sitemap_canonical_and_open_graph_but_links_stay_relative() {
    let t = SiteTest::fixture("all-kinds");
    t.write(
        "book.toml",
        "title = \"Fixture\"\ndescription = \"D\"\nbase-url = \"https://user.github.io/repo\"\n",
    );
    t.built();
    let sitemap = t.read("public/sitemap.xml");
    for loc in [
        "https://user.github.io/repo/",
        "https://user.github.io/repo/cases/open-case.html",
        "https://user.github.io/repo/patterns/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{loc}</loc>")),
            "{loc} not in\n{sitemap}"
        );
    }
    assert!(!sitemap.contains("404.html"));
    let page = t.html("cases/open-case.html");
    assert_eq!(
        page.one("link[rel=canonical]").value().attr("href"),
        Some("https://user.github.io/repo/cases/open-case.html")
    );
    assert_eq!(
        page.one("meta[property='og:title']")
            .value()
            .attr("content"),
        Some("Open case")
    );
    assert_eq!(
        page.one("meta[property='og:description']")
            .value()
            .attr("content"),
        Some("A case where opening pays.")
    );
    // 404.html resolves its links against the published root.
    let not_found = t.html("404.html");
    assert_eq!(
        not_found.one("base").value().attr("href"),
        Some("https://user.github.io/repo/")
    );
    assert!(
        not_found
            .select("script:not([src]):not([data-theme-init])")
            .is_empty(),
        "no root-finding script when base-url is known"
    );
    let crawl = crawl(&t.path("public"));
    assert!(crawl.problems.is_empty(), "{:#?}", crawl.problems);
}

#[test]
fn without_base_url_the_404_page_finds_the_root_by_script() {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    let not_found = t.html("404.html");
    assert!(not_found.select("base").is_empty());
    assert!(not_found
        .select("script")
        .iter()
        .any(|s| s.inner_html().contains("location.pathname")));
    assert!(!t.path("public/sitemap.xml").exists());
    assert!(t
        .html("index.html")
        .select("link[rel=canonical]")
        .is_empty());
}

#[test]
fn check_passes_a_good_build_and_names_every_broken_reference() {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    let run = t.run(&["check"]);
    run.success();
    assert!(
        run.stderr.contains("output public: 13 pages"),
        "{}",
        run.stderr
    );
    // Break the output by hand, as a bad deploy step might.
    let page = t.read("public/cases/open-case.html");
    t.write("public/cases/open-case.html", page.replace("</main>", "<a href=\"/abs.html\">a</a><a href=\"missing.html\">b</a><a href=\"closed-case.html#nope\">c</a><img src=\"https://cdn.example/x.png\"></main>"));
    let run = t.run(&["check"]);
    run.failure();
    // Each at its file, line and column, with a hint on the next line.
    let line = page[..page.find("</main>").unwrap()].lines().count();
    for expected in [
        "`href` of <a> is an absolute link (`/abs.html`)",
        "`href` of <a> names a missing file (`missing.html`)",
        "`href` of <a>: no element with id `nope` (`closed-case.html#nope`)",
        "`src` of <img> loads `https://cdn.example/x.png` from outside the site",
    ] {
        let at = format!("public/cases/open-case.html:{line}:");
        let lines: Vec<&str> = run.stdout.lines().collect();
        let i = lines
            .iter()
            .position(|l| l.starts_with(&at) && l.ends_with(&format!(": error: {expected}")))
            .unwrap_or_else(|| panic!("{at}…: error: {expected} not in\n{}", run.stdout));
        assert!(lines[i + 1].starts_with("  hint: "), "{}", run.stdout);
    }
    assert!(run.stderr.contains("4 problems"), "{}", run.stderr);
}

#[test]
fn check_refuses_an_empty_or_missing_output() {
    let t = SiteTest::fixture("all-kinds");
    std::fs::create_dir(t.path("elsewhere")).unwrap();
    t.run(&["check", "--output", "elsewhere"]).failure();
    t.run(&["check", "--output", "nowhere"]).failure();
}

#[test]
fn pages_workflow_builds_with_the_action_and_deploys_with_official_actions() {
    let workflow =
        std::fs::read_to_string(crate::site_test::repo_root().join(".github/workflows/pages.yml"))
            .unwrap();
    // The repository's own action (action.yml), from this commit's source;
    // it builds, checks and uploads (tests/suite/action.rs runs its steps).
    for needle in [
        "uses: ./",
        "version: source",
        "actions/deploy-pages",
        "pages: write",
        "id-token: write",
        "name: github-pages",
    ] {
        assert!(workflow.contains(needle), "{needle} not in the workflow");
    }
}
