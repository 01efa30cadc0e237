//! `image-pull`: pulls from the lab's private registry, proven with probe pods that use
//! `imagePullPolicy: Always` — a node that already holds the image would otherwise run
//! it without any credentials (what the `AlwaysPullImages` admission plugin is for).
//! A control pod without credentials must fail to pull, or nothing is proven.

use super::{LiveContext, ready};
use crate::check::outcome::Outcome;
use crate::cluster::wait::{PodState, wait_started};
use crate::lab::ImagePull;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{DeleteParams, PostParams};
use serde_json::json;

pub async fn evaluate(spec: &ImagePull, ctx: &LiveContext<'_>) -> Outcome {
    let Some(image) = ctx.params.get("image") else {
        return Outcome::error(crate::msg!("check-no-image-parameter"));
    };
    let secrets = match (&spec.pod, &spec.secret) {
        (Some(pod), _) => match pull_secrets_of(pod, ctx).await {
            Ok(secrets) => secrets,
            Err(outcome) => return outcome,
        },
        (None, Some(secret)) => vec![secret.clone()],
        (None, None) => return Outcome::error(crate::msg!("check-image-pull-no-target")),
    };
    // The pod, the pull with its secrets and the control pull, all at once.
    let pod_runs = async {
        match &spec.pod {
            Some(pod) => ready(pod, ctx).await,
            None => Ok(()),
        }
    };
    let (runs, with, without) = tokio::join!(
        pod_runs,
        probe_pull(ctx, image, &secrets, "creds"),
        ctx.anonymous_pull
            .get_or_init(|| probe_pull(ctx, image, &[], "anon"))
    );
    if let Err(outcome) = runs {
        return outcome;
    }
    match without {
        Ok(PodState::Failed { message, .. }) if registry_unreachable(message) => {
            return Outcome::error(crate::msg!(
                "check-registry-unreachable-control",
                message = message
            ));
        }
        Ok(PodState::Failed { .. }) => {}
        Ok(PodState::Ready) => {
            return Outcome::error(crate::msg!("check-pull-without-credentials", image = image));
        }
        Ok(other) => {
            return Outcome::error(crate::msg!(
                "check-control-pull-unfinished",
                state = format!("{other:?}")
            ));
        }
        Err(outcome) => return outcome.clone(),
    }
    let used = if secrets.is_empty() {
        crate::msg!("check-no-pull-secrets")
    } else {
        crate::msg!("check-pull-secrets", secrets = format!("{secrets:?}"))
    };
    match with {
        Ok(PodState::Ready) => {
            Outcome::pass(crate::msg!("check-pulls-with", image = image, used = used))
        }
        Ok(PodState::Failed { message, .. }) if registry_unreachable(&message) => Outcome::error(
            crate::msg!("check-registry-unreachable", used = used, message = message),
        ),
        Ok(PodState::Failed { reason, message }) => Outcome::fail(
            crate::msg!(
                "check-does-not-pull-with",
                image = image,
                used = used,
                reason = reason,
                message = message
            ),
            None,
        ),
        Ok(other) => Outcome::error(crate::msg!(
            "check-pull-unfinished",
            used = used,
            state = format!("{other:?}")
        )),
        Err(outcome) => outcome,
    }
}

/// A pull that failed before any credentials were looked at: the node's runtime could not
/// connect to the registry (an environment failure, never the learner's).
fn registry_unreachable(message: &str) -> bool {
    [
        "connection refused",
        "no route to host",
        "i/o timeout",
        "connection reset",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// The pull secrets the kubelet would use for the pod: its own and its service account's.
async fn pull_secrets_of(pod: &str, ctx: &LiveContext<'_>) -> Result<Vec<String>, Outcome> {
    let Some(pod) = ctx
        .sandbox
        .pods()
        .get_opt(pod)
        .await
        .map_err(|e| Outcome::error(crate::check::cluster_error(e)))?
    else {
        return Err(Outcome::fail(
            crate::msg!("check-pod-does-not-exist", pod = pod),
            None,
        ));
    };
    // The ServiceAccount admission plugin has already copied the account's secrets in.
    Ok(pod
        .spec
        .and_then(|s| s.image_pull_secrets)
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.name)
        .collect())
}

async fn probe_pull(
    ctx: &LiveContext<'_>,
    image: &str,
    secrets: &[String],
    tag: &str,
) -> Result<PodState, Outcome> {
    let name = format!("kubelab-pull-{tag}-{}", std::process::id() % 100_000);
    // A pod without pull secrets would get its service account's (the ServiceAccount
    // admission plugin copies them in): the anonymous control names a pull secret that
    // holds no credentials at all.
    let secrets: Vec<_> = if secrets.is_empty() {
        anonymous_secret(ctx).await?;
        vec![json!({"name": ANONYMOUS})]
    } else {
        secrets.iter().map(|s| json!({"name": s})).collect()
    };
    let pod: Pod = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/managed-by": "kubelab"}},
        "spec": {
            "automountServiceAccountToken": false,
            "imagePullSecrets": secrets,
            "containers": [{"name": "probe", "image": image, "imagePullPolicy": "Always",
                            "command": ["sleep", "3600"]}],
            "terminationGracePeriodSeconds": 0
        }
    }))
    .expect("a valid pod");
    let pods = ctx.sandbox.pods();
    let post = PostParams::default();
    crate::cluster::apply::retry_quota_conflicts(|| pods.create(&post, &pod))
        .await
        .map_err(|e| Outcome::error(crate::check::cluster_error(e)))?;
    // Running at all proves the pull: no need to see it stay Ready.
    let state = wait_started(ctx.sandbox, &name, ctx.pod_timeout)
        .await
        .map_err(|e| Outcome::error(crate::check::cluster_error(e)));
    let _ = pods
        .delete(&name, &DeleteParams::default().grace_period(0))
        .await;
    state
}

const ANONYMOUS: &str = "kubelab-anonymous";

/// A `kubernetes.io/dockerconfigjson` Secret with no `auths`: pulls with it are anonymous.
async fn anonymous_secret(ctx: &LiveContext<'_>) -> Result<(), Outcome> {
    use k8s_openapi::api::core::v1::Secret;
    let secrets: kube::Api<Secret> =
        kube::Api::namespaced(ctx.sandbox.client.clone(), &ctx.sandbox.namespace);
    let secret: Secret = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": ANONYMOUS, "labels": {"app.kubernetes.io/managed-by": "kubelab"}},
        "type": "kubernetes.io/dockerconfigjson",
        "stringData": {".dockerconfigjson": "{\"auths\":{}}"}
    }))
    .expect("a valid secret");
    match secrets.create(&PostParams::default(), &secret).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.code == 409 => Ok(()),
        Err(e) => Err(Outcome::error(crate::check::cluster_error(e))),
    }
}
