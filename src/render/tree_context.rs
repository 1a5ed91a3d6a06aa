//! The decision tree's template context: `tree` for decide.html,
//! decide-map.html and print.html, and the same data as JSON for decide.js.
//!
//! Everything the reader's script needs is worked out here, at build time:
//! each question's number and the longest way on from it (for "Question 3 of
//! at most 6"), each answer's id and target ("→ Q4", "→ C3 Stay closed"), the
//! calls the other answers of a question lead to (what-if), the spread of
//! calls below a question the reader may answer "Not sure", and the tree's
//! version. The script only looks these up.

use super::context::{canonical, link, LinkCtx};
use super::sidebar::{self, Current};
use super::{DECIDE_MAP_PAGE, DECIDE_PAGE};
use crate::escape::script_json;
use crate::model::schema::EnumValue;
use crate::model::tree::{count, others, Target};
use crate::model::{Site, Tree};

/// Paths to one call.
#[derive(serde::Serialize)]
pub(super) struct CountCtx<'a> {
    call: &'a str,
    /// A string, exact however large (JavaScript numbers are not).
    paths: String,
}

/// The calls with paths to them, in the model's order; none with no path.
fn counts<'a>(calls: &'a [EnumValue], per_call: &[u128]) -> Vec<CountCtx<'a>> {
    calls
        .iter()
        .zip(per_call)
        .filter(|(_, n)| **n > 0)
        .map(|(c, &n)| CountCtx {
            call: &c.value,
            paths: count(n),
        })
        .collect()
}

/// "Stay closed (1 path), Go hybrid (2 paths)".
fn in_words(calls: &[EnumValue], per_call: &[u128]) -> String {
    calls
        .iter()
        .zip(per_call)
        .filter(|(_, n)| **n > 0)
        .map(|(c, &n)| {
            let s = if n == 1 { "" } else { "s" };
            format!("{} ({} path{s})", c.label, count(n))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(serde::Serialize)]
pub(super) struct CallCtx<'a> {
    value: &'a str,
    label: &'a str,
    tone: &'a str,
}

#[derive(serde::Serialize)]
pub(super) struct AnswerCtx<'a> {
    /// What the page's address records.
    id: &'a str,
    label: &'a str,
    next: Option<&'a str>,
    verdict: Option<&'a str>,
    /// The anchor of its target in the page's static (no-script) version.
    anchor: String,
    /// Its target's number: `Q4` or `C3`.
    to: String,
    /// Its target as the printed tree names it: `Q4`, or `C3 Stay closed`.
    to_text: String,
    /// Paths to each call through the question's other answers.
    whatif: Vec<CountCtx<'a>>,
}

#[derive(serde::Serialize)]
pub(super) struct QuestionCtx<'a> {
    id: &'a str,
    number: usize,
    text: &'a str,
    why: &'a str,
    see: Vec<LinkCtx<'a>>,
    answers: Vec<AnswerCtx<'a>>,
    /// Whether the reader may answer "Not sure".
    not_sure: bool,
    /// The most questions asked from here on, this one included.
    longest: usize,
    /// Paths from here to each call: what "Not sure" shows.
    spread: Vec<CountCtx<'a>>,
    /// The same in words: "Stay closed (1 path), Go hybrid (2 paths)".
    spread_text: String,
}

#[derive(serde::Serialize)]
pub(super) struct ReasonCtx<'a> {
    #[serde(flatten)]
    page: LinkCtx<'a>,
    text: &'a str,
}

#[derive(serde::Serialize)]
pub(super) struct VerdictCtx<'a> {
    id: &'a str,
    number: usize,
    call: &'a str,
    call_label: &'a str,
    tone: &'a str,
    title: &'a str,
    confidence: u8,
    changes: &'a str,
    recommend: LinkCtx<'a>,
    reasons: Vec<ReasonCtx<'a>>,
    watch: Vec<LinkCtx<'a>>,
}

/// `tree` in the templates; `tree_json` is the same, for the script.
#[derive(serde::Serialize)]
pub(super) struct TreeCtx<'a> {
    title: &'a str,
    intro: &'a str,
    start: &'a str,
    /// The most questions on any path.
    depth: usize,
    /// All paths from the start, as a string.
    paths: String,
    /// A short hash of the tree's content, shown to the reader.
    version: &'a str,
    /// The playbook's title, for a printed record.
    playbook: &'a str,
    /// The map page, relative to the tree's page.
    map: &'a str,
    calls: Vec<CallCtx<'a>>,
    /// In reading order: Q1 first.
    questions: Vec<QuestionCtx<'a>>,
    verdicts: Vec<VerdictCtx<'a>>,
}

/// The tree's context; `link(i)` is the link to page `i` from where it is shown.
pub(super) fn tree_ctx<'a>(
    site: &'a Site,
    tree: &'a Tree,
    link: &dyn Fn(usize) -> LinkCtx<'a>,
) -> TreeCtx<'a> {
    let calls = &site.config.model.tree.calls;
    let tone = |c: usize| calls[c].tone.as_deref().unwrap_or("neutral");
    let links = |ids: &[usize]| ids.iter().map(|&t| link(t)).collect::<Vec<_>>();
    let questions = tree
        .questions_in_order()
        .into_iter()
        .map(|qi| {
            let q = &tree.questions[qi];
            let whatif = others(&q.answers, calls.len());
            QuestionCtx {
                id: &q.id,
                number: q.number,
                text: &q.text,
                why: &q.why,
                see: links(&q.see),
                answers: q
                    .answers
                    .iter()
                    .zip(&whatif)
                    .map(|(a, other)| {
                        let (next, verdict, anchor, to_text) = match a.target {
                            Target::Question(n) => {
                                let id = tree.questions[n].id.as_str();
                                (
                                    Some(id),
                                    None,
                                    format!("q-{id}"),
                                    tree.target_number(a.target),
                                )
                            }
                            Target::Verdict(v) => {
                                let verdict = &tree.verdicts[v];
                                (
                                    None,
                                    Some(verdict.id.as_str()),
                                    format!("v-{}", verdict.id),
                                    format!(
                                        "{} {}",
                                        tree.target_number(a.target),
                                        calls[verdict.call].label
                                    ),
                                )
                            }
                        };
                        AnswerCtx {
                            id: &a.id,
                            label: &a.label,
                            next,
                            verdict,
                            anchor,
                            to: tree.target_number(a.target),
                            to_text,
                            whatif: counts(calls, other),
                        }
                    })
                    .collect(),
                not_sure: q.not_sure,
                longest: q.longest,
                spread: if q.not_sure {
                    counts(calls, &q.reach)
                } else {
                    Vec::new()
                },
                spread_text: if q.not_sure {
                    in_words(calls, &q.reach)
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let verdicts = tree
        .verdicts
        .iter()
        .map(|v| VerdictCtx {
            id: &v.id,
            number: v.number,
            call: &calls[v.call].value,
            call_label: &calls[v.call].label,
            tone: tone(v.call),
            title: &v.title,
            confidence: v.confidence,
            changes: &v.changes,
            recommend: link(v.recommend),
            reasons: v
                .reasons
                .iter()
                .map(|r| ReasonCtx {
                    page: link(r.page),
                    text: &r.text,
                })
                .collect(),
            watch: links(&v.watch),
        })
        .collect();
    TreeCtx {
        title: &tree.title,
        intro: &tree.intro,
        start: &tree.questions[tree.start].id,
        depth: tree.depth,
        paths: count(tree.stats.paths),
        version: &tree.version,
        playbook: &site.config.title,
        map: DECIDE_MAP_PAGE,
        calls: calls
            .iter()
            .enumerate()
            .map(|(i, c)| CallCtx {
                value: &c.value,
                label: &c.label,
                tone: tone(i),
            })
            .collect(),
        questions,
        verdicts,
    }
}

/// decide.html's and decide-map.html's context: the tree as `tree` and,
/// for the script, `tree_json`.
pub(super) fn decide_context(site: &Site, tree: &Tree, base: &tera::Context) -> tera::Context {
    let from = DECIDE_PAGE;
    let data = tree_ctx(site, tree, &|t| link(site, from, t));
    let mut ctx = base.clone();
    ctx.insert("root", "");
    ctx.insert("current", "decide");
    ctx.insert("canonical", &canonical(site, from));
    ctx.insert("sidebar", &sidebar::html(site, true, "", Current::Decide));
    ctx.insert("tree_json", &script_json(&data));
    ctx.insert("tree", &data);
    ctx
}
