//! What a learner configures of admission on a live run: the labels of the run's own
//! namespace (from the learner's `Namespace` manifest), and `ValidatingAdmissionPolicy`
//! objects with their bindings, created under the run's names and confined to its
//! namespace ([`crate::policy::admission_policy`]), and deleted with it.
//!
//! A policy takes effect some time after it is created: the API server's policy
//! source loads it from its informers (`k8s.io/apiserver/pkg/admission/plugin/policy/
//! generic/policy_source.go`). [`wait_in_effect`] waits for that with a canary: a policy
//! of kubelab's, written *after* the learner's, whose binding selects ConfigMaps with a
//! fresh token and whose message carries the same token. Once a dry-run ConfigMap with
//! the token is refused with that message, both informers have passed the learner's
//! writes, so the learner's policies are in effect too. A learner's policy cannot match
//! ConfigMaps ([`crate::policy::admission_policy::MATCHABLE`]), so the canary's answer is
//! never the learner's.

use super::apply::{ApplyError, FIELD_MANAGER, send};
use super::sandbox::call;
use super::{ClusterError, Sandbox};
use crate::manifest::Object;
use crate::policy::admission_policy::{NAMESPACE_LABEL, confined, run_name};
use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long a policy may take to come into effect (the API server loads policies within
/// about a second; this bounds a stalled informer).
pub const IN_EFFECT_TIMEOUT: Duration = Duration::from_secs(60);

/// The label of the canary's ConfigMap, whose value is the token its binding selects.
const CANARY_LABEL: &str = "kubelab.dev/canary";

/// Merges the labels of the learner's `Namespace` manifest into the run's namespace
/// (a dry run first, then for real). Only the lab's declared labels get here
/// ([`crate::policy::namespace::refusal`]); Pod Security admission and kubelab's own
/// guarding policy (`deploy/rbac.yaml`) may still refuse them.
pub async fn label_namespace(sandbox: &Sandbox, object: &Object) -> Result<(), ApplyError> {
    let mut labels = object
        .value
        .pointer("/metadata/labels")
        .cloned()
        .unwrap_or_else(|| json!({}));
    // The run's namespace keeps its own name label (the API server would set it back).
    if let Some(labels) = labels.as_object_mut() {
        labels.remove(crate::policy::namespace::NAME_LABEL);
    }
    let patch = json!({"metadata": {"labels": labels}});
    let api: Api<Namespace> = Api::all(sandbox.client.clone());
    let what = format!("label namespace {}", sandbox.namespace);
    let merge = Patch::Merge(&patch);
    for params in [PatchParams::default().dry_run(), PatchParams::default()] {
        send(object, &what, || {
            api.patch(&sandbox.namespace, &params, &merge)
        })
        .await?;
    }
    Ok(())
}

/// Waits until Pod Security admission enforces `level` in the run's namespace, after
/// [`label_namespace`]: the plugin reads namespaces from an informer, so a new label
/// takes effect a moment later (`k8s.io/pod-security-admission/admission/admission.go`,
/// its namespace lister). A dry-run pod that only `restricted` refuses shows it; the
/// sandbox's own `baseline` needs no wait. Within [`IN_EFFECT_TIMEOUT`].
///
/// Errors: the cluster's, or a timeout.
pub async fn wait_pod_security(sandbox: &Sandbox, level: &str) -> Result<(), ClusterError> {
    if level != "restricted" {
        return Ok(());
    }
    let pods: Api<k8s_openapi::api::core::v1::Pod> =
        Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
    let probe = serde_json::from_value(json!({
        "metadata": {"name": "kubelab-pod-security-canary"},
        "spec": {"containers": [{"name": "c", "image": "busybox:1.28"}]}
    }))
    .expect("a Pod");
    until_refused(
        &pods,
        &probe,
        |message| message.contains("violates PodSecurity \"restricted:"),
        "the namespace's Pod Security level to take effect",
    )
    .await
}

/// Dry-runs the creation of `probe` every 200 ms until the API server refuses it with a
/// message that `bites` accepts, within [`IN_EFFECT_TIMEOUT`] (`what` names the wait).
///
/// Errors: the cluster's (other than a refusal), or a timeout.
async fn until_refused<K>(
    api: &Api<K>,
    probe: &K,
    bites: impl Fn(&str) -> bool,
    what: &str,
) -> Result<(), ClusterError>
where
    K: Clone + serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let dry_run = PostParams {
        dry_run: true,
        ..Default::default()
    };
    let start = Instant::now();
    loop {
        match api.create(&dry_run, probe).await {
            Err(kube::Error::Api(status)) if bites(&status.message) => return Ok(()),
            Ok(_) | Err(kube::Error::Api(_)) => {}
            Err(e) => return Err(ClusterError::api(&format!("dry-run a probe for {what}"), e)),
        }
        if start.elapsed() > IN_EFFECT_TIMEOUT {
            return Err(ClusterError::Timeout {
                what: what.into(),
                after: IN_EFFECT_TIMEOUT,
            });
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Creates (or replaces) the learner's policy or binding under the run's name, confined
/// to the run's namespace ([`confined`]); `task_namespace` is the namespace the task
/// names. Dry run first, then for real.
pub async fn apply_policy(
    sandbox: &Sandbox,
    object: &Object,
    task_namespace: &str,
) -> Result<(), ApplyError> {
    let value = confined(
        &object.value,
        &sandbox.namespace,
        task_namespace,
        &run_labels(),
    );
    let name = run_name(&sandbox.namespace, &object.name);
    let what = format!("apply {} {name}", object.kind);
    let apply = PatchParams::apply(FIELD_MANAGER).force();
    let patch = Patch::Apply(&value);
    for params in [apply.clone().dry_run(), apply] {
        if object.kind == "ValidatingAdmissionPolicy" {
            let api: Api<ValidatingAdmissionPolicy> = Api::all(sandbox.client.clone());
            send(object, &what, || api.patch(&name, &params, &patch)).await?;
        } else {
            let api: Api<ValidatingAdmissionPolicyBinding> = Api::all(sandbox.client.clone());
            send(object, &what, || api.patch(&name, &params, &patch)).await?;
        }
    }
    Ok(())
}

/// Waits until every policy and binding written for this run so far is in effect (see
/// the module's documentation), within [`IN_EFFECT_TIMEOUT`].
///
/// Errors: the cluster's, or a timeout when the canary never bites.
pub async fn wait_in_effect(sandbox: &Sandbox) -> Result<(), ClusterError> {
    let ns = &sandbox.namespace;
    let token = super::random_word(10);
    let name = run_name(ns, "kubelab-canary");
    let mut metadata = json!({"name": name, "labels": {NAMESPACE_LABEL: ns}});
    for (k, v) in run_labels() {
        metadata["labels"][k] = Value::String(v);
    }
    let policy = json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicy",
        "metadata": metadata,
        "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": {"resourceRules": [{
                "apiGroups": [""], "apiVersions": ["v1"],
                "operations": ["CREATE", "UPDATE"], "resources": ["configmaps"]
            }]},
            "validations": [{"expression": "false", "message": format!("kubelab canary {token}")}]
        }
    });
    let binding = json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": metadata,
        "spec": {
            "policyName": name,
            "validationActions": ["Deny"],
            "matchResources": {
                "namespaceSelector": {"matchExpressions": [{
                    "key": crate::policy::namespace::NAME_LABEL, "operator": "In", "values": [ns]
                }]},
                "objectSelector": {"matchLabels": {CANARY_LABEL: token}}
            }
        }
    });
    let apply = PatchParams::apply(FIELD_MANAGER).force();
    let policies: Api<ValidatingAdmissionPolicy> = Api::all(sandbox.client.clone());
    let bindings: Api<ValidatingAdmissionPolicyBinding> = Api::all(sandbox.client.clone());
    call(
        "apply the canary policy",
        policies.patch(&name, &apply, &Patch::Apply(&policy)),
    )
    .await?;
    call(
        "apply the canary binding",
        bindings.patch(&name, &apply, &Patch::Apply(&binding)),
    )
    .await?;
    let config_maps: Api<ConfigMap> = Api::namespaced(sandbox.client.clone(), ns);
    let probe: ConfigMap = serde_json::from_value(json!({
        "metadata": {"name": "kubelab-canary", "labels": {CANARY_LABEL: token}}
    }))
    .expect("a ConfigMap");
    until_refused(
        &config_maps,
        &probe,
        |message| message.contains(&token),
        "the learner's admission policies to take effect",
    )
    .await
}

/// The labels of the run's policies: the run's identity (as on its namespaces) and
/// kubelab's `app.kubernetes.io/managed-by`.
fn run_labels() -> BTreeMap<String, String> {
    let mut labels = super::run::namespace_labels(super::run::current());
    labels.insert("app.kubernetes.io/managed-by".into(), "kubelab".into());
    labels
}

/// Deletes the policies and bindings of the run of namespace `namespace` (the learner's
/// and the canary), found by [`NAMESPACE_LABEL`]. Best effort for a cluster where
/// kubelab may not list them (a lab without admission policies never made any).
pub async fn delete_policies(client: &kube::Client, namespace: &str) {
    let selector = ListParams::default().labels(&format!("{NAMESPACE_LABEL}={namespace}"));
    let bindings: Api<ValidatingAdmissionPolicyBinding> = Api::all(client.clone());
    let policies: Api<ValidatingAdmissionPolicy> = Api::all(client.clone());
    let _ = call(
        "delete the run's policy bindings",
        bindings.delete_collection(&DeleteParams::default(), &selector),
    )
    .await;
    let _ = call(
        "delete the run's admission policies",
        policies.delete_collection(&DeleteParams::default(), &selector),
    )
    .await;
}

/// Deletes the policies and bindings whose run's namespace no longer exists (a
/// namespace deleted by hand, around kubelab): `kubelab clean` calls it after deleting
/// dead runs. Best effort, like [`delete_policies`].
pub async fn delete_orphans(client: &kube::Client) {
    let labelled = ListParams::default().labels(NAMESPACE_LABEL);
    let policies: Api<ValidatingAdmissionPolicy> = Api::all(client.clone());
    let bindings: Api<ValidatingAdmissionPolicyBinding> = Api::all(client.clone());
    let mut runs: Vec<String> = Vec::new();
    if let Ok(list) = call(
        "list the runs' admission policies",
        policies.list(&labelled),
    )
    .await
    {
        runs.extend(list.items.iter().filter_map(|p| run_of(&p.metadata)));
    }
    if let Ok(list) = call("list the runs' policy bindings", bindings.list(&labelled)).await {
        runs.extend(list.items.iter().filter_map(|b| run_of(&b.metadata)));
    }
    runs.sort();
    runs.dedup();
    let namespaces: Api<Namespace> = Api::all(client.clone());
    for namespace in runs {
        if let Ok(None) =
            super::sandbox::call_opt("read a run's namespace", namespaces.get(&namespace)).await
        {
            delete_policies(client, &namespace).await;
        }
    }
}

fn run_of(metadata: &kube::api::ObjectMeta) -> Option<String> {
    metadata.labels.as_ref()?.get(NAMESPACE_LABEL).cloned()
}
