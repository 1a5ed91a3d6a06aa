//! The integration suite: one binary, so the linker runs once.

mod build;
mod default_playbook;
mod errors;
mod output_safety;
mod site_test;
mod watch;
