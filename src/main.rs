//! The `playbook` command: parse arguments, run the library, print diagnostics,
//! set the exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use playbook::{Failure, Options};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => {
            let options = Options {
                root: args.site.dir,
                out: args.out,
                drafts: args.site.drafts,
            };
            playbook::build(&options).map(|(compiled, out)| {
                eprintln!(
                    "built {} pages in {} ms → {}",
                    compiled.output.pages,
                    compiled.elapsed.as_millis(),
                    out.display()
                );
            })
        }
        Command::Watch(args) => return watch(args),
        Command::Check(args) => {
            let options = Options {
                root: args.dir,
                out: None,
                drafts: args.drafts,
            };
            playbook::check(&options).map(|compiled| {
                eprintln!("ok: {} pages, no problems found", compiled.output.pages);
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(diags)) => {
            for d in &diags {
                eprintln!("{d}");
            }
            eprintln!(
                "error: {} problem{} found; nothing was written",
                diags.len(),
                if diags.len() == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}

/// Runs until Ctrl-C; returns only if the preview cannot start.
fn watch(args: cli::WatchArgs) -> ExitCode {
    let options = playbook::watch::WatchOptions {
        build: Options {
            root: args.site.dir,
            out: None,
            drafts: args.site.drafts,
        },
        port: args.port,
        bind: args.bind,
        open: args.open,
        poll: args.poll,
    };
    match playbook::watch::run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
