//! Bad input: a clear `path:line:col: error:` with a hint, exit code 1, no panic,
//! and the previous output left exactly as it was.

use crate::site_test::{Run, SiteTest};

/// Builds the good fixture, applies `change`, builds again and checks that the
/// failure left the first build's output untouched.
fn broken(change: impl FnOnce(&SiteTest)) -> Run {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    let before = t.snapshot("public");
    change(&t);
    let run = t.build();
    run.failure();
    assert_eq!(
        before,
        t.snapshot("public"),
        "the failed build changed the output"
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    run
}

#[test]
fn bad_yaml_names_the_line_in_the_file() {
    let run = broken(|t| {
        t.write(
            "content/cases/open-case.md",
            "---\ntitle: Open case\nsummary: \"unclosed\nverdict: open\n---\nBody\n",
        );
    });
    run.reports(
        "content/cases/open-case.md:3:10",
        "quoted text is never closed",
    );
}

#[test]
fn yaml_value_with_colon_gets_a_quoting_hint() {
    let run = broken(|t| {
        t.write(
            "content/cases/open-case.md",
            "---\ntitle: Open case\nsummary: Open: when it pays\nverdict: open\n---\n",
        );
    });
    run.reports("content/cases/open-case.md:3:14", "invalid YAML");
    assert!(run.stderr.contains("must be quoted"), "{}", run.stderr);
}

#[test]
fn tab_indentation_is_named() {
    let run = broken(|t| {
        t.write(
            "content/cases/open-case.md",
            "---\ntitle: T\nsummary: S\nverdict: open\nrelated:\n\t- alpha\n---\n",
        );
    });
    run.reports("content/cases/open-case.md:6:1", "tab");
}

#[test]
fn missing_required_field() {
    let run = broken(|t| {
        t.write(
            "content/cases/open-case.md",
            "---\ntitle: Open case\nverdict: open\n---\nBody\n",
        );
    });
    run.reports(
        "content/cases/open-case.md:1:1",
        "missing required field `summary` for a case",
    );
}

#[test]
fn missing_pattern_fields_are_all_reported() {
    let run = broken(|t| {
        t.write(
            "content/patterns/beta.md",
            "---\ntitle: Beta\nsummary: S\n---\n",
        );
    });
    for field in ["opened", "kept", "gains", "costs"] {
        run.reports(
            "content/patterns/beta.md:1:1",
            &format!("missing required field `{field}`"),
        );
    }
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let run = broken(|t| {
        t.write(
            "content/cases/open-case.md",
            "---\ntitle: Open case\nsumary: S\nverdict: open\n---\n",
        );
    });
    run.reports("content/cases/open-case.md:3:1", "unknown field `sumary`");
    assert!(
        run.stderr.contains("did you mean `summary`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn field_of_another_kind_says_where_it_belongs() {
    let run = broken(|t| {
        t.write(
            "content/mistakes/mistake-one.md",
            "---\ntitle: M\nsummary: S\nverdict: open\n---\n",
        );
    });
    run.reports(
        "content/mistakes/mistake-one.md:4:1",
        "unknown field `verdict`",
    );
    assert!(
        run.stderr.contains("belongs to case pages"),
        "{}",
        run.stderr
    );
}

#[test]
fn wrong_verdict_value() {
    let run = broken(|t| {
        t.write(
            "content/cases/open-case.md",
            "---\ntitle: Open case\nsummary: S\nverdict: opn\n---\n",
        );
    });
    run.reports("content/cases/open-case.md:4:10", "unknown verdict \"opn\"");
    assert!(
        run.stderr.contains("did you mean `verdict: open`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_list_where_text_belongs() {
    let run = broken(|t| {
        t.write(
            "content/cases/open-case.md",
            "---\ntitle: [a, b]\nsummary: S\nverdict: open\n---\n",
        );
    });
    run.reports(
        "content/cases/open-case.md:2:1",
        "`title` must be text, found a list",
    );
}

#[test]
fn unknown_related_id_names_the_item() {
    let run = broken(|t| {
        t.write("content/cases/open-case.md", "---\ntitle: Open case\nsummary: S\nverdict: open\nrelated:\n  - hybrid-one\n  - alpha-patern\n---\n");
    });
    run.reports(
        "content/cases/open-case.md:7:5",
        "unknown page \"alpha-patern\"",
    );
    assert!(
        run.stderr.contains("did you mean \"alpha\"?") || run.stderr.contains("known pages are"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_pattern_id() {
    let run = broken(|t| {
        t.write(
            "content/cases/open-case.md",
            "---\ntitle: Open case\nsummary: S\nverdict: open\npatterns: [alpah]\n---\n",
        );
    });
    run.reports(
        "content/cases/open-case.md:5:12",
        "unknown pattern \"alpah\"",
    );
    assert!(
        run.stderr.contains("did you mean \"alpha\"?"),
        "{}",
        run.stderr
    );
}

#[test]
fn duplicate_id_across_kinds() {
    let run = broken(|t| {
        t.write(
            "content/mistakes/alpha.md",
            "---\ntitle: Another alpha\nsummary: S\n---\n",
        );
    });
    run.reports(
        "content/mistakes/alpha.md:1:1",
        "the id \"alpha\" is already used by content/patterns/alpha.md",
    );
}

#[test]
fn broken_md_link_names_line_and_column() {
    let run = broken(|t| {
        t.write("content/hybrids/hybrid-one.md", "---\ntitle: H\nsummary: S\n---\nFirst line.\n\nSee [the case](../cases/opne-case.md) here.\n");
    });
    run.reports(
        "content/hybrids/hybrid-one.md:7:5",
        "link to a missing page `../cases/opne-case.md`",
    );
    assert!(
        run.stderr.contains("did you mean `../cases/open-case.md`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_fragment_lists_the_headings() {
    let run = broken(|t| {
        t.write(
            "content/hybrids/hybrid-one.md",
            "---\ntitle: H\nsummary: S\n---\nSee [signals](../cases/open-case.md#signal).\n",
        );
    });
    run.reports(
        "content/hybrids/hybrid-one.md:5:5",
        "link to a missing heading `#signal`",
    );
    assert!(
        run.stderr.contains("did you mean `#signals`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn absolute_and_folder_links_are_refused() {
    let run = broken(|t| {
        t.write(
            "content/hybrids/hybrid-one.md",
            "---\ntitle: H\nsummary: S\n---\n[a](/cases/open-case.html) [b](../cases/)\n",
        );
    });
    run.reports("content/hybrids/hybrid-one.md:5:1", "absolute link");
    run.reports(
        "content/hybrids/hybrid-one.md:5:28",
        "not in the content folder",
    );
    assert!(run.stderr.contains("not a folder"), "{}", run.stderr);
}

#[test]
fn script_links_are_refused() {
    let run = broken(|t| {
        t.write(
            "content/hybrids/hybrid-one.md",
            "---\ntitle: H\nsummary: S\n---\n[x](javascript:alert(1))\n",
        );
    });
    run.reports("content/hybrids/hybrid-one.md:5:1", "script URL");
}

#[test]
fn non_utf8_file() {
    let run = broken(|t| {
        t.write("content/cases/open-case.md", b"---\ntitle: Caf\xe9\n---\n");
    });
    run.reports("content/cases/open-case.md:2:11", "not UTF-8");
}

#[test]
fn empty_file() {
    let run = broken(|t| {
        t.write("content/mistakes/mistake-one.md", "");
    });
    run.reports("content/mistakes/mistake-one.md:1:1", "the file is empty");
}

#[test]
fn front_matter_never_closed() {
    let run = broken(|t| {
        t.write(
            "content/mistakes/mistake-one.md",
            "---\ntitle: M\nsummary: S\n\nBody text\n",
        );
    });
    run.reports("content/mistakes/mistake-one.md:1:1", "never closed");
}

#[test]
fn no_front_matter() {
    let run = broken(|t| {
        t.write("content/mistakes/mistake-one.md", "# Just markdown\n");
    });
    run.reports(
        "content/mistakes/mistake-one.md:1:1",
        "does not start with front matter",
    );
}

#[test]
fn template_syntax_error_names_the_template_line() {
    let run = broken(|t| {
        t.write("templates/section.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ section.label | }}\n{% endblock main %}\n");
    });
    assert!(
        run.stderr.contains("templates/section.html:3:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("template syntax error"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_runtime_error_names_the_template_line() {
    let run = broken(|t| {
        t.write("templates/section.html", "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ no_such_variable }}</p>\n{% endblock main %}\n");
    });
    assert!(
        run.stderr.contains("templates/section.html:3:"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.error_count(),
        1,
        "one error, not one per page:\n{}",
        run.stderr
    );
}

/// A build renders each page and its part of print.html in one streamed
/// pass; `check` renders them apart, in memory. A template that fails on
/// every page is reported once either way, and the same.
#[test]
fn template_runtime_errors_while_streaming_match_check() {
    for (template, text) in [
        ("page.html", "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ no_such_variable }}</p>\n{% endblock main %}\n"),
        ("print-page.html", "<section>\n{{ p.no_such_field.deeper }}\n</section>\n"),
    ] {
        let path = format!("templates/{template}");
        let run = broken(|t| {
            t.write(&path, text);
        });
        assert!(run.stderr.contains(&format!("{path}:")), "{}", run.stderr);
        assert_eq!(run.error_count(), 1, "{template}:\n{}", run.stderr);
        let t = SiteTest::fixture("all-kinds");
        t.write(&path, text);
        let check = t.run(&["check"]);
        check.failure();
        let errors = |stderr: &str| -> Vec<String> {
            stderr
                .lines()
                .filter(|l| l.contains(&path))
                .map(String::from)
                .collect()
        };
        assert_eq!(errors(&run.stderr), errors(&check.stderr), "{template}");
    }
}

#[test]
fn bad_book_toml() {
    let run = broken(|t| {
        t.write("book.toml", "title = \"T\"\noutput_dir = \"out\"\n");
    });
    run.reports("book.toml:2:1", "unknown setting `output_dir`");
    let run = broken(|t| {
        t.write("book.toml", "title = \"T\ndescription = 3\n");
    });
    assert!(run.stderr.starts_with("book.toml:1:"), "{}", run.stderr);
}

#[test]
fn missing_book_toml() {
    let t = SiteTest::empty();
    t.build().failure();
    let run = t.build();
    assert!(run.stderr.contains("no book.toml"), "{}", run.stderr);
}

#[test]
fn unknown_folder_in_content() {
    let run = broken(|t| {
        t.write("content/notes/idea.md", "---\ntitle: I\nsummary: S\n---\n");
    });
    run.reports(
        "content/notes/idea.md",
        "`notes/` is not a folder playbook knows",
    );
}

#[test]
fn all_problems_of_a_run_are_reported_together() {
    let run = broken(|t| {
        t.write(
            "content/cases/open-case.md",
            "---\ntitle: Open case\nsummary: S\nverdict: maybe\n---\n",
        );
        t.write("content/mistakes/mistake-one.md", "");
        t.write(
            "content/hybrids/hybrid-one.md",
            "---\ntitle: H\nsummary: S\nrelated: [nowhere]\n---\n",
        );
        t.write("content/patterns/beta.md", "---\ntitle: B\nsummary: S\nopened: o\nkept: k\ngains: [g]\ncosts: [c]\n---\n[x](missing.md)\n");
    });
    // Link checks need a valid site, so they come in the next run; the four
    // front-matter problems come together.
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
    run.reports("content/cases/open-case.md:4:10", "unknown verdict");
    run.reports("content/mistakes/mistake-one.md:1:1", "empty");
    run.reports(
        "content/hybrids/hybrid-one.md:4:11",
        "unknown page \"nowhere\"",
    );
}

#[test]
fn all_link_problems_are_reported_together() {
    let run = broken(|t| {
        t.write("content/patterns/beta.md", "---\ntitle: B\nsummary: S\nopened: o\nkept: k\ngains: [g]\ncosts: [c]\n---\n[x](missing.md)\n\n[y](alpha.md#nope)\n");
        t.write(
            "content/mistakes/mistake-one.md",
            "---\ntitle: M\nsummary: S\n---\n[z](../cases/gone.md)\n",
        );
    });
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
}
