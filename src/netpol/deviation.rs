//! Known NetworkPolicy enforcers' departures from the API's semantics, listed in one
//! place. Each is a rewrite of the policies into what that enforcer actually enforces;
//! when a probe's API verdict is `Denied` but the rewritten policies allow it, a live
//! probe that finds the connection open is the enforcer's deviation, not the learner's
//! success: the check's verdict follows the API, with a note naming the deviation and
//! what the cluster did (`grade::live`).

use super::{Decision, PodInfo, Probe, Verdict, World};
use crate::i18n::Message;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// One known deviation of an enforcer.
#[derive(Debug)]
pub struct Deviation {
    /// A stable id, e.g. `kube-router-unresolved-named-port`.
    pub id: &'static str,
    /// The enforcer and versions it was seen on (see [`Deviation::enforcer`]).
    enforcer: fn() -> Message,
    /// What the enforcer does instead, and where in its source (see
    /// [`Deviation::description`]).
    description: fn() -> Message,
    /// The policies as the enforcer enforces them for a connection to `dest`.
    rewrite: fn(&World, &PodInfo) -> Option<World>,
}

impl Deviation {
    /// The enforcer and versions it was seen on.
    pub fn enforcer(&self) -> Message {
        (self.enforcer)()
    }

    /// What the enforcer does instead, and where in its source.
    pub fn description(&self) -> Message {
        (self.description)()
    }
}

/// kube-router (v2.x; k3s embeds it): an ingress rule whose `ports` are all named ports
/// that no container of the destination declares gets an empty list of ports, which
/// kube-router treats as a rule without ports — every port.
pub const KUBE_ROUTER_UNRESOLVED_NAMED_PORT: Deviation = Deviation {
    id: "kube-router-unresolved-named-port",
    enforcer: || crate::msg!("netpol-deviation-kube-router-enforcer"),
    description: || crate::msg!("netpol-deviation-kube-router-unresolved-named-port"),
    rewrite: kube_router_unresolved_named_port,
};

/// Cilium (v1.20; `pkg/k8s/network_policy.go`, `ParseNetworkPolicy`): the `egress`
/// (and `ingress`) rules of a NetworkPolicy are enforced whatever its `policyTypes` say
/// — every rule is parsed and marked default-deny — whereas the API ignores the rules of
/// a direction `policyTypes` leaves out. A policy with `policyTypes: [Ingress]` and
/// egress rules is, on Cilium, also an egress policy.
pub const CILIUM_RULES_OUTSIDE_POLICY_TYPES: Deviation = Deviation {
    id: "cilium-rules-outside-policy-types",
    enforcer: || crate::msg!("netpol-deviation-cilium-enforcer"),
    description: || crate::msg!("netpol-deviation-cilium-rules-outside-policy-types"),
    rewrite: cilium_rules_outside_policy_types,
};

/// Every known deviation.
pub const KNOWN: &[&Deviation] = &[
    &KUBE_ROUTER_UNRESOLVED_NAMED_PORT,
    &CILIUM_RULES_OUTSIDE_POLICY_TYPES,
];

fn cilium_rules_outside_policy_types(world: &World, _dest: &PodInfo) -> Option<World> {
    let mut changed = false;
    let mut rewritten = world.clone();
    for policy in &mut rewritten.policies {
        let spec = &mut policy.spec;
        let Some(types) = spec.policy_types.as_mut() else {
            continue;
        };
        for (direction, has_rules) in [
            (
                "Egress",
                spec.egress.as_ref().is_some_and(|r| !r.is_empty()),
            ),
            (
                "Ingress",
                spec.ingress.as_ref().is_some_and(|r| !r.is_empty()),
            ),
        ] {
            if has_rules && !types.iter().any(|t| t == direction) {
                types.push(direction.to_string());
                changed = true;
            }
        }
    }
    changed.then_some(rewritten)
}

/// The known deviation under which every probe of `probes` (a name lookup and then the
/// connection, say) is allowed by the enforcer while the API denies at least one;
/// `None` when the API allows them all or no known deviation opens them all.
pub fn explaining_all_open(world: &World, probes: &[Probe<'_>]) -> Option<&'static Deviation> {
    let allowed = |w: &World, p: &Probe<'_>| super::evaluate(w, p).verdict == Verdict::Allowed;
    if probes.iter().all(|p| allowed(world, p)) {
        return None;
    }
    KNOWN.iter().copied().find(|deviation| {
        probes
            .iter()
            .all(|p| match (deviation.rewrite)(world, p.to) {
                Some(rewritten) => allowed(&rewritten, p),
                None => allowed(world, p),
            })
    })
}

fn kube_router_unresolved_named_port(world: &World, dest: &PodInfo) -> Option<World> {
    let mut changed = false;
    let mut rewritten = world.clone();
    for policy in &mut rewritten.policies {
        for rule in policy.spec.ingress.iter_mut().flatten() {
            let Some(ports) = &rule.ports else { continue };
            let all_unresolved = !ports.is_empty()
                && ports.iter().all(|p| match &p.port {
                    Some(IntOrString::String(name)) => {
                        !dest.ports.iter().any(|cp| cp.name.as_deref() == Some(name))
                    }
                    _ => false,
                });
            if all_unresolved {
                rule.ports = None;
                changed = true;
            }
        }
    }
    changed.then_some(rewritten)
}

/// The known deviation under which `probe`, denied by the API (`decision`), would be
/// allowed by the enforcer; `None` when the API's verdict is not `Denied` or no known
/// deviation changes it.
pub fn explaining_open(
    world: &World,
    probe: &Probe<'_>,
    decision: &Decision,
) -> Option<&'static Deviation> {
    if decision.verdict != Verdict::Denied {
        return None;
    }
    KNOWN.iter().copied().find(|deviation| {
        (deviation.rewrite)(world, probe.to)
            .is_some_and(|w| super::evaluate(&w, probe).verdict == Verdict::Allowed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpol::ContainerPort;
    use crate::netpol::test_support::{find, lab_world, policy, probe};
    use serde_json::json;

    fn world(container_port_name: Option<&str>, rule_port: serde_json::Value) -> World {
        let mut w = lab_world();
        w.pods[0].ports = vec![ContainerPort {
            name: container_port_name.map(str::to_string),
            port: 6379,
            protocol: "TCP".into(),
        }];
        w.policies.push(policy(
            "allow-redis",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"ports": [{"port": rule_port}]}]
            }),
        ));
        w
    }

    fn deviation_of(w: &World) -> Option<&'static str> {
        let p = probe(w, "api-pod", "db-pod", 6379, "TCP");
        let decision = crate::netpol::evaluate(w, &p);
        explaining_open(w, &p, &decision).map(|d| d.id)
    }

    #[test]
    fn every_deviation_is_described_in_both_languages() {
        for deviation in KNOWN {
            for lang in crate::i18n::Lang::ALL {
                for text in [deviation.enforcer(), deviation.description()] {
                    let text = text.render(lang);
                    assert!(!text.contains('⟦'), "{}: {text}", deviation.id);
                }
            }
        }
    }

    #[test]
    fn an_unresolved_named_port_is_kube_routers_all_ports() {
        assert_eq!(
            deviation_of(&world(None, json!("redis"))),
            Some("kube-router-unresolved-named-port")
        );
    }

    #[test]
    fn resolved_named_ports_and_numbers_are_not_deviations() {
        // allowed by the API: nothing to explain
        assert_eq!(deviation_of(&world(Some("redis"), json!("redis"))), None);
        // a numeric port that does not match is blocked everywhere
        assert_eq!(deviation_of(&world(None, json!(6380))), None);
        let w = world(None, json!("redis"));
        assert!(find(&w, "db-pod").ports[0].name.is_none());
    }

    #[test]
    fn egress_rules_under_ingress_only_policy_types_are_ciliums() {
        let mut w = lab_world();
        w.policies.push(policy(
            "api-deny-egress",
            "default",
            json!({"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"]}),
        ));
        w.policies.push(policy(
            "api-allow-egress",
            "default",
            json!({
                "podSelector": {"matchLabels": {"app": "api"}},
                "policyTypes": ["Ingress"],
                "egress": [{"to": [{"podSelector": {"matchLabels": {"role": "db"}}}]}]
            }),
        ));
        let p = probe(&w, "api-pod", "db-pod", 6379, "TCP");
        let decision = crate::netpol::evaluate(&w, &p);
        assert_eq!(
            decision.verdict,
            Verdict::Denied,
            "the API ignores the rule"
        );
        assert_eq!(
            explaining_open(&w, &p, &decision).map(|d| d.id),
            Some("cilium-rules-outside-policy-types")
        );
        assert_eq!(
            explaining_all_open(&w, &[p]).map(|d| d.id),
            Some("cilium-rules-outside-policy-types")
        );
        // With Egress among its policyTypes the rule counts for the API too: no deviation.
        w.policies[1].spec.policy_types = Some(vec!["Ingress".into(), "Egress".into()]);
        let p = probe(&w, "api-pod", "db-pod", 6379, "TCP");
        assert!(explaining_all_open(&w, &[p]).is_none());
    }
}
