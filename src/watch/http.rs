//! The preview's HTTP/1.1 layer: a listening socket → one thread per
//! connection → requests for [`super::serve`] to answer → responses on the
//! wire. Everything a client can make the server hold is bounded here: open
//! connections, live-reload streams, the size of a request head, and the
//! time a request may take to arrive or a response to be read.
//!
//! A connection owns its thread, so a client that stops reading only ever
//! blocks itself, and an event stream holds no thread that serves pages.
//! Request heads are parsed by httparse from a buffer that never grows past
//! [`MAX_LINE`] + [`MAX_HEAD`] bytes.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest request line (`GET /path HTTP/1.1`) answered; longer is 414.
pub const MAX_LINE: usize = 8 * 1024;
/// Most bytes of header fields after the request line; more is 431.
pub const MAX_HEAD: usize = 64 * 1024;
/// Most header fields in one request; more is 431.
const MAX_FIELDS: usize = 100;
/// Connections open at once. Each has a thread; beyond this a client is
/// told 503 rather than left waiting in the listen queue.
pub const MAX_CONNECTIONS: usize = 512;
/// Live-reload streams open at once, so that streams can never take every
/// connection and leave none for pages.
pub const MAX_STREAMS: usize = 256;
/// Connections being told 503 at once; past this they are closed unanswered.
const MAX_REFUSING: usize = 16;
/// How long a kept-alive connection may sit idle before its next request.
const IDLE: Duration = Duration::from_secs(30);
/// How long a request head may take to arrive once it has started.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How long one write may block on a client that does not read. The stream
/// pings every 15 s, so a stalled browser is let go within half a minute.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole response may take to be read, however slowly it drips.
const RESPONSE_DEADLINE: Duration = Duration::from_secs(60);
/// Stack of a connection thread: the handlers only look up a map and copy
/// bytes, and 512 threads of the default 2 MiB would reserve a gigabyte.
const STACK: usize = 256 * 1024;

/// One request, as far as the preview needs it.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// As sent: `/path?query`.
    pub target: String,
    /// The `Host` field, if any.
    pub host: Option<String>,
}

/// A whole response, written with its length.
pub struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    /// A response that no cache keeps and no browser sniffs.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body,
        }
    }

    /// A plain-text answer: `message` and a newline.
    pub fn text(status: u16, message: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{message}\n").into_bytes(),
        )
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// What a handler answers.
pub enum Reply {
    Full(Response),
    /// A Server-Sent Events stream: the closure writes events until it
    /// returns or a write fails, then the connection closes.
    Events(Stream),
}

/// Writes a stream's events to the connection it is given.
pub type Stream = Box<dyn FnOnce(&mut dyn Write) + Send>;

pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A counted resource: a slot is held while its [`Slot`] lives.
struct Slots {
    used: AtomicUsize,
    max: usize,
}

struct Slot(Arc<Slots>);

impl Slots {
    fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            used: AtomicUsize::new(0),
            max,
        })
    }

    fn take(self: &Arc<Slots>) -> Option<Slot> {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(self.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.used.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Accepts connections on `listener` until the process ends, each on a
/// thread of its own, and answers their requests with `handler`.
pub fn serve(listener: TcpListener, handler: Arc<Handler>) {
    let connections = Slots::new(MAX_CONNECTIONS);
    let streams = Slots::new(MAX_STREAMS);
    let refusing = Slots::new(MAX_REFUSING);
    std::thread::spawn(move || {
        let mut last_warning: Option<Instant> = None;
        let mut warn = |message: String| {
            // A flood of failures prints one line every few seconds, not a
            // line per attempt.
            if last_warning.is_none_or(|t| t.elapsed() > Duration::from_secs(5)) {
                eprintln!("warning: {message}");
                last_warning = Some(Instant::now());
            }
        };
        loop {
            let stream = match listener.accept() {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a client that left before
                    // it was accepted: wait a little and go on. Stopping here
                    // would leave the preview deaf until it is restarted.
                    warn(format!("cannot accept a connection: {e}"));
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
            };
            let Some(slot) = connections.take() else {
                warn(format!(
                    "{MAX_CONNECTIONS} connections are open; refusing more until some close"
                ));
                refuse(stream, &refusing);
                continue;
            };
            let handler = handler.clone();
            let streams = streams.clone();
            let spawned = std::thread::Builder::new()
                .name("preview".into())
                .stack_size(STACK)
                .spawn(move || {
                    let _slot = slot;
                    connection(stream, &*handler, &streams);
                });
            if let Err(e) = spawned {
                // The closure, with the stream and the slot, is dropped.
                warn(format!("cannot start a thread for a connection: {e}"));
            }
        }
    });
}

/// Tells a connection over the limit to come back later, on a short-lived
/// thread of its own so the accept loop never waits on a client.
fn refuse(stream: TcpStream, refusing: &Arc<Slots>) {
    let Some(slot) = refusing.take() else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("preview-busy".into())
        .stack_size(STACK)
        .spawn(move || {
            let _slot = slot;
            let mut stream = stream;
            let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
            let busy = Response::text(
                503,
                &format!(
                    "busy: the preview already has {MAX_CONNECTIONS} connections open; \
                     close some tabs or clients and reload"
                ),
            )
            .header("Retry-After", "2");
            let _ = write_response(&mut stream, &busy, false, false);
            linger(&mut stream);
        });
}

/// Why reading a request head stopped.
enum Stop {
    /// The client closed, went idle or took too long: close without a word.
    Closed,
    /// The head is refused: answer with this status and message, then close.
    Refused(u16, &'static str),
}

/// Serves one connection: requests in order, one at a time (pipelined
/// requests wait in the buffer), until either side closes.
fn connection(mut stream: TcpStream, handler: &Handler, streams: &Arc<Slots>) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let (request, keep_alive) = match read_head(&mut stream, &mut buf) {
            Ok(head) => head,
            Err(Stop::Closed) => return,
            Err(Stop::Refused(status, message)) => {
                let _ = write_response(&mut stream, &Response::text(status, message), false, false);
                linger(&mut stream);
                return;
            }
        };
        let head_only = request.method == "HEAD";
        // A bug in one request must not take the connection's slot with it.
        let reply = catch_unwind(AssertUnwindSafe(|| handler(&request))).unwrap_or_else(|_| {
            Reply::Full(Response::text(500, "internal error: see the terminal"))
        });
        match reply {
            Reply::Full(response) => {
                if write_response(&mut stream, &response, head_only, keep_alive).is_err() {
                    return;
                }
                if !keep_alive {
                    linger(&mut stream);
                    return;
                }
            }
            Reply::Events(run) => {
                let Some(_slot) = streams.take() else {
                    let busy = Response::text(
                        503,
                        &format!(
                            "busy: {MAX_STREAMS} live-reload streams are open already; \
                             close some preview tabs"
                        ),
                    )
                    .header("Retry-After", "5");
                    let _ = write_response(&mut stream, &busy, false, false);
                    linger(&mut stream);
                    return;
                };
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                            Cache-Control: no-store\r\nConnection: close\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_ok() {
                    run(&mut stream);
                }
                return;
            }
        }
    }
}

/// Reads one request head from `stream`, after whatever `buf` already holds
/// (pipelined requests), and leaves in `buf` the bytes after it. Returns the
/// request and whether the connection may stay open after the answer.
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(Request, bool), Stop> {
    let mut deadline = (!buf.is_empty()).then(|| Instant::now() + HEAD_DEADLINE);
    // How much of `buf` was searched for the end of the head and of the
    // request line, so a head sent a byte at a time is still searched once.
    let mut scanned = 0;
    let mut line_seen = false;
    let mut chunk = [0u8; 8192];
    loop {
        line_seen = line_seen || buf[scanned..].contains(&b'\n');
        // httparse, as browsers, also takes bare `\n` line ends.
        let tail = &buf[scanned.saturating_sub(2)..];
        let complete =
            tail.windows(2).any(|w| w == b"\n\n") || tail.windows(3).any(|w| w == b"\n\r\n");
        scanned = buf.len();
        if complete {
            return parse(buf);
        }
        if !line_seen && buf.len() > MAX_LINE {
            return Err(Stop::Refused(414, LINE_TOO_LONG));
        }
        let room = (MAX_LINE + MAX_HEAD + 1).saturating_sub(buf.len());
        if room == 0 {
            return Err(Stop::Refused(431, HEAD_TOO_LARGE));
        }
        let wait = match deadline {
            Some(d) => match d.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => left,
                _ => return Err(Stop::Closed),
            },
            None => IDLE,
        };
        if stream.set_read_timeout(Some(wait)).is_err() {
            return Err(Stop::Closed);
        }
        // Never more than the limits allow: bytes past them would be lost
        // to the pipelined request they belong to.
        let want = room.min(chunk.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) | Err(_) => return Err(Stop::Closed),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                deadline.get_or_insert_with(|| Instant::now() + HEAD_DEADLINE);
            }
        }
    }
}

const LINE_TOO_LONG: &str = "URI too long: the preview reads request lines of up to 8 KiB";
const HEAD_TOO_LARGE: &str =
    "request header fields too large: the preview reads up to 64 KiB and 100 fields";

/// Parses the complete head at the start of `buf` and removes it from `buf`.
fn parse(buf: &mut Vec<u8>) -> Result<(Request, bool), Stop> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_FIELDS];
    let mut parsed = httparse::Request::new(&mut fields);
    let len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Err(httparse::Error::TooManyHeaders) => return Err(Stop::Refused(431, HEAD_TOO_LARGE)),
        Ok(httparse::Status::Partial) | Err(_) => {
            return Err(Stop::Refused(
                400,
                "bad request: not an HTTP/1.1 request head",
            ))
        }
    };
    let line = buf.iter().position(|&b| b == b'\n').unwrap_or(len);
    if line > MAX_LINE {
        return Err(Stop::Refused(414, LINE_TOO_LONG));
    }
    if len - line > MAX_HEAD {
        return Err(Stop::Refused(431, HEAD_TOO_LARGE));
    }
    let field = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let has_token = |name: &str, token: &str| {
        parsed
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(name))
            .flat_map(|h| h.value.split(|&b| b == b','))
            .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
    };
    let keep_alive = match parsed.version {
        Some(1) => !has_token("Connection", "close"),
        _ => has_token("Connection", "keep-alive"),
    };
    // The preview answers only GET and HEAD; a body it does not read would
    // be taken for the next request, so such a connection ends after it.
    let has_body =
        field("Transfer-Encoding").is_some() || field("Content-Length").is_some_and(|n| n != "0");
    let request = Request {
        method: parsed.method.unwrap_or("").to_string(),
        target: parsed.path.unwrap_or("").to_string(),
        host: field("Host"),
    };
    buf.drain(..len);
    Ok((request, keep_alive && !has_body))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes `response`, without its body for HEAD, in pieces so a client that
/// reads slowly is dropped at [`RESPONSE_DEADLINE`] however it paces itself.
fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        // Values are ours (types, encoded paths); a line break would split
        // the response, so such a header is left out rather than sent.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let body: &[u8] = if head_only { &[] } else { &response.body };
    // Head and a small body in one write: two small writes on one response
    // wait for the browser's delayed ACK.
    const PIECE: usize = 64 * 1024;
    let first = body.len().min(PIECE);
    let mut start = Vec::with_capacity(head.len() + first);
    start.extend_from_slice(head.as_bytes());
    start.extend_from_slice(&body[..first]);
    stream.write_all(&start)?;
    let deadline = Instant::now() + RESPONSE_DEADLINE;
    for piece in body[first..].chunks(PIECE) {
        if Instant::now() > deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client reads too slowly",
            ));
        }
        stream.write_all(piece)?;
    }
    stream.flush()
}

/// Closes after an answer without losing it: closing a socket with unread
/// bytes makes the kernel send a reset, which can destroy the answer before
/// the client reads it. So stop writing, then read and drop what the client
/// still sends, for a bounded time and amount.
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut chunk = [0u8; 8192];
    let mut left: usize = 1 << 20;
    while left > 0 {
        let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
            return;
        };
        if wait.is_zero() || stream.set_read_timeout(Some(wait)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(head: &str) -> (Request, bool, Vec<u8>) {
        let mut buf = head.as_bytes().to_vec();
        match parse(&mut buf) {
            Ok((request, keep_alive)) => (request, keep_alive, buf),
            Err(Stop::Refused(status, _)) => panic!("refused with {status}: {head:?}"),
            Err(Stop::Closed) => panic!("closed: {head:?}"),
        }
    }

    fn refused(head: &str) -> u16 {
        match parse(&mut head.as_bytes().to_vec()) {
            Err(Stop::Refused(status, _)) => status,
            _ => 0,
        }
    }

    #[test]
    fn pipelined_requests_stay_in_the_buffer() {
        let (request, keep_alive, rest) =
            parsed("GET /a HTTP/1.1\r\nHost: localhost:3000\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, "/a");
        assert_eq!(request.host.as_deref(), Some("localhost:3000"));
        assert!(keep_alive);
        assert_eq!(rest, b"GET /b HTTP/1.1\r\n\r\n");
    }

    #[test]
    fn who_keeps_the_connection_open() {
        assert!(!parsed("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").1);
        assert!(!parsed("GET / HTTP/1.0\r\n\r\n").1);
        assert!(parsed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").1);
        // A body the preview does not read would pass for the next request.
        assert!(!parsed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").1);
        assert!(parsed("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").1);
        // Bare line feeds, as some clients send.
        assert_eq!(parsed("GET /x HTTP/1.1\nHost: a\n\n").0.target, "/x");
    }

    #[test]
    fn heads_past_the_limits_are_refused() {
        let line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_LINE));
        assert_eq!(refused(&line), 414);
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "b".repeat(MAX_HEAD));
        assert_eq!(refused(&big), 431);
        let many: String = (0..=MAX_FIELDS).map(|i| format!("X-{i}: v\r\n")).collect();
        assert_eq!(refused(&format!("GET / HTTP/1.1\r\n{many}\r\n")), 431);
        assert_eq!(refused("NOT HTTP\r\n\r\n"), 400);
    }
}
