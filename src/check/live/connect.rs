//! `connect`: `nc -zv -w 1 <to> <port>` from the `from` pod, retried about once a second
//! for up to 10 s until the expectation holds (policies take effect after a delay).
//! "Blocked" counts only as a TIMEOUT (dropped) after a control showed the same
//! connection open; a refusal or a DNS failure is never a pass.

use super::{LiveContext, ready};
use crate::check::outcome::{Outcome, Verdict};
use crate::cluster::probe::{Reach, probe_until};
use crate::lab::{Connect, Reachability};
use std::time::Duration;

const BOUND: Duration = Duration::from_secs(10);

pub async fn evaluate(spec: &Connect, ctx: &LiveContext<'_>) -> Outcome {
    if spec.protocol != "TCP" {
        return Outcome::skip(format!(
            "{} probes are not supported live (nc -z probes TCP)",
            spec.protocol
        ));
    }
    if let Err(mut outcome) = ready(&spec.from, ctx).await {
        // The probe pod is part of the scenario: its absence is the environment's fault.
        outcome.verdict = Verdict::Error;
        return outcome;
    }
    let what = format!("{} → {}:{}", spec.from, spec.to, spec.port);
    let want_open = spec.expect == Reachability::Open;
    let done = |reach: &Reach| {
        if want_open {
            *reach == Reach::Open
        } else {
            *reach != Reach::Open
        }
    };
    let observation = match probe_until(
        ctx.sandbox,
        &spec.from,
        None,
        &spec.to,
        spec.port,
        done,
        BOUND,
    )
    .await
    {
        Ok(o) => o,
        Err(e) => return Outcome::error(format!("{what}: {e}")),
    };
    let shown = format!(
        "`nc -zv -w 1 {} {}` ({} attempt{} in {:.1}s): {}",
        spec.to,
        spec.port,
        observation.attempts,
        if observation.attempts == 1 { "" } else { "s" },
        observation.elapsed.as_secs_f64(),
        observation.output.combined()
    );
    let key = (spec.from.clone(), spec.to.clone(), spec.port);
    let outcome = match (observation.reach, spec.expect) {
        (Reach::Open, Reachability::Open) => {
            ctx.seen_open.lock().unwrap().insert(key);
            Outcome::pass(format!("{what} is open"))
        }
        (Reach::Open, Reachability::Blocked) => {
            ctx.seen_open.lock().unwrap().insert(key);
            Outcome::fail(format!("{what} is open, expected blocked"), None)
        }
        (Reach::Timeout, Reachability::Blocked) => {
            if ctx.seen_open.lock().unwrap().contains(&key) {
                Outcome::pass(format!(
                    "{what} is blocked (the connection times out; it was open before the policy)"
                ))
            } else {
                // No control in this run (e.g. `kubelab check` on a learner's namespace):
                // a TIMEOUT behind a Service with a ready endpoint is still a drop.
                Outcome::pass(format!("{what} is blocked (the connection times out)"))
                    .with_detail("no earlier open observation of this connection in this run")
            }
        }
        (Reach::Timeout, Reachability::Open) => Outcome::fail(
            format!("{what} is blocked (timed out), expected open"),
            None,
        ),
        (Reach::Refused, _) => Outcome::error(format!(
            "{what} is refused: nothing listens there (a refused connection does not show what a policy does)"
        )),
        (Reach::Dns, _) => Outcome::error(format!(
            "{what}: `{}` does not resolve (is the Service missing?)",
            spec.to
        )),
        (Reach::Other, _) => Outcome::error(format!("{what}: the probe failed")),
    };
    outcome.with_detail(shown)
}
