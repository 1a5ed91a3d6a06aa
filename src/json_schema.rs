//! `playbook schema`: the content model → one JSON Schema (draft-07) per kind,
//! so an editor checks and completes front matter while the author types.
//!
//! A schema accepts what the build accepts, as far as JSON Schema can say it:
//! a page that builds never shows an editor error. What only the build can
//! judge (that `id:` matches the file name, that a referenced page is not a
//! draft) is left to it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::RawPage;
use crate::model::schema::{FieldDef, FieldType};
use crate::model::{Kind, Model};

/// Every schema file starts with this, so `playbook schema` only ever
/// overwrites files it wrote.
const MARK: &str = "Written by `playbook schema` from book.toml";

/// One schema file to write.
#[derive(Debug)]
pub struct SchemaFile {
    /// `case.schema.json`
    pub name: String,
    /// The pages it is for, relative to the site folder: `content/cases/**/*.md`.
    pub glob: String,
    pub json: Value,
}

/// The schemas of every kind of `config`'s model: one per declared kind, and
/// `page.schema.json` for the home page and free pages (which take only the
/// built-in fields). With `pages`, references list the ids that exist, so an
/// editor completes them; without, any id-shaped text is accepted.
pub fn schemas(config: &Config, pages: Option<&[Arc<RawPage>]>) -> Vec<SchemaFile> {
    let model = &config.model;
    let content = config
        .content_dir
        .strip_prefix(&config.root)
        .unwrap_or(&config.content_dir)
        .to_string_lossy()
        .replace('\\', "/");
    let content = if content.is_empty() {
        ".".to_string()
    } else {
        content
    };
    let ids = |kinds: Option<&[Kind]>| -> Option<Vec<String>> {
        let pages = pages?;
        let mut ids: Vec<String> = pages
            .iter()
            .filter(|p| kinds.is_none_or(|k| k.contains(&p.kind)))
            .map(|p| p.id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        Some(ids)
    };
    let mut files = Vec::new();
    for kind in model.sections() {
        files.push(SchemaFile {
            name: format!("{}.schema.json", model.name(kind)),
            glob: format!("{content}/{}/**/*.md", model.folder(kind)),
            json: kind_schema(model, kind, &ids),
        });
    }
    files.push(SchemaFile {
        name: "page.schema.json".into(),
        glob: format!("{content}/*.md"),
        json: kind_schema(model, Kind::Page, &ids),
    });
    files
}

type Ids<'a> = dyn Fn(Option<&[Kind]>) -> Option<Vec<String>> + 'a;

fn kind_schema(model: &Model, kind: Kind, ids: &Ids) -> Value {
    let mut properties = Map::new();
    let text = || json!({ "type": ["string", "number", "boolean"] });
    properties.insert(
        "title".into(),
        described(
            required_text(),
            "The page's title, as headings and links show it",
        ),
    );
    properties.insert(
        "summary".into(),
        described(
            required_text(),
            "One or two sentences: what the page is about",
        ),
    );
    properties.insert(
        "id".into(),
        described(
            text(),
            "Optional: must repeat the file name, which gives the id",
        ),
    );
    properties.insert(
        "related".into(),
        described(
            nullable(array_of(reference(ids(None)))),
            "Ids of any pages this one relates to",
        ),
    );
    properties.insert(
        "weight".into(),
        described(
            json!({ "type": ["integer", "null"] }),
            "Lower comes first in lists; otherwise by title",
        ),
    );
    properties.insert(
        "draft".into(),
        described(
            json!({ "type": ["boolean", "null"] }),
            "Left out of the build unless `--drafts`",
        ),
    );
    let mut required = vec![json!("title"), json!("summary")];
    for field in model.fields(kind) {
        properties.insert(field.name.clone(), field_schema(model, field, ids));
        if field.required {
            required.push(json!(field.name));
        }
    }
    let (title, description) = match model.kind_def(kind) {
        Some(def) => (def.label.clone(), def.description.clone()),
        None => (
            "Page".into(),
            "The home page (index.md) and pages at the top of the content folder".into(),
        ),
    };
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$comment": format!("{MARK}; run it again after changing the model or adding pages."),
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn field_schema(model: &Model, field: &FieldDef, ids: &Ids) -> Value {
    let schema = match &field.ty {
        FieldType::Text | FieldType::Markdown if field.required => required_text(),
        FieldType::Text | FieldType::Markdown => json!({ "type": ["string", "number", "boolean"] }),
        FieldType::List => array_of(json!({ "type": ["string", "number"] })),
        FieldType::Integer => json!({ "type": "integer" }),
        FieldType::Boolean => json!({ "type": "boolean" }),
        // The build also checks that the day exists (no 2025-02-30).
        FieldType::Date => json!({ "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$" }),
        FieldType::Url => {
            json!({ "type": "string", "pattern": r"^[hH][tT][tT][pP][sS]?://[^/\s]\S*$" })
        }
        FieldType::Enum(values) => {
            let names: Vec<Value> = values.iter().map(|v| json!(v.value)).collect();
            let labels: Vec<Value> = values.iter().map(|v| json!(v.label)).collect();
            // `enumDescriptions` is the YAML language server's: it shows each
            // value's label beside it in the completion list.
            json!({ "type": "string", "enum": names, "enumDescriptions": labels })
        }
        FieldType::Reference { to, many, .. } => {
            let one = reference(ids(Some(to)));
            let one = with_description(one, format!("The id of a {} page", model.names_of(to)));
            if *many {
                array_of(one)
            } else {
                one
            }
        }
    };
    let schema = if field.required {
        schema
    } else {
        nullable(schema)
    };
    let mut schema = if field.description.is_empty() {
        with_description(schema, field.label.clone())
    } else {
        with_description(schema, format!("{}: {}", field.label, field.description))
    };
    if let (Some(default), Value::Object(map)) = (default_value(field), &mut schema) {
        map.insert("default".into(), default);
    }
    schema
}

/// Text that must not be blank; numbers and booleans are taken as written.
fn required_text() -> Value {
    json!({
        "anyOf": [
            { "type": "string", "pattern": r"\S" },
            { "type": ["number", "boolean"] },
        ]
    })
}

/// An id: one of `ids` if known, else any id-shaped text.
fn reference(ids: Option<Vec<String>>) -> Value {
    match ids {
        // An empty `enum` is invalid in draft-07; no page of the kind exists
        // yet, so no value can be right, which `not: {}` says.
        Some(ids) if ids.is_empty() => json!({ "type": "string", "not": {} }),
        Some(ids) => json!({ "type": "string", "enum": ids }),
        None => json!({ "type": "string", "pattern": "^[a-z0-9_-]+$" }),
    }
}

fn array_of(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

/// `key:` with nothing after it is YAML's null, which the build takes as
/// "not given".
fn nullable(schema: Value) -> Value {
    let Value::Object(mut map) = schema else {
        return schema;
    };
    match map.get_mut("type") {
        Some(Value::String(t)) => {
            let t = t.clone();
            map.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) => types.push(json!("null")),
        _ => return json!({ "anyOf": [Value::Object(map), { "type": "null" }] }),
    }
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        values.push(Value::Null);
    }
    Value::Object(map)
}

fn described(schema: Value, text: &str) -> Value {
    with_description(schema, text.to_string())
}

fn with_description(mut schema: Value, text: String) -> Value {
    if let Value::Object(map) = &mut schema {
        map.insert("description".into(), Value::String(text));
    }
    schema
}

fn default_value(field: &FieldDef) -> Option<Value> {
    use crate::model::FieldValue;
    Some(match (field.default.as_ref()?, &field.ty) {
        (FieldValue::Text(t), _) => json!(t),
        (FieldValue::List(items), _) => json!(items),
        (FieldValue::Integer(n), _) => json!(n),
        (FieldValue::Boolean(b), _) => json!(b),
        (FieldValue::Enum(i), FieldType::Enum(values)) => json!(values.get(*i)?.value),
        _ => return None,
    })
}

/// Writes `files` into `dir` (shown to the author as `shown`), creating it if
/// needed. A file of the same name that `playbook schema` did not write is
/// never replaced: nothing is written then. Returns the paths written, as shown.
pub fn write(dir: &Path, shown: &Path, files: &[SchemaFile]) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::new(shown, "exists and is not a folder")
            .hint("choose another folder with `--out`"));
    }
    for file in files {
        let path = dir.join(&file.name);
        let ours = match std::fs::read_to_string(&path) {
            Ok(existing) => existing.contains(MARK),
            Err(_) => !path.exists(),
        };
        if !ours {
            return Err(Diagnostic::new(
                shown.join(&file.name),
                "exists, and playbook did not write it",
            )
            .hint("move it away, or write the schemas elsewhere with `--out`"));
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostic::new(shown, format!("cannot create: {e}")))?;
    let mut written = Vec::new();
    for file in files {
        let (path, shown) = (dir.join(&file.name), shown.join(&file.name));
        let mut text = serde_json::to_string_pretty(&file.json)
            .map_err(|e| Diagnostic::new(&shown, format!("cannot write: {e}")))?;
        text.push('\n');
        std::fs::write(&path, text)
            .map_err(|e| Diagnostic::new(&shown, format!("cannot write: {e}")))?;
        written.push(shown);
    }
    Ok(written)
}

/// The `.remarkrc.json` that makes VS Code's remark extension check every
/// page against its kind's schema; `schema_dir` as the site folder sees it
/// (`./schemas`).
pub fn remark_config(files: &[SchemaFile], schema_dir: &str) -> Value {
    let schemas: Map<String, Value> = files
        .iter()
        .map(|f| (format!("{schema_dir}/{}", f.name), json!([f.glob])))
        .collect();
    json!({
        "plugins": [
            "remark-frontmatter",
            ["remark-lint-frontmatter-schema", { "schemas": schemas }],
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_joins_the_type_and_the_values() {
        assert_eq!(
            nullable(json!({ "type": "string", "enum": ["a"] })),
            json!({ "type": ["string", "null"], "enum": ["a", null] })
        );
        assert_eq!(
            nullable(json!({ "type": ["string", "number"] })),
            json!({ "type": ["string", "number", "null"] })
        );
        assert_eq!(
            nullable(json!({ "anyOf": [] })),
            json!({ "anyOf": [{ "anyOf": [] }, { "type": "null" }] })
        );
    }

    #[test]
    fn no_page_of_a_kind_means_no_reference_can_be_right() {
        assert_eq!(
            reference(Some(vec![])),
            json!({ "type": "string", "not": {} })
        );
    }
}
