//! What an outside attack on build and output found, one test per class:
//! data leaving the machine through symbolic links, two builds into one
//! folder, output inside a folder the build reads, and inputs that made the
//! build hang. Each hang test's bound is generous for a slow machine and a
//! debug build; before the fixes each took from 50 s to forever (release).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::site_test::{SiteTest, BIN};

/// A site whose build should answer quickly: `playbook build` with a bound.
#[track_caller]
fn build_within(t: &SiteTest, limit: Duration) -> crate::site_test::Run {
    let start = Instant::now();
    let run = t.build();
    let took = start.elapsed();
    run.no_panic();
    assert!(took < limit, "the build took {took:?}, over {limit:?}");
    run
}

fn free_page(t: &SiteTest, name: &str, front: &str, body: &str) {
    t.write(
        &format!("content/{name}.md"),
        format!("---\ntitle: Big\nsummary: A hostile page\n{front}---\n{body}"),
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_refused_in_every_folder_it_reads() {
    let t = SiteTest::fixture("all-kinds");
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("secret.txt"), "TOKEN=hunter2").unwrap();
    std::fs::create_dir_all(secret.path().join("theme/templates")).unwrap();
    std::fs::write(secret.path().join("theme/templates/page.html"), "TOKEN").unwrap();
    let target = secret.path().join("secret.txt");
    for dir in ["content", "static", "templates"] {
        std::fs::create_dir_all(t.path(dir)).unwrap();
    }
    std::os::unix::fs::symlink(&target, t.path("content/env.txt")).unwrap();
    std::os::unix::fs::symlink(&target, t.path("static/x")).unwrap();
    std::os::unix::fs::symlink(&target, t.path("templates/page.html")).unwrap();
    std::fs::create_dir_all(t.path("themes")).unwrap();
    std::os::unix::fs::symlink(secret.path().join("theme"), t.path("themes/borrowed")).unwrap();
    t.write(
        "book.toml",
        format!("{}\ntheme = \"borrowed\"\n", t.read("book.toml")),
    );
    let run = t.build();
    run.failure();
    for at in [
        "content/env.txt",
        "static/x",
        "templates/page.html",
        "themes/borrowed/templates",
    ] {
        run.reports(at, "a symbolic link takes this path out of the site folder");
    }
    assert!(run.stderr.contains("copy the file in, or remove the link"));
    assert!(!t.path("public").exists(), "a refused build wrote output");
}

#[cfg(unix)]
#[test]
fn symbolic_links_that_stay_inside_the_site_are_followed() {
    let t = SiteTest::fixture("all-kinds");
    t.write("shared/logo.txt", "inside");
    std::fs::create_dir_all(t.path("static")).unwrap();
    std::os::unix::fs::symlink(t.path("shared/logo.txt"), t.path("static/logo.txt")).unwrap();
    std::os::unix::fs::symlink("../shared", t.path("content/shared")).unwrap();
    t.built();
    assert_eq!(t.read("public/logo.txt"), "inside");
    assert_eq!(t.read("public/shared/logo.txt"), "inside");
}

#[test]
fn two_builds_into_one_output_at_once_leave_one_complete_site() {
    let t = SiteTest::default_playbook();
    t.built();
    let files = |t: &SiteTest| t.snapshot("public").into_keys().collect::<Vec<_>>();
    let expected = files(&t);
    assert!(expected.iter().any(|p| p.ends_with(".playbook-output")));
    for round in 0..4 {
        let children: Vec<_> = (0..3)
            .map(|_| {
                Command::new(BIN)
                    .arg("build")
                    .current_dir(&t.root)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: a concurrent build failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(
            files(&t),
            expected,
            "round {round}: the output is not complete"
        );
    }
    // Nothing of the builds' own is left beside the output.
    let beside: Vec<String> = std::fs::read_dir(&t.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

#[test]
fn output_inside_a_folder_the_build_reads_is_refused() {
    let t = SiteTest::fixture("all-kinds");
    t.write("static/robots.txt", "User-agent: *\n");
    t.write("templates/.keep", "");
    t.write("themes/mine/static/.keep", "");
    for out in ["static/site", "templates/out", "themes/mine/out"] {
        let run = t.run(&["build", "-o", out]);
        run.failure();
        let folder = out.split('/').next().unwrap();
        assert!(
            run.stderr.contains(&format!(
                "the output folder is inside {folder}/, which the build reads"
            )),
            "{out}: {}",
            run.stderr
        );
        assert!(!t.path(out).exists(), "{out} was written");
    }
}

#[test]
fn fifty_thousand_equal_headings_build_in_seconds() {
    let t = SiteTest::fixture("all-kinds");
    free_page(&t, "big", "", &"## A\n\n".repeat(50_000));
    build_within(&t, Duration::from_secs(30)).success();
    let html = t.read("public/big.html");
    assert!(
        html.contains(r#"id="a-49999""#),
        "the last heading has its own id"
    );
}

#[test]
fn a_hundred_thousand_unknown_ids_are_reported_in_seconds_and_in_short() {
    let t = SiteTest::fixture("all-kinds");
    let ids: Vec<String> = (0..100_000).map(|i| format!("nope{i}")).collect();
    free_page(
        &t,
        "big",
        &format!("related: [{}]\n", ids.join(", ")),
        "Text.\n",
    );
    let run = build_within(&t, Duration::from_secs(30));
    run.failure();
    run.reports("content/big.md:4:11", "unknown page \"nope0\"");
    assert!(
        run.stderr
            .contains("99980 more problems in `related` (the first 20 are listed above)"),
        "{}",
        run.stderr
    );
    assert_eq!(run.error_count(), 21);
}

#[test]
fn brackets_nested_a_hundred_thousand_deep_are_refused_in_seconds() {
    let t = SiteTest::fixture("all-kinds");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    free_page(&t, "big", &format!("tags: {deep}\n"), "Text.\n");
    let run = build_within(&t, Duration::from_secs(30));
    run.failure();
    run.reports(
        "content/big.md:4:71",
        "lists or maps nested more than 64 levels deep",
    );
    // The decision tree is read by the same parser.
    let t = SiteTest::fixture("all-kinds");
    t.write("content/decide.yaml", format!("title: {deep}\n"));
    let run = build_within(&t, Duration::from_secs(30));
    run.failure();
    run.reports(
        "content/decide.yaml:1:72",
        "nested more than 64 levels deep",
    );
}

#[cfg(unix)]
#[test]
fn a_book_toml_that_is_a_pipe_is_an_error_not_a_wait() {
    let t = SiteTest::fixture("all-kinds");
    std::fs::remove_file(t.path("book.toml")).unwrap();
    let made = Command::new("mkfifo")
        .arg(t.path("book.toml"))
        .status()
        .unwrap();
    assert!(made.success());
    let run = build_within(&t, Duration::from_secs(30));
    run.failure();
    run.reports("book.toml", "cannot read: not a regular file");
}

#[test]
fn asset_names_with_url_characters_are_encoded_and_pass_check() {
    let t = SiteTest::fixture("all-kinds");
    for name in ["a b.txt", "c#d.txt", "e%f.txt", "g?h.txt"] {
        t.write(&format!("content/{name}"), name);
    }
    t.write(
        "content/about.md",
        "---\ntitle: About\nsummary: Files\n---\n[one](<a b.txt>) [two](c%23d.txt) [three](e%25f.txt) [four](g%3Fh.txt) ![img](<a b.txt>)\n",
    );
    t.built();
    let html = t.read("public/about.html");
    for href in [
        r#"href="a%20b.txt""#,
        r#"href="c%23d.txt""#,
        r#"href="e%25f.txt""#,
        r#"href="g%3Fh.txt""#,
        r#"src="a%20b.txt""#,
    ] {
        assert!(html.contains(href), "{href} missing:\n{html}");
    }
    assert!(t.read("public/print.html").contains(r#"href="c%23d.txt""#));
    let check = t.run(&["check"]);
    check.success();
    let said = format!("{}{}", check.stdout, check.stderr);
    assert!(said.contains(": 0 problems"), "{said}");
}

#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_are_refused_not_merged() {
    use std::os::unix::ffi::OsStrExt;
    let t = SiteTest::fixture("all-kinds");
    for bytes in [&b"bad\xff.txt"[..], &b"bad\xfe.txt"[..]] {
        let name = std::ffi::OsStr::from_bytes(bytes);
        std::fs::write(t.path("content").join(name), "x").unwrap();
    }
    let run = t.build();
    run.failure();
    assert!(
        run.stderr
            .contains(r"this file name is not UTF-8 (`bad\xFF.txt`)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(r"this file name is not UTF-8 (`bad\xFE.txt`)"),
        "{}",
        run.stderr
    );
}

#[test]
fn names_that_differ_only_in_case_or_accent_encoding_are_refused() {
    let t = SiteTest::fixture("all-kinds");
    t.write("content/Logo.PDF", "a")
        .write("content/logo.pdf", "b");
    t.write("static/INDEX.HTML", "c");
    // "café" composed (NFC) and decomposed (NFD).
    t.write("content/caf\u{e9}.txt", "1")
        .write("content/cafe\u{301}.txt", "2");
    let run = t.build();
    run.failure();
    run.reports(
        "content/logo.pdf",
        "`logo.pdf` and `Logo.PDF` differ only in case",
    );
    run.reports(
        "static/INDEX.HTML",
        "`INDEX.HTML` and `index.html` differ only in case",
    );
    assert!(
        run.stderr.contains("in how an accent is encoded"),
        "{}",
        run.stderr
    );
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
}
