//! Waiting for pods, always bounded: until every container is Ready (the phase alone
//! says nothing about readiness), or until a state that will not get better.

use super::sandbox::{call, call_opt};
use super::{ClusterError, Sandbox};
use futures::StreamExt;
use futures::stream::BoxStream;
use k8s_openapi::api::core::v1::{ContainerStatus, Event, Pod};
use kube::Api;
use kube::api::{ListParams, WatchEvent, WatchParams};
use std::time::{Duration, Instant};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PodState {
    /// Running with every container Ready.
    Ready,
    /// A state that will not get better by waiting: `ErrImagePull`/`ImagePullBackOff`
    /// (with the kubelet's event message, e.g. `401 Unauthorized`),
    /// `CreateContainerConfigError`, `InvalidImageName`, `CrashLoopBackOff`, a
    /// terminated container.
    Failed { reason: String, message: String },
    /// Still not ready when the time was up, with the last reason seen.
    NotReady { reason: String },
    /// No such pod.
    Missing,
}

const POLL: Duration = Duration::from_millis(400);
/// How long Ready must hold (the kubelet reports a container's exit within ~1 s).
const SETTLE: Duration = Duration::from_millis(1500);
/// The shortest pause while settling.
const SETTLE_POLL: Duration = Duration::from_millis(50);

/// The restarts of every container of `pod`, summed.
pub(crate) fn restarts(pod: &Pod) -> i32 {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map_or(0, |c| c.iter().map(|c| c.restart_count).sum())
}

/// Waiting reasons that waiting will not cure.
const TERMINAL: &[&str] = &[
    "ErrImagePull",
    "ImagePullBackOff",
    "ErrImageNeverPull",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CreateContainerError",
    "CrashLoopBackOff",
    "RunContainerError",
];

/// What one look at the pod says.
enum Look {
    Done(PodState),
    /// Not yet, because of this reason.
    Pending(String),
}

/// Until every container is Ready and has stayed so for [`SETTLE`], counted from when
/// this run first saw it Ready (so a pod waited for twice settles once).
pub async fn wait_ready(
    sandbox: &Sandbox,
    pod: &str,
    timeout: Duration,
) -> Result<PodState, ClusterError> {
    wait(sandbox, pod, timeout, true).await
}

/// Until every container runs (`Ready`), without the settle: for probe pods, whose
/// running at all is what they prove (their image was pulled), and for checks that
/// confirm the settle later ([`wait_ready`] then waits only for what is left of it).
pub async fn wait_started(
    sandbox: &Sandbox,
    pod: &str,
    timeout: Duration,
) -> Result<PodState, ClusterError> {
    wait(sandbox, pod, timeout, false).await
}

async fn wait(
    sandbox: &Sandbox,
    pod: &str,
    timeout: Duration,
    settle: bool,
) -> Result<PodState, ClusterError> {
    let pods = sandbox.pods();
    let start = Instant::now();
    let what = format!("get pod {}/{pod}", sandbox.namespace);
    // Ready must hold for SETTLE with no restart: a container without a readiness probe
    // is Ready the moment it starts, also when it exits right after.
    let mut changes = Changes::watch(&pods, pod).await;
    loop {
        let mut ready_since: Option<Instant> = None;
        let Some(found) = call_opt(&what, pods.get(pod)).await? else {
            return Ok(PodState::Missing);
        };
        let restarts = restarts(&found);
        let uid = found.metadata.uid.clone().unwrap_or_default();
        let reason = match look(&found) {
            Look::Done(PodState::Ready) => {
                // Since when this run has seen it Ready, without a restart.
                let since = sandbox.ready_since(pod, &uid, restarts);
                if !settle || since.elapsed() >= SETTLE {
                    return Ok(PodState::Ready);
                }
                ready_since = Some(since);
                "Ready".to_string()
            }
            // A pull that failed only because the kubelet had not yet seen a pull secret
            // created a moment before is retried after the back-off: not final yet.
            Look::Done(PodState::Failed { reason, .. })
                if reason.contains("ImagePull") && secret_not_yet_seen(sandbox, &found).await =>
            {
                reason
            }
            Look::Done(PodState::Failed { reason, message }) => {
                let message = if reason.contains("ImagePull") {
                    pull_message(sandbox, pod).await.unwrap_or(message)
                } else {
                    message
                };
                return Ok(PodState::Failed { reason, message });
            }
            Look::Done(state) => return Ok(state),
            Look::Pending(reason) => {
                // A sandbox the runtime refuses again and again never comes up (e.g.
                // containerd: "user group is specified without user").
                if start.elapsed() > SANDBOX_GRACE
                    && let Some(message) = repeated_sandbox_failure(sandbox, pod).await
                {
                    return Ok(PodState::Failed {
                        reason: "FailedCreatePodSandBox".into(),
                        message,
                    });
                }
                reason
            }
        };
        if start.elapsed() + POLL > timeout {
            // Ready, only not for long: Ready all the same.
            if ready_since.is_some() {
                return Ok(PodState::Ready);
            }
            return Ok(PodState::NotReady { reason });
        }
        let pause = match ready_since {
            Some(since) => SETTLE.saturating_sub(since.elapsed()).max(SETTLE_POLL),
            None => POLL,
        };
        changes.next(pause).await;
    }
}

/// Wakes a wait loop as soon as the pod changes, or after a pause at the latest: a
/// watch on that one pod, so that a wait sees each new state at once instead of up to a
/// poll interval later. Without one (a refused or broken watch) it is plain polling.
pub(crate) struct Changes(Option<BoxStream<'static, Result<WatchEvent<Pod>, kube::Error>>>);

impl Changes {
    pub(crate) async fn watch(pods: &Api<Pod>, name: &str) -> Changes {
        let params = WatchParams::default()
            .fields(&format!("metadata.name={name}"))
            .timeout(290);
        // "0": the current state first (one early wake-up), then every change.
        match tokio::time::timeout(super::sandbox::CALL_TIMEOUT, pods.watch(&params, "0")).await {
            Ok(Ok(stream)) => Changes(Some(stream.boxed())),
            _ => Changes(None),
        }
    }

    /// Until the next change of the pod, or `pause`.
    pub(crate) async fn next(&mut self, pause: Duration) {
        let Some(stream) = &mut self.0 else {
            return tokio::time::sleep(pause).await;
        };
        match tokio::time::timeout(pause, stream.next()).await {
            Err(_) | Ok(Some(Ok(_))) => {}
            // The watch ended or broke: poll from now on.
            Ok(_) => self.0 = None,
        }
    }
}

fn look(pod: &Pod) -> Look {
    let Some(status) = &pod.status else {
        return Look::Pending("Pending".into());
    };
    let phase = status.phase.clone().unwrap_or_else(|| "Pending".into());
    let init = status
        .init_container_statuses
        .as_deref()
        .unwrap_or_default();
    let main = status.container_statuses.as_deref().unwrap_or_default();
    for container in init.iter().chain(main) {
        if let Some(failed) = failed(container, init.iter().any(|c| c.name == container.name)) {
            return Look::Done(failed);
        }
    }
    if phase == "Failed" || phase == "Succeeded" {
        return Look::Done(PodState::Failed {
            reason: status.reason.clone().unwrap_or_else(|| phase.clone()),
            message: status
                .message
                .clone()
                .unwrap_or_else(|| format!("the pod is {phase}")),
        });
    }
    let expected = pod.spec.as_ref().map_or(0, |s| s.containers.len());
    if phase == "Running" && main.len() >= expected.max(1) && main.iter().all(|c| c.ready) {
        return Look::Done(PodState::Ready);
    }
    // The most telling reason: a container's waiting reason, else an unready condition's.
    let waiting = main
        .iter()
        .chain(init)
        .filter_map(|c| c.state.as_ref()?.waiting.as_ref()?.reason.clone())
        .next();
    let condition = status
        .conditions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find_map(|c| (c.status != "True").then(|| c.reason.clone()).flatten());
    let running_unready = main
        .iter()
        .any(|c| !c.ready && c.state.as_ref().is_some_and(|s| s.running.is_some()));
    Look::Pending(
        waiting
            .or_else(|| running_unready.then(|| "ContainersNotReady".to_string()))
            .or(condition)
            .unwrap_or(phase),
    )
}

fn failed(container: &ContainerStatus, is_init: bool) -> Option<PodState> {
    let state = container.state.as_ref()?;
    if let Some(waiting) = &state.waiting {
        let reason = waiting.reason.clone().unwrap_or_default();
        if TERMINAL.contains(&reason.as_str()) {
            let mut message = waiting.message.clone().unwrap_or_default();
            if reason == "CrashLoopBackOff"
                && let Some(last) = container
                    .last_state
                    .as_ref()
                    .and_then(|s| s.terminated.as_ref())
            {
                message = format!(
                    "container {} exited with code {}{}",
                    container.name,
                    last.exit_code,
                    last.reason
                        .as_ref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                );
            }
            return Some(PodState::Failed {
                reason,
                message: format!("{}: {message}", container.name),
            });
        }
    }
    if let Some(terminated) = &state.terminated {
        // An init container that finished well is how init containers should end.
        if is_init && terminated.exit_code == 0 {
            return None;
        }
        return Some(PodState::Failed {
            reason: terminated
                .reason
                .clone()
                .unwrap_or_else(|| "Terminated".into()),
            message: format!(
                "container {} exited with code {}{}",
                container.name,
                terminated.exit_code,
                terminated
                    .message
                    .as_ref()
                    .map(|m| format!(": {}", m.trim()))
                    .unwrap_or_default()
            ),
        });
    }
    None
}

/// Whether the last pull failure came with "Unable to retrieve some image pull secrets"
/// (`FailedToRetrieveImagePullSecret`) and no pull has failed since: the kubelet's secret
/// cache lagged behind a Secret created just before the pod.
async fn secret_not_yet_seen(sandbox: &Sandbox, found: &Pod) -> bool {
    let pod = found.metadata.name.as_deref().unwrap_or_default();
    // Only a race when every secret the pod names exists: a missing one stays missing.
    let names: Vec<String> = found
        .spec
        .iter()
        .flat_map(|s| s.image_pull_secrets.iter().flatten())
        .map(|r| r.name.clone())
        .collect();
    let secrets: Api<k8s_openapi::api::core::v1::Secret> =
        Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
    for name in &names {
        if !matches!(secrets.get_opt(name).await, Ok(Some(_))) {
            return false;
        }
    }
    let Ok(events) = raw_events(sandbox, pod).await else {
        return false;
    };
    let at = |e: &Event| e.last_timestamp.as_ref().map(|t| t.0);
    let retrieve = events
        .iter()
        .filter(|e| e.reason.as_deref() == Some("FailedToRetrieveImagePullSecret"))
        .filter_map(at)
        .max();
    let pulled = events
        .iter()
        .filter(|e| {
            e.reason.as_deref() == Some("Failed")
                && e.message
                    .as_deref()
                    .is_some_and(|m| m.contains("Failed to pull image"))
        })
        .filter_map(at)
        .max();
    match (retrieve, pulled) {
        (Some(retrieve), Some(pulled)) => pulled.as_second() <= retrieve.as_second() + 2,
        (Some(_), None) => true,
        _ => false,
    }
}

/// How long a pod may wait for its sandbox before repeated refusals count as final.
const SANDBOX_GRACE: Duration = Duration::from_secs(5);

/// The message of a `FailedCreatePodSandBox` event seen at least twice.
async fn repeated_sandbox_failure(sandbox: &Sandbox, pod: &str) -> Option<String> {
    let events = raw_events(sandbox, pod).await.ok()?;
    events
        .iter()
        .rev()
        .find(|e| {
            e.reason.as_deref() == Some("FailedCreatePodSandBox") && e.count.unwrap_or(1) >= 2
        })
        .and_then(|e| e.message.clone())
}

/// The kubelet's last word on pulling, e.g. `Failed to pull image "x": ... 401 Unauthorized`.
async fn pull_message(sandbox: &Sandbox, pod: &str) -> Option<String> {
    let events = raw_events(sandbox, pod).await.ok()?;
    events
        .iter()
        .rev()
        .find(|e| {
            e.reason.as_deref() == Some("Failed")
                && e.message
                    .as_deref()
                    .is_some_and(|m| m.contains("pull") && !m.starts_with("Error: "))
        })
        .or_else(|| {
            events
                .iter()
                .rev()
                .find(|e| e.reason.as_deref() == Some("Failed"))
        })
        .and_then(|e| e.message.clone())
}

async fn raw_events(sandbox: &Sandbox, pod: &str) -> Result<Vec<Event>, ClusterError> {
    let api: Api<Event> = Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
    let params = ListParams::default().fields(&format!(
        "involvedObject.name={pod},involvedObject.kind=Pod"
    ));
    let mut events = call(
        &format!("list events of pod {}/{pod}", sandbox.namespace),
        api.list(&params),
    )
    .await?
    .items;
    events.sort_by_key(|e| {
        e.last_timestamp
            .as_ref()
            .map(|t| t.0)
            .or_else(|| e.event_time.as_ref().map(|t| t.0))
            .or_else(|| e.metadata.creation_timestamp.as_ref().map(|t| t.0))
    });
    Ok(events)
}

/// A pod of the sandbox the kubelet evicted: phase `Failed`, reason `Evicted`
/// (`pkg/kubelet/eviction/eviction_manager.go`, `evictPod`), e.g. over its ephemeral
/// storage ("Pod ephemeral local storage usage exceeds the total limit of containers
/// 256Mi.", "Usage of EmptyDir volume \"data\" exceeds the limit \"64Mi\".").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evicted {
    pub pod: String,
    /// `(kind, name)` of the pod's owners (a ReplicaSet, a Job, …).
    pub owners: Vec<(String, String)>,
    /// The kubelet's words (`status.message`), trimmed.
    pub message: String,
}

/// Whether `pod` is one the kubelet evicted, and its eviction.
pub fn eviction(pod: &Pod) -> Option<Evicted> {
    let status = pod.status.as_ref()?;
    if status.phase.as_deref() != Some("Failed") || status.reason.as_deref() != Some("Evicted") {
        return None;
    }
    Some(Evicted {
        pod: pod.metadata.name.clone().unwrap_or_default(),
        owners: pod
            .metadata
            .owner_references
            .iter()
            .flatten()
            .map(|o| (o.kind.clone(), o.name.clone()))
            .collect(),
        message: status
            .message
            .clone()
            .unwrap_or_default()
            .trim()
            .to_string(),
    })
}

/// Every evicted pod of the sandbox, by name. Errors: the list call failed.
pub async fn evicted(sandbox: &Sandbox) -> Result<Vec<Evicted>, ClusterError> {
    let what = format!("list pods of {}", sandbox.namespace);
    let mut found: Vec<Evicted> = call(&what, sandbox.pods().list(&ListParams::default()))
        .await?
        .items
        .iter()
        .filter_map(eviction)
        .collect();
    found.sort_by(|a, b| a.pod.cmp(&b.pod));
    Ok(found)
}

/// The pod's events, oldest first, as `Reason: message`.
pub async fn events(sandbox: &Sandbox, pod: &str) -> Result<Vec<String>, ClusterError> {
    Ok(raw_events(sandbox, pod)
        .await?
        .into_iter()
        .map(|e| {
            format!(
                "{}: {}",
                e.reason.unwrap_or_default(),
                e.message.unwrap_or_default().trim()
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(status: serde_json::Value) -> Pod {
        serde_json::from_value(json!({"metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "x"}]}, "status": status}))
        .unwrap()
    }

    #[test]
    fn states() {
        let ready = pod(
            json!({"phase": "Running", "containerStatuses": [{"name": "c",
            "ready": true, "restartCount": 0, "image": "x", "imageID": "",
            "state": {"running": {}}}]}),
        );
        assert!(matches!(look(&ready), Look::Done(PodState::Ready)));
        let pulling = pod(
            json!({"phase": "Pending", "containerStatuses": [{"name": "c",
            "ready": false, "restartCount": 0, "image": "x", "imageID": "",
            "state": {"waiting": {"reason": "ContainerCreating"}}}]}),
        );
        assert!(matches!(look(&pulling), Look::Pending(r) if r == "ContainerCreating"));
        let bad = pod(
            json!({"phase": "Pending", "containerStatuses": [{"name": "c",
            "ready": false, "restartCount": 0, "image": "x", "imageID": "",
            "state": {"waiting": {"reason": "ErrImagePull", "message": "401 Unauthorized"}}}]}),
        );
        assert!(
            matches!(look(&bad), Look::Done(PodState::Failed { reason, message })
                if reason == "ErrImagePull" && message.contains("401"))
        );
        let exited = pod(
            json!({"phase": "Running", "containerStatuses": [{"name": "c",
            "ready": false, "restartCount": 0, "image": "x", "imageID": "",
            "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}),
        );
        assert!(
            matches!(look(&exited), Look::Done(PodState::Failed { message, .. }) if message.contains("code 1"))
        );
        let evicted = pod(json!({"phase": "Failed", "reason": "Evicted",
            "message": "Pod ephemeral local storage usage exceeds the total limit of containers 256Mi. "}));
        assert!(
            matches!(look(&evicted), Look::Done(PodState::Failed { reason, message })
                if reason == "Evicted" && message.starts_with("Pod ephemeral local storage"))
        );
        assert_eq!(
            eviction(&evicted),
            Some(Evicted {
                pod: "p".into(),
                owners: Vec::new(),
                message:
                    "Pod ephemeral local storage usage exceeds the total limit of containers 256Mi."
                        .into()
            })
        );
        assert_eq!(eviction(&ready), None);
        let unready = pod(
            json!({"phase": "Running", "containerStatuses": [{"name": "c",
            "ready": false, "restartCount": 0, "image": "x", "imageID": "",
            "state": {"running": {}}}]}),
        );
        assert!(matches!(look(&unready), Look::Pending(r) if r == "ContainersNotReady"));
    }
}
