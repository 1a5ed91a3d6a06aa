//! `[tree]`: the decision tree's calls and the kinds its answers draw on.

use toml::de::DeValue;
use toml::Spanned;

use super::{Reader, TREE_KEYS};
use crate::model::schema::{EnumValue, KindDef, TreeDef};
use crate::model::Kind;

impl Reader<'_> {
    pub(super) fn tree(&mut self, tree: Option<&Spanned<DeValue>>, kinds: &[KindDef]) -> TreeDef {
        let defaults = default_tree(kinds);
        let Some(tree) = tree else {
            return defaults;
        };
        let Some(table) = self.table(tree, "`tree`") else {
            return defaults;
        };
        self.unknown_keys(table, TREE_KEYS, "`tree`");
        let calls = match table.get("calls") {
            Some(v) => self
                .enum_values(v, "the tree's calls")
                .unwrap_or(defaults.calls),
            None => defaults.calls,
        };
        let mut list = |key: &str, default: Vec<Kind>| {
            self.kinds_list(table, key, kinds, "`tree`")
                .unwrap_or(default)
        };
        TreeDef {
            calls,
            see: list("see", defaults.see),
            recommend: list("recommend", defaults.recommend),
            reasons: list("reasons", defaults.reasons),
            watch: list("watch", defaults.watch),
        }
    }
}

/// A tree's references may name any declared kind (and free pages, for
/// `see`); its calls default to open, closed and hybrid.
fn default_tree(kinds: &[KindDef]) -> TreeDef {
    let all: Vec<Kind> = (0..kinds.len()).map(|i| Kind::Declared(i as u16)).collect();
    let call = |value: &str, label: &str, tone: &str| EnumValue {
        value: value.into(),
        label: label.into(),
        tone: Some(tone.into()),
        heading: None,
    };
    TreeDef {
        calls: vec![
            call("open", "Open it", "good"),
            call("closed", "Stay closed", "bad"),
            call("hybrid", "Go hybrid", "mixed"),
        ],
        see: all.iter().copied().chain([Kind::Page]).collect(),
        recommend: all.clone(),
        reasons: all.clone(),
        watch: all,
    }
}
