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
    pub label: String,
    pub target: Target,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub why: String,
    /// Pages that explain why the question matters.
    pub see: Vec<usize>,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone)]
pub struct Reason {
    pub page: usize,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Verdict {
    pub id: String,
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
            .map(|(call, n)| format!("{n} {call}"))
            .collect();
        write!(
            f,
            "decision tree: {} questions, {} verdicts, {} paths ({})",
            self.questions,
            self.verdicts,
            self.paths,
            per_call.join(", ")
        )
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
}
