//! The web's own judges, run on real builds: the W3C Nu Html Checker
//! (npm `vnu-jar`, on Java) over every page, and axe-core (npm `axe-core`)
//! inside headless Chromium on every kind of page, light and dark.
//!
//! Both come from npm at the versions pinned in `tests/judges/`, installed
//! once into the target folder (`npm ci`); Java comes from Debian
//! (`default-jre-headless`). A missing tool fails the test with what to
//! install: a judge that silently does not run judges nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::site_test::repo_root;

/// `node_modules` of the pinned judges, installed on first use.
pub fn judges() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("judges");
        std::fs::create_dir_all(&dir).unwrap();
        let lock = std::fs::read(repo_root().join("tests/judges/package-lock.json")).unwrap();
        let installed = std::fs::read(dir.join("package-lock.json")).ok();
        let ready = installed.as_deref() == Some(&lock[..])
            && dir.join("node_modules/vnu-jar/build/dist/vnu.jar").is_file()
            && dir.join("node_modules/axe-core/axe.min.js").is_file();
        if !ready {
            for file in ["package.json", "package-lock.json"] {
                std::fs::copy(repo_root().join("tests/judges").join(file), dir.join(file)).unwrap();
            }
            let out = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&dir)
                .output()
                .unwrap_or_else(|e| {
                    panic!("the HTML checker and axe-core come from npm, which did not start ({e}): install Node.js and npm (Debian: apt-get install npm)")
                });
            assert!(
                out.status.success(),
                "npm ci in {} failed:\n{}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        dir.join("node_modules")
    })
}

/// One message of the Nu Html Checker.
#[derive(Debug)]
pub struct VnuMessage {
    pub kind: String,
    pub file: String,
    pub line: u64,
    pub message: String,
}

/// Runs the Nu Html Checker over every `.html` file under `dir`; every
/// error and warning it reports.
pub fn vnu(dir: &Path) -> Vec<VnuMessage> {
    let jar = judges().join("vnu-jar/build/dist/vnu.jar");
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "json", "--skip-non-html", "--also-check-svg"])
        .arg(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("the Nu Html Checker runs on Java, which did not start ({e}): install it (Debian: apt-get install default-jre-headless)")
        });
    // It writes its JSON report to stderr.
    let report: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "the checker's report is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| VnuMessage {
            kind: match (m["type"].as_str(), m["subType"].as_str()) {
                (Some("info"), Some("warning")) => "warning".into(),
                (Some(t), _) => t.into(),
                _ => "unknown".into(),
            },
            file: m["url"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches("file:")
                .trim_start_matches(&dir.display().to_string())
                .into(),
            line: m["lastLine"].as_u64().unwrap_or(0),
            message: m["message"].as_str().unwrap_or("").into(),
        })
        .collect()
}

/// The axe-core script, to evaluate in a page.
pub fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| std::fs::read_to_string(judges().join("axe-core/axe.min.js")).unwrap())
}
