//! The simulated namespace: the objects the API server would hold after the fixtures and
//! the learner's manifests up to the current step were applied.

use super::admission::rejection;
use super::outcome::Outcome;
use crate::manifest::{FieldPath, Object, SchemaProblem};
use std::collections::BTreeMap;

pub struct World<'a> {
    /// Accepted objects by (kind, name); a later object replaces an earlier one, as
    /// `kubectl apply` would.
    objects: BTreeMap<(String, String), &'a Object>,
    /// Objects the API server would refuse, with the first reason.
    rejected: BTreeMap<(String, String), (&'a Object, SchemaProblem)>,
    pub params: &'a BTreeMap<String, String>,
    pub namespace: &'a str,
}

impl<'a> World<'a> {
    pub fn new(params: &'a BTreeMap<String, String>, namespace: &'a str) -> Self {
        Self {
            objects: BTreeMap::new(),
            rejected: BTreeMap::new(),
            params,
            namespace,
        }
    }

    /// Applies an object: accepted unless the API server would reject it.
    pub fn apply(&mut self, object: &'a Object) {
        let key = (object.kind.clone(), object.name.clone());
        match rejection(object) {
            None => {
                self.rejected.remove(&key);
                self.objects.insert(key, object);
            }
            Some(problem) => {
                self.objects.remove(&key);
                self.rejected.insert(key, (object, problem));
            }
        }
    }

    pub fn get(&self, kind: &str, name: &str) -> Option<&'a Object> {
        self.objects
            .get(&(kind.to_string(), name.to_string()))
            .copied()
    }

    pub fn of_kind(&self, kind: &'a str) -> impl Iterator<Item = &'a Object> + '_ {
        self.objects
            .iter()
            .filter(move |((k, _), _)| k == kind)
            .map(|(_, o)| *o)
    }

    /// The object, or the failing outcome that explains why it is not there: rejected by
    /// the API server (at the offending field), or missing (naming look-alikes).
    pub fn require(&self, kind: &str, name: &str) -> Result<&'a Object, Outcome> {
        if let Some(object) = self.get(kind, name) {
            return Ok(object);
        }
        if let Some(outcome) = self.rejected(kind, name) {
            return Err(outcome);
        }
        Err(self.missing(kind, name))
    }

    /// The failing outcome, at the offending field, when the last object applied as
    /// `kind`/`name` is one the API server would reject (also one that replaced a
    /// scenario object, such as a learner's broken `api-pod`): the learner's failure,
    /// never an environment error.
    pub fn rejected(&self, kind: &str, name: &str) -> Option<Outcome> {
        let key = (kind.to_string(), name.to_string());
        let (_, problem) = self.rejected.get(&key)?;
        Some(Outcome::fail(
            format!(
                "{kind} {name} would be rejected by the API server: {}",
                problem.message
            ),
            Some(problem.location.clone()),
        ))
    }

    fn missing(&self, kind: &str, name: &str) -> Outcome {
        let same_kind: Vec<&Object> = self
            .objects
            .iter()
            .filter(|((k, _), _)| k == kind)
            .map(|(_, o)| *o)
            .chain(
                self.rejected
                    .iter()
                    .filter(|((k, _), _)| k == kind)
                    .map(|(_, (o, _))| *o),
            )
            .collect();
        let other_kind: Vec<&Object> = self
            .objects
            .iter()
            .filter(|((k, n), _)| n == name && k != kind)
            .map(|(_, o)| *o)
            .collect();
        let mut message = format!("{kind} {name} not found");
        let mut location = None;
        if let Some(found) = same_kind.first() {
            let names: Vec<String> = same_kind.iter().map(|o| format!("`{}`", o.name)).collect();
            message.push_str(&format!(
                "; found {kind} {} — the task names it `{name}`",
                names.join(", ")
            ));
            location = Some(found.locate(&FieldPath::parse("metadata.name")));
        } else if let Some(found) = other_kind.first() {
            message.push_str(&format!(
                "; found a {} named `{name}` — this task asks for a {kind}",
                found.kind
            ));
            location = Some(found.locate(&FieldPath::parse("kind")));
        }
        Outcome::fail(message, location)
    }
}
