//! The corpus of broken sites in tests/fixtures/broken: each case is an overlay
//! on the good `all-kinds` fixture (its `site/` files, a `remove` list, the
//! command in `args`), with the exact stderr it must produce in
//! `expected.stderr`. Every case must fail with exit code 1, name the file (and
//! the line, for content), give a hint, never panic, and leave the previous
//! output byte for byte. `PLAYBOOK_BLESS=1 cargo test broken` rewrites the
//! expected files; review the diff like code.

use std::path::{Path, PathBuf};

use crate::site_test::{copy_dir, fixtures, SiteTest};

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures().join("broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Cases where the file's name or absence is the problem, so no line applies.
const NAME_PROBLEMS: &[&str] = &[
    "bad-id-in-file-name",
    "missing-home-page",
    "reserved-page-name",
    "section-index-file",
    "unknown-content-folder",
];

/// Cases that cannot live in git: generated into the site before the build.
fn generate(name: &str, t: &SiteTest) {
    match name {
        "symlink-loop" => {
            #[cfg(unix)]
            std::os::unix::fs::symlink("..", t.path("content/cases/loop")).unwrap();
        }
        "huge-file" => {
            // 50 MB of Markdown, with a front-matter mistake to report.
            let mut text = String::from("---\ntitle: Huge\nsummary: S\nverdict: opne\n---\n");
            let paragraph =
                "A long paragraph of strategy text that goes on and on. ".repeat(20) + "\n\n";
            while text.len() < 50 * 1024 * 1024 {
                text.push_str(&paragraph);
            }
            t.write("content/cases/huge.md", text);
        }
        _ => {}
    }
}

/// Runs one case; returns a description of what went wrong, if anything.
fn run_case(dir: &Path, bless: bool) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let t = SiteTest::fixture("all-kinds");
    t.built();
    let before = t.snapshot("public");
    if dir.join("site").is_dir() {
        copy_dir(&dir.join("site"), &t.root);
    }
    if let Ok(list) = std::fs::read_to_string(dir.join("remove")) {
        for rel in list.lines().filter(|l| !l.is_empty()) {
            t.remove(rel);
        }
    }
    generate(&name, &t);
    let args = std::fs::read_to_string(dir.join("args")).unwrap_or_else(|_| "build".into());
    let args: Vec<&str> = args.split_whitespace().collect();
    let run = t.run(&args);
    let stderr = run.stderr.replace(&t.root.display().to_string(), "$SITE");

    let mut problems = Vec::new();
    if run.code != Some(1) {
        problems.push(format!("exit code {:?}, expected 1", run.code));
    }
    if stderr.contains("panicked") {
        problems.push("panicked".into());
    }
    let lines: Vec<&str> = stderr.lines().collect();
    let errors: Vec<(usize, &&str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains(": error: "))
        .collect();
    if errors.is_empty() {
        problems.push("no `path: error:` line".into());
    }
    for (i, line) in &errors {
        if !lines.get(i + 1).is_some_and(|h| h.starts_with("  hint: ")) {
            problems.push(format!("no hint after {line:?}"));
        }
        // Content files are named with their line.
        let location = line.split(": error: ").next().unwrap_or("");
        let file = location.split(':').next().unwrap_or("");
        if (file.ends_with(".md") || file.ends_with(".yaml"))
            && file == location
            && !NAME_PROBLEMS.contains(&name.as_str())
        {
            problems.push(format!("no line in {line:?}"));
        }
    }
    if before != t.snapshot("public") {
        problems.push("the previous output changed".into());
    }
    let leftovers: Vec<String> = std::fs::read_dir(&t.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".playbook-"))
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("left behind {leftovers:?}"));
    }
    let expected_path = dir.join("expected.stderr");
    if bless {
        std::fs::write(&expected_path, &stderr).unwrap();
    } else {
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == stderr => {}
            Ok(expected) => problems.push(format!(
                "stderr differs\n--- expected\n{expected}--- actual\n{stderr}"
            )),
            Err(_) => problems.push(format!("no expected.stderr; actual:\n{stderr}")),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}: {}", problems.join("\n  ")))
    }
}

#[test]
fn every_broken_site_fails_clearly_and_leaves_the_output_alone() {
    let bless = std::env::var_os("PLAYBOOK_BLESS").is_some();
    let cases = cases();
    assert!(
        cases.len() >= 40,
        "the corpus has only {} cases",
        cases.len()
    );
    // Two workers: each case runs two builds, and this machine has two cores.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(dir) = cases.get(i) else { break };
                if let Err(e) = run_case(dir, bless) {
                    failures.lock().unwrap().push(e);
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} broken sites misbehaved:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
