//! Raw pages → [`Site`]: every field typed and checked, ids unique, cross-references
//! resolved to page indices. Render trusts what comes out of here.
//!
//! All problems are gathered so one run reports them all.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_yaml::Value;

use crate::config::Config;
use crate::diagnostics::{did_you_mean, list_for_hint, Diagnostic};
use crate::load::front_matter::{describe, FrontMatter};
use crate::load::{Loaded, RawPage};
use crate::model::{Kind, Page, Site, Verdict};
use rayon::prelude::*;

const COMMON_KEYS: &[&str] = &[
    "title", "summary", "id", "related", "examples", "weight", "draft",
];

fn kind_keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Pattern => &["opened", "kept", "gains", "costs"],
        Kind::Case => &["verdict", "patterns", "signals"],
        Kind::Hybrid => &["opened", "kept", "patterns", "signals"],
        Kind::Mistake => &["signals"],
        Kind::Home | Kind::Page => &[],
    }
}

/// Names an output file may not take, because the generator writes them.
const RESERVED_PAGE_IDS: &[&str] = &[
    "index",
    "decide",
    "decide-map",
    "404",
    "print",
    "search",
    "assets",
    "patterns",
    "cases",
    "hybrids",
    "mistakes",
];

/// Checks everything and builds the site. `include_drafts` keeps `draft: true` pages.
pub fn validate(
    config: Config,
    mut loaded: Loaded,
    include_drafts: bool,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut checked: Vec<(Page, RawRefs)> = Vec::with_capacity(loaded.pages.len());
    let mut drafts: HashMap<String, PathBuf> = HashMap::new();
    let mut excluded_drafts = HashMap::new();
    // Each page's fields on its own, in parallel; problems in page order.
    let typed: Vec<((Page, RawRefs), Vec<Diagnostic>)> = loaded
        .pages
        .par_iter()
        .map(|raw| {
            let mut page_diags = Vec::new();
            (check_fields(raw, &mut page_diags), page_diags)
        })
        .collect();
    for ((page, refs), page_diags) in typed {
        diags.extend(page_diags);
        if page.draft && !include_drafts {
            drafts.insert(page.id.clone(), page.shown_path.clone());
            excluded_drafts.insert(page.content_path.clone(), page.shown_path.clone());
            continue;
        }
        checked.push((page, refs));
    }

    if !checked.iter().any(|(p, _)| p.kind == Kind::Home)
        && !loaded.pages.iter().any(|p| p.kind == Kind::Home)
    {
        diags.push(
            Diagnostic::new(crate::load::shown(&config, &config.content_dir.join("index.md")), "the site has no home page")
                .hint("create content/index.md with front matter `title:` and `summary:` and a few paragraphs"),
        );
    }

    // Reading order: home, sections in order (weight, then title), free pages.
    // Render relies on each kind's pages being contiguous in this order.
    // Keys computed once per page: lowering titles in every comparison was
    // most of validate's time.
    checked.sort_by_cached_key(|(p, _)| {
        (
            order_key(p.kind),
            p.weight,
            p.title.to_lowercase(),
            p.id.clone(),
        )
    });

    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(checked.len());
    let mut by_content_path = HashMap::with_capacity(checked.len());
    for (i, (page, _)) in checked.iter().enumerate() {
        by_content_path.insert(page.content_path.clone(), i);
        if page.kind == Kind::Home {
            continue;
        }
        if let Some(&first) = by_id.get(&page.id) {
            let first: &Page = &checked[first].0;
            diags.push(
                Diagnostic::new(page.shown_path.clone(), format!("the id \"{}\" is already used by {}", page.id, first.shown_path.display()))
                    .at(1, 1)
                    .hint("ids come from file names and must be unique across all kinds: rename one of the files"),
            );
            continue;
        }
        by_id.insert(page.id.clone(), i);
    }

    // Resolve references now that every id is known. Ids of pages that failed
    // to load are known to exist; their own error is enough.
    let unreadable: std::collections::HashSet<&str> =
        loaded.unreadable.iter().map(String::as_str).collect();
    let mut known_patterns: Vec<&str> = checked
        .iter()
        .filter(|(p, _)| p.kind == Kind::Pattern)
        .map(|(p, _)| p.id.as_str())
        .collect();
    known_patterns.sort_unstable();
    let mut known_ids: Vec<&str> = by_id.keys().map(String::as_str).collect();
    known_ids.sort_unstable();
    let mut resolved: Vec<(Vec<usize>, Vec<usize>)> = Vec::with_capacity(checked.len());
    for (page, refs) in &checked {
        let mut related = Vec::new();
        for id in &refs.related {
            match by_id.get(id) {
                Some(&i) if checked[i].0.id == page.id => diags.push(
                    Diagnostic::new(
                        page.shown_path.clone(),
                        format!("\"{id}\" lists itself as related"),
                    )
                    .at_pos(refs.front.item_pos("related", id))
                    .hint("remove it from `related`"),
                ),
                Some(&i) => {
                    if !related.contains(&i) {
                        related.push(i);
                    }
                }
                None if unreadable.contains(id.as_str()) => {}
                None => diags.push(unknown_id(
                    page,
                    &refs.front,
                    "related",
                    id,
                    "page",
                    &known_ids,
                    &drafts,
                )),
            }
        }
        let mut patterns = Vec::new();
        for id in &refs.patterns {
            match by_id.get(id) {
                Some(&i) if checked[i].0.kind == Kind::Pattern => {
                    if !patterns.contains(&i) {
                        patterns.push(i);
                    }
                }
                Some(&i) => diags.push(
                    Diagnostic::new(
                        page.shown_path.clone(),
                        format!("\"{id}\" is a {}, not a pattern", checked[i].0.kind.name()),
                    )
                    .at_pos(refs.front.item_pos("patterns", id))
                    .hint(format!(
                        "`patterns` lists pattern ids: {}; put other pages under `related`",
                        list_for_hint(known_patterns.iter().copied())
                    )),
                ),
                None if unreadable.contains(id.as_str()) => {}
                None => diags.push(unknown_id(
                    page,
                    &refs.front,
                    "patterns",
                    id,
                    "pattern",
                    &known_patterns,
                    &drafts,
                )),
            }
        }
        resolved.push((related, patterns));
    }

    let pages: Vec<Page> = checked
        .into_iter()
        .zip(resolved)
        .map(|((mut page, _), (related, patterns))| {
            page.related = related;
            page.patterns = patterns;
            page
        })
        .collect();
    // The pages as read are freed on the thread pool: tens of thousands of
    // parsed YAML values take a while to drop, and nothing waits for them.
    let raw = std::mem::take(&mut loaded.pages);
    rayon::spawn(move || drop(raw));
    let site = Site {
        config,
        pages,
        by_id,
        by_content_path,
        assets: loaded.assets,
        tree: loaded.tree,
        excluded_drafts,
    };
    (site, diags)
}

fn unknown_id(
    page: &Page,
    front: &FrontMatter,
    key: &str,
    id: &str,
    what: &str,
    known: &[&str],
    drafts: &HashMap<String, PathBuf>,
) -> Diagnostic {
    let pos = front.item_pos(key, id);
    if let Some(path) = drafts.get(id) {
        return Diagnostic::new(
            page.shown_path.clone(),
            format!("\"{id}\" is a draft, left out of this build"),
        )
        .at_pos(pos)
        .hint(format!(
            "publish {} (remove `draft: true`), drop the reference, or build with --drafts",
            path.display()
        ));
    }
    let d =
        Diagnostic::new(page.shown_path.clone(), format!("unknown {what} \"{id}\"")).at_pos(pos);
    match did_you_mean(id, known.iter().copied()) {
        Some(s) => d.hint(format!("did you mean \"{s}\"?")),
        None if known.is_empty() => d.hint(format!("there are no {what}s yet")),
        None => d.hint(format!(
            "known {what}s are {}",
            list_for_hint(known.iter().copied())
        )),
    }
}

fn order_key(kind: Kind) -> usize {
    match kind {
        Kind::Home => 0,
        Kind::Pattern => 1,
        Kind::Case => 2,
        Kind::Hybrid => 3,
        Kind::Mistake => 4,
        Kind::Page => 5,
    }
}

/// Ids a page names, resolved once all pages are known.
struct RawRefs {
    front: std::sync::Arc<FrontMatter>,
    related: Vec<String>,
    patterns: Vec<String>,
}

/// Types every field of one page. Always returns a page (with blanks where a
/// field was wrong) so later checks can still run.
fn check_fields(raw: &RawPage, diags: &mut Vec<Diagnostic>) -> (Page, RawRefs) {
    let fm = &raw.front;
    let mut f = Fields { raw, diags };
    let allowed: Vec<&str> = COMMON_KEYS
        .iter()
        .chain(kind_keys(raw.kind))
        .copied()
        .collect();
    for (key, _) in &fm.fields {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        let owner = Kind::SECTIONS
            .into_iter()
            .find(|k| kind_keys(*k).contains(&key.as_str()));
        let hint = match (did_you_mean(key, allowed.iter().copied()), owner) {
            (Some(s), _) => format!("did you mean `{s}`?"),
            (None, Some(k)) => format!(
                "`{key}` belongs to {} pages; a {} takes {}",
                k.name(),
                raw.kind.name(),
                allowed.join(", ")
            ),
            (None, None) => format!("a {} takes {}", raw.kind.name(), allowed.join(", ")),
        };
        f.error(fm.key_pos(key), format!("unknown field `{key}`"), hint);
    }

    if !is_valid_id(&raw.id) {
        f.diags.push(
            Diagnostic::new(raw.shown_path.clone(), format!("\"{}\" is not a usable id", raw.id))
                .hint("ids come from file names: use lower-case letters, digits, `-` and `_` (e.g. `open-weights.md`)"),
        );
    }
    if raw.kind != Kind::Page && raw.kind != Kind::Home && raw.id == "index" {
        f.diags.push(
            Diagnostic::new(raw.shown_path.clone(), format!("\"index.md\" would overwrite the {} index page", raw.kind.folder()))
                .hint("playbook writes each section's index itself: rename the file, e.g. to `overview.md`"),
        );
    }
    if raw.kind == Kind::Page && RESERVED_PAGE_IDS.contains(&raw.id.as_str()) {
        f.diags.push(
            Diagnostic::new(
                raw.shown_path.clone(),
                format!("\"{}.md\" would overwrite a file playbook writes", raw.id),
            )
            .hint("rename the file"),
        );
    }
    if let Some(id) = f.string("id", false) {
        if id != raw.id {
            f.error(
                fm.key_pos("id"),
                format!("`id: {id}` contradicts the file name \"{}\"", raw.id),
                "the file name gives the id: remove `id:` or rename the file".into(),
            );
        }
    }

    let title = f.string("title", true).unwrap_or_default();
    let summary = f.string("summary", true).unwrap_or_default();
    let needs_pattern_fields = raw.kind == Kind::Pattern;
    let opened = f.string("opened", needs_pattern_fields);
    let kept = f.string("kept", needs_pattern_fields);
    let gains = f.list("gains", needs_pattern_fields);
    let costs = f.list("costs", needs_pattern_fields);
    let examples = f.list("examples", false);
    let signals = f.list("signals", false);
    let related = f.list("related", false);
    let patterns = f.list("patterns", false);
    let weight = f.integer("weight").unwrap_or(0);
    let draft = f.boolean("draft").unwrap_or(false);
    let verdict = if raw.kind == Kind::Case {
        match f.string("verdict", true).as_deref() {
            Some("open") => Some(Verdict::Open),
            Some("closed") => Some(Verdict::Closed),
            Some(other) => {
                let hint = match did_you_mean(other, ["open", "closed"]) {
                    Some(s) => format!(
                        "did you mean `verdict: {s}`? A case's verdict is `open` or `closed`"
                    ),
                    None => {
                        "a case's verdict is `open` or `closed`; hybrid strategies live in hybrids/"
                            .into()
                    }
                };
                f.error(
                    fm.item_pos("verdict", other),
                    format!("unknown verdict \"{other}\""),
                    hint,
                );
                None
            }
            None => None,
        }
    } else {
        None
    };

    let out_path = match raw.kind {
        Kind::Home => "index.html".to_string(),
        Kind::Page => format!("{}.html", raw.id),
        kind => format!("{}/{}.html", kind.folder(), raw.id),
    };
    let page = Page {
        kind: raw.kind,
        id: raw.id.clone(),
        title,
        summary,
        shown_path: raw.shown_path.clone(),
        content_path: raw.content_path.clone(),
        out_path,
        body: raw.body.clone(),
        body_line: raw.body_line,
        related: Vec::new(),
        patterns: Vec::new(),
        examples,
        signals,
        gains,
        costs,
        opened,
        kept,
        verdict,
        weight,
        draft,
    };
    let refs = RawRefs {
        front: fm.clone(),
        related,
        patterns,
    };
    (page, refs)
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Typed access to one page's front matter, reporting into `diags`.
struct Fields<'a> {
    raw: &'a RawPage,
    diags: &'a mut Vec<Diagnostic>,
}

impl Fields<'_> {
    fn error(&mut self, pos: crate::diagnostics::Pos, message: String, hint: String) {
        self.diags.push(
            Diagnostic::new(self.raw.shown_path.clone(), message)
                .at_pos(pos)
                .hint(hint),
        );
    }

    fn missing(&mut self, key: &str) {
        let example = match key {
            "title" => "title: Catching up",
            "summary" => "summary: One or two sentences that say when this applies.",
            "verdict" => "verdict: open",
            "opened" => "opened: The model weights",
            "kept" => "kept: The training data and pipeline",
            _ => "",
        };
        let hint = if example.is_empty() {
            format!("add `{key}:` as a list, e.g. `{key}: [\"...\"]`")
        } else {
            format!("add a line such as `{example}`")
        };
        let pos =
            crate::diagnostics::Pos::new(self.raw.front.first_line.saturating_sub(1).max(1), 1);
        self.error(
            pos,
            format!(
                "missing required field `{key}` for a {}",
                self.raw.kind.name()
            ),
            hint,
        );
    }

    /// A scalar as text. Numbers and booleans are accepted as written.
    fn string(&mut self, key: &str, required: bool) -> Option<String> {
        let value = match self.raw.front.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.missing(key);
                }
                return None;
            }
            Some(v) => v,
        };
        let text = match value {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                let pos = self.raw.front.key_pos(key);
                self.error(
                    pos,
                    format!("`{key}` must be text, found {}", describe(other)),
                    format!("write `{key}: some text` on one line (quote it if it contains `: `)"),
                );
                return None;
            }
        };
        if text.is_empty() && required {
            let pos = self.raw.front.key_pos(key);
            self.error(
                pos,
                format!("`{key}` is empty"),
                format!("give `{key}` a value"),
            );
            return None;
        }
        Some(text)
    }

    fn list(&mut self, key: &str, required: bool) -> Vec<String> {
        let items = match self.raw.front.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.missing(key);
                }
                return Vec::new();
            }
            Some(Value::Sequence(items)) => items,
            Some(other) => {
                let pos = self.raw.front.key_pos(key);
                let shown = match other {
                    Value::String(s) => format!("`{key}: [{s}]`"),
                    _ => format!("`{key}: [a, b]`"),
                };
                self.error(
                    pos,
                    format!("`{key}` must be a list, found {}", describe(other)),
                    format!("write a list, e.g. {shown}"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) => out.push(s.trim().to_string()),
                Value::Number(n) => out.push(n.to_string()),
                other => {
                    let pos = self.raw.front.key_pos(key);
                    self.error(
                        pos,
                        format!("items of `{key}` must be text, found {}", describe(other)),
                        "quote an item that contains `: `, e.g. `- \"Llama 2: community licence\"`"
                            .into(),
                    );
                }
            }
        }
        out
    }

    fn integer(&mut self, key: &str) -> Option<i64> {
        match self.raw.front.get(key)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            other => {
                let pos = self.raw.front.key_pos(key);
                self.error(
                    pos,
                    format!("`{key}` must be a whole number, found {}", describe(other)),
                    format!("e.g. `{key}: 10`; lower numbers come first"),
                );
                None
            }
        }
    }

    fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.raw.front.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                let pos = self.raw.front.key_pos(key);
                self.error(
                    pos,
                    format!("`{key}` must be true or false, found {}", describe(other)),
                    format!("write `{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }
}
