//! `playbook new`: a working site to start from, and never over existing work.

use crate::site_test::{crawl, SiteTest, BIN};

/// `playbook new NAME` run in a fresh temp folder; returns the folder's test handle.
fn new_site(name: &str) -> (SiteTest, crate::site_test::Run) {
    let t = SiteTest::empty();
    let run = t.run(&["new", name]);
    (t, run)
}

#[test]
fn new_site_builds_without_warnings_and_passes_check() {
    let (t, run) = new_site("my-playbook");
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
    let build = std::process::Command::new(BIN)
        .arg("build")
        .current_dir(&site)
        .output()
        .unwrap();
    let build = crate::site_test::Run::from(build);
    build.success();
    assert!(
        !build.stderr.to_lowercase().contains("warning"),
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("2 questions, 3 verdicts"),
        "{}",
        build.stderr
    );
    let check = std::process::Command::new(BIN)
        .arg("check")
        .current_dir(&site)
        .output()
        .unwrap();
    crate::site_test::Run::from(check).success();
    let crawl = crawl(&site.join("public"));
    assert!(crawl.problems.is_empty(), "{:#?}", crawl.problems);
    // One page of each kind, and the tree.
    for page in [
        "index.html",
        "patterns/open-the-tools.html",
        "cases/behind-the-leader.html",
        "hybrids/open-last-year.html",
        "mistakes/open-and-walk-away.html",
        "decide.html",
    ] {
        assert!(site.join("public").join(page).is_file(), "{page} missing");
    }
    // The title comes from the folder name.
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("<title>My playbook</title>"), "{home}");
}

#[test]
fn book_toml_of_a_new_site_shows_every_setting() {
    let (t, run) = new_site("s");
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
