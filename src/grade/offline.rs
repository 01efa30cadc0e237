//! Offline grading: steps in order, each step's checks evaluated on the simulated
//! namespace after the fixtures and the learner's objects up to that step.

use super::confine::{self, Refused};
use super::result::{CheckResult, LabResult, Mode, StepResult};
use super::score::summarize;
use crate::check::{self, Outcome, World};
use crate::lab::{Check, Lab, Lang, Step, substitute};
use crate::manifest::{self, Object, Submission};
use std::collections::{BTreeMap, BTreeSet};

/// A lab ready to grade many submissions: fixtures parsed once.
pub struct Grader<'l> {
    lab: &'l Lab,
    fixtures: Vec<Object>,
    params: BTreeMap<String, String>,
}

/// The namespace offline grading simulates.
const NAMESPACE: &str = "default";

impl<'l> Grader<'l> {
    pub fn new(lab: &'l Lab) -> Self {
        let fixtures = lab
            .fixtures
            .iter()
            .flat_map(|f| {
                // Validated when the lab was loaded.
                manifest::load_text(&format!("labs/{}/{}", lab.id, f.file), &f.text)
                    .unwrap_or_default()
            })
            .collect();
        Self {
            lab,
            fixtures,
            params: lab.default_params(),
        }
    }

    pub fn grade(&self, submission: &Submission, lang: Lang) -> Result<LabResult, Refused> {
        for object in &submission.objects {
            confine::check(object)?;
        }
        let (by_step, notes) = self.assign(submission);
        let mut world = World::new(&self.params, NAMESPACE);
        for fixture in &self.fixtures {
            world.apply(fixture);
        }
        let mut steps = Vec::new();
        for (step, objects) in self.lab.steps.iter().zip(&by_step) {
            for object in objects {
                world.apply(object);
            }
            steps.push(self.grade_step(step, &world, lang));
        }
        Ok(summarize(self.lab, lang, Mode::Offline, steps, notes))
    }

    /// The learner's objects per step: those a step names go with it; other objects of
    /// the kinds the lab uses go with the first step that submits anything (a cluster
    /// would hold them too); other kinds are ignored with a note.
    fn assign<'s>(&self, submission: &'s Submission) -> (Vec<Vec<&'s Object>>, Vec<String>) {
        let mut by_step: Vec<Vec<&Object>> = vec![Vec::new(); self.lab.steps.len()];
        let mut notes = Vec::new();
        let first_submitting = self
            .lab
            .steps
            .iter()
            .position(|s| !s.submit.is_empty())
            .unwrap_or(0);
        let lab_kinds: BTreeSet<&str> = self
            .lab
            .steps
            .iter()
            .flat_map(|s| s.submit.iter().map(|x| x.kind.as_str()))
            .chain(self.fixtures.iter().map(|o| o.kind.as_str()))
            .chain([
                "Secret",
                "ServiceAccount",
                "ConfigMap",
                "Service",
                "Pod",
                "NetworkPolicy",
            ])
            .collect();
        for object in &submission.objects {
            let named = self.lab.steps.iter().position(|s| {
                s.submit
                    .iter()
                    .any(|x| x.kind == object.kind && x.name == object.name)
            });
            match named {
                Some(i) => by_step[i].push(object),
                None if lab_kinds.contains(object.kind.as_str()) => {
                    by_step[first_submitting].push(object)
                }
                None => {
                    let at = object.location();
                    notes.push(format!(
                        "{}:{}: {} `{}` is not part of this lab and was ignored",
                        at.file, at.line, object.kind, object.name
                    ));
                }
            }
        }
        (by_step, notes)
    }

    fn grade_step(&self, step: &Step, world: &World<'_>, lang: Lang) -> StepResult {
        // A step's checks need the objects it asks for; without them nothing the step
        // asks for was done, even where a check would pass by itself.
        let missing = step
            .submit
            .iter()
            .find_map(|s| world.require(&s.kind, &s.name).err());
        let checks = step
            .checks
            .iter()
            .map(|check| {
                let outcome = match &missing {
                    Some(outcome) => outcome.clone(),
                    None => check::offline::evaluate(&check.kind, world),
                };
                self.check_result(step, check, outcome, lang)
            })
            .collect();
        StepResult {
            id: step.id.clone(),
            title: step.title.render(lang, &self.params),
            passed: false,
            score: 0,
            max_score: 0,
            checks,
        }
    }

    fn check_result(
        &self,
        step: &Step,
        check: &Check,
        outcome: Outcome,
        lang: Lang,
    ) -> CheckResult {
        let passed = outcome.verdict == check::Verdict::Pass;
        let hint = (!passed && outcome.verdict != check::Verdict::Skip)
            .then(|| check.hint.as_ref().or(step.hint.as_ref()))
            .flatten()
            .map(|h| h.render(lang, &self.params));
        CheckResult {
            id: check.id.clone(),
            kind: check.kind.name().to_string(),
            title: check
                .title
                .as_ref()
                .map(|t| t.render(lang, &self.params))
                .unwrap_or_else(|| check.kind.name().to_string()),
            verdict: outcome.verdict,
            points: if passed { check.points } else { 0 },
            max_points: check.points,
            message: substitute(&outcome.message, &self.params),
            hint,
            location: outcome.location,
            details: outcome.details,
        }
    }
}
