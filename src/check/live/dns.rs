//! `dns`: `nslookup <name>` in the `from` pod through the cluster's own DNS, retried a few
//! times a second until the expectation holds or the bound passes (policies take effect
//! after a delay; a loaded machine answers late), each lookup bounded by
//! [`crate::cluster::dns::LOOKUP`] (a dropping enforcer makes a blocked lookup wait for
//! the resolver's timeouts).
//!
//! "Fails" counts only when the failure can be the learner's policy: the same lookup
//! answered earlier in this run (the control), or an egress policy of the namespace
//! selects the pod. A lookup that gets no answer without either, or an NXDOMAIN (the name
//! does not exist: the lab's mistake), is an environment error.

use super::connect::{Key, egress_isolating, observe, settle, was_open};
use super::{LiveContext, started};
use crate::check::outcome::{Outcome, Verdict};
use crate::cluster::dns::{Lookup, lookup_until};
use crate::lab::{Dns, Resolution};
use std::time::Duration;

/// As for `connect`: kube-router was seen taking 8–10 s to apply a policy under load.
const BOUND: Duration = Duration::from_secs(20);

fn key(spec: &Dns) -> Key {
    (spec.from.clone(), format!("dns {}", spec.name), 53)
}

pub async fn evaluate(spec: &Dns, ctx: &LiveContext<'_>) -> Outcome {
    if let Err(mut outcome) = started(&spec.from, ctx).await {
        // The probe pod is part of the scenario: its absence is the environment's fault.
        outcome.verdict = Verdict::Error;
        return outcome;
    }
    let what = crate::msg!("check-dns-lookup", from = &spec.from, name = &spec.name);
    let want = spec.expect;
    settle(ctx, &key(spec), want == Resolution::Resolves).await;
    let done = |lookup: Lookup| match want {
        Resolution::Resolves => lookup == Lookup::Resolved,
        Resolution::Fails => lookup != Lookup::Resolved,
    };
    let (sandbox, from) = ctx.pod(&spec.from);
    let name = ctx.dns_name(&spec.name);
    let observation = match lookup_until(&sandbox, &from, &name, done, BOUND).await {
        Ok(o) => o,
        Err(e) => {
            return Outcome::error(crate::msg!(
                "check-dns-error",
                what = what,
                error = e.to_string()
            ));
        }
    };
    let shown = crate::msg!(
        "check-nslookup-shown",
        name = &spec.name,
        attempts = observation.attempts,
        seconds = format!("{:.1}", observation.elapsed.as_secs_f64()),
        output = observation.output.combined()
    );
    let resolved = observation.value == Lookup::Resolved;
    let answered_before = was_open(ctx, &key(spec));
    if matches!(observation.value, Lookup::Resolved | Lookup::NoAnswer) {
        observe(ctx, key(spec), resolved);
    }
    let outcome = match observation.value {
        Lookup::Resolved => match want {
            Resolution::Resolves => Outcome::pass(crate::msg!(
                "check-dns-resolves",
                what = what,
                explanation = crate::msg!("check-dns-answered")
            )),
            Resolution::Fails => Outcome::fail(
                crate::msg!(
                    "check-dns-resolves-expected-fails",
                    what = what,
                    explanation = crate::msg!("check-dns-answered")
                ),
                None,
            ),
        },
        Lookup::NoSuchName => {
            Outcome::error(crate::msg!("check-dns-unknown-name", name = &spec.name))
        }
        Lookup::Undecided => Outcome::error(crate::msg!(
            "check-dns-undecided",
            what = what,
            seconds = BOUND.as_secs()
        )),
        Lookup::NoAnswer => {
            let isolating = match egress_isolating(ctx, &spec.from).await {
                Ok(names) => names,
                Err(e) => {
                    return Outcome::error(crate::msg!(
                        "check-dns-error",
                        what = what,
                        error = e.to_string()
                    ))
                    .with_detail(shown);
                }
            };
            if isolating.is_empty() && !answered_before {
                Outcome::error(crate::msg!("check-dns-no-answer", what = what))
            } else {
                let explanation = if isolating.is_empty() {
                    crate::msg!("check-control-open-earlier")
                } else {
                    crate::msg!(
                        "check-dns-blocked-by",
                        pod = &spec.from,
                        policies = isolating.join(", ")
                    )
                };
                match want {
                    Resolution::Fails => Outcome::pass(crate::msg!(
                        "check-dns-fails",
                        what = what,
                        explanation = explanation
                    )),
                    Resolution::Resolves => Outcome::fail(
                        crate::msg!(
                            "check-dns-fails-expected-resolves",
                            what = what,
                            explanation = explanation
                        ),
                        None,
                    ),
                }
            }
        }
    };
    outcome.with_detail(shown)
}
