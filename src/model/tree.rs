//! A checked decision tree: questions whose answers lead to further questions
//! or to verdicts, each verdict a call with a confidence and linked reasons.
//! Page references are indices into the site's pages.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Call {
    Open,
    Closed,
    Hybrid,
}

impl Call {
    pub const ALL: [Call; 3] = [Call::Open, Call::Closed, Call::Hybrid];

    pub fn name(self) -> &'static str {
        match self {
            Call::Open => "open",
            Call::Closed => "closed",
            Call::Hybrid => "hybrid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Call::Open => "Open it",
            Call::Closed => "Stay closed",
            Call::Hybrid => "Go hybrid",
        }
    }
}

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
    pub call: Call,
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub questions: usize,
    pub verdicts: usize,
    pub paths: usize,
    /// Paths ending in an open, closed and hybrid call.
    pub paths_per_call: [usize; 3],
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "decision tree: {} questions, {} verdicts, {} paths ({} open, {} closed, {} hybrid)",
            self.questions,
            self.verdicts,
            self.paths,
            self.paths_per_call[0],
            self.paths_per_call[1],
            self.paths_per_call[2]
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
