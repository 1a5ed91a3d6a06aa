//! The benchmark floor: every `.md` file under IN → pulldown-cmark → `.html`
//! under OUT, in parallel with rayon. No templates, no link checks, no
//! navigation: the least work any generator must do for the same corpus, so the
//! fastest build this machine allows.
//!
//!     floor IN OUT
//!     floor --write-only FROM OUT
//!     floor --same-bytes MANIFEST IN OUT
//!
//! The second form reads every file under FROM (an output a tool has
//! built) into memory, then times only writing them under OUT, the same
//! way: what the bytes of that output cost on this machine, whatever made
//! them.
//!
//! The third form is the fair floor: it reads every source, parses its front
//! matter and Markdown with the crates playbook uses, and writes exactly the
//! files playbook wrote for that corpus (MANIFEST: one `size<TAB>path` line
//! per file), each at its size, a page's own HTML repeated to fill it. The
//! cost of playbook's bytes with none of playbook's own logic.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;
use yaml_serde as yaml;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let result = match args.as_slice() {
        [input, output] => run(input, output),
        [flag, from, output] if flag.as_os_str() == "--write-only" => write_only(from, output),
        [flag, manifest, input, output] if flag.as_os_str() == "--same-bytes" => {
            same_bytes(manifest, input, output)
        }
        _ => {
            eprintln!("usage: floor IN OUT\n       floor --write-only FROM OUT\n       floor --same-bytes MANIFEST IN OUT");
            return ExitCode::FAILURE;
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The same Markdown extensions playbook turns on.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn same_bytes(manifest: &Path, input: &Path, output: &Path) -> io::Result<()> {
    let listing = fs::read_to_string(manifest).map_err(|e| with_path(e, manifest))?;
    let wanted: Vec<(usize, PathBuf)> = listing
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(size, path)| Some((size.parse().ok()?, PathBuf::from(path))))
        .collect();
    let start = Instant::now();
    let mut files = Vec::new();
    walk(input, &mut files)?;
    let pages: HashMap<PathBuf, String> = files
        .par_iter()
        .map(|src| -> io::Result<(PathBuf, String)> {
            let text = fs::read_to_string(src).map_err(|e| with_path(e, src))?;
            let (front, body) = split_front_matter(&text);
            let fields: yaml::Value = yaml::from_str(front)
                .map_err(|e| io::Error::other(format!("{}: {e}", src.display())))?;
            let mut out = String::with_capacity(body.len() * 3 / 2);
            if let Some(title) = fields.get("title").and_then(|t| t.as_str()) {
                out.push_str(title);
            }
            html::push_html(&mut out, Parser::new_ext(body, options()));
            let rel = src
                .strip_prefix(input)
                .map_err(|e| io::Error::other(e.to_string()))?
                .with_extension("html");
            Ok((rel, out))
        })
        .collect::<io::Result<_>>()?;
    const FILLER: &[u8] = b"<p>The same bytes, none of the logic.</p>\n";
    let bytes: usize = wanted.iter().map(|(size, _)| size).sum();
    wanted.par_iter().try_for_each(|(size, rel)| {
        let seed = pages.get(rel).map_or(FILLER, |h| h.as_bytes());
        let seed = if seed.is_empty() { FILLER } else { seed };
        let mut data = Vec::with_capacity(*size);
        while data.len() < *size {
            let take = (*size - data.len()).min(seed.len());
            data.extend_from_slice(&seed[..take]);
        }
        write_file(&output.join(rel), &data)
    })?;
    eprintln!(
        "floor: parsed {} pages, wrote {} files, {} bytes in {} ms",
        files.len(),
        wanted.len(),
        bytes,
        start.elapsed().as_millis()
    );
    Ok(())
}

/// `(front matter, body)`: the `---` … `---` YAML block and what follows.
fn split_front_matter(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return ("", text);
    };
    match rest.find("\n---\n") {
        Some(end) => (&rest[..end], &rest[end + 5..]),
        None => ("", text),
    }
}

fn run(input: &Path, output: &Path) -> io::Result<()> {
    let start = Instant::now();
    let mut files = Vec::new();
    walk(input, &mut files)?;
    files.sort();
    let options = options();
    files.par_iter().try_for_each(|src| -> io::Result<()> {
        let text = fs::read_to_string(src).map_err(|e| with_path(e, src))?;
        let body = strip_front_matter(&text);
        let mut out = String::with_capacity(body.len() * 3 / 2);
        html::push_html(&mut out, Parser::new_ext(body, options));
        write_file(
            &moved(src, input, output)?.with_extension("html"),
            out.as_bytes(),
        )
    })?;
    eprintln!(
        "floor: rendered {} pages in {} ms",
        files.len(),
        start.elapsed().as_millis()
    );
    Ok(())
}

fn write_only(from: &Path, output: &Path) -> io::Result<()> {
    let mut paths = Vec::new();
    walk_all(from, &mut paths, |_| true)?;
    let files = paths
        .into_iter()
        .map(|src| {
            let bytes = fs::read(&src).map_err(|e| with_path(e, &src))?;
            Ok((moved(&src, from, output)?, bytes))
        })
        .collect::<io::Result<Vec<(PathBuf, Vec<u8>)>>>()?;
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let start = Instant::now();
    files
        .par_iter()
        .try_for_each(|(dest, bytes)| write_file(dest, bytes))?;
    eprintln!(
        "floor: wrote {} files, {} bytes in {:.1} ms",
        files.len(),
        bytes,
        start.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

/// `src`, found under `root` by the walk, moved to the same place under `output`.
fn moved(src: &Path, root: &Path, output: &Path) -> io::Result<PathBuf> {
    // An error here means `src` is not under `root`, which the walk rules out.
    let rel = src
        .strip_prefix(root)
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok(output.join(rel))
}

/// The one way both forms write a file, so `--write-only` times the floor's writes.
fn write_file(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = dest.parent() {
        fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
    }
    fs::write(dest, bytes).map_err(|e| with_path(e, dest))
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    walk_all(dir, files, |path| {
        path.extension().is_some_and(|e| e == "md")
    })
}

fn walk_all(dir: &Path, files: &mut Vec<PathBuf>, keep: fn(&Path) -> bool) -> io::Result<()> {
    for entry in fs::read_dir(dir).map_err(|e| with_path(e, dir))? {
        let path = entry?.path();
        if path.is_dir() {
            walk_all(&path, files, keep)?;
        } else if keep(&path) {
            files.push(path);
        }
    }
    Ok(())
}

/// Drops a leading `---` … `---` YAML block, as every generator must.
fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}
