//! Offline grading: steps in order, each step's checks evaluated on the simulated
//! namespace after the fixtures and the learner's objects up to that step.

use super::confine::{self, Refused};
use super::result::{CheckResult, LabResult, Mode, StepResult};
use super::score::summarize;
use super::stage::{Staging, stage};
use crate::check::{self, World};
use crate::lab::{Lab, Lang, Step};
use crate::manifest::{self, Object, Submission};
use std::collections::BTreeMap;

/// A lab ready to grade many submissions: fixtures parsed once.
pub struct Grader<'l> {
    lab: &'l Lab,
    fixtures: Vec<Object>,
    params: BTreeMap<String, String>,
    /// The namespace simulated: `default`, where the seed's commands run, or a live
    /// run's sandbox (a policy may select namespaces by name).
    namespace: String,
}

/// The namespace offline grading simulates (the seed's commands run in `default`).
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
            namespace: NAMESPACE.to_string(),
        }
    }

    /// Grades with these parameter values instead of the lab's defaults (a live run's).
    pub fn with_params(mut self, params: BTreeMap<String, String>) -> Self {
        self.params = params;
        self
    }

    /// Simulates this namespace instead of `default` (a live run's sandbox).
    pub fn with_namespace(mut self, namespace: &str) -> Self {
        self.namespace = namespace.to_string();
        self
    }

    /// The lab's fixture objects, parsed.
    pub fn fixtures(&self) -> &[Object] {
        &self.fixtures
    }

    pub fn grade(&self, submission: &Submission, lang: Lang) -> Result<LabResult, Refused> {
        for object in &submission.objects {
            confine::check(object)?;
        }
        let fixture_kinds = self.fixtures.iter().map(|o| o.kind.as_str()).collect();
        let Staging {
            per_step: by_step,
            notes,
        } = stage(self.lab, &fixture_kinds, submission);
        let mut world = World::new(&self.params, &self.namespace);
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
                CheckResult::from_outcome(step, check, outcome, lang, &self.params)
            })
            .collect();
        StepResult::new(step, lang, &self.params, checks)
    }
}
