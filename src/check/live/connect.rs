//! `connect`: `nc -zv -w 1 <to> <port>` from the `from` pod, retried up to 4 times a second
//! until the expectation holds or the bound passes (policies take effect after a delay).
//!
//! How a denied connection looks depends on the network plugin: Calico and Cilium drop
//! it (TIMEOUT), kube-router rejects it (REFUSED, as if nothing listened). So "blocked"
//! only counts when the target is known to listen: the same connection was seen open
//! earlier in this run (the control), or — grading a learner's namespace, where no
//! control can be made — the Service's pods are all Ready. A DNS failure, or a refusal
//! without either, is an environment error, never a pass — unless an egress policy of the
//! learner selects the source: then a name that does not resolve is the policy blocking
//! DNS, graded like the offline engine grades it (the connection is not made).
//!
//! `to` is a Service (or a Service's DNS name) looked up by `nc`, or a pod with no
//! Service of that name, which is probed at its pod IP (no DNS involved).

use super::{LiveContext, started};
use crate::check::outcome::{Outcome, Verdict};
use crate::cluster::probe::{Reach, probe_until};
use crate::lab::{Connect, Reachability};
use k8s_openapi::api::core::v1::{Pod, Service};
use kube::api::{Api, ListParams};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// kube-router applies a policy ~1 s after it is created on the idle test cluster, but
/// 8–10 s has been seen under load; the pitfalls note suggests 10 s, which that would
/// just miss.
const BOUND: Duration = Duration::from_secs(20);
/// How long after a step's apply an ambiguous "blocked" probe waits at most, unless the
/// run has seen the enforcer take longer: a connection that the new policies open may
/// be blocked until the enforcer applies them (~1 s on the idle test cluster). Found by
/// the live corpus: an allow-all rule graded at once looked blocked.
const SETTLE_POLICY: Duration = Duration::from_secs(3);

pub(super) type Key = (String, String, u16);

fn key(spec: &Connect) -> Key {
    (spec.from.clone(), spec.to.clone(), spec.port)
}

/// What a run saw of its connections.
#[derive(Default)]
pub(super) struct Connections {
    /// Seen open at some point in this run: the control that makes a later "blocked"
    /// mean something (the target listens).
    ever_open: HashSet<Key>,
    /// The last observation of each connection since the current step's apply (or
    /// since the run began): open or not.
    last: HashMap<Key, bool>,
    /// When the current step's objects were applied.
    applied_at: Option<Instant>,
    /// The observations made between the previous apply and this one: what the
    /// connection was like under the previous step's policies. An older observation
    /// says nothing about them (found by the live corpus: a connection seen open at the
    /// baseline, not probed under the deny step, looked "blocked by the allow step" when
    /// the deny step's policy was still the one enforced).
    before: HashMap<Key, bool>,
    /// When a probe of this step first saw a connection differ from `before`: the
    /// enforcer has applied the step's policies by then.
    changed_at: Option<Instant>,
    /// The longest an earlier step's policies took to show (apply → first change seen):
    /// how slow this cluster's enforcer is right now.
    slowest_change: Duration,
}

impl Connections {
    pub(super) fn step_applied(&mut self) {
        self.applied_at = Some(Instant::now());
        self.before = std::mem::take(&mut self.last);
        self.changed_at = None;
    }

    fn saw(&mut self, key: Key, open: bool) {
        if open {
            self.ever_open.insert(key.clone());
        }
        if let Some(applied) = self.applied_at
            && self.changed_at.is_none()
            && self.before.get(&key).is_some_and(|&b| b != open)
        {
            self.changed_at = Some(Instant::now());
            self.slowest_change = self.slowest_change.max(applied.elapsed());
        }
        self.last.insert(key, open);
    }

    /// How much longer a "blocked" probe of `key` must wait before it proves anything:
    /// nothing when the connection was open before the step (a probe that finds it
    /// blocked has seen the change itself) or when the step already changed another
    /// connection (the step's policies are in effect); otherwise until the apply is
    /// [`SETTLE_POLICY`] old, or one and a half times the slowest change seen in this run
    /// (within [`BOUND`]).
    fn blocked_wait(&self, key: &Key) -> Duration {
        self.settle_wait(self.before.get(key) != Some(&true))
    }

    /// How much longer an "open" probe of `key` must wait before it proves anything: the
    /// mirror of [`Connections::blocked_wait`] for a connection that was open before the
    /// step. The step's policies may close it once the enforcer applies them (a dropping
    /// enforcer was seen enforcing the previous policies when the probe ran); a connection
    /// blocked or never probed before the step waits for nothing.
    fn open_wait(&self, key: &Key) -> Duration {
        self.settle_wait(self.before.get(key) == Some(&true))
    }

    /// Until the apply is [`SETTLE_POLICY`] old (or one and a half times the slowest
    /// change seen in this run, within [`BOUND`]) when `ambiguous` and no change of the
    /// step has been seen yet; otherwise nothing.
    fn settle_wait(&self, ambiguous: bool) -> Duration {
        match self.applied_at {
            Some(applied) if ambiguous && self.changed_at.is_none() => {
                let settle = SETTLE_POLICY
                    .max(self.slowest_change.mul_f32(1.5))
                    .min(BOUND);
                settle.saturating_sub(applied.elapsed())
            }
            _ => Duration::ZERO,
        }
    }
}

/// Whether the connection was seen open earlier in this run.
fn seen_open(ctx: &LiveContext<'_>, spec: &Connect) -> bool {
    was_open(ctx, &key(spec))
}

/// Whether the observation `key` (a connection, or a name lookup) was seen succeed
/// earlier in this run.
pub(super) fn was_open(ctx: &LiveContext<'_>, key: &Key) -> bool {
    ctx.connections.lock().unwrap().ever_open.contains(key)
}

/// Records an observation (a connection, or a name lookup) of this run.
pub(super) fn observe(ctx: &LiveContext<'_>, key: Key, open: bool) {
    ctx.connections.lock().unwrap().saw(key, open);
}

/// Waits until a probe of `key` that finds it `want_open` (or not) proves something
/// about the step's policies (see [`Connections::blocked_wait`]).
pub(super) async fn settle(ctx: &LiveContext<'_>, key: &Key, want_open: bool) {
    loop {
        let wait = {
            let connections = ctx.connections.lock().unwrap();
            match want_open {
                true => connections.open_wait(key),
                false => connections.blocked_wait(key),
            }
        };
        if wait.is_zero() {
            break;
        }
        // Another check of the step may show the change meanwhile.
        tokio::time::sleep(wait.min(Duration::from_millis(50))).await;
    }
}

/// The names of the sandbox's NetworkPolicies that isolate `pod`'s egress (their
/// `podSelector` selects it and their effective `policyTypes` include `Egress`): when
/// there are some, a lookup that gets no answer is theirs, not the environment's.
pub(super) async fn egress_isolating(
    ctx: &LiveContext<'_>,
    pod: &str,
) -> Result<Vec<String>, crate::cluster::ClusterError> {
    use k8s_openapi::api::networking::v1::NetworkPolicy;
    let (sandbox, pod) = ctx.pod(pod);
    let labels = crate::cluster::sandbox::call("get pod", sandbox.pods().get(&pod))
        .await?
        .metadata
        .labels
        .unwrap_or_default();
    let policies: Api<NetworkPolicy> = Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
    let list = crate::cluster::sandbox::call(
        "list NetworkPolicies",
        policies.list(&ListParams::default()),
    )
    .await?;
    Ok(list
        .items
        .into_iter()
        .filter(|p| {
            p.spec
                .as_ref()
                .is_some_and(|spec| crate::netpol::isolates_egress(spec, &labels))
        })
        .filter_map(|p| p.metadata.name)
        .collect())
}

/// What `to` names: a pod reached at its IP (a pod of that name with no Service of it,
/// or a role's pod `<role>/<pod>`), or a name `nc` looks up in the cluster DNS (a
/// Service, its namespace part renamed for the run: [`LiveContext::dns_name`]).
enum Target {
    Pod {
        sandbox: crate::cluster::Sandbox,
        name: String,
    },
    Name(String),
}

/// Where `nc` connects for `to` (the pod IP, or the name), and what `to` names.
async fn host_of(
    ctx: &LiveContext<'_>,
    to: &str,
) -> Result<(String, Target), crate::cluster::ClusterError> {
    let pod_ip = |sandbox: crate::cluster::Sandbox, name: String| async move {
        let pod = crate::cluster::sandbox::call_opt("get pod", sandbox.pods().get_opt(&name))
            .await?
            .flatten();
        let host = pod
            .and_then(|p| p.status)
            .and_then(|s| s.pod_ip)
            .unwrap_or_else(|| name.clone());
        Ok::<_, crate::cluster::ClusterError>((host, Target::Pod { sandbox, name }))
    };
    if to.contains('/') {
        let (sandbox, name) = ctx.pod(to);
        return pod_ip(sandbox, name).await;
    }
    if to.contains('.') {
        let name = ctx.dns_name(to);
        return Ok((name.clone(), Target::Name(name)));
    }
    let services: Api<Service> =
        Api::namespaced(ctx.sandbox.client.clone(), &ctx.sandbox.namespace);
    if crate::cluster::sandbox::call_opt("get service", services.get_opt(to))
        .await?
        .flatten()
        .is_some()
    {
        return Ok((to.to_string(), Target::Name(to.to_string())));
    }
    pod_ip(ctx.sandbox.clone(), to.to_string()).await
}

/// Before a step changes anything: one probe of a connection that the step expects to be
/// blocked, so that a later "blocked" is not vacuous (it was open at some point) and is
/// compared with the connection under the previous step's policies (unless the previous
/// step probed it already).
pub async fn control(spec: &Connect, ctx: &LiveContext<'_>) {
    if spec.expect != Reachability::Blocked {
        return;
    }
    {
        let connections = ctx.connections.lock().unwrap();
        if connections.ever_open.contains(&key(spec)) && connections.last.contains_key(&key(spec)) {
            return;
        }
    }
    let Ok((host, _)) = host_of(ctx, &spec.to).await else {
        return;
    };
    let (sandbox, from) = ctx.pod(&spec.from);
    if let Ok(o) = probe_until(
        &sandbox,
        &from,
        None,
        &host,
        spec.port,
        |_| true,
        Duration::ZERO,
    )
    .await
    {
        ctx.connections
            .lock()
            .unwrap()
            .saw(key(spec), o.value == Reach::Open);
    }
}

pub async fn evaluate(spec: &Connect, ctx: &LiveContext<'_>) -> Outcome {
    if spec.protocol != "TCP" {
        return Outcome::skip(crate::msg!(
            "check-protocol-not-live",
            protocol = &spec.protocol
        ));
    }
    // The probe pod is the scenario's: its settle is the grade's to confirm.
    if let Err(mut outcome) = started(&spec.from, ctx).await {
        // The probe pod is part of the scenario: its absence is the environment's fault.
        outcome.verdict = Verdict::Error;
        return outcome;
    }
    let what = crate::msg!(
        "check-connection",
        from = &spec.from,
        to = &spec.to,
        port = spec.port.to_string()
    );
    // The cluster failed while probing: the environment's error, never the learner's.
    let failed = |e: &dyn std::fmt::Display| {
        Outcome::error(crate::msg!(
            "check-connect-error",
            what = what.clone(),
            error = e.to_string()
        ))
    };
    let want_open = spec.expect == Reachability::Open;
    let done = |reach: &Reach| {
        if want_open {
            *reach == Reach::Open
        } else {
            *reach != Reach::Open
        }
    };
    // A policy takes effect a moment after it is created: a connection that the new
    // policies open may still be blocked right after the apply. A "blocked" seen that
    // early proves nothing, so blocked probes wait until the apply is that long ago.
    settle(ctx, &key(spec), want_open).await;
    let (host, target) = match host_of(ctx, &spec.to).await {
        Ok(found) => found,
        Err(e) => return failed(&e),
    };
    let (sandbox, from) = ctx.pod(&spec.from);
    let observation = match probe_until(&sandbox, &from, None, &host, spec.port, done, BOUND).await
    {
        Ok(o) => o,
        Err(e) => return failed(&e),
    };
    let shown = crate::msg!(
        "check-nc-shown",
        to = &host,
        port = spec.port.to_string(),
        attempts = observation.attempts,
        seconds = format!("{:.1}", observation.elapsed.as_secs_f64()),
        output = observation.output.combined()
    );
    ctx.connections
        .lock()
        .unwrap()
        .saw(key(spec), observation.value == Reach::Open);
    if observation.value == Reach::Open {
        let outcome = match spec.expect {
            Reachability::Open => Outcome::pass(crate::msg!("check-connect-open", what = what)),
            Reachability::Blocked => Outcome::fail(
                crate::msg!("check-connect-open-expected-blocked", what = what),
                None,
            ),
        };
        return outcome.with_detail(shown);
    }
    let how = match observation.value {
        Reach::Timeout => crate::msg!("check-reach-timeout"),
        Reach::Refused => crate::msg!("check-reach-refused"),
        Reach::Dns => {
            // The learner's egress policies select the source: they block its lookups
            // (the offline engine decides the same from the policies).
            let isolating = match egress_isolating(ctx, &spec.from).await {
                Ok(names) => names,
                Err(e) => return failed(&e).with_detail(shown),
            };
            if isolating.is_empty() {
                return Outcome::error(crate::msg!(
                    "check-connect-dns",
                    what = what,
                    name = &spec.to
                ))
                .with_detail(shown);
            }
            let explanation = crate::msg!(
                "check-dns-blocked-by",
                pod = &spec.from,
                policies = isolating.join(", ")
            );
            let outcome = match spec.expect {
                Reachability::Blocked => Outcome::pass(crate::msg!(
                    "check-connect-dns-blocked-as-expected",
                    what = what,
                    name = &spec.to,
                    explanation = explanation
                )),
                Reachability::Open => Outcome::fail(
                    crate::msg!(
                        "check-connect-dns-blocked",
                        what = what,
                        name = &spec.to,
                        explanation = explanation
                    ),
                    None,
                ),
            };
            return outcome.with_detail(shown);
        }
        _ => {
            return Outcome::error(crate::msg!("check-connect-probe-failed", what = what))
                .with_detail(shown);
        }
    };
    let control = if seen_open(ctx, spec) {
        crate::msg!("check-control-open-earlier")
    } else {
        match endpoints_ready(&sandbox, &target).await {
            Ok(Some(pods)) => crate::msg!("check-control-pods-ready", pods = pods),
            Ok(None) => {
                return Outcome::error(crate::msg!(
                    "check-connect-no-listener",
                    what = what,
                    how = how,
                    service = &spec.to
                ))
                .with_detail(shown);
            }
            Err(e) => {
                return Outcome::error(crate::msg!(
                    "check-connect-error",
                    what = what,
                    error = e.to_string()
                ))
                .with_detail(shown);
            }
        }
    };
    let outcome = match spec.expect {
        Reachability::Blocked => Outcome::pass(crate::msg!(
            "check-connect-blocked",
            what = what,
            how = how,
            control = control
        )),
        Reachability::Open => Outcome::fail(
            crate::msg!(
                "check-connect-blocked-expected-open",
                what = what,
                how = how,
                control = control
            ),
            None,
        ),
    };
    outcome.with_detail(shown)
}

/// The names of the pods behind the Service when there are some and all are Ready (a
/// Service's DNS name `svc.ns…` looks in `ns`, a plain one in the namespace of the
/// source, `from`); for a pod probed at its IP, that pod when it is Ready.
async fn endpoints_ready(
    from: &crate::cluster::Sandbox,
    target: &Target,
) -> Result<Option<String>, kube::Error> {
    let ready = |p: &Pod| {
        p.status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .is_some_and(|cs| !cs.is_empty() && cs.iter().all(|c| c.ready))
    };
    let to = match target {
        Target::Pod { sandbox, name } => {
            let pod = sandbox.pods().get_opt(name).await?;
            return Ok(pod.filter(|p| ready(p)).map(|_| name.clone()));
        }
        Target::Name(name) => name,
    };
    let (namespace, service) = crate::check::cluster_dns::service_of(to, &from.namespace)
        .unwrap_or((from.namespace.clone(), to.to_string()));
    let services: Api<Service> = Api::namespaced(from.client.clone(), &namespace);
    let Some(selector) = services
        .get_opt(&service)
        .await?
        .and_then(|s| s.spec)
        .and_then(|s| s.selector)
    else {
        return Ok(None);
    };
    let labels: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let pods: Api<Pod> = Api::namespaced(from.client.clone(), &namespace);
    let list = pods
        .list(&ListParams::default().labels(&labels.join(",")))
        .await?;
    if list.items.is_empty() || !list.items.iter().all(ready) {
        return Ok(None);
    }
    Ok(Some(
        list.items
            .iter()
            .filter_map(|p| p.metadata.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(from: &str) -> Key {
        (from.into(), "db-pod".into(), 6379)
    }

    #[test]
    fn blocked_waits_only_when_the_step_may_not_be_in_effect_yet() {
        let mut seen = Connections::default();
        // Nothing applied (grading a learner's namespace): no wait.
        assert_eq!(seen.blocked_wait(&k("api-pod")), Duration::ZERO);
        seen.saw(k("api-pod"), true);
        seen.saw(k("external-pod"), true);
        // deny-all: both were open before it, a blocked probe shows the change itself.
        seen.step_applied();
        assert_eq!(seen.blocked_wait(&k("api-pod")), Duration::ZERO);
        seen.saw(k("api-pod"), false);
        seen.saw(k("external-pod"), false);
        // allow-api: external-pod was blocked before; blocked now may be the old state.
        seen.step_applied();
        let wait = seen.blocked_wait(&k("external-pod"));
        assert!(wait > SETTLE_POLICY - Duration::from_secs(1), "{wait:?}");
        // Until api-pod is seen open: the step's policy is in effect.
        seen.saw(k("api-pod"), false);
        assert!(seen.blocked_wait(&k("external-pod")) > Duration::ZERO);
        seen.saw(k("api-pod"), true);
        assert_eq!(seen.blocked_wait(&k("external-pod")), Duration::ZERO);
        assert!(seen.ever_open.contains(&k("external-pod")));
        // A connection never probed before the step waits too.
        seen.step_applied();
        assert!(seen.blocked_wait(&k("new-pod")) > Duration::ZERO);
    }

    #[test]
    fn an_observation_older_than_the_previous_step_proves_nothing() {
        let mut seen = Connections::default();
        // Baseline: open.
        seen.saw(k("external-pod"), true);
        // Deny step: not probed.
        seen.step_applied();
        seen.saw(k("api-pod"), false);
        // Allow step: "blocked" may be the deny step's policy still enforced.
        seen.step_applied();
        assert!(seen.blocked_wait(&k("external-pod")) > Duration::ZERO);
        assert!(seen.ever_open.contains(&k("external-pod")));
    }

    #[test]
    fn open_waits_only_when_it_was_open_before_the_step() {
        let mut seen = Connections::default();
        assert_eq!(seen.open_wait(&k("api-pod")), Duration::ZERO);
        seen.saw(k("api-pod"), false);
        seen.saw(k("external-pod"), true);
        seen.step_applied();
        // Blocked before: open now shows the step's change itself.
        assert_eq!(seen.open_wait(&k("api-pod")), Duration::ZERO);
        // Never probed: trusted, as before.
        assert_eq!(seen.open_wait(&k("new-pod")), Duration::ZERO);
        // Open before: open now may be the previous policies still enforced.
        assert!(seen.open_wait(&k("external-pod")) > SETTLE_POLICY - Duration::from_secs(1));
        // Until some connection of the step is seen changed.
        seen.saw(k("api-pod"), true);
        assert_eq!(seen.open_wait(&k("external-pod")), Duration::ZERO);
    }

    #[test]
    fn a_slow_enforcer_seen_earlier_in_the_run_makes_ambiguous_waits_longer() {
        let mut seen = Connections::default();
        seen.saw(k("api-pod"), true);
        seen.step_applied();
        // The step's change shows 4 s after the apply (an enforcer under load).
        seen.applied_at = Some(Instant::now() - Duration::from_secs(4));
        seen.saw(k("api-pod"), false);
        assert!(seen.slowest_change >= Duration::from_secs(4));
        seen.step_applied();
        let wait = seen.blocked_wait(&k("api-pod"));
        assert!(wait > Duration::from_secs(5), "{wait:?}");
        assert!(wait <= BOUND);
    }
}
