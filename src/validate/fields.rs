//! One raw page → a typed [`Page`]: every front-matter field checked against
//! what its kind takes, and the ids it names kept for [`super::refs`].

use serde_yaml::Value;

use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::load::front_matter::{describe, FrontMatter};
use crate::load::RawPage;
use crate::model::{Kind, Page, Verdict};

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

/// Ids a page names, resolved once all pages are known.
pub(super) struct RawRefs {
    pub front: std::sync::Arc<FrontMatter>,
    pub related: Vec<String>,
    pub patterns: Vec<String>,
}

/// Types every field of one page. Always returns a page (with blanks where a
/// field was wrong) so later checks can still run.
pub(super) fn check_fields(raw: &RawPage, diags: &mut Vec<Diagnostic>) -> (Page, RawRefs) {
    let mut f = Fields { raw, diags };
    f.unknown_fields();
    f.check_id();
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
    let verdict = match raw.kind {
        Kind::Case => f.verdict(),
        _ => None,
    };
    let page = Page {
        kind: raw.kind,
        id: raw.id.clone(),
        title,
        summary,
        shown_path: raw.shown_path.clone(),
        content_path: raw.content_path.clone(),
        out_path: out_path(raw.kind, &raw.id),
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
        front: raw.front.clone(),
        related,
        patterns,
    };
    (page, refs)
}

/// Where a page of `kind` with `id` is written.
fn out_path(kind: Kind, id: &str) -> String {
    match kind {
        Kind::Home => "index.html".to_string(),
        Kind::Page => format!("{id}.html"),
        kind => format!("{}/{id}.html", kind.folder()),
    }
}

fn is_valid_id(id: &str) -> bool {
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
    /// Every key the page's kind does not take, with the nearest one it does
    /// or the kind it belongs to.
    fn unknown_fields(&mut self) {
        let (raw, fm) = (self.raw, &self.raw.front);
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
            self.error(fm.key_pos(key), format!("unknown field `{key}`"), hint);
        }
    }

    /// The id the file name gives: usable, not one of the files playbook
    /// writes, and not contradicted by an `id:` field.
    fn check_id(&mut self) {
        let raw = self.raw;
        if !is_valid_id(&raw.id) {
            self.diags.push(
                Diagnostic::new(raw.shown_path.clone(), format!("\"{}\" is not a usable id", raw.id))
                    .hint("ids come from file names: use lower-case letters, digits, `-` and `_` (e.g. `open-weights.md`)"),
            );
        }
        if raw.kind != Kind::Page && raw.kind != Kind::Home && raw.id == "index" {
            self.diags.push(
                Diagnostic::new(raw.shown_path.clone(), format!("\"index.md\" would overwrite the {} index page", raw.kind.folder()))
                    .hint("playbook writes each section's index itself: rename the file, e.g. to `overview.md`"),
            );
        }
        if raw.kind == Kind::Page && RESERVED_PAGE_IDS.contains(&raw.id.as_str()) {
            self.diags.push(
                Diagnostic::new(
                    raw.shown_path.clone(),
                    format!("\"{}.md\" would overwrite a file playbook writes", raw.id),
                )
                .hint("rename the file"),
            );
        }
        if let Some(id) = self.string("id", false) {
            if id != raw.id {
                self.error(
                    raw.front.key_pos("id"),
                    format!("`id: {id}` contradicts the file name \"{}\"", raw.id),
                    "the file name gives the id: remove `id:` or rename the file".into(),
                );
            }
        }
    }

    /// A case's verdict: `open` or `closed`.
    fn verdict(&mut self) -> Option<Verdict> {
        match self.string("verdict", true).as_deref()? {
            "open" => Some(Verdict::Open),
            "closed" => Some(Verdict::Closed),
            other => {
                let hint = match did_you_mean(other, ["open", "closed"]) {
                    Some(s) => format!(
                        "did you mean `verdict: {s}`? A case's verdict is `open` or `closed`"
                    ),
                    None => {
                        "a case's verdict is `open` or `closed`; hybrid strategies live in hybrids/"
                            .into()
                    }
                };
                let pos = self.raw.front.item_pos("verdict", other);
                self.error(pos, format!("unknown verdict \"{other}\""), hint);
                None
            }
        }
    }

    fn error(&mut self, pos: Pos, message: String, hint: String) {
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
        let pos = Pos::new(self.raw.front.first_line.saturating_sub(1).max(1), 1);
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
