//! The learner's `ValidatingAdmissionPolicy` and `ValidatingAdmissionPolicyBinding`, for
//! a lab that declares `admission-policies: true`. Both are cluster-scoped, so kubelab
//! confines them before they reach a shared cluster:
//!
//! - a policy may match only `CREATE` and `UPDATE` of pods and the workloads that make
//!   them ([`MATCHABLE`]): never `DELETE` (a policy refusing deletes would keep the run's
//!   namespace from ever going away), never a subresource, `*`, or a kind kubelab itself
//!   writes (its Lease, its LimitRange);
//! - neither may use parameters (`paramKind`, `paramRef`): a parameter object could live
//!   outside the sandbox;
//! - live, both are created under names of the run ([`run_name`]), and the binding's
//!   `matchResources.namespaceSelector` gains the requirement
//!   `kubernetes.io/metadata.name In [<the run's namespace>]` ([`confined`]), ANDed with
//!   whatever the learner selected, so that nothing outside the sandbox is ever affected;
//!   they are labelled with the run's namespace and deleted with it.
//!
//! The API objects: `k8s.io/api/admissionregistration/v1/types.go`.

use super::confine::{Refused, refuse};
use super::namespace::NAME_LABEL;
use crate::manifest::{FieldPath, Object};
use serde_json::{Value, json};

/// The resources a learner's policy may match (`resourceRules[].resources`).
pub const MATCHABLE: [&str; 8] = [
    "pods",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
    "replicationcontrollers",
];

/// The operations a learner's policy may match (`resourceRules[].operations`).
pub const OPERATIONS: [&str; 2] = ["CREATE", "UPDATE"];

/// The label kubelab puts on a learner's policy and binding: the run's namespace, which
/// they are deleted with.
pub const NAMESPACE_LABEL: &str = "kubelab.dev/namespace";

/// Why kubelab refuses the learner's policy or binding, or `None`.
pub fn refusal(object: &Object) -> Option<Refused> {
    let escaped = crate::text::escape_control(&object.name);
    let name = escaped.as_ref();
    let at = |path: &str, field: &str| {
        Some(refuse(
            object,
            &FieldPath::parse(path),
            crate::msg!(
                "policy-admission-policy-params",
                kind = object.kind.as_str(),
                name = name,
                field = field.to_string()
            ),
            crate::msg!("policy-admission-policy-params-help"),
        ))
    };
    let spec = object.value.get("spec");
    if spec.and_then(|s| s.get("paramKind")).is_some() {
        return at("spec.paramKind", "spec.paramKind");
    }
    if spec.and_then(|s| s.get("paramRef")).is_some() {
        return at("spec.paramRef", "spec.paramRef");
    }
    if object.kind != "ValidatingAdmissionPolicy" {
        return None;
    }
    let rules = spec
        .and_then(|s| s.pointer("/matchConstraints/resourceRules"))
        .and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        let base = format!("spec.matchConstraints.resourceRules[{i}]");
        let list = |key: &str| -> Vec<(usize, String)> {
            rule.get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(j, v)| {
                    let text = v.as_str().unwrap_or_default();
                    (j, crate::text::escape_control(text).into_owned())
                })
                .collect()
        };
        let bad_resource = list("resources")
            .into_iter()
            .find(|(_, r)| !MATCHABLE.contains(&r.as_str()));
        let bad_operation = list("operations")
            .into_iter()
            .find(|(_, o)| !OPERATIONS.contains(&o.as_str()));
        let (path, message) = match (bad_resource, bad_operation) {
            (Some((j, resource)), _) => (
                format!("{base}.resources[{j}]"),
                crate::msg!(
                    "policy-admission-policy-resource",
                    name = name,
                    resource = resource,
                    allowed = MATCHABLE.join(", ")
                ),
            ),
            (None, Some((j, operation))) => (
                format!("{base}.operations[{j}]"),
                crate::msg!(
                    "policy-admission-policy-operation",
                    name = name,
                    operation = operation
                ),
            ),
            (None, None) => continue,
        };
        return Some(refuse(
            object,
            &FieldPath::parse(&path),
            message,
            crate::msg!("policy-admission-policy-scope-help"),
        ));
    }
    None
}

/// The name of the learner's policy or binding `name` in the run of namespace
/// `namespace`: `<namespace>-<name>`, unique on the cluster since the run's namespace is.
pub fn run_name(namespace: &str, name: &str) -> String {
    format!("{namespace}-{name}")
}

/// The learner's name back from a [`run_name`] (for the API server's messages).
pub fn learner_name<'n>(namespace: &str, name: &'n str) -> &'n str {
    name.strip_prefix(namespace)
        .and_then(|rest| rest.strip_prefix('-'))
        .unwrap_or(name)
}

/// The learner's policy or binding as kubelab creates it in the run of namespace
/// `namespace`: renamed ([`run_name`]; a binding's `policyName` too), labelled with
/// [`NAMESPACE_LABEL`] and `labels`, and a binding confined to that namespace: its
/// `matchResources.namespaceSelector` gains `kubernetes.io/metadata.name In
/// [namespace]`, and a learner's own requirement on that label naming the task's
/// namespace (`task_namespace`, or `default`) is made to name the run's.
pub fn confined(
    object: &Value,
    namespace: &str,
    task_namespace: &str,
    labels: &std::collections::BTreeMap<String, String>,
) -> Value {
    let mut value = object.clone();
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut metadata = json!({ "name": run_name(namespace, &name) });
    let mut all_labels: serde_json::Map<String, Value> = labels
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    all_labels.insert(NAMESPACE_LABEL.into(), Value::String(namespace.into()));
    metadata["labels"] = Value::Object(all_labels);
    value["metadata"] = metadata;
    if kind != "ValidatingAdmissionPolicyBinding" {
        return value;
    }
    let Some(spec) = value.get_mut("spec").and_then(Value::as_object_mut) else {
        return value;
    };
    if let Some(policy) = spec.get("policyName").and_then(Value::as_str) {
        let renamed = run_name(namespace, policy);
        spec.insert("policyName".into(), Value::String(renamed));
    }
    let resources = spec.entry("matchResources").or_insert_with(|| json!({}));
    if !resources.is_object() {
        *resources = json!({});
    }
    let selector = resources
        .as_object_mut()
        .expect("an object")
        .entry("namespaceSelector")
        .or_insert_with(|| json!({}));
    if !selector.is_object() {
        *selector = json!({});
    }
    let selector = selector.as_object_mut().expect("an object");
    let is_task = |v: &str| v == task_namespace || v == "default";
    if let Some(Value::String(v)) = selector
        .get_mut("matchLabels")
        .and_then(|m| m.get_mut(NAME_LABEL))
        && is_task(v)
    {
        *v = namespace.to_string();
    }
    let expressions = selector
        .entry("matchExpressions")
        .or_insert_with(|| json!([]));
    if !expressions.is_array() {
        *expressions = json!([]);
    }
    let expressions = expressions.as_array_mut().expect("an array");
    for expression in expressions.iter_mut() {
        if expression.get("key").and_then(Value::as_str) == Some(NAME_LABEL)
            && let Some(values) = expression.get_mut("values").and_then(Value::as_array_mut)
        {
            for v in values.iter_mut() {
                if v.as_str().is_some_and(is_task) {
                    *v = Value::String(namespace.to_string());
                }
            }
        }
    }
    expressions.push(json!({"key": NAME_LABEL, "operator": "In", "values": [namespace]}));
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use std::collections::BTreeMap;

    fn object(yaml: &str) -> Object {
        crate::manifest::load_text("p.yaml", yaml)
            .unwrap()
            .remove(0)
    }

    const POLICY: &str = "apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: only-private
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [\"\"]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [pods]
  validations:
  - expression: \"true\"
";

    #[test]
    fn a_policy_on_pods_is_accepted_and_others_are_refused_at_their_line() {
        assert_eq!(refusal(&object(POLICY)), None);
        let cases = [
            (
                POLICY.replace("[CREATE, UPDATE]", "[CREATE, DELETE]"),
                10,
                "DELETE",
            ),
            (POLICY.replace("[CREATE, UPDATE]", "[\"*\"]"), 10, "`*`"),
            (POLICY.replace("[pods]", "[namespaces]"), 11, "namespaces"),
            (POLICY.replace("[pods]", "[pods/exec]"), 11, "pods/exec"),
            (
                POLICY.replace(
                    "spec:\n",
                    "spec:\n  paramKind: {apiVersion: v1, kind: ConfigMap}\n",
                ),
                6,
                "spec.paramKind",
            ),
        ];
        for (yaml, line, text) in cases {
            let refused = refusal(&object(&yaml)).unwrap_or_else(|| panic!("accepted {yaml}"));
            let message = refused.message.render(Lang::En);
            assert_eq!(refused.location.line, line, "{message}");
            assert!(message.contains(text), "{message} lacks {text}");
        }
    }

    #[test]
    fn a_binding_is_renamed_and_confined_to_the_run() {
        let binding: Value = serde_json::json!({
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicyBinding",
            "metadata": {"name": "only-private-binding", "annotations": {"x": "y"}},
            "spec": {
                "policyName": "only-private",
                "validationActions": ["Deny"],
                "matchResources": {"namespaceSelector": {"matchLabels": {NAME_LABEL: "secure-ns"}}}
            }
        });
        let labels = BTreeMap::from([(
            "app.kubernetes.io/managed-by".to_string(),
            "kubelab".to_string(),
        )]);
        let out = confined(&binding, "kubelab-lab-abc", "secure-ns", &labels);
        assert_eq!(
            out["metadata"]["name"],
            "kubelab-lab-abc-only-private-binding"
        );
        assert_eq!(
            out["metadata"]["labels"][NAMESPACE_LABEL],
            "kubelab-lab-abc"
        );
        assert!(out["metadata"].get("annotations").is_none());
        assert_eq!(out["spec"]["policyName"], "kubelab-lab-abc-only-private");
        let selector = &out["spec"]["matchResources"]["namespaceSelector"];
        assert_eq!(selector["matchLabels"][NAME_LABEL], "kubelab-lab-abc");
        assert_eq!(
            selector["matchExpressions"],
            serde_json::json!([{"key": NAME_LABEL, "operator": "In", "values": ["kubelab-lab-abc"]}])
        );
        assert_eq!(
            learner_name("kubelab-lab-abc", "kubelab-lab-abc-only-private"),
            "only-private"
        );
        // No selector at all: confined all the same.
        let bare = serde_json::json!({"kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": "b"}, "spec": {"policyName": "p"}});
        let out = confined(&bare, "kubelab-x", "secure-ns", &BTreeMap::new());
        assert_eq!(
            out["spec"]["matchResources"]["namespaceSelector"]["matchExpressions"][0]["values"],
            serde_json::json!(["kubelab-x"])
        );
    }
}
