//! The simulated namespace: the objects the API server would hold after the fixtures and
//! the learner's manifests up to the current step were applied, with what admission did
//! to them (the ServiceAccount plugin's pull secrets). A lab with namespaces by role
//! ([`crate::lab::RoleNamespace`]) holds their objects too, named `<role>/<name>`.

use super::admission::{self, PullSecret};
use super::outcome::Outcome;
use crate::i18n::Message;
use crate::manifest::{FieldPath, Location, Object};
use crate::policy::Refused;
use std::collections::BTreeMap;

pub struct World<'a> {
    /// Accepted objects by (kind, name); a later object replaces an earlier one, as
    /// `kubectl apply` would. An object in a role's namespace is named `<role>/<name>`
    /// ([`World::name_of`]).
    objects: BTreeMap<(String, String), &'a Object>,
    /// Objects the API server (or kubelab's sandbox rules) would refuse: where, and the
    /// whole sentence that says why.
    rejected: BTreeMap<(String, String), (&'a Object, Location, Message)>,
    /// The pull secrets each accepted pod got at creation (its own, else its service
    /// account's then), by pod name.
    pull_secrets: BTreeMap<String, Vec<PullSecret<'a>>>,
    /// Submitted objects of kinds the lab does not use, never applied: only to say
    /// "found a Deployment named `secure-pod`" when a Pod of that name is missing.
    ignored: Vec<&'a Object>,
    /// The objects the lab's steps ask for (kind, name, the task's file name): never
    /// suggested as a misnamed copy of another one.
    asked: Vec<(String, String, String)>,
    /// The lab's probes (objects the `admission` checks try to create; never applied).
    probes: Vec<&'a Object>,
    pub params: &'a BTreeMap<String, String>,
    pub namespace: &'a str,
    /// The scenario's further namespaces, by role (simulated under the role's name).
    roles: BTreeMap<String, crate::lab::RoleNamespace>,
    /// The lab's namespace as the task names it (`default`), when the world simulates it
    /// under another name (a live run's sandbox): DNS names with it mean `namespace`.
    task_namespace: String,
}

impl<'a> World<'a> {
    pub fn new(params: &'a BTreeMap<String, String>, namespace: &'a str) -> Self {
        Self {
            objects: BTreeMap::new(),
            rejected: BTreeMap::new(),
            pull_secrets: BTreeMap::new(),
            ignored: Vec::new(),
            asked: Vec::new(),
            probes: Vec::new(),
            params,
            namespace,
            roles: BTreeMap::new(),
            task_namespace: namespace.to_string(),
        }
    }

    /// The scenario's further namespaces by role ([`crate::lab::Lab::namespaces`]), and
    /// the lab's namespace as the task names it ([`crate::lab::Lab::task_namespace`]).
    pub fn with_roles(&mut self, lab: &crate::lab::Lab) {
        self.roles = lab.namespaces.clone();
        self.task_namespace = lab.task_namespace().to_string();
    }

    /// The simulated namespace a DNS name's namespace part means: the lab's own for the
    /// task's name of it, else the name itself (a role's, `kube-system`, or unknown).
    pub fn dns_namespace<'n>(&'n self, namespace: &'n str) -> &'n str {
        if namespace == self.task_namespace {
            self.namespace
        } else {
            namespace
        }
    }

    /// The role whose namespace `object` is in, or `None` for the lab's own namespace.
    pub fn role_of(&self, object: &Object) -> Option<&str> {
        let namespace = object.namespace.as_deref()?;
        self.roles
            .get_key_value(namespace)
            .map(|(role, _)| role.as_str())
    }

    /// How the world names `object`: `<role>/<name>` in a role's namespace, else its name.
    pub fn name_of(&self, object: &Object) -> String {
        crate::lab::qualified(self.role_of(object), &object.name)
    }

    /// The simulated namespace `object` is in: its role's, else the lab's.
    pub fn namespace_of(&self, object: &Object) -> &str {
        self.role_of(object).unwrap_or(self.namespace)
    }

    /// Every simulated namespace but `kube-system`: the lab's with
    /// [`World::namespace_labels`], then each role's with its declared labels, all with
    /// `kubernetes.io/metadata.name` (set by the API server on every namespace). The lab's
    /// namespace carries the task's name for it there (`default`) even when the world
    /// simulates a live run's sandbox: a learner's NetworkPolicy that selects it by that
    /// name selects the run's namespace live (`grade::live` renames it, as it renames the
    /// roles').
    pub fn namespaces(&self) -> Vec<(String, BTreeMap<String, String>)> {
        let mut own = self.namespace_labels();
        own.insert(
            "kubernetes.io/metadata.name".to_string(),
            self.task_namespace.clone(),
        );
        let mut all = vec![(self.namespace.to_string(), own)];
        for (role, spec) in &self.roles {
            let mut labels = spec.labels.clone();
            labels.insert("kubernetes.io/metadata.name".to_string(), role.clone());
            all.push((role.clone(), labels));
        }
        all
    }

    fn key(&self, object: &Object) -> (String, String) {
        (object.kind.clone(), self.name_of(object))
    }

    /// The objects the lab's steps ask for, as (kind, name, the task's file name).
    pub fn ask_for(&mut self, asked: impl IntoIterator<Item = (String, String, String)>) {
        self.asked.extend(asked);
    }

    /// The lab's probes (see [`World::probe`]).
    pub fn with_probes(&mut self, probes: impl IntoIterator<Item = &'a Object>) {
        self.probes.extend(probes);
    }

    /// The probe `kind`/`name` of the lab.
    pub fn probe(&self, kind: &str, name: &str) -> Option<&'a Object> {
        self.probes
            .iter()
            .find(|o| o.kind == kind && o.name == name)
            .copied()
    }

    /// The learner's accepted `Namespace` manifest (kubelab accepts only the lab's own:
    /// [`crate::policy::namespace::refusal`]).
    pub fn namespace_object(&self) -> Option<&'a Object> {
        self.of_kind("Namespace").next()
    }

    /// The labels of the simulated namespace: the sandbox's, with the learner's over
    /// them ([`crate::policy::namespace::labels`]).
    pub fn namespace_labels(&self) -> BTreeMap<String, String> {
        crate::policy::namespace::labels(self.namespace, self.namespace_object())
    }

    /// Remembers submitted objects that are not applied because the lab does not use
    /// their kind (see [`World::require`]'s message).
    pub fn ignore(&mut self, objects: &[&'a Object]) {
        self.ignored.extend_from_slice(objects);
    }

    /// Applies an object: accepted unless the API server would reject it (validation,
    /// then admission against what the namespace holds now).
    pub fn apply(&mut self, object: &'a Object) {
        let key = self.key(object);
        match admission::admit(object, self) {
            Ok(admitted) => {
                self.rejected.remove(&key);
                if let Some(secrets) = admitted.pull_secrets {
                    self.pull_secrets.insert(key.1.clone(), secrets);
                }
                self.objects.insert(key, object);
            }
            Err(problem) => {
                let message = crate::msg!(
                    "grade-would-be-rejected-by-api-server",
                    kind = &object.kind,
                    name = &object.name,
                    reason = problem.message.clone()
                );
                self.objects.remove(&key);
                self.rejected
                    .insert(key, (object, problem.location, message));
            }
        }
    }

    /// Records an object kubelab refuses to apply (see [`crate::policy::confine`]): it is
    /// not in the namespace, and a check that needs it fails with the reason.
    pub fn refuse(&mut self, object: &'a Object, refused: &Refused) {
        let key = self.key(object);
        let message = refused.not_applied(object);
        self.objects.remove(&key);
        self.rejected
            .insert(key, (object, refused.location.clone(), message));
    }

    /// The learner's object `kind`/`name`, applied or refused.
    pub fn submitted(&self, kind: &str, name: &str) -> Option<&'a Object> {
        let key = (kind.to_string(), name.to_string());
        self.objects
            .get(&key)
            .copied()
            .or_else(|| self.rejected.get(&key).map(|(o, _, _)| *o))
    }

    /// The pull secrets pod `name` got when it was created, with where each is named.
    pub fn pull_secrets(&self, name: &str) -> &[PullSecret<'a>] {
        self.pull_secrets
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or(&[])
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
        let (_, location, message) = self.rejected.get(&key)?;
        Some(Outcome::fail(message.clone(), Some(location.clone())))
    }

    fn missing(&self, kind: &str, name: &str) -> Outcome {
        // Another step's object is not a misnamed copy of this one.
        let asked_elsewhere = |o: &Object| {
            self.asked
                .iter()
                .any(|(k, n, _)| *k == o.kind && *n == o.name)
        };
        let same_kind: Vec<&Object> = self
            .objects
            .iter()
            .filter(|((k, _), _)| k == kind)
            .map(|(_, o)| *o)
            .chain(
                self.rejected
                    .iter()
                    .filter(|((k, _), _)| k == kind)
                    .map(|(_, (o, _, _))| *o),
            )
            .filter(|o| !asked_elsewhere(o))
            .collect();
        let other_kind: Vec<&Object> = self
            .objects
            .iter()
            .filter(|((k, n), _)| n == name && k != kind)
            .map(|(_, o)| *o)
            .chain(
                self.ignored
                    .iter()
                    .filter(|o| o.name == name && o.kind != kind)
                    .copied(),
            )
            .collect();
        // An object of this kind with no name at all (a colon left out under `metadata`):
        // the API server would reject it, and that is the thing to fix.
        if let Some(problem) = self
            .rejected
            .iter()
            .filter(|((k, n), _)| k == kind && n.is_empty())
            .find_map(|(_, (o, _, _))| super::admission::rejection(o))
        {
            return Outcome::fail(
                crate::msg!(
                    "check-not-found-nameless",
                    kind = kind,
                    name = name,
                    problem = problem.message
                ),
                Some(problem.location),
            );
        }
        // The object written into another namespace of the scenario (`-n monitoring`).
        let (role, plain) = crate::lab::split_qualified(name);
        let elsewhere = self
            .objects
            .iter()
            .chain(self.rejected.iter().map(|(k, (o, _, _))| (k, o)))
            .find(|((k, n), o)| k == kind && o.name == plain && n != name)
            .map(|(_, o)| *o);
        if let Some(found) = elsewhere {
            let shown = |role: Option<&str>| role.unwrap_or(&self.task_namespace).to_string();
            return Outcome::fail(
                crate::msg!(
                    "check-not-found-other-namespace",
                    kind = kind,
                    name = plain,
                    expected = shown(role),
                    found = shown(self.role_of(found))
                ),
                Some(found.locate(&FieldPath::parse("metadata.namespace"))),
            );
        }
        let mut message = crate::msg!("check-not-found", kind = kind, name = name);
        let mut location = None;
        if let Some(found) = same_kind.first() {
            let names: Vec<String> = same_kind.iter().map(|o| format!("`{}`", o.name)).collect();
            message = crate::msg!(
                "check-not-found-same-kind",
                kind = kind,
                name = name,
                found = names.join(", ")
            );
            location = Some(found.locate(&FieldPath::parse("metadata.name")));
        } else if let Some(found) = other_kind.first() {
            message = crate::msg!(
                "check-not-found-other-kind",
                kind = kind,
                name = name,
                found = &found.kind
            );
            location = Some(found.locate(&FieldPath::parse("kind")));
        } else if let Some((_, _, file)) =
            self.asked.iter().find(|(k, n, _)| k == kind && n == name)
        {
            message = crate::msg!(
                "check-not-found-in-file",
                kind = kind,
                name = name,
                file = file
            );
        }
        Outcome::fail(message, location)
    }
}
