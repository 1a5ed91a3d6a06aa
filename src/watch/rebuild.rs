//! One rebuild: compile, compare with what browsers show, swap the site in
//! and tell them; or keep the last good site and show the errors over it.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Instant;

use super::state::{lock, sse, Snapshot, State};
use crate::config::CONFIG_FILE;
use crate::diagnostics::{display_path, Diagnostic};
use crate::output::Contents;
use crate::{Failure, Options};

/// How a successful rebuild differs from what browsers show.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    None,
    /// Only stylesheets changed: browsers swap them without a reload.
    Css(Vec<String>),
    /// Pages changed: the files that did, when the site still has the same
    /// files and not too many changed (`None`: treat every page as changed).
    /// A browser showing a page that did not change keeps it; one showing a
    /// changed page updates it in place (live.js).
    Pages(Option<Vec<String>>),
}

/// More changed files than this and the event names none of them.
const MAX_PATHS: usize = 200;

fn diff(old: Option<&Snapshot>, new: &Snapshot) -> Change {
    let Some(old) = old else {
        return Change::Pages(None);
    };
    let (a, b) = (&old.output.files, &new.output.files);
    if a.len() != b.len() || a.keys().ne(b.keys()) {
        return Change::Pages(None);
    }
    // The same paths in the same order: walk both maps side by side rather
    // than look each path up (10,000 lookups were 11 ms of a save).
    let changed: Vec<&String> = a
        .values()
        .zip(b)
        .filter(|(was, (path, contents))| match (*was, *contents) {
            // A page the cache reused is the same allocation: no need to
            // compare its bytes (at 10,000 pages the site is 384 MB).
            (Contents::Bytes(x), Contents::Bytes(y)) => !Arc::ptr_eq(x, y) && x != y,
            (Contents::Pieces(x), Contents::Pieces(y)) => {
                x.len() != y.len()
                    || x.iter()
                        .zip(y.iter())
                        .any(|(a, b)| !Arc::ptr_eq(a, b) && a != b)
            }
            (Contents::Copy(x), Contents::Copy(y)) => {
                x != y || old.stamps.get(*path) != new.stamps.get(*path)
            }
            _ => true,
        })
        .map(|(_, (path, _))| path)
        .collect();
    if changed.is_empty() {
        Change::None
    } else if changed.iter().all(|p| p.ends_with(".css")) {
        Change::Css(changed.into_iter().cloned().collect())
    } else if changed.len() <= MAX_PATHS {
        Change::Pages(Some(changed.into_iter().cloned().collect()))
    } else {
        Change::Pages(None)
    }
}

/// Compiles the site and swaps it in, or reports why not. A panic in the
/// pipeline is caught and reported like any other error: the server lives on.
pub(super) fn rebuild(
    options: &Options,
    state: &State,
    cache: &mut crate::Incremental,
    changed: &[String],
) {
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| {
        crate::compile_with(options, Some(&mut *cache))
    }));
    if result.is_err() {
        // Whatever the panic interrupted, start the next rebuild afresh.
        *cache = crate::Incremental::default();
    }
    let what = match changed {
        [] => String::new(),
        [one] => format!("{one} changed; "),
        [one, rest @ ..] => format!("{one} and {} more changed; ", rest.len()),
    };
    let diags = match result {
        Ok(Ok(compiled)) => {
            let pages = compiled.output.pages;
            let mut timer = crate::timing::Timer::new();
            let version = swap_in(state, compiled, cache);
            timer.mark("watch: swap in");
            eprintln!(
                "{what}built {pages} pages in {} ms, {} rendered afresh (version {version})",
                start.elapsed().as_millis(),
                cache.render.stats.templates
            );
            return;
        }
        Ok(Err(Failure(diags))) => diags,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            vec![Diagnostic::new(
                options.root.join(CONFIG_FILE),
                format!("internal error: the build panicked: {why}"),
            )
            .hint(
                "this is a bug in playbook, please report it; the last good site is still served",
            )]
        }
    };
    for d in &diags {
        eprintln!("{d}");
    }
    eprintln!(
        "error: {what}{} problem{} found; still serving the last good site",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    );
    show_errors(state, &diags);
}

/// Puts a new build in place of the served site, if it differs, and tells
/// every browser how: reload, swap stylesheets, or nothing changed. Returns
/// the site's version. The checked site goes back to `cache`, for the next
/// rebuild to start from.
fn swap_in(state: &State, compiled: crate::Compiled, cache: &mut crate::Incremental) -> u64 {
    let crate::Compiled {
        output, site, tree, ..
    } = compiled;
    let sources = vec![
        site.config.content_dir.clone(),
        site.config.root.join(crate::load::static_dir::STATIC_DIR),
    ];
    let snapshot = Snapshot::new(output, sources);
    let mut old = None;
    let (event, version) = {
        let mut current = lock(&state.current);
        let change = diff(current.site.as_deref(), &snapshot);
        current.errors = None;
        if change != Change::None || current.site.is_none() {
            old = current.site.replace(Arc::new(snapshot));
            current.version += 1;
        }
        let version = current.version;
        let event = match change {
            Change::Pages(None) => sse("reload", &format!("{{\"version\":{version}}}")),
            Change::Pages(Some(paths)) => sse(
                "reload",
                &serde_json::json!({ "version": version, "paths": paths }).to_string(),
            ),
            Change::Css(paths) => sse(
                "css",
                &serde_json::json!({ "version": version, "paths": paths }).to_string(),
            ),
            // After an error the page under the overlay is the last good
            // one; browsers reload anyway, so the fix is seen to work.
            Change::None => sse("unchanged", &format!("{{\"version\":{version}}}")),
        };
        (event, version)
    };
    // The new site is in place before any browser hears of it.
    state.broadcast(&event);
    cache.keep_site(site);
    // Freeing the last site served (10,000 pages of HTML) took most of the
    // 19 ms this step took; nothing waits for it.
    rayon::spawn(move || drop((tree, old)));
    version
}

/// Keeps the last good site and shows `diags` over it in every browser.
fn show_errors(state: &State, diags: &[Diagnostic]) {
    let errors = errors_json(diags);
    let version = {
        let mut current = lock(&state.current);
        current.errors = Some(Arc::from(errors.as_str()));
        current.version
    };
    state.broadcast(&sse(
        "build-error",
        &format!("{{\"version\":{version},\"errors\":{errors}}}"),
    ));
}

/// Diagnostics for the browser overlay: the same text the terminal shows, and
/// its parts, so the page can lay them out.
fn errors_json(diags: &[Diagnostic]) -> String {
    let list: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let mut location = display_path(&d.path);
            if let Some(line) = d.line {
                location.push_str(&format!(":{line}"));
                if let Some(col) = d.col {
                    location.push_str(&format!(":{col}"));
                }
            }
            serde_json::json!({
                "path": display_path(&d.path),
                "line": d.line,
                "col": d.col,
                "location": location,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;
    use std::path::PathBuf;

    fn snapshot(files: &[(&str, &str)]) -> Snapshot {
        let mut output = Output::default();
        for (path, text) in files {
            output.files.insert(
                path.to_string(),
                Contents::Bytes(Arc::new(text.as_bytes().to_vec())),
            );
        }
        Snapshot::new(output, vec![PathBuf::from("content")])
    }

    #[test]
    fn a_stylesheet_only_change_is_told_apart() {
        let old = snapshot(&[("index.html", "a"), ("assets/style.css", "x")]);
        let same = snapshot(&[("index.html", "a"), ("assets/style.css", "x")]);
        let css = snapshot(&[("index.html", "a"), ("assets/style.css", "y")]);
        let page = snapshot(&[("index.html", "b"), ("assets/style.css", "y")]);
        let added = snapshot(&[
            ("index.html", "a"),
            ("assets/style.css", "x"),
            ("b.css", ""),
        ]);
        assert_eq!(diff(Some(&old), &same), Change::None);
        assert_eq!(
            diff(Some(&old), &css),
            Change::Css(vec!["assets/style.css".into()])
        );
        assert_eq!(
            diff(Some(&old), &page),
            Change::Pages(Some(vec!["assets/style.css".into(), "index.html".into()]))
        );
        assert_eq!(diff(Some(&old), &added), Change::Pages(None));
        assert_eq!(diff(None, &old), Change::Pages(None));
    }
}
