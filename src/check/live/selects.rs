//! `selects`: the policy as the API server holds it, judged against the pods the API
//! server lists in the sandbox namespace (kubelab's own helper pods, labelled
//! `app.kubernetes.io/managed-by=kubelab`, are not the lab's and are left out).

use super::LiveContext;
use crate::check::cluster_error;
use crate::check::outcome::Outcome;
use crate::check::selects::{PodLabels, judge};
use crate::cluster::sandbox::{MANAGED_BY, MANAGED_BY_LABEL};
use crate::lab::Selects;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, ListParams};

pub async fn evaluate(spec: &Selects, ctx: &LiveContext<'_>) -> Outcome {
    // A role's policy (`<role>/<name>`) selects among the pods of the role's namespace,
    // named `<role>/<pod>` as the simulation names them.
    let (role, name) = crate::lab::split_qualified(&spec.policy);
    let sandbox = ctx.sandbox.role(role);
    let policies: Api<NetworkPolicy> = Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
    let policy = match policies.get_opt(name).await {
        Ok(Some(policy)) => policy,
        Ok(None) => {
            return Outcome::fail(
                crate::msg!(
                    "check-not-found",
                    kind = "NetworkPolicy",
                    name = &spec.policy
                ),
                None,
            );
        }
        Err(e) => return Outcome::error(cluster_error(e)),
    };
    let selector = policy.spec.and_then(|s| s.pod_selector).unwrap_or_default();
    let listed = match sandbox
        .pods()
        .list(&ListParams::default().labels(&format!("{MANAGED_BY_LABEL}!={MANAGED_BY}")))
        .await
    {
        Ok(list) => list,
        Err(e) => return Outcome::error(cluster_error(e)),
    };
    let pods: Vec<PodLabels> = listed
        .items
        .into_iter()
        // A pod already being deleted is gone from the namespace the learner sees.
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| {
            Some((
                crate::lab::qualified(role, &p.metadata.name?),
                p.metadata.labels.unwrap_or_default(),
            ))
        })
        .collect();
    judge(spec, &selector, &pods).0
}
