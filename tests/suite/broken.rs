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
        // So are mistakes in the declared model, in book.toml.
        let has_line = file != location;
        if (file.ends_with(".md") || file.ends_with(".yaml") || name.starts_with("model-"))
            && !has_line
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

/// One test per broken site, named after its folder, so a failure names its
/// case in the runner's output.
macro_rules! broken_sites {
    ($($test:ident => $dir:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check($dir);
            }
        )*
        /// Every case's folder name, as the tests above know them.
        const CASES: &[&str] = &[$($dir),*];
    };
}

broken_sites! {
    absolute_link => "absolute-link",
    bad_id_in_file_name => "bad-id-in-file-name",
    bom_file_with_error => "bom-file-with-error",
    book_toml_bad_base_url => "book-toml-bad-base-url",
    book_toml_missing => "book-toml-missing",
    book_toml_missing_title => "book-toml-missing-title",
    book_toml_not_utf8 => "book-toml-not-utf8",
    book_toml_syntax_error => "book-toml-syntax-error",
    book_toml_unknown_key => "book-toml-unknown-key",
    book_toml_wrong_type => "book-toml-wrong-type",
    broken_fragment => "broken-fragment",
    broken_fragment_on_same_page => "broken-fragment-on-same-page",
    broken_md_link => "broken-md-link",
    crlf_file_with_error => "crlf-file-with-error",
    deep_folders => "deep-folders",
    duplicate_id_across_kinds => "duplicate-id-across-kinds",
    empty_file => "empty-file",
    empty_title => "empty-title",
    folder_link => "folder-link",
    front_matter_never_closed => "front-matter-never-closed",
    huge_file => "huge-file",
    id_contradicts_file_name => "id-contradicts-file-name",
    javascript_link => "javascript-link",
    link_outside_content => "link-outside-content",
    link_to_draft => "link-to-draft",
    missing_home_page => "missing-home-page",
    missing_image => "missing-image",
    missing_pattern_fields => "missing-pattern-fields",
    missing_summary => "missing-summary",
    missing_title => "missing-title",
    missing_verdict => "missing-verdict",
    model_built_in_field_name => "model-built-in-field-name",
    model_default_of_wrong_type => "model-default-of-wrong-type",
    model_enum_without_values => "model-enum-without-values",
    model_facet_not_an_enum => "model-facet-not-an-enum",
    model_group_by_not_an_enum => "model-group-by-not-an-enum",
    model_inverse_clash => "model-inverse-clash",
    model_inverse_is_a_built_in_label => "model-inverse-is-a-built-in-label",
    model_reference_to_undeclared_kind => "model-reference-to-undeclared-kind",
    model_required_with_default => "model-required-with-default",
    model_several_mistakes => "model-several-mistakes",
    model_tree_names_undeclared_kind => "model-tree-names-undeclared-kind",
    model_two_kinds_one_folder => "model-two-kinds-one-folder",
    model_unknown_key => "model-unknown-key",
    model_unknown_tone => "model-unknown-tone",
    model_unknown_type => "model-unknown-type",
    network_image => "network-image",
    network_resource_in_css => "network-resource-in-css",
    network_resource_in_html => "network-resource-in-html",
    no_front_matter => "no-front-matter",
    non_utf8_file => "non-utf8-file",
    output_contains_the_site => "output-contains-the-site",
    output_inside_content => "output-inside-content",
    output_is_a_file => "output-is-a-file",
    output_is_the_site_folder => "output-is-the-site-folder",
    output_not_ours => "output-not-ours",
    pattern_ref_is_not_a_pattern => "pattern-ref-is-not-a-pattern",
    related_to_itself => "related-to-itself",
    reserved_page_name => "reserved-page-name",
    section_index_file => "section-index-file",
    several_link_problems => "several-link-problems",
    several_problems => "several-problems",
    symlink_loop => "symlink-loop",
    template_missing_parent => "template-missing-parent",
    template_syntax_error => "template-syntax-error",
    template_unclosed_block => "template-unclosed-block",
    template_undefined_variable => "template-undefined-variable",
    theme_not_found => "theme-not-found",
    tree_answer_leads_nowhere => "tree-answer-leads-nowhere",
    tree_bad_call => "tree-bad-call",
    tree_bad_not_sure => "tree-bad-not-sure",
    tree_bad_yaml => "tree-bad-yaml",
    tree_confidence_out_of_range => "tree-confidence-out-of-range",
    tree_cycle => "tree-cycle",
    tree_dangling_next => "tree-dangling-next",
    tree_duplicate_answer_id => "tree-duplicate-answer-id",
    tree_one_answer => "tree-one-answer",
    tree_recommend_a_case => "tree-recommend-a-case",
    tree_unknown_reason_page => "tree-unknown-reason-page",
    tree_unknown_start => "tree-unknown-start",
    tree_unknown_verdict => "tree-unknown-verdict",
    tree_unreachable_question => "tree-unreachable-question",
    tree_verdict_without_reasons => "tree-verdict-without-reasons",
    unknown_content_folder => "unknown-content-folder",
    unknown_field_no_suggestion => "unknown-field-no-suggestion",
    unknown_field_of_other_kind => "unknown-field-of-other-kind",
    unknown_field_typo => "unknown-field-typo",
    unknown_pattern_id => "unknown-pattern-id",
    unknown_related_id => "unknown-related-id",
    whitespace_only_file => "whitespace-only-file",
    wrong_verdict_typo => "wrong-verdict-typo",
    wrong_verdict_value => "wrong-verdict-value",
    yaml_anchor_alias_unknown => "yaml-anchor-alias-unknown",
    yaml_bad_indentation => "yaml-bad-indentation",
    yaml_colon_in_value => "yaml-colon-in-value",
    yaml_draft_not_a_bool => "yaml-draft-not-a-bool",
    yaml_duplicate_key => "yaml-duplicate-key",
    yaml_list_where_text_belongs => "yaml-list-where-text-belongs",
    yaml_map_in_a_list => "yaml-map-in-a-list",
    yaml_map_where_text_belongs => "yaml-map-where-text-belongs",
    yaml_not_a_mapping => "yaml-not-a-mapping",
    yaml_scalar_only => "yaml-scalar-only",
    yaml_tab_indent => "yaml-tab-indent",
    yaml_text_where_list_belongs => "yaml-text-where-list-belongs",
    yaml_unclosed_brace => "yaml-unclosed-brace",
    yaml_unclosed_bracket => "yaml-unclosed-bracket",
    yaml_unclosed_double_quote => "yaml-unclosed-double-quote",
    yaml_unclosed_single_quote => "yaml-unclosed-single-quote",
    yaml_weight_not_a_number => "yaml-weight-not-a-number",
}

#[track_caller]
fn check(name: &str) {
    let bless = std::env::var_os("PLAYBOOK_BLESS").is_some();
    if let Err(e) = run_case(&fixtures().join("broken").join(name), bless) {
        panic!("{e}");
    }
}

/// A new folder in tests/fixtures/broken needs its line in `broken_sites!`;
/// this fails until it has one, so no case is silently left out.
#[test]
fn every_broken_site_has_its_test() {
    let folders: Vec<String> = cases()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: Vec<String> = CASES.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        folders, listed,
        "tests/fixtures/broken and broken_sites! differ"
    );
    assert!(
        CASES.len() >= 40,
        "the corpus has only {} cases",
        CASES.len()
    );
}
