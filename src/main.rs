//! The `playbook` command: parse arguments, run the library, print diagnostics,
//! set the exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use playbook::check::Output;
use playbook::{Failure, Options};

// A build allocates millions of short strings from two threads at once;
// glibc's allocator spent about a tenth of the build in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints diagnostics and the closing line; the exit code says whether any were found.
fn report_problems(diags: &[playbook::diagnostics::Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
    eprintln!(
        "error: {} problem{} found; nothing was written",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    );
}

/// `check`: the content as `build` would see it, then the built output, if any.
fn check(args: cli::CheckArgs) -> ExitCode {
    let options = Options {
        root: args.site.dir,
        out: None,
        drafts: args.site.drafts,
    };
    let report = playbook::check::run(&options, args.output);
    match &report.content {
        Ok(compiled) => {
            if let Some(tree) = &compiled.tree {
                eprintln!("{}", tree.stats);
            }
            eprintln!(
                "content: {} pages, no problems found",
                compiled.output.pages
            );
        }
        Err(Failure(diags)) => report_problems(diags),
    }
    match &report.output {
        Output::Crawled { dir, report: r } => {
            for p in &r.problems {
                println!("{}", p.diagnostic(dir));
            }
            eprintln!(
                "output {}: {} pages, {} links ({} external, not followed): {} problem{}",
                dir.display(),
                r.pages,
                r.links,
                r.external,
                r.problems.len(),
                if r.problems.len() == 1 { "" } else { "s" }
            );
            if r.pages == 0 {
                eprintln!("{}: error: no HTML pages here\n  hint: is this a built site? Run `playbook build` first", dir.display());
            }
        }
        Output::Missing(dir) => eprintln!(
            "{}: error: no such folder\n  hint: build the site first with `playbook build`",
            dir.display()
        ),
        Output::NotBuilt => eprintln!(
            "no built output to check yet; run `playbook build`, then `playbook check` again"
        ),
    }
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

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
                if let Some(tree) = &compiled.tree {
                    eprintln!("{}", tree.stats);
                }
                eprintln!(
                    "built {} pages in {} ms → {}",
                    compiled.output.pages,
                    compiled.elapsed.as_millis(),
                    out.display()
                );
            })
        }
        Command::Check(args) => return check(args),
        Command::New(args) => playbook::scaffold::new_site(&args.dir, args.kit)
            .map(|_| {
                let dir = args.dir.display();
                eprintln!("created a new playbook in {dir}\n  next: cd {dir} && playbook build, then open public/index.html");
            })
            .map_err(Failure::from),
        Command::Watch(args) => return watch(args),
        Command::Schema(args) => {
            playbook::write_schemas(&args.dir, args.out.as_deref(), !args.no_ids).map(|report| {
                for path in &report.written {
                    eprintln!("wrote {}", path.display());
                }
                let remark = playbook::json_schema::remark_config(&report.files, &report.dir_from_root);
                eprintln!(
                    "editors: `playbook schema > .remarkrc.json` saves the remark configuration printed below; then\n  \
                     npm install --save-dev remark-frontmatter remark-lint-frontmatter-schema\n  \
                     code --install-extension unifiedjs.vscode-remark\n\
                     and VS Code checks each page's front matter as you type (see docs/authoring.md, \"Editor support\")"
                );
                println!("{}", serde_json::to_string_pretty(&remark).unwrap_or_default());
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(diags)) => {
            report_problems(&diags);
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
