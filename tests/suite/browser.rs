//! Headless Chromium for tests of the site's scripts (search, decision tree, …).
//!
//! One Chromium (Debian package `chromium`) is started the first time a test asks
//! for a page and is shared by the whole test binary; tests take turns, one
//! [`Page`] at a time, so keyboard focus and timing stay predictable on a small
//! machine. A watchdog shell process ends that Chromium and removes its profile
//! folder once the test binary has exited, since statics are never dropped.
//!
//! ```ignore
//! let page = browser::open(&t.path("public/index.html"));
//! page.press("/").type_text("DeepSeek");
//! page.wait_for("[data-search-results] [role=option]");
//! assert_eq!(page.attr("[data-search-results] a", "href").as_deref(), Some("cases/catching-up.html"));
//! page.assert_clean(); // only file: requests, no console error, no exception
//! ```
//!
//! Every wait polls a condition until a deadline ([`TIMEOUT`]); no test sleeps a
//! fixed time. A failed wait panics with what it waited for and the page's log.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Input, Log as CdpLog, Network, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};

/// Where Debian's `chromium` package installs the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long any wait lasts before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(30);

struct Shared {
    browser: Browser,
}

/// The running Chromium; replaced if it dies (see [`new_tab`]).
static SHARED: Mutex<Option<Arc<Shared>>> = Mutex::new(None);
static TURN: Mutex<()> = Mutex::new(());

fn shared() -> Arc<Shared> {
    let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    slot.get_or_insert_with(|| Arc::new(launch())).clone()
}

/// Forgets a Chromium whose connection has closed, so the next tab starts a
/// new one. Said on stderr: a crash should be visible, not silent.
fn forget_dead_browser(error: &str) {
    if error.contains("connection is closed") {
        eprintln!("browser: Chromium's connection closed ({error}); starting a new Chromium");
        *SHARED.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

fn launch() -> Shared {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "browser tests need Chromium at {CHROMIUM}: install the Debian package `chromium` \
         (apt-get install chromium)"
    );
    let profile =
        std::env::temp_dir().join(format!("playbook-test-chromium-{}", std::process::id()));
    std::fs::create_dir_all(&profile).unwrap();
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-background-networking",
        "--no-first-run",
        "--disable-gpu",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(CHROMIUM)))
        .headless(true)
        .sandbox(false)
        .enable_gpu(false)
        .user_data_dir(Some(profile.clone()))
        .window_size(Some((1200, 900)))
        .idle_browser_timeout(Duration::from_secs(3600))
        .args(args)
        .build()
        .unwrap();
    let browser = Browser::new(options).unwrap_or_else(|e| {
        panic!("could not start Chromium ({CHROMIUM}, Debian package `chromium`): {e:#}")
    });
    // Opening a tab takes a second when the machine is idle but can take far
    // longer on two busy cores; the library's 20 s default made tests flaky
    // under load. Waiting longer costs nothing when things are fast.
    browser.set_default_timeout(Duration::from_secs(120));
    if let Some(pid) = browser.get_process_id() {
        watchdog(pid, &profile);
    }
    Shared { browser }
}

/// Ends Chromium `pid` and removes `profile` once this test process is gone.
fn watchdog(pid: u32, profile: &Path) {
    let script = format!(
        "while kill -0 {me} 2>/dev/null; do sleep 0.5; done; kill {pid} 2>/dev/null; sleep 1; kill -9 {pid} 2>/dev/null; rm -rf '{profile}'",
        me = std::process::id(),
        profile = profile.display(),
    );
    let spawned = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("warning: no watchdog for Chromium {pid}: {e}");
    }
}

/// What a page did: every request URL, and every console error or uncaught
/// exception, in order.
#[derive(Debug, Default, Clone)]
pub struct Log {
    pub requests: Vec<String>,
    pub errors: Vec<String>,
}

/// One browser tab. Holds the shared browser's turn until dropped.
pub struct Page {
    tab: Arc<Tab>,
    log: Arc<Mutex<Log>>,
    _turn: MutexGuard<'static, ()>,
}

/// `file://` URL of a local file.
pub fn file_url(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut url = String::from("file://");
    for c in abs.to_string_lossy().chars() {
        match c {
            ' ' => url.push_str("%20"),
            '#' => url.push_str("%23"),
            '?' => url.push_str("%3F"),
            '%' => url.push_str("%25"),
            c => url.push(c),
        }
    }
    url
}

/// Opens a local file as `file://` in a new tab and waits for it to load.
pub fn open(path: &Path) -> Page {
    open_url(&file_url(path))
}

/// Opens `url` in a new tab and waits for it to load.
pub fn open_url(url: &str) -> Page {
    // A test that panicked while holding the turn leaves the lock poisoned; the
    // browser is still fine for the next test.
    let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let log = Arc::new(Mutex::new(Log::default()));
    // Setting up a tab is a handful of protocol calls; on two busy cores one
    // has been seen to fail once. A second tab is a clean start, and each
    // failure is printed, so a real breakage still shows (and fails after 3).
    let mut attempt = 0;
    let tab = loop {
        attempt += 1;
        match new_tab(&log) {
            Ok(tab) => break tab,
            Err(e) if attempt < 3 => {
                eprintln!("browser: tab setup failed ({e}); trying a new tab");
                forget_dead_browser(&e);
            }
            Err(e) => panic!("could not set up a Chromium tab three times: {e}"),
        }
    };
    let page = Page {
        tab,
        log,
        _turn: turn,
    };
    page.goto(url);
    page
}

/// A new tab whose requests, console errors and exceptions go to `log`.
fn new_tab(log: &Arc<Mutex<Log>>) -> Result<Arc<Tab>, String> {
    let tab = shared()
        .browser
        .new_tab()
        .map_err(|e| format!("open a tab: {e:#}"))?;
    tab.set_default_timeout(Duration::from_secs(120));
    let sink = Arc::clone(log);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let mut log = sink.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Event::NetworkRequestWillBeSent(e) => log.requests.push(e.params.request.url.clone()),
            Event::RuntimeConsoleAPICalled(e)
                if matches!(
                    e.params.Type,
                    Runtime::ConsoleAPICalledEventTypeOption::Error
                        | Runtime::ConsoleAPICalledEventTypeOption::Assert
                ) =>
            {
                let args: Vec<String> = e
                    .params
                    .args
                    .iter()
                    .map(|a| {
                        a.value
                            .as_ref()
                            .map(|v| v.to_string())
                            .or_else(|| a.description.clone())
                            .unwrap_or_default()
                    })
                    .collect();
                log.errors
                    .push(format!("console.error: {}", args.join(" ")));
            }
            Event::RuntimeExceptionThrown(e) => {
                let d = &e.params.exception_details;
                let what = d
                    .exception
                    .as_ref()
                    .and_then(|x| x.description.clone())
                    .unwrap_or_else(|| d.text.clone());
                log.errors.push(format!(
                    "uncaught exception at {}:{}: {what}",
                    d.url.clone().unwrap_or_default(),
                    d.line_number
                ));
            }
            Event::LogEntryAdded(e) if e.params.entry.level == CdpLog::LogEntryLevel::Error => {
                log.errors.push(format!(
                    "log error: {} ({})",
                    e.params.entry.text,
                    e.params.entry.url.clone().unwrap_or_default()
                ));
            }
            _ => {}
        }
    }))
    .map_err(|e| format!("listen to the tab: {e:#}"))?;
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .map_err(|e| format!("enable Network events: {e:#}"))?;
    tab.enable_runtime()
        .map_err(|e| format!("enable Runtime events: {e:#}"))?;
    tab.enable_log()
        .map_err(|e| format!("enable Log events: {e:#}"))?;
    // Pages behave as if their window had focus, as for a reader at the keyboard.
    tab.call_method(Emulation::SetFocusEmulationEnabled { enabled: true })
        .map_err(|e| format!("emulate focus: {e:#}"))?;
    Ok(tab)
}

impl Drop for Page {
    fn drop(&mut self) {
        let _ = self.tab.close(false);
    }
}

impl Page {
    /// Navigates this tab to `url` and waits until the document has loaded.
    /// A `url` that differs from the current one only after `#` loads the
    /// page again too, as following a link from elsewhere would (the browser
    /// itself would only scroll).
    pub fn goto(&self, url: &str) -> &Self {
        let before = |u: &str| u.split('#').next().unwrap_or_default().to_string();
        let current = self.tab.get_url();
        if current.starts_with("file:") && before(&current) == before(url) {
            self.eval(&format!(
                "window.__pbStale = true; location.replace({}); location.reload(); true",
                js_string(url)
            ));
            return self.wait_until(
                "!window.__pbStale && document.readyState === 'complete'",
                "the page to load again",
            );
        }
        self.tab
            .navigate_to(url)
            .and_then(|t| t.wait_until_navigated())
            .unwrap_or_else(|e| panic!("could not open {url}: {e:#}"));
        self.wait_until("document.readyState === 'complete'", "the page to load")
    }

    /// The tab's current URL.
    pub fn url(&self) -> String {
        self.eval("location.href")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Evaluates a JavaScript expression (awaiting it if it is a promise) and
    /// returns its value as JSON. Panics on an exception.
    #[track_caller]
    pub fn eval(&self, expression: &str) -> serde_json::Value {
        self.try_eval(expression)
            .unwrap_or_else(|e| panic!("`{expression}` failed: {e}"))
    }

    /// [`Page::eval`] that returns the exception (or protocol error) as text.
    pub fn try_eval(&self, expression: &str) -> Result<serde_json::Value, String> {
        let reply = self
            .tab
            .call_method(Runtime::Evaluate {
                expression: expression.to_string(),
                return_by_value: Some(true),
                generate_preview: None,
                silent: Some(true),
                await_promise: Some(true),
                include_command_line_api: None,
                user_gesture: Some(true),
                object_group: None,
                context_id: None,
                throw_on_side_effect: None,
                timeout: None,
                disable_breaks: None,
                repl_mode: None,
                allow_unsafe_eval_blocked_by_csp: None,
                unique_context_id: None,
                serialization_options: None,
            })
            .map_err(|e| format!("{e:#}"))?;
        if let Some(d) = reply.exception_details {
            let what = d.exception.and_then(|x| x.description).unwrap_or(d.text);
            return Err(what);
        }
        Ok(reply.result.value.unwrap_or(serde_json::Value::Null))
    }

    /// Waits until the JavaScript `condition` is truthy; `what` names it in the
    /// failure message.
    #[track_caller]
    pub fn wait_until(&self, condition: &str, what: &str) -> &Self {
        let deadline = Instant::now() + TIMEOUT;
        let mut last;
        loop {
            match self.try_eval(&format!("!!({condition})")) {
                Ok(serde_json::Value::Bool(true)) => return self,
                Ok(v) => last = v.to_string(),
                // The context goes away while a navigation is under way.
                Err(e) => last = e,
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out after {TIMEOUT:?} waiting for {what} (`{condition}` was {last})\nurl: {}\n{:#?}",
                    self.tab.get_url(),
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits until an element matches `css`.
    #[track_caller]
    pub fn wait_for(&self, css: &str) -> &Self {
        self.wait_until(
            &format!("document.querySelector({})", js_string(css)),
            &format!("`{css}`"),
        )
    }

    /// Waits until an element matches `css` and is shown (not `hidden`, has a box).
    #[track_caller]
    pub fn wait_visible(&self, css: &str) -> &Self {
        self.wait_until(
            &format!(
                "(e => e && !e.closest('[hidden]') && e.getClientRects().length > 0)(document.querySelector({}))",
                js_string(css)
            ),
            &format!("`{css}` to be visible"),
        )
    }

    /// Waits until nothing matching `css` is shown.
    #[track_caller]
    pub fn wait_hidden(&self, css: &str) -> &Self {
        self.wait_until(
            &format!(
                "(e => !e || !!e.closest('[hidden]') || e.getClientRects().length === 0)(document.querySelector({}))",
                js_string(css)
            ),
            &format!("`{css}` to be hidden"),
        )
    }

    /// Waits until the tab's URL ends with `suffix` (after a navigation).
    #[track_caller]
    pub fn wait_for_url(&self, suffix: &str) -> &Self {
        self.wait_until(
            &format!(
                "location.href.endsWith({}) && document.readyState === 'complete'",
                js_string(suffix)
            ),
            &format!("the URL to end with `{suffix}`"),
        )
    }

    /// Types `text` into the focused element as one insertion (one `input`
    /// event), as an input method would. Each protocol call costs about 0.1 s
    /// with headless_chrome's transport, so this is much faster than a key per
    /// character; use [`Page::type_keys`] when each keystroke matters.
    pub fn type_text(&self, text: &str) -> &Self {
        self.tab
            .send_character(text)
            .unwrap_or_else(|e| panic!("typing {text:?}: {e:#}"));
        self
    }

    /// Types `text` one key event per character (slow: see [`Page::type_text`]).
    pub fn type_keys(&self, text: &str) -> &Self {
        self.tab
            .type_str(text)
            .unwrap_or_else(|e| panic!("typing {text:?}: {e:#}"));
        self
    }

    /// Presses one key, by its DOM `key` name: "/", "Enter", "Escape", "ArrowDown"…
    pub fn press(&self, key: &str) -> &Self {
        self.tab
            .press_key(key)
            .unwrap_or_else(|e| panic!("pressing {key:?}: {e:#}"));
        self
    }

    /// Sizes the viewport as a desktop (`mobile` false) or a phone with a
    /// touch screen (true).
    pub fn viewport(&self, width: u32, height: u32, mobile: bool) -> &Self {
        self.tab
            .call_method(Emulation::SetDeviceMetricsOverride {
                width,
                height,
                device_scale_factor: 1.0,
                mobile,
                scale: None,
                screen_width: None,
                screen_height: None,
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .unwrap_or_else(|e| panic!("set the viewport: {e:#}"));
        self.tab
            .call_method(Emulation::SetTouchEmulationEnabled {
                enabled: mobile,
                max_touch_points: mobile.then_some(5),
            })
            .unwrap_or_else(|e| panic!("emulate touch: {e:#}"));
        self
    }

    /// The system's colour scheme, as `prefers-color-scheme` reports it.
    pub fn color_scheme(&self, dark: bool) -> &Self {
        self.tab
            .call_method(Emulation::SetEmulatedMedia {
                media: None,
                features: Some(vec![Emulation::MediaFeature {
                    name: "prefers-color-scheme".into(),
                    value: if dark { "dark" } else { "light" }.into(),
                }]),
            })
            .unwrap_or_else(|e| panic!("emulate the colour scheme: {e:#}"));
        self
    }

    /// The media type CSS sees: "print" to read a page as it would print,
    /// "" for the screen again.
    pub fn media(&self, media: &str) -> &Self {
        self.tab
            .call_method(Emulation::SetEmulatedMedia {
                media: Some(media.into()),
                features: None,
            })
            .unwrap_or_else(|e| panic!("emulate media {media:?}: {e:#}"));
        self
    }

    /// Moves the mouse over the middle of the first element matching `css`.
    #[track_caller]
    pub fn hover(&self, css: &str) -> &Self {
        self.wait_visible(css);
        self.tab
            .find_element(css)
            .and_then(|e| e.scroll_into_view().map(|_| ()).and(Ok(e)))
            .and_then(|e| e.move_mouse_over().map(|_| ()))
            .unwrap_or_else(|e| panic!("hovering `{css}`: {e:#}"));
        self
    }

    /// Moves the mouse to a point of the viewport.
    pub fn mouse_to(&self, x: f64, y: f64) -> &Self {
        self.tab
            .move_mouse_to_point(headless_chrome::browser::tab::point::Point { x, y })
            .unwrap_or_else(|e| panic!("moving the mouse: {e:#}"));
        self
    }

    /// Taps the middle of the first element matching `css` with a finger.
    #[track_caller]
    pub fn tap(&self, css: &str) -> &Self {
        self.wait_visible(css);
        let point = self
            .tab
            .find_element(css)
            .and_then(|e| e.get_midpoint())
            .unwrap_or_else(|e| panic!("finding `{css}`: {e:#}"));
        let touch = |kind, points: Vec<Input::TouchPoint>| {
            self.tab
                .call_method(Input::DispatchTouchEvent {
                    Type: kind,
                    touch_points: points,
                    modifiers: None,
                    timestamp: None,
                })
                .unwrap_or_else(|e| panic!("tapping `{css}`: {e:#}"));
        };
        let at = Input::TouchPoint {
            x: point.x,
            y: point.y,
            radius_x: None,
            radius_y: None,
            rotation_angle: None,
            force: None,
            tangential_pressure: None,
            tilt_x: None,
            tilt_y: None,
            twist: None,
            id: None,
        };
        touch(Input::DispatchTouchEventTypeOption::TouchStart, vec![at]);
        touch(Input::DispatchTouchEventTypeOption::TouchEnd, vec![]);
        self
    }

    /// Clicks the first element matching `css` (waiting for it first).
    #[track_caller]
    pub fn click(&self, css: &str) -> &Self {
        self.wait_for(css);
        self.tab
            .find_element(css)
            .and_then(|e| e.click().map(|_| ()))
            .unwrap_or_else(|e| panic!("clicking `{css}`: {e:#}"));
        self
    }

    /// Focuses the first element matching `css`.
    #[track_caller]
    pub fn focus(&self, css: &str) -> &Self {
        self.wait_for(css);
        self.eval(&format!(
            "document.querySelector({}).focus()",
            js_string(css)
        ));
        self
    }

    /// Text content of the first element matching `css`, whitespace collapsed.
    #[track_caller]
    pub fn text(&self, css: &str) -> String {
        self.texts(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element matches `{css}`"))
    }

    /// Text content of every element matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let v = self.eval(&format!(
            "[...document.querySelectorAll({})].map(e => e.textContent.replace(/\\s+/g, ' ').trim())",
            js_string(css)
        ));
        serde_json::from_value(v).unwrap_or_default()
    }

    /// Attribute `name` of the first element matching `css`.
    #[track_caller]
    pub fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.attrs(css, name).into_iter().next().flatten()
    }

    /// Attribute `name` of every element matching `css`.
    pub fn attrs(&self, css: &str, name: &str) -> Vec<Option<String>> {
        let v = self.eval(&format!(
            "[...document.querySelectorAll({})].map(e => e.getAttribute({}))",
            js_string(css),
            js_string(name)
        ));
        serde_json::from_value(v).unwrap_or_default()
    }

    /// Number of elements matching `css`.
    pub fn count(&self, css: &str) -> usize {
        self.eval(&format!(
            "document.querySelectorAll({}).length",
            js_string(css)
        ))
        .as_u64()
        .unwrap_or(0) as usize
    }

    /// The `id` (or tag name) of the focused element.
    pub fn focused(&self) -> String {
        self.eval("(e => e ? (e.id || e.tagName.toLowerCase()) : '')(document.activeElement)")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// What the page did so far.
    pub fn log(&self) -> Log {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Panics unless every request so far was a `file:` URL and nothing logged
    /// an error or threw.
    #[track_caller]
    pub fn assert_clean(&self) -> &Self {
        self.assert_clean_where("file://", |u| u.starts_with("file:"), |_| false)
    }

    /// Panics unless every request so far went to `origin` (scheme, host and
    /// port, as `http://127.0.0.1:8123`, for pages a local server serves) and
    /// nothing logged an error or threw. (The theme declares its favicon, so
    /// Chromium asks for no `/favicon.ico` that could 404.)
    #[track_caller]
    pub fn assert_clean_origin(&self, origin: &str) -> &Self {
        let origin = origin.trim_end_matches('/');
        // `http://127.0.0.1:80` must not admit `http://127.0.0.1:8000`.
        let inside = format!("{origin}/");
        self.assert_clean_where(origin, |u| u == origin || u.starts_with(&inside), |_| false)
    }

    fn assert_clean_where(
        &self,
        allowed: &str,
        ok: impl Fn(&str) -> bool,
        harmless: impl Fn(&str) -> bool,
    ) -> &Self {
        let log = self.log();
        let foreign: Vec<&String> = log.requests.iter().filter(|u| !ok(u)).collect();
        assert!(
            foreign.is_empty(),
            "requests outside {allowed} — {foreign:#?}"
        );
        let errors: Vec<&String> = log.errors.iter().filter(|e| !harmless(e)).collect();
        assert!(errors.is_empty(), "errors in the page — {errors:#?}");
        self
    }
}

/// `s` as a JavaScript string literal.
pub fn js_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}
