//! The tree's paths: every way from the start to a verdict, walked once to
//! find cycles and unreachable nodes and to count the paths to each call.

use super::reader::Reader;
use crate::model::schema::EnumValue;
use crate::model::tree::{Question, Stats, Target, Verdict};

/// What the walk learns of each question, memoised so that shared subtrees
/// are counted once.
pub(super) struct Reach {
    /// Paths from each question to each call.
    pub per_call: Vec<Vec<u128>>,
    /// The most questions asked from each question on, itself included.
    pub longest: Vec<usize>,
}

impl Reader<'_> {
    /// Depth-first walk from the start: finds cycles and unreachable nodes,
    /// counts the paths to each call and the longest way on from each
    /// question. Each node is expanded once (memoised), so this is linear in
    /// the size of the tree even when paths share subtrees.
    pub(super) fn walk(
        &mut self,
        start: usize,
        questions: &[Question],
        verdicts: &[Verdict],
        calls: &[EnumValue],
    ) -> (Stats, Reach) {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            New,
            OnStack,
            Done,
        }
        let mut state = vec![State::New; questions.len()];
        let mut counts: Vec<Vec<u128>> = vec![vec![0; calls.len()]; questions.len()];
        // The longest way on from each question, in questions.
        let mut longest = vec![1usize; questions.len()];
        let add = |counts: &mut [Vec<u128>], longest: &mut [usize], to: usize, from: usize| {
            let from_counts = counts[from].clone();
            for (c, n) in counts[to].iter_mut().zip(from_counts) {
                *c = c.saturating_add(n);
            }
            longest[to] = longest[to].max(longest[from] + 1);
        };
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
                        let call = verdicts[v].call;
                        counts[q][call] = counts[q][call].saturating_add(1);
                    }
                    Target::Question(n) => match state[n] {
                        State::New => {
                            state[n] = State::OnStack;
                            stack.push((n, 0));
                            trail.push(n);
                        }
                        State::OnStack => {
                            self.cycle(&trail, n, &questions[q], &answer.label, questions)
                        }
                        State::Done => add(&mut counts, &mut longest, q, n),
                    },
                }
            } else {
                state[q] = State::Done;
                stack.pop();
                trail.pop();
                if let Some(&(parent, _)) = stack.last() {
                    add(&mut counts, &mut longest, parent, q);
                }
            }
        }
        let reached: Vec<bool> = state.iter().map(|s| *s != State::New).collect();
        self.unreachable(questions, &reached, verdicts, &verdict_seen);
        let per_call = &counts[start];
        let stats = Stats {
            questions: questions.len(),
            verdicts: verdicts.len(),
            paths: per_call.iter().fold(0u128, |a, &b| a.saturating_add(b)),
            paths_per_call: calls
                .iter()
                .zip(per_call)
                .map(|(c, &n)| (c.value.clone(), n))
                .collect(),
        };
        let reach = Reach {
            per_call: counts,
            longest,
        };
        (stats, reach)
    }

    /// An answer of `from` leads back to question `n`, which is on `trail`.
    fn cycle(
        &mut self,
        trail: &[usize],
        n: usize,
        from: &Question,
        label: &str,
        questions: &[Question],
    ) {
        let start = trail.iter().position(|&t| t == n).unwrap_or(0);
        let cycle: Vec<&str> = trail[start..]
            .iter()
            .map(|&t| questions[t].id.as_str())
            .chain(std::iter::once(questions[n].id.as_str()))
            .collect();
        self.error(
            &["questions", &from.id, "answers"],
            Some(label),
            format!("answer \"{label}\" loops back: {}", cycle.join(" → ")),
            "a reader must always reach a verdict: point this answer at a later question or a verdict",
        );
    }

    /// Every question and verdict no path reaches.
    fn unreachable(
        &mut self,
        questions: &[Question],
        reached: &[bool],
        verdicts: &[Verdict],
        verdict_seen: &[bool],
    ) {
        for (q, _) in questions.iter().zip(reached).filter(|(_, r)| !**r) {
            self.error(
                &["questions", &q.id],
                None,
                format!("question \"{}\" cannot be reached from the start", q.id),
                "point an answer at it with `next:`, or remove it",
            );
        }
        for (v, _) in verdicts.iter().zip(verdict_seen).filter(|(_, s)| !**s) {
            self.error(
                &["verdicts", &v.id],
                None,
                format!("verdict \"{}\" cannot be reached", v.id),
                "point an answer at it with `verdict:`, or remove it",
            );
        }
    }
}
