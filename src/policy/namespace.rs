//! The lab's namespace as the learner configures it. A lab that declares
//! `namespace: {name, labels}` lets the learner submit a `Namespace` manifest of that name;
//! kubelab applies only its declared labels to the run's own sandbox namespace, and
//! refuses everything else in it at its line.
//!
//! The Pod Security labels follow Pod Security admission
//! (`k8s.io/pod-security-admission/api/helpers.go`, `ParseLevel`, `ParseVersion`;
//! `admission/admission.go`, `ValidateNamespace`: an invalid level or version in a
//! namespace's labels is refused). A learner may *raise* the level kubelab's sandbox
//! enforces ([`pod_security::ENFORCE`]), never lower it, and pins the cluster's policy
//! version ([`pod_security::VERSION`]): kubelab's guarding admission policy
//! (`deploy/rbac.yaml`) refuses `latest`, and an older version would check less.

use super::confine::{Refused, refuse};
use super::pod_security;
use crate::lab::NamespaceSpec;
use crate::manifest::{FieldPath, Object};
use serde_json::Value;
use std::collections::BTreeMap;

/// The label prefix of Pod Security admission (`…/enforce`, `…/enforce-version`, and the
/// same for `warn` and `audit`).
pub const POD_SECURITY_PREFIX: &str = "pod-security.kubernetes.io/";

/// The label every namespace carries with its own name (the NamespaceDefaultLabelName
/// feature, GA since v1.22).
pub const NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The Pod Security levels, from least to most restrictive.
pub const LEVELS: [&str; 3] = ["privileged", "baseline", "restricted"];

fn rank(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level)
}

/// Whether `version` is a valid Pod Security policy version: `latest` or `v1.<minor>`
/// (`ParseVersion`).
fn valid_version(version: &str) -> bool {
    version == "latest"
        || version
            .strip_prefix("v1.")
            .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()))
}

/// Why kubelab refuses the learner's `Namespace` manifest, or `None`: another name than
/// the task's, any field but `apiVersion`, `kind`, `metadata.name` and
/// `metadata.labels`, a label the lab does not let the learner set (but
/// [`NAME_LABEL`], which the API server overwrites with the name anyway), a Pod Security level
/// or version that is not valid, an `enforce` level below the sandbox's own, or an
/// `enforce-version` other than the cluster's.
pub fn refusal(object: &Object, spec: &NamespaceSpec) -> Option<Refused> {
    let escaped = crate::text::escape_control(&object.name);
    let name = escaped.as_ref();
    let at = |path: FieldPath, message, help| Some(refuse(object, &path, message, help));
    if object.name != spec.name {
        return at(
            FieldPath::parse("metadata.name"),
            crate::msg!(
                "policy-namespace-name",
                name = name,
                expected = spec.name.as_str()
            ),
            crate::msg!("policy-namespace-name-help", expected = spec.name.as_str()),
        );
    }
    let Value::Object(top) = &object.value else {
        return None;
    };
    for key in top.keys() {
        if !matches!(key.as_str(), "apiVersion" | "kind" | "metadata") {
            return at(
                FieldPath::root().key(key.as_str()),
                crate::msg!(
                    "policy-namespace-field",
                    name = crate::text::escape_control(name).as_ref(),
                    field = crate::text::escape_control(key).as_ref()
                ),
                crate::msg!("policy-namespace-field-help"),
            );
        }
    }
    let metadata = top.get("metadata").and_then(Value::as_object);
    for key in metadata.into_iter().flat_map(|m| m.keys()) {
        if !matches!(key.as_str(), "name" | "labels") {
            return at(
                FieldPath::parse("metadata").key(key.as_str()),
                crate::msg!(
                    "policy-namespace-field",
                    name = crate::text::escape_control(name).as_ref(),
                    field = format!("metadata.{}", crate::text::escape_control(key))
                ),
                crate::msg!("policy-namespace-field-help"),
            );
        }
    }
    let labels = metadata
        .and_then(|m| m.get("labels"))
        .and_then(Value::as_object);
    // A level without its version follows the cluster's next upgrade: pinned or refused.
    let enforce = format!("{POD_SECURITY_PREFIX}enforce");
    if let Some(labels) = labels
        && labels.contains_key(&enforce)
        && !labels.contains_key(&format!("{enforce}-version"))
    {
        return at(
            FieldPath::parse("metadata.labels").key(enforce.as_str()),
            crate::msg!("policy-namespace-unpinned", version = pod_security::VERSION),
            crate::msg!(
                "policy-namespace-version-help",
                version = pod_security::VERSION
            ),
        );
    }
    for (key, value) in labels.into_iter().flatten() {
        let path = FieldPath::parse("metadata.labels").key(key.as_str());
        // The API server sets it to the namespace's name whatever the manifest says
        // (NamespaceDefaultLabelName): harmless, and never applied ([`labels`]).
        if key == NAME_LABEL {
            continue;
        }
        if !spec.allows(key) {
            return at(
                path,
                crate::msg!(
                    "policy-namespace-label",
                    name = name,
                    label = crate::text::escape_control(key).into_owned()
                ),
                crate::msg!(
                    "policy-namespace-label-help",
                    allowed = spec.labels.join(", ")
                ),
            );
        }
        let Some(mode_key) = key.strip_prefix(POD_SECURITY_PREFIX) else {
            continue;
        };
        let value = value.as_str().unwrap_or_default();
        let (mode, is_version) = match mode_key.strip_suffix("-version") {
            Some(mode) => (mode, true),
            None => (mode_key, false),
        };
        if !matches!(mode, "enforce" | "warn" | "audit") {
            continue;
        }
        if is_version {
            if !valid_version(value) {
                return at(
                    path,
                    crate::msg!(
                        "policy-namespace-bad-version",
                        label = crate::text::escape_control(key).into_owned(),
                        value = crate::text::escape_control(value).into_owned()
                    ),
                    crate::msg!(
                        "policy-namespace-version-help",
                        version = pod_security::VERSION
                    ),
                );
            }
            if mode == "enforce" && value != pod_security::VERSION {
                return at(
                    path,
                    crate::msg!(
                        "policy-namespace-enforce-version",
                        value = crate::text::escape_control(value).into_owned(),
                        version = pod_security::VERSION
                    ),
                    crate::msg!(
                        "policy-namespace-version-help",
                        version = pod_security::VERSION
                    ),
                );
            }
            continue;
        }
        let Some(level) = rank(value) else {
            return at(
                path,
                crate::msg!(
                    "policy-namespace-bad-level",
                    label = crate::text::escape_control(key).into_owned(),
                    value = crate::text::escape_control(value).into_owned()
                ),
                crate::msg!("policy-namespace-level-help"),
            );
        };
        if mode == "enforce" && level < rank(pod_security::ENFORCE).unwrap_or(1) {
            return at(
                path,
                crate::msg!(
                    "policy-namespace-lower",
                    value = crate::text::escape_control(value).into_owned(),
                    level = pod_security::ENFORCE
                ),
                crate::msg!("policy-namespace-lower-help", level = pod_security::ENFORCE),
            );
        }
    }
    None
}

/// The labels of the lab's namespace: the sandbox's own Pod Security labels
/// ([`super::pod_security_labels`]) and [`NAME_LABEL`], with the labels of the learner's
/// accepted `Namespace` manifest over them (only the declared ones reach it: see
/// [`refusal`]).
pub fn labels(namespace: &str, learner: Option<&Object>) -> BTreeMap<String, String> {
    let mut labels: BTreeMap<String, String> = super::pod_security_labels()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    labels.insert(NAME_LABEL.to_string(), namespace.to_string());
    let learner_labels = learner
        .and_then(|o| o.value.pointer("/metadata/labels"))
        .and_then(Value::as_object);
    for (key, value) in learner_labels.into_iter().flatten() {
        if key == NAME_LABEL {
            continue;
        }
        if let Some(value) = value.as_str() {
            labels.insert(key.clone(), value.to_string());
        }
    }
    labels
}

/// The Pod Security level and version a namespace with these labels enforces
/// (`ParseLevel`/`ParseVersion` of `…/enforce` and `…/enforce-version`; a missing level is
/// `privileged`, a missing version `latest`).
pub fn enforced(labels: &BTreeMap<String, String>) -> (String, String) {
    let get = |key: &str| labels.get(&format!("{POD_SECURITY_PREFIX}{key}")).cloned();
    (
        get("enforce").unwrap_or_else(|| "privileged".to_string()),
        get("enforce-version").unwrap_or_else(|| "latest".to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn spec() -> NamespaceSpec {
        NamespaceSpec {
            name: "secure-ns".into(),
            labels: vec!["pod-security.kubernetes.io/*".into()],
        }
    }

    fn namespace(yaml: &str) -> Object {
        crate::manifest::load_text("ns.yaml", yaml)
            .unwrap()
            .remove(0)
    }

    fn refused(yaml: &str) -> Option<(usize, String)> {
        refusal(&namespace(yaml), &spec()).map(|r| (r.location.line, r.message.render(Lang::En)))
    }

    const HEAD: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: secure-ns\n";

    #[test]
    fn declared_labels_raising_the_level_are_accepted() {
        let yaml = format!(
            "{HEAD}  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.34\n    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/audit-version: latest\n"
        );
        assert_eq!(refused(&yaml), None);
        let ns = namespace(&yaml);
        let labels = labels("secure-ns", Some(&ns));
        assert_eq!(enforced(&labels), ("restricted".into(), "v1.34".into()));
        assert_eq!(labels[NAME_LABEL], "secure-ns");
    }

    /// `kubernetes.io/metadata.name` in the manifest is what the API server sets anyway:
    /// accepted, and the run's namespace keeps its own name under it.
    #[test]
    fn the_name_label_is_accepted_and_never_applied() {
        for value in ["secure-ns", "other"] {
            let yaml = format!(
                "{HEAD}  labels:\n    kubernetes.io/metadata.name: {value}\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.34\n"
            );
            assert_eq!(refused(&yaml), None, "{value}");
            let labels = labels("kubelab-pod-security-x1", Some(&namespace(&yaml)));
            assert_eq!(labels[NAME_LABEL], "kubelab-pod-security-x1");
        }
    }

    #[test]
    fn everything_else_is_refused_at_its_line() {
        let cases = [
            (
                format!("{HEAD}  labels:\n    team: blue\n"),
                6,
                "label `team`",
            ),
            (
                format!(
                    "{HEAD}  labels:\n    pod-security.kubernetes.io/enforce: privileged\n    pod-security.kubernetes.io/enforce-version: v1.34\n"
                ),
                6,
                "below",
            ),
            (
                format!(
                    "{HEAD}  labels:\n    pod-security.kubernetes.io/enforce: strict\n    pod-security.kubernetes.io/enforce-version: v1.34\n"
                ),
                6,
                "`pod-security.kubernetes.io/enforce: strict`",
            ),
            (
                format!("{HEAD}  labels:\n    pod-security.kubernetes.io/enforce-version: v1.25\n"),
                6,
                "v1.25",
            ),
            (
                format!(
                    "{HEAD}  labels:\n    pod-security.kubernetes.io/enforce-version: latest\n"
                ),
                6,
                "latest",
            ),
            (
                format!("{HEAD}  annotations:\n    a: b\n"),
                5,
                "metadata.annotations",
            ),
            (
                format!("{HEAD}  labels:\n    pod-security.kubernetes.io/enforce: restricted\n"),
                6,
                "enforce-version",
            ),
            (
                format!("{HEAD}spec:\n  finalizers: [kubernetes]\n"),
                5,
                "spec",
            ),
            (
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n".to_string(),
                4,
                "secure-ns",
            ),
        ];
        for (yaml, line, text) in cases {
            let (at, message) = refused(&yaml).unwrap_or_else(|| panic!("accepted: {yaml}"));
            assert_eq!(at, line, "{message}");
            assert!(message.contains(text), "{message} lacks {text}");
        }
    }

    #[test]
    fn the_sandbox_level_holds_without_a_namespace() {
        let labels = labels("kubelab-x", None);
        assert_eq!(
            enforced(&labels),
            (pod_security::ENFORCE.into(), pod_security::VERSION.into())
        );
    }
}
