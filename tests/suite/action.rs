//! The GitHub Action (action.yml) and the workflows, on this machine with no
//! GitHub: every workflow and the action pass actionlint and the schemas;
//! the action's scripts (action/install.sh, action/build.sh) run as the
//! runner runs them, with GitHub's variables and a fake GITHUB_OUTPUT,
//! against a scratch repository that holds only content; releases are read
//! from a folder through `file://`, so nothing touches the network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::site_test::{copy_dir, fixtures, repo_root, Run, BIN};

/// The pinned linters (tests/lint/requirements.txt) in a venv under the
/// target folder, installed on first use. .ci/run installs them first; a
/// missing Python fails the test with what to install.
fn linters() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lint-venv");
        let out = Command::new("bash")
            .arg(repo_root().join("tests/lint/install.sh"))
            .arg(&dir)
            .output()
            .unwrap_or_else(|e| panic!("bash did not start ({e})"));
        assert!(
            out.status.success(),
            "installing the linters into {} failed (they come from PyPI: Python 3 with venv and pip, \
             Debian: apt-get install python3-venv):\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        dir.join("bin")
    })
}

/// Runs a linter from the venv, with the venv first on PATH (actionlint
/// finds shellcheck there); insists that it passes and returns what it said.
#[track_caller]
fn lint(tool: &str, args: &[&str]) -> String {
    let bin = linters();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(bin.join(tool))
        .args(args)
        .current_dir(repo_root())
        .env("PATH", path)
        .output()
        .unwrap_or_else(|e| panic!("{tool} did not start ({e})"));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{tool} {args:?} failed:\n{said}");
    said
}

/// Every workflow file: this repository's and the two a content
/// repository copies.
fn workflows() -> Vec<String> {
    let mut files = Vec::new();
    for dir in [".github/workflows", "action/workflows"] {
        for entry in std::fs::read_dir(repo_root().join(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".yml") || name.ends_with(".yaml") {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_workflow_and_the_action_pass_actionlint_and_the_schemas() {
    let workflows = workflows();
    for expected in [
        ".github/workflows/pages.yml",
        ".github/workflows/release.yml",
        "action/workflows/publish.yml",
        "action/workflows/pull-request.yml",
    ] {
        assert!(
            workflows.iter().any(|w| w == expected),
            "{expected} missing"
        );
    }
    let files: Vec<&str> = workflows.iter().map(String::as_str).collect();
    eprintln!("{}", lint("actionlint", &["-version"]).trim());
    // actionlint reads action.yml too, through pages.yml's `uses: ./`: an
    // unknown key there or an undeclared input is an error here.
    let mut args = vec!["-shellcheck", "shellcheck", "-pyflakes", ""];
    args.extend(&files);
    lint("actionlint", &args);
    let mut args = vec!["--builtin-schema", "vendor.github-workflows"];
    args.extend(&files);
    eprintln!("{}", lint("check-jsonschema", &args).trim());
    eprintln!(
        "{}",
        lint(
            "check-jsonschema",
            &["--builtin-schema", "vendor.github-actions", "action.yml"]
        )
        .trim()
    );
    lint(
        "shellcheck",
        &[
            "action/install.sh",
            "action/build.sh",
            ".github/release/package.sh",
            "tests/lint/install.sh",
            ".ci/run",
        ],
    );
}

/// `uses: actions/NAME@vN` across every workflow and the action.
fn official_actions() -> Vec<(String, String, u32)> {
    let mut files = workflows();
    files.push("action.yml".into());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(repo_root().join(&file)).unwrap();
        for line in text.lines() {
            let Some(rest) = line
                .trim()
                .trim_start_matches("- ")
                .strip_prefix("uses: actions/")
            else {
                continue;
            };
            let (name, version) = rest.split_once('@').unwrap();
            let major = version.trim_start_matches('v').parse().unwrap_or_else(|_| {
                panic!("{file}: actions/{name}@{version}: pin a major version, e.g. @v5")
            });
            found.push((file.clone(), name.to_string(), major));
        }
    }
    found
}

#[test]
fn github_actions_are_used_at_their_current_major_versions() {
    // The first majors that run on Node 24, or later: runners are retiring
    // Node 20 (actionlint says so too).
    let current: BTreeMap<&str, u32> = [
        ("checkout", 7),
        ("cache", 6),
        ("upload-pages-artifact", 5),
        ("deploy-pages", 5),
        ("upload-artifact", 7),
        ("download-artifact", 8),
    ]
    .into();
    let used = official_actions();
    assert!(used.len() >= 8, "{used:?}");
    for (file, name, major) in used {
        let Some(&least) = current.get(name.as_str()) else {
            panic!("{file}: actions/{name} is not in this test's table: add its current major");
        };
        assert!(
            major >= least,
            "{file}: actions/{name}@v{major}; the current major is v{least}"
        );
    }
}

/// A scratch runner: a repository holding only a site's content (book.toml
/// and content/, from the `all-kinds` fixture), RUNNER_TEMP, and the files
/// a step writes its outputs and PATH additions to.
struct Runner {
    dir: tempfile::TempDir,
    os: &'static str,
    arch: &'static str,
}

impl Runner {
    fn new(os: &'static str, arch: &'static str) -> Runner {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["repo", "temp", "releases"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        copy_dir(&fixtures().join("all-kinds"), &dir.path().join("repo"));
        Runner { dir, os, arch }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `bash SCRIPT ARGS…` from the repository, as a composite action's
    /// step runs: GitHub's variables set, the outputs file emptied first.
    fn step(&self, script: &str, args: &[&str]) -> Step {
        self.step_with(script, args, &[])
    }

    /// [`Runner::step`] with more variables: the inputs action.yml passes.
    fn step_with(&self, script: &str, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Step {
        let output = self.path("github-output");
        std::fs::write(&output, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.arg(repo_root().join(script))
            .args(args)
            .current_dir(self.path("repo"))
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", self.path("repo"))
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", self.path("github-path"))
            .env("GITHUB_SERVER_URL", "https://github.invalid")
            .env("RUNNER_OS", self.os)
            .env("RUNNER_ARCH", self.arch)
            .env("RUNNER_TEMP", self.path("temp"))
            .env("PLAYBOOK_SOURCE", repo_root())
            .env(
                "PLAYBOOK_RELEASES_URL",
                format!("file://{}", self.path("releases").display()),
            )
            .env_remove("INPUT_VERSION")
            .env_remove("PLAYBOOK_CARGO");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let run = Run::from(cmd.output().unwrap());
        let outputs = std::fs::read_to_string(&output)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Step { run, outputs }
    }

    /// A release in releases/download/TAG/ with the archive for `target`
    /// holding `binary`, packed by the release workflow's own script.
    fn release(&self, tag: &str, target: &str, binary: &Path) -> PathBuf {
        let dir = if tag == "latest" {
            self.path("releases/latest/download")
        } else {
            self.path(&format!("releases/download/{tag}"))
        };
        let out = Command::new("bash")
            .arg(repo_root().join(".github/release/package.sh"))
            .arg(target)
            .arg(binary)
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "package.sh {target} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    }

    /// A stand-in binary that only says what it is: installing it needs
    /// no 80 MB archive per target.
    fn fake_binary(&self, says: &str) -> PathBuf {
        let path = self.path(&format!("fake-{}", says.replace(' ', "-")));
        std::fs::write(&path, format!("#!/bin/sh\necho '{says}'\n")).unwrap();
        make_executable(&path);
        path
    }
}

fn make_executable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// One step's run and the outputs it wrote to GITHUB_OUTPUT.
struct Step {
    run: Run,
    outputs: BTreeMap<String, String>,
}

impl Step {
    #[track_caller]
    fn output(&self, key: &str) -> &str {
        self.outputs
            .get(key)
            .map(String::as_str)
            .unwrap_or_else(|| {
                panic!(
                    "no output `{key}` in {:?}\n--- stdout\n{}--- stderr\n{}",
                    self.outputs, self.run.stdout, self.run.stderr
                )
            })
    }

    #[track_caller]
    fn ok(self) -> Step {
        assert_eq!(
            self.run.code,
            Some(0),
            "--- stdout\n{}--- stderr\n{}",
            self.run.stdout,
            self.run.stderr
        );
        self
    }
}

const VERSION_TAG: &str = concat!("v", env!("CARGO_PKG_VERSION"));

#[test]
fn the_installer_picks_the_release_archive_for_each_runner() {
    for (os, arch, target, exe) in [
        ("Linux", "X64", "x86_64-unknown-linux-musl", ""),
        ("Linux", "ARM64", "aarch64-unknown-linux-musl", ""),
        ("macOS", "X64", "x86_64-apple-darwin", ""),
        ("macOS", "ARM64", "aarch64-apple-darwin", ""),
        ("Windows", "X64", "x86_64-pc-windows-msvc", ".exe"),
    ] {
        let runner = Runner::new(os, arch);
        // Every archive is there; the installer must take its own.
        for (other, _) in [
            ("x86_64-unknown-linux-musl", ""),
            ("aarch64-unknown-linux-musl", ""),
            ("x86_64-apple-darwin", ""),
            ("aarch64-apple-darwin", ""),
            ("x86_64-pc-windows-msvc", ".exe"),
        ] {
            let fake = runner.fake_binary(&format!("playbook for {other}"));
            runner.release(VERSION_TAG, other, &fake);
        }
        let step = runner.step("action/install.sh", &["release"]).ok();
        let archive = if os == "Windows" { "zip" } else { "tar.gz" };
        assert_eq!(step.output("target"), target, "{os} {arch}");
        assert_eq!(step.output("asset"), format!("playbook-{target}.{archive}"));
        assert_eq!(step.output("installed"), "true");
        assert_eq!(step.output("version"), format!("playbook for {target}"));
        let bin = runner.path(&format!("temp/playbook/bin/playbook{exe}"));
        assert_eq!(Path::new(step.output("bin")), bin);
        assert!(bin.is_file());
        assert_eq!(
            std::fs::read_to_string(runner.path("github-path")).unwrap(),
            format!("{}\n", runner.path("temp/playbook/bin").display())
        );
        assert!(
            step.run.stdout.contains("SHA-256") && step.run.stdout.contains("as the release says"),
            "{}",
            step.run.stdout
        );
    }
}

/// A PATH without sha256sum, as on macOS: every program of /usr/bin and
/// /bin but that one, linked into a folder of the runner.
fn path_without_sha256sum(runner: &Runner) -> PathBuf {
    let dir = runner.path("bin-without-sha256sum");
    std::fs::create_dir(&dir).unwrap();
    for from in ["/usr/bin", "/bin"] {
        let Ok(entries) = std::fs::read_dir(from) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name == "sha256sum" || dir.join(&name).exists() {
                continue;
            }
            #[cfg(unix)]
            std::os::unix::fs::symlink(entry.path(), dir.join(&name)).unwrap();
        }
    }
    dir
}

#[test]
fn on_macos_the_checksum_is_checked_with_shasum() {
    if !Path::new("/usr/bin/shasum").exists() {
        panic!("shasum (Debian: perl) is needed to check the macOS path of action/install.sh");
    }
    let runner = Runner::new("macOS", "ARM64");
    let path = path_without_sha256sum(&runner);
    let env = [("PATH", path.as_os_str())];
    let found = Command::new("/bin/sh")
        .args(["-c", "command -v sha256sum"])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(!found.status.success(), "sha256sum is still on the PATH");
    let fake = runner.fake_binary("playbook on a mac");
    runner.release(VERSION_TAG, "aarch64-apple-darwin", &fake);
    let step = runner
        .step_with("action/install.sh", &["release"], &env)
        .ok();
    assert_eq!(step.output("version"), "playbook on a mac");
    // And a wrong digest is still caught.
    let sums = runner.path(&format!(
        "releases/download/{VERSION_TAG}/playbook-aarch64-apple-darwin.tar.gz.sha256"
    ));
    std::fs::write(
        &sums,
        format!("{}  playbook-aarch64-apple-darwin.tar.gz\n", "0".repeat(64)),
    )
    .unwrap();
    let step = runner.step_with("action/install.sh", &["release"], &env);
    assert_eq!(step.run.code, Some(1), "{}", step.run.stdout);
}

#[test]
fn the_version_input_chooses_the_release() {
    let runner = Runner::new("Linux", "X64");
    let target = "x86_64-unknown-linux-musl";
    for tag in [VERSION_TAG, "v1.2.3", "v2.0.0-rc.1", "latest"] {
        let fake = runner.fake_binary(&format!("playbook {tag}"));
        runner.release(tag, target, &fake);
    }
    for (input, says) in [
        // Empty: the version of the action's own Cargo.toml.
        ("", format!("playbook {VERSION_TAG}")),
        ("1.2.3", "playbook v1.2.3".to_string()),
        ("v1.2.3", "playbook v1.2.3".to_string()),
        ("2.0.0-rc.1", "playbook v2.0.0-rc.1".to_string()),
        ("latest", "playbook latest".to_string()),
    ] {
        let step = runner
            .step_with(
                "action/install.sh",
                &["release"],
                &[("INPUT_VERSION", input.as_ref())],
            )
            .ok();
        assert_eq!(step.output("version"), says, "version: {input:?}");
    }
    // `source` skips the release; anything else that is not a version is refused.
    let step = runner
        .step_with(
            "action/install.sh",
            &["release"],
            &[("INPUT_VERSION", "source".as_ref())],
        )
        .ok();
    assert_eq!(step.output("installed"), "false");
    let step = runner.step_with(
        "action/install.sh",
        &["release"],
        &[("INPUT_VERSION", "1.2; rm -rf /".as_ref())],
    );
    assert_eq!(step.run.code, Some(1));
    assert!(
        step.run
            .stdout
            .contains("::error title=playbook install::version \"1.2; rm -rf /\" is not a release"),
        "{}",
        step.run.stdout
    );
}

#[test]
fn an_archive_whose_checksum_differs_or_is_missing_is_never_run() {
    let runner = Runner::new("Linux", "X64");
    let fake = runner.fake_binary("playbook tampered");
    let dir = runner.release(VERSION_TAG, "x86_64-unknown-linux-musl", &fake);
    let sums = dir.join("playbook-x86_64-unknown-linux-musl.tar.gz.sha256");
    let good = std::fs::read_to_string(&sums).unwrap();
    let flipped: String = good
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                if c == '0' {
                    '1'
                } else {
                    '0'
                }
            } else {
                c
            }
        })
        .collect();
    std::fs::write(&sums, flipped).unwrap();
    let step = runner.step("action/install.sh", &["release"]);
    assert_eq!(step.run.code, Some(1), "{}", step.run.stdout);
    assert!(
        step.run.stdout.contains("::error title=playbook install::playbook-x86_64-unknown-linux-musl.tar.gz from file://")
            && step.run.stdout.contains("refusing to run it"),
        "{}",
        step.run.stdout
    );
    assert!(!runner.path("temp/playbook/bin/playbook").exists());
    // No checksum at all: refused too, never built around.
    std::fs::remove_file(&sums).unwrap();
    let step = runner.step("action/install.sh", &["release"]);
    assert_eq!(step.run.code, Some(1), "{}", step.run.stdout);
    assert!(
        step.run
            .stdout
            .contains("refusing to run an unverified binary"),
        "{}",
        step.run.stdout
    );
    assert!(!step.outputs.contains_key("installed"));
}

/// A stand-in for cargo: logs its arguments and "installs" the binary the
/// suite built into `--root`, so the fallback runs in milliseconds.
fn fake_cargo(runner: &Runner) -> PathBuf {
    let path = runner.path("fake-cargo");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\n\
             echo \"$@\" >>'{log}'\n\
             root=''; prev=''\n\
             for a in \"$@\"; do [ \"$prev\" = --root ] && root=\"$a\"; prev=\"$a\"; done\n\
             mkdir -p \"$root/bin\" && cp '{bin}' \"$root/bin/playbook\"\n",
            log = runner.path("cargo.log").display(),
            bin = BIN,
        ),
    )
    .unwrap();
    make_executable(&path);
    path
}

#[test]
fn without_a_release_binary_it_builds_from_source_once_then_reuses_the_cache() {
    for (os, arch, why) in [
        // No release at all (the releases folder is empty).
        ("Linux", "X64", "no release archive at file://"),
        // A runner the releases have no binary for.
        (
            "Linux",
            "X86",
            "playbook's releases have no binary for Linux on X86",
        ),
        (
            "Windows",
            "ARM64",
            "playbook's releases have no binary for Windows on ARM64",
        ),
    ] {
        let runner = Runner::new(os, arch);
        let release = runner.step("action/install.sh", &["release"]).ok();
        assert_eq!(release.output("installed"), "false", "{os} {arch}");
        assert!(
            release
                .run
                .stdout
                .contains("::notice title=playbook install::")
                && release.run.stdout.contains(why),
            "{}",
            release.run.stdout
        );
        let root = release.output("cargo-root").to_string();
        assert_eq!(Path::new(&root), runner.path("temp/playbook-cargo"));
        // The cache key names the runner and the digest of the sources built.
        let key = release.output("cache-key").to_string();
        let digest = key
            .strip_prefix(&format!("playbook-{os}-{arch}-"))
            .unwrap_or_else(|| panic!("{key}"));
        assert!(
            digest.len() == 16 && digest.chars().all(|c| c.is_ascii_hexdigit()),
            "{key}"
        );

        let cargo = fake_cargo(&runner);
        let env = [
            ("PLAYBOOK_CARGO", cargo.as_os_str()),
            ("PLAYBOOK_CARGO_ROOT", root.as_ref()),
        ];
        let exe = if os == "Windows" { ".exe" } else { "" };
        if exe.is_empty() {
            let source = runner
                .step_with("action/install.sh", &["source"], &env)
                .ok();
            assert_eq!(
                std::fs::read_to_string(runner.path("cargo.log")).unwrap(),
                format!(
                    "install --locked --force --path {} --root {root}\n",
                    repo_root().display()
                )
            );
            let bin = format!("{root}/bin/playbook");
            assert_eq!(source.output("bin"), bin);
            assert!(
                source.output("version").starts_with("playbook "),
                "{:?}",
                source.outputs
            );
            assert!(source.output("source").starts_with("cargo install of "));
            // The next run finds the cached build and does not compile.
            let again = runner
                .step_with("action/install.sh", &["source"], &env)
                .ok();
            assert_eq!(again.output("source"), "the cache of an earlier build");
            assert_eq!(
                std::fs::read_to_string(runner.path("cargo.log"))
                    .unwrap()
                    .lines()
                    .count(),
                1
            );
        }
    }
    // The same sources, the same key, whichever runner asks.
    let keys: Vec<String> = [Runner::new("Linux", "X86"), Runner::new("Linux", "X86")]
        .iter()
        .map(|r| {
            r.step("action/install.sh", &["release"])
                .output("cache-key")
                .to_string()
        })
        .collect();
    assert_eq!(keys[0], keys[1]);
}

#[test]
fn with_no_cargo_the_fallback_says_what_to_install() {
    let runner = Runner::new("Linux", "X86");
    let step = runner.step_with(
        "action/install.sh",
        &["source"],
        &[("PLAYBOOK_CARGO", "no-such-cargo".as_ref())],
    );
    assert_eq!(step.run.code, Some(1));
    assert!(
        step.run.stdout.contains("::error title=playbook install::no release binary for Linux on X86, and no cargo to build one"),
        "{}",
        step.run.stdout
    );
}

#[test]
fn the_action_builds_a_content_repository_into_the_folder_the_upload_takes() {
    // The release archive of this very binary, packed as the release
    // workflow packs it, installed as the action installs it.
    let runner = Runner::new("Linux", "X64");
    runner.release(VERSION_TAG, "x86_64-unknown-linux-musl", Path::new(BIN));
    let install = runner.step("action/install.sh", &["release"]).ok();
    let bin = install.output("bin").to_string();
    assert_eq!(
        install.output("version"),
        String::from_utf8(Command::new(BIN).arg("--version").output().unwrap().stdout)
            .unwrap()
            .trim_end()
    );
    let env = [("PLAYBOOK_BIN", bin.as_ref())];
    let build = runner.step_with("action/build.sh", &[], &env).ok();
    assert_eq!(build.output("dir"), "_site");
    let site = runner.path("repo/_site");
    for page in [
        "index.html",
        "cases/open-case.html",
        "patterns/index.html",
        "404.html",
    ] {
        assert!(site.join(page).is_file(), "_site/{page} missing");
    }
    assert!(
        build.run.stderr.contains("output _site: 13 pages"),
        "{}",
        build.run.stderr
    );
    // A repository whose site sits in a folder, built somewhere else, with drafts.
    std::fs::rename(
        runner.path("repo/content"),
        runner.path("repo/docs-content"),
    )
    .unwrap();
    std::fs::create_dir(runner.path("repo/docs")).unwrap();
    std::fs::rename(
        runner.path("repo/docs-content"),
        runner.path("repo/docs/content"),
    )
    .unwrap();
    std::fs::rename(
        runner.path("repo/book.toml"),
        runner.path("repo/docs/book.toml"),
    )
    .unwrap();
    let env = [
        ("PLAYBOOK_BIN", bin.as_ref()),
        ("INPUT_PATH", "docs".as_ref()),
        ("INPUT_OUTPUT_DIR", "build/site".as_ref()),
        ("INPUT_DRAFTS", "true".as_ref()),
        ("INPUT_CHECK", "false".as_ref()),
    ];
    let build = runner.step_with("action/build.sh", &[], &env).ok();
    assert_eq!(build.output("dir"), "build/site");
    assert!(runner.path("repo/build/site/index.html").is_file());
    assert!(
        !build.run.stderr.contains("output build/site"),
        "check ran:\n{}",
        build.run.stderr
    );
    // A broken page fails the step with an annotation on its line.
    std::fs::write(
        runner.path("repo/docs/content/cases/open-case.md"),
        "---\ntitle: Open case\nsummary: S.\nverdict: maybe\n---\n",
    )
    .unwrap();
    let build = runner.step_with("action/build.sh", &[], &env);
    assert_eq!(build.run.code, Some(1));
    assert_eq!(
        build.run.stdout.lines().collect::<Vec<_>>(),
        ["::error file=docs/content/cases/open-case.md,line=4,col=10,title=playbook build::unknown verdict \"maybe\"%0Ahint: a case's verdict is `open` or `closed`; hybrid strategies live in hybrids/"]
    );
    assert!(!build.outputs.contains_key("dir"));
    // No book.toml where `path` says: told what to set.
    let env = [
        ("PLAYBOOK_BIN", bin.as_ref()),
        ("INPUT_PATH", "nowhere".as_ref()),
    ];
    let build = runner.step_with("action/build.sh", &[], &env);
    assert_eq!(build.run.code, Some(1));
    assert!(
        build
            .run
            .stdout
            .contains("::error title=playbook build::no book.toml in nowhere"),
        "{}",
        build.run.stdout
    );
    // An input that is neither true nor false.
    let env = [
        ("PLAYBOOK_BIN", bin.as_ref()),
        ("INPUT_CHECK", "yes".as_ref()),
    ];
    let build = runner.step_with("action/build.sh", &[], &env);
    assert_eq!(build.run.code, Some(1));
    assert!(
        build
            .run
            .stdout
            .contains("the input `check` is \"yes\"; it takes true or false"),
        "{}",
        build.run.stdout
    );
}

/// action.yml, parsed.
fn action() -> serde_yaml::Value {
    serde_yaml::from_str(&std::fs::read_to_string(repo_root().join("action.yml")).unwrap()).unwrap()
}

#[test]
fn action_yml_wires_its_inputs_and_outputs_to_the_scripts() {
    let action = action();
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let step = |id: &str| {
        steps
            .iter()
            .find(|s| s["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no step `{id}` in action.yml"))
    };
    assert_eq!(action["runs"]["using"], "composite");
    assert_eq!(
        step("release")["run"],
        "bash \"$GITHUB_ACTION_PATH/action/install.sh\" release"
    );
    assert_eq!(
        step("source")["run"],
        "bash \"$GITHUB_ACTION_PATH/action/install.sh\" source"
    );
    assert_eq!(
        step("build")["run"],
        "bash \"$GITHUB_ACTION_PATH/action/build.sh\""
    );
    assert_eq!(
        step("source")["if"],
        "steps.release.outputs.installed != 'true'"
    );
    // The cache sits between the two installs, on the folder cargo installs into.
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .unwrap();
    assert_eq!(
        cache["with"]["path"],
        "${{ steps.release.outputs.cargo-root }}"
    );
    assert_eq!(
        cache["with"]["key"],
        "${{ steps.release.outputs.cache-key }}"
    );
    assert_eq!(
        step("source")["env"]["PLAYBOOK_CARGO_ROOT"],
        "${{ steps.release.outputs.cargo-root }}"
    );
    // The build takes whichever binary was installed, and the upload what was built.
    assert_eq!(
        step("build")["env"]["PLAYBOOK_BIN"],
        "${{ steps.release.outputs.bin || steps.source.outputs.bin }}"
    );
    let upload = step("upload");
    assert!(upload["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/upload-pages-artifact@"));
    assert_eq!(upload["with"]["path"], "${{ steps.build.outputs.dir }}");
    assert_eq!(upload["if"], "inputs.upload == 'true'");
    // Every input reaches a script under the name the script reads.
    let build_sh = std::fs::read_to_string(repo_root().join("action/build.sh")).unwrap();
    let install_sh = std::fs::read_to_string(repo_root().join("action/install.sh")).unwrap();
    let inputs = action["inputs"].as_mapping().unwrap();
    for (name, _) in inputs {
        let name = name.as_str().unwrap();
        let expr = format!("${{{{ inputs.{name} }}}}");
        let passed: Vec<(&str, &str)> = steps
            .iter()
            .filter_map(|s| s["env"].as_mapping())
            .flat_map(|env| env.iter())
            .filter(|(_, v)| v.as_str() == Some(expr.as_str()))
            .map(|(k, v)| (k.as_str().unwrap(), v.as_str().unwrap()))
            .collect();
        let used_directly = steps.iter().any(|s| {
            s["if"]
                .as_str()
                .is_some_and(|c| c.contains(&format!("inputs.{name}")))
                || s["with"]
                    .as_mapping()
                    .is_some_and(|w| w.values().any(|v| v.as_str() == Some(expr.as_str())))
        });
        assert!(
            !passed.is_empty() || used_directly,
            "input `{name}` is not used"
        );
        for (var, _) in passed {
            assert!(
                build_sh.contains(&format!("${{{var}"))
                    || install_sh.contains(&format!("${{{var}")),
                "input `{name}` is passed as {var}, which no script reads"
            );
        }
    }
    // What `version: ''` means is what the installer does.
    let version = inputs.get("version").unwrap()["default"].as_str().unwrap();
    assert_eq!(version, "");
}

#[test]
fn the_readme_shows_the_content_repository_workflows_as_they_are() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    for file in [
        "action/workflows/publish.yml",
        "action/workflows/pull-request.yml",
    ] {
        let workflow = std::fs::read_to_string(repo_root().join(file)).unwrap();
        assert!(
            readme.contains(&format!("```yaml\n{workflow}```")),
            "README.md does not show {file} exactly as it is:\n{workflow}"
        );
    }
    let publish =
        std::fs::read_to_string(repo_root().join("action/workflows/publish.yml")).unwrap();
    // About fifteen lines, with what deploy-pages needs.
    assert!(publish.lines().count() <= 20, "{publish}");
    for needle in [
        "pages: write",
        "id-token: write",
        "name: github-pages",
        "uses: OWNER/playbook@v1",
        "uses: actions/deploy-pages@",
    ] {
        assert!(publish.contains(needle), "{needle} not in publish.yml");
    }
    let check =
        std::fs::read_to_string(repo_root().join("action/workflows/pull-request.yml")).unwrap();
    assert!(check.contains("on: pull_request") && check.contains("upload: false"));
    assert!(!check.contains("deploy-pages") && !check.contains("pages: write"));
}

#[test]
fn the_release_is_looked_up_in_the_actions_own_repository() {
    // Where a runner unpacks `uses: acme/playbook@v1`; its steps are not
    // always told github.action_repository, so the path says it.
    let runner = Runner::new("Linux", "ARM64");
    let action = runner.path("runner/_actions/acme/playbook/v1");
    std::fs::create_dir_all(&action).unwrap();
    std::fs::copy(repo_root().join("Cargo.toml"), action.join("Cargo.toml")).unwrap();
    let server = runner.path("server");
    let fake = runner.fake_binary("playbook from acme");
    let out = Command::new("bash")
        .arg(repo_root().join(".github/release/package.sh"))
        .arg("aarch64-unknown-linux-musl")
        .arg(&fake)
        .arg(server.join(format!("acme/playbook/releases/download/{VERSION_TAG}")))
        .output()
        .unwrap();
    assert!(out.status.success());
    let server_url = format!("file://{}", server.display());
    let step = runner
        .step_with(
            "action/install.sh",
            &["release"],
            &[
                ("PLAYBOOK_SOURCE", action.as_os_str()),
                ("PLAYBOOK_RELEASES_URL", "".as_ref()),
                ("GITHUB_SERVER_URL", server_url.as_ref()),
            ],
        )
        .ok();
    assert_eq!(step.output("version"), "playbook from acme");
    // Told outright, the variable wins over the path.
    let step = runner.step_with(
        "action/install.sh",
        &["release"],
        &[
            ("PLAYBOOK_SOURCE", action.as_os_str()),
            ("PLAYBOOK_RELEASES_URL", "".as_ref()),
            ("GITHUB_SERVER_URL", server_url.as_ref()),
            ("PLAYBOOK_REPOSITORY", "someone/else".as_ref()),
        ],
    );
    assert_eq!(step.output("installed"), "false");
    assert!(
        step.run.stdout.contains("/someone/else/releases/download/"),
        "{}",
        step.run.stdout
    );
}
