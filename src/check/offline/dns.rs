//! `dns`: `nslookup <name>` from a pod, decided by the NetworkPolicy engine: the lookup
//! is a UDP query to the cluster DNS pods on port 53 (see [`crate::check::cluster_dns`]),
//! so it is answered when the source's egress policies allow that (the DNS pods'
//! ingress is open: nothing in `kube-system` is the lab's to isolate). TCP 53 plays no
//! part: busybox's `nslookup` asks over UDP and its answers fit, as the test cluster
//! shows with a policy that allows UDP 53 only.

use super::connect::{dns_blocked, dns_details, dns_location, network};
use crate::check::cluster_dns;
use crate::check::outcome::Outcome;
use crate::check::world::World;
use crate::lab::{Dns, Resolution};
use crate::manifest::FieldPath;
use crate::netpol;

pub fn evaluate(spec: &Dns, world: &World<'_>) -> Outcome {
    let mut net = network(world);
    cluster_dns::add_to(&mut net);
    let Some(from) = net
        .pods
        .iter()
        .find(|p| p.name == spec.from && p.namespace == world.namespace)
    else {
        if let Some(rejected) = world.rejected("Pod", &spec.from) {
            return rejected;
        }
        return Outcome::error(crate::msg!("check-probe-pod-missing", pod = &spec.from));
    };
    let known = cluster_dns::service_of(&spec.name, world.namespace).is_some_and(|(ns, svc)| {
        cluster_dns::is_builtin_service(&ns, &svc)
            || (ns == world.namespace && world.get("Service", &svc).is_some())
    });
    if !known {
        return Outcome::error(crate::msg!("check-dns-unknown-name", name = &spec.name));
    }
    let what = crate::msg!("check-dns-lookup", from = &spec.from, name = &spec.name);
    match dns_blocked(&net, from) {
        Some(blocked) => {
            let explanation = blocked.explain();
            match spec.expect {
                Resolution::Fails => Outcome::pass(crate::msg!(
                    "check-dns-fails",
                    what = what,
                    explanation = explanation
                )),
                Resolution::Resolves => {
                    let mut outcome = Outcome::fail(
                        crate::msg!(
                            "check-dns-fails-expected-resolves",
                            what = what,
                            explanation = explanation
                        ),
                        dns_location(&blocked, world),
                    );
                    outcome.details.extend(dns_details(world));
                    outcome
                }
            }
        }
        None => {
            let dns = net
                .pods
                .iter()
                .find(|p| p.namespace == cluster_dns::NAMESPACE)
                .expect("the cluster DNS pod was added");
            let decision = netpol::evaluate(
                &net,
                &netpol::Probe {
                    from,
                    to: dns,
                    port: cluster_dns::PORT,
                    protocol: "UDP".to_string(),
                },
            );
            if decision.verdict == netpol::Verdict::ImplementationDefined {
                return Outcome::skip(crate::msg!(
                    "check-dns-plugin-defined",
                    what = what,
                    explanation = decision.explain()
                ));
            }
            let explanation = decision.explain();
            match spec.expect {
                Resolution::Resolves => Outcome::pass(crate::msg!(
                    "check-dns-resolves",
                    what = what,
                    explanation = explanation
                )),
                Resolution::Fails => {
                    // The rule that lets the lookup out, or the policy that should
                    // isolate the source's egress.
                    let location = decision
                        .egress
                        .allowed_by
                        .first()
                        .and_then(|rule| {
                            world
                                .get("NetworkPolicy", &rule.policy)
                                .map(|o| o.locate(&FieldPath::parse(&rule.path)))
                        })
                        .or_else(|| {
                            world
                                .of_kind("NetworkPolicy")
                                .next()
                                .map(|o| o.locate(&FieldPath::parse("spec.policyTypes")))
                        });
                    Outcome::fail(
                        crate::msg!(
                            "check-dns-resolves-expected-fails",
                            what = what,
                            explanation = explanation
                        ),
                        location,
                    )
                }
            }
        }
    }
}
