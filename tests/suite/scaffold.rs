//! `playbook new`: a working site to start from, and never over existing work.

use crate::site_test::{crawl, SiteTest, BIN};

/// `playbook new NAME [ARGS…]` run in a fresh temp folder; returns the folder's test handle.
fn new_site(name: &str, args: &[&str]) -> (SiteTest, crate::site_test::Run) {
    let t = SiteTest::empty();
    let mut all = vec!["new", name];
    all.extend_from_slice(args);
    let run = t.run(&all);
    (t, run)
}

/// Builds the new site in `site` and checks it: no warning, `check` passes,
/// the crawl finds nothing, every listed page exists. Returns build's stderr.
fn builds_cleanly(site: &std::path::Path, pages: &[&str]) -> String {
    let build = std::process::Command::new(BIN)
        .arg("build")
        .current_dir(site)
        .output()
        .unwrap();
    let build = crate::site_test::Run::from(build);
    build.success();
    assert!(
        !build.stderr.to_lowercase().contains("warning"),
        "{}",
        build.stderr
    );
    let check = std::process::Command::new(BIN)
        .arg("check")
        .current_dir(site)
        .output()
        .unwrap();
    crate::site_test::Run::from(check).success();
    let crawl = crawl(&site.join("public"));
    assert!(crawl.problems.is_empty(), "{:#?}", crawl.problems);
    for page in pages {
        assert!(site.join("public").join(page).is_file(), "{page} missing");
    }
    build.stderr
}

#[test]
fn new_site_builds_without_warnings_and_passes_check() {
    let (t, run) = new_site("my-playbook", &[]);
    run.success();
    let site = t.path("my-playbook");
    for file in [
        "book.toml",
        "README.md",
        ".gitignore",
        "content/index.md",
        "content/decide.yaml",
        "content/patterns/open-the-tools.md",
        "content/cases/behind-the-leader.md",
        "content/hybrids/open-last-year.md",
        "content/mistakes/open-and-walk-away.md",
    ] {
        assert!(site.join(file).is_file(), "{file} missing");
    }
    // One page of each kind, and the tree.
    let stderr = builds_cleanly(
        &site,
        &[
            "index.html",
            "patterns/open-the-tools.html",
            "cases/behind-the-leader.html",
            "hybrids/open-last-year.html",
            "mistakes/open-and-walk-away.html",
            "decide.html",
        ],
    );
    assert!(stderr.contains("2 questions, 3 verdicts"), "{stderr}");
    // The title comes from the folder name.
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("<title>My playbook</title>"), "{home}");
    // The model is written out, so the author can see what to change.
    let toml = t.read("my-playbook/book.toml");
    assert!(toml.contains("[kinds.case.fields]"), "{toml}");
}

/// The second kit has no kind in common with the first: everything it shows
/// comes from its book.toml.
#[test]
fn incident_response_kit_builds_without_warnings_and_passes_check() {
    let (t, run) = new_site("on-call", &["--kit", "incident-response"]);
    run.success();
    let site = t.path("on-call");
    let stderr = builds_cleanly(
        &site,
        &[
            "index.html",
            "scenarios/index.html",
            "scenarios/data-leak.html",
            "plays/roll-back.html",
            "roles/incident-commander.html",
            "anti-patterns/heroics.html",
            "decide.html",
            "decide-map.html",
        ],
    );
    assert!(
        stderr.contains("3 questions, 3 verdicts, 5 paths (2 escalate, 2 contain, 1 monitor)"),
        "{stderr}"
    );
    // None of the first kit's folders.
    for folder in ["patterns", "cases", "hybrids", "mistakes"] {
        assert!(!site.join("public").join(folder).exists(), "{folder}");
    }
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("<title>On call</title>"), "{home}");
    // content/index.md links the tree by its source file.
    assert!(
        home.contains(r#"<a href="decide.html">Answer three questions</a>"#),
        "{home}"
    );
}

#[test]
fn an_unknown_kit_is_refused_with_the_kits_there_are() {
    let (t, run) = new_site("x", &["--kit", "gardening"]);
    // A usage error, as for any bad argument.
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("open-source-ai"), "{}", run.stderr);
    assert!(run.stderr.contains("incident-response"), "{}", run.stderr);
    assert!(!t.path("x").exists());
}

#[test]
fn book_toml_of_a_new_site_shows_every_setting() {
    let (t, run) = new_site("s", &[]);
    run.success();
    let toml = t.read("s/book.toml");
    for key in [
        "title",
        "description",
        "language",
        "content-dir",
        "output-dir",
        "theme",
        "base-url",
    ] {
        assert!(
            toml.lines()
                .any(|l| l.trim_start_matches("# ").starts_with(&format!("{key} ="))),
            "book.toml does not mention `{key}`:\n{toml}"
        );
    }
}

#[test]
fn new_refuses_a_non_empty_folder_and_writes_nothing() {
    let t = SiteTest::empty();
    t.write("taken/notes.txt", "mine");
    let before = t.snapshot("taken");
    t.run(&["new", "taken"])
        .failure()
        .reports("taken", "the folder is not empty");
    assert_eq!(t.snapshot("taken"), before);
    // A file in the way is refused too.
    t.write("file", "x");
    t.run(&["new", "file"])
        .failure()
        .reports("file", "not a folder");
}

#[test]
fn new_accepts_an_existing_empty_folder() {
    let t = SiteTest::empty();
    std::fs::create_dir(t.path("empty")).unwrap();
    t.run(&["new", "empty"]).success();
    assert!(t.path("empty/book.toml").is_file());
}
