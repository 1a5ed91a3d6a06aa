//! Diagnostics → the lines a reader sees, in one of three formats:
//!
//! - `human`: `path:line:col: error: what is wrong` and a `hint:` line, on
//!   stderr (the default);
//! - `github`: one workflow command per problem on stdout,
//!   `::error file=…,line=…,col=…,title=…::…`, which GitHub Actions turns
//!   into an annotation on that line of the pull request (the default when
//!   `GITHUB_ACTIONS=true`, as GitHub sets it on every runner);
//! - `json`: one JSON object per problem and per line on stdout, for editors
//!   and scripts.
//!
//! Nothing here prints: [`Reporter`] returns [`Line`]s and `main` prints
//! them, so every format is tested as plain strings.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::check::crawl::Problem;
use crate::diagnostics::{display_path, Diagnostic};

/// How problems are printed (`--message-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// `path:line:col: error: …` and a hint, on stderr
    Human,
    /// GitHub Actions workflow commands on stdout: annotations on the pull request
    Github,
    /// One JSON object per problem, one per line, on stdout
    Json,
}

impl MessageFormat {
    /// The format when `--message-format` is not given: `github` when the
    /// `GITHUB_ACTIONS` variable is `true`, else `human`.
    pub fn detect(github_actions: Option<&str>) -> MessageFormat {
        match github_actions {
            Some("true") => MessageFormat::Github,
            _ => MessageFormat::Human,
        }
    }
}

/// Escapes a workflow command's message, as GitHub's runner reads it back:
/// `%`, carriage return and line feed.
pub fn escape_data(text: &str) -> String {
    escape(text, &[])
}

/// Escapes a workflow command's property value (`file=`, `title=`): what
/// [`escape_data`] escapes, and `:` and `,`, which end a property.
pub fn escape_property(text: &str) -> String {
    escape(text, &[':', ','])
}

/// Percent-escapes `%`, CR, LF and `also`, in one pass so that an escape
/// already in the text is not taken for one of ours.
fn escape(text: &str, also: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '\r' | '\n') || also.contains(&c) {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{:02X}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Where a line goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One printed problem (a human diagnostic may span two lines: the error and
/// its hint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub stream: Stream,
    pub text: String,
}

impl Line {
    fn out(text: String) -> Line {
        Line {
            stream: Stream::Stdout,
            text,
        }
    }

    fn err(text: String) -> Line {
        Line {
            stream: Stream::Stderr,
            text,
        }
    }
}

/// A diagnostic as `--message-format json` prints it.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    severity: &'static str,
    /// Relative to the current folder, so an editor can open it.
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
}

/// A broken reference in the built output, as `--message-format json` prints it.
#[derive(Serialize)]
struct JsonLink<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    severity: &'static str,
    /// The output folder, and the page in it that holds the reference.
    output: String,
    page: &'a str,
    line: usize,
    column: usize,
    link: &'a str,
    problem: &'a str,
    hint: &'a str,
}

/// A problem with the output folder itself (missing, or no pages in it).
#[derive(Serialize)]
struct JsonOutput<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    severity: &'static str,
    output: String,
    message: &'a str,
    hint: &'a str,
}

/// Formats the problems of one command run.
#[derive(Debug, Clone)]
pub struct Reporter {
    pub format: MessageFormat,
    /// For annotation titles: `playbook build`, `playbook check`, …
    title: String,
    /// The site folder, absolute: diagnostic paths are relative to it.
    site: PathBuf,
    /// The current folder, absolute: JSON paths are relative to it.
    cwd: PathBuf,
    /// GitHub's checkout (`GITHUB_WORKSPACE`, else the current folder):
    /// annotation paths must be relative to the repository's root.
    workspace: PathBuf,
}

impl Reporter {
    /// `site` as given on the command line (relative to `cwd`);
    /// `workspace` is `GITHUB_WORKSPACE` when set.
    pub fn new(
        format: MessageFormat,
        command: &str,
        site: &Path,
        cwd: &Path,
        workspace: Option<&Path>,
    ) -> Reporter {
        let cwd = real(cwd);
        let site = real(&cwd.join(site));
        let workspace = workspace.map_or_else(|| cwd.clone(), |w| real(&cwd.join(w)));
        Reporter {
            format,
            title: format!("playbook {command}"),
            site,
            cwd,
            workspace,
        }
    }

    /// `path` (relative to the site folder, as diagnostics name files) from
    /// `base`; absolute if it is not under `base`.
    fn from(&self, base: &Path, path: &Path) -> String {
        let full = if path.is_absolute() {
            real(path)
        } else {
            normalize(&self.site.join(path))
        };
        display_path(full.strip_prefix(base).unwrap_or(&full))
    }

    /// One diagnostic.
    pub fn diagnostic(&self, d: &Diagnostic) -> Line {
        match self.format {
            MessageFormat::Human => Line::err(d.to_string()),
            MessageFormat::Github => {
                let mut props = vec![format!(
                    "file={}",
                    escape_property(&self.from(&self.workspace, &d.path))
                )];
                if let Some(line) = d.line {
                    props.push(format!("line={line}"));
                    if let Some(col) = d.col {
                        props.push(format!("col={col}"));
                    }
                }
                props.push(format!("title={}", escape_property(&self.title)));
                let mut message = d.message.clone();
                if let Some(hint) = &d.hint {
                    message.push_str("\nhint: ");
                    message.push_str(hint);
                }
                Line::out(format!(
                    "::error {}::{}",
                    props.join(","),
                    escape_data(&message)
                ))
            }
            MessageFormat::Json => Line::out(json(&JsonDiagnostic {
                kind: "diagnostic",
                severity: "error",
                file: self.from(&self.cwd, &d.path),
                line: d.line,
                column: d.line.and(d.col),
                message: &d.message,
                hint: d.hint.as_deref(),
            })),
        }
    }

    /// One broken reference found by `check` in the output folder `output`
    /// (as given, relative to the current folder). The annotation names no
    /// file: the page is built output, not a file of the repository.
    pub fn link(&self, output: &Path, p: &Problem) -> Line {
        match self.format {
            MessageFormat::Human => Line::out(p.diagnostic(output).to_string()),
            MessageFormat::Github => Line::out(format!(
                "::error title={}::{}",
                escape_property(&self.title),
                escape_data(&p.diagnostic(output).to_string())
            )),
            MessageFormat::Json => Line::out(json(&JsonLink {
                kind: "link",
                severity: "error",
                output: display_path(output),
                page: &p.page,
                line: p.pos.line,
                column: p.pos.col,
                link: &p.link,
                problem: &p.problem,
                hint: &p.hint,
            })),
        }
    }

    /// A problem with the output folder `output` itself.
    pub fn output(&self, output: &Path, message: &str, hint: &str) -> Line {
        match self.format {
            MessageFormat::Human => Line::err(
                Diagnostic::new(output, message)
                    .hint(hint.to_string())
                    .to_string(),
            ),
            MessageFormat::Github => Line::out(format!(
                "::error title={}::{}",
                escape_property(&self.title),
                escape_data(&format!(
                    "{}: {message}\nhint: {hint}",
                    display_path(output)
                ))
            )),
            MessageFormat::Json => Line::out(json(&JsonOutput {
                kind: "output",
                severity: "error",
                output: display_path(output),
                message,
                hint,
            })),
        }
    }
}

/// One line of JSON. Serializing these structs of strings and numbers
/// cannot fail; were it ever to, the line is empty rather than a panic.
fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// `path` with symbolic links resolved when it exists (macOS's /tmp is a
/// link, and GITHUB_WORKSPACE must compare equal to the site under it),
/// else with `.` and `..` folded.
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| normalize(path))
}

/// Folds `.` and `..` without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reporter(format: MessageFormat, site: &str, workspace: Option<&str>) -> Reporter {
        Reporter::new(
            format,
            "build",
            Path::new(site),
            Path::new("/nowhere/repo"),
            workspace.map(Path::new),
        )
    }

    fn diag() -> Diagnostic {
        Diagnostic::new("content/cases/a.md", "unknown verdict \"50%\"")
            .at(4, 10)
            .hint("a case's verdict is `open` or `closed`")
    }

    #[test]
    fn github_actions_chooses_the_github_format() {
        assert_eq!(MessageFormat::detect(Some("true")), MessageFormat::Github);
        assert_eq!(MessageFormat::detect(Some("false")), MessageFormat::Human);
        assert_eq!(MessageFormat::detect(None), MessageFormat::Human);
    }

    #[test]
    fn escapes_as_the_runner_unescapes() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
        // `%` first: an escape in the input is not mistaken for ours.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn annotations_name_the_file_from_the_repository_root() {
        let r = reporter(MessageFormat::Github, "docs", Some("/nowhere/repo"));
        assert_eq!(
            r.diagnostic(&diag()).text,
            "::error file=docs/content/cases/a.md,line=4,col=10,title=playbook build::\
             unknown verdict \"50%25\"%0Ahint: a case's verdict is `open` or `closed`"
        );
        // No line, no column: the file as a whole.
        let whole = Diagnostic::new("book.toml", "no book.toml in this folder").hint("h");
        assert_eq!(
            r.diagnostic(&whole).text,
            "::error file=docs/book.toml,title=playbook build::no book.toml in this folder%0Ahint: h"
        );
        // A file name's `,` and `:` are escaped as a property's.
        let odd = Diagnostic::new("content/a, b: c.md", "bad").at(1, 1);
        assert_eq!(
            r.diagnostic(&odd).text,
            "::error file=docs/content/a%2C b%3A c.md,line=1,col=1,title=playbook build::bad"
        );
    }

    #[test]
    fn outside_the_workspace_the_path_stays_absolute() {
        let r = reporter(
            MessageFormat::Github,
            "../../elsewhere/site",
            Some("/nowhere/repo"),
        );
        let line = r.diagnostic(&diag()).text;
        assert!(
            line.starts_with("::error file=/elsewhere/site/content/cases/a.md,"),
            "{line}"
        );
    }

    #[test]
    fn json_is_one_object_per_line_with_the_path_from_here() {
        let r = reporter(MessageFormat::Json, "./docs/", None);
        let line = r.diagnostic(&diag());
        assert_eq!(line.stream, Stream::Stdout);
        assert!(!line.text.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&line.text).unwrap();
        assert_eq!(v["type"], "diagnostic");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["file"], "docs/content/cases/a.md");
        assert_eq!(v["line"], 4);
        assert_eq!(v["column"], 10);
        assert_eq!(v["message"], "unknown verdict \"50%\"");
        assert_eq!(v["hint"], "a case's verdict is `open` or `closed`");
        let whole = Diagnostic::new("book.toml", "m");
        let v: serde_json::Value = serde_json::from_str(&r.diagnostic(&whole).text).unwrap();
        assert!(v["line"].is_null() && v["column"].is_null() && v["hint"].is_null());
    }

    #[test]
    fn human_is_the_familiar_two_lines_on_stderr() {
        let r = reporter(MessageFormat::Human, "docs", None);
        let line = r.diagnostic(&diag());
        assert_eq!(line.stream, Stream::Stderr);
        assert_eq!(line.text, diag().to_string());
    }

    #[test]
    fn check_problems_in_each_format() {
        let p = Problem {
            page: "cases/a.html".into(),
            pos: crate::diagnostics::Pos::new(3, 9),
            link: "missing.html".into(),
            problem: "link to missing.html, a missing file".into(),
            hint: "rebuild".into(),
        };
        let out = Path::new("_site");
        let check = |f| Reporter::new(f, "check", Path::new("."), Path::new("/r"), None);
        assert_eq!(
            check(MessageFormat::Human).link(out, &p).text,
            "_site/cases/a.html:3:9: error: link to missing.html, a missing file\n  hint: rebuild"
        );
        assert_eq!(
            check(MessageFormat::Github).link(out, &p).text,
            "::error title=playbook check::_site/cases/a.html:3:9: error: link to missing.html, a missing file%0A  hint: rebuild"
        );
        let v: serde_json::Value =
            serde_json::from_str(&check(MessageFormat::Json).link(out, &p).text).unwrap();
        assert_eq!(v["type"], "link");
        assert_eq!(v["output"], "_site");
        assert_eq!(v["page"], "cases/a.html");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64()),
            (Some(3), Some(9))
        );
        assert_eq!(
            check(MessageFormat::Github)
                .output(out, "no such folder", "build it")
                .text,
            "::error title=playbook check::_site: no such folder%0Ahint: build it"
        );
        assert_eq!(
            check(MessageFormat::Human)
                .output(out, "no such folder", "build it")
                .text,
            "_site: error: no such folder\n  hint: build it"
        );
    }
}
