//! Matching the other end of a connection against a rule's `from` / `to` peers.

use super::selector::{describe_selector, is_empty, selector_matches};
use super::{PodInfo, World};
use crate::i18n::Message;
use crate::msg;
use k8s_openapi::api::networking::v1::NetworkPolicyPeer;
use std::collections::BTreeMap;

/// The label every namespace carries (set by the API server).
pub(crate) const NAME_LABEL: &str = "kubernetes.io/metadata.name";

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PeerMatch {
    Yes,
    No,
    /// Depends on the network plugin; the reason says why.
    Maybe(Message),
}

/// Labels of namespace `name`: those of `world.namespaces` (none when not listed), with
/// `kubernetes.io/metadata.name: <name>` unless the world gives that label (a grader
/// simulating a live run's namespace under the task's name for it:
/// `crate::check::World::namespaces`).
pub(crate) fn namespace_labels(world: &World, name: &str) -> BTreeMap<String, String> {
    let mut labels = world
        .namespaces
        .iter()
        .find(|n| n.name == name)
        .map(|n| n.labels.clone())
        .unwrap_or_default();
    labels
        .entry(NAME_LABEL.to_string())
        .or_insert_with(|| name.to_string());
    labels
}

/// One peer: `ipBlock` is implementation-defined for pod traffic; otherwise
/// namespaceSelector (absent = the policy's namespace) AND podSelector (absent = all).
pub(crate) fn peer_matches(
    peer: &NetworkPolicyPeer,
    policy_namespace: &str,
    other: &PodInfo,
    world: &World,
) -> PeerMatch {
    if peer.ip_block.is_some() {
        return PeerMatch::Maybe(msg!(
            "netpol-maybe-ip-block",
            peer = describe_peer(peer, policy_namespace),
            pod = other.name.as_str()
        ));
    }
    if peer.pod_selector.is_none() && peer.namespace_selector.is_none() {
        // Rejected by the API server ("must specify a peer"): matches nothing.
        return PeerMatch::No;
    }
    let namespace_ok = match &peer.namespace_selector {
        None => other.namespace == policy_namespace,
        Some(s) => selector_matches(s, &namespace_labels(world, &other.namespace)),
    };
    let pod_ok = peer
        .pod_selector
        .as_ref()
        .is_none_or(|s| selector_matches(s, &other.labels));
    if other.host_network {
        return PeerMatch::Maybe(msg!(
            "netpol-maybe-host-network-peer",
            pod = other.name.as_str(),
            peer = describe_peer(peer, policy_namespace)
        ));
    }
    if namespace_ok && pod_ok {
        PeerMatch::Yes
    } else {
        PeerMatch::No
    }
}

/// A rule's peers (absent or empty = everyone): `Yes` if any peer matches, else `Maybe`
/// with the reasons of the undecidable peers, else `No`.
pub(crate) fn peers_match(
    peers: Option<&[NetworkPolicyPeer]>,
    policy_namespace: &str,
    other: &PodInfo,
    world: &World,
) -> PeerMatch {
    let peers = match peers {
        None | Some([]) => return PeerMatch::Yes,
        Some(p) => p,
    };
    let mut reasons = Vec::new();
    for peer in peers {
        match peer_matches(peer, policy_namespace, other, world) {
            PeerMatch::Yes => return PeerMatch::Yes,
            PeerMatch::No => {}
            PeerMatch::Maybe(r) => reasons.push(r),
        }
    }
    match reasons.len() {
        0 => PeerMatch::No,
        1 => PeerMatch::Maybe(reasons.remove(0)),
        _ => PeerMatch::Maybe(msg!("netpol-reasons", reasons = reasons)),
    }
}

/// `app=api`, `all pods in namespace default`, `pods app=api in namespaces team=a`,
/// `all pods in all namespaces`, `ipBlock 10.0.0.0/8 except 10.1.0.0/16`.
pub(crate) fn describe_peer(peer: &NetworkPolicyPeer, policy_namespace: &str) -> Message {
    if let Some(block) = &peer.ip_block {
        return match block.except.as_deref() {
            Some(ex) if !ex.is_empty() => msg!(
                "netpol-peer-ip-block-except",
                cidr = block.cidr.as_str(),
                except = ex.join(", ")
            ),
            _ => msg!("netpol-peer-ip-block", cidr = block.cidr.as_str()),
        };
    }
    let pods = peer.pod_selector.as_ref().filter(|s| !is_empty(s));
    match &peer.namespace_selector {
        None => match pods {
            Some(s) => msg!("netpol-peer-selector", selector = describe_selector(s)),
            None if peer.pod_selector.is_some() => {
                msg!("netpol-peer-namespace", namespace = policy_namespace)
            }
            None => msg!("netpol-peer-none"),
        },
        Some(ns) => {
            let pods = match pods {
                Some(s) => msg!("netpol-peer-pods", selector = describe_selector(s)),
                None => msg!("netpol-peer-all-pods"),
            };
            if is_empty(ns) {
                return msg!("netpol-peer-in-all-namespaces", pods = pods);
            }
            // A `name` label is a common guess; the label every namespace has is
            // `kubernetes.io/metadata.name` (set by the API server since 1.22).
            match ns.match_labels.as_ref().and_then(|l| l.get("name")) {
                Some(name) => msg!(
                    "netpol-peer-in-namespaces-by-name",
                    pods = pods,
                    selector = describe_selector(ns),
                    name = name.as_str()
                ),
                None => msg!(
                    "netpol-peer-in-namespaces",
                    pods = pods,
                    selector = describe_selector(ns)
                ),
            }
        }
    }
}

/// All peers joined with ` or `; `everyone` when absent or empty.
pub(crate) fn describe_peers(
    peers: Option<&[NetworkPolicyPeer]>,
    policy_namespace: &str,
) -> Message {
    match peers {
        None | Some([]) => msg!("netpol-peers-everyone"),
        Some(ps) => {
            // Beside a peer with a namespaceSelector, a bare podSelector reads as if it
            // selected namespaces too: name the policy's namespace it is confined to.
            let mixed = ps.iter().any(|p| p.namespace_selector.is_some());
            let mut described = ps.iter().rev().map(|p| match &p.pod_selector {
                Some(s) if mixed && p.namespace_selector.is_none() && !is_empty(s) => msg!(
                    "netpol-peer-selector-in-namespace",
                    selector = describe_selector(s),
                    namespace = policy_namespace
                ),
                _ => describe_peer(p, policy_namespace),
            });
            let last = described.next().expect("a non-empty list of peers");
            described.fold(last, |rest, first| {
                msg!("netpol-peers-or", first = first, rest = rest)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpol::test_support::{namespace, pod};
    use rstest::rstest;
    use serde_json::json;

    fn peers(v: serde_json::Value) -> Vec<NetworkPolicyPeer> {
        serde_json::from_value(v).unwrap()
    }

    fn world() -> World {
        World {
            // `other` is deliberately not listed: it only has the name label.
            namespaces: vec![
                namespace("default", &[]),
                namespace("team-a", &[("team", "a")]),
            ],
            pods: vec![],
            policies: vec![],
        }
    }

    #[rstest]
    #[case::absent_is_everyone(None, "team-a", &[("app", "x")], PeerMatch::Yes)]
    #[case::empty_is_everyone(Some(json!([])), "team-a", &[], PeerMatch::Yes)]
    #[case::pod_selector_own_namespace(Some(json!([{"podSelector": {"matchLabels": {"app": "api"}}}])), "default", &[("app", "api")], PeerMatch::Yes)]
    #[case::pod_selector_other_namespace_no(Some(json!([{"podSelector": {"matchLabels": {"app": "api"}}}])), "team-a", &[("app", "api")], PeerMatch::No)]
    #[case::empty_pod_selector_own_namespace_only(Some(json!([{"podSelector": {}}])), "team-a", &[], PeerMatch::No)]
    #[case::ns_selector_empty_all_namespaces(Some(json!([{"namespaceSelector": {}}])), "team-a", &[], PeerMatch::Yes)]
    #[case::ns_selector_empty_unlisted_namespace(Some(json!([{"namespaceSelector": {}}])), "other", &[], PeerMatch::Yes)]
    #[case::ns_selector_labels(Some(json!([{"namespaceSelector": {"matchLabels": {"team": "a"}}}])), "team-a", &[], PeerMatch::Yes)]
    #[case::ns_selector_labels_miss(Some(json!([{"namespaceSelector": {"matchLabels": {"team": "a"}}}])), "default", &[], PeerMatch::No)]
    #[case::ns_name_label_listed(Some(json!([{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "team-a"}}}])), "team-a", &[], PeerMatch::Yes)]
    #[case::ns_name_label_unlisted(Some(json!([{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "other"}}}])), "other", &[], PeerMatch::Yes)]
    #[case::ns_and_pod_is_and(Some(json!([{"namespaceSelector": {"matchLabels": {"team": "a"}}, "podSelector": {"matchLabels": {"app": "api"}}}])), "team-a", &[("app", "web")], PeerMatch::No)]
    #[case::ns_and_pod_both(Some(json!([{"namespaceSelector": {"matchLabels": {"team": "a"}}, "podSelector": {"matchLabels": {"app": "api"}}}])), "team-a", &[("app", "api")], PeerMatch::Yes)]
    #[case::two_peers_or(Some(json!([{"namespaceSelector": {"matchLabels": {"team": "a"}}}, {"podSelector": {"matchLabels": {"app": "api"}}}])), "default", &[("app", "api")], PeerMatch::Yes)]
    #[case::empty_peer_matches_nothing(Some(json!([{}])), "default", &[], PeerMatch::No)]
    fn peer_table(
        #[case] spec: Option<serde_json::Value>,
        #[case] other_ns: &str,
        #[case] other_labels: &[(&str, &str)],
        #[case] expected: PeerMatch,
    ) {
        let ps = spec.map(peers);
        let other = pod("p", other_ns, other_labels);
        assert_eq!(
            peers_match(ps.as_deref(), "default", &other, &world()),
            expected
        );
    }

    #[test]
    fn ip_block_is_implementation_defined() {
        let ps = peers(json!([{"ipBlock": {"cidr": "10.0.0.0/8"}}]));
        let got = peers_match(Some(&ps), "default", &pod("p", "default", &[]), &world());
        match got {
            PeerMatch::Maybe(reason) => assert!(reason.contains("ipBlock 10.0.0.0/8"), "{reason}"),
            other => panic!("expected Maybe, got {other:?}"),
        }
        // A selector peer that matches wins over the undecidable ipBlock.
        let ps = peers(json!([{"ipBlock": {"cidr": "10.0.0.0/8"}}, {"podSelector": {}}]));
        assert_eq!(
            peers_match(Some(&ps), "default", &pod("p", "default", &[]), &world()),
            PeerMatch::Yes
        );
    }

    #[test]
    fn host_network_peer_is_implementation_defined() {
        let mut other = pod("h", "default", &[("app", "api")]);
        other.host_network = true;
        let ps = peers(json!([{"podSelector": {"matchLabels": {"app": "api"}}}]));
        assert!(matches!(
            peers_match(Some(&ps), "default", &other, &world()),
            PeerMatch::Maybe(_)
        ));
        // But a rule open to everyone does not depend on how the traffic is attributed.
        assert_eq!(
            peers_match(None, "default", &other, &world()),
            PeerMatch::Yes
        );
    }

    #[test]
    fn describes_peers() {
        let ps = peers(json!([
            {"podSelector": {"matchLabels": {"app": "api"}}},
            {"podSelector": {}},
            {"namespaceSelector": {}},
            {"namespaceSelector": {"matchLabels": {"team": "a"}}, "podSelector": {"matchLabels": {"app": "api"}}},
            {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}
        ]));
        assert_eq!(
            describe_peers(Some(&ps), "default").to_string(),
            "pods app=api in namespace default or all pods in namespace default or all pods \
             in all namespaces or pods app=api in namespaces team=a or ipBlock 10.0.0.0/8 \
             except 10.1.0.0/16"
        );
        assert_eq!(describe_peers(None, "default").to_string(), "everyone");
        // A bare podSelector names no namespace unless a namespaceSelector is beside it
        // (the two-peer DNS rule: `kube-system`'s pods OR `k8s-app=kube-dns` pods here).
        let alone = peers(json!([{"podSelector": {"matchLabels": {"app": "api"}}}]));
        assert_eq!(
            describe_peers(Some(&alone), "default").to_string(),
            "app=api"
        );
        let dns = peers(json!([
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}},
            {"podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}
        ]));
        assert_eq!(
            describe_peers(Some(&dns), "lab").to_string(),
            "all pods in namespaces kubernetes.io/metadata.name=kube-system or pods \
             k8s-app=kube-dns in namespace lab"
        );
    }
}
