//! One raw page → a typed [`Page`]: every front-matter field checked against
//! what its kind declares (the built-in fields every kind takes, then the
//! kind's own, by their declared types), and the ids it names kept for
//! [`super::refs`].

use serde_yaml::Value;

use crate::config::BUILT_IN_FIELDS;
use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::load::front_matter::{describe, Written};
use crate::load::RawPage;
use crate::model::schema::{either, FieldDef, FieldType};
use crate::model::{FieldValue, Kind, Model, Page};

/// Names an output file may not take, because the generator writes them,
/// besides the declared kinds' folders.
const RESERVED_PAGE_IDS: &[&str] = &[
    "index",
    "decide",
    "decide-map",
    "404",
    "print",
    "search",
    "assets",
];

/// Ids a page names, resolved once all pages are known.
pub(super) struct RawRefs {
    /// Its front matter as written, where problems with the ids are shown.
    pub written: Written,
    pub related: Vec<String>,
    /// Each reference field's ids as written, by the field's index.
    pub fields: Vec<(usize, Vec<String>)>,
}

/// Types every field of one page. Always returns a page (with blanks where a
/// field was wrong) so later checks can still run.
pub(super) fn check_fields(
    raw: &RawPage,
    model: &Model,
    diags: &mut Vec<Diagnostic>,
) -> (Page, RawRefs) {
    let mut f = Fields { raw, model, diags };
    f.unknown_fields();
    f.check_id();
    let title = f.string("title", true).unwrap_or_default();
    let summary = f.string("summary", true).unwrap_or_default();
    let mut fields = Vec::new();
    let mut refs = Vec::new();
    let mut markdown_at = Vec::new();
    for (i, def) in model.fields(raw.kind).iter().enumerate() {
        let (value, ids) = f.declared(def);
        if let Some(ids) = ids {
            refs.push((i, ids));
        }
        if def.ty == FieldType::Markdown && matches!(value, FieldValue::Text(_)) {
            markdown_at.push((i, raw.front.key_pos(&def.name)));
        }
        fields.push(value);
    }
    let related = f.list("related", false);
    let weight = f.integer("weight").unwrap_or(0);
    let draft = f.boolean("draft").unwrap_or(false);
    let page = Page {
        kind: raw.kind,
        id: raw.id.clone(),
        title,
        summary,
        shown_path: raw.shown_path.clone(),
        content_path: raw.content_path.clone(),
        out_path: out_path(model, raw.kind, &raw.id),
        body: raw.body.clone(),
        body_line: raw.body_line,
        related: Vec::new(),
        fields,
        markdown_at,
        weight,
        draft,
    };
    let refs = RawRefs {
        written: raw.front.written.clone(),
        related,
        fields: refs,
    };
    (page, refs)
}

/// Where a page of `kind` with `id` is written.
fn out_path(model: &Model, kind: Kind, id: &str) -> String {
    match kind {
        Kind::Home => "index.html".to_string(),
        Kind::Page => format!("{id}.html"),
        kind => format!("{}/{id}.html", model.folder(kind)),
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
    model: &'a Model,
    diags: &'a mut Vec<Diagnostic>,
}

impl Fields<'_> {
    fn kind_name(&self) -> &str {
        self.model.name(self.raw.kind)
    }

    /// Every key the page's kind does not take, with the nearest one it does
    /// or the kind it belongs to.
    fn unknown_fields(&mut self) {
        let (raw, fm, model) = (self.raw, &self.raw.front, self.model);
        let allowed: Vec<&str> = BUILT_IN_FIELDS
            .iter()
            .copied()
            .chain(model.fields(raw.kind).iter().map(|f| f.name.as_str()))
            .collect();
        for (key, _) in &fm.fields {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let owner = model
                .sections()
                .find(|&k| model.fields(k).iter().any(|f| f.name == *key));
            let kind = self.kind_name();
            let hint = match (did_you_mean(key, allowed.iter().copied()), owner) {
                (Some(s), _) => format!("did you mean `{s}`?"),
                (None, Some(k)) => format!(
                    "`{key}` belongs to {} pages; a {kind} takes {}",
                    model.name(k),
                    allowed.join(", ")
                ),
                (None, None) => format!("a {kind} takes {}", allowed.join(", ")),
            };
            self.error(fm.key_pos(key), format!("unknown field `{key}`"), hint);
        }
    }

    /// The id the file name gives: usable, not one of the files playbook
    /// writes, and not contradicted by an `id:` field.
    fn check_id(&mut self) {
        let (raw, model) = (self.raw, self.model);
        if !is_valid_id(&raw.id) {
            self.diags.push(
                Diagnostic::new(raw.shown_path.clone(), format!("\"{}\" is not a usable id", raw.id))
                    .hint("ids come from file names: use lower-case letters, digits, `-` and `_` (e.g. `open-weights.md`)"),
            );
        }
        if raw.kind != Kind::Page && raw.kind != Kind::Home && raw.id == "index" {
            self.diags.push(
                Diagnostic::new(raw.shown_path.clone(), format!("\"index.md\" would overwrite the {} index page", model.folder(raw.kind)))
                    .hint("playbook writes each section's index itself: rename the file, e.g. to `overview.md`"),
            );
        }
        let reserved = RESERVED_PAGE_IDS.contains(&raw.id.as_str())
            || model.sections().any(|k| model.folder(k) == raw.id);
        if raw.kind == Kind::Page && reserved {
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

    /// A declared field's value by its type, or its default; with the ids
    /// written, for a reference.
    fn declared(&mut self, def: &FieldDef) -> (FieldValue, Option<Vec<String>>) {
        let key = def.name.as_str();
        let absent = || def.default.clone().unwrap_or(FieldValue::Absent);
        let required = def.required;
        let value = match &def.ty {
            FieldType::Text | FieldType::Markdown => self.string_of(def).map(FieldValue::Text),
            FieldType::Date => self.date(def),
            FieldType::Url => self.url(def),
            FieldType::List => {
                let items = self.list(key, required);
                (!items.is_empty() || self.raw.front.get(key).is_some())
                    .then_some(FieldValue::List(items))
            }
            FieldType::Integer => {
                self.require(def);
                self.integer(key).map(FieldValue::Integer)
            }
            FieldType::Boolean => {
                self.require(def);
                self.boolean(key).map(FieldValue::Boolean)
            }
            FieldType::Enum(values) => self.enumeration(def, values).map(FieldValue::Enum),
            FieldType::Reference { many: true, .. } => {
                let ids = self.list(key, required);
                return (FieldValue::Refs(Vec::new()), Some(ids));
            }
            FieldType::Reference { many: false, .. } => {
                let id = self.string(key, required);
                return (FieldValue::Refs(Vec::new()), Some(id.into_iter().collect()));
            }
        };
        (value.unwrap_or_else(absent), None)
    }

    /// Reports a required field that is missing.
    fn require(&mut self, def: &FieldDef) {
        if def.required && matches!(self.raw.front.get(&def.name), None | Some(Value::Null)) {
            self.missing(&def.name);
        }
    }

    fn string_of(&mut self, def: &FieldDef) -> Option<String> {
        self.string(&def.name, def.required)
    }

    /// `YYYY-MM-DD`, a real day.
    fn date(&mut self, def: &FieldDef) -> Option<FieldValue> {
        let text = self.string_of(def)?;
        if is_iso_date(&text) {
            return Some(FieldValue::Text(text));
        }
        let key = &def.name;
        let pos = self.raw.front.item_pos(key, &text);
        self.error(
            pos,
            format!("`{key}` must be a date written YYYY-MM-DD, found \"{text}\""),
            format!("e.g. `{key}: 2025-01-20`"),
        );
        None
    }

    /// An `http://` or `https://` address.
    fn url(&mut self, def: &FieldDef) -> Option<FieldValue> {
        let text = self.string_of(def)?;
        let lower = text.to_ascii_lowercase();
        let has_host = |rest: &str| !rest.is_empty() && !rest.starts_with('/');
        let ok = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .is_some_and(has_host)
            && !text.contains(char::is_whitespace);
        if ok {
            return Some(FieldValue::Text(text));
        }
        let key = &def.name;
        let pos = self.raw.front.item_pos(key, &text);
        self.error(
            pos,
            format!("`{key}` must be an http(s) address, found \"{text}\""),
            format!("write the full address, e.g. `{key}: https://example.org/page`"),
        );
        None
    }

    /// One of the field's values, as its index.
    fn enumeration(
        &mut self,
        def: &FieldDef,
        values: &[crate::model::schema::EnumValue],
    ) -> Option<usize> {
        let written = self.string_of(def)?;
        if let Some(i) = values.iter().position(|v| v.value == written) {
            return Some(i);
        }
        let names: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
        let (key, kind) = (&def.name, self.kind_name());
        let allowed = format!("a {kind}'s {key} is {}", either(&names));
        let hint = match did_you_mean(&written, names.iter().copied()) {
            Some(s) => {
                let mut allowed = allowed;
                allowed[..1].make_ascii_uppercase();
                format!("did you mean `{key}: {s}`? {allowed}")
            }
            None => match &def.hint {
                Some(advice) => format!("{allowed}; {advice}"),
                None => allowed,
            },
        };
        let pos = self.raw.front.item_pos(key, &written);
        self.error(pos, format!("unknown {key} \"{written}\""), hint);
        None
    }

    /// Where a one-line value of `key` is written, else where `key` is.
    fn value_pos(&self, key: &str, value: &Value) -> Pos {
        match value {
            Value::String(s) => self.raw.front.item_pos(key, s),
            Value::Number(n) => self.raw.front.item_pos(key, &n.to_string()),
            _ => self.raw.front.key_pos(key),
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
        let builtin = match key {
            "title" => Some("Catching up".to_string()),
            "summary" => Some("One or two sentences that say when this applies.".to_string()),
            _ => None,
        };
        let def = self
            .model
            .fields(self.raw.kind)
            .iter()
            .find(|f| f.name == key);
        let example = builtin.or_else(|| def.and_then(|d| d.example.clone()));
        let hint = match (example, def.map(|d| &d.ty)) {
            (Some(example), _) => format!("add a line such as `{key}: {example}`"),
            (None, Some(FieldType::List | FieldType::Reference { many: true, .. }))
            | (None, None) => {
                format!("add `{key}:` as a list, e.g. `{key}: [\"...\"]`")
            }
            (None, Some(ty)) => format!("add a line `{key}: ...` ({})", ty.describe()),
        };
        let pos = Pos::new(
            self.raw.front.written.first_line.saturating_sub(1).max(1),
            1,
        );
        let kind = self.kind_name().to_string();
        self.error(
            pos,
            format!("missing required field `{key}` for a {kind}"),
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
            Value::Null => None,
            other => {
                let pos = self.value_pos(key, other);
                self.error(
                    pos,
                    format!("`{key}` must be a whole number, found {}", shown(other)),
                    format!("e.g. `{key}: 10`; lower numbers come first"),
                );
                None
            }
        }
    }

    fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.raw.front.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            other => {
                let pos = self.value_pos(key, other);
                self.error(
                    pos,
                    format!("`{key}` must be true or false, found {}", shown(other)),
                    format!("write `{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }
}

/// What a value is, with the value itself when it is short: `text "ten"`,
/// `the number 2.5`.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() <= 40 && !s.contains('\n') => format!("text \"{s}\""),
        Value::Number(n) => format!("the number {n}"),
        other => describe(other).to_string(),
    }
}

/// `YYYY-MM-DD`, with a month that exists and a day within it.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))?
            .parse::<u32>()
            .ok()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_real_days() {
        for ok in ["2025-01-20", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in [
            "2025-1-20",
            "2025-02-29",
            "1900-02-29",
            "2025-13-01",
            "2025-00-10",
            "20250120",
            "2025-01-2x",
            "2025-04-31",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
