//! A built output folder → every reference in it checked as a browser on
//! file:// or under a `/<repo>/` prefix would follow it: relative, to a file
//! (a folder would show a listing), to an id that exists when it has a
//! `#fragment`, and never to the network for a page resource.
//!
//! Pages are read with the small scanner of [`super::html`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::html::{scan, Tag};
use crate::urls;

/// One broken reference: `page: link — problem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub page: String,
    pub link: String,
    pub problem: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} — {}", self.page, self.link, self.problem)
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub links: usize,
    /// External links seen (not followed).
    pub external: usize,
    pub problems: Vec<Problem>,
}

/// Checks every HTML file under `out`.
pub fn check(out: &Path) -> Report {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    // Parse every page once, in parallel; ids are then looked up from this map.
    let parsed: HashMap<PathBuf, Vec<Tag>> = files
        .par_iter()
        .map(|f| {
            (
                f.clone(),
                std::fs::read_to_string(f)
                    .map(|t| scan(&t))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let ids: HashMap<&Path, HashSet<&str>> = parsed
        .iter()
        .map(|(f, tags)| {
            let ids = tags
                .iter()
                .flat_map(|t| {
                    t.attr("id").into_iter().chain(if t.name == "a" {
                        t.attr("name")
                    } else {
                        None
                    })
                })
                .collect();
            (f.as_path(), ids)
        })
        .collect();

    let mut report = Report {
        pages: files.len(),
        ..Report::default()
    };
    for file in &files {
        let page = file
            .strip_prefix(out)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        // A host serves 404.html at any depth; its links are written for the site root.
        let base = if page == "404.html" {
            out.to_path_buf()
        } else {
            file.parent().unwrap_or(out).to_path_buf()
        };
        for tag in &parsed[file] {
            let Some(url) = reference(tag) else { continue };
            report.links += 1;
            let problem = judge(tag, url, file, &base, &ids, &mut report.external);
            if let Some(problem) = problem {
                report.problems.push(Problem {
                    page: page.clone(),
                    link: url.to_string(),
                    problem,
                });
            }
        }
    }
    report
}

fn reference(tag: &Tag) -> Option<&str> {
    match tag.name.as_str() {
        "a" | "link" | "area" => tag.attr("href"),
        "script" | "img" | "iframe" | "source" | "audio" | "video" | "embed" | "track" => {
            tag.attr("src")
        }
        _ => None,
    }
}

fn judge(
    tag: &Tag,
    url: &str,
    file: &Path,
    base: &Path,
    ids: &HashMap<&Path, HashSet<&str>>,
    external: &mut usize,
) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("vbscript:") {
        return Some("script URL".into());
    }
    if url.starts_with("//") {
        return Some("network resource (protocol-relative URL)".into());
    }
    if url.starts_with('/') || url.starts_with('\\') {
        return Some("absolute link: breaks under a /<repo>/ prefix and from disk".into());
    }
    if urls::has_scheme(url) {
        // Links name other pages; <link rel=canonical> names this page's address.
        // Only what the browser loads to show the page must be local.
        let page_resource = match tag.name.as_str() {
            "a" | "area" => false,
            "link" => tag.attr("rel").is_some_and(|rel| {
                rel.split_whitespace().any(|r| {
                    matches!(
                        r.to_ascii_lowercase().as_str(),
                        "stylesheet"
                            | "icon"
                            | "preload"
                            | "modulepreload"
                            | "manifest"
                            | "prefetch"
                    )
                })
            }),
            _ => true,
        };
        if lower.starts_with("data:") && page_resource {
            return None;
        }
        if page_resource {
            return Some("network resource: readers browse offline".into());
        }
        *external += 1;
        return None;
    }
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        file.to_path_buf()
    } else {
        crate::write::normalize(&base.join(urls::percent_decode(path)))
    };
    if target.is_dir() {
        return Some("link to a folder: from disk it shows a file listing, not index.html".into());
    }
    if !target.is_file() {
        return Some("missing file".into());
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let fragment = urls::percent_decode(fragment);
    match ids.get(target.as_path()) {
        Some(set) if set.contains(fragment.as_str()) => None,
        Some(_) => Some(format!("no element with id `{fragment}`")),
        // Not an HTML page: a fragment into it cannot be checked, and is rare.
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_links_load_nothing_but_stylesheets_do() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.html"),
            "<link rel=\"canonical\" href=\"https://u.github.io/r/\"><link rel=\"stylesheet\" href=\"https://cdn.example/s.css\">",
        )
        .unwrap();
        let report = check(dir.path());
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert_eq!(report.problems[0].link, "https://cdn.example/s.css");
    }

    #[test]
    fn judges_a_small_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir(out.join("cases")).unwrap();
        std::fs::write(out.join("index.html"), "<a href=\"cases/a.html#x\">a</a><a href=\"cases/a.html#nope\">b</a><a href=\"/abs.html\">c</a><a href=\"cases/\">d</a><a href=\"https://e.org\">e</a><script src=\"https://cdn.example/x.js\"></script><a href=\"gone.html\">f</a>").unwrap();
        std::fs::write(
            out.join("cases/a.html"),
            "<h2 id=\"x\">X</h2><a href=\"../index.html\">home</a>",
        )
        .unwrap();
        let report = check(out);
        assert_eq!(report.pages, 2);
        assert_eq!(report.links, 8);
        assert_eq!(report.external, 1);
        let problems: Vec<String> = report
            .problems
            .iter()
            .map(|p| format!("{} {}", p.link, p.problem))
            .collect();
        assert_eq!(problems.len(), 5, "{problems:#?}");
        assert!(problems[0].starts_with("cases/a.html#nope no element with id"));
        assert!(problems[1].starts_with("/abs.html absolute link"));
        assert!(problems[2].starts_with("cases/ link to a folder"));
        assert!(problems[3].starts_with("https://cdn.example/x.js network resource"));
        assert!(problems[4].starts_with("gone.html missing file"));
    }
}
