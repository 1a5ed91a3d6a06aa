//! The preview server under load and abuse (issue 23): many live-reload
//! streams, clients that never read, heads too large to hold, and more
//! connections than the server takes. Each test runs the real `playbook
//! watch` and times what an ordinary browser would wait for.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use crate::site_test::SiteTest;
use crate::watch::{edit, Watching};

/// What a reader at the preview may wait for a page, however busy it is.
const PAGE_BOUND: Duration = Duration::from_secs(2);
/// Generous for a loaded machine; the server answered 200 streams in under
/// a second on two busy cores.
const STREAM_BOUND: Duration = Duration::from_secs(10);

/// A plain `GET path` on a fresh connection: the status and how long it took.
fn timed_get(addr: SocketAddr, path: &str) -> (u16, Duration) {
    let start = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    (status_of(&response), start.elapsed())
}

fn status_of(response: &[u8]) -> u16 {
    String::from_utf8_lossy(response)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Reads the answer until the server closes, or for at most 20 s.
fn read_answer(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

/// Resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap()
}

/// Opens an event stream and waits for its first event, `hello`. Returns the
/// time it took and the reader, positioned after that event.
fn subscribe(addr: SocketAddr, start: Instant) -> Option<(Duration, BufReader<TcpStream>)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(STREAM_BOUND)).ok()?;
    stream
        .write_all(b"GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .ok()?;
    let mut reader = BufReader::new(stream);
    next_event(&mut reader)
        .filter(|e| e == "hello")
        .map(|_| (start.elapsed(), reader))
}

/// The name of the next event on a stream.
fn next_event(reader: &mut BufReader<TcpStream>) -> Option<String> {
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if let Some(name) = line.trim_end().strip_prefix("event: ") {
            return Some(name.to_string());
        }
    }
}

#[test]
fn preview_streams_do_not_starve_page_requests() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    let addr = w.addr;
    // 200 browsers connecting at the same instant, as after a restart.
    const STREAMS: usize = 200;
    let barrier = Arc::new(Barrier::new(STREAMS));
    let start = Instant::now();
    let clients: Vec<_> = (0..STREAMS)
        .map(|_| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                subscribe(addr, start)
            })
        })
        .collect();
    let streams: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let missing = streams.iter().filter(|s| s.is_none()).count();
    let slowest = streams.iter().flatten().map(|(t, _)| *t).max();
    assert_eq!(
        missing, 0,
        "{missing} of {STREAMS} streams got no first event within {STREAM_BOUND:?}"
    );
    eprintln!("{STREAMS} streams got their first event, the slowest in {slowest:?}");

    // With every stream open, a page still answers at once.
    let (status, took) = timed_get(addr, "/");
    assert_eq!(status, 200);
    assert!(
        took < PAGE_BOUND,
        "GET / took {took:?} beside {STREAMS} streams"
    );

    // And a rebuild reaches every one of them.
    edit(
        &w.site,
        "content/cases/open-case.md",
        "title: Open case",
        "title: Opened up",
    );
    let heard: Vec<_> = streams
        .into_iter()
        .flatten()
        .map(|(_, mut reader)| std::thread::spawn(move || next_event(&mut reader)))
        .collect();
    let reloads = heard
        .into_iter()
        .filter_map(|h| h.join().ok().flatten())
        .filter(|event| event == "reload")
        .count();
    assert_eq!(reloads, STREAMS, "streams that heard the rebuild");
}

#[test]
fn clients_that_never_read_do_not_block_other_requests() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    // Each asks for thousands of pages in one go and reads none of them, so
    // the server's writes to it block as soon as the socket buffers fill.
    let request = "GET /cases/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(2000);
    let mut stuck = Vec::new();
    for _ in 0..4 {
        let stream = TcpStream::connect(w.addr).unwrap();
        let mut writer = stream.try_clone().unwrap();
        let request = request.clone();
        // The write itself blocks once the server stops reading; it ends
        // with an error when the server gives up on this client.
        std::thread::spawn(move || writer.write_all(request.as_bytes()));
        stuck.push(stream);
    }
    // Give the server time to fill every buffer and block on them all.
    std::thread::sleep(Duration::from_millis(500));
    for path in ["/", "/cases/open-case.html", "/__playbook/live.js"] {
        let (status, took) = timed_get(w.addr, path);
        assert_eq!(status, 200, "GET {path}");
        assert!(
            took < PAGE_BOUND,
            "GET {path} took {took:?} beside 4 clients that never read"
        );
    }
    // A stream opened now still gets its first event.
    assert!(subscribe(w.addr, Instant::now()).is_some());
    drop(stuck);
}

#[test]
fn oversized_request_headers_are_refused() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    let pid = w.pid();
    let raw = |head: String| {
        let mut stream = TcpStream::connect(w.addr).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        read_answer(&mut stream)
    };
    // A request line past 8 KiB.
    let long_path = format!("/{}", "a".repeat(9 * 1024));
    let answer = raw(format!(
        "GET {long_path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    ));
    assert!(answer.starts_with("HTTP/1.1 414 "), "{answer}");
    assert!(answer.contains("up to 8 KiB"), "{answer}");
    // Header fields past 64 KiB, in one field or in many.
    let big = format!("X-Big: {}\r\n", "b".repeat(65 * 1024));
    let answer = raw(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{big}\r\n"));
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");
    assert!(answer.contains("64 KiB"), "{answer}");
    let many: String = (0..200).map(|i| format!("X-{i}: v\r\n")).collect();
    let answer = raw(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}\r\n"));
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");
    // Just inside the limits is answered.
    let fits = format!("X-Fits: {}\r\n", "c".repeat(60 * 1024));
    let answer = raw(format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{fits}\r\n"
    ));
    assert!(answer.starts_with("HTTP/1.1 200 "), "{}", &answer[..80]);

    // A 400 MB header: refused after the first 72 KiB, and memory does not
    // grow while it is sent or stay grown after.
    let before = rss_kib(pid);
    let mut stream = TcpStream::connect(w.addr).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        let _ = writer.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ");
        let mut sent = 0;
        while sent < 400 && writer.write_all(&chunk).is_ok() {
            sent += 1;
        }
        sent
    });
    let answer = read_answer(&mut stream);
    let sent_mib = sender.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");
    let after = rss_kib(pid);
    eprintln!(
        "RSS {before} KiB before the 400 MB header, {after} KiB after; {sent_mib} MiB were taken"
    );
    assert!(
        after < before + 16 * 1024,
        "RSS grew from {before} KiB to {after} KiB"
    );
    assert_eq!(timed_get(w.addr, "/").0, 200);
}

#[test]
fn connections_past_the_limit_are_told_503() {
    let w = Watching::start(SiteTest::fixture("all-kinds"));
    // Live-reload streams have a limit of their own, below the connections',
    // so they never take every connection from the pages.
    let mut streams = Vec::new();
    for _ in 0..256 {
        streams.push(subscribe(w.addr, Instant::now()).expect("a stream under the limit"));
    }
    let mut refused = TcpStream::connect(w.addr).unwrap();
    refused
        .write_all(b"GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let answer = read_answer(&mut refused);
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
    assert!(answer.contains("live-reload streams"), "{answer}");
    assert_eq!(timed_get(w.addr, "/").0, 200, "a page beside 256 streams");

    // Idle connections fill the rest; the next one is told why it is refused.
    let mut idle = Vec::new();
    while idle.len() + streams.len() < 512 {
        idle.push(TcpStream::connect(w.addr).unwrap());
    }
    // The server counts a connection once it accepts it: wait until it has
    // taken them all, which a refusal proves.
    let deadline = Instant::now() + Duration::from_secs(20);
    let answer = loop {
        let mut extra = TcpStream::connect(w.addr).unwrap();
        extra
            .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        let answer = read_answer(&mut extra);
        if answer.starts_with("HTTP/1.1 503 ") || Instant::now() > deadline {
            break answer;
        }
    };
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
    assert!(answer.contains("512 connections"), "{answer}");
    assert!(answer.contains("Retry-After: "), "{answer}");
    // Once some close, pages are served again.
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(20);
    while timed_get(w.addr, "/").0 != 200 {
        assert!(
            Instant::now() < deadline,
            "still refused after the idle clients left"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(streams);
}
