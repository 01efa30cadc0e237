//! The `admission` check offline: kubelab's admission model decides whether the object
//! (a probe of the lab, or one the learner submitted) would be created in the simulated
//! namespace, and the learner's namespace labels or admission policy are blamed when an
//! object that must be refused is admitted.

use super::super::Verdict;
use super::super::admission::{Refuser, decide};
use super::super::admission_judge::{Decision, judge, probe_image};
use super::super::outcome::Outcome;
use super::super::world::World;
use crate::lab::{Admission, Admit, RefusedBy};
use crate::manifest::{FieldPath, Location, Object, lookup};
use crate::policy::namespace::POD_SECURITY_PREFIX;
use serde_json::Value;

pub fn evaluate(spec: &Admission, world: &World<'_>) -> Outcome {
    let (kind, name) = (spec.object.kind.as_str(), spec.object.name.as_str());
    let probe = world.probe(kind, name);
    let object = match probe {
        Some(probe) => probe,
        None => match world.require(kind, name) {
            Ok(object) => object,
            Err(outcome) => match world.submitted(kind, name) {
                Some(object) if spec.expect == Admit::Refused => object,
                _ => return outcome,
            },
        },
    };
    let blame = blame(spec, world);
    let decision = match decide(object, world) {
        Ok(admitted) => match admitted.unsure {
            Some(why) => Decision::Unknown(why),
            None => Decision::Admitted,
        },
        Err(refusal) => {
            let refusal = *refusal;
            // A probe is the lab's: what refused it is the learner's to change.
            let location = match probe {
                Some(_) => blame_of(&refusal.by, world).or_else(|| blame.clone()),
                None => Some(refusal.problem.location.clone()),
            };
            Decision::Refused {
                by: refusal.by,
                message: refusal.problem.message,
                location,
            }
        }
    };
    let outcome = judge(spec, decision, blame);
    match probe {
        // Nothing runs offline: the start is the cluster's to show.
        Some(probe) if spec.runs && outcome.verdict == Verdict::Pass => Outcome::pass(crate::msg!(
            "check-admission-runs-offline",
            kind = kind,
            name = name,
            image = probe_image(probe)
        )),
        _ => outcome,
    }
}

/// Where the learner must change something when `spec`'s object is admitted though it
/// must be refused.
fn blame(spec: &Admission, world: &World<'_>) -> Option<Location> {
    match spec.by.as_ref()? {
        RefusedBy::PodSecurity(level) => blame_of(&Refuser::PodSecurity(level.clone()), world),
        RefusedBy::Policy(name) => blame_of(&Refuser::Policy(name.clone()), world),
    }
}

/// The learner's line that decides what `by` does: the namespace's `enforce` label (or,
/// without one, its Pod Security labels: a misspelt key, a level on `warn` only), or the
/// policy's validations (or its binding's actions, when no binding denies).
fn blame_of(by: &Refuser, world: &World<'_>) -> Option<Location> {
    match by {
        Refuser::ApiServer => None,
        Refuser::PodSecurity(_) => {
            let namespace = world.namespace_object()?;
            let labels = FieldPath::parse("metadata.labels");
            let enforce = labels.key(format!("{POD_SECURITY_PREFIX}enforce"));
            if lookup(&namespace.value, &enforce).is_some() {
                return Some(namespace.locate(&enforce));
            }
            let first = lookup(&namespace.value, &labels)
                .and_then(Value::as_object)
                .and_then(|m| {
                    m.keys()
                        .find(|k| k.starts_with(POD_SECURITY_PREFIX))
                        .cloned()
                });
            Some(match first {
                Some(key) => namespace.locate(&labels.key(key)),
                None => namespace.locate(&FieldPath::parse("metadata")),
            })
        }
        Refuser::Policy(name) => {
            let policy = world.get("ValidatingAdmissionPolicy", name)?;
            let bindings: Vec<&Object> = world
                .of_kind("ValidatingAdmissionPolicyBinding")
                .filter(|b| {
                    b.value.pointer("/spec/policyName").and_then(Value::as_str) == Some(name)
                })
                .collect();
            if bindings.is_empty() {
                return Some(policy.locate(&FieldPath::parse("metadata.name")));
            }
            let denies = |b: &&Object| {
                b.value
                    .pointer("/spec/validationActions")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("Deny")))
            };
            if !bindings.iter().any(denies) {
                return Some(bindings[0].locate(&FieldPath::parse("spec.validationActions")));
            }
            Some(policy.locate(&FieldPath::parse("spec.validations[0].expression")))
        }
    }
}
