//! The integration suite: one binary, so the linker runs once.

// Test code may unwrap (clippy.toml allows it in #[test] functions; this extends
// it to the helpers, whose panics are the test failures).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod build;
mod default_playbook;
mod errors;
mod output_safety;
mod search;
mod site_test;
