//! A checked decision tree: questions whose answers lead to further questions
//! or to verdicts, each verdict a call with a confidence and linked reasons.
//! Page references are indices into the site's pages.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Question(usize),
    Verdict(usize),
}

#[derive(Debug, Clone)]
pub struct Answer {
    /// Unique within its question; what the page's address records, so a
    /// link keeps its meaning when answers are reordered.
    pub id: String,
    pub label: String,
    pub target: Target,
    /// Paths through this answer to each call (indexed like the model's
    /// calls), saturating.
    pub reach: Vec<u128>,
}

/// The id of the "Not sure" option of a question that offers it.
pub const NOT_SURE: &str = "not-sure";

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    /// Its number as the reader sees it (Q1, Q2, …): the start is 1, the
    /// others follow in the order they are written.
    pub number: usize,
    pub text: String,
    pub why: String,
    /// Pages that explain why the question matters.
    pub see: Vec<usize>,
    pub answers: Vec<Answer>,
    /// Whether the reader may answer "Not sure", to follow every answer.
    pub not_sure: bool,
    /// The most questions a reader can still be asked from here, this one
    /// included.
    pub longest: usize,
    /// Paths from here to each call, saturating.
    pub reach: Vec<u128>,
}

#[derive(Debug, Clone)]
pub struct Reason {
    pub page: usize,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Verdict {
    pub id: String,
    /// Its number as the reader sees it (C1, C2, …), in the order written.
    pub number: usize,
    /// The index of its call in the model's calls.
    pub call: usize,
    pub title: String,
    /// The pattern or hybrid to follow.
    pub recommend: usize,
    /// Percent, 0–100.
    pub confidence: u8,
    /// What would change the call.
    pub changes: String,
    pub reasons: Vec<Reason>,
    /// Mistakes to watch for.
    pub watch: Vec<usize>,
}

/// How many ways through the tree, for the build summary and tests.
/// Counts saturate rather than wrap: a tree of thousands of questions can
/// have more paths than any integer holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub questions: usize,
    pub verdicts: usize,
    pub paths: u128,
    /// Each call's name, with the paths ending in it.
    pub paths_per_call: Vec<(String, u128)>,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let per_call: Vec<String> = self
            .paths_per_call
            .iter()
            .map(|(call, n)| format!("{} {call}", count(*n)))
            .collect();
        write!(
            f,
            "decision tree: {} questions, {} verdicts, {} paths ({})",
            self.questions,
            self.verdicts,
            count(self.paths),
            per_call.join(", ")
        )
    }
}

/// A path count as a reader sees it: exact, or "over 10^38" once it has
/// saturated.
pub fn count(n: u128) -> String {
    if n == u128::MAX {
        "over 10^38".to_string()
    } else {
        n.to_string()
    }
}

#[derive(Debug, Clone)]
pub struct Tree {
    pub title: String,
    pub intro: String,
    pub start: usize,
    pub questions: Vec<Question>,
    pub verdicts: Vec<Verdict>,
    pub stats: Stats,
    /// The most questions on any path: what "at most N questions" says.
    pub depth: usize,
    /// A short hash of everything the reader sees of the tree, shown on the
    /// page and on a printed record, so a record names the tree it came from.
    pub version: String,
}

impl Tree {
    /// The questions in their reading order (Q1, Q2, …).
    pub fn questions_in_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.questions.len()).collect();
        order.sort_by_key(|&q| self.questions[q].number);
        order
    }

    /// "Q4" or "C3": how the printed tree names an answer's target.
    pub fn target_number(&self, t: Target) -> String {
        match t {
            Target::Question(q) => format!("Q{}", self.questions[q].number),
            Target::Verdict(v) => format!("C{}", self.verdicts[v].number),
        }
    }
}

/// Paths to each call through every answer of a question but `skip`: what
/// the reader could have reached by answering otherwise. Linear in the
/// answers (prefix and suffix sums), so a question with many answers costs
/// no more than reading them.
pub fn others(answers: &[Answer], calls: usize) -> Vec<Vec<u128>> {
    let add = |a: &[u128], b: &[u128]| -> Vec<u128> {
        a.iter().zip(b).map(|(x, y)| x.saturating_add(*y)).collect()
    };
    let zero = vec![0u128; calls];
    let mut prefix = Vec::with_capacity(answers.len() + 1);
    prefix.push(zero.clone());
    for a in answers {
        let last = prefix.last().cloned().unwrap_or_else(|| zero.clone());
        prefix.push(add(&last, &a.reach));
    }
    let mut suffix = vec![zero.clone(); answers.len() + 1];
    for (i, a) in answers.iter().enumerate().rev() {
        suffix[i] = add(&suffix[i + 1], &a.reach);
    }
    (0..answers.len())
        .map(|i| add(&prefix[i], &suffix[i + 1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(reach: Vec<u128>) -> Answer {
        Answer {
            id: String::new(),
            label: String::new(),
            target: Target::Verdict(0),
            reach,
        }
    }

    #[test]
    fn the_other_answers_reach_what_this_one_does_not() {
        let answers = [
            answer(vec![1, 0, 0]),
            answer(vec![0, 2, 1]),
            answer(vec![0, 0, 3]),
        ];
        assert_eq!(
            others(&answers, 3),
            [vec![0, 2, 4], vec![1, 0, 3], vec![1, 2, 1]]
        );
        assert_eq!(others(&[], 3), Vec::<Vec<u128>>::new());
    }

    #[test]
    fn saturated_counts_stay_saturated() {
        let answers = [answer(vec![u128::MAX]), answer(vec![5]), answer(vec![1])];
        assert_eq!(
            others(&answers, 1),
            [vec![6], vec![u128::MAX], vec![u128::MAX]]
        );
        assert_eq!(count(u128::MAX), "over 10^38");
        assert_eq!(count(12), "12");
    }
}
