//! Sandboxes isolated from each other: learner A's pods must not open connections to
//! learner B's pods in a class run, and the isolation must not change the verdicts of the
//! lab's own NetworkPolicies.
//!
//! A Kubernetes NetworkPolicy cannot do it: a policy that selects a pod makes it isolated
//! for that direction (default deny), which is the very behaviour the network-policy lab
//! grades. Cilium can: a `CiliumNetworkPolicy` with `ingressDeny`/`egressDeny` rules (deny
//! wins over every allow, whatever policy allows it) and `enableDefaultDeny: {ingress:
//! false, egress: false}` (the policy puts no endpoint into default deny; Cilium v1.20
//! `pkg/policy/api/rule.go`, `DefaultDenyConfig`). Its selectors name the other kubelab
//! namespaces by the labels Cilium gives every pod: its namespace's labels under
//! `io.cilium.k8s.namespace.labels.` and its namespace under `io.kubernetes.pod.namespace`
//! (`pkg/labelsfilter`: both kept in identities by default). A selector that names the
//! namespace key is not narrowed to the policy's own namespace
//! (`pkg/k8s/apis/cilium.io/utils`, `getEndpointSelector`).
//!
//! kube-router (v2.10) has no cluster-wide or deny policy, and AdminNetworkPolicy
//! (`policy.networking.k8s.io`) is served by neither enforcer of the test cluster: there
//! sandboxes stay reachable from each other, and `kubelab doctor` says so.

use super::ClusterError;
use super::sandbox::{MANAGED_BY, MANAGED_BY_LABEL, call};
use kube::Client;
use kube::api::{Api, DynamicObject, PostParams};
use serde_json::{Value, json};

/// The policy's name in every sandbox.
pub const POLICY_NAME: &str = "kubelab-isolation";
/// The API group and version serving `CiliumNetworkPolicy` (Cilium's CRDs).
pub const CILIUM_GROUP_VERSION: &str = "cilium.io/v2";
const CILIUM_KIND: &str = "CiliumNetworkPolicy";
const CILIUM_RESOURCE: &str = "ciliumnetworkpolicies";

/// Whether a sandbox is cut off from the other kubelab namespaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Isolation {
    /// A `CiliumNetworkPolicy` [`POLICY_NAME`] denies traffic to and from the pods of
    /// other kubelab namespaces.
    Isolated,
    /// The cluster serves no `ciliumnetworkpolicies.cilium.io/v2` (API discovery): no
    /// mechanism kubelab knows denies without changing NetworkPolicy semantics.
    Unsupported,
    /// Cilium is there, but this identity may not create the policy (403).
    Forbidden(String),
}

/// Whether the API server serves `ciliumnetworkpolicies` in `cilium.io/v2` (API
/// discovery, which every authenticated user may read). A 404 is `false`.
pub async fn cilium_served(client: &Client) -> Result<bool, ClusterError> {
    let what = format!("discover {CILIUM_GROUP_VERSION}");
    let list =
        super::sandbox::call_opt(&what, client.list_api_group_resources(CILIUM_GROUP_VERSION))
            .await?;
    Ok(list.is_some_and(|l| l.resources.iter().any(|r| r.name == CILIUM_RESOURCE)))
}

/// The warning a class run gives on a cluster where sandboxes are not isolated from
/// each other (no `CiliumNetworkPolicy` served, see [`cilium_served`]): one learner's
/// pods can open connections to another's while the class is graded. `None` when
/// Cilium serves the policy, and when discovery itself fails (the grading says why).
/// A missing grant on Cilium is `doctor`'s to report ([`Isolation::Forbidden`]).
pub async fn class_warning(client: &Client) -> Option<crate::i18n::Message> {
    match cilium_served(client).await {
        Ok(false) => Some(crate::msg!("cluster-isolation-class-warning")),
        _ => None,
    }
}

/// The selector of every pod in a kubelab namespace other than those of `group` (a run's
/// own namespace and its roles').
fn other_sandboxes(group: &[String]) -> Value {
    json!({
        "matchLabels": {
            format!("io.cilium.k8s.namespace.labels.{MANAGED_BY_LABEL}"): MANAGED_BY,
        },
        "matchExpressions": [
            {"key": "io.kubernetes.pod.namespace", "operator": "NotIn", "values": group},
        ],
    })
}

/// The `CiliumNetworkPolicy` of sandbox `namespace`: every pod in it (`endpointSelector:
/// {}`) refuses ingress from, and egress to, the pods of other kubelab namespaces, and
/// is put into no default deny, so the lab's NetworkPolicies alone decide everything else.
///
/// `group` is the run's namespaces, `namespace` among them (see
/// [`super::SandboxOptions::roles`]): the pods of a scenario's namespaces reach each other.
pub fn cilium_policy(namespace: &str, group: &[String]) -> Value {
    json!({
        "apiVersion": CILIUM_GROUP_VERSION,
        "kind": CILIUM_KIND,
        "metadata": {
            "name": POLICY_NAME,
            "namespace": namespace,
            "labels": {MANAGED_BY_LABEL: MANAGED_BY},
        },
        "spec": {
            "description": "kubelab: no traffic between learners' sandboxes",
            "endpointSelector": {},
            "enableDefaultDeny": {"ingress": false, "egress": false},
            "ingressDeny": [{"fromEndpoints": [other_sandboxes(group)]}],
            "egressDeny": [{"toEndpoints": [other_sandboxes(group)]}],
        },
    })
}

/// Creates the sandbox's isolation policy where Cilium serves its CRD; says why not
/// otherwise. Only a failure other than "not served" or "forbidden" is an error.
pub async fn isolate(
    client: &Client,
    namespace: &str,
    group: &[String],
) -> Result<Isolation, ClusterError> {
    if !cilium_served(client).await? {
        return Ok(Isolation::Unsupported);
    }
    let object: DynamicObject = serde_json::from_value(cilium_policy(namespace, group))
        .map_err(|e| ClusterError::Protocol(format!("the isolation policy: {e}")))?;
    let api: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        namespace,
        &super::apply::resource(CILIUM_GROUP_VERSION, CILIUM_KIND),
    );
    let what = format!("create {CILIUM_KIND} {POLICY_NAME} in namespace {namespace}");
    match call(&what, api.create(&PostParams::default(), &object)).await {
        Ok(_) => Ok(Isolation::Isolated),
        Err(ClusterError::Forbidden(why)) => Ok(Isolation::Forbidden(why)),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_denies_other_sandboxes_without_default_deny() {
        let own = "kubelab-network-policy-abc123".to_string();
        let policy = cilium_policy(&own, std::slice::from_ref(&own));
        let spec = &policy["spec"];
        assert_eq!(spec["endpointSelector"], json!({}));
        assert_eq!(
            spec["enableDefaultDeny"],
            json!({"ingress": false, "egress": false})
        );
        // Only deny rules: an allow rule would make Cilium treat the pods as selected.
        assert!(spec.get("ingress").is_none() && spec.get("egress").is_none());
        let peer = &spec["ingressDeny"][0]["fromEndpoints"][0];
        assert_eq!(peer, &spec["egressDeny"][0]["toEndpoints"][0]);
        assert_eq!(
            peer["matchLabels"]["io.cilium.k8s.namespace.labels.app.kubernetes.io/managed-by"],
            "kubelab"
        );
        assert_eq!(
            peer["matchExpressions"][0],
            json!({"key": "io.kubernetes.pod.namespace", "operator": "NotIn",
                   "values": ["kubelab-network-policy-abc123"]})
        );
    }
}

#[cfg(test)]
mod role_tests {
    use super::*;

    #[test]
    fn a_scenario_with_roles_keeps_its_own_namespaces_reachable() {
        let group = vec![
            "kubelab-x-abc123".to_string(),
            "kubelab-x-abc123-monitoring".to_string(),
        ];
        let policy = cilium_policy("kubelab-x-abc123-monitoring", &group);
        assert_eq!(
            policy["metadata"]["namespace"],
            "kubelab-x-abc123-monitoring"
        );
        for peer in [
            &policy["spec"]["ingressDeny"][0]["fromEndpoints"][0],
            &policy["spec"]["egressDeny"][0]["toEndpoints"][0],
        ] {
            assert_eq!(
                peer["matchExpressions"][0]["values"],
                json!(["kubelab-x-abc123", "kubelab-x-abc123-monitoring"])
            );
        }
    }
}
