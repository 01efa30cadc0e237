//! Does the cluster bound a pod's processes? Pod specs cannot: only the kubelet's
//! `podPidsLimit` (`KubeletConfiguration`, applied by
//! `pkg/kubelet/cm/pod_container_manager_linux.go` as `pids.max` of the *pod's* cgroup)
//! does. Without it a learner's fork bomb, admitted by every Pod Security level, fills the
//! node's process table (`pid_max`, often 32,768) and stalls every other pod on it.
//!
//! The limit is not visible from inside a container: the pod's cgroup is the parent of
//! the container's, which is all a container sees of `/sys/fs/cgroup` (its own
//! `pids.max` says `max`). And the grader's RBAC (deploy/rbac.yaml) rightly has no
//! `nodes/proxy`, so the kubelet's `/configz` is out of reach. So the probe counts: a
//! short-lived, `restricted`-compliant pod starts sleeping processes one by one, up to
//! [`PROBE_PROCESSES`], writing the count to its termination message after each one;
//! busybox's `sh` stops at the first `fork` that fails (`can't fork: Resource temporarily
//! unavailable`, exit code 2). The pod's processes end with its shell (PID 1 of the
//! container), and the sandbox it runs in is deleted afterwards.

use super::janitor::Janitor;
use super::sandbox::{CALL_TIMEOUT, call, call_opt};
use super::wait::Changes;
use super::{ClusterError, Sandbox};
use crate::i18n::Message;
use crate::msg;
use k8s_openapi::api::core::v1::Pod;
use kube::api::PostParams;
use std::time::{Duration, Instant};

/// The most processes the probe starts. A pod that may start this many is taken as not
/// bounded: eight such pods (a class run's `--jobs 8`) would be half of a 32,768
/// `pid_max`. The probe's sleepers cost about 100 KiB each (16 MiB in all at 1,024).
pub const PROBE_PROCESSES: u32 = 2048;

/// The probe pod's name.
const POD: &str = "pids-probe";
/// How long the probe may take, from creating its pod to its end (the image pull
/// included; starting 2,048 processes takes a few seconds on 2 cores).
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(90);

/// The processes in the pod's cgroup besides the probe's sleepers: the sandbox's
/// `pause` process and the probe's shell.
const OTHERS: u32 = 2;

/// What the probe found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PidsBound {
    /// A `fork` failed when the pod held `processes` processes (the sleepers, the
    /// shell and the sandbox's `pause`): the kubelet's `podPidsLimit`, or a lower
    /// bound of the node's.
    Bounded { processes: u32 },
    /// The probe started [`PROBE_PROCESSES`] sleepers and no `fork` failed: the pod
    /// held `processes` processes.
    Unbounded { processes: u32 },
}

/// The probe's script: `sh -c SCRIPT`. `$1` is the number of sleepers to start.
const SCRIPT: &str = "n=0; while [ $n -lt $1 ]; do sleep 60 & n=$((n+1)); \
                      echo $n > /dev/termination-log; done";

/// The probe pod: `restricted`-compliant (non-root, no privilege escalation, every
/// capability dropped, `RuntimeDefault` seccomp), memory up to the sandbox's maximum so
/// that the memory limit is not what stops it, never restarted.
fn pod() -> Pod {
    let count = PROBE_PROCESSES.to_string();
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": POD, "labels": {"app": POD}},
        "spec": {
            "restartPolicy": "Never",
            "terminationGracePeriodSeconds": 0,
            "automountServiceAccountToken": false,
            "securityContext": {
                "runAsNonRoot": true,
                "runAsUser": 65534,
                "runAsGroup": 65534,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containers": [{
                "name": "probe",
                "image": "busybox:1.28",
                "command": ["sh", "-c", SCRIPT, "pids-probe", count],
                "securityContext": {
                    "allowPrivilegeEscalation": false,
                    "capabilities": {"drop": ["ALL"]},
                },
                "resources": {"limits": {"memory": "512Mi"}},
            }],
        }
    }))
    .expect("a valid pod")
}

/// The verdict of the probe's ended container: its exit code and termination message
/// (the count of sleepers started). Exit 0 with all started: unbounded; exit 2 (`sh`
/// could not fork): bounded; anything else (killed for memory, say) is no answer.
pub fn verdict(exit_code: i32, message: &str, reason: &str) -> Result<PidsBound, Message> {
    // No count (the termination message was not written): no answer either.
    let count: Option<u32> = message.trim().parse().ok();
    let started = count.unwrap_or(0);
    match (exit_code, count) {
        (0, Some(started)) if started >= PROBE_PROCESSES => Ok(PidsBound::Unbounded {
            processes: started + OTHERS,
        }),
        (2, Some(started)) => Ok(PidsBound::Bounded {
            processes: started + OTHERS,
        }),
        (code, _) => Err(msg!(
            "cluster-pids-probe-ended",
            code = code,
            reason = reason,
            started = started
        )),
    }
}

/// Runs the probe in `sandbox` (which its caller deletes) and waits for its end, at most
/// [`PROBE_TIMEOUT`]. Errors: the pod was refused, did not start or end in time, or
/// ended otherwise than by a failed `fork` or a finished count (as a message).
pub async fn probe_in(sandbox: &Sandbox) -> Result<PidsBound, Message> {
    let pods = sandbox.pods();
    let start = Instant::now();
    let what = format!("create pod {}/{POD}", sandbox.namespace);
    let pod = pod();
    let post = PostParams::default();
    let create = super::apply::retry_quota_conflicts(|| pods.create(&post, &pod));
    call(&what, create).await.map_err(|e| e.message())?;
    let what = format!("get pod {}/{POD}", sandbox.namespace);
    let mut changes = Changes::watch(&pods, POD).await;
    let mut last = String::from("Pending");
    loop {
        let found = call_opt(&what, pods.get(POD))
            .await
            .map_err(|e| e.message())?;
        let Some(found) = found else {
            return Err(msg!("cluster-doctor-pod-disappeared"));
        };
        let status = found
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|c| c.first());
        if let Some(state) = status.and_then(|s| s.state.as_ref()) {
            if let Some(ended) = &state.terminated {
                return verdict(
                    ended.exit_code,
                    ended.message.as_deref().unwrap_or_default(),
                    ended.reason.as_deref().unwrap_or_default(),
                );
            }
            if let Some(reason) = state.waiting.as_ref().and_then(|w| w.reason.clone()) {
                if reason.contains("ImagePull") || reason.contains("Error") {
                    let message = state
                        .waiting
                        .as_ref()
                        .and_then(|w| w.message.clone())
                        .unwrap_or_default();
                    return Err(msg!(
                        "cluster-doctor-pod-failed",
                        reason = reason,
                        message = message
                    ));
                }
                last = reason;
            }
        }
        if start.elapsed() >= PROBE_TIMEOUT {
            return Err(msg!(
                "cluster-doctor-pod-not-ready",
                seconds = PROBE_TIMEOUT.as_secs(),
                reason = last
            ));
        }
        changes.next(Duration::from_millis(500)).await;
    }
}

/// The probe in a sandbox of its own (namespace `kubelab-pids-…`), tracked by `janitor`
/// so that Ctrl-C deletes it, and released (deleted in the background) at the end: for
/// commands that share a cluster among learners (`class`, `exam start`, `start`), run
/// once per command beside its own work.
pub async fn probe(client: &kube::Client, janitor: &Janitor) -> Result<PidsBound, Message> {
    let sandbox = Sandbox::create_tracked(client, "pids", |s| janitor.track(s))
        .await
        .map_err(|e| e.message())?;
    let bound = tokio::time::timeout(PROBE_TIMEOUT + CALL_TIMEOUT, probe_in(&sandbox))
        .await
        .unwrap_or_else(|_| {
            Err(ClusterError::Timeout {
                what: "the process-count probe".into(),
                after: PROBE_TIMEOUT + CALL_TIMEOUT,
            }
            .message())
        });
    let _ = janitor.release(&sandbox).await;
    bound
}

/// The warning a command shares on stderr when the cluster does not bound a pod's
/// processes, or when that could not be found out; `None` when it does.
pub fn warning(bound: &Result<PidsBound, Message>) -> Option<Message> {
    match bound {
        Ok(PidsBound::Bounded { .. }) => None,
        Ok(PidsBound::Unbounded { processes }) => Some(msg!(
            "cluster-pids-unbounded-warning",
            processes = *processes
        )),
        Err(reason) => Some(msg!(
            "cluster-pids-unknown-warning",
            reason = reason.clone()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_probe_reads_a_failed_fork_as_a_bound_and_a_full_count_as_none() {
        // sh could not fork after 1,022 sleepers: with the shell and pause, 1,024.
        assert_eq!(
            verdict(2, "1022\n", "Error"),
            Ok(PidsBound::Bounded { processes: 1024 })
        );
        assert_eq!(
            verdict(0, "2048\n", "Completed"),
            Ok(PidsBound::Unbounded { processes: 2050 })
        );
        // No count written: no answer.
        assert!(verdict(2, "", "Error").is_err());
        // Killed for memory: no answer, and it says so.
        let e = verdict(137, "900", "OOMKilled").unwrap_err();
        assert_eq!(
            e.render(Lang::En),
            "the probe pod ended with exit code 137 (OOMKilled) after starting 900 processes"
        );
        assert_eq!(
            e.render(Lang::Ko),
            "확인용 파드가 프로세스 900개를 시작한 뒤 종료 코드 137(OOMKilled)로 끝났습니다."
        );
    }

    #[test]
    fn the_probe_pod_is_restricted_and_counts_to_its_argument() {
        let value = serde_json::to_value(pod()).unwrap();
        assert!(crate::policy::pod_security::baseline("Pod", &value).is_empty());
        let command = &value["spec"]["containers"][0]["command"];
        assert_eq!(command[4], PROBE_PROCESSES.to_string());
        assert_eq!(value["spec"]["restartPolicy"], "Never");
        assert_eq!(value["spec"]["securityContext"]["runAsNonRoot"], true);
    }

    #[test]
    fn the_warnings_read_in_both_languages() {
        let unbounded = warning(&Ok(PidsBound::Unbounded { processes: 2050 })).unwrap();
        assert_eq!(
            unbounded.render(Lang::En),
            "warning: this cluster does not bound a pod's processes: a probe pod started 2050 \
             and none was refused. One learner's fork bomb can use up the node's process IDs \
             and stall every other pod on it. Ask the cluster's administrator to set the \
             kubelet's podPidsLimit (for example 1024); `kubelab doctor` checks it."
        );
        assert_eq!(
            unbounded.render(Lang::Ko),
            "경고: 이 클러스터는 파드의 프로세스 수를 제한하지 않습니다. 확인용 파드가 프로세스 \
             2050개를 실행하는 동안 한 번도 거부되지 않았습니다. 학습자 한 명의 포크 폭탄이 \
             노드의 프로세스 ID를 모두 써 버려 같은 노드의 다른 파드까지 멈출 수 있습니다. \
             클러스터 관리자에게 kubelet의 podPidsLimit 설정(예: 1024)을 요청하십시오. \
             `kubelab doctor`로 확인할 수 있습니다."
        );
        assert!(warning(&Ok(PidsBound::Bounded { processes: 1024 })).is_none());
        let unknown = warning(&Err(msg!("cluster-doctor-pod-disappeared"))).unwrap();
        assert_eq!(
            unknown.render(Lang::En),
            "warning: kubelab could not find out whether this cluster bounds a pod's processes \
             (the pod disappeared); `kubelab doctor` checks it."
        );
        for message in [unbounded, unknown] {
            let korean = message.render(Lang::Ko);
            assert!(
                crate::i18n::style::not_hapnida(&korean).is_empty(),
                "{korean}"
            );
        }
    }
}
