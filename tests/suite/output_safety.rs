//! The output folder: never lose the user's files, never half-write a site.

use crate::site_test::SiteTest;

#[test]
fn failed_build_leaves_previous_output_byte_for_byte() {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    let before = t.snapshot("public");
    t.write("content/cases/open-case.md", "---\ntitle: [unclosed\n---\n");
    t.build().failure();
    assert_eq!(before, t.snapshot("public"));
    assert_no_leftovers(&t);
}

/// Pages are written as they are rendered, into a staging folder made on
/// the first write: a build stopped by the content (a broken link, found
/// while rendering) or by the theme (found on the first page) creates no
/// folder at all, not even the output's parent.
#[test]
fn a_build_that_fails_before_writing_creates_nothing() {
    let t = SiteTest::fixture("all-kinds");
    t.write(
        "content/cases/open-case.md",
        t.read("content/cases/open-case.md") + "\nSee [nowhere](missing.md).\n",
    );
    let run = t.run(&["build", "-o", "new/public"]);
    run.failure();
    assert!(run.stderr.contains("missing.md"), "{}", run.stderr);
    assert!(!t.path("new").exists(), "a folder was created");
    assert_no_leftovers(&t);

    t.write(
        "content/cases/open-case.md",
        t.read("content/cases/open-case.md")
            .replace("See [nowhere](missing.md).", ""),
    );
    t.write("templates/page.html", "{{ page.title | no_such_filter }}");
    let run = t.run(&["build", "-o", "new/public"]);
    run.failure();
    assert!(!t.path("new").exists(), "a folder was created");
    assert_no_leftovers(&t);
}

/// A rebuild deletes the previous output (in parallel): every file and
/// folder of it, but nothing a link inside it points to.
#[test]
fn a_rebuild_removes_the_previous_output_but_not_what_links_point_to() {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    t.write("notes/keep.txt", "my notes");
    t.write("public/stale/deeper/old.html", "old");
    std::os::unix::fs::symlink(t.path("notes"), t.path("public/cases/linked")).unwrap();
    let fresh = {
        let u = SiteTest::fixture("all-kinds");
        u.built();
        u.snapshot("public")
    };
    t.built();
    assert_eq!(t.read("notes/keep.txt"), "my notes");
    assert!(!t.path("public/stale").exists());
    assert!(t.path("public/cases/linked").symlink_metadata().is_err());
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        t.snapshot("public").keys().collect::<Vec<_>>()
    );
    assert_no_leftovers(&t);
}

#[test]
fn refuses_a_non_empty_folder_it_did_not_create() {
    let t = SiteTest::fixture("all-kinds");
    t.write("public/notes.txt", "my notes");
    t.build()
        .failure()
        .reports("public", "not empty and was not created by playbook");
    assert_eq!(t.read("public/notes.txt"), "my notes");
    assert_eq!(t.snapshot("public").len(), 1);
}

#[test]
fn an_empty_folder_is_used() {
    let t = SiteTest::fixture("all-kinds");
    std::fs::create_dir(t.path("public")).unwrap();
    t.built();
    assert!(t.path("public/index.html").is_file());
}

#[test]
fn refuses_the_site_folder_and_its_parents() {
    let t = SiteTest::fixture("all-kinds");
    for out in [".", ".."] {
        let run = t.run(&["build", "-o", out]);
        run.failure();
        assert!(
            run.stderr.contains("contains the site folder"),
            "{}",
            run.stderr
        );
    }
    assert!(t.path("content/index.md").is_file());
}

#[test]
fn refuses_output_inside_or_around_the_content() {
    let t = SiteTest::fixture("all-kinds");
    for out in ["content", "content/out"] {
        let run = t.run(&["build", "-o", out]);
        run.failure();
        assert!(
            run.stderr.contains("overlaps the content folder"),
            "{out}: {}",
            run.stderr
        );
    }
    t.write(
        "book.toml",
        "title = \"T\"\ncontent-dir = \"site/content\"\noutput-dir = \"site\"\n",
    );
    std::fs::rename(t.path("content"), t.root.join("tmp-content")).unwrap();
    std::fs::create_dir(t.path("site")).unwrap();
    std::fs::rename(t.root.join("tmp-content"), t.path("site/content")).unwrap();
    t.build().failure();
    assert!(t.path("site/content/index.md").is_file());
}

#[test]
fn refuses_a_file_as_output() {
    let t = SiteTest::fixture("all-kinds");
    t.write("public", "a file");
    t.build().failure().reports("public", "not a folder");
    assert_eq!(t.read("public"), "a file");
}

#[test]
fn leftovers_of_a_killed_build_are_cleaned_but_foreign_folders_kept() {
    let t = SiteTest::fixture("all-kinds");
    // A staging folder a killed build left behind carries our marker...
    t.write(".public.playbook-staging-999999/.playbook-output", "");
    t.write(".public.playbook-staging-999999/index.html", "half");
    // ...a folder with a similar name but no marker is not ours.
    t.write(".public.playbook-old-1/keep.txt", "keep");
    t.built();
    assert!(!t.path(".public.playbook-staging-999999").exists());
    assert_eq!(t.read(".public.playbook-old-1/keep.txt"), "keep");
}

fn assert_no_leftovers(t: &SiteTest) {
    let names: Vec<String> = std::fs::read_dir(&t.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("playbook-"))
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
}

/// `playbook build` with a fault injected into the writer (see src/write.rs).
fn build_with_fault(t: &SiteTest, fault: &str) -> crate::site_test::Run {
    let out = std::process::Command::new(crate::site_test::BIN)
        .arg("build")
        .env("PLAYBOOK_FAULT", fault)
        .current_dir(&t.root)
        .output()
        .unwrap();
    crate::site_test::Run::from(out)
}

/// A built site, a snapshot of its output, and then an edit to its content,
/// so that the next build has something new to write.
fn built_then_edited() -> (
    SiteTest,
    std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
) {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    let before = t.snapshot("public");
    t.write(
        "content/patterns/alpha.md",
        t.read("content/patterns/alpha.md")
            .replace("The alpha pattern.", "Changed."),
    );
    (t, before)
}

#[test]
fn a_disk_error_halfway_leaves_the_previous_output_and_no_leftovers() {
    let (t, before) = built_then_edited();
    let run = build_with_fault(&t, "fail-after:5");
    run.failure();
    assert!(
        run.stderr.contains("no space left on device"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: "), "{}", run.stderr);
    // One problem, named by the output folder the user gave: not one per
    // page, not the staging folder the failed build has removed.
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("public: error: cannot write `"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("playbook-staging"), "{}", run.stderr);
    assert_eq!(before, t.snapshot("public"));
    assert_no_leftovers(&t);
}

#[test]
fn a_build_killed_while_writing_leaves_the_previous_output_and_the_next_build_cleans_up() {
    let (t, before) = built_then_edited();
    let run = build_with_fault(&t, "abort-after:5");
    assert_eq!(
        run.code, None,
        "the build should have been killed: {}",
        run.stderr
    );
    assert_eq!(
        before,
        t.snapshot("public"),
        "a killed build changed the output"
    );
    // The killed build left its staging folder (with our marker)...
    let staged: Vec<_> = std::fs::read_dir(&t.root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .contains(".playbook-staging-")
        })
        .collect();
    assert_eq!(staged.len(), 1);
    // ...which the next build removes, before writing the new site.
    t.built();
    assert_no_leftovers(&t);
    assert!(t.read("public/patterns/alpha.html").contains("Changed."));
}
