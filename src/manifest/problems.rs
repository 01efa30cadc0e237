//! Schema problems as the learner reads them: located at the offending field, with a
//! did-you-mean and a note when a field was written at the wrong level.

use super::path::{FieldPath, Segment};
use super::schema::{Outcome, Unknown};
use super::suggest;
use super::{Object, SchemaProblem};
use crate::i18n::{Arg, Message};
use crate::msg;

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
    duplicates: Vec<(FieldPath, Message)>,
) -> Vec<SchemaProblem> {
    let mut problems = Vec::new();
    // Where the unknown fields are (the first one, in document order, says how many more).
    let mut unknown_at = Vec::new();
    for unknown in &outcome.unknown {
        let message = unknown_message(unknown);
        let problem = problem(object, unknown.path.clone(), message);
        unknown_at.push((problem.location.line, problem.location.column));
        problems.push(problem);
    }
    for (path, message) in outcome.errors {
        problems.push(at(object, path, message));
    }
    for (path, message) in duplicates {
        problems.push(at(object, path, message));
    }
    let metadata = object.value.get("metadata");
    let has = |name: &str| {
        metadata
            .and_then(|m| m.get(name))
            .and_then(|v| v.as_str())
            .is_some_and(|s| !s.is_empty())
    };
    if let Some(text) = metadata.and_then(|m| m.as_str()) {
        // `metadata:` over `  name db`: a colon left out makes the block one string.
        let path = FieldPath::root().key("metadata");
        let key = text.split_whitespace().next().unwrap_or("name");
        let message = msg!(
            "manifest-metadata-is-a-string",
            value = crate::text::truncate(text, 60).into_owned(),
            key = key
        );
        // At the string itself (the line under `metadata:`), in place of the type error
        // that says the same less helpfully.
        let mut located = problem(object, path.clone(), message);
        let key_line = located.location.line;
        if let Some((offset, line)) = object
            .source
            .text
            .lines()
            .enumerate()
            .skip(key_line)
            .find(|(_, l)| !l.trim().is_empty())
            .filter(|(_, l)| l.trim_start().starts_with(key))
        {
            located.location.line = offset + 1;
            located.location.column = line.len() - line.trim_start().len() + 1;
        }
        problems.retain(|p| p.path != path);
        problems.push(located);
    } else if !has("name") && !has("generateName") {
        let path = FieldPath::root().key("metadata").key("name");
        let message = msg!("manifest-missing-name", kind = &object.kind);
        problems.push(problem(object, path, message));
    }
    // Stable: at one place, the unknown field (pushed first) stays first.
    problems.sort_by_key(|p| (p.location.line, p.location.column));
    if outcome.unknown_more > 0 {
        // Said with the first unknown field, the one the learner reads.
        let first_unknown = unknown_at.iter().min().copied();
        if let Some(first) = problems
            .iter_mut()
            .find(|p| Some((p.location.line, p.location.column)) == first_unknown)
        {
            first.message = msg!(
                "manifest-more-unknown-fields",
                message = first.message.clone(),
                count = outcome.unknown_more,
                kind = &object.kind,
                checked = super::schema::MAX_UNKNOWN
            );
        }
    }
    problems
}

/// A problem at `path` whose message does not name it yet: `path: message`.
pub fn at(object: &Object, path: FieldPath, message: Message) -> SchemaProblem {
    let message = if path.is_root() {
        message
    } else {
        msg!(
            "manifest-at-path",
            path = path.to_string(),
            message = message
        )
    };
    problem(object, path, message)
}

fn problem(object: &Object, path: FieldPath, message: Message) -> SchemaProblem {
    SchemaProblem {
        location: object.locate(&path),
        path,
        message,
    }
}

fn unknown_message(unknown: &Unknown) -> Message {
    let key = unknown.path.last_key().unwrap_or_default();
    let parent = unknown.path.parent().unwrap_or_default();
    let mut message = if parent.is_root() {
        msg!("manifest-unknown-field-at-top", key = key)
    } else {
        msg!(
            "manifest-unknown-field-in",
            key = key,
            parent = parent.to_string()
        )
    };
    let level =
        misplaced(unknown.type_name, key, &parent).or_else(|| wrong_level(unknown, key, &parent));
    if level.is_none()
        && let Some(s) = suggest::closest(key, unknown.valid.iter().copied())
    {
        message = msg!("manifest-did-you-mean", message = message, suggestion = s);
    }
    if let Some(note) = level {
        message = msg!("manifest-with-note", message = message, note = note);
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
fn misplaced(type_name: &str, key: &str, parent: &FieldPath) -> Option<Message> {
    let shown = |path: FieldPath| -> Arg {
        if path.is_root() {
            msg!("manifest-the-top-level").into()
        } else {
            path.to_string().into()
        }
    };
    match (type_name, key) {
        ("Container" | "EphemeralContainer", k) if POD_SPEC_FIELDS.contains(&k) => {
            let pod = above(
                parent,
                &["containers", "initContainers", "ephemeralContainers"],
            )?;
            Some(msg!(
                "manifest-pod-field-in-container",
                key = key,
                pod = shown(pod)
            ))
        }
        ("PodSpec", k) if CONTAINER_FIELDS.contains(&k) => Some(msg!(
            "manifest-container-field-in-pod",
            key = key,
            containers = parent.key("containers").to_string()
        )),
        ("NetworkPolicyPeer", "ports") => {
            let rule = above(parent, &["from", "to"])?;
            Some(msg!(
                "manifest-ports-in-peer",
                ports = rule.key("ports").to_string()
            ))
        }
        ("NetworkPolicyIngressRule", "podSelector" | "namespaceSelector" | "ipBlock") => {
            Some(msg!(
                "manifest-belongs-in-peer",
                key = key,
                peers = parent.key("from").to_string()
            ))
        }
        ("NetworkPolicyEgressRule", "podSelector" | "namespaceSelector" | "ipBlock") => Some(msg!(
            "manifest-belongs-in-peer",
            key = key,
            peers = parent.key("to").to_string()
        )),
        ("NetworkPolicySpec", "from" | "ports") => Some(msg!(
            "manifest-belongs-in-ingress-rule",
            key = key,
            rules = parent.key("ingress").to_string()
        )),
        ("NetworkPolicySpec", "to") => Some(msg!(
            "manifest-to-belongs-in-egress-rule",
            rules = parent.key("egress").to_string()
        )),
        _ => None,
    }
}

/// ` (it is a container-level field: spec.containers[*].securityContext)` and the like.
fn wrong_level(unknown: &Unknown, key: &str, parent: &FieldPath) -> Option<Message> {
    let other = |names: &[&'static str]| suggest::closest(key, names.iter().copied());
    match unknown.type_name {
        "PodSecurityContext" => {
            let field = other(CONTAINER_ONLY)?;
            let pod_spec = parent.parent().unwrap_or_default();
            let containers = pod_spec.key("containers").to_string();
            Some(if field == key {
                msg!("manifest-it-is-container-level", containers = containers)
            } else {
                msg!(
                    "manifest-field-is-container-level",
                    field = field,
                    containers = containers
                )
            })
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
            let at = pod_spec.key("securityContext").to_string();
            Some(if field == key {
                msg!("manifest-it-is-pod-level", at = at)
            } else {
                msg!("manifest-field-is-pod-level", field = field, at = at)
            })
        }
        "Container" | "EphemeralContainer" => {
            let field = other(CONTAINER_ONLY).or_else(|| other(SHARED))?;
            Some(msg!(
                "manifest-belongs-in-security-context",
                field = field,
                at = parent_or_object(parent)
            ))
        }
        "PodSpec" => {
            let field = other(POD_ONLY).or_else(|| other(SHARED))?;
            Some(msg!(
                "manifest-belongs-in-security-context",
                field = field,
                at = parent_or_object(parent)
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

fn parent_or_object(parent: &FieldPath) -> Arg {
    if parent.is_root() {
        msg!("manifest-the-object").into()
    } else {
        parent.to_string().into()
    }
}
