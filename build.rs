//! Bakes the commit the binary is built from into `playbook --version`:
//! `PLAYBOOK_BUILD_COMMIT` if set (a packager who knows it), else git's
//! answer for this folder, else "commit unknown" (a source archive, a crate
//! download, an action checkout without `.git`): never a failed build.

#[path = "src/build_info.rs"]
mod build_info;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/build_info.rs");
    println!("cargo:rerun-if-env-changed=PLAYBOOK_BUILD_COMMIT");
    let dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    for file in build_info::watched_files(&dir) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let commit = std::env::var("PLAYBOOK_BUILD_COMMIT")
        .ok()
        .and_then(|c| c.lines().next().map(|l| l.trim().to_string()))
        .filter(|c| !c.is_empty())
        .or_else(|| build_info::commit(&dir))
        .unwrap_or_else(|| "commit unknown".to_string());
    println!("cargo:rustc-env=PLAYBOOK_COMMIT={commit}");
}
