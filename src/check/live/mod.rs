//! Live evaluators: each check kind decided on a real cluster, through the exec API and
//! the objects the API server holds. They return the same `Outcome` as the offline
//! evaluators, so the two can be compared check by check.

mod admission;
pub mod capabilities;
mod connect;
mod dns;
mod exec;
mod field;
mod image_pull;
mod security;
mod selects;

use super::outcome::Outcome;
use crate::cluster::Sandbox;
use crate::cluster::wait::{PodState, wait_ready, wait_started};
use crate::lab::CheckKind;
use futures::future::join_all;
use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

pub struct LiveContext<'a> {
    pub sandbox: &'a Sandbox,
    pub params: &'a BTreeMap<String, String>,
    /// What this run saw of its connections (the controls of "blocked" verdicts).
    connections: Mutex<connect::Connections>,
    /// The control of image pulls (a pull without credentials), made once per run.
    anonymous_pull: tokio::sync::OnceCell<Result<PodState, Outcome>>,
    /// Pods the step's checks used as soon as they ran: they must still be Ready when
    /// the settle time is over (see [`evaluate_step`]).
    unsettled: Mutex<HashSet<String>>,
    /// How long a pod may take to become Ready.
    pub pod_timeout: Duration,
    /// The lab's probes (see [`LiveContext::with_probes`]).
    probes: &'a [crate::manifest::Object],
    /// Where the learner's pods were declared (pod name → the object's location): a
    /// pod that fails at run time (the kubelet evicted it) is located there.
    pub origins: std::collections::HashMap<String, crate::manifest::Location>,
    /// The lab's own namespace as the task names it: a DNS name `<service>.<it>` is
    /// looked up in the sandbox (see [`LiveContext::dns_name`]).
    task_namespace: String,
}

impl<'a> LiveContext<'a> {
    /// The context of one run's checks in `sandbox`.
    pub fn new(
        sandbox: &'a Sandbox,
        params: &'a BTreeMap<String, String>,
        pod_timeout: Duration,
    ) -> Self {
        LiveContext {
            sandbox,
            params,
            connections: Mutex::default(),
            anonymous_pull: tokio::sync::OnceCell::new(),
            unsettled: Mutex::default(),
            pod_timeout,
            probes: &[],
            origins: Default::default(),
            task_namespace: "default".to_string(),
        }
    }

    /// The lab's own namespace as the task names it ([`crate::lab::Lab::task_namespace`]).
    pub fn with_task_namespace(mut self, namespace: &str) -> Self {
        self.task_namespace = namespace.to_string();
        self
    }

    /// Where a check's pod is: `<role>/<pod>` in the namespace of that role of the run
    /// ([`crate::lab::RoleNamespace`]), a plain name in the sandbox. Returns the sandbox
    /// and the pod's own name.
    pub(crate) fn pod(&self, name: &str) -> (Sandbox, String) {
        let (role, pod) = crate::lab::split_qualified(name);
        (self.sandbox.role(role), pod.to_string())
    }

    /// A DNS name as the run's pods look it up: a namespace part that is a role of the
    /// scenario, or the lab's own namespace as the task names it, becomes that
    /// namespace's name in this run (`db-pod.default` → `db-pod.kubelab-…`,
    /// `prometheus.monitoring` → `prometheus.kubelab-…-monitoring`). Other names are kept.
    pub(crate) fn dns_name(&self, name: &str) -> String {
        crate::check::cluster_dns::rename_namespace(
            name,
            &self.sandbox.names_in_run(&self.task_namespace),
        )
    }

    /// The lab's probes, which `admission` checks dry-run.
    pub fn with_probes(mut self, probes: &'a [crate::manifest::Object]) -> Self {
        self.probes = probes;
        self
    }

    /// The probe `kind`/`name` of the lab.
    fn probe(&self, kind: &str, name: &str) -> Option<&'a crate::manifest::Object> {
        self.probes
            .iter()
            .find(|o| o.kind == kind && o.name == name)
    }
}

/// A step's checks, run concurrently. They start on a pod as soon as it runs; the
/// pod's settle (Ready must hold for a moment: a container that exits right after it
/// starts is Ready at first) is confirmed after them, so that the two overlap. A pod
/// that did not hold turns its checks into the reason.
pub async fn evaluate_step(kinds: &[&CheckKind], ctx: &LiveContext<'_>) -> Vec<Outcome> {
    let mut outcomes = join_all(kinds.iter().map(|kind| evaluate(kind, ctx))).await;
    let pods: Vec<String> = ctx.unsettled.lock().unwrap().drain().collect();
    let settled = join_all(pods.iter().map(|pod| async {
        let (sandbox, name) = ctx.pod(pod);
        let state = wait_ready(&sandbox, &name, ctx.pod_timeout).await;
        (pod.as_str(), readiness(pod, state, ctx))
    }))
    .await;
    for (pod, readiness) in settled {
        let Err(reason) = readiness else { continue };
        for (kind, outcome) in kinds.iter().zip(outcomes.iter_mut()) {
            if pod_of(kind) == Some(pod) {
                *outcome = reason.clone();
                // A connection probe's pod is the scenario's: the environment's fault.
                if matches!(kind, CheckKind::Connect(_) | CheckKind::Dns(_)) {
                    outcome.verdict = super::Verdict::Error;
                }
            }
        }
    }
    outcomes
}

/// The pod a check runs in or waits for.
fn pod_of(kind: &CheckKind) -> Option<&str> {
    match kind {
        CheckKind::Connect(spec) => Some(&spec.from),
        CheckKind::Dns(spec) => Some(&spec.from),
        CheckKind::RunAs(spec) => Some(&spec.target.pod),
        CheckKind::RootfsReadonly(target) | CheckKind::NoPrivilegeEscalation(target) => {
            Some(&target.pod)
        }
        CheckKind::Capabilities(spec) => Some(&spec.target.pod),
        CheckKind::ImagePull(spec) => spec.pod.as_deref(),
        CheckKind::Exec(spec) => Some(&spec.target.pod),
        CheckKind::Field(_) | CheckKind::Selects(_) | CheckKind::Admission(_) => None,
    }
}

/// The step's objects have just been applied.
pub fn step_applied(ctx: &LiveContext<'_>) {
    ctx.connections.lock().unwrap().step_applied();
}

pub async fn evaluate(kind: &CheckKind, ctx: &LiveContext<'_>) -> Outcome {
    match kind {
        CheckKind::Connect(spec) => connect::evaluate(spec, ctx).await,
        CheckKind::RunAs(spec) => security::run_as(spec, ctx).await,
        CheckKind::RootfsReadonly(target) => security::rootfs_readonly(target, ctx).await,
        CheckKind::NoPrivilegeEscalation(target) => {
            security::no_privilege_escalation(target, ctx).await
        }
        CheckKind::Capabilities(spec) => capabilities::evaluate(spec, ctx).await,
        CheckKind::ImagePull(spec) => image_pull::evaluate(spec, ctx).await,
        CheckKind::Field(spec) => field::evaluate(spec, ctx).await,
        CheckKind::Exec(spec) => exec::evaluate(spec, ctx).await,
        CheckKind::Selects(spec) => selects::evaluate(spec, ctx).await,
        CheckKind::Admission(spec) => admission::evaluate(spec, ctx).await,
        CheckKind::Dns(spec) => dns::evaluate(spec, ctx).await,
    }
}

/// Observations a check needs before its step changes anything (the controls of
/// "blocked" connections).
pub async fn before_step(kind: &CheckKind, ctx: &LiveContext<'_>) {
    if let CheckKind::Connect(spec) = kind {
        connect::control(spec, ctx).await;
    }
}

/// The target's pod is Ready and has the named container.
async fn target_ready(target: &crate::lab::Target, ctx: &LiveContext<'_>) -> Result<(), Outcome> {
    ready(&target.pod, ctx).await?;
    let Some(container) = &target.container else {
        return Ok(());
    };
    let pod = ctx
        .sandbox
        .pods()
        .get(&target.pod)
        .await
        .map_err(|e| Outcome::error(super::cluster_error(e)))?;
    let names: Vec<String> = pod
        .spec
        .iter()
        .flat_map(|s| &s.containers)
        .map(|c| c.name.clone())
        .collect();
    if names.contains(container) {
        return Ok(());
    }
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    Err(Outcome::fail(
        crate::msg!(
            "check-no-such-container",
            pod = &target.pod,
            container = container,
            names = listed.join(", ")
        ),
        None,
    ))
}

/// The pod is running with every container Ready, or the outcome that says why not.
/// Its settle is confirmed after the step's checks ([`evaluate_step`]).
async fn ready(pod: &str, ctx: &LiveContext<'_>) -> Result<(), Outcome> {
    started(pod, ctx).await?;
    ctx.unsettled.lock().unwrap().insert(pod.to_string());
    Ok(())
}

/// [`ready`] without the settle: for the scenario's own pods, whose settle the grade
/// confirms once, when it ends (`grade::live::fixtures_held`), instead of after every
/// step.
async fn started(pod: &str, ctx: &LiveContext<'_>) -> Result<(), Outcome> {
    let (sandbox, name) = ctx.pod(pod);
    let state = wait_started(&sandbox, &name, ctx.pod_timeout).await;
    readiness(pod, state, ctx)
}

/// A pod that cannot start is the learner's failure, a slow one the environment's.
fn readiness(
    pod: &str,
    state: Result<PodState, crate::cluster::ClusterError>,
    ctx: &LiveContext<'_>,
) -> Result<(), Outcome> {
    match state {
        Ok(PodState::Ready) => Ok(()),
        // Evicted at run time (over its ephemeral storage, say): no simulation foresees
        // it, so the outcome is located at the pod's own object.
        Ok(PodState::Failed { reason, message }) if reason == "Evicted" => {
            let evicted = crate::cluster::wait::Evicted {
                pod: pod.to_string(),
                owners: Vec::new(),
                message: message.trim().to_string(),
            };
            let mut outcome = Outcome::fail(
                crate::msg!(
                    "check-pod-does-not-run",
                    pod = pod,
                    reason = reason,
                    message = message.trim()
                ),
                ctx.origins.get(pod).cloned(),
            );
            if let Some(why) = eviction_why(&evicted) {
                outcome.details.push(why);
            }
            Err(outcome)
        }
        Ok(PodState::Failed { reason, message }) => Err(Outcome::fail(
            crate::msg!(
                "check-pod-does-not-run",
                pod = pod,
                reason = reason,
                message = message
            ),
            None,
        )),
        Ok(PodState::NotReady { reason }) => Err(Outcome::error(crate::msg!(
            "check-pod-not-ready-within",
            pod = pod,
            seconds = ctx.pod_timeout.as_secs(),
            reason = reason
        ))),
        Ok(PodState::Missing) => Err(Outcome::fail(
            crate::msg!("check-pod-does-not-exist", pod = pod),
            None,
        )),
        Err(e) => Err(Outcome::error(super::cluster_error(e))),
    }
}

/// What the sandbox allows, when the kubelet evicted a pod for its ephemeral storage
/// (the pod's total, a container's, or an emptyDir's `sizeLimit`); `None` for other
/// evictions (node pressure).
pub fn eviction_why(evicted: &crate::cluster::wait::Evicted) -> Option<crate::i18n::Message> {
    let storage = evicted.message.contains("ephemeral") || evicted.message.contains("EmptyDir");
    let of = |items: &[(&'static str, &'static str)]| -> &'static str {
        items
            .iter()
            .find(|(k, _)| *k == "ephemeral-storage")
            .map_or("", |(_, v)| *v)
    };
    storage.then(|| {
        crate::msg!(
            "grade-evicted-storage",
            limit = of(&crate::policy::limits::DEFAULT_LIMIT),
            max = of(&crate::policy::limits::MAX)
        )
    })
}
