//! `playbook check`: the content as a build would see it ([`crate::compile`]),
//! then the built output crawled as a browser would follow it ([`crawl`]).
//! The command line prints the [`Report`]; nothing here writes.

pub mod crawl;

use std::path::PathBuf;

use crate::config::Config;
use crate::{Compiled, Failure, Options};

/// What `check` found.
pub struct Report {
    /// The content, compiled in memory: everything `build` checks.
    pub content: Result<Compiled, Failure>,
    pub output: Output,
}

/// The built output folder, as far as it was found.
pub enum Output {
    /// Crawled: every page's references judged.
    Crawled { dir: PathBuf, report: crawl::Report },
    /// Named with `--output`, but not a folder.
    Missing(PathBuf),
    /// No `--output`, and book.toml's output folder is not built yet.
    NotBuilt,
}

impl Report {
    /// Whether `check` passes: the content compiles and the output, if
    /// there is one, has pages and no problem.
    pub fn ok(&self) -> bool {
        self.content.is_ok()
            && match &self.output {
                Output::Crawled { report, .. } => report.problems.is_empty() && report.pages > 0,
                Output::Missing(_) => false,
                Output::NotBuilt => true,
            }
    }
}

/// Checks the content of the site `options` names, then the built output:
/// `output` if given, else book.toml's output folder if it exists.
pub fn run(options: &Options, output: Option<PathBuf>) -> Report {
    let content = crate::compile(options);
    let out = output.or_else(|| {
        let config = Config::load(&options.root).ok()?;
        let out = crate::output_dir(options, &config);
        out.is_dir().then_some(out)
    });
    let output = match out {
        Some(dir) if dir.is_dir() => {
            let report = crawl::check(&dir);
            Output::Crawled { dir, report }
        }
        Some(dir) => Output::Missing(dir),
        None => Output::NotBuilt,
    };
    Report { content, output }
}
