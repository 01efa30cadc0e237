//! Builders shared by the unit tests of this module.

use super::{ContainerPort, NamespaceInfo, PodInfo, Policy, Probe, World};
use std::collections::BTreeMap;

pub(crate) fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(crate) fn pod(name: &str, namespace: &str, pairs: &[(&str, &str)]) -> PodInfo {
    PodInfo {
        name: name.into(),
        namespace: namespace.into(),
        labels: labels(pairs),
        ports: vec![],
        host_network: false,
    }
}

pub(crate) fn namespace(name: &str, pairs: &[(&str, &str)]) -> NamespaceInfo {
    NamespaceInfo {
        name: name.into(),
        labels: labels(pairs),
    }
}

/// A policy from the JSON of its `spec`.
pub(crate) fn policy(name: &str, namespace: &str, spec: serde_json::Value) -> Policy {
    Policy {
        name: name.into(),
        namespace: namespace.into(),
        spec: serde_json::from_value(spec).expect("valid NetworkPolicySpec"),
    }
}

/// The lab's three pods in `default`: db-pod (role=db, redis on an UNNAMED containerPort
/// 6379), api-pod (app=api) and external-pod (app=external); no policies.
pub(crate) fn lab_world() -> World {
    let mut db = pod("db-pod", "default", &[("role", "db")]);
    db.ports = vec![ContainerPort {
        name: None,
        port: 6379,
        protocol: "TCP".into(),
    }];
    World {
        namespaces: vec![namespace("default", &[])],
        pods: vec![
            db,
            pod("api-pod", "default", &[("app", "api")]),
            pod("external-pod", "default", &[("app", "external")]),
        ],
        policies: vec![],
    }
}

pub(crate) fn find<'w>(world: &'w World, name: &str) -> &'w PodInfo {
    world
        .pods
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no pod {name}"))
}

pub(crate) fn probe<'w>(
    world: &'w World,
    from: &str,
    to: &str,
    port: i32,
    protocol: &str,
) -> Probe<'w> {
    Probe {
        from: find(world, from),
        to: find(world, to),
        port,
        protocol: protocol.into(),
    }
}

/// The lab's `db-deny-ingress` policy.
pub(crate) fn db_deny_ingress() -> Policy {
    policy(
        "db-deny-ingress",
        "default",
        serde_json::json!({
            "podSelector": {"matchLabels": {"role": "db"}},
            "policyTypes": ["Ingress"],
            "ingress": []
        }),
    )
}

/// The lab's `api-allow-to-db` policy.
pub(crate) fn api_allow_to_db() -> Policy {
    policy(
        "api-allow-to-db",
        "default",
        serde_json::json!({
            "podSelector": {"matchLabels": {"role": "db"}},
            "policyTypes": ["Ingress"],
            "ingress": [{
                "from": [{"podSelector": {"matchLabels": {"app": "api"}}}],
                "ports": [{"protocol": "TCP", "port": 6379}]
            }]
        }),
    )
}
