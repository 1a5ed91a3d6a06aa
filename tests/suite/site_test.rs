//! Test helper: copy a fixture site to a temp folder, run the real binary on it,
//! and query the output as parsed HTML.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub const BIN: &str = env!("CARGO_BIN_EXE_playbook");

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// A site in its own temporary folder.
pub struct SiteTest {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let t = SiteTest::empty();
        copy_dir(&fixtures().join(name), &t.root);
        t
    }

    /// A copy of the shipped default playbook (book.toml and content/).
    pub fn default_playbook() -> SiteTest {
        let t = SiteTest::empty();
        std::fs::copy(repo_root().join("book.toml"), t.root.join("book.toml")).unwrap();
        copy_dir(&repo_root().join("content"), &t.root.join("content"));
        t
    }

    pub fn empty() -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        SiteTest { _dir: dir, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }

    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// `playbook ARGS...` run from the site folder, in the human message
    /// format even when the suite itself runs inside GitHub Actions.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(BIN)
            .args(args)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_WORKSPACE")
            .current_dir(&self.root)
            .output()
            .unwrap();
        Run::from(out)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Builds and insists it worked.
    #[track_caller]
    pub fn built(&self) -> &Self {
        self.build().success();
        self
    }

    #[track_caller]
    pub fn html(&self, rel: &str) -> Page {
        Page::parse(&self.read(&format!("public/{rel}")))
    }

    /// Every file under `rel`, with its bytes: for "nothing changed" checks.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        let base = self.path(rel);
        walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(&base).unwrap().to_path_buf(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.path_is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\n--- stderr\n{}",
            self.stderr
        );
        self.no_panic()
    }

    #[track_caller]
    pub fn failure(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit code 1\n--- stderr\n{}",
            self.stderr
        );
        self.no_panic()
    }

    #[track_caller]
    pub fn no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked"),
            "the binary panicked:\n{}",
            self.stderr
        );
        self
    }

    /// stderr has a line starting with `location` (e.g. `content/a.md:3:1`) whose
    /// message contains `message`, followed by a hint.
    #[track_caller]
    pub fn reports(&self, location: &str, message: &str) -> &Self {
        let lines: Vec<&str> = self.stderr.lines().collect();
        let found = lines.iter().enumerate().any(|(i, l)| {
            l.starts_with(&format!("{location}: error: "))
                && l.contains(message)
                && lines
                    .get(i + 1)
                    .is_some_and(|h| h.trim_start().starts_with("hint: "))
        });
        assert!(
            found,
            "expected `{location}: error: …{message}…` with a hint\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    pub fn error_count(&self) -> usize {
        self.stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .count()
    }
}

/// A parsed HTML page.
pub struct Page {
    pub doc: Html,
}

impl Page {
    pub fn parse(html: &str) -> Page {
        Page {
            doc: Html::parse_document(html),
        }
    }

    pub fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.doc.select(&sel).collect()
    }

    #[track_caller]
    pub fn one(&self, css: &str) -> scraper::ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "expected exactly one `{css}`, found {}",
            found.len()
        );
        found[0]
    }

    #[track_caller]
    pub fn text(&self, css: &str) -> String {
        self.one(css)
            .text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// hrefs of the links matching `css`.
    pub fn hrefs(&self, css: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .filter_map(|e| e.value().attr("href"))
            .map(str::to_string)
            .collect()
    }

    pub fn ids(&self) -> HashSet<String> {
        self.select("[id]")
            .iter()
            .filter_map(|e| e.value().attr("id"))
            .map(str::to_string)
            .collect()
    }
}

/// What a crawl of an output folder found.
#[derive(Debug, Default)]
pub struct Crawl {
    pub pages: usize,
    pub links: usize,
    pub problems: Vec<String>,
}

/// Opens every HTML file under `out` and checks every reference in it as a
/// browser on file:// would follow it: relative, to a file (not a folder),
/// and to an id that exists when there is a `#fragment`.
pub fn crawl(out: &Path) -> Crawl {
    let mut crawl = Crawl::default();
    let mut ids_cache: BTreeMap<PathBuf, HashSet<String>> = BTreeMap::new();
    let html_files: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    let refs =
        Selector::parse("a[href], link[href], script[src], img[src], iframe[src], source[src]")
            .unwrap();
    for file in &html_files {
        crawl.pages += 1;
        let page = Page::parse(&std::fs::read_to_string(file).unwrap());
        let is_404 = file.ends_with("404.html");
        for el in page.doc.select(&refs) {
            let v = el.value();
            let url = v.attr("href").or(v.attr("src")).unwrap_or("");
            let tag = v.name();
            crawl.links += 1;
            let here = file.strip_prefix(out).unwrap().display().to_string();
            let mut problem = |p: String| crawl.problems.push(format!("{here}: {url} — {p}"));
            if url.starts_with("//") || url.starts_with('/') {
                problem("absolute link".into());
                continue;
            }
            if url.contains("://") || url.starts_with("mailto:") {
                // <link rel=canonical> names the page's address; it loads nothing.
                let loads = tag != "a"
                    && !(tag == "link"
                        && v.attr("rel")
                            .is_some_and(|r| r == "canonical" || r == "alternate"));
                if loads {
                    problem("network resource".into());
                }
                continue;
            }
            if url.starts_with("javascript:") {
                problem("script URL".into());
                continue;
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url, None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else {
                // The 404 page resolves against the site root wherever it is served.
                let base = if is_404 {
                    out.to_path_buf()
                } else {
                    file.parent().unwrap().to_path_buf()
                };
                base.join(path)
            };
            if !target.is_file() {
                problem(if target.is_dir() {
                    "link to a folder".into()
                } else {
                    "missing file".into()
                });
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let ids = ids_cache.entry(target.clone()).or_insert_with(|| {
                    Page::parse(&std::fs::read_to_string(&target).unwrap()).ids()
                });
                // The decision tree reads answers from its fragment.
                let answers = fragment.contains('=') && target.ends_with("decide.html");
                if !ids.contains(fragment) && !answers {
                    problem(format!("no id `{fragment}` there"));
                }
            }
        }
    }
    crawl
}

/// The decision tree's JSON as embedded in decide.html, raw (still escaped).
pub fn tree_data(decide_html: &str) -> &str {
    decide_html
        .split("id=\"pb-tree-data\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("decide.html embeds the tree in #pb-tree-data")
}
