//! `content/decide.yaml` → a checked decision [`Tree`]: questions whose answers
//! lead to further questions or to verdicts, each verdict a call (open, closed or
//! hybrid) with a confidence, what would change it, reasons linked to pages and
//! mistakes to watch for.
//!
//! Validation catches what would strand a reader: unknown ids, answers leading
//! nowhere, cycles, unreachable nodes, thin verdicts. It then counts every path.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_yaml::Value;

use crate::diagnostics::{did_you_mean, list_for_hint, Diagnostic, Pos};
use crate::load::front_matter::{self, describe};
use crate::model::tree::{Answer, Call, Question, Reason, Stats, Target, Verdict};
use crate::model::{Kind, Site, SourceText, Tree};

const TOP_KEYS: &[&str] = &["title", "intro", "start", "questions", "verdicts"];
const QUESTION_KEYS: &[&str] = &["question", "why", "see", "answers"];
const ANSWER_KEYS: &[&str] = &["label", "next", "verdict"];
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

/// Parses and checks the tree. Returns `None` with diagnostics when it is unusable.
pub fn build(source: &SourceText, site: &Site) -> (Option<Tree>, Vec<Diagnostic>) {
    let mut c = Checker {
        path: source.shown_path.clone(),
        text: &source.text,
        diags: Vec::new(),
    };
    let top = match front_matter::parse(&source.text, 1) {
        Ok(fm) => fm,
        Err((pos, message, hint)) => {
            c.diags.push(
                Diagnostic::new(c.path.clone(), message)
                    .at_pos(pos)
                    .hint(hint),
            );
            return (None, c.diags);
        }
    };
    let top_map: Vec<(String, &Value)> = top.fields.iter().map(|(k, v)| (k.clone(), v)).collect();
    c.unknown_keys(&top_map, TOP_KEYS, &[], "the decision tree");
    let get = |k: &str| top.get(k);
    let title = c
        .text_of(get("title"), &["title"], false)
        .unwrap_or_else(|| "Decide".into());
    let intro = c
        .text_of(get("intro"), &["intro"], false)
        .unwrap_or_default();

    let questions_map = c.mapping(get("questions"), &["questions"], "questions");
    let verdicts_map = c.mapping(get("verdicts"), &["verdicts"], "verdicts");
    let q_index: HashMap<&str, usize> = questions_map
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i))
        .collect();
    let v_index: HashMap<&str, usize> = verdicts_map
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i))
        .collect();
    if questions_map.is_empty() && get("questions").is_some() {
        c.error(
            &["questions"],
            None,
            "the tree has no questions".into(),
            "add at least one question under `questions:`",
        );
    }

    let start = match c.text_of(get("start"), &["start"], true) {
        Some(id) => match q_index.get(id.as_str()) {
            Some(&i) => Some(i),
            None => {
                let known: Vec<&str> = questions_map.iter().map(|(k, _)| k.as_str()).collect();
                c.unknown(&["start"], &id, "question", &known);
                None
            }
        },
        None => None,
    };

    let mut questions = Vec::with_capacity(questions_map.len());
    for (id, value) in &questions_map {
        let path = ["questions", id.as_str()];
        let map = c.mapping(Some(value), &path, "a question");
        c.unknown_keys(&map, QUESTION_KEYS, &path, "a question");
        let field = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
        let text = c
            .text_of(field("question"), &[path[0], path[1], "question"], true)
            .unwrap_or_default();
        let why = c
            .text_of(field("why"), &[path[0], path[1], "why"], false)
            .unwrap_or_default();
        let see = c.page_ids(
            field("see"),
            &[path[0], path[1], "see"],
            site,
            &[
                Kind::Pattern,
                Kind::Case,
                Kind::Hybrid,
                Kind::Mistake,
                Kind::Page,
            ],
            "page",
        );
        let answer_values = c.list(field("answers"), &[path[0], path[1], "answers"], true);
        if answer_values.len() < 2 && field("answers").is_some() {
            c.error(&[path[0], path[1], "answers"], None, format!("question \"{id}\" has {} answer{}", answer_values.len(), if answer_values.len() == 1 { "" } else { "s" }), "a question needs at least two answers; if there is only one way on, point the previous answer further");
        }
        let mut answers = Vec::new();
        for a in &answer_values {
            let apath = [path[0], path[1], "answers"];
            let amap = c.mapping(Some(a), &apath, "an answer");
            c.unknown_keys(&amap, ANSWER_KEYS, &apath, "an answer");
            let afield = |k: &str| amap.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
            let label = c.text_of(afield("label"), &apath, true).unwrap_or_default();
            let next = c.text_of(afield("next"), &apath, false);
            let verdict = c.text_of(afield("verdict"), &apath, false);
            let target = match (next, verdict) {
                (Some(q), None) => match q_index.get(q.as_str()) {
                    Some(&i) => Some(Target::Question(i)),
                    None => {
                        let known: Vec<&str> =
                            questions_map.iter().map(|(k, _)| k.as_str()).collect();
                        c.unknown(&apath, &q, "question", &known);
                        None
                    }
                },
                (None, Some(v)) => match v_index.get(v.as_str()) {
                    Some(&i) => Some(Target::Verdict(i)),
                    None => {
                        let known: Vec<&str> =
                            verdicts_map.iter().map(|(k, _)| k.as_str()).collect();
                        c.unknown(&apath, &v, "verdict", &known);
                        None
                    }
                },
                (Some(_), Some(_)) => {
                    c.error(
                        &apath,
                        Some(&label),
                        format!("answer \"{label}\" has both `next` and `verdict`"),
                        "an answer leads either to the next question or to a verdict: keep one",
                    );
                    None
                }
                (None, None) => {
                    c.error(
                        &apath,
                        Some(&label),
                        format!("answer \"{label}\" leads nowhere"),
                        "add `next: <question id>` or `verdict: <verdict id>`",
                    );
                    None
                }
            };
            if let Some(target) = target {
                answers.push(Answer { label, target });
            }
        }
        questions.push(Question {
            id: id.clone(),
            text,
            why,
            see,
            answers,
        });
    }

    let mut verdicts = Vec::with_capacity(verdicts_map.len());
    for (id, value) in &verdicts_map {
        let path = ["verdicts", id.as_str()];
        let map = c.mapping(Some(value), &path, "a verdict");
        c.unknown_keys(&map, VERDICT_KEYS, &path, "a verdict");
        let field = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
        let sub = |k: &'static str| [path[0], path[1], k];
        let call = match c.text_of(field("call"), &sub("call"), true).as_deref() {
            Some("open") => Some(Call::Open),
            Some("closed") => Some(Call::Closed),
            Some("hybrid") => Some(Call::Hybrid),
            Some(other) => {
                let hint = match did_you_mean(other, ["open", "closed", "hybrid"]) {
                    Some(s) => format!("did you mean `call: {s}`?"),
                    None => "a call is `open`, `closed` or `hybrid`".into(),
                };
                c.error(
                    &sub("call"),
                    Some(other),
                    format!("unknown call \"{other}\""),
                    &hint,
                );
                None
            }
            None => None,
        };
        let title = c.text_of(field("title"), &sub("title"), false);
        let recommend = c.page_ids(
            field("recommend"),
            &sub("recommend"),
            site,
            &[Kind::Pattern, Kind::Hybrid],
            "pattern or hybrid",
        );
        let recommend_single = match (field("recommend"), recommend.as_slice()) {
            (None, _) => {
                c.error(
                    &path,
                    None,
                    format!("verdict \"{id}\" recommends nothing"),
                    "add `recommend: <pattern or hybrid id>`: the strategy to follow",
                );
                None
            }
            (Some(_), [one]) => Some(*one),
            (Some(Value::Sequence(_)), _) => {
                c.error(
                    &sub("recommend"),
                    None,
                    "`recommend` names one pattern or hybrid".into(),
                    "keep the best fit; mention others among the reasons",
                );
                None
            }
            _ => None,
        };
        let confidence = match field("confidence") {
            None => {
                c.error(
                    &path,
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
                c.error(
                    &sub("confidence"),
                    None,
                    format!(
                        "`confidence` must be a whole number from 0 to 100, found {}",
                        match other {
                            Value::Number(n) => n.to_string(),
                            other => describe(other).to_string(),
                        }
                    ),
                    "e.g. `confidence: 75`",
                );
                None
            }
        };
        let changes = c.text_of(field("changes"), &sub("changes"), false);
        if changes.is_none() && field("changes").is_none() {
            c.error(
                &path,
                None,
                format!("verdict \"{id}\" does not say what would change it"),
                "add `changes: ...`: the signal that would flip or weaken the call",
            );
        }
        let mut reasons = Vec::new();
        let reason_values = c.list(field("reasons"), &sub("reasons"), false);
        for r in &reason_values {
            let rmap = c.mapping(Some(r), &sub("reasons"), "a reason");
            c.unknown_keys(&rmap, REASON_KEYS, &sub("reasons"), "a reason");
            let rfield = |k: &str| rmap.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
            let text = c
                .text_of(rfield("text"), &sub("reasons"), true)
                .unwrap_or_default();
            let page = c.page_ids(
                rfield("page"),
                &sub("reasons"),
                site,
                &[Kind::Case, Kind::Pattern, Kind::Hybrid],
                "case, pattern or hybrid",
            );
            if let [page] = page.as_slice() {
                reasons.push(Reason { page: *page, text });
            } else if rfield("page").is_none() {
                c.error(
                    &sub("reasons"),
                    Some(&text),
                    "a reason links to no page".into(),
                    "add `page: <case, pattern or hybrid id>` to each reason",
                );
            }
        }
        if reason_values.len() < 2 {
            c.error(&path, None, format!("verdict \"{id}\" gives {} reason{}", reason_values.len(), if reason_values.len() == 1 { "" } else { "s" }), "give at least two reasons, each `{ page: <id>, text: ... }`, so the reader sees why");
        }
        let watch = c.page_ids(
            field("watch"),
            &sub("watch"),
            site,
            &[Kind::Mistake],
            "mistake",
        );
        if let (Some(call), Some(recommend), Some(confidence)) =
            (call, recommend_single, confidence)
        {
            verdicts.push(Verdict {
                id: id.clone(),
                call,
                title: title.unwrap_or_else(|| call.label().to_string()),
                recommend,
                confidence,
                changes: changes.unwrap_or_default(),
                reasons,
                watch,
            });
        }
    }

    if !c.diags.is_empty() {
        return (None, c.diags);
    }
    let Some(start) = start else {
        return (None, c.diags);
    };
    let stats = c.walk(start, &questions, &verdicts);
    if !c.diags.is_empty() {
        return (None, c.diags);
    }
    let tree = Tree {
        title,
        intro,
        start,
        questions,
        verdicts,
        stats,
    };
    (Some(tree), c.diags)
}

/// Typed access to the YAML with positions, reporting into `diags`.
struct Checker<'a> {
    path: PathBuf,
    text: &'a str,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Where the nested key `path` is written, or a value `needle` below it.
    fn pos(&self, path: &[&str], needle: Option<&str>) -> Pos {
        locate(self.text, path, needle)
    }

    fn error(&mut self, path: &[&str], needle: Option<&str>, message: String, hint: &str) {
        let pos = self.pos(path, needle);
        self.diags.push(
            Diagnostic::new(self.path.clone(), message)
                .at_pos(pos)
                .hint(hint.to_string()),
        );
    }

    fn unknown(&mut self, path: &[&str], id: &str, what: &str, known: &[&str]) {
        let hint = match did_you_mean(id, known.iter().copied()) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None if known.is_empty() => format!("there are no {what}s"),
            None => format!("known {what}s are {}", list_for_hint(known.iter().copied())),
        };
        self.error(path, Some(id), format!("unknown {what} \"{id}\""), &hint);
    }

    fn unknown_keys(
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

    fn mapping<'v>(
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

    fn list<'v>(
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

    fn text_of(&mut self, value: Option<&Value>, path: &[&str], required: bool) -> Option<String> {
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
    fn page_ids(
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
                    format!("\"{id}\" is a {}, not a {what}", site.pages[i].kind.name()),
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

    /// Depth-first walk from the start: finds cycles and unreachable nodes, and
    /// counts the paths to each call. Each node is expanded once (memoised), so
    /// this is linear in the size of the tree even when paths share subtrees.
    fn walk(&mut self, start: usize, questions: &[Question], verdicts: &[Verdict]) -> Stats {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            New,
            OnStack,
            Done,
        }
        let mut state = vec![State::New; questions.len()];
        let mut counts: Vec<[usize; 3]> = vec![[0; 3]; questions.len()];
        let mut verdict_seen = vec![false; verdicts.len()];
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = State::OnStack;
        let mut trail: Vec<usize> = vec![start];
        while let Some(&mut (q, ref mut next_answer)) = stack.last_mut() {
            if let Some(answer) = questions[q].answers.get(*next_answer) {
                *next_answer += 1;
                match answer.target {
                    Target::Verdict(v) => {
                        verdict_seen[v] = true;
                        let call = verdicts[v].call as usize;
                        counts[q][call] += 1;
                    }
                    Target::Question(n) => match state[n] {
                        State::New => {
                            state[n] = State::OnStack;
                            stack.push((n, 0));
                            trail.push(n);
                        }
                        State::OnStack => {
                            let from = trail.iter().position(|&t| t == n).unwrap_or(0);
                            let cycle: Vec<&str> = trail[from..]
                                .iter()
                                .map(|&t| questions[t].id.as_str())
                                .chain(std::iter::once(questions[n].id.as_str()))
                                .collect();
                            let label = answer.label.clone();
                            self.error(&["questions", &questions[q].id, "answers"], Some(&label), format!("answer \"{label}\" loops back: {}", cycle.join(" → ")), "a reader must always reach a verdict: point this answer at a later question or a verdict");
                        }
                        State::Done => {
                            let sub = counts[n];
                            for (c, s) in counts[q].iter_mut().zip(sub) {
                                *c += s;
                            }
                        }
                    },
                }
            } else {
                state[q] = State::Done;
                stack.pop();
                trail.pop();
                if let Some(&(parent, _)) = stack.last() {
                    let sub = counts[q];
                    for (c, s) in counts[parent].iter_mut().zip(sub) {
                        *c += s;
                    }
                }
            }
        }
        for (i, q) in questions.iter().enumerate() {
            if state[i] == State::New {
                self.error(
                    &["questions", &q.id],
                    None,
                    format!("question \"{}\" cannot be reached from the start", q.id),
                    "point an answer at it with `next:`, or remove it",
                );
            }
        }
        for (i, v) in verdicts.iter().enumerate() {
            if !verdict_seen[i] {
                self.error(
                    &["verdicts", &v.id],
                    None,
                    format!("verdict \"{}\" cannot be reached", v.id),
                    "point an answer at it with `verdict:`, or remove it",
                );
            }
        }
        let per_call = counts[start];
        Stats {
            questions: questions.len(),
            verdicts: verdicts.len(),
            paths: per_call.iter().sum(),
            paths_per_call: per_call,
        }
    }
}

/// Finds the line of a nested block-style key (`questions:` → `  moat:` → `    answers:`)
/// by indentation, then optionally the first occurrence of `needle` inside that
/// block. Falls back to the deepest part of the path it found.
pub fn locate(text: &str, path: &[&str], needle: Option<&str>) -> Pos {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    let mut end = lines.len();
    let mut min_indent: isize = -1;
    let mut found = Pos::new(1, 1);
    for key in path {
        let hit = (from..end).find(|&i| {
            let line = lines[i];
            let indent = (line.len() - line.trim_start().len()) as isize;
            let body = line.trim_start().trim_start_matches("- ");
            indent > min_indent
                && (body.starts_with(&format!("{key}:"))
                    || body.starts_with(&format!("\"{key}\":")))
        });
        let Some(i) = hit else { break };
        let indent = (lines[i].len() - lines[i].trim_start().len()) as isize;
        found = Pos::new(i + 1, indent as usize + 1);
        // The block ends at the next line indented no deeper than the key.
        let block_end = (i + 1..end)
            .find(|&j| {
                let l = lines[j];
                !l.trim().is_empty()
                    && !l.trim_start().starts_with('#')
                    && ((l.len() - l.trim_start().len()) as isize) <= indent
            })
            .unwrap_or(end);
        from = i;
        end = block_end;
        min_indent = indent;
    }
    if let Some(needle) = needle.filter(|n| !n.is_empty()) {
        for (i, line) in lines.iter().enumerate().take(end).skip(from) {
            // On the key's own line, look only at its value.
            let skip = if i == from && !path.is_empty() {
                line.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            if let Some(c) = line[skip..].find(needle) {
                return Pos::new(i + 1, line[..skip + c].chars().count() + 1);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_nested_keys_and_values() {
        let text = "start: a\nquestions:\n  a:\n    question: Q\n    answers:\n      - label: Yes\n        next: b\n  b:\n    question: R\n";
        assert_eq!(locate(text, &["questions", "a"], None), Pos::new(3, 3));
        assert_eq!(
            locate(text, &["questions", "a", "answers"], Some("next: b")),
            Pos::new(7, 9)
        );
        assert_eq!(locate(text, &["questions", "b"], None), Pos::new(8, 3));
        assert_eq!(locate(text, &["start"], Some("a")), Pos::new(1, 8));
    }
}
