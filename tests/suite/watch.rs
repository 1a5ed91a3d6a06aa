//! `playbook watch`: the real binary on an ephemeral port over a temp copy of a
//! fixture. Every wait is on an event (a log line, a server-sent event) with a
//! timeout; no test sleeps for a fixed time.

// Test helpers fail the test by panicking, on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::site_test::{Page, SiteTest, BIN};

/// Long enough for a loaded CI machine, short enough to fail a hung test.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A running `playbook watch`, killed when dropped. Shared with the browser
/// tests (`browser_watch`).
pub(crate) struct Watching {
    child: Child,
    pub(crate) addr: SocketAddr,
    /// As announced: `http://127.0.0.1:PORT/`.
    pub(crate) url: String,
    log: Arc<Mutex<String>>,
    pub(crate) site: SiteTest,
}

impl Watching {
    pub(crate) fn start(site: SiteTest) -> Watching {
        Watching::start_with(site, &[])
    }

    fn start_with(site: SiteTest, args: &[&str]) -> Watching {
        // The suite's scripted saves can be preempted mid-save while browsers
        // run beside them; a real editor's steps are microseconds apart, well
        // inside the default.
        Watching::spawn(site, args, "50")
    }

    /// With watch's own debounce, for measurements.
    pub(crate) fn start_as_shipped(site: SiteTest) -> Watching {
        Watching::spawn(site, &[], "")
    }

    fn spawn(site: SiteTest, args: &[&str], debounce_ms: &str) -> Watching {
        let mut child = Command::new(BIN)
            .args(["watch", "--port", "0"])
            .args(args)
            .env("PLAYBOOK_WATCH_DEBOUNCE_MS", debounce_ms)
            .current_dir(&site.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(i) = line.find("http://") {
                    let _ = tx.send(
                        line[i..]
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_string(),
                    );
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let url = match rx.recv_timeout(TIMEOUT) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "watch announced no URL\n--- stderr\n{}",
                    log.lock().unwrap()
                );
            }
        };
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("bad URL {url}: {e}"));
        Watching {
            child,
            addr,
            url,
            log,
            site,
        }
    }

    /// The server's process id, to read its memory from /proc.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the terminal output contains `needle`: the reader thread
    /// may lag behind an event that arrived over the network.
    pub(crate) fn wait_log(&self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            let log = self.log();
            if log.contains(needle) {
                return log;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "waited for {needle:?} in the terminal\n{log}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends `request` as is (no client normalises the path) and returns the
    /// status code and body.
    fn raw(&self, request: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&response)));
        let head = String::from_utf8_lossy(&response[..split]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head, response[split + 4..].to_vec())
    }

    fn request(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        self.raw(&format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ))
    }

    fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.request("GET", path);
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// The `<h1>` of a served page.
    fn title(&self, path: &str) -> String {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}");
        Page::parse(&body).text("main h1")
    }

    /// Subscribes to the live reload events; the first one is `hello`.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .write_all(b"GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stream).lines().map_while(Result::ok);
            // Response head.
            for line in lines.by_ref() {
                if line.is_empty() {
                    break;
                }
            }
            let (mut name, mut data) = (String::new(), String::new());
            for line in lines {
                if let Some(v) = line.strip_prefix("event: ") {
                    name = v.to_string();
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = v.to_string();
                } else if line.is_empty() && !name.is_empty() {
                    let event = (std::mem::take(&mut name), std::mem::take(&mut data));
                    if tx.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        let events = Events { rx };
        events.expect("hello");
        events
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    /// The next event, which must be `name`; returns its JSON data.
    fn expect(&self, name: &str) -> serde_json::Value {
        let (got, data) = self
            .rx
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|_| panic!("no `{name}` event within {TIMEOUT:?}"));
        assert_eq!(got, name, "expected a `{name}` event, got `{got}`: {data}");
        serde_json::from_str(&data).unwrap_or_else(|e| panic!("bad JSON in `{got}`: {e}: {data}"))
    }
}

/// Replaces `from` (which must be there) with `to` in the site file `rel`.
pub(crate) fn edit(site: &SiteTest, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, text.replace(from, to));
}

#[test]
fn an_edit_reloads_the_page_served_from_memory() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    assert_eq!(w.title("/cases/open-case.html"), "Open case");
    let events = w.events();
    edit(
        &w.site,
        "content/cases/open-case.md",
        "title: Open case",
        "title: Opened up",
    );
    events.expect("reload");
    assert_eq!(w.title("/cases/open-case.html"), "Opened up");
    // Pages that list it follow, in the same swap.
    let (_, cases) = w.get("/cases/");
    assert!(
        Page::parse(&cases)
            .select("main a")
            .iter()
            .any(|a| a.text().collect::<String>().contains("Opened up")),
        "{cases}"
    );
    // Served pages carry the live script; nothing is written to disk.
    let (_, home) = w.get("/");
    let page = Page::parse(&home);
    let script = page.one("script[src='/__playbook/live.js']");
    assert!(script.value().attr("data-version").is_some());
    assert!(!w.site.path("public").exists(), "watch wrote public/");
    let (status, js) = w.get("/__playbook/live.js");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource") && !js.contains("innerHTML"));
}

#[test]
fn a_broken_file_reports_file_and_line_and_the_last_good_site_stays() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    let original = w.site.read("content/cases/open-case.md");
    let events = w.events();
    w.site.write(
        "content/cases/open-case.md",
        "---\ntitle: Open case\nsummary: \"unclosed\nverdict: open\n---\nBody\n",
    );
    let data = events.expect("build-error");
    let error = &data["errors"][0];
    assert_eq!(error["path"], "content/cases/open-case.md", "{data}");
    assert_eq!(error["line"], 3, "{data}");
    assert_eq!(
        error["location"], "content/cases/open-case.md:3:10",
        "{data}"
    );
    assert!(
        error["hint"].as_str().is_some_and(|h| !h.is_empty()),
        "{data}"
    );
    // The terminal shows the same diagnostic as `build`.
    let log = w.wait_log("content/cases/open-case.md:3:10: error: ");
    assert!(!log.contains("panicked"), "{log}");
    // Still serving the last good page; a browser arriving now hears of the error.
    assert_eq!(w.title("/cases/open-case.html"), "Open case");
    let late = w.events_after_hello_with_errors();
    assert_eq!(late["errors"][0]["path"], "content/cases/open-case.md");

    w.site.write(
        "content/cases/open-case.md",
        original.replace("title: Open case", "title: Fixed case"),
    );
    events.expect("reload");
    assert_eq!(w.title("/cases/open-case.html"), "Fixed case");
}

impl Watching {
    /// A fresh subscription's `hello`, which must report errors.
    fn events_after_hello_with_errors(&self) -> serde_json::Value {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream
            .write_all(b"GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let reader = BufReader::new(stream);
        let data = reader
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("data: ").map(str::to_string))
            .expect("a hello event");
        let data: serde_json::Value = serde_json::from_str(&data).unwrap();
        assert!(data["errors"].is_array(), "{data}");
        data
    }
}

/// Each save style makes exactly one rebuild: the event after a save's
/// `reload` is the next save's, and a deliberate breakage closes the list.
#[test]
fn editor_saves_rebuild_once_each() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    let events = w.events();
    let rel = "content/cases/open-case.md";
    let path = w.site.path(rel);
    let dir = path.parent().unwrap().to_path_buf();
    let original = w.site.read(rel);
    let with_title = |title: &str| original.replace("title: Open case", &format!("title: {title}"));

    // Plain write, as nano and VS Code do.
    std::fs::write(&path, with_title("Plain")).unwrap();
    events.expect("reload");
    assert_eq!(w.title("/cases/open-case.html"), "Plain");

    // Write a temp file, rename it over (atomic save; Emacs, sed -i, many tools).
    let tmp = dir.join(".open-case.md.tmp123");
    std::fs::write(&tmp, with_title("Renamed over")).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    events.expect("reload");
    assert_eq!(w.title("/cases/open-case.html"), "Renamed over");

    // Vim (backupcopy=auto, writebackup): probe 4913, move the file to a
    // backup `~`, write a new file, delete the backup; a swap file beside it.
    let swap = dir.join(".open-case.md.swp");
    std::fs::write(&swap, "vim swap").unwrap();
    let probe = dir.join("4913");
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    let backup = dir.join("open-case.md~");
    std::fs::rename(&path, &backup).unwrap();
    std::fs::write(&path, with_title("Vim")).unwrap();
    std::fs::remove_file(&backup).unwrap();
    std::fs::remove_file(&swap).unwrap();
    events.expect("reload");
    assert_eq!(w.title("/cases/open-case.html"), "Vim");

    // JetBrains safe write: temp file, original to ___jb_old___, temp renamed in.
    let jb_tmp = dir.join("open-case.md___jb_tmp___");
    let jb_old = dir.join("open-case.md___jb_old___");
    std::fs::write(&jb_tmp, with_title("JetBrains")).unwrap();
    std::fs::rename(&path, &jb_old).unwrap();
    std::fs::rename(&jb_tmp, &path).unwrap();
    std::fs::remove_file(&jb_old).unwrap();
    events.expect("reload");
    assert_eq!(w.title("/cases/open-case.html"), "JetBrains");

    // Editor droppings alone are not changes: the next event is this error.
    std::fs::write(dir.join("notes.md~"), "backup").unwrap();
    std::fs::write(dir.join(".open-case.md.swx"), "swap").unwrap();
    w.site
        .write("content/patterns/beta.md", "---\ntitle: Beta\n---\n");
    events.expect("build-error");
    // The error is printed after every earlier rebuild's line.
    let log = w.wait_log("content/patterns/beta.md:");
    assert_eq!(
        log.matches("changed; built").count(),
        4,
        "one rebuild per save\n{log}"
    );
}

#[test]
fn new_deleted_and_renamed_files_and_new_folders_are_picked_up() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    let events = w.events();
    let case =
        |title: &str| format!("---\ntitle: {title}\nsummary: S.\nverdict: closed\n---\nBody.\n");

    w.site.write("content/cases/new-case.md", case("New case"));
    events.expect("reload");
    assert_eq!(w.title("/cases/new-case.html"), "New case");

    // A new folder with a file in it.
    w.site
        .write("content/cases/2025/nested-case.md", case("Nested case"));
    events.expect("reload");
    assert_eq!(w.title("/cases/nested-case.html"), "Nested case");

    std::fs::rename(
        w.site.path("content/cases/new-case.md"),
        w.site.path("content/cases/moved-case.md"),
    )
    .unwrap();
    events.expect("reload");
    assert_eq!(w.title("/cases/moved-case.html"), "New case");
    let (status, body) = w.get("/cases/new-case.html");
    assert_eq!(status, 404);
    assert_eq!(Page::parse(&body).text("main h1"), "Page not found");

    w.site.remove("content/cases/moved-case.md");
    events.expect("reload");
    assert_eq!(w.get("/cases/moved-case.html").0, 404);

    // book.toml is watched too.
    edit(&w.site, "book.toml", "Fixture playbook", "Renamed playbook");
    events.expect("reload");
    let (_, home) = w.get("/index.html");
    assert!(
        Page::parse(&home)
            .text("title")
            .contains("Renamed playbook"),
        "{home}"
    );
}

/// `static/` is followed like the content: a file added there is served,
/// also after a save of a page (which reads only that page), and a removed
/// one is gone.
#[test]
fn files_added_to_static_are_served() {
    let site = SiteTest::fixture("all-kinds");
    site.write("static/CNAME", "example.org\n");
    let w = Watching::start(site);
    let events = w.events();
    assert_eq!(w.get("/CNAME"), (200, "example.org\n".to_string()));
    w.site.write("static/notes.txt", "First notes.");
    events.expect("reload");
    assert_eq!(w.get("/notes.txt"), (200, "First notes.".to_string()));
    edit(
        &w.site,
        "content/cases/open-case.md",
        "title: Open case",
        "title: Open case, saved",
    );
    events.expect("reload");
    w.site.write("static/more.txt", "More notes.");
    events.expect("reload");
    assert_eq!(w.get("/more.txt").0, 200);
    w.site.remove("static/notes.txt");
    events.expect("reload");
    assert_eq!(w.get("/notes.txt").0, 404);
}

#[test]
fn a_stylesheet_change_swaps_css_without_a_reload() {
    let site = SiteTest::fixture("all-kinds");
    site.write("themes/default/static/style.css", "body { color: black }\n");
    let w = Watching::start(site);
    assert_eq!(w.get("/assets/style.css").1, "body { color: black }\n");
    let events = w.events();
    w.site
        .write("themes/default/static/style.css", "body { color: navy }\n");
    let data = events.expect("css");
    assert_eq!(data["paths"], serde_json::json!(["assets/style.css"]));
    let (status, head, body) = w.request("GET", "/assets/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/css"), "{head}");
    assert_eq!(body, b"body { color: navy }\n");
}

#[test]
fn traversal_in_any_spelling_leaks_nothing() {
    let site = SiteTest::fixture("all-kinds");
    // A secret beside the site folder. (A link to it from inside content/
    // fails the build itself: reliability::symbolic_links_out_of_the_site….)
    let secret = site.root.parent().unwrap().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET").unwrap();
    site.write("content/inside.txt", "fine");
    let w = Watching::start(site);
    for path in [
        "/../secret.txt",
        "/cases/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/cases\\..\\..\\secret.txt",
        "/%2e%2e%5c%2e%2e%5csecret.txt",
        "//../secret.txt",
        "/%252e%252e/secret.txt",
        "/index.html%00.txt",
        "/book.toml",
        "/../book.toml",
        "/content/index.md",
        "/%2e%2e/site/book.toml",
        "/leak.txt",
        "http://127.0.0.1/../secret.txt",
        &format!(
            "{}",
            w.site.root.parent().unwrap().join("secret.txt").display()
        ),
        "/C:/Windows/win.ini",
    ] {
        let (status, _, body) = w.request("GET", path);
        let body = String::from_utf8_lossy(&body);
        assert_ne!(status, 200, "{path} → 200");
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("title = "),
            "{path} leaked:\n{body}"
        );
    }
    assert_eq!(w.get("/inside.txt"), (200, "fine".to_string()));
    // Only GET and HEAD.
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let (status, head, _) = w.request(method, "/index.html");
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("Allow: GET, HEAD"), "{head}");
    }
    let (status, head, body) = w.request("HEAD", "/index.html");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.is_empty());
    // A folder serves its index page, never a listing; a missing page is 404.html.
    assert_eq!(w.title("/cases/"), "Cases");
    let (status, head, _) = w.request("GET", "/cases");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /cases/"), "{head}");
    let (status, body) = w.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert_eq!(Page::parse(&body).text("main h1"), "Page not found");
    // Requests naming another host (DNS rebinding) are refused.
    let (status, _, _) = w.raw("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 403);
}

#[test]
fn default_bind_is_loopback_and_nothing_is_written() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    assert!(w.url.starts_with("http://127.0.0.1:"), "{}", w.url);
    assert!(w.addr.ip().is_loopback());
    assert_eq!(w.get("/").0, 200);
    let entries: Vec<_> = std::fs::read_dir(&w.site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries.len(),
        2,
        "watch wrote into the site folder: {entries:?}"
    );
}

#[test]
fn polling_also_follows_changes() {
    let w = Watching::start_with(SiteTest::fixture("all-kinds"), &["--poll"]);
    let events = w.events();
    edit(
        &w.site,
        "content/patterns/alpha.md",
        "title: Alpha pattern",
        "title: Polled",
    );
    events.expect("reload");
    assert_eq!(w.title("/patterns/alpha.html"), "Polled");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let t = SiteTest::fixture("all-kinds");
    let run = t.run(&["watch", "--port", &port]);
    run.failure();
    assert!(
        run.stderr.contains("cannot listen on 127.0.0.1:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: pick a free port with --port"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_book_toml_is_a_clear_error() {
    let t = SiteTest::empty();
    let run = t.run(&["watch", "--port", "0"]);
    run.failure();
    assert!(run.stderr.contains("no book.toml"), "{}", run.stderr);
}

/// The content model lives in book.toml: a change to it re-renders the
/// pages it affects, and a mistake in it is reported at its line while the
/// last good site stays.
#[test]
fn a_change_to_the_declared_model_re_renders_what_it_affects() {
    let w = Watching::start(SiteTest::default_playbook());
    let badge = |path: &str| {
        let (_, body) = w.get(path);
        Page::parse(&body).text("[data-page-badge]")
    };
    assert_eq!(badge("/cases/model-is-the-product.html"), "Stay closed");
    let events = w.events();
    edit(
        &w.site,
        "book.toml",
        r#"{ value = "closed", label = "Stay closed", tone = "bad""#,
        r#"{ value = "closed", label = "Keep it closed", tone = "bad""#,
    );
    events.expect("reload");
    assert_eq!(badge("/cases/model-is-the-product.html"), "Keep it closed");
    // The index that groups by it, and the field's own label, follow.
    edit(
        &w.site,
        "book.toml",
        r#"plural = "Mistakes""#,
        r#"plural = "Pitfalls""#,
    );
    events.expect("reload");
    let (_, home) = w.get("/");
    assert!(
        Page::parse(&home)
            .select(".sidebar .sb-kind-link")
            .iter()
            .any(|a| a.text().collect::<String>().trim().starts_with("Pitfalls")),
        "{home}"
    );
    // A mistake in the declaration: reported at book.toml's line and column.
    edit(
        &w.site,
        "book.toml",
        r#"signals = { type = "list", label = "Signals", description = "Signs the case"#,
        r#"signals = { type = "lsit", label = "Signals", description = "Signs the case"#,
    );
    let data = events.expect("build-error");
    let error = &data["errors"][0];
    assert_eq!(error["path"], "book.toml", "{data}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or("")
            .contains("unknown type \"lsit\""),
        "{data}"
    );
    assert!(error["line"].as_u64().is_some_and(|l| l > 1), "{data}");
    assert_eq!(badge("/cases/model-is-the-product.html"), "Keep it closed");
}
