//! The result model that renderers consume. The JSON form of these types is a contract
//! (see README → JSON output): fields are only ever added.

use crate::check::Verdict;
use crate::manifest::Location;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Offline,
    Live,
}

#[derive(Clone, Debug, Serialize)]
pub struct LabResult {
    pub lab: String,
    pub title: String,
    pub mode: Mode,
    pub passed: bool,
    pub score: u32,
    /// Points of the checks that were evaluated (skipped checks count in neither).
    pub max_score: u32,
    pub steps: Vec<StepResult>,
    /// Things the grader wants the learner to know that are not checks (ignored
    /// objects, why grading was offline).
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepResult {
    pub id: String,
    pub title: String,
    pub passed: bool,
    pub score: u32,
    pub max_score: u32,
    pub checks: Vec<CheckResult>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CheckResult {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub verdict: Verdict,
    pub points: u32,
    pub max_points: u32,
    pub message: String,
    /// Shown when the check did not pass.
    pub hint: Option<String>,
    pub location: Option<Location>,
    pub details: Vec<String>,
}

impl LabResult {
    /// Every check of the lab, with its step.
    pub fn checks(&self) -> impl Iterator<Item = (&StepResult, &CheckResult)> {
        self.steps
            .iter()
            .flat_map(|s| s.checks.iter().map(move |c| (s, c)))
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        self.checks().filter(|(_, c)| c.verdict == verdict).count()
    }
}
