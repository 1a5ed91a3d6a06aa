//! The integration suite: one binary, so the linker runs once.

// In tests a panic is how a check fails, so unwrap is the honest choice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod action;
mod assets;
mod authoring_guide;
mod broken;
mod browser;
mod browser_decide;
mod browser_watch;
mod build;
mod decision_tree;
mod default_playbook;
mod drafts_order;
mod fuzz;
mod hostile;
mod incremental;
mod judges;
mod message_format;
mod model;
mod offline;
mod output_safety;
mod preview_limits;
mod print;
mod publish;
mod release;
mod reliability;
mod scaffold;
mod schema;
mod search;
mod search_parity;
mod site_test;
mod streaming;
mod theme;
mod tree_map;
mod watch;
