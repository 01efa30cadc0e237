//! The lab definition as written in `labs/<id>/lab.yaml`.

use super::check_spec::{CheckKind, ObjectRef};
use super::text::Text;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabFile {
    pub id: String,
    pub title: Text,
    /// The scenario in one paragraph (the seed's "시나리오").
    pub scenario: Text,
    #[serde(default)]
    pub params: BTreeMap<String, Param>,
    /// Objects the scenario starts with, each with the command of the seed that makes it.
    #[serde(default)]
    pub fixtures: Vec<Spanned<Fixture>>,
    /// The lab's namespace, when the learner configures it (its labels).
    #[serde(default)]
    pub namespace: Option<NamespaceSpec>,
    /// Further namespaces of the scenario, by role (`monitoring: {labels: {…}}`): see
    /// [`RoleNamespace`].
    #[serde(default)]
    pub namespaces: BTreeMap<String, RoleNamespace>,
    /// Whether the learner submits `ValidatingAdmissionPolicy` objects and their
    /// bindings (applied renamed for the run, bound to its namespace only).
    #[serde(default, rename = "admission-policies")]
    pub admission_policies: bool,
    /// Objects the `admission` checks try to create (never created: a dry run).
    #[serde(default)]
    pub probes: Vec<Spanned<Probe>>,
    pub steps: Vec<Spanned<StepFile>>,
}

/// The lab's namespace as the learner configures it: a `Namespace` manifest named
/// `name` (the task's namespace), of which kubelab applies only the labels matching
/// `labels` to the run's own namespace. A pattern is a label key, or a prefix ending in
/// `*` (`pod-security.kubernetes.io/*`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct NamespaceSpec {
    pub name: String,
    pub labels: Vec<String>,
}

impl NamespaceSpec {
    /// Whether the learner may set label `key`.
    pub fn allows(&self, key: &str) -> bool {
        self.labels
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => key.starts_with(prefix),
                None => key == pattern,
            })
    }
}

/// A namespace of the scenario besides the lab's own, declared by role (its key in
/// `namespaces:`, e.g. `monitoring`): fixtures and the learner's objects name the role as
/// their `metadata.namespace`, and checks name its objects `<role>/<name>` (kubectl's
/// `-n <role> <name>`) and its Services `<service>.<role>` (the cluster DNS's short name).
///
/// Offline the namespace is simulated under the role's name, with `labels` and
/// `kubernetes.io/metadata.name: <role>` (the label the API server sets on every
/// namespace: `NamespaceDefaultLabelName`, kubernetes/kubernetes
/// `pkg/registry/core/namespace/strategy.go`). Live, kubelab creates one sandbox per role
/// for the run (`kubelab-<lab>-<6 random>-<role>`, with `labels`, the run's identity and
/// Lease, and the sandbox rules of every sandbox) and translates the role's name where a
/// learner's NetworkPolicy selects `kubernetes.io/metadata.name`, and in DNS names.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RoleNamespace {
    /// The namespace's labels (what `namespaceSelector`s see besides its name).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// A probe: one object in a file of the lab folder.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    /// Path relative to the lab folder.
    pub file: String,
}

/// A concrete value of the lab (a name, a label, a port, an ID, a credential): every
/// file of the lab and its solution use it as `{{name}}`. `default` is the seed
/// material's value; `vary` makes it differ per variant (`--variant SEED`, see
/// [`super::variant`]). A live run may still replace the registry's values.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub default: String,
    pub about: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vary: Option<Vary>,
}

/// How a parameter varies: `{one-of: [a, b, …]}` (a list of values),
/// `{range: [FROM, TO]}` (an integer, both ends included) or `{token: LENGTH}` (a
/// readable random word, e.g. a password). A variant never takes the default.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Vary {
    OneOf(Vec<String>),
    Range([u32; 2]),
    Token(usize),
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Path relative to the lab folder.
    pub file: String,
    /// The command of the seed that creates these objects.
    pub command: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    pub id: String,
    pub title: Text,
    pub text: Text,
    /// Commands the learner types (from the seed), shown with the task.
    #[serde(default)]
    pub commands: Vec<String>,
    /// Objects the learner submits in this step, with the file name the seed uses.
    #[serde(default)]
    pub submit: Vec<Submit>,
    #[serde(default)]
    pub hint: Option<Text>,
    pub checks: Vec<Spanned<CheckFile>>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    pub kind: String,
    pub name: String,
    /// The file name the seed uses (e.g. `db-deny-policy.yaml`), for the task text.
    pub file: String,
}

impl Submit {
    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind.clone(),
            name: self.name.clone(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "RawCheck")]
pub struct CheckFile {
    pub id: String,
    pub points: u32,
    pub title: Option<Text>,
    pub hint: Option<Text>,
    pub kind: CheckKind,
}

/// A check as written: its common fields plus exactly one key naming its kind.
#[derive(Deserialize)]
struct RawCheck {
    id: String,
    #[serde(default = "one")]
    points: u32,
    #[serde(default)]
    title: Option<Text>,
    #[serde(default)]
    hint: Option<Text>,
    #[serde(flatten)]
    rest: BTreeMap<String, serde_json::Value>,
}

fn one() -> u32 {
    1
}

impl TryFrom<RawCheck> for CheckFile {
    type Error = String;

    fn try_from(raw: RawCheck) -> Result<Self, String> {
        let id = raw.id;
        let mut keys = raw.rest.into_iter();
        let (kind, spec) = match (keys.next(), keys.next()) {
            (Some(only), None) => only,
            (None, _) => {
                return Err(format!(
                    "check `{id}` names no check kind (one of: {})",
                    CheckKind::NAMES.join(", ")
                ));
            }
            (Some((a, _)), Some((b, _))) => {
                return Err(format!(
                    "check `{id}` has two kinds or an unknown field: `{a}` and `{b}`"
                ));
            }
        };
        if !CheckKind::NAMES.contains(&kind.as_str()) {
            let suggestion = CheckKind::NAMES
                .iter()
                .max_by(|a, b| {
                    strsim::jaro_winkler(a, &kind).total_cmp(&strsim::jaro_winkler(b, &kind))
                })
                .filter(|best| strsim::jaro_winkler(best, &kind) > 0.8)
                .map(|best| format!("; did you mean `{best}`?"))
                .unwrap_or_default();
            return Err(format!(
                "check `{id}` has an unknown check kind `{kind}`{suggestion}"
            ));
        }
        let kind = serde_json::from_value(serde_json::json!({ kind.clone(): spec }))
            .map_err(|e| format!("check `{id}`: `{kind}`: {e}"))?;
        Ok(Self {
            id,
            points: raw.points,
            title: raw.title,
            hint: raw.hint,
            kind,
        })
    }
}

/// A loaded and validated lab.
#[derive(Clone, Debug)]
pub struct Lab {
    pub id: String,
    pub title: Text,
    pub scenario: Text,
    pub params: BTreeMap<String, Param>,
    /// The variant's seed (`--variant SEED`); `None` is the seed material's exercise.
    pub variant: Option<String>,
    /// Every parameter's value in this variant, computed ones included
    /// ([`super::variant::values`]).
    pub values: BTreeMap<String, String>,
    pub fixtures: Vec<LoadedFixture>,
    /// See [`LabFile::namespace`].
    pub namespace: Option<NamespaceSpec>,
    /// See [`LabFile::namespaces`].
    pub namespaces: BTreeMap<String, RoleNamespace>,
    /// See [`LabFile::admission_policies`].
    pub admission_policies: bool,
    /// The probes' files, each holding one object.
    pub probes: Vec<LoadedProbe>,
    pub steps: Vec<Step>,
    /// The folder's files (`lab.yaml`, fixtures) as written, templates included, by path
    /// relative to the lab folder: [`Lab::variant`] loads them again with other values.
    pub files: BTreeMap<String, String>,
    /// The seed's reference solution (`labs/<id>/solution/`): (file name, contents).
    pub solution: Vec<(String, String)>,
    /// Where the lab was loaded from (`labs/<id>` or the `--labs` folder's).
    pub origin: String,
}

#[derive(Clone, Debug)]
pub struct LoadedFixture {
    pub file: String,
    pub command: String,
    /// The fixture's YAML text, as in the lab folder.
    pub text: String,
}

/// A probe file of the lab, as in the lab folder (filled in for the variant).
#[derive(Clone, Debug)]
pub struct LoadedProbe {
    pub file: String,
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub id: String,
    pub title: Text,
    pub text: Text,
    pub commands: Vec<String>,
    pub submit: Vec<Submit>,
    pub hint: Option<Text>,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug)]
pub struct Check {
    pub id: String,
    pub points: u32,
    pub title: Option<Text>,
    pub hint: Option<Text>,
    pub kind: CheckKind,
}

impl Lab {
    /// The lab's own namespace as the task names it: the declared one, else `default`.
    pub fn task_namespace(&self) -> &str {
        self.namespace
            .as_ref()
            .map_or("default", |n| n.name.as_str())
    }

    /// The role of `namespace` (an object's `metadata.namespace`) when it is one of
    /// [`Lab::namespaces`]; `None` for the lab's own namespace (absent, `default`, the
    /// declared one) and any other.
    pub fn role_of(&self, namespace: Option<&str>) -> Option<&str> {
        let namespace = namespace?;
        self.namespaces
            .get_key_value(namespace)
            .map(|(role, _)| role.as_str())
    }

    /// How checks and reports name `object`: `<role>/<name>` in a role's namespace, else
    /// its name.
    pub fn qualified_name(&self, object: &crate::manifest::Object) -> String {
        qualified(self.role_of(object.namespace.as_deref()), &object.name)
    }

    pub fn max_score(&self) -> u32 {
        self.steps
            .iter()
            .flat_map(|s| &s.checks)
            .map(|c| c.points)
            .sum()
    }

    /// The parameters' values of this variant (the defaults when no seed; a live run
    /// may override the registry's).
    pub fn param_values(&self) -> BTreeMap<String, String> {
        self.values.clone()
    }

    /// Whether any parameter varies (a seed changes something).
    pub fn varies(&self) -> bool {
        self.params.values().any(|p| p.vary.is_some())
    }

    /// The parameters whose value in this variant differs from the seed's: (name,
    /// default, value), computed ones included.
    pub fn changed_values(&self) -> Vec<(String, String, String)> {
        let defaults = super::variant::values(&self.id, &self.params, None);
        self.values
            .iter()
            .filter_map(|(name, value)| {
                let default = defaults.get(name)?;
                (default != value).then(|| (name.clone(), default.clone(), value.clone()))
            })
            .collect()
    }

    /// The reference solution of this variant: (file name, contents). The committed
    /// solution is the seed's; a variant's has every changed value rewritten
    /// ([`super::variant::rewrite`]).
    pub fn solution_files(&self) -> Vec<(String, String)> {
        let changed = self.changed_values();
        let pairs: Vec<(&str, &str)> = changed
            .iter()
            .map(|(_, from, to)| (from.as_str(), to.as_str()))
            .collect();
        self.solution
            .iter()
            .map(|(name, text)| (name.clone(), super::variant::rewrite(text, &pairs)))
            .collect()
    }

    /// The same lab for another seed: every file loaded again with that variant's
    /// values. `None` gives the seed material's exercise.
    ///
    /// Errors: a [`LabError`](super::LabError) when the lab's templates do not load
    /// with these values (a lab bug: the property test loads 200 seeds of every lab).
    pub fn variant(&self, seed: Option<&str>) -> Result<Lab, super::LabError> {
        self.reload(seed, &BTreeMap::new())
    }

    /// This variant with some parameters set to other values (a live run's registry
    /// and credentials), so that its text, fixtures and solution show them. The lab
    /// itself when nothing differs.
    ///
    /// Errors: as [`Lab::variant`].
    pub fn with_values(
        &self,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Lab, super::LabError> {
        if overrides.iter().all(|(k, v)| self.values.get(k) == Some(v)) {
            return Ok(self.clone());
        }
        self.reload(self.variant.as_deref(), overrides)
    }

    /// The lab's files loaded again for `seed` with `overrides`; the solution kept.
    fn reload(
        &self,
        seed: Option<&str>,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Lab, super::LabError> {
        let mut lab =
            super::load::load_lab_values(&self.origin, self.files.clone(), seed, overrides)?;
        lab.solution = self.solution.clone();
        Ok(lab)
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// `<role>/<name>`, or `name` when `role` is `None` (the lab's own namespace).
pub fn qualified(role: Option<&str>, name: &str) -> String {
    match role {
        Some(role) => format!("{role}/{name}"),
        None => name.to_string(),
    }
}

/// `<role>/<name>` split into (role, name); a plain name is in the lab's own namespace.
pub fn split_qualified(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((role, name)) => (Some(role), name),
        None => (None, name),
    }
}
