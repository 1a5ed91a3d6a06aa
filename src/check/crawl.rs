//! A built output folder → every reference in it checked as a browser on
//! file:// or under a `/<repo>/` prefix would follow it: relative, inside
//! the output folder, to a file (a folder would show a listing), to an id
//! that exists when it has a `#fragment`, and never to the network for what
//! the page loads.
//!
//! Pages (and SVG files) are read with [`crate::refs`], which knows every
//! attribute that holds a URL, and style sheets with its CSS reader.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Pos};
use crate::refs::{self, html, Ref};
use crate::urls;

/// One broken reference, at its place in an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, relative to the output folder, with `/`.
    pub page: String,
    pub pos: Pos,
    /// The reference as written (decoded).
    pub link: String,
    pub problem: String,
    pub hint: String,
}

impl Problem {
    /// As a diagnostic on the file inside `out` (the folder as the user named it).
    pub fn diagnostic(&self, out: &Path) -> Diagnostic {
        Diagnostic::new(out.join(&self.page), self.problem.clone())
            .at_pos(self.pos)
            .hint(self.hint.clone())
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.diagnostic(Path::new("")))
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

/// One file's references, read once.
struct Scanned {
    ids: HashSet<String>,
    refs: Vec<(Ref, Pos)>,
    /// The page holds a decision tree, which reads answers from its
    /// fragment (`#harm=no&data=yes`) rather than naming an element.
    reads_answers: bool,
}

/// What a file is read as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Page,
    Svg,
    Css,
}

fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => Some(Kind::Page),
        "svg" => Some(Kind::Svg),
        "css" => Some(Kind::Css),
        _ => None,
    }
}

fn scan(text: &str, kind: Kind) -> Scanned {
    let mut reads_answers = false;
    let (refs, ids) = match kind {
        Kind::Css => (refs::of_css(text), HashSet::new()),
        Kind::Page | Kind::Svg => {
            let tags = html::scan(text);
            reads_answers = tags.iter().any(|t| t.attr("data-decision-tree").is_some());
            let ids = tags
                .iter()
                .flat_map(|t| {
                    t.attr("id")
                        .into_iter()
                        .chain(if t.name == "a" { t.attr("name") } else { None })
                        .map(str::to_string)
                })
                .collect();
            (refs::of_html(text, &tags), ids)
        }
    };
    let positions = positions(text, refs.iter().map(|r| r.at));
    Scanned {
        ids,
        refs: refs.into_iter().zip(positions).collect(),
        reads_answers,
    }
}

/// The line and column of each offset, in one pass over the text: a page
/// holds thousands of references, print.html all of them on long lines.
fn positions(text: &str, offsets: impl Iterator<Item = usize>) -> Vec<Pos> {
    let mut order: Vec<(usize, usize)> = offsets.enumerate().map(|(i, at)| (at, i)).collect();
    order.sort_unstable();
    let mut out = vec![Pos::new(1, 1); order.len()];
    let (mut line, mut col) = (1, 1);
    let mut chars = text.char_indices().peekable();
    for (at, i) in order {
        while let Some(&(j, c)) = chars.peek() {
            if j >= at {
                break;
            }
            chars.next();
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        out[i] = Pos::new(line, col);
    }
    out
}

/// Checks every page, SVG file and style sheet under `out`.
pub fn check(out: &Path) -> Report {
    // Absolute and without `..`, so whether a target lies inside is a
    // question of its path; and as the file system resolves it, for the
    // symbolic links inside that lead out.
    let root = std::env::current_dir()
        .map(|cwd| crate::write::normalize(&cwd.join(out)))
        .unwrap_or_else(|_| out.to_path_buf());
    let real_root = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
    // What the folder holds, from one walk: a reference is then looked up,
    // not asked of the file system, and only one through a symbolic link
    // is resolved.
    let mut tree = Tree::default();
    for entry in walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let kind = entry.file_type();
        let set = if kind.is_symlink() {
            &mut tree.links
        } else if kind.is_dir() {
            &mut tree.dirs
        } else {
            &mut tree.files
        };
        set.insert(entry.into_path());
    }
    let mut files: Vec<(PathBuf, Kind)> = tree
        .files
        .iter()
        .filter_map(|f| Some((f.clone(), kind(f)?)))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    // Read every file once, in parallel; ids are then looked up from this map.
    let scanned: HashMap<&Path, Scanned> = files
        .par_iter()
        .map(|(f, kind)| {
            let text = std::fs::read(f)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            (f.as_path(), scan(&text, *kind))
        })
        .collect();

    let mut report = Report {
        pages: files.iter().filter(|(_, k)| *k == Kind::Page).count(),
        ..Report::default()
    };
    let ctx = Context {
        root: &root,
        real_root: &real_root,
        tree: &tree,
        scanned: &scanned,
    };
    for (file, _) in &files {
        let page = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        // A host serves 404.html at any depth; its links are written for the site root.
        let base = if page == "404.html" {
            root.clone()
        } else {
            file.parent().unwrap_or(&root).to_path_buf()
        };
        for (r, pos) in &scanned[file.as_path()].refs {
            report.links += 1;
            if let Some((problem, hint)) = ctx.judge(r, file, &base, &mut report.external) {
                report.problems.push(Problem {
                    page: page.clone(),
                    pos: *pos,
                    link: r.url.clone(),
                    problem,
                    hint,
                });
            }
        }
    }
    report
}

/// Every path under the output folder, by what it is.
#[derive(Default)]
struct Tree {
    files: HashSet<PathBuf>,
    dirs: HashSet<PathBuf>,
    links: HashSet<PathBuf>,
}

struct Context<'a> {
    root: &'a Path,
    real_root: &'a Path,
    tree: &'a Tree,
    scanned: &'a HashMap<&'a Path, Scanned>,
}

impl Context<'_> {
    /// What is wrong with `r`, found in `file` and resolved from `base`: a
    /// message naming it, and a hint.
    fn judge(
        &self,
        r: &Ref,
        file: &Path,
        base: &Path,
        external: &mut usize,
    ) -> Option<(String, String)> {
        let url = refs::clean(&r.url);
        let shown = refs::shorten(&url);
        let what = &r.what;
        if urls::is_script_scheme(&url) && !url.to_ascii_lowercase().starts_with("data:") {
            return Some((
                format!("{what} is a script URL (`{shown}`)"),
                "links may not run code: link to a page or an https:// address".into(),
            ));
        }
        if let Some(found) = refs::loads_from_outside(r) {
            return Some(found);
        }
        if url.to_ascii_lowercase().starts_with("file:") {
            return Some((
                format!("{what} points outside the output folder (`{shown}`)"),
                "a file: URL names a file on the author's machine: copy the file into the site and link it relative to this page".into(),
            ));
        }
        if refs::is_outside(&url) || urls::has_scheme(&url) {
            // Links name other sites; `data:` carries its content with it.
            if !r.loads {
                *external += 1;
            }
            return None;
        }
        if url.starts_with('/') || url.starts_with('\\') {
            return Some((
                format!("{what} is an absolute link (`{shown}`)"),
                "absolute links break under a /<repo>/ prefix and from disk: link relative to this page".into(),
            ));
        }
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url.as_str(), None),
        };
        let path = path.split('?').next().unwrap_or("");
        let target = if path.is_empty() {
            file.to_path_buf()
        } else {
            // A browser reads `\` as `/` in a file: or http: URL.
            let decoded = urls::percent_decode(&path.replace('\\', "/"));
            crate::write::normalize(&base.join(decoded))
        };
        if !target.starts_with(self.root) {
            return Some((
                format!("{what} points outside the output folder (`{shown}`)"),
                "the published site is this folder and nothing beside it: link to a file inside it, relative to this page".into(),
            ));
        }
        // Through a symbolic link inside the folder: where it really leads.
        let linked = !self.tree.links.is_empty()
            && target
                .ancestors()
                .take_while(|a| a.starts_with(self.root))
                .any(|a| self.tree.links.contains(a));
        let (is_dir, is_file) = if linked {
            if std::fs::canonicalize(&target).is_ok_and(|real| !real.starts_with(self.real_root)) {
                return Some((
                    format!("{what} names a symbolic link out of the output folder (`{shown}`)"),
                    "the link would publish a file from elsewhere on this machine: put the file itself in the site".into(),
                ));
            }
            (target.is_dir(), target.is_file())
        } else {
            (
                self.tree.dirs.contains(&target),
                self.tree.files.contains(&target),
            )
        };
        if is_dir {
            return Some((
                format!("{what} links to a folder (`{shown}`)"),
                "from disk a folder shows a file listing, not its index.html: link to the index.html".into(),
            ));
        }
        if !is_file {
            return Some((
                format!("{what} names a missing file (`{shown}`)"),
                "no such file in the output folder: fix the link, or build again if the file should be there".into(),
            ));
        }
        let fragment = fragment.filter(|f| !f.is_empty())?;
        let fragment = urls::percent_decode(fragment);
        match self.scanned.get(target.as_path()) {
            Some(s) if s.ids.contains(&fragment) => None,
            // Answers for the tree (the build checked them against it).
            Some(s) if s.reads_answers && fragment.contains('=') => None,
            // A style sheet's `url(#filter)` names an id of the page using it.
            Some(_) if kind(&target) == Some(Kind::Css) => None,
            Some(_) => Some((
                format!("{what}: no element with id `{fragment}` (`{shown}`)"),
                "link to an id the page has, e.g. a heading's".into(),
            )),
            // Not a page: a fragment into it cannot be checked, and is rare.
            None => None,
        }
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
        std::fs::write(out.join("index.html"), "<a href=\"cases/a.html#x\">a</a><a href=\"cases/a.html#nope\">b</a><a href=\"/abs.html\">c</a><a href=\"cases/\">d</a><a href=\"https://e.org\">e</a><script src=\"https://cdn.example/x.js\"></script><a href=\"gone.html\">f</a>\n<a href=\"../outside.html\">g</a>").unwrap();
        std::fs::write(out.join("outside.html"), "").unwrap();
        std::fs::write(
            out.join("cases/a.html"),
            "<h2 id=\"x\">X</h2><a href=\"../index.html\">home</a>",
        )
        .unwrap();
        let report = check(out);
        assert_eq!(report.pages, 3);
        assert_eq!(report.links, 9);
        assert_eq!(report.external, 1);
        let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 6, "{problems:#?}");
        assert!(
            problems[0]
                .starts_with("index.html:1:40: error: `href` of <a>: no element with id `nope`"),
            "{}",
            problems[0]
        );
        assert!(problems[1].starts_with("index.html:1:"), "{}", problems[1]);
        assert!(problems[1].contains("absolute link (`/abs.html`)"));
        assert!(problems[2].contains("links to a folder (`cases/`)"));
        assert!(problems[3]
            .contains("`src` of <script> loads `https://cdn.example/x.js` from outside the site"));
        assert!(problems[4].contains("names a missing file (`gone.html`)"));
        assert!(problems[5].starts_with("index.html:2:10: error: `href` of <a> points outside the output folder (`../outside.html`)"), "{}", problems[5]);
        assert!(problems[5].contains("\n  hint: "));
    }

    #[test]
    fn every_resource_and_style_sheet_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("ok.png"), "").unwrap();
        std::fs::write(
            out.join("index.html"),
            "<img src=ok.png srcset=\"ok.png 1x, https://x.example/2.png 2x\">\n<video poster=//x.example/p.png></video><link rel=stylesheet href=s.css>",
        )
        .unwrap();
        std::fs::write(
            out.join("s.css"),
            "@namespace svg url(http://www.w3.org/2000/svg);\nbody { background: url(ok.png) }\n@import 'https://x.example/f.css';\na { cursor: url(missing.cur) }",
        )
        .unwrap();
        let report = check(out);
        let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(
            problems[0].starts_with(
                "index.html:1:36: error: `srcset` of <img> loads `https://x.example/2.png`"
            ),
            "{}",
            problems[0]
        );
        assert!(
            problems[1].starts_with(
                "index.html:2:15: error: `poster` of <video> loads `//x.example/p.png`"
            ),
            "{}",
            problems[1]
        );
        assert!(
            problems[2]
                .starts_with("s.css:3:9: error: style sheet loads `https://x.example/f.css`"),
            "{}",
            problems[2]
        );
        assert!(
            problems[3]
                .starts_with("s.css:4:13: error: style sheet names a missing file (`missing.cur`)"),
            "{}",
            problems[3]
        );
    }
}
