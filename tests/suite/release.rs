//! Releases: `playbook --version` names the commit it was built from, and
//! the release workflow builds, names and checksums exactly the archives the
//! action's installer asks for.

use std::process::Command;

use crate::site_test::{repo_root, BIN};

/// What git says of the checked-out commit, as build.rs bakes it in; `None`
/// when the sources are not a git work tree (an unpacked archive).
fn head_commit() -> Option<String> {
    let root = repo_root();
    let out = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .ok()?;
    let top = String::from_utf8(out.stdout).ok()?;
    if !out.status.success()
        || std::path::Path::new(top.trim()).canonicalize().ok()? != root.canonicalize().ok()?
    {
        return None;
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["log", "-1", "--format=%h %cs"])
        .output()
        .ok()?;
    Some(String::from_utf8(out.stdout).ok()?.trim().to_string())
}

#[test]
fn version_names_the_version_and_the_commit() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    let version = String::from_utf8(out.stdout).unwrap();
    let commit = head_commit().unwrap_or_else(|| "commit unknown".into());
    assert_eq!(
        version.trim_end(),
        format!("playbook {} ({commit})", env!("CARGO_PKG_VERSION"))
    );
}

/// The targets of the release workflow's build matrix.
fn release_targets() -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join(".github/workflows/release.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let include = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap();
    let mut targets: Vec<String> = include
        .iter()
        .map(|e| e["target"].as_str().unwrap().to_string())
        .collect();
    targets.sort();
    targets
}

/// The targets action/install.sh asks for, one per `OS/ARCH)` line.
fn installer_targets() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo_root().join("action/install.sh")).unwrap();
    text.lines()
        .filter_map(|l| {
            let (runner, rest) = l.trim().split_once(") echo ")?;
            // (`*) echo ""`: any other runner has no archive.)
            runner.contains('/').then_some(())?;
            Some((runner.to_string(), rest.trim_end_matches(" ;;").to_string()))
        })
        .collect()
}

#[test]
fn the_release_builds_exactly_the_archives_the_installer_asks_for() {
    let installer = installer_targets();
    let runners: Vec<&str> = installer.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        runners,
        [
            "Linux/X64",
            "Linux/ARM64",
            "macOS/X64",
            "macOS/ARM64",
            "Windows/X64"
        ]
    );
    let mut asked: Vec<String> = installer.into_iter().map(|(_, t)| t).collect();
    asked.sort();
    assert_eq!(release_targets(), asked);
    // Linux statically linked: musl.
    for t in release_targets().iter().filter(|t| t.contains("linux")) {
        assert!(t.ends_with("-linux-musl"), "{t}");
    }
    let text = std::fs::read_to_string(repo_root().join(".github/workflows/release.yml")).unwrap();
    for needle in [
        "tags: [\"v[0-9]+.[0-9]+.[0-9]+*\"]",
        "bash .github/release/package.sh \"$TARGET\"",
        "contents: write",
        "SHA256SUMS",
        "gh release create",
        "file \"target/$TARGET/release/playbook\" | grep -Eq 'static(ally|-pie) linked'",
    ] {
        assert!(text.contains(needle), "{needle} not in release.yml");
    }
}
