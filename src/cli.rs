//! Command-line arguments.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// `playbook --version`: the version and the commit it was built from
/// (see build.rs), e.g. `playbook 0.1.0 (8e34771 2026-12-01)`.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("PLAYBOOK_COMMIT"),
    ")"
);

#[derive(Debug, Parser)]
#[command(name = "playbook", version = VERSION, about = "Build a cross-linked strategy playbook from Markdown", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// How to print problems: `human` (`path:line:col: error:` and a hint, on
    /// stderr), `github` (workflow commands that annotate the pull request's
    /// lines; the default when GITHUB_ACTIONS=true) or `json` (one object per
    /// line, on stdout)
    #[arg(long, value_enum, global = true, value_name = "FORMAT")]
    pub message_format: Option<playbook::message_format::MessageFormat>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (default: public/)
    Build(BuildArgs),
    /// Check the content, links and theme, then the built output folder's links
    Check(CheckArgs),
    /// Serve a live preview that rebuilds and reloads on every change (writes nothing)
    Watch(WatchArgs),
    /// Create a new site to start from in DIR (which must be new or empty)
    New(NewArgs),
    /// Write a JSON Schema per kind of page, so editors check front matter as you type
    Schema(SchemaArgs),
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder, holding book.toml
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Include pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Write the site here instead of book.toml's `output-dir`
    #[arg(short, long, value_name = "OUT")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The built site to check (default: book.toml's `output-dir`, if it exists)
    #[arg(long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to serve on [default: 3000, or the next free one; 0 for any free port]
    #[arg(short, long)]
    pub port: Option<u16>,
    /// Address to listen on; anything but loopback shows the preview to your network
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the preview in the default browser
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of using file-system events (for network or container mounts)
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create the site in
    pub dir: PathBuf,
    /// The playbook to start from
    #[arg(long, value_enum, default_value_t)]
    pub kit: playbook::scaffold::Kit,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The site folder, holding book.toml
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write the schemas here (default: schemas/ in the site folder)
    #[arg(short, long, value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// Accept any id in references, instead of listing the pages there are now
    #[arg(long)]
    pub no_ids: bool,
}
