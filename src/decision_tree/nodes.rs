//! The tree's nodes, read from YAML: each question with its answers, each
//! verdict with its call, recommendation, confidence, reasons and mistakes
//! to watch. Every problem is reported; a node that cannot be used is left
//! out, so later checks still run on the rest.

use std::collections::HashMap;

use serde_yaml::Value;

use super::answer_ids;
use super::reader::Reader;
use crate::diagnostics::did_you_mean;
use crate::load::front_matter::describe;
use crate::model::schema::either;
use crate::model::tree::{Answer, Question, Reason, Target, Verdict, NOT_SURE};
use crate::model::Site;

const QUESTION_KEYS: &[&str] = &["question", "why", "see", "answers", "not_sure"];
const ANSWER_KEYS: &[&str] = &["id", "label", "next", "verdict"];
const VERDICT_KEYS: &[&str] = &[
    "call",
    "title",
    "recommend",
    "confidence",
    "changes",
    "reasons",
    "watch",
];
const REASON_KEYS: &[&str] = &["page", "text"];

/// The ids of the tree's questions and verdicts, in file order, to resolve
/// answers against.
pub(super) struct Ids<'a> {
    questions: Vec<&'a str>,
    verdicts: Vec<&'a str>,
    question_index: HashMap<&'a str, usize>,
    verdict_index: HashMap<&'a str, usize>,
}

impl<'a> Ids<'a> {
    pub fn of(questions: &'a [(String, &Value)], verdicts: &'a [(String, &Value)]) -> Ids<'a> {
        let ids = |map: &'a [(String, &Value)]| map.iter().map(|(k, _)| k.as_str()).collect();
        let index = |ids: &Vec<&'a str>| ids.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let questions: Vec<&str> = ids(questions);
        let verdicts: Vec<&str> = ids(verdicts);
        Ids {
            question_index: index(&questions),
            verdict_index: index(&verdicts),
            questions,
            verdicts,
        }
    }
}

impl Reader<'_> {
    /// The question `start` names.
    pub(super) fn start(&mut self, value: Option<&Value>, ids: &Ids) -> Option<usize> {
        let id = self.text_of(value, &["start"], true)?;
        match ids.question_index.get(id.as_str()) {
            Some(&i) => Some(i),
            None => {
                self.unknown(&["start"], &id, "question", &ids.questions);
                None
            }
        }
    }

    /// Question `id`, with the answers that lead somewhere known.
    pub(super) fn question(&mut self, id: &str, value: &Value, ids: &Ids, site: &Site) -> Question {
        let path = ["questions", id];
        let map = self.mapping(Some(value), &path, "a question");
        self.unknown_keys(&map, QUESTION_KEYS, &path, "a question");
        let field = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
        let sub = |k: &'static str| [path[0], path[1], k];
        let text = self
            .text_of(field("question"), &sub("question"), true)
            .unwrap_or_default();
        let why = self
            .text_of(field("why"), &sub("why"), false)
            .unwrap_or_default();
        let see = self.page_ids(
            field("see"),
            &sub("see"),
            site,
            &site.config.model.tree.see,
            "page",
        );
        let answer_values = self.list(field("answers"), &sub("answers"), true);
        if answer_values.len() < 2 && field("answers").is_some() {
            let n = answer_values.len();
            self.error(
                &sub("answers"),
                None,
                format!("question \"{id}\" has {n} answer{}", plural(n)),
                "a question needs at least two answers; if there is only one way on, point the previous answer further",
            );
        }
        let not_sure = self.not_sure(field("not_sure"), &sub("not_sure"));
        let mut answers: Vec<Answer> = Vec::with_capacity(answer_values.len());
        // Where each kept answer is written, to point at a duplicate id.
        let mut first_of: HashMap<String, usize> = HashMap::new();
        for (i, a) in answer_values.iter().enumerate() {
            let Some((answer, authored)) = self.answer(a, &sub("answers"), i, ids) else {
                continue;
            };
            let key = authored.then_some("id").or(Some("label"));
            if not_sure && answer.id == NOT_SURE {
                self.error_in_item(
                    &sub("answers"),
                    i,
                    key,
                    format!("answer \"{}\" has the id \"{NOT_SURE}\", which question \"{id}\" gives its \"Not sure\" option", answer.label),
                    "give the answer another `id:`, or drop `not_sure: true`",
                );
                continue;
            }
            if let Some(&j) = first_of.get(&answer.id) {
                let from = if authored {
                    ""
                } else {
                    " (taken from its label)"
                };
                self.error_in_item(
                    &sub("answers"),
                    i,
                    key,
                    format!(
                        "question \"{id}\" has two answers with the id \"{}\"{from}: \"{}\" and \"{}\"",
                        answer.id, answers[j].label, answer.label
                    ),
                    &format!(
                        "the page's address records answers by id, so each must be unique: give this one its own `id:`, e.g. `id: {}-2`",
                        answer.id
                    ),
                );
                continue;
            }
            first_of.insert(answer.id.clone(), answers.len());
            answers.push(answer);
        }
        Question {
            id: id.to_string(),
            number: 0,
            text,
            why,
            see,
            answers,
            not_sure,
            longest: 0,
            reach: Vec::new(),
        }
    }

    /// `not_sure: true` lets the reader answer "Not sure".
    fn not_sure(&mut self, value: Option<&Value>, path: &[&str]) -> bool {
        match value {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                let (found, needle) = match other {
                    Value::String(s) => (format!("\"{s}\""), Some(s.as_str())),
                    Value::Number(n) => (n.to_string(), None),
                    other => (describe(other).to_string(), None),
                };
                self.error(
                    path,
                    needle,
                    format!("`not_sure` must be true or false, found {found}"),
                    "write `not_sure: true` to offer the reader a \"Not sure\" answer, which follows every answer and shows the calls they lead to",
                );
                false
            }
        }
    }

    /// Answer `index` of the list under `path`, if it leads to a known
    /// question or verdict, with whether its id was written by the author.
    fn answer(
        &mut self,
        value: &Value,
        path: &[&str],
        index: usize,
        ids: &Ids,
    ) -> Option<(Answer, bool)> {
        let map = self.mapping(Some(value), path, "an answer");
        self.unknown_keys(&map, ANSWER_KEYS, path, "an answer");
        let field = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
        let label = self.text_of(field("label"), path, true).unwrap_or_default();
        let written = self.text_of(field("id"), path, false);
        let authored = written.is_some();
        let id = match written {
            Some(id) => {
                if let Some(problem) = answer_ids::problem(&id) {
                    self.error_in_item(
                        path,
                        index,
                        Some("id"),
                        format!("answer id \"{id}\" {problem}"),
                        &format!(
                            "an id is lower-case letters and digits, words joined by hyphens, e.g. `id: {}`",
                            answer_ids::suggest(&id)
                        ),
                    );
                    None
                } else {
                    Some(id)
                }
            }
            None => {
                let id = answer_ids::from_label(&label);
                if id.is_empty() && !label.is_empty() {
                    self.error_in_item(
                        path,
                        index,
                        Some("label"),
                        format!("answer \"{label}\" has no letter or digit to take an id from"),
                        "give it an id, e.g. `id: yes`: the page's address records answers by id",
                    );
                    None
                } else {
                    Some(id)
                }
            }
        };
        let next = self.text_of(field("next"), path, false);
        let verdict = self.text_of(field("verdict"), path, false);
        let target = match (next, verdict) {
            (Some(q), None) => match ids.question_index.get(q.as_str()) {
                Some(&i) => Target::Question(i),
                None => {
                    self.unknown(path, &q, "question", &ids.questions);
                    return None;
                }
            },
            (None, Some(v)) => match ids.verdict_index.get(v.as_str()) {
                Some(&i) => Target::Verdict(i),
                None => {
                    self.unknown(path, &v, "verdict", &ids.verdicts);
                    return None;
                }
            },
            (Some(_), Some(_)) => {
                self.error(
                    path,
                    Some(&label),
                    format!("answer \"{label}\" has both `next` and `verdict`"),
                    "an answer leads either to the next question or to a verdict: keep one",
                );
                return None;
            }
            (None, None) => {
                self.error(
                    path,
                    Some(&label),
                    format!("answer \"{label}\" leads nowhere"),
                    "add `next: <question id>` or `verdict: <verdict id>`",
                );
                return None;
            }
        };
        Some((
            Answer {
                id: id?,
                label,
                target,
                reach: Vec::new(),
            },
            authored,
        ))
    }

    /// Verdict `id`, if its call, recommendation and confidence are usable.
    pub(super) fn verdict(&mut self, id: &str, value: &Value, site: &Site) -> Option<Verdict> {
        let path = ["verdicts", id];
        let map = self.mapping(Some(value), &path, "a verdict");
        self.unknown_keys(&map, VERDICT_KEYS, &path, "a verdict");
        let field = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
        let sub = |k: &'static str| [path[0], path[1], k];
        let call = self.call(field("call"), &sub("call"), site);
        let title = self.text_of(field("title"), &sub("title"), false);
        let recommend = self.recommend(field("recommend"), id, site);
        let confidence = self.confidence(field("confidence"), id);
        let changes = self.text_of(field("changes"), &sub("changes"), false);
        if changes.is_none() && field("changes").is_none() {
            self.error(
                &path,
                None,
                format!("verdict \"{id}\" does not say what would change it"),
                "add `changes: ...`: the signal that would flip or weaken the call",
            );
        }
        let reasons = self.reasons(field("reasons"), id, site);
        let model = &site.config.model;
        let watch = self.page_ids(
            field("watch"),
            &sub("watch"),
            site,
            &model.tree.watch,
            &model.names_of(&model.tree.watch),
        );
        let (call, recommend, confidence) = (call?, recommend?, confidence?);
        Some(Verdict {
            id: id.to_string(),
            number: 0,
            call,
            title: title.unwrap_or_else(|| model.tree.calls[call].label.clone()),
            recommend,
            confidence,
            changes: changes.unwrap_or_default(),
            reasons,
            watch,
        })
    }

    /// One of the calls the model declares, as its index.
    fn call(&mut self, value: Option<&Value>, path: &[&str], site: &Site) -> Option<usize> {
        let calls = &site.config.model.tree.calls;
        let written = self.text_of(value, path, true)?;
        if let Some(i) = calls.iter().position(|c| c.value == written) {
            return Some(i);
        }
        let names: Vec<&str> = calls.iter().map(|c| c.value.as_str()).collect();
        let hint = match did_you_mean(&written, names.iter().copied()) {
            Some(s) => format!("did you mean `call: {s}`?"),
            None => format!("a call is {}", either(&names)),
        };
        self.error(
            path,
            Some(&written),
            format!("unknown call \"{written}\""),
            &hint,
        );
        None
    }

    /// The one page (a pattern or hybrid, by default) verdict `id` recommends.
    fn recommend(&mut self, value: Option<&Value>, id: &str, site: &Site) -> Option<usize> {
        let path = ["verdicts", id, "recommend"];
        let model = &site.config.model;
        let what = model.names_of(&model.tree.recommend);
        let pages = self.page_ids(value, &path, site, &model.tree.recommend, &what);
        match (value, pages.as_slice()) {
            (None, _) => {
                self.error(
                    &path[..2],
                    None,
                    format!("verdict \"{id}\" recommends nothing"),
                    &format!("add `recommend: <{what} id>`: the strategy to follow"),
                );
                None
            }
            (Some(_), [one]) => Some(*one),
            (Some(Value::Sequence(_)), _) => {
                self.error(
                    &path,
                    None,
                    format!("`recommend` names one {what}"),
                    "keep the best fit; mention others among the reasons",
                );
                None
            }
            _ => None,
        }
    }

    /// A percentage, 0 to 100.
    fn confidence(&mut self, value: Option<&Value>, id: &str) -> Option<u8> {
        match value {
            None => {
                self.error(
                    &["verdicts", id],
                    None,
                    format!("verdict \"{id}\" has no confidence"),
                    "add `confidence: 75` (a percentage the reader sees)",
                );
                None
            }
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= 100) => {
                n.as_u64().map(|n| n as u8)
            }
            Some(other) => {
                let found = match other {
                    Value::Number(n) => n.to_string(),
                    other => describe(other).to_string(),
                };
                self.error(
                    &["verdicts", id, "confidence"],
                    None,
                    format!("`confidence` must be a whole number from 0 to 100, found {found}"),
                    "e.g. `confidence: 75`",
                );
                None
            }
        }
    }

    /// At least two reasons, each linked to a case, pattern or hybrid.
    fn reasons(&mut self, value: Option<&Value>, id: &str, site: &Site) -> Vec<Reason> {
        let path = ["verdicts", id, "reasons"];
        let model = &site.config.model;
        let what = model.names_of(&model.tree.reasons);
        let values = self.list(value, &path, false);
        let mut reasons = Vec::new();
        for r in &values {
            let map = self.mapping(Some(r), &path, "a reason");
            self.unknown_keys(&map, REASON_KEYS, &path, "a reason");
            let field = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
            let text = self.text_of(field("text"), &path, true).unwrap_or_default();
            let page = self.page_ids(field("page"), &path, site, &model.tree.reasons, &what);
            if let [page] = page.as_slice() {
                reasons.push(Reason { page: *page, text });
            } else if field("page").is_none() {
                self.error(
                    &path,
                    Some(&text),
                    "a reason links to no page".into(),
                    &format!("add `page: <{what} id>` to each reason"),
                );
            }
        }
        if values.len() < 2 {
            let n = values.len();
            self.error(
                &path[..2],
                None,
                format!("verdict \"{id}\" gives {n} reason{}", plural(n)),
                "give at least two reasons, each `{ page: <id>, text: ... }`, so the reader sees why",
            );
        }
        reasons
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
