//! `content/decide.yaml` → a checked decision [`Tree`]: questions whose answers
//! lead to further questions or to verdicts, each verdict a call (open, closed or
//! hybrid) with a confidence, what would change it, reasons linked to pages and
//! mistakes to watch for.
//!
//! Validation catches what would strand a reader: unknown ids, answers leading
//! nowhere, cycles, unreachable nodes, thin verdicts. It then counts every path.
//!
//! [`reader`] gives typed access to the YAML with positions, [`nodes`] reads
//! each question and verdict, [`paths`] walks the whole.

mod nodes;
mod paths;
mod reader;

use serde_yaml::Value;

use crate::diagnostics::Diagnostic;
use crate::load::front_matter;
use crate::model::{Site, SourceText, Tree};
use nodes::Ids;
use reader::Reader;

const TOP_KEYS: &[&str] = &["title", "intro", "start", "questions", "verdicts"];

/// Parses and checks the tree. Returns `None` with diagnostics when it is unusable.
pub fn build(source: &SourceText, site: &Site) -> (Option<Tree>, Vec<Diagnostic>) {
    let mut r = Reader {
        path: source.shown_path.clone(),
        text: &source.text,
        diags: Vec::new(),
    };
    let top = match front_matter::parse(&source.text, 1) {
        Ok(fm) => fm,
        Err(e) => {
            r.diags.push(e.diagnostic(r.path.clone(), 1));
            return (None, r.diags);
        }
    };
    let top_map: Vec<(String, &Value)> = top.fields.iter().map(|(k, v)| (k.clone(), v)).collect();
    r.unknown_keys(&top_map, TOP_KEYS, &[], "the decision tree");
    let get = |k: &str| top.get(k);
    let title = r
        .text_of(get("title"), &["title"], false)
        .unwrap_or_else(|| "Decide".into());
    let intro = r
        .text_of(get("intro"), &["intro"], false)
        .unwrap_or_default();
    let questions_map = r.mapping(get("questions"), &["questions"], "questions");
    let verdicts_map = r.mapping(get("verdicts"), &["verdicts"], "verdicts");
    let ids = Ids::of(&questions_map, &verdicts_map);
    if questions_map.is_empty() && get("questions").is_some() {
        r.error(
            &["questions"],
            None,
            "the tree has no questions".into(),
            "add at least one question under `questions:`",
        );
    }
    let start = r.start(get("start"), &ids);
    let questions: Vec<_> = questions_map
        .iter()
        .map(|(id, value)| r.question(id, value, &ids, site))
        .collect();
    let verdicts: Vec<_> = verdicts_map
        .iter()
        .filter_map(|(id, value)| r.verdict(id, value, site))
        .collect();
    if !r.diags.is_empty() {
        return (None, r.diags);
    }
    let Some(start) = start else {
        return (None, r.diags);
    };
    let stats = r.walk(start, &questions, &verdicts, &site.config.model.tree.calls);
    if !r.diags.is_empty() {
        return (None, r.diags);
    }
    let tree = Tree {
        title,
        intro,
        start,
        questions,
        verdicts,
        stats,
    };
    (Some(tree), r.diags)
}
