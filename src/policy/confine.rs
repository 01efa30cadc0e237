//! What kubelab refuses to apply, before anything reaches a cluster: objects aimed
//! outside the lab namespace, cluster-scoped kinds and RBAC, pods (and every pod
//! template) that the sandbox's Pod Security level forbids, and workloads larger than a
//! lab could need. The same rules decide offline and live: a refused object is not
//! applied, the checks that need it fail with this reason at the learner's line, and the
//! submission does not pass.

use super::pod_security;
use crate::i18n::Message;
use crate::manifest::{FieldPath, Location, Object, why_refused};
use serde_json::Value;

/// Kinds that are cluster-scoped, change who may do what, or change the sandbox's own
/// rules: never part of a lab (kept with the kinds, so that a lab is checked against them
/// when it loads).
pub use crate::manifest::REFUSED_KINDS;

/// Replicas (and a Job's parallelism and completions) a lab workload may ask for.
pub const MAX_REPLICAS: i64 = 3;
/// Objects one submission may hold; the ones after this are refused.
pub const MAX_OBJECTS: usize = 40;

/// An object kubelab does not apply, located at the field that decided it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("{}:{}:{}: {message}", location.file, location.line, location.column)]
pub struct Refused {
    pub kind: String,
    pub name: String,
    pub location: Location,
    pub message: Message,
    pub help: Message,
}

impl Refused {
    /// Why `object` (this refusal's object, or one after the 40th that it covers) is not
    /// in the namespace: the sentence a check that needs it fails with, offline and live.
    pub fn not_applied(&self, object: &Object) -> Message {
        crate::msg!(
            "policy-not-applied",
            kind = object.kind.as_str(),
            name = object.name.as_str(),
            reason = self.message.clone()
        )
    }
}

impl miette::Diagnostic for Refused {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
}

pub(super) fn refuse(
    object: &Object,
    path: &FieldPath,
    message: Message,
    help: Message,
) -> Refused {
    // Names are the learner's: shown as text, never as terminal controls.
    Refused {
        kind: crate::text::escape_control(&object.kind).into_owned(),
        name: crate::text::escape_control(&object.name).into_owned(),
        location: object.locate(path),
        message,
        help,
    }
}

/// What a lab lets the learner submit beyond what every sandbox takes: its namespace's
/// labels (a `Namespace` manifest, see [`super::namespace`]) and admission policies (see
/// [`super::admission_policy`]). The default allows neither.
#[derive(Clone, Copy, Debug, Default)]
pub struct Allowances<'a> {
    pub namespace: Option<&'a crate::lab::NamespaceSpec>,
    pub admission_policies: bool,
    /// The scenario's further namespaces by role ([`crate::lab::RoleNamespace`]): an
    /// object may name one as its `metadata.namespace`.
    pub roles: Option<&'a std::collections::BTreeMap<String, crate::lab::RoleNamespace>>,
}

impl<'a> Allowances<'a> {
    /// What `lab` declares.
    pub fn of(lab: &'a crate::lab::Lab) -> Self {
        Allowances {
            namespace: lab.namespace.as_ref(),
            admission_policies: lab.admission_policies,
            roles: Some(&lab.namespaces),
        }
    }
}

/// Why kubelab refuses `object`, or `None`. `metadata.namespace` may be absent or
/// `default` (what a learner's kubectl context usually uses), or the lab's declared
/// namespace; all mean the lab's namespace. A declared role's name puts the object in
/// that role's namespace.
pub fn refusal(object: &Object, allow: Allowances<'_>) -> Option<Refused> {
    match (object.kind.as_str(), allow.namespace) {
        ("Namespace", Some(spec)) => return super::namespace::refusal(object, spec),
        ("ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding", _)
            if allow.admission_policies =>
        {
            return super::admission_policy::refusal(object);
        }
        _ => {}
    }
    if REFUSED_KINDS.contains(&object.kind.as_str()) {
        return Some(refuse(
            object,
            &FieldPath::parse("kind"),
            crate::msg!(
                "policy-refused-kind",
                kind = object.kind.as_str(),
                name = object.name.as_str(),
                why = why_refused(&object.kind)
            ),
            crate::msg!("policy-refused-kind-help"),
        ));
    }
    if let Some(namespace) = object.namespace.as_deref()
        && namespace != "default"
        && allow.namespace.is_none_or(|spec| spec.name != namespace)
        && allow
            .roles
            .is_none_or(|roles| !roles.contains_key(namespace))
    {
        return Some(refuse(
            object,
            &FieldPath::parse("metadata.namespace"),
            crate::msg!(
                "policy-refused-namespace",
                kind = object.kind.as_str(),
                name = object.name.as_str(),
                namespace = namespace
            ),
            crate::msg!("policy-refused-namespace-help"),
        ));
    }
    let violations = pod_security::baseline(&object.kind, &object.value);
    if let Some(first) = violations.first() {
        return Some(refuse(
            object,
            &first.path,
            crate::msg!(
                "policy-refused-pod-security",
                kind = object.kind.as_str(),
                name = object.name.as_str(),
                violation = pod_security::message(pod_security::ENFORCE, &violations)
            ),
            crate::msg!(
                "policy-refused-pod-security-help",
                level = pod_security::ENFORCE
            ),
        ));
    }
    size_refusal(object).or_else(|| service_refusal(object))
}

/// Services that reach beyond the lab's namespace: `externalIPs` (a Service with them
/// intercepts the cluster's traffic to those addresses, CVE-2020-8554), a port on every
/// node (`NodePort`, `LoadBalancer`), and an `ExternalName` that names a Service of the
/// cluster (a DNS alias into another namespace). No lab asks for any of them.
fn service_refusal(object: &Object) -> Option<Refused> {
    if object.kind != "Service" {
        return None;
    }
    let at = |field: &str| FieldPath::parse(field);
    let ips = at("spec.externalIPs");
    if crate::manifest::lookup(&object.value, &ips)
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        return Some(refuse(
            object,
            &ips,
            crate::msg!("policy-refused-external-ips", name = object.name.as_str()),
            crate::msg!("policy-refused-external-ips-help"),
        ));
    }
    let kind = at("spec.type");
    let service_type = crate::manifest::lookup(&object.value, &kind).and_then(Value::as_str);
    match service_type {
        Some(t @ ("NodePort" | "LoadBalancer")) => Some(refuse(
            object,
            &kind,
            crate::msg!(
                "policy-refused-node-port",
                name = object.name.as_str(),
                service_type = t
            ),
            crate::msg!("policy-refused-node-port-help"),
        )),
        Some("ExternalName") => {
            let name_path = at("spec.externalName");
            let target = crate::manifest::lookup(&object.value, &name_path)
                .and_then(Value::as_str)
                .unwrap_or_default();
            inside_cluster(target).then(|| {
                refuse(
                    object,
                    &name_path,
                    crate::msg!(
                        "policy-refused-external-name",
                        name = object.name.as_str(),
                        target = target
                    ),
                    crate::msg!("policy-refused-external-name-help"),
                )
            })
        }
        _ => None,
    }
}

/// Whether a DNS name resolves inside the cluster from a pod: a name without a dot (the
/// pod's search path makes it a Service of its namespace), or one under `.svc`, `.pod`,
/// `.cluster.local` or `.local` (kubelet's default search domains, `cluster.local`
/// being the test cluster's and kubeadm's default domain).
fn inside_cluster(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    !name.contains('.')
        || [".svc", ".pod", ".local"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
        || name.contains(".svc.")
}

/// Workloads bigger than a lab: replicas, a Job's parallelism and completions.
fn size_refusal(object: &Object) -> Option<Refused> {
    let fields: &[&str] = match object.kind.as_str() {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController" => &["spec.replicas"],
        "Job" => &["spec.parallelism", "spec.completions"],
        "CronJob" => &[
            "spec.jobTemplate.spec.parallelism",
            "spec.jobTemplate.spec.completions",
        ],
        _ => return None,
    };
    for field in fields {
        let path = FieldPath::parse(field);
        let value = crate::manifest::lookup(&object.value, &path);
        if let Some(n) = value.and_then(Value::as_i64)
            && n > MAX_REPLICAS
        {
            return Some(refuse(
                object,
                &path,
                crate::msg!(
                    "policy-refused-size",
                    kind = object.kind.as_str(),
                    name = object.name.as_str(),
                    asked = n.to_string(),
                    field = *field,
                    max = MAX_REPLICAS
                ),
                crate::msg!("policy-refused-size-help"),
            ));
        }
    }
    None
}

/// Every refusal of a submission, in object order, with the indexes of the objects it
/// covers: [`refusal`] of each of the first [`MAX_OBJECTS`] objects (one index each), and
/// one refusal for all the objects after them (located at the first of those), so that a
/// submission of 40,000 objects yields 41 refusals at most, not 40,000.
pub fn refusals<'o>(
    objects: impl IntoIterator<Item = &'o Object>,
    allow: Allowances<'_>,
) -> Vec<(std::ops::Range<usize>, Refused)> {
    let objects: Vec<&Object> = objects.into_iter().collect();
    let mut found: Vec<(std::ops::Range<usize>, Refused)> = objects
        .iter()
        .take(MAX_OBJECTS)
        .enumerate()
        .filter_map(|(i, object)| refusal(object, allow).map(|r| (i..i + 1, r)))
        .collect();
    if let Some(first) = objects.get(MAX_OBJECTS) {
        let total = objects.len();
        found.push((
            MAX_OBJECTS..total,
            refuse(
                first,
                &FieldPath::root(),
                crate::msg!(
                    "policy-refused-too-many",
                    kind = first.kind.as_str(),
                    name = first.name.as_str(),
                    first = (MAX_OBJECTS + 1).to_string(),
                    total = total.to_string(),
                    max = MAX_OBJECTS
                ),
                crate::msg!("policy-refused-too-many-help"),
            ),
        ));
    }
    found
}
