//! A kind's fields: their types, enumerations, defaults, the field a kind
//! groups by and the inverses of its references.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{capitalise, entries, is_name, Reader};
use super::{BUILT_IN_FIELDS, BUILT_IN_GROUPS, FIELD_KEYS, TYPES, VALUE_KEYS};
use crate::diagnostics::did_you_mean;
use crate::model::schema::{either, EnumValue, FieldDef, FieldType, FieldValue, KindDef, TONES};
use crate::model::Kind;

impl Reader<'_> {
    pub(super) fn fields(
        &mut self,
        kind: &DeTable,
        kind_name: &str,
        kinds: &[KindDef],
    ) -> Vec<FieldDef> {
        let Some(value) = kind.get("fields") else {
            return Vec::new();
        };
        let Some(table) = self.table(value, &format!("`kinds.{kind_name}.fields`")) else {
            return Vec::new();
        };
        entries(table)
            .into_iter()
            .filter_map(|(name, value)| self.field(name, value, kind_name, kinds))
            .collect()
    }

    pub(super) fn field(
        &mut self,
        name: &Spanned<std::borrow::Cow<str>>,
        value: &Spanned<DeValue>,
        kind: &str,
        kinds: &[KindDef],
    ) -> Option<FieldDef> {
        let field = name.get_ref().to_string();
        let what = format!("field `{field}` of kind `{kind}`");
        let table = self.table(value, &what)?;
        self.unknown_keys(table, FIELD_KEYS, &what);
        if BUILT_IN_FIELDS.contains(&field.as_str()) || !is_name(&field) {
            self.error(name.span().start, format!("\"{field}\" cannot name a field"), format!("every kind already takes {}; a field's name is lower-case letters, digits, `-` and `_`", BUILT_IN_FIELDS.join(", ")));
            return None;
        }
        let ty = self.field_type(table, &what, value, kinds)?;
        let required = self.boolean(table, "required", &what);
        let default = table
            .get("default")
            .and_then(|d| self.default(d, &ty, &what));
        if required && default.is_some() {
            let at = table.get("default").map_or(0, |d| d.span().start);
            self.error(
                at,
                format!("{what} is required and has a default"),
                "a field with a default is never missing: drop `required` or `default`",
            );
        }
        let facet = self.boolean(table, "facet", &what);
        if facet && !matches!(ty, FieldType::Enum(_)) {
            let at = table.get("facet").map_or(0, |f| f.span().start);
            self.error(
                at,
                format!("{what} is a facet but not an enumeration"),
                "only `type = \"enum\"` fields can filter search results",
            );
        }
        Some(FieldDef {
            label: self
                .string(table, "label", &what)
                .unwrap_or_else(|| capitalise(&field)),
            description: self.string(table, "description", &what).unwrap_or_default(),
            example: self.string(table, "example", &what),
            hint: self.string(table, "hint", &what),
            name: field,
            ty,
            required,
            default,
            facet,
        })
    }

    pub(super) fn field_type(
        &mut self,
        table: &DeTable,
        what: &str,
        value: &Spanned<DeValue>,
        kinds: &[KindDef],
    ) -> Option<FieldType> {
        let Some(ty) = self.string(table, "type", what) else {
            if table.get("type").is_none() {
                self.error(
                    value.span().start,
                    format!("{what} has no `type`"),
                    format!("add `type = \"text\"`; the types are {}", TYPES.join(", ")),
                );
            }
            return None;
        };
        let at = table.get("type").map_or(0, |t| t.span().start);
        Some(match ty.as_str() {
            "text" => FieldType::Text,
            "markdown" => FieldType::Markdown,
            "list" => FieldType::List,
            "integer" => FieldType::Integer,
            "boolean" => FieldType::Boolean,
            "date" => FieldType::Date,
            "url" => FieldType::Url,
            "enum" => FieldType::Enum(self.values(table, what, at)?),
            "reference" => {
                let Some(to) = self.kinds_list(table, "to", kinds, what) else {
                    self.error(
                        at,
                        format!("{what} refers to no kind"),
                        "add `to = [\"<kind>\", …]`: the kinds its pages may name",
                    );
                    return None;
                };
                let many = self.boolean(table, "many", what);
                let inverse = self.string(table, "inverse", what);
                FieldType::Reference { to, many, inverse }
            }
            other => {
                let hint = match did_you_mean(other, TYPES.iter().copied()) {
                    Some(s) => format!("did you mean `type = \"{s}\"`?"),
                    None => format!("the types are {}", TYPES.join(", ")),
                };
                self.error(at, format!("unknown type \"{other}\" for {what}"), hint);
                return None;
            }
        })
    }

    /// An enumeration's values, each with its label and optional tone; `at`
    /// is where its `type = "enum"` is written.
    pub(super) fn values(
        &mut self,
        table: &DeTable,
        what: &str,
        at: usize,
    ) -> Option<Vec<EnumValue>> {
        let Some(value) = table.get("values") else {
            self.error(
                at,
                format!("{what} is an enumeration with no `values`"),
                "add `values = [{ value = \"a\", label = \"A\" }, …]`",
            );
            return None;
        };
        self.enum_values(value, &format!("the values of {what}"))
    }

    pub(super) fn enum_values(
        &mut self,
        value: &Spanned<DeValue>,
        what: &str,
    ) -> Option<Vec<EnumValue>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                value.span().start,
                format!("{what} must be a list"),
                "write `[{ value = \"a\", label = \"A\", tone = \"good\" }, …]`",
            );
            return None;
        };
        let mut out: Vec<EnumValue> = Vec::new();
        for item in items.iter() {
            let Some(t) = self.table(item, "each value") else {
                continue;
            };
            self.unknown_keys(t, VALUE_KEYS, "a value");
            let Some(v) = self.string(t, "value", "a value") else {
                self.error(
                    item.span().start,
                    "a value has no `value`".into(),
                    "add `value = \"...\"`: what front matter writes",
                );
                continue;
            };
            if out.iter().any(|o| o.value == v) {
                self.error(
                    item.span().start,
                    format!("the value \"{v}\" is declared twice"),
                    "each value once",
                );
                continue;
            }
            let tone = self.string(t, "tone", "a value");
            if let Some(tone) = tone.as_deref().filter(|t| !TONES.contains(t)) {
                let at = t.get("tone").map_or(item.span().start, |s| s.span().start);
                let hint = match did_you_mean(tone, TONES.iter().copied()) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => format!("the tones are {}", TONES.join(", ")),
                };
                self.error(at, format!("unknown tone \"{tone}\""), hint);
            }
            out.push(EnumValue {
                label: self
                    .string(t, "label", "a value")
                    .unwrap_or_else(|| capitalise(&v)),
                heading: self.string(t, "heading", "a value"),
                value: v,
                tone,
            });
        }
        if out.is_empty() {
            self.error(
                value.span().start,
                format!("{what} are empty"),
                "declare at least one value",
            );
            return None;
        }
        Some(out)
    }

    /// A field's default, checked against its type.
    pub(super) fn default(
        &mut self,
        value: &Spanned<DeValue>,
        ty: &FieldType,
        what: &str,
    ) -> Option<FieldValue> {
        let got = match (ty, value.get_ref()) {
            (
                FieldType::Text | FieldType::Markdown | FieldType::Date | FieldType::Url,
                DeValue::String(s),
            ) => Some(FieldValue::Text(s.to_string())),
            (FieldType::List, DeValue::Array(items)) => items
                .iter()
                .map(|i| match i.get_ref() {
                    DeValue::String(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(FieldValue::List),
            (FieldType::Integer, DeValue::Integer(n)) => {
                n.as_str().parse().ok().map(FieldValue::Integer)
            }
            (FieldType::Boolean, DeValue::Boolean(b)) => Some(FieldValue::Boolean(*b)),
            (FieldType::Enum(values), DeValue::String(s)) => values
                .iter()
                .position(|v| v.value == s.as_ref())
                .map(FieldValue::Enum),
            _ => None,
        };
        if got.is_none() {
            let hint = match ty {
                FieldType::Enum(values) => {
                    let names: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
                    format!("the values are {}", either(&names))
                }
                FieldType::Reference { .. } => "a reference has no default".into(),
                other => format!("write {} in TOML", other.describe()),
            };
            self.error(
                value.span().start,
                format!("the default of {what} is not {}", ty.describe()),
                hint,
            );
        }
        got
    }

    /// The enumeration field a kind's index page groups by.
    pub(super) fn group_by(&mut self, table: &DeTable, def: &KindDef) -> Option<usize> {
        let value = table.get("group-by")?;
        let name = match value.get_ref() {
            DeValue::String(s) => s.to_string(),
            _ => {
                self.error(
                    value.span().start,
                    "`group-by` must name a field".into(),
                    "e.g. `group-by = \"verdict\"`",
                );
                return None;
            }
        };
        let at = value.span().start;
        match def.fields.iter().position(|f| f.name == name) {
            Some(i) if matches!(def.fields[i].ty, FieldType::Enum(_)) => Some(i),
            Some(_) => {
                self.error(
                    at,
                    format!(
                        "kind `{}` groups by `{name}`, which is not an enumeration",
                        def.name
                    ),
                    "group by a field with `type = \"enum\"`, whose values name the groups",
                );
                None
            }
            None => {
                let names: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
                let hint = match did_you_mean(&name, names.iter().copied()) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None if names.is_empty() => "the kind declares no fields".into(),
                    None => format!("its fields are {}", names.join(", ")),
                };
                self.error(
                    at,
                    format!(
                        "kind `{}` groups by `{name}`, which it does not declare",
                        def.name
                    ),
                    hint,
                );
                None
            }
        }
    }

    /// Two reference fields of one kind into one kind may not share an
    /// inverse label, nor may an inverse take a label the theme uses.
    pub(super) fn inverse_clashes(&mut self, table: &DeTable, kinds: &[KindDef]) {
        for def in kinds {
            let mut seen: Vec<(&str, &[Kind])> = Vec::new();
            for field in &def.fields {
                let FieldType::Reference {
                    to,
                    inverse: Some(inverse),
                    ..
                } = &field.ty
                else {
                    continue;
                };
                let at = inverse_span(table, &def.name, &field.name);
                if BUILT_IN_GROUPS.contains(&inverse.as_str()) {
                    self.error(
                        at,
                        format!(
                            "the inverse \"{inverse}\" of `{}.{}` is a label playbook uses",
                            def.name, field.name
                        ),
                        format!(
                            "{} already name lists of links: choose another label",
                            BUILT_IN_GROUPS.join(" and ")
                        ),
                    );
                } else if let Some((other, _)) = seen.iter().find(|(label, other_to)| {
                    *label == inverse && other_to.iter().any(|k| to.contains(k))
                }) {
                    let _ = other;
                    self.error(
                        at,
                        format!(
                            "two fields of `{}` into the same kind share the inverse \"{inverse}\"",
                            def.name
                        ),
                        "the other page could not tell them apart: give each its own label",
                    );
                }
                seen.push((inverse.as_str(), to.as_slice()));
            }
        }
    }
}

/// Where `kinds.<kind>.fields.<field>.inverse` is written.
fn inverse_span(table: &DeTable, kind: &str, field: &str) -> usize {
    let span = || -> Option<usize> {
        let DeValue::Table(k) = table.get(kind)?.get_ref() else {
            return None;
        };
        let DeValue::Table(f) = k.get("fields")?.get_ref() else {
            return None;
        };
        let DeValue::Table(t) = f.get(field)?.get_ref() else {
            return None;
        };
        Some(t.get("inverse")?.span().start)
    };
    span().unwrap_or(0)
}
