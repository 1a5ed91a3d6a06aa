//! The `playbook` command: parse arguments, run the library, print diagnostics,
//! set the exit code.

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use playbook::check::Output;
use playbook::message_format::{Line, MessageFormat, Reporter, Stream};
use playbook::{Failure, Options};

// A build allocates millions of short strings from two threads at once;
// glibc's allocator spent about a tenth of the build in malloc and free.
// Built without transparent huge pages (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints one line to the stream it belongs on.
fn print(line: Line) {
    match line.stream {
        Stream::Stdout => println!("{}", line.text),
        Stream::Stderr => eprintln!("{}", line.text),
    }
}

/// Prints diagnostics in the chosen format, then the closing line (always
/// on stderr, for the person reading the log); the exit code says whether
/// any were found.
fn report_problems(reporter: &Reporter, diags: &[playbook::diagnostics::Diagnostic]) {
    for d in diags {
        print(reporter.diagnostic(d));
    }
    eprintln!(
        "error: {} problem{} found; nothing was written",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    );
}

/// `check`: the content as `build` would see it, then the built output, if any.
fn check(args: cli::CheckArgs, reporter: &Reporter) -> ExitCode {
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
        Err(Failure(diags)) => report_problems(reporter, diags),
    }
    match &report.output {
        Output::Crawled { dir, report: r } => {
            for p in &r.problems {
                print(reporter.link(dir, p));
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
                print(reporter.output(
                    dir,
                    "no HTML pages here",
                    "is this a built site? Run `playbook build` first",
                ));
            }
        }
        Output::Missing(dir) => print(reporter.output(
            dir,
            "no such folder",
            "build the site first with `playbook build`",
        )),
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

/// The command's name, for annotation titles, and the folder its
/// diagnostics' paths are relative to.
fn command_and_site(command: &Command) -> (&'static str, &Path) {
    match command {
        Command::Build(a) => ("build", &a.site.dir),
        Command::Check(a) => ("check", &a.site.dir),
        Command::Watch(a) => ("watch", &a.site.dir),
        Command::New(a) => ("new", &a.dir),
        Command::Schema(a) => ("schema", &a.dir),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = cli
        .message_format
        .unwrap_or_else(|| MessageFormat::detect(std::env::var("GITHUB_ACTIONS").ok().as_deref()));
    let (name, site) = command_and_site(&cli.command);
    let workspace = std::env::var_os("GITHUB_WORKSPACE").map(PathBuf::from);
    let reporter = Reporter::new(
        format,
        name,
        site,
        &std::env::current_dir().unwrap_or_default(),
        workspace.as_deref(),
    );
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
        Command::Check(args) => return check(args, &reporter),
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
            report_problems(&reporter, &diags);
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
