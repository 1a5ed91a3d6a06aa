//! book.toml's `[kinds.*]` and `[tree]` tables → the checked [`Model`].
//!
//! Read from toml's spanned tables, so every mistake in the declaration is
//! reported at its line and column in book.toml, all at once. A site that
//! declares no kinds gets the default model (`default-model.toml`).
//!
//! Here: the entry point, the typed reading every table shares ([`Reader`])
//! and the kinds' names and folders; `fields` reads each kind's fields and
//! `tree` the `[tree]` table.

mod fields;
mod tree;

use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::model::schema::{KindDef, Model, TreeDef};
use crate::model::Kind;

/// The default model's declaration, as shipped.
pub const DEFAULT_MODEL: &str = include_str!("default-model.toml");

/// Front-matter keys every kind takes; a declared field may not take their names.
pub const BUILT_IN_FIELDS: &[&str] = &["title", "summary", "id", "related", "weight", "draft"];

/// Kind names playbook gives the home page and free pages.
const RESERVED_KINDS: &[&str] = &["home", "page"];

/// Folders the output already uses at its root.
const RESERVED_FOLDERS: &[&str] = &["assets"];

const KIND_KEYS: &[&str] = &[
    "folder",
    "label",
    "plural",
    "description",
    "group-by",
    "fields",
];
const FIELD_KEYS: &[&str] = &[
    "type",
    "required",
    "label",
    "description",
    "default",
    "example",
    "hint",
    "facet",
    "values",
    "to",
    "many",
    "inverse",
];
const TYPES: &[&str] = &[
    "text",
    "markdown",
    "list",
    "integer",
    "boolean",
    "date",
    "url",
    "enum",
    "reference",
];
const VALUE_KEYS: &[&str] = &["value", "label", "tone", "heading"];
const TREE_KEYS: &[&str] = &["calls", "see", "recommend", "reasons", "watch"];

/// Labels the theme gives its own groups of links, which an inverse may not take.
const BUILT_IN_GROUPS: &[&str] = &["Related", "Linked from"];

/// The model `kinds` and `tree` declare (from book.toml, whose text is
/// `text`), or the default model if there are no kinds.
pub fn read(
    kinds: Option<&Spanned<DeValue>>,
    tree: Option<&Spanned<DeValue>>,
    text: &str,
    shown: &Path,
) -> Result<Model, Vec<Diagnostic>> {
    let Some(kinds) = kinds else {
        return default_model(tree, text, shown);
    };
    let mut r = Reader {
        text,
        shown,
        diags: Vec::new(),
    };
    let model = r.model(kinds, tree);
    if r.diags.is_empty() {
        Ok(model)
    } else {
        // Some checks need the whole model first (group-by, inverses); the
        // author reads the file top to bottom.
        r.diags.sort_by_key(|d| (d.line, d.col));
        Err(r.diags)
    }
}

/// The default model, with the site's own `[tree]` if it declares one.
fn default_model(
    tree: Option<&Spanned<DeValue>>,
    text: &str,
    shown: &Path,
) -> Result<Model, Vec<Diagnostic>> {
    let mut model = Model::default();
    if let Some(tree) = tree {
        let mut r = Reader {
            text,
            shown,
            diags: Vec::new(),
        };
        let kinds = model.kinds.clone();
        model.tree = r.tree(Some(tree), &kinds);
        if !r.diags.is_empty() {
            return Err(r.diags);
        }
    }
    Ok(model)
}

impl Default for Model {
    /// The model of `default-model.toml`.
    fn default() -> Model {
        let table = DeTable::parse(DEFAULT_MODEL);
        let model = table.ok().and_then(|t| {
            let t = t.get_ref();
            let mut r = Reader {
                text: DEFAULT_MODEL,
                shown: Path::new("default-model.toml"),
                diags: Vec::new(),
            };
            let model = r.model(t.get("kinds")?, t.get("tree"));
            r.diags.is_empty().then_some(model)
        });
        // The file is part of the program and a unit test reads it without
        // error, so this fallback is never taken.
        model.unwrap_or(Model {
            kinds: Vec::new(),
            tree: TreeDef {
                calls: Vec::new(),
                see: Vec::new(),
                recommend: Vec::new(),
                reasons: Vec::new(),
                watch: Vec::new(),
            },
        })
    }
}

/// Typed access to the spanned declaration, reporting into `diags`.
struct Reader<'a> {
    text: &'a str,
    shown: &'a Path,
    diags: Vec<Diagnostic>,
}

/// A table's entries in the order they are written.
fn entries<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'t Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

impl Reader<'_> {
    fn error(&mut self, at: usize, message: String, hint: impl Into<String>) {
        self.diags.push(
            Diagnostic::new(self.shown, message)
                .at_pos(Pos::of_offset(self.text, at, 1))
                .hint(hint),
        );
    }

    fn table<'t, 'i>(
        &mut self,
        value: &'t Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<&'t DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.error(
                    value.span().start,
                    format!("{what} must be a table"),
                    format!("write {what} as `{{ key = value, … }}` or under its own `[…]` header"),
                );
                None
            }
        }
    }

    fn unknown_keys(&mut self, table: &DeTable, allowed: &[&str], what: &str) {
        for (key, _) in entries(table) {
            let name = key.get_ref().as_ref();
            if allowed.contains(&name) {
                continue;
            }
            let hint = match did_you_mean(name, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("{what} takes {}", allowed.join(", ")),
            };
            self.error(
                key.span().start,
                format!("unknown key `{name}` in {what}"),
                hint,
            );
        }
    }

    fn string(&mut self, table: &DeTable, key: &str, what: &str) -> Option<String> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.error(
                    value.span().start,
                    format!("`{key}` of {what} must be text"),
                    format!("write `{key} = \"...\"`"),
                );
                None
            }
        }
    }

    fn boolean(&mut self, table: &DeTable, key: &str, what: &str) -> bool {
        match table.get(key).map(|v| (v.get_ref(), v.span().start)) {
            None => false,
            Some((DeValue::Boolean(b), _)) => *b,
            Some((_, at)) => {
                self.error(
                    at,
                    format!("`{key}` of {what} must be true or false"),
                    format!("write `{key} = true` or `{key} = false`"),
                );
                false
            }
        }
    }

    /// A list of kind names, each a kind of `kinds` (or `page`).
    fn kinds_list(
        &mut self,
        table: &DeTable,
        key: &str,
        kinds: &[KindDef],
        what: &str,
    ) -> Option<Vec<Kind>> {
        let value = table.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                value.span().start,
                format!("`{key}` of {what} must be a list of kind names"),
                format!(
                    "e.g. `{key} = [\"{}\"]`",
                    kinds.first().map_or("case", |k| k.name.as_str())
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let DeValue::String(name) = item.get_ref() else {
                self.error(
                    item.span().start,
                    format!("`{key}` lists kind names"),
                    "quote each name",
                );
                continue;
            };
            match kind_named(kinds, name) {
                Some(kind) => out.push(kind),
                None => {
                    let names: Vec<&str> = kinds
                        .iter()
                        .map(|k| k.name.as_str())
                        .chain(["page"])
                        .collect();
                    let hint = match did_you_mean(name, names.iter().copied()) {
                        Some(s) => format!("did you mean \"{s}\"?"),
                        None => format!(
                            "the declared kinds are {}; `page` names the pages at the top of the content folder",
                            names[..names.len() - 1].join(", ")
                        ),
                    };
                    self.error(
                        item.span().start,
                        format!("`{key}` names an undeclared kind \"{name}\""),
                        hint,
                    );
                }
            }
        }
        Some(out)
    }

    fn model(&mut self, kinds: &Spanned<DeValue>, tree: Option<&Spanned<DeValue>>) -> Model {
        let Some(table) = self.table(kinds, "`kinds`") else {
            return Model {
                kinds: Vec::new(),
                tree: self.tree(None, &[]),
            };
        };
        let entries = entries(table);
        // Names and folders first: fields may refer to any kind.
        let mut defs: Vec<KindDef> = Vec::new();
        for (name, value) in &entries {
            if let Some(def) = self.kind_header(name, value, &defs) {
                defs.push(def);
            }
        }
        let mut kinds_out = Vec::new();
        for (name, value) in &entries {
            let Some(mut def) = defs
                .iter()
                .find(|d| d.name == name.get_ref().as_ref())
                .cloned()
            else {
                continue;
            };
            if let DeValue::Table(t) = value.get_ref() {
                def.fields = self.fields(t, &def.name, &defs);
                def.group_by = self.group_by(t, &def);
            }
            kinds_out.push(def);
        }
        if kinds_out.is_empty() && self.diags.is_empty() {
            self.error(
                kinds.span().start,
                "`kinds` declares no kind".into(),
                "declare at least one, e.g. `[kinds.case]` with `folder = \"cases\"`",
            );
        }
        self.inverse_clashes(table, &kinds_out);
        let tree = self.tree(tree, &kinds_out);
        Model {
            kinds: kinds_out,
            tree,
        }
    }

    /// A kind's name, folder and labels.
    fn kind_header(
        &mut self,
        name: &Spanned<std::borrow::Cow<str>>,
        value: &Spanned<DeValue>,
        earlier: &[KindDef],
    ) -> Option<KindDef> {
        let id = name.get_ref().to_string();
        let what = format!("kind `{id}`");
        let table = self.table(value, &what)?;
        self.unknown_keys(table, KIND_KEYS, &what);
        if !is_name(&id) || RESERVED_KINDS.contains(&id.as_str()) {
            self.error(name.span().start, format!("\"{id}\" cannot name a kind"), "a kind's name is lower-case letters, digits, `-` and `_`, and neither `home` nor `page` (playbook's own)");
            return None;
        }
        let folder = self
            .string(table, "folder", &what)
            .unwrap_or_else(|| format!("{id}s"));
        let at = table
            .get("folder")
            .map_or(name.span().start, |f| f.span().start);
        if !is_name(&folder) || RESERVED_FOLDERS.contains(&folder.as_str()) {
            self.error(
                at,
                format!("\"{folder}\" cannot be a kind's folder"),
                "a folder is one name of lower-case letters, digits, `-` and `_`, not `assets`",
            );
            return None;
        }
        if let Some(other) = earlier.iter().find(|k| k.folder == folder) {
            self.error(
                at,
                format!(
                    "kinds `{}` and `{id}` both claim the folder `{folder}`",
                    other.name
                ),
                "each kind needs a folder of its own",
            );
            return None;
        }
        let label = self
            .string(table, "label", &what)
            .unwrap_or_else(|| capitalise(&id));
        let plural = self
            .string(table, "plural", &what)
            .unwrap_or_else(|| format!("{label}s"));
        Some(KindDef {
            description: self.string(table, "description", &what).unwrap_or_default(),
            name: id,
            folder,
            label,
            plural,
            group_by: None,
            fields: Vec::new(),
        })
    }
}

fn kind_named(kinds: &[KindDef], name: &str) -> Option<Kind> {
    if name == "page" {
        return Some(Kind::Page);
    }
    kinds
        .iter()
        .position(|k| k.name == name)
        .map(|i| Kind::Declared(i as u16))
}

/// Lower-case letters, digits, `-` and `_`.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// `warning-signs` → `Warning signs`.
fn capitalise(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_model_reads_without_error() {
        let table = DeTable::parse(DEFAULT_MODEL).unwrap();
        let t = table.get_ref();
        let mut r = Reader {
            text: DEFAULT_MODEL,
            shown: Path::new("default-model.toml"),
            diags: Vec::new(),
        };
        let model = r.model(t.get("kinds").unwrap(), t.get("tree"));
        assert!(r.diags.is_empty(), "{:?}", r.diags);
        let names: Vec<&str> = model.kinds.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["pattern", "case", "hybrid", "mistake"]);
        assert_eq!(model, Model::default());
        let case = &model.kinds[1];
        assert_eq!(case.group_by, Some(0));
        assert_eq!(model.tree.calls.len(), 3);
        assert_eq!(model.tree.recommend, [Kind::Declared(0), Kind::Declared(2)]);
    }

    #[test]
    fn labels_default_from_names() {
        assert_eq!(capitalise("warning-signs"), "Warning signs");
        assert_eq!(capitalise("case"), "Case");
    }
}
