//! The preview server: requests → files of the in-memory site, plus the live
//! reload script and its Server-Sent Events stream. The connections, and
//! every limit on them, are [`super::http`]'s.
//!
//! It serves the compiled site and nothing else. A request path is decoded once
//! and looked up as a key of the site's file map, so no spelling of `..` can
//! reach the disk; the only files read from disk are content assets, and only
//! when they really lie inside the content folder.

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::http::{self, Reply, Request, Response};
use super::{Current, Error, State};
use crate::output::Contents;

/// Where the live reload script and its events live. No site file can be
/// served from here.
const PREFIX: &str = "/__playbook/";
const EVENTS: &str = "/__playbook/events";
const SCRIPT: &str = "/__playbook/live.js";
const LIVE_JS: &str = include_str!("live.js");

const DEFAULT_PORT: u16 = 3000;
/// How many ports after the default to try when it is busy.
const PORT_TRIES: u16 = 10;
/// Connections the kernel holds before they are accepted. The default of
/// 128 is fewer than the tabs and streams of one busy session; beyond the
/// queue, connections wait seconds for the kernel to retry them.
const BACKLOG: i32 = 1024;
/// A comment sent on idle event streams, so closed browsers are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    bind: IpAddr,
}

/// A listening socket on `addr`, with a queue of [`BACKLOG`].
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // As std does: on Unix a restarted preview can take its port back at
    // once; on Windows this option would let another program share it.
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

impl Server {
    /// Binds `port`, or with no port 3000 or the next free one.
    pub fn bind(ip: IpAddr, port: Option<u16>) -> Result<Server, Error> {
        let ports: Vec<u16> = match port {
            Some(p) => vec![p],
            None => (DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES).collect(),
        };
        let mut last = None;
        for &p in &ports {
            match listen(SocketAddr::new(ip, p)) {
                Ok(listener) => {
                    // Accepted connections inherit this on Linux. Without it a
                    // keep-alive response written in two parts waits for the
                    // browser's delayed ACK: 40 ms added to the stylesheet on
                    // every live reload, measured in Chromium.
                    let _ = socket2::SockRef::from(&listener).set_tcp_nodelay(true);
                    if port.is_none() && p != DEFAULT_PORT {
                        eprintln!("port {DEFAULT_PORT} is busy; using {p}");
                    }
                    let addr = listener.local_addr().map_err(|e| Error::Serve {
                        message: format!("cannot listen on {ip}: {e}"),
                        hint: "try another address with --bind".into(),
                    })?;
                    return Ok(Server {
                        listener,
                        addr,
                        bind: ip,
                    });
                }
                Err(e) => last = Some(e),
            }
        }
        let e = last.map_or_else(String::new, |e| e.to_string());
        let message = match port {
            Some(p) => format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)),
            None => format!(
                "cannot listen on {ip}, ports {DEFAULT_PORT} to {}: {e}",
                DEFAULT_PORT + PORT_TRIES - 1
            ),
        };
        Err(Error::Serve {
            message,
            hint: "pick a free port with --port PORT, or --port 0 for any free port".into(),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Starts answering requests; it goes on until the process ends.
    pub fn spawn(self, state: Arc<State>) {
        let bind = self.bind;
        http::serve(
            self.listener,
            Arc::new(move |request: &Request| handle(request, &state, bind)),
        );
    }
}

fn respond(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Reply::Full(Response::new(status, content_type, body))
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn text(status: u16, message: &str) -> Reply {
    Reply::Full(Response::text(status, message))
}

fn handle(request: &Request, state: &Arc<State>, bind: IpAddr) -> Reply {
    if bind.is_loopback() && !host_is_local(request.host.as_deref()) {
        // A page on another site can point its own name at 127.0.0.1 (DNS
        // rebinding); only answer requests addressed to this machine by name.
        return text(403, "forbidden: unknown Host");
    }
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return Reply::Full(
            Response::text(
                405,
                "method not allowed: the preview only answers GET and HEAD",
            )
            .header("Allow", "GET, HEAD"),
        );
    }
    let target = request.target.split(['?', '#']).next().unwrap_or("");
    if target == EVENTS && request.method == "GET" {
        return events(state.clone());
    }
    if target == SCRIPT {
        return respond(
            200,
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes().to_vec(),
        );
    }
    if target.starts_with(PREFIX) {
        return text(404, "not found");
    }
    let Some(segments) = segments(target) else {
        return text(400, "bad request: not a path inside the site");
    };
    let current = state.current();
    let Some(site) = current.site.clone() else {
        let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Not built yet</title></head>\
             <body><h1>The site has not built yet</h1><p>Fix the problems shown in the terminal; \
             this page reloads by itself.</p></body></html>";
        return respond(
            503,
            "text/html; charset=utf-8",
            inject(page.as_bytes(), current.version),
        );
    };
    let files = &site.output.files;
    let key = segments.join("/");
    let wants_folder = target.ends_with('/') || key.is_empty();
    let key = if wants_folder {
        if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        }
    } else {
        key
    };
    match files.get(&key) {
        Some(contents) => match read(contents, &site.sources) {
            Some(bytes) => send(200, &key, bytes, &current),
            None => not_found(&current),
        },
        // `/cases` → `/cases/`, so the folder's relative links resolve.
        None if !wants_folder && files.contains_key(&format!("{key}/index.html")) => Reply::Full(
            Response::new(301, "text/plain; charset=utf-8", Vec::new())
                .header("Location", format!("/{}/", encode_path(&key))),
        ),
        None => not_found(&current),
    }
}

/// `Host` names this machine (or is absent, as in HTTP/1.0).
fn host_is_local(host: Option<&str>) -> bool {
    let Some(host) = host.map(str::to_ascii_lowercase) else {
        return true;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host
            .rsplit_once(':')
            .map_or(host.as_str(), |(name, _)| name),
    };
    name == "localhost" || name.ends_with(".localhost") || name.parse::<IpAddr>().is_ok()
}

/// The path's segments, percent-decoded once; `None` for anything that is
/// not a plain path inside the site: `.` or `..` in any spelling, backslashes,
/// NUL and other control characters, drive letters, bad escapes, non-UTF-8.
pub fn segments(target: &str) -> Option<Vec<String>> {
    let rest = target.strip_prefix('/')?;
    let bytes = crate::urls::percent_decode_strict(rest)?;
    let path = String::from_utf8(bytes).ok()?;
    if path
        .chars()
        .any(|c| c.is_control() || c == '\\' || c == ':')
    {
        return None;
    }
    let mut out = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" => continue,
            "." | ".." => return None,
            s => out.push(s.to_string()),
        }
    }
    Some(out)
}

/// A file's bytes. A copied asset is read now, and only if it really lies in
/// the content folder: a symbolic link pointing elsewhere is not followed.
fn read(contents: &Contents, sources: &[PathBuf]) -> Option<Vec<u8>> {
    match contents {
        Contents::Bytes(bytes) => Some(bytes.to_vec()),
        Contents::Pieces(pieces) => Some(Contents::join(pieces)),
        Contents::Copy(source) => {
            let real = std::fs::canonicalize(source).ok()?;
            if !sources.iter().any(|dir| real.starts_with(dir)) {
                eprintln!(
                    "warning: not serving {}: it links outside the content and static folders",
                    source.display()
                );
                return None;
            }
            std::fs::read(real).ok()
        }
        // `watch` renders without a sink: every file stays in memory.
        Contents::Written => None,
    }
}

fn send(status: u16, key: &str, bytes: Vec<u8>, current: &Current) -> Reply {
    let kind = content_type(key);
    let bytes = if kind.starts_with("text/html") {
        inject(&bytes, current.version)
    } else {
        bytes
    };
    respond(status, kind, bytes)
}

fn not_found(current: &Current) -> Reply {
    let page = current
        .site
        .as_ref()
        .and_then(|s| match s.output.files.get("404.html") {
            Some(Contents::Bytes(b)) => Some(b.to_vec()),
            _ => None,
        });
    match page {
        Some(bytes) => send(404, "404.html", bytes, current),
        None => text(404, "not found"),
    }
}

/// Adds the live reload script before `</body>`, or at the end without one.
/// Only served pages get it; `build` output never does.
pub fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT}\" data-version=\"{version}\"></script>\n");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "yaml" | "yml" => "text/yaml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// A Server-Sent Events stream: the current state at once, then every rebuild.
/// It holds its connection's own thread, never one that serves pages.
fn events(state: Arc<State>) -> Reply {
    Reply::Events(Box::new(move |out: &mut dyn Write| {
        // Subscribed only once the stream has its slot: a refused stream
        // leaves no receiver behind.
        let (rx, hello) = state.subscribe();
        if out.write_all(b"retry: 1000\n\n").is_err()
            || out.write_all(hello.as_bytes()).is_err()
            || out.flush().is_err()
        {
            return;
        }
        loop {
            let message = match rx.recv_timeout(KEEP_ALIVE) {
                Ok(message) => message,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Arc::from(": ping\n\n"),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            };
            // A browser that stopped reading fails here within the write
            // timeout; dropping `rx` unsubscribes it.
            if out.write_all(message.as_bytes()).is_err() || out.flush().is_err() {
                return;
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/cases/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/..%2fx",
            "/.%2e/x",
            "/cases/..\\..\\x",
            "/%5c..%5cx",
            "/C:/x",
            "/index.html%00.css",
            "/%zz",
            "/%ff",
            "relative",
            "http://evil.example/x",
        ] {
            assert_eq!(segments(bad), None, "{bad}");
        }
    }

    #[test]
    fn plain_paths_are_decoded_once() {
        assert_eq!(segments("/"), Some(vec![]));
        assert_eq!(
            segments("//cases//a.html"),
            Some(vec!["cases".into(), "a.html".into()])
        );
        assert_eq!(segments("/a%20b.png"), Some(vec!["a b.png".into()]));
        // Double encoding stays literal: `%2e%2e` is a (missing) file name, not `..`.
        assert_eq!(
            segments("/%252e%252e/x"),
            Some(vec!["%2e%2e".into(), "x".into()])
        );
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, 7)).unwrap_or_default();
        assert!(
            out.contains(
                "<p>x</p><script src=\"/__playbook/live.js\" data-version=\"7\"></script>\n</BODY>"
            ),
            "{out}"
        );
        let bare = String::from_utf8(inject(b"<p>x</p>", 1)).unwrap_or_default();
        assert!(bare.starts_with("<p>x</p><script"), "{bare}");
    }
}
