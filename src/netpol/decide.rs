//! The decision: isolation per direction, rule matching, and combining both ends.

use super::peer::{PeerMatch, describe_peers, peers_match};
use super::port::{describe_ports, ports_match};
use super::selector::selector_matches;
use super::{Decision, PodInfo, Policy, Probe, RuleRef, Side, Verdict, World};
use k8s_openapi::api::networking::v1::{NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

/// Effective `(ingress, egress)` policy types: explicit `policyTypes` as given; when
/// missing (or empty) `Ingress`, plus `Egress` only if `egress` is a non-empty list.
pub(crate) fn policy_types(spec: &NetworkPolicySpec) -> (bool, bool) {
    match spec.policy_types.as_deref() {
        Some(types) if !types.is_empty() => (
            types.iter().any(|t| t == "Ingress"),
            types.iter().any(|t| t == "Egress"),
        ),
        _ => (true, spec.egress.as_ref().is_some_and(|e| !e.is_empty())),
    }
}

fn applies(policy: &Policy, dir: Direction) -> bool {
    let (ingress, egress) = policy_types(&policy.spec);
    match dir {
        Direction::Ingress => ingress,
        Direction::Egress => egress,
    }
}

/// Whether the policy's `podSelector` (absent or `{}` = all) selects `pod` in its namespace.
pub(crate) fn selects(policy: &Policy, pod: &PodInfo) -> bool {
    policy.namespace == pod.namespace
        && policy
            .spec
            .pod_selector
            .as_ref()
            .is_none_or(|s| selector_matches(s, &pod.labels))
}

type Rule<'p> = (
    Option<&'p [NetworkPolicyPeer]>,
    Option<&'p [NetworkPolicyPort]>,
);

fn rules(spec: &NetworkPolicySpec, dir: Direction) -> Vec<Rule<'_>> {
    match dir {
        Direction::Ingress => spec
            .ingress
            .iter()
            .flatten()
            .map(|r| (r.from.as_deref(), r.ports.as_deref()))
            .collect(),
        Direction::Egress => spec
            .egress
            .iter()
            .flatten()
            .map(|r| (r.to.as_deref(), r.ports.as_deref()))
            .collect(),
    }
}

pub(crate) fn evaluate(world: &World, probe: &Probe<'_>) -> Decision {
    let protocol = probe.protocol.to_ascii_uppercase();
    let same_namespace = probe.from.namespace == probe.to.namespace;
    let display = |p: &PodInfo| {
        // A name with its namespace already (a lab role's pod, `<role>/<name>`) is kept.
        if same_namespace || p.name.contains('/') {
            p.name.clone()
        } else {
            format!("{}/{}", p.namespace, p.name)
        }
    };
    let from = display(probe.from);
    let to = display(probe.to);
    let mut egress = side(world, probe, &protocol, Direction::Egress, &from, &to);
    let mut ingress = side(world, probe, &protocol, Direction::Ingress, &to, &from);

    for (host, name) in [(probe.from, &from), (probe.to, &to)] {
        if !host.host_network {
            continue;
        }
        for s in [&mut egress, &mut ingress] {
            if s.verdict == Verdict::Denied {
                let namespace = if s.direction == "ingress" {
                    &probe.to.namespace
                } else {
                    &probe.from.namespace
                };
                s.implementation_defined.push((
                    RuleRef {
                        policy: s.selected_by[0].clone(),
                        namespace: namespace.clone(),
                        path: "spec.podSelector".to_string(),
                    },
                    crate::msg!("netpol-maybe-host-network", pod = name.as_str()),
                ));
                s.verdict = Verdict::ImplementationDefined;
            }
        }
    }

    let verdict = match (egress.verdict, ingress.verdict) {
        (Verdict::Denied, _) | (_, Verdict::Denied) => Verdict::Denied,
        (Verdict::ImplementationDefined, _) | (_, Verdict::ImplementationDefined) => {
            Verdict::ImplementationDefined
        }
        _ => Verdict::Allowed,
    };
    Decision {
        egress,
        ingress,
        verdict,
        from,
        to,
        port: probe.port,
        protocol,
    }
}

/// One direction at `subject` (the destination for ingress, the source for egress).
fn side(
    world: &World,
    probe: &Probe<'_>,
    protocol: &str,
    dir: Direction,
    subject_name: &str,
    other_name: &str,
) -> Side {
    let (subject, other) = match dir {
        Direction::Ingress => (probe.to, probe.from),
        Direction::Egress => (probe.from, probe.to),
    };
    let selecting: Vec<&Policy> = world
        .policies
        .iter()
        .filter(|p| applies(p, dir) && selects(p, subject))
        .collect();
    let mut side = Side {
        selected_by: selecting.iter().map(|p| p.name.clone()).collect(),
        allowed_by: vec![],
        implementation_defined: vec![],
        verdict: Verdict::Allowed,
        direction: dir.as_str().to_string(),
        pod: subject_name.to_string(),
        allow_reasons: vec![],
        near_misses: vec![],
    };
    if selecting.is_empty() {
        return side;
    }
    let preposition = match dir {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    };
    for policy in selecting {
        for (i, (peers, ports)) in rules(&policy.spec, dir).into_iter().enumerate() {
            let rule = RuleRef {
                policy: policy.name.clone(),
                namespace: policy.namespace.clone(),
                path: format!("spec.{}[{i}]", dir.as_str()),
            };
            let port_ok = ports_match(ports, probe.to, probe.port, protocol);
            let peer = peers_match(peers, &policy.namespace, other, world);
            match (peer, port_ok) {
                (PeerMatch::Yes, true) => {
                    let reason = crate::msg!(
                        "netpol-rule-allows",
                        peers = describe_peers(peers, &policy.namespace),
                        ports = describe_ports(ports, probe.to, " ")
                    );
                    side.allowed_by.push(rule.clone());
                    side.allow_reasons.push((rule, reason));
                }
                (PeerMatch::Maybe(reason), true) => {
                    side.implementation_defined.push((rule, reason));
                }
                (peer @ (PeerMatch::Yes | PeerMatch::Maybe(_)), false) => {
                    let text = crate::msg!(
                        "netpol-near-miss-port",
                        rule = rule.path.as_str(),
                        policy = rule.policy.as_str(),
                        certain = if peer == PeerMatch::Yes {
                            "yes"
                        } else {
                            "maybe"
                        },
                        direction = dir.as_str(),
                        other = other_name,
                        ports = describe_ports(ports, probe.to, "/")
                    );
                    // Point at the part of the rule that does not match.
                    let at = RuleRef {
                        path: format!("{}.ports", rule.path),
                        ..rule
                    };
                    side.near_misses.push((at, text));
                }
                (PeerMatch::No, true) => {
                    let text = crate::msg!(
                        "netpol-near-miss-peer",
                        rule = rule.path.as_str(),
                        policy = rule.policy.as_str(),
                        protocol = protocol,
                        port = probe.port.to_string(),
                        direction = dir.as_str(),
                        peers = describe_peers(peers, &policy.namespace)
                    );
                    let at = RuleRef {
                        path: format!("{}.{preposition}", rule.path),
                        ..rule
                    };
                    side.near_misses.push((at, text));
                }
                (PeerMatch::No, false) => {}
            }
        }
    }
    side.verdict = if !side.allowed_by.is_empty() {
        Verdict::Allowed
    } else if !side.implementation_defined.is_empty() {
        Verdict::ImplementationDefined
    } else {
        Verdict::Denied
    };
    side
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpol::test_support::{
        api_allow_to_db, db_deny_ingress, lab_world, namespace, pod, policy, probe,
    };
    use crate::netpol::{ContainerPort, evaluate};
    use rstest::rstest;
    use serde_json::json;

    fn verdict(world: &World, from: &str, to: &str, port: i32, protocol: &str) -> Verdict {
        evaluate(world, &probe(world, from, to, port, protocol)).verdict
    }

    #[rstest]
    #[case::types_missing_no_egress(json!({"podSelector": {}}), (true, false))]
    #[case::types_missing_empty_egress(json!({"podSelector": {}, "egress": []}), (true, false))]
    #[case::types_missing_egress_rules(json!({"podSelector": {}, "egress": [{}]}), (true, true))]
    #[case::types_explicit_egress(json!({"podSelector": {}, "policyTypes": ["Egress"], "ingress": [{}]}), (false, true))]
    #[case::types_explicit_both(json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}), (true, true))]
    #[case::types_explicit_empty_defaults(json!({"podSelector": {}, "policyTypes": []}), (true, false))]
    fn policy_type_defaulting(#[case] spec: serde_json::Value, #[case] expected: (bool, bool)) {
        let p = policy("p", "default", spec);
        assert_eq!(policy_types(&p.spec), expected);
    }

    #[test]
    fn seed_baseline_all_open() {
        let w = lab_world();
        for (from, to) in [
            ("api-pod", "db-pod"),
            ("external-pod", "db-pod"),
            ("db-pod", "api-pod"),
        ] {
            let d = evaluate(&w, &probe(&w, from, to, 6379, "TCP"));
            assert_eq!(d.verdict, Verdict::Allowed, "{from} -> {to}");
            assert!(d.ingress.selected_by.is_empty() && d.egress.selected_by.is_empty());
        }
    }

    #[test]
    fn seed_after_deny() {
        let mut w = lab_world();
        w.policies.push(db_deny_ingress());
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        assert_eq!(
            verdict(&w, "external-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        // Only db-pod's ingress is isolated: its own connections out still work.
        assert_eq!(
            verdict(&w, "db-pod", "api-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "api-pod", "external-pod", 80, "TCP"),
            Verdict::Allowed
        );
        let d = evaluate(&w, &probe(&w, "api-pod", "db-pod", 6379, "TCP"));
        assert_eq!(d.ingress.selected_by, vec!["db-deny-ingress"]);
        assert_eq!(d.ingress.verdict, Verdict::Denied);
        assert_eq!(d.egress.verdict, Verdict::Allowed);
    }

    #[test]
    fn seed_after_allow() {
        let mut w = lab_world();
        w.policies.push(db_deny_ingress());
        w.policies.push(api_allow_to_db());
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6380, "TCP"),
            Verdict::Denied
        );
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "UDP"),
            Verdict::Denied
        );
        assert_eq!(
            verdict(&w, "external-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        assert_eq!(
            verdict(&w, "db-pod", "api-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        let d = evaluate(&w, &probe(&w, "api-pod", "db-pod", 6379, "tcp"));
        assert_eq!(
            d.verdict,
            Verdict::Allowed,
            "probe protocol is case-insensitive"
        );
        assert_eq!(
            d.ingress.allowed_by,
            vec![RuleRef {
                policy: "api-allow-to-db".into(),
                namespace: "default".into(),
                path: "spec.ingress[0]".into()
            }]
        );
        assert_eq!(
            d.ingress.selected_by,
            vec!["db-deny-ingress", "api-allow-to-db"]
        );
    }

    #[test]
    fn match_expressions_in_equals_match_labels() {
        let with_expr = policy(
            "allow",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"from": [{"podSelector": {"matchExpressions": [
                    {"key": "app", "operator": "In", "values": ["api"]}
                ]}}]}]
            }),
        );
        let with_labels = policy(
            "allow",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "api"}}}]}]
            }),
        );
        let mut a = lab_world();
        a.policies.push(with_expr);
        let mut b = lab_world();
        b.policies.push(with_labels);
        for from in ["api-pod", "external-pod"] {
            assert_eq!(
                verdict(&a, from, "db-pod", 6379, "TCP"),
                verdict(&b, from, "db-pod", 6379, "TCP"),
                "{from}"
            );
        }
        assert_eq!(
            verdict(&a, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&a, "external-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
    }

    #[test]
    fn not_in_with_absent_key_selects_pod() {
        // db-pod has no `app` label: `app NotIn [api]` selects it, so it gets isolated.
        let mut w = lab_world();
        w.policies.push(policy(
            "iso",
            "default",
            json!({"podSelector": {"matchExpressions": [
                {"key": "app", "operator": "NotIn", "values": ["api"]}
            ]}}),
        ));
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        assert_eq!(
            verdict(&w, "external-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        // app=api is not selected: it stays open.
        assert_eq!(
            verdict(&w, "db-pod", "api-pod", 80, "TCP"),
            Verdict::Allowed
        );
    }

    fn named_port_world(container_port_name: Option<&str>) -> World {
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
                "ingress": [{"ports": [{"port": "redis"}]}]
            }),
        ));
        w
    }

    #[test]
    fn named_port_against_unnamed_container_port_does_not_match() {
        let w = named_port_world(None);
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
    }

    #[test]
    fn named_port_against_named_container_port_matches() {
        let w = named_port_world(Some("redis"));
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6380, "TCP"),
            Verdict::Denied
        );
    }

    #[test]
    fn named_port_in_egress_resolves_on_destination() {
        let mut w = named_port_world(Some("redis"));
        w.policies = vec![policy(
            "api-egress",
            "default",
            json!({
                "podSelector": {"matchLabels": {"app": "api"}},
                "policyTypes": ["Egress"],
                "egress": [{"ports": [{"port": "redis"}]}]
            }),
        )];
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        // external-pod declares no `redis` port.
        assert_eq!(
            verdict(&w, "api-pod", "external-pod", 6379, "TCP"),
            Verdict::Denied
        );
    }

    #[test]
    fn udp_policy_does_not_allow_tcp() {
        let mut w = lab_world();
        w.policies.push(policy(
            "udp",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"ports": [{"protocol": "UDP", "port": 6379}]}]
            }),
        ));
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "UDP"),
            Verdict::Allowed
        );
    }

    #[test]
    fn egress_only_policy_with_empty_egress_blocks_source() {
        let mut w = lab_world();
        w.policies.push(policy(
            "api-no-egress",
            "default",
            json!({
                "podSelector": {"matchLabels": {"app": "api"}},
                "policyTypes": ["Egress"],
                "egress": []
            }),
        ));
        let d = evaluate(&w, &probe(&w, "api-pod", "db-pod", 6379, "TCP"));
        assert_eq!(d.verdict, Verdict::Denied);
        assert_eq!(d.egress.verdict, Verdict::Denied);
        assert_eq!(d.ingress.verdict, Verdict::Allowed);
        // Egress-only: api-pod still accepts ingress.
        assert_eq!(
            verdict(&w, "db-pod", "api-pod", 80, "TCP"),
            Verdict::Allowed
        );
    }

    #[test]
    fn missing_policy_types_with_empty_egress_is_ingress_only() {
        let mut w = lab_world();
        w.policies.push(policy(
            "p",
            "default",
            json!({"podSelector": {"matchLabels": {"app": "api"}}, "ingress": [{}], "egress": []}),
        ));
        // Not egress-isolated (egress: [] does not add Egress) ...
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        // ... and ingress: [{}] allows everything.
        assert_eq!(
            verdict(&w, "db-pod", "api-pod", 80, "TCP"),
            Verdict::Allowed
        );
    }

    #[test]
    fn egress_policy_type_ignores_ingress_rules() {
        let mut w = lab_world();
        w.policies.push(db_deny_ingress());
        // Would open db-pod's ingress to everyone, but it is an Egress policy.
        w.policies.push(policy(
            "egress-only",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "policyTypes": ["Egress"],
                "ingress": [{}],
                "egress": [{}]
            }),
        ));
        let d = evaluate(&w, &probe(&w, "api-pod", "db-pod", 6379, "TCP"));
        assert_eq!(d.verdict, Verdict::Denied);
        assert_eq!(d.ingress.selected_by, vec!["db-deny-ingress"]);
    }

    fn cross_namespace_world(peer: serde_json::Value) -> World {
        let mut w = lab_world();
        w.namespaces.push(namespace("team-a", &[("team", "a")]));
        w.pods.push(pod("client", "team-a", &[("app", "api")]));
        // `team-b` is not listed in `namespaces`.
        w.pods.push(pod("client-b", "team-b", &[("app", "api")]));
        w.policies.push(policy(
            "db-allow",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"from": [peer]}]
            }),
        ));
        w
    }

    #[test]
    fn namespace_selector_absent_means_own_namespace() {
        let w = cross_namespace_world(json!({"podSelector": {"matchLabels": {"app": "api"}}}));
        assert_eq!(
            verdict(&w, "client", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
    }

    #[test]
    fn empty_namespace_selector_means_all_namespaces() {
        let w = cross_namespace_world(json!({
            "namespaceSelector": {},
            "podSelector": {"matchLabels": {"app": "api"}}
        }));
        assert_eq!(
            verdict(&w, "client", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "client-b", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "external-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
    }

    #[test]
    fn namespace_selector_uses_namespace_labels_and_name_label() {
        let w = cross_namespace_world(json!({"namespaceSelector": {"matchLabels": {"team": "a"}}}));
        assert_eq!(
            verdict(&w, "client", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "client-b", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        let w = cross_namespace_world(json!({"namespaceSelector": {"matchLabels": {
            "kubernetes.io/metadata.name": "team-b"
        }}}));
        assert_eq!(
            verdict(&w, "client-b", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "client", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
        let d = evaluate(&w, &probe(&w, "client-b", "db-pod", 6379, "TCP"));
        assert_eq!(
            (d.from.as_str(), d.to.as_str()),
            ("team-b/client-b", "default/db-pod")
        );
    }

    #[test]
    fn policy_in_other_namespace_does_not_select() {
        let mut w = lab_world();
        let mut p = db_deny_ingress();
        p.namespace = "team-a".into();
        w.policies.push(p);
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
    }

    #[test]
    fn ip_block_is_implementation_defined_unless_something_else_allows() {
        let mut w = lab_world();
        w.policies.push(db_deny_ingress());
        w.policies.push(policy(
            "cidr",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}]
            }),
        ));
        let d = evaluate(&w, &probe(&w, "external-pod", "db-pod", 6379, "TCP"));
        assert_eq!(d.verdict, Verdict::ImplementationDefined);
        assert_eq!(d.ingress.implementation_defined.len(), 1);
        assert_eq!(
            d.ingress.implementation_defined[0].0.path,
            "spec.ingress[0]"
        );
        assert!(d.ingress.allowed_by.is_empty());

        w.policies.push(api_allow_to_db());
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "external-pod", "db-pod", 6379, "TCP"),
            Verdict::ImplementationDefined
        );
    }

    #[test]
    fn ip_block_with_wrong_port_is_a_near_miss_not_implementation_defined() {
        let mut w = lab_world();
        w.policies.push(policy(
            "cidr",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": [{"port": 5432}]}]
            }),
        ));
        let d = evaluate(&w, &probe(&w, "api-pod", "db-pod", 6379, "TCP"));
        assert_eq!(d.verdict, Verdict::Denied);
        assert_eq!(
            d.ingress.near_misses[0].1.to_string(),
            "rule spec.ingress[0] of cidr might match the source api-pod but allows only TCP/5432"
        );
    }

    #[test]
    fn denied_egress_beats_implementation_defined_ingress() {
        let mut w = lab_world();
        w.policies.push(policy(
            "cidr",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}]
            }),
        ));
        w.policies.push(policy(
            "api-no-egress",
            "default",
            json!({"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"]}),
        ));
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
    }

    #[test]
    fn host_network_is_implementation_defined_once_policies_apply() {
        let mut w = lab_world();
        w.pods[1].host_network = true; // api-pod
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        w.policies.push(db_deny_ingress());
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::ImplementationDefined
        );
        w.policies.push(api_allow_to_db());
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::ImplementationDefined
        );
        // A non-host-network pod is unaffected.
        assert_eq!(
            verdict(&w, "external-pod", "db-pod", 6379, "TCP"),
            Verdict::Denied
        );
    }

    #[rstest]
    #[case(5999, Verdict::Denied)]
    #[case(6000, Verdict::Allowed)]
    #[case(6379, Verdict::Allowed)]
    #[case(7000, Verdict::Allowed)]
    #[case(7001, Verdict::Denied)]
    fn end_port_range(#[case] port: i32, #[case] expected: Verdict) {
        let mut w = lab_world();
        w.policies.push(policy(
            "range",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"ports": [{"protocol": "TCP", "port": 6000, "endPort": 7000}]}]
            }),
        ));
        assert_eq!(verdict(&w, "api-pod", "db-pod", port, "TCP"), expected);
    }

    #[test]
    fn any_selecting_policy_may_allow_and_both_ends_must_allow() {
        let mut w = lab_world();
        w.policies.push(db_deny_ingress());
        w.policies.push(api_allow_to_db());
        w.policies.push(policy(
            "api-egress-dns-only",
            "default",
            json!({
                "podSelector": {"matchLabels": {"app": "api"}},
                "policyTypes": ["Egress"],
                "egress": [{"ports": [{"protocol": "UDP", "port": 53}]}]
            }),
        ));
        let d = evaluate(&w, &probe(&w, "api-pod", "db-pod", 6379, "TCP"));
        assert_eq!(d.ingress.verdict, Verdict::Allowed);
        assert_eq!(d.egress.verdict, Verdict::Denied);
        assert_eq!(d.verdict, Verdict::Denied);
        w.policies.push(policy(
            "api-egress-db",
            "default",
            json!({
                "podSelector": {"matchLabels": {"app": "api"}},
                "policyTypes": ["Egress"],
                "egress": [{"to": [{"podSelector": {"matchLabels": {"role": "db"}}}]}]
            }),
        ));
        assert_eq!(
            verdict(&w, "api-pod", "db-pod", 6379, "TCP"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(&w, "api-pod", "external-pod", 80, "TCP"),
            Verdict::Denied
        );
    }

    #[test]
    fn empty_pod_selector_isolates_whole_namespace() {
        let mut w = lab_world();
        w.policies.push(policy(
            "default-deny",
            "default",
            json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
        ));
        let d = evaluate(&w, &probe(&w, "db-pod", "api-pod", 80, "TCP"));
        assert_eq!(d.egress.verdict, Verdict::Denied);
        assert_eq!(d.ingress.verdict, Verdict::Denied);
    }
}
