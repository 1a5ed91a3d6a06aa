//! The theme: Tera templates and static files.
//!
//! The default theme is compiled into the binary, so a site needs no themes/
//! folder to build. A site can override any file, most specific first:
//! `<site>/templates/NAME`, then `<site>/themes/<theme>/templates/NAME`, then the
//! built-in default theme.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::{display_path, Diagnostic};
use crate::refs::{offline_diagnostics, Doc};

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// The default theme, as shipped in `themes/default/`.
const DEFAULT_TEMPLATES: &[(&str, &str)] = embedded![
    "templates/base.html",
    "templates/index.html",
    "templates/page.html",
    "templates/section.html",
    "templates/links.html",
    "templates/404.html",
    "templates/404-base.js",
    "templates/decide.html",
    "templates/decide-map.html",
    "templates/tree-static.html",
    "templates/verdict.html",
    "templates/search.html",
    "templates/print.html",
    "templates/print-page.html",
    "templates/field.html",
];
const DEFAULT_STATIC: &[(&str, &str)] = embedded![
    "static/style.css",
    "static/decide.js",
    "static/search.js",
    "static/reader.js",
    "static/favicon.svg",
];

/// Templates a theme must provide.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "page.html",
    "section.html",
    "404.html",
    "decide.html",
];

pub struct Theme {
    pub tera: tera::Tera,
    /// Output path under `assets/` → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Where each template came from, to name the file in errors.
    sources: BTreeMap<String, PathBuf>,
    /// A hash of every template and static file: what the watch cache keys on.
    pub fingerprint: u64,
}

/// A theme's files, read but not compiled.
pub struct Sources {
    templates: BTreeMap<String, (PathBuf, String)>,
    static_files: BTreeMap<String, Vec<u8>>,
    /// A hash of every template and static file: what the watch cache keys on.
    pub fingerprint: u64,
}

impl Theme {
    pub fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        Theme::compile(Theme::read(config)?)
    }

    /// Reads the theme's templates and static files, with the site's own
    /// templates/ over them.
    pub fn read(config: &Config) -> Result<Sources, Vec<Diagnostic>> {
        let theme_dir = config.root.join("themes").join(&config.theme);
        if config.theme != "default" && !theme_dir.is_dir() {
            return Err(vec![Diagnostic::new(
                "book.toml",
                format!("theme \"{}\" not found", config.theme),
            )
            .hint(format!(
                "create themes/{}/ beside book.toml, or remove `theme` to use the default theme",
                config.theme
            ))]);
        }
        let mut templates: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        for (name, text) in DEFAULT_TEMPLATES {
            let short = name.trim_start_matches("templates/").to_string();
            templates.insert(
                short,
                (PathBuf::from("themes/default").join(name), text.to_string()),
            );
        }
        let mut static_files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
            .iter()
            .map(|(name, text)| {
                (
                    name.trim_start_matches("static/").to_string(),
                    text.as_bytes().to_vec(),
                )
            })
            .collect();
        let mut static_shown: BTreeMap<String, PathBuf> = static_files
            .keys()
            .map(|name| (name.clone(), Path::new("themes/default/static").join(name)))
            .collect();

        let mut diags = Vec::new();
        for dir in [theme_dir.join("templates"), config.root.join("templates")] {
            read_dir_into(&dir, &config.root, &mut diags, |name, shown, bytes| {
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        templates.insert(name, (shown, text));
                        Ok(())
                    }
                    Err(_) => Err(Diagnostic::new(shown, "template is not UTF-8")
                        .hint("save the template as UTF-8")),
                }
            });
        }
        read_dir_into(
            &theme_dir.join("static"),
            &config.root,
            &mut diags,
            |name, shown, bytes| {
                static_shown.insert(name.clone(), shown);
                static_files.insert(name, bytes);
                Ok(())
            },
        );
        // What the theme makes every page load is held to the rule `check`
        // holds the output to, at the theme's own line: nothing from the network.
        for (shown, text) in templates.values() {
            if let Some(doc) = Doc::of(&shown.to_string_lossy()) {
                diags.extend(offline_diagnostics(text, doc, shown));
            }
        }
        for (name, bytes) in &static_files {
            if let (Some(doc), Some(shown)) = (Doc::of(name), static_shown.get(name)) {
                diags.extend(offline_diagnostics(
                    &String::from_utf8_lossy(bytes),
                    doc,
                    shown,
                ));
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let fingerprint = crate::incremental::hash(&(
            templates
                .iter()
                .map(|(n, (_, t))| (n, t))
                .collect::<Vec<_>>(),
            &static_files,
        ));
        Ok(Sources {
            templates,
            static_files,
            fingerprint,
        })
    }

    /// Compiles the templates, each syntax error naming its file.
    pub fn compile(sources: Sources) -> Result<Theme, Vec<Diagnostic>> {
        let Sources {
            templates,
            static_files,
            fingerprint,
        } = sources;
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let mut sources = BTreeMap::new();
        let mut errors = Vec::new();
        // Add one by one first so a syntax error names its own file...
        for (name, (shown, text)) in &templates {
            sources.insert(name.clone(), shown.clone());
            let mut probe = tera::Tera::new();
            if let Err(e) = probe.add_raw_template(name, text) {
                if is_syntax_error(&e) {
                    errors.push(template_diagnostic(&e, &sources));
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // ...then together, which checks inheritance and includes.
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
        {
            return Err(vec![template_diagnostic(&e, &sources)]);
        }
        Ok(Theme {
            tera,
            static_files,
            sources,
            fingerprint,
        })
    }

    /// Renders `name`, turning Tera's error into one that names the template file and line.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_diagnostic(&e, &self.sources))
    }

    /// [`Theme::render`] into bytes, in a buffer of `capacity`: a page file
    /// goes to disk as bytes, so this skips the check that the output is
    /// UTF-8 (the templates and every value put in are strings already), and
    /// a buffer sized for the page is not copied as it grows. The two were
    /// 3 % of a build's instructions (callgrind, 1,000-page bench corpus).
    pub fn render_bytes(
        &self,
        name: &str,
        context: &tera::Context,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| template_diagnostic(&e, &self.sources))?;
        Ok(out)
    }
}

fn is_syntax_error(e: &tera::Error) -> bool {
    matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
}

/// Reads every file of `dir` (recursively) as `(name relative to dir, shown path, bytes)`.
fn read_dir_into(
    dir: &Path,
    root: &Path,
    diags: &mut Vec<Diagnostic>,
    mut add: impl FnMut(String, PathBuf, Vec<u8>) -> Result<(), Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in crate::load::walk(root, dir) {
        let entry = match entry {
            Ok(e) => e,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let name = display_path(rel);
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match crate::read::read_file(entry.path()) {
            Ok(bytes) => {
                if let Err(d) = add(name, shown, bytes) {
                    diags.push(d);
                }
            }
            Err(e) => diags.push(Diagnostic::new(shown, format!("cannot read: {e}"))),
        }
    }
}

fn template_diagnostic(e: &tera::Error, sources: &BTreeMap<String, PathBuf>) -> Diagnostic {
    let shown = |name: &str| {
        sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let what = if is_syntax_error(e) {
                "template syntax error"
            } else {
                "template error"
            };
            Diagnostic::new(shown(report.filename()), format!("{what}: {}", report.message()))
                .at(span.start_line, span.start_col + 1)
                .hint("fix the template; variables a page template can use are listed in the README's theme section")
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::new(
            shown(current),
            format!("extends \"{parent}\", which does not exist"),
        )
        .hint("check the name in `{% extends %}`"),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::new(
            format!("templates/{name}"),
            "template not found",
        )
        .hint("a theme must provide index.html, page.html, section.html, 404.html and decide.html"),
        _ => Diagnostic::new("templates", format!("template error: {e}"))
            .hint("fix the theme's templates"),
    }
}
