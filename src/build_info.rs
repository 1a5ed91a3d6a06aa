//! Which commit a build comes from: shared by `build.rs`, which bakes it into
//! `playbook --version`, and the unit tests below.
//!
//! Only a folder that is itself the top of a git work tree counts: sources
//! unpacked inside some other repository (a vendored copy, a crate download)
//! must not borrow that repository's commit.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `git -C dir ARGS`; its trimmed output, or `None` when git is missing
/// or fails (no repository, no commit yet).
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Whether `dir` is the top of a git work tree.
fn is_top(dir: &Path) -> bool {
    let Some(top) = git(dir, &["rev-parse", "--show-toplevel"]) else {
        return false;
    };
    match (Path::new(&top).canonicalize(), dir.canonicalize()) {
        (Ok(top), Ok(dir)) => top == dir,
        _ => false,
    }
}

/// The commit checked out in `dir`, as `abbreviated-hash YYYY-MM-DD`
/// (the commit's date), or `None` if `dir` is not a git work tree's top.
pub fn commit(dir: &Path) -> Option<String> {
    if !is_top(dir) {
        return None;
    }
    git(dir, &["log", "-1", "--format=%h %cs"])
}

/// The files whose change means another commit is checked out: `HEAD`, and
/// the branch it points to (loose and packed), in whatever git folder holds
/// them (a linked work tree keeps HEAD apart from the refs).
pub fn watched_files(dir: &Path) -> Vec<PathBuf> {
    if !is_top(dir) {
        return Vec::new();
    }
    let mut names = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        names.push(branch);
    }
    names
        .iter()
        .filter_map(|name| git(dir, &["rev-parse", "--git-path", name]))
        .map(|p| dir.join(p))
        .filter(|p| p.exists())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?} failed in {}", dir.display());
    }

    #[test]
    fn a_folder_outside_git_has_no_commit() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(commit(dir.path()), None);
        assert!(watched_files(dir.path()).is_empty());
    }

    #[test]
    fn a_repository_names_its_commit_and_a_subfolder_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path();
        run_git(repo, &["init", "-q", "-b", "main"]);
        std::fs::write(repo.join("a.txt"), "a").unwrap();
        std::fs::create_dir(repo.join("sub")).unwrap();
        std::fs::write(repo.join("sub/b.txt"), "b").unwrap();
        run_git(repo, &["add", "."]);
        run_git(
            repo,
            &[
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.invalid",
                "-c",
                "commit.gpgsign=false",
                "commit",
                "-q",
                "-m",
                "one",
            ],
        );
        let named = commit(repo).unwrap();
        let (hash, date) = named.split_once(' ').unwrap();
        assert!(
            hash.len() >= 7 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{named}"
        );
        assert_eq!(date.len(), 10, "{named}");
        let watched = watched_files(repo);
        assert!(watched.iter().any(|p| p.ends_with("HEAD")), "{watched:?}");
        assert!(
            watched.iter().any(|p| p.ends_with("refs/heads/main")),
            "{watched:?}"
        );
        // Sources unpacked inside another repository do not borrow its commit.
        assert_eq!(commit(&repo.join("sub")), None);
    }
}
