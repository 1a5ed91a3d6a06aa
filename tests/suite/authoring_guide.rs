//! docs/authoring.md cannot rot: every `yaml` example in it is written into a
//! site, at the path its fence names, and the site must build.

use crate::site_test::{repo_root, SiteTest};

/// (info string, body) of every fenced code block.
fn fences(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), String::new())),
            (Some(_), Some("")) => out.extend(current.take()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

#[test]
fn every_yaml_example_in_the_authoring_guide_builds() {
    let guide = std::fs::read_to_string(repo_root().join("docs/authoring.md")).unwrap();
    let t = SiteTest::empty();
    t.write("book.toml", "title = \"Guide examples\"\n");
    let mut written = Vec::new();
    for (info, body) in fences(&guide) {
        let mut words = info.split_whitespace();
        if words.next() != Some("yaml") {
            continue;
        }
        let path = words
            .next()
            .unwrap_or_else(|| panic!("a yaml example names no file:\n{body}"));
        if path.starts_with("example/") {
            // The content model's example: a site of its own, below.
            continue;
        }
        let text = if path.ends_with(".md") {
            assert!(
                body.starts_with("---\n"),
                "{path}: front matter must open with ---"
            );
            format!("{body}\nThe body of {path}.\n")
        } else {
            body
        };
        t.write(path, text);
        written.push(path.to_string());
    }
    for kind in [
        "index.md",
        "patterns/",
        "cases/",
        "hybrids/",
        "mistakes/",
        "decide.yaml",
    ] {
        assert!(
            written
                .iter()
                .any(|p| p.starts_with(&format!("content/{kind}"))),
            "the guide has no example for content/{kind}: {written:?}"
        );
    }
    let run = t.build();
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // The summary line the guide quotes is the one the build prints.
    let summary = guide
        .lines()
        .find_map(|l| l.split('`').find(|s| s.starts_with("decision tree: ")))
        .expect("the guide quotes no tree summary");
    assert!(
        run.stderr.contains(summary),
        "guide says `{summary}`, build says:\n{}",
        run.stderr
    );
    // The book.toml example is a valid book.toml too.
    let toml = fences(&guide)
        .into_iter()
        .find(|(info, _)| info == "toml")
        .unwrap()
        .1;
    t.write("book.toml", toml);
    t.built();
}

/// The content model's example is a second site: its book.toml declares the
/// kinds, and the pages after it follow that declaration.
#[test]
fn the_content_model_example_in_the_authoring_guide_builds() {
    let guide = std::fs::read_to_string(repo_root().join("docs/authoring.md")).unwrap();
    let t = SiteTest::empty();
    let mut written = Vec::new();
    for (info, body) in fences(&guide) {
        let mut words = info.split_whitespace();
        let (Some(lang), Some(path)) = (words.next(), words.next()) else {
            continue;
        };
        let Some(path) = path.strip_prefix("example/") else {
            continue;
        };
        let text = if lang == "yaml" && path.ends_with(".md") {
            format!("{body}\nThe body of {path}.\n")
        } else {
            body
        };
        t.write(path, text);
        written.push(path.to_string());
    }
    assert!(written.contains(&"book.toml".to_string()), "{written:?}");
    assert!(written.len() >= 3, "{written:?}");
    let run = t.build();
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // What the guide says the example shows.
    let leak = t.html("scenarios/data-leak.html");
    assert_eq!(leak.text("[data-page-badge]"), "Critical");
    let commander = t.html("roles/incident-commander.html");
    assert_eq!(commander.text("section.inbound h2"), "Owns");
    assert_eq!(commander.text(".glance [data-field='on-call'] dd"), "No");
}
