//! Typed access to the tree's YAML, each problem reported at the file's line
//! and column.

use std::path::PathBuf;

use serde_yaml::Value;

use crate::diagnostics::{did_you_mean, list_for_hint, Diagnostic, Pos};
use crate::load::front_matter::describe;
use crate::load::{locate, locate_item};
use crate::model::{Kind, Site};

/// Typed access to the YAML with positions, reporting into `diags`.
pub(super) struct Reader<'a> {
    pub path: PathBuf,
    pub text: &'a str,
    pub diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    /// Where the nested key `path` is written, or a value `needle` below it.
    fn pos(&self, path: &[&str], needle: Option<&str>) -> Pos {
        locate(self.text, 1, path, needle)
    }

    pub(super) fn error(
        &mut self,
        path: &[&str],
        needle: Option<&str>,
        message: String,
        hint: &str,
    ) {
        let pos = self.pos(path, needle);
        self.diags.push(
            Diagnostic::new(self.path.clone(), message)
                .at_pos(pos)
                .hint(hint.to_string()),
        );
    }

    /// An error at item `index` of the list under `path`, at its `key`'s
    /// value when it has that key.
    pub(super) fn error_in_item(
        &mut self,
        path: &[&str],
        index: usize,
        key: Option<&str>,
        message: String,
        hint: &str,
    ) {
        let pos = locate_item(self.text, 1, path, index, key);
        self.diags.push(
            Diagnostic::new(self.path.clone(), message)
                .at_pos(pos)
                .hint(hint.to_string()),
        );
    }

    pub(super) fn unknown(&mut self, path: &[&str], id: &str, what: &str, known: &[&str]) {
        let hint = match did_you_mean(id, known.iter().copied()) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None if known.is_empty() => format!("there are no {what}s"),
            None => format!("known {what}s are {}", list_for_hint(known.iter().copied())),
        };
        self.error(path, Some(id), format!("unknown {what} \"{id}\""), &hint);
    }

    pub(super) fn unknown_keys(
        &mut self,
        map: &[(String, &Value)],
        allowed: &[&str],
        path: &[&str],
        what: &str,
    ) {
        for (key, _) in map {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let hint = match did_you_mean(key, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("{what} takes {}", allowed.join(", ")),
            };
            let mut p = path.to_vec();
            p.push(key);
            self.error(&p, None, format!("unknown field `{key}`"), &hint);
        }
    }

    pub(super) fn mapping<'v>(
        &mut self,
        value: Option<&'v Value>,
        path: &[&str],
        what: &str,
    ) -> Vec<(String, &'v Value)> {
        match value {
            None => {
                if path.len() == 1 {
                    self.error(
                        &[],
                        None,
                        format!("the decision tree has no `{}`", path[0]),
                        &format!("add `{}:` at the top level", path[0]),
                    );
                }
                Vec::new()
            }
            Some(Value::Mapping(m)) => m
                .iter()
                .filter_map(|(k, v)| match k {
                    Value::String(s) => Some((s.clone(), v)),
                    Value::Number(n) => Some((n.to_string(), v)),
                    _ => None,
                })
                .collect(),
            Some(other) => {
                self.error(
                    path,
                    None,
                    format!(
                        "{what} must be a map of `key: value` lines, found {}",
                        describe(other)
                    ),
                    "indent its fields under it, two spaces each",
                );
                Vec::new()
            }
        }
    }

    pub(super) fn list<'v>(
        &mut self,
        value: Option<&'v Value>,
        path: &[&str],
        required: bool,
    ) -> Vec<&'v Value> {
        match value {
            None => {
                if required {
                    let key = path.last().copied().unwrap_or("");
                    self.error(
                        &path[..path.len().saturating_sub(1)],
                        None,
                        format!("missing `{key}`"),
                        &format!("add `{key}:` with `- ` items under it"),
                    );
                }
                Vec::new()
            }
            Some(Value::Sequence(items)) => items.iter().collect(),
            Some(other) => {
                self.error(
                    path,
                    None,
                    format!(
                        "`{}` must be a list, found {}",
                        path.last().copied().unwrap_or(""),
                        describe(other)
                    ),
                    "write one `- item` per line under it",
                );
                Vec::new()
            }
        }
    }

    pub(super) fn text_of(
        &mut self,
        value: Option<&Value>,
        path: &[&str],
        required: bool,
    ) -> Option<String> {
        match value {
            None | Some(Value::Null) => {
                if required {
                    let key = path.last().copied().unwrap_or("");
                    self.error(
                        &path[..path.len().saturating_sub(1)],
                        None,
                        format!("missing `{key}`"),
                        &format!("add `{key}: ...`"),
                    );
                }
                None
            }
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            Some(other) => {
                self.error(
                    path,
                    None,
                    format!(
                        "`{}` must be text, found {}",
                        path.last().copied().unwrap_or(""),
                        describe(other)
                    ),
                    "write it on one line, quoted if it contains `: `",
                );
                None
            }
        }
    }

    /// One id or a list of ids, each a page of one of `kinds`.
    pub(super) fn page_ids(
        &mut self,
        value: Option<&Value>,
        path: &[&str],
        site: &Site,
        kinds: &[Kind],
        what: &str,
    ) -> Vec<usize> {
        let ids: Vec<String> = match value {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::String(s)) => vec![s.trim().to_string()],
            Some(Value::Sequence(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(|s| s.trim().to_string()))
                .collect(),
            Some(other) => {
                self.error(
                    path,
                    None,
                    format!("expected page ids, found {}", describe(other)),
                    "write an id, or a list such as `[catching-up, open-weights]`",
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for id in ids {
            match site.by_id.get(&id) {
                Some(&i) if kinds.contains(&site.pages[i].kind) => out.push(i),
                Some(&i) => self.error(
                    path,
                    Some(&id),
                    format!(
                        "\"{id}\" is a {}, not a {what}",
                        site.config.model.name(site.pages[i].kind)
                    ),
                    &format!("name a {what} here"),
                ),
                None => {
                    let mut known: Vec<&str> = site
                        .pages
                        .iter()
                        .filter(|p| kinds.contains(&p.kind))
                        .map(|p| p.id.as_str())
                        .collect();
                    known.sort_unstable();
                    self.unknown(path, &id, what, &known);
                }
            }
        }
        out
    }
}
