//! `--message-format`: the broken sites of tests/fixtures/broken printed as
//! GitHub workflow commands (file, line, column, escaped as GitHub's runner
//! reads them back) and as JSON lines, and the human format left as it was.
//!
//! Each run is made the way the action makes it: from the repository's root
//! (`GITHUB_WORKSPACE`), with the site in a folder of it, so annotation paths
//! must be relative to the repository, not to the site.

use std::path::Path;
use std::process::Command;

use crate::site_test::{copy_dir, fixtures, Run, SiteTest, BIN};

/// `tests/fixtures/broken/<case>` laid over a copy of `all-kinds`: the
/// site is `<repo>/site`.
fn broken(case: &str) -> SiteTest {
    let t = SiteTest::fixture("all-kinds");
    let dir = fixtures().join("broken").join(case);
    if dir.join("site").is_dir() {
        copy_dir(&dir.join("site"), &t.root);
    }
    if let Ok(list) = std::fs::read_to_string(dir.join("remove")) {
        for rel in list.lines().filter(|l| !l.is_empty()) {
            t.remove(rel);
        }
    }
    t
}

/// `playbook ARGS…` from the repository holding the site (the site
/// folder's parent), with `env` set and GitHub's variables otherwise unset.
fn run_from_repo(t: &SiteTest, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let repo = t.root.parent().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(repo)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_WORKSPACE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().unwrap())
}

/// Inside GitHub Actions: `GITHUB_ACTIONS=true`, the workspace the repository.
fn in_actions(t: &SiteTest, args: &[&str]) -> Run {
    let repo = t.root.parent().unwrap();
    run_from_repo(
        t,
        args,
        &[
            ("GITHUB_ACTIONS", Path::new("true")),
            ("GITHUB_WORKSPACE", repo),
        ],
    )
}

#[track_caller]
fn assert_lines(actual: &str, expected: &[&str]) {
    let actual: Vec<&str> = actual.lines().collect();
    assert_eq!(
        actual,
        expected,
        "\n--- expected\n{}\n--- actual\n{}",
        expected.join("\n"),
        actual.join("\n")
    );
}

/// The five problems of `several-problems`, as annotations on the
/// repository's files.
const SEVERAL_PROBLEMS: &[&str] = &[
    "::error file=site/content/mistakes/mistake-one.md,line=1,col=1,title=playbook build::the file is empty%0Ahint: a page needs front matter: `---`, `title: ...`, `summary: ...`, `---`, then its Markdown",
    "::error file=site/content/cases/open-case.md,line=4,col=10,title=playbook build::unknown verdict \"maybe\"%0Ahint: a case's verdict is `open` or `closed`; hybrid strategies live in hybrids/",
    "::error file=site/content/patterns/beta.md,line=7,col=1,title=playbook build::unknown field `extra`%0Ahint: a pattern takes title, summary, id, related, weight, draft, opened, kept, gains, costs, examples",
    "::error file=site/content/patterns/beta.md,line=1,col=1,title=playbook build::missing required field `opened` for a pattern%0Ahint: add a line such as `opened: The model weights`",
    "::error file=site/content/hybrids/hybrid-one.md,line=4,col=11,title=playbook build::unknown page \"nowhere\"%0Ahint: known pages are alpha, beta, closed-case, hybrid-one, open-case",
];

#[test]
fn inside_github_actions_each_problem_is_an_annotation_on_its_line() {
    let t = broken("several-problems");
    let run = in_actions(&t, &["build", "site"]);
    run.failure();
    assert_lines(&run.stdout, SEVERAL_PROBLEMS);
    // The log still ends with the count, for the person reading it.
    assert_lines(
        &run.stderr,
        &["error: 5 problems found; nothing was written"],
    );
    // Asked for by name, outside Actions, the same lines; the workspace is
    // then the current folder.
    let run = run_from_repo(&t, &["--message-format", "github", "build", "site"], &[]);
    assert_lines(&run.stdout, SEVERAL_PROBLEMS);
    // `check` reports the content's problems the same way, under its name.
    let run = in_actions(&t, &["check", "site"]);
    run.failure();
    let expected: Vec<String> = SEVERAL_PROBLEMS
        .iter()
        .map(|l| l.replace("title=playbook build", "title=playbook check"))
        .collect();
    assert_lines(
        &run.stdout,
        &expected.iter().map(String::as_str).collect::<Vec<_>>(),
    );
}

#[test]
fn the_human_format_is_the_default_and_can_be_asked_for_inside_actions() {
    let t = broken("several-problems");
    let expected =
        std::fs::read_to_string(fixtures().join("broken/several-problems/expected.stderr"))
            .unwrap();
    let run = run_from_repo(&t, &["build", "site"], &[]);
    assert_eq!(run.stderr, expected);
    assert_eq!(run.stdout, "");
    let run = in_actions(&t, &["build", "site", "--message-format", "human"]);
    assert_eq!(run.stderr, expected);
    assert_eq!(run.stdout, "");
}

#[test]
fn annotations_escape_percent_newlines_colons_and_commas() {
    let t = SiteTest::fixture("all-kinds");
    // A value with `%`, `,`, `:` and a CRLF reaches the message (data);
    // a file name with `,` and `:` reaches `file=` (a property).
    t.write(
        "content/cases/open-case.md",
        "---\ntitle: Open case\nsummary: S.\nverdict: \"50%,\\r\\nnow: maybe\"\n---\nBody\n",
    );
    #[cfg(unix)]
    t.write(
        "content/cases/odd, name: here.md",
        "---\ntitle: Odd\nsummary: S.\nverdict: open\n---\n",
    );
    let run = in_actions(&t, &["build", "site"]);
    run.failure();
    let lines: Vec<&str> = run.stdout.lines().collect();
    #[cfg(unix)]
    assert_eq!(
        lines[0],
        "::error file=site/content/cases/odd%2C name%3A here.md,title=playbook build::\"odd, name: here\" is not a usable id%0Ahint: ids come from file names: use lower-case letters, digits, `-` and `_` (e.g. `open-weights.md`)",
    );
    // (The column of a value written with escapes is not asserted: it is
    // the YAML reader's to get right, and this test is about escaping.)
    let verdict = lines.last().unwrap();
    assert!(
        verdict.starts_with("::error file=site/content/cases/open-case.md,line=4,col="),
        "{verdict}"
    );
    assert!(
        verdict.ends_with(",title=playbook build::unknown verdict \"50%25,%0D%0Anow: maybe\"%0Ahint: a case's verdict is `open` or `closed`; hybrid strategies live in hybrids/"),
        "{verdict}"
    );
    assert_eq!(
        lines.len(),
        if cfg!(unix) { 2 } else { 1 },
        "{}",
        run.stdout
    );
}

/// One diagnostic of the human format: `path[:line[:col]]: error: message`
/// and its hint.
#[derive(Debug, PartialEq)]
struct Human {
    file: String,
    line: Option<u64>,
    column: Option<u64>,
    message: String,
    hint: Option<String>,
}

fn parse_human(stderr: &str) -> Vec<Human> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some((location, message)) = l.split_once(": error: ") else {
            continue;
        };
        let mut parts = location.split(':');
        let file = parts.next().unwrap().to_string();
        let line = parts.next().map(|n| n.parse().unwrap());
        let column = parts.next().map(|n| n.parse().unwrap());
        let hint = lines
            .get(i + 1)
            .and_then(|h| h.strip_prefix("  hint: "))
            .map(str::to_string);
        out.push(Human {
            file,
            line,
            column,
            message: message.to_string(),
            hint,
        });
    }
    out
}

#[test]
fn json_is_one_valid_object_per_line_saying_what_the_human_format_says() {
    for case in [
        "several-problems",
        "several-link-problems",
        "tree-cycle",
        "model-several-mistakes",
        "book-toml-missing",
    ] {
        let t = broken(case);
        let human = parse_human(&run_from_repo(&t, &["build", "site"], &[]).stderr);
        assert!(!human.is_empty(), "{case}: no diagnostics");
        // Inside Actions too: JSON asked for by name wins.
        let run = in_actions(&t, &["build", "site", "--message-format", "json"]);
        run.failure();
        let json: Vec<Human> = run
            .stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("{case}: not JSON ({e}): {l}"));
                assert_eq!(v["type"], "diagnostic", "{l}");
                assert_eq!(v["severity"], "error", "{l}");
                // Paths from the current folder, so an editor opens them.
                let file = v["file"].as_str().unwrap();
                Human {
                    file: file.strip_prefix("site/").unwrap_or(file).to_string(),
                    line: v["line"].as_u64(),
                    column: v["column"].as_u64(),
                    message: v["message"].as_str().unwrap().to_string(),
                    hint: v["hint"].as_str().map(str::to_string),
                }
            })
            .collect();
        assert_eq!(json, human, "{case}");
    }
}

#[test]
fn check_reports_broken_output_links_as_annotations_and_json() {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    let page = t.read("public/cases/open-case.html");
    t.write(
        "public/cases/open-case.html",
        page.replace(
            "</main>",
            "<a href=\"missing.html\">b</a><a href=\"closed-case.html#nope\">c</a></main>",
        ),
    );
    // The line the broken links were written on, whatever the theme.
    let line = page[..page.find("</main>").unwrap()].lines().count();
    let run = in_actions(&t, &["check", "site", "--output", "site/public"]);
    run.failure();
    assert_lines(
        &run.stdout,
        &[
            &format!("::error title=playbook check::site/public/cases/open-case.html:{line}:12: error: `href` of <a> names a missing file (`missing.html`)%0A  hint: no such file in the output folder: fix the link, or build again if the file should be there"),
            &format!("::error title=playbook check::site/public/cases/open-case.html:{line}:40: error: `href` of <a>: no element with id `nope` (`closed-case.html#nope`)%0A  hint: link to an id the page has, e.g. a heading's"),
        ],
    );
    let run = in_actions(
        &t,
        &[
            "check",
            "site",
            "--output",
            "site/public",
            "--message-format",
            "json",
        ],
    );
    run.failure();
    let objects: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 2, "{}", run.stdout);
    assert_eq!(objects[0]["type"], "link");
    assert_eq!(objects[0]["output"], "site/public");
    assert_eq!(objects[0]["page"], "cases/open-case.html");
    assert_eq!(objects[0]["link"], "missing.html");
    assert_eq!(
        objects[0]["problem"],
        "`href` of <a> names a missing file (`missing.html`)"
    );
    assert_eq!(
        (objects[0]["line"].as_u64(), objects[0]["column"].as_u64()),
        (Some(131), Some(12))
    );
    // A missing output folder is an annotation too.
    let run = in_actions(&t, &["check", "site", "--output", "site/nowhere"]);
    run.failure();
    assert_lines(
        &run.stdout,
        &["::error title=playbook check::site/nowhere: no such folder%0Ahint: build the site first with `playbook build`"],
    );
}
