//! playbook: a static-site generator for strategy playbooks.
//!
//! The modules are the pipeline, in order:
//! config → load → validate (and the decision tree) → render (with search)
//! → write. `check` crawls a built output; `watch` serves the render from
//! memory. docs/architecture.md draws the whole house.

// The stages, in the order a build runs them.
pub mod config;
pub mod decision_tree;
pub mod load;
pub mod render;
pub mod search;
pub mod validate;
pub mod write;

// The commands built on them.
pub mod check;
pub mod scaffold;
pub mod watch;

// What several stages share.
pub mod diagnostics;
pub mod escape;
pub mod incremental;
pub mod json_schema;
pub mod message_format;
pub mod model;
pub mod output;
pub mod read;
pub mod refs;
pub mod timing;
pub mod urls;

// build.rs's commit lookup, compiled here only so its tests run.
#[cfg(test)]
mod build_info;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use config::Config;
use diagnostics::Diagnostic;
use model::Site;
use output::Output;

/// A failed run: every problem found, in the order found.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) found", .0.len())]
pub struct Failure(pub Vec<Diagnostic>);

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(d: Vec<Diagnostic>) -> Self {
        Failure(d)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The folder holding book.toml.
    pub root: PathBuf,
    /// Overrides `output-dir` from book.toml.
    pub out: Option<PathBuf>,
    /// Keep `draft: true` pages.
    pub drafts: bool,
}

/// A site compiled in memory, ready to write or serve.
pub struct Compiled {
    pub site: Site,
    pub tree: Option<model::Tree>,
    pub output: Output,
    pub elapsed: Duration,
}

/// What `watch` keeps from one rebuild to the next, so a rebuild parses and
/// renders only what the change affects (see [`render::cache`]).
#[derive(Default)]
pub struct Incremental {
    load: load::Cache,
    pub validate: validate::Cache,
    /// The compiled theme, reused while its files are unchanged.
    theme: Option<std::sync::Arc<render::templates::Theme>>,
    pub render: render::Cache,
}

impl Incremental {
    /// Makes the next compile read `paths` (files or folders) again, whatever
    /// their timestamps say: `watch` passes every path its events name.
    pub fn forget<'a>(&mut self, paths: impl IntoIterator<Item = &'a Path>) {
        self.load.forget(paths);
    }

    /// Hands back the site of the last compile, once it has been used: the
    /// next compile may start from it (see [`validate::Cache`]) instead of
    /// checking every page again.
    pub fn keep_site(&mut self, site: Site) {
        self.validate.keep_site(site);
    }
}

/// config → load → validate → render, with no disk writes.
pub fn compile(options: &Options) -> Result<Compiled, Failure> {
    compile_with(options, None)
}

/// [`compile`], reusing what `cache` kept from the last compile whose inputs
/// are unchanged. The result is the same as [`compile`]'s, byte for byte.
pub fn compile_with(
    options: &Options,
    cache: Option<&mut Incremental>,
) -> Result<Compiled, Failure> {
    compile_into(options, cache, None)
}

/// [`compile_with`], handing each file to `sink` as soon as it is made.
fn compile_into(
    options: &Options,
    mut cache: Option<&mut Incremental>,
    sink: Option<&dyn output::Sink>,
) -> Result<Compiled, Failure> {
    let start = Instant::now();
    let mut timer = timing::Timer::new();
    let config = Config::load(&options.root)?;
    let theme = load_theme(&config, cache.as_deref_mut());
    timer.mark("config+theme");
    let (loaded, mut diags) = load::load(&config, cache.as_deref_mut().map(|c| &mut c.load));
    timer.mark("load");
    let (site, validate_diags) = validate::validate_with(
        config,
        loaded,
        options.drafts,
        cache.as_deref_mut().map(|c| &mut c.validate),
    );
    timer.mark("validate");
    diags.extend(validate_diags);
    let tree = match &site.tree {
        Some(source) => {
            let (tree, tree_diags) = decision_tree::build(source, &site);
            diags.extend(tree_diags);
            tree
        }
        None => None,
    };
    let theme = match theme {
        Ok(theme) => theme,
        Err(theme_diags) => {
            diags.extend(theme_diags);
            return Err(Failure(diags));
        }
    };
    if !diags.is_empty() {
        return Err(Failure(diags));
    }
    timer.mark("tree");
    let mut site = site;
    let output = render::render(
        &mut site,
        tree.as_ref(),
        &theme,
        cache.map(|c| &mut c.render),
        sink,
    )?;
    Ok(Compiled {
        site,
        tree,
        output,
        elapsed: start.elapsed(),
    })
}

/// The site's theme, compiled, or taken from `cache` if its files are the same.
fn load_theme(
    config: &Config,
    cache: Option<&mut Incremental>,
) -> Result<std::sync::Arc<render::templates::Theme>, Vec<Diagnostic>> {
    use render::templates::Theme;
    let sources = Theme::read(config)?;
    let Some(cache) = cache else {
        return Theme::compile(sources).map(std::sync::Arc::new);
    };
    if let Some(theme) = cache
        .theme
        .as_ref()
        .filter(|t| t.fingerprint == sources.fingerprint)
    {
        return Ok(theme.clone());
    }
    let theme = std::sync::Arc::new(Theme::compile(sources)?);
    cache.theme = Some(theme.clone());
    Ok(theme)
}

/// Where the output goes: `--out` if given, else book.toml's `output-dir`.
pub fn output_dir(options: &Options, config: &Config) -> PathBuf {
    options
        .out
        .clone()
        .unwrap_or_else(|| config.output_dir.clone())
}

/// Builds the site into its output folder. To keep memory low, the returned
/// site's pages no longer hold their Markdown source (`body` is empty): it
/// is freed as each page is rendered. [`compile`] keeps it.
pub fn build(options: &Options) -> Result<(Compiled, PathBuf), Failure> {
    let start = Instant::now();
    // Refuse a dangerous output folder before spending time on the build.
    let config = Config::load(&options.root)?;
    let out = output_dir(options, &config);
    let staging = write::Staging::new(&config, &out)?;
    // Pages, print.html and the search texts are written as they are made;
    // the rest here.
    let mut compiled = compile_into(options, None, Some(&staging))?;
    let mut timer = timing::Timer::new();
    staging.finish(&compiled.output)?;
    timer.mark("write");
    // The time a user waits includes the write and the swap, which on a
    // rebuild removes the previous output.
    compiled.elapsed = start.elapsed();
    Ok((compiled, out))
}

/// What `playbook schema` wrote.
pub struct SchemaReport {
    pub written: Vec<PathBuf>,
    pub files: Vec<json_schema::SchemaFile>,
    /// The folder written to, as the site folder sees it (`./schemas`), for `.remarkrc.json`.
    pub dir_from_root: String,
}

/// `playbook schema`: book.toml's model → one JSON Schema per kind in `out`
/// (default `<root>/schemas`). With `ids`, references list the pages there are.
pub fn write_schemas(root: &Path, out: Option<&Path>, ids: bool) -> Result<SchemaReport, Failure> {
    let config = Config::load(root)?;
    // Only the ids are needed: pages whose front matter is broken are left
    // out here, and reported by `build` and `check`.
    let loaded = ids.then(|| load::load(&config, None).0);
    let files = json_schema::schemas(&config, loaded.as_ref().map(|l| l.pages.as_slice()));
    let dir = out.map_or_else(|| root.join("schemas"), Path::to_path_buf);
    // Shown, and written into `.remarkrc.json`, as the site folder sees it.
    let inside = match dir.strip_prefix(root) {
        Ok(inside) => Some(inside.to_path_buf()),
        Err(_) if root == Path::new(".") && dir.is_relative() => Some(dir.clone()),
        Err(_) => None,
    };
    let shown = inside.clone().unwrap_or_else(|| dir.clone());
    let dir_from_root = match &inside {
        Some(inside) => format!("./{}", diagnostics::display_path(inside)),
        None => diagnostics::display_path(&dir),
    };
    let written = json_schema::write(&dir, &shown, &files)?;
    Ok(SchemaReport {
        written,
        files,
        dir_from_root,
    })
}
