//! `content/decide.yaml` → a checked decision [`Tree`]: questions whose answers
//! lead to further questions or to verdicts, each verdict a call (open, closed or
//! hybrid) with a confidence, what would change it, reasons linked to pages and
//! mistakes to watch for.
//!
//! Validation catches what would strand a reader: unknown ids, answers leading
//! nowhere, cycles, unreachable nodes, thin verdicts. It then counts every path.
//!
//! [`reader`] gives typed access to the YAML with positions, [`nodes`] reads
//! each question and verdict, [`answer_ids`] gives each answer its id,
//! [`paths`] walks the whole: path counts, what each answer can lead to and
//! the longest way on from each question.

pub mod answer_ids;
mod nodes;
mod paths;
mod reader;

use serde_yaml::Value;

use crate::diagnostics::Diagnostic;
use crate::load::front_matter;
use crate::model::tree::{Question, Target, Verdict};
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
    let (stats, reach) = r.walk(start, &questions, &verdicts, &site.config.model.tree.calls);
    if !r.diags.is_empty() {
        return (None, r.diags);
    }
    let mut questions = questions;
    let mut verdicts = verdicts;
    number(start, &mut questions, &mut verdicts);
    let calls = site.config.model.tree.calls.len();
    for (q, question) in questions.iter_mut().enumerate() {
        question.longest = reach.longest[q];
        question.reach = reach.per_call[q].clone();
        for a in &mut question.answers {
            a.reach = match a.target {
                Target::Question(n) => reach.per_call[n].clone(),
                Target::Verdict(v) => {
                    let mut one = vec![0; calls];
                    one[verdicts[v].call] = 1;
                    one
                }
            };
        }
    }
    let depth = reach.longest[start];
    let version = version(site, &title, &intro, start, &questions, &verdicts);
    let tree = Tree {
        title,
        intro,
        start,
        questions,
        verdicts,
        stats,
        depth,
        version,
    };
    (Some(tree), r.diags)
}

/// Numbers the questions (the start is Q1, the others follow in the order
/// written) and the verdicts (C1, … as written).
fn number(start: usize, questions: &mut [Question], verdicts: &mut [Verdict]) {
    let mut n = 1;
    questions[start].number = n;
    for (q, question) in questions.iter_mut().enumerate() {
        if q != start {
            n += 1;
            question.number = n;
        }
    }
    for (v, verdict) in verdicts.iter_mut().enumerate() {
        verdict.number = v + 1;
    }
}

/// Eight hex digits of a hash of everything a reader sees of the tree and
/// every id its addresses use: a different tree gets a different version,
/// a comment or a reindented line does not.
fn version(
    site: &Site,
    title: &str,
    intro: &str,
    start: usize,
    questions: &[Question],
    verdicts: &[Verdict],
) -> String {
    use std::fmt::Write as _;
    let page = |i: usize| site.pages[i].id.as_str();
    let mut s = String::new();
    let sep = '\u{1f}';
    let _ = write!(s, "{title}{sep}{intro}{sep}{}{sep}", questions[start].id);
    for q in questions {
        let _ = write!(
            s,
            "q{sep}{}{sep}{}{sep}{}{sep}{}{sep}",
            q.id, q.text, q.why, q.not_sure
        );
        for &p in &q.see {
            let _ = write!(s, "{}{sep}", page(p));
        }
        for a in &q.answers {
            let to = match a.target {
                Target::Question(n) => format!("q:{}", questions[n].id),
                Target::Verdict(v) => format!("v:{}", verdicts[v].id),
            };
            let _ = write!(s, "a{sep}{}{sep}{}{sep}{to}{sep}", a.id, a.label);
        }
    }
    let calls = &site.config.model.tree.calls;
    for v in verdicts {
        let _ = write!(
            s,
            "v{sep}{}{sep}{}{sep}{}{sep}{}{sep}{}{sep}{}{sep}",
            v.id,
            calls[v.call].value,
            v.title,
            page(v.recommend),
            v.confidence,
            v.changes
        );
        for r in &v.reasons {
            let _ = write!(s, "r{sep}{}{sep}{}{sep}", page(r.page), r.text);
        }
        for &w in &v.watch {
            let _ = write!(s, "w{sep}{}{sep}", page(w));
        }
    }
    let hash = xxhash_rust::xxh3::xxh3_64(s.as_bytes());
    format!("{:08x}", hash >> 32)
}
