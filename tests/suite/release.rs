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
