//! Offline grading: steps in order, each step's checks evaluated on the simulated
//! namespace after the fixtures and the learner's objects up to that step.

use super::result::{CheckResult, LabResult, Mode, StepResult};
use super::score::summarize;
use super::stage::{Staging, stage};
use crate::check::{self, World};
use crate::lab::{Lab, Lang, Step};
use crate::manifest::{self, Object, Submission};
use crate::policy::{self, Refused};
use std::collections::BTreeMap;

/// A lab ready to grade many submissions: fixtures parsed once.
pub struct Grader<'l> {
    lab: &'l Lab,
    fixtures: Vec<Object>,
    /// The lab's probes, parsed (see [`crate::lab::Admission`]).
    probes: Vec<Object>,
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
        let probes = lab
            .probes
            .iter()
            .flat_map(|p| {
                // Validated when the lab was loaded.
                manifest::load_text(&format!("labs/{}/{}", lab.id, p.file), &p.text)
                    .unwrap_or_default()
            })
            .collect();
        // A lab whose namespace the learner labels is simulated under the task's name.
        let namespace = lab
            .namespace
            .as_ref()
            .map_or(NAMESPACE, |spec| spec.name.as_str());
        Self {
            lab,
            fixtures,
            probes,
            params: lab.param_values(),
            namespace: namespace.to_string(),
        }
    }

    /// The lab's probes, parsed.
    pub fn probes(&self) -> &[Object] {
        &self.probes
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

    /// Grades a submission by simulation. Objects the sandbox's rules refuse
    /// ([`policy::refusals`]) are not applied: the checks that need them fail with the
    /// refusal, and the result lists them and does not pass.
    pub fn grade(&self, submission: &Submission, lang: Lang) -> LabResult {
        let refused = Refusals::of(submission, policy::Allowances::of(self.lab));
        let fixture_kinds = self.fixtures.iter().map(|o| o.kind.as_str()).collect();
        let Staging {
            per_step: by_step,
            notes,
            ignored,
        } = stage(self.lab, &fixture_kinds, submission);
        let mut world = World::new(&self.params, &self.namespace);
        world.with_roles(self.lab);
        world.with_probes(&self.probes);
        world.ignore(&ignored);
        world.ask_for(self.lab.steps.iter().flat_map(|s| {
            s.submit
                .iter()
                .map(|x| (x.kind.clone(), x.name.clone(), x.file.clone()))
        }));
        for fixture in &self.fixtures {
            world.apply(fixture);
        }
        let mut steps = Vec::new();
        for (step, objects) in self.lab.steps.iter().zip(&by_step) {
            apply(&mut world, objects, &refused);
            steps.push(self.grade_step(step, &world, lang));
        }
        summarize(self.lab, lang, Mode::Offline, steps, notes, refused.list)
    }

    /// The connectivity matrices of the simulated namespace after the fixtures and every
    /// step's objects of `submission` (the learner's final state), for the destination
    /// ports of the lab's `connect` checks, over at most `max_pods` pods (see
    /// [`check::offline::connectivity`]); none for a lab without `connect` checks. Also
    /// returns how many pods were left out.
    pub fn connectivity(
        &self,
        submission: &Submission,
        max_pods: usize,
    ) -> (Vec<crate::netpol::TruthTable>, usize) {
        let specs: Vec<&crate::lab::Connect> = self
            .lab
            .steps
            .iter()
            .flat_map(|s| &s.checks)
            .filter_map(|c| match &c.kind {
                crate::lab::CheckKind::Connect(spec) => Some(spec),
                _ => None,
            })
            .collect();
        if specs.is_empty() {
            return (Vec::new(), 0);
        }
        let refused = Refusals::of(submission, policy::Allowances::of(self.lab));
        let fixture_kinds = self.fixtures.iter().map(|o| o.kind.as_str()).collect();
        let staging = stage(self.lab, &fixture_kinds, submission);
        let mut world = World::new(&self.params, &self.namespace);
        world.with_roles(self.lab);
        for fixture in &self.fixtures {
            world.apply(fixture);
        }
        for objects in &staging.per_step {
            apply(&mut world, objects, &refused);
        }
        check::offline::connectivity(&world, &specs, max_pods)
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

/// Applies a step's objects to the simulated namespace, recording the refused ones.
fn apply<'s>(world: &mut World<'s>, objects: &[&'s Object], refused: &Refusals<'_>) {
    for object in objects {
        match refused.get(object) {
            Some(refusal) => world.refuse(object, refusal),
            None => world.apply(object),
        }
    }
}

/// The sandbox's refusals of a submission's objects, by object (address in the
/// submission), and in submission order.
pub(crate) struct Refusals<'s> {
    by_object: std::collections::HashMap<*const Object, usize>,
    pub list: Vec<Refused>,
    _objects: std::marker::PhantomData<&'s Object>,
}

impl<'s> Refusals<'s> {
    pub fn of(submission: &'s Submission, allow: policy::Allowances<'_>) -> Self {
        let mut by_object = std::collections::HashMap::new();
        let mut list = Vec::new();
        for (covered, refused) in policy::refusals(&submission.objects, allow) {
            for object in &submission.objects[covered] {
                by_object.insert(object as *const Object, list.len());
            }
            list.push(refused);
        }
        Refusals {
            by_object,
            list,
            _objects: std::marker::PhantomData,
        }
    }

    pub fn get(&self, object: &Object) -> Option<&Refused> {
        self.by_object
            .get(&(object as *const Object))
            .map(|&i| &self.list[i])
    }
}
