//! Schema problems as the learner reads them: located at the offending field, with a
//! did-you-mean and a note when a field was written at the wrong level.

use super::path::{FieldPath, Segment};
use super::schema::{Outcome, Unknown};
use super::suggest;
use super::{Object, SchemaProblem};

/// securityContext fields that exist only on containers.
pub const CONTAINER_ONLY: &[&str] = &[
    "readOnlyRootFilesystem",
    "allowPrivilegeEscalation",
    "capabilities",
    "privileged",
    "procMount",
];

/// securityContext fields that exist only on the pod.
pub const POD_ONLY: &[&str] = &[
    "fsGroup",
    "fsGroupChangePolicy",
    "supplementalGroups",
    "supplementalGroupsPolicy",
    "sysctls",
];

pub fn collect(
    object: &Object,
    outcome: Outcome,
    duplicates: Vec<(FieldPath, String)>,
) -> Vec<SchemaProblem> {
    let mut problems = Vec::new();
    for unknown in &outcome.unknown {
        let message = unknown_message(unknown);
        problems.push(problem(object, unknown.path.clone(), message));
    }
    for (path, message) in outcome.errors {
        let message = if path.is_root() {
            message
        } else {
            format!("{path}: {message}")
        };
        problems.push(problem(object, path, message));
    }
    for (path, message) in duplicates {
        problems.push(problem(object, path.clone(), format!("{path}: {message}")));
    }
    let metadata = object.value.get("metadata");
    let has = |name: &str| {
        metadata
            .and_then(|m| m.get(name))
            .and_then(|v| v.as_str())
            .is_some_and(|s| !s.is_empty())
    };
    if !has("name") && !has("generateName") {
        let path = FieldPath::root().key("metadata").key("name");
        let message = format!(
            "metadata.name is missing: every {} needs a name",
            object.kind
        );
        problems.push(problem(object, path, message));
    }
    problems.sort_by_key(|p| (p.location.line, p.location.column));
    if outcome.unknown_more > 0 {
        // Said with the first unknown field, the one the learner reads.
        if let Some(first) = problems
            .iter_mut()
            .find(|p| p.message.starts_with("unknown field"))
        {
            first.message.push_str(&format!(
                " (and {} more unknown fields in this {}; only the first {} are checked one by one)",
                outcome.unknown_more,
                object.kind,
                super::schema::MAX_UNKNOWN
            ));
        }
    }
    problems
}

/// A problem at `path` whose message does not name it yet: `path: message`.
pub fn at(object: &Object, path: FieldPath, message: String) -> SchemaProblem {
    let message = if path.is_root() {
        message
    } else {
        format!("{path}: {message}")
    };
    problem(object, path, message)
}

fn problem(object: &Object, path: FieldPath, message: String) -> SchemaProblem {
    SchemaProblem {
        location: object.locate(&path),
        path,
        message,
    }
}

fn unknown_message(unknown: &Unknown) -> String {
    let key = unknown.path.last_key().unwrap_or_default();
    let parent = unknown.path.parent().unwrap_or_default();
    let place = if parent.is_root() {
        "at the top level of the object".to_string()
    } else {
        format!("in {parent}")
    };
    let mut message = format!("unknown field \"{key}\" {place}");
    let level =
        misplaced(unknown.type_name, key, &parent).or_else(|| wrong_level(unknown, key, &parent));
    if level.is_none() {
        if let Some(s) = suggest::closest(key, unknown.valid.iter().copied()) {
            message.push_str(&format!("; did you mean \"{s}\"?"));
        }
    }
    if let Some(note) = level {
        message.push_str(&note);
    }
    message
}

/// Pod-level fields learners write under a container (`k8s.io/api/core/v1` PodSpec).
const POD_SPEC_FIELDS: &[&str] = &[
    "imagePullSecrets",
    "serviceAccountName",
    "nodeSelector",
    "volumes",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "initContainers",
    "tolerations",
    "affinity",
    "automountServiceAccountToken",
];

/// Container fields learners write at the pod level (`k8s.io/api/core/v1` Container).
const CONTAINER_FIELDS: &[&str] = &[
    "image",
    "command",
    "args",
    "ports",
    "env",
    "envFrom",
    "volumeMounts",
    "resources",
    "imagePullPolicy",
    "livenessProbe",
    "readinessProbe",
    "workingDir",
];

/// The path up to (not including) the last list item named `list` (`spec.containers[0]`
/// → `spec` for `containers`), or `None`.
fn above(parent: &FieldPath, list: &[&str]) -> Option<FieldPath> {
    let segments = &parent.0;
    let at = segments
        .iter()
        .rposition(|s| matches!(s, Segment::Key(k) if list.contains(&k.as_str())))?;
    Some(FieldPath(segments[..at].to_vec()))
}

/// A known field written one level off (the field exists, exactly so spelled, at another
/// level): where it belongs, e.g. ` ("imagePullSecrets" is a pod-level field: it belongs
/// in spec)`. The levels are those of `k8s.io/api` (PodSpec and Container,
/// NetworkPolicySpec, its rules and peers).
fn misplaced(type_name: &str, key: &str, parent: &FieldPath) -> Option<String> {
    let shown = |path: FieldPath| {
        if path.is_root() {
            "the object's top level".to_string()
        } else {
            path.to_string()
        }
    };
    match (type_name, key) {
        ("Container" | "EphemeralContainer", k) if POD_SPEC_FIELDS.contains(&k) => {
            let pod = above(
                parent,
                &["containers", "initContainers", "ephemeralContainers"],
            )?;
            Some(format!(
                " (\"{key}\" is a pod-level field: it belongs in {}, not in a container)",
                shown(pod)
            ))
        }
        ("PodSpec", k) if CONTAINER_FIELDS.contains(&k) => Some(format!(
            " (\"{key}\" is a container field: it belongs in each container, {}[*])",
            parent.key("containers")
        )),
        ("NetworkPolicyPeer", "ports") => {
            let rule = above(parent, &["from", "to"])?;
            Some(format!(
                " (\"ports\" belongs in the rule, beside `from`/`to`: {}, not in a peer)",
                rule.key("ports")
            ))
        }
        ("NetworkPolicyIngressRule", "podSelector" | "namespaceSelector" | "ipBlock") => {
            Some(format!(
                " (\"{key}\" belongs in a peer: {}[*].{key})",
                parent.key("from")
            ))
        }
        ("NetworkPolicyEgressRule", "podSelector" | "namespaceSelector" | "ipBlock") => {
            Some(format!(
                " (\"{key}\" belongs in a peer: {}[*].{key})",
                parent.key("to")
            ))
        }
        ("NetworkPolicySpec", "from" | "ports") => Some(format!(
            " (\"{key}\" belongs in an ingress rule: {}[*].{key})",
            parent.key("ingress")
        )),
        ("NetworkPolicySpec", "to") => Some(format!(
            " (\"to\" belongs in an egress rule: {}[*].to)",
            parent.key("egress")
        )),
        _ => None,
    }
}

/// ` (it is a container-level field: spec.containers[*].securityContext)` and the like.
fn wrong_level(unknown: &Unknown, key: &str, parent: &FieldPath) -> Option<String> {
    let other = |names: &[&'static str]| suggest::closest(key, names.iter().copied());
    match unknown.type_name {
        "PodSecurityContext" => {
            let field = other(CONTAINER_ONLY)?;
            let pod_spec = parent.parent().unwrap_or_default();
            let at = pod_spec.key("containers").to_string();
            let spelled = if field == key {
                "it".to_string()
            } else {
                format!("\"{field}\"")
            };
            Some(format!(
                " ({spelled} is a container-level field: {}[*].securityContext)",
                at
            ))
        }
        "SecurityContext" => {
            let field = other(POD_ONLY)?;
            // spec.containers[0].securityContext → spec
            let segments = &parent.0;
            let cut = segments
                .iter()
                .rposition(|s| matches!(s, Segment::Index(_)))
                .map_or(0, |i| i.saturating_sub(1));
            let pod_spec = FieldPath(segments[..cut].to_vec());
            let spelled = if field == key {
                "it".to_string()
            } else {
                format!("\"{field}\"")
            };
            Some(format!(
                " ({spelled} is a pod-level field: {})",
                pod_spec.key("securityContext")
            ))
        }
        "Container" | "EphemeralContainer" => {
            let field = other(CONTAINER_ONLY).or_else(|| other(SHARED))?;
            Some(format!(
                " (\"{field}\" belongs in {}.securityContext)",
                parent_or_object(parent)
            ))
        }
        "PodSpec" => {
            let field = other(POD_ONLY).or_else(|| other(SHARED))?;
            Some(format!(
                " (\"{field}\" belongs in {}.securityContext)",
                parent_or_object(parent)
            ))
        }
        _ => None,
    }
}

/// securityContext fields that both the pod and its containers have.
const SHARED: &[&str] = &[
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "seccompProfile",
    "seLinuxOptions",
    "appArmorProfile",
    "windowsOptions",
];

fn parent_or_object(parent: &FieldPath) -> String {
    if parent.is_root() {
        "the object".to_string()
    } else {
        parent.to_string()
    }
}
