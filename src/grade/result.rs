//! The result model that renderers consume. The JSON form of these types is a contract
//! (see book/en/src/reference.md → JSON output): fields are only ever added.

use crate::check::{Outcome, Verdict};
use crate::i18n::Message;
use crate::lab::{Check, Lang, Step, substitute};
use crate::manifest::Location;
use crate::policy::Refused;
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// Objects kubelab refused to apply (the sandbox's rules: another namespace, a
    /// cluster-scoped kind, a pod the Pod Security level `baseline` forbids, a workload
    /// too large), each located; a lab with any does not pass.
    pub refused: Vec<RefusedResult>,
    /// The language the result's text is in; the reports' chrome follows it. Not part
    /// of the JSON.
    #[serde(skip)]
    pub lang: Lang,
}

/// A [`Refused`] object in the report's language; the JSON shape is
/// `{"kind", "name", "location", "message", "help"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefusedResult {
    pub kind: String,
    pub name: String,
    pub location: Location,
    pub message: String,
    pub help: String,
}

impl RefusedResult {
    /// `refused` rendered in `lang`.
    pub fn new(refused: &Refused, lang: Lang) -> Self {
        Self {
            kind: refused.kind.clone(),
            name: refused.name.clone(),
            location: refused.location.clone(),
            message: refused.message.render(lang),
            help: refused.help.render(lang),
        }
    }
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
    /// The known enforcer deviation the simulation found for this check (see
    /// [`crate::check::Outcome::deviation`]); not part of the JSON.
    #[serde(skip)]
    pub deviation: Option<&'static str>,
    /// `message` before it was rendered: a live run grades with the simulation's
    /// message where the cluster cannot say more (an object not submitted, a known
    /// enforcer deviation); not part of the JSON.
    #[serde(skip)]
    pub source: Message,
}

impl LabResult {
    /// The result as `kubelab grade --step` reports it: only the steps `ids` (in the
    /// lab's order), the score, maximum and `passed` of those alone. The other steps were
    /// still graded (a later step's objects build on an earlier one's); refused objects
    /// still fail the result.
    pub fn only_steps(&mut self, ids: &[String]) {
        self.steps.retain(|s| ids.contains(&s.id));
        self.score = self.steps.iter().map(|s| s.score).sum();
        self.max_score = self.steps.iter().map(|s| s.max_score).sum();
        self.passed = self.refused.is_empty() && self.steps.iter().all(|s| s.passed);
    }
}

impl StepResult {
    /// A step's checks; `passed` and the scores are filled in by `score::summarize`.
    pub fn new(
        step: &Step,
        lang: Lang,
        params: &BTreeMap<String, String>,
        checks: Vec<CheckResult>,
    ) -> Self {
        Self {
            id: step.id.clone(),
            title: step.title.render(lang, params),
            passed: false,
            score: 0,
            max_score: 0,
            checks,
        }
    }
}

impl CheckResult {
    /// A check's result from its outcome; the hint shows only when it did not pass.
    pub fn from_outcome(
        step: &Step,
        check: &Check,
        outcome: Outcome,
        lang: Lang,
        params: &BTreeMap<String, String>,
    ) -> Self {
        let passed = outcome.verdict == Verdict::Pass;
        let hint = (!passed && outcome.verdict != Verdict::Skip)
            .then(|| check.hint.as_ref().or(step.hint.as_ref()))
            .flatten()
            .map(|h| h.render(lang, params));
        CheckResult {
            id: check.id.clone(),
            kind: check.kind.name().to_string(),
            title: check
                .title
                .as_ref()
                .map(|t| t.render(lang, params))
                .unwrap_or_else(|| check.kind.name().to_string()),
            verdict: outcome.verdict,
            points: if passed { check.points } else { 0 },
            max_points: check.points,
            message: substitute(&outcome.message.render(lang), params),
            source: outcome.message.clone(),
            hint,
            location: outcome.location,
            details: outcome.details.iter().map(|d| d.render(lang)).collect(),
            deviation: outcome.deviation,
        }
    }
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
