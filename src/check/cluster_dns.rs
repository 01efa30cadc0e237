//! The cluster's DNS as every Kubernetes cluster has it, for the simulated world: the
//! namespace `kube-system` (label `kubernetes.io/metadata.name: kube-system`, set by the
//! API server), CoreDNS pods labelled `k8s-app: kube-dns` with container ports `dns`
//! (UDP 53), `dns-tcp` (TCP 53) and `metrics` (TCP 9153), and the `kube-dns` Service in
//! front of them. This is the shape of kubeadm's CoreDNS addon
//! (`cmd/kubeadm/app/phases/addons/dns/manifests.go`) and of
//! `cluster/addons/dns/coredns/coredns.yaml.base` in kubernetes/kubernetes, and what the
//! test cluster runs (`kubectl -n kube-system get pods,svc --show-labels`).
//!
//! Names resolve as the pod's `/etc/resolv.conf` makes them (kubelet, `ClusterFirst`:
//! `search <ns>.svc.cluster.local svc.cluster.local cluster.local`, `ndots:5`): `db-pod`
//! is a Service of the pod's own namespace, `kube-dns.kube-system` one of `kube-system`.
//! A lookup is a UDP query to the Service's ClusterIP, which kube-proxy DNATs to a
//! CoreDNS pod before any NetworkPolicy sees it: what a policy must allow is egress to
//! those pods on UDP 53 (TCP 53 only for answers too long for UDP).

use crate::netpol::{self, ContainerPort, NamespaceInfo, PodInfo};
use std::collections::BTreeMap;

/// The namespace of the cluster DNS.
pub const NAMESPACE: &str = "kube-system";
/// The Service in front of the DNS pods (its ClusterIP is the pods' `nameserver`).
pub const SERVICE: &str = "kube-dns";
/// The label of the DNS pods and the Service's selector.
pub const POD_LABEL: (&str, &str) = ("k8s-app", "kube-dns");
/// The DNS pod of the simulated world (a real one is `coredns-<hash>-<id>`).
pub const POD: &str = "coredns";
/// The cluster domain (the kubelet's `clusterDomain`).
pub const DOMAIN: &str = "cluster.local";
/// The port DNS answers on (UDP and TCP).
pub const PORT: i32 = 53;

/// The CoreDNS pod: `k8s-app: kube-dns` in `kube-system`, ports `dns` UDP 53, `dns-tcp`
/// TCP 53, `metrics` TCP 9153.
pub fn pod() -> PodInfo {
    let port = |name: &str, port: i32, protocol: &str| ContainerPort {
        name: Some(name.to_string()),
        port,
        protocol: protocol.to_string(),
    };
    PodInfo {
        name: POD.to_string(),
        namespace: NAMESPACE.to_string(),
        labels: BTreeMap::from([(POD_LABEL.0.to_string(), POD_LABEL.1.to_string())]),
        ports: vec![
            port("dns", PORT, "UDP"),
            port("dns-tcp", PORT, "TCP"),
            port("metrics", 9153, "TCP"),
        ],
        host_network: false,
    }
}

/// Adds `kube-system` and its DNS pod to a simulated network.
pub fn add_to(net: &mut netpol::World) {
    if !net.namespaces.iter().any(|n| n.name == NAMESPACE) {
        net.namespaces.push(NamespaceInfo {
            name: NAMESPACE.to_string(),
            labels: BTreeMap::from([(
                "kubernetes.io/metadata.name".to_string(),
                NAMESPACE.to_string(),
            )]),
        });
    }
    if !net
        .pods
        .iter()
        .any(|p| p.namespace == NAMESPACE && p.name == POD)
    {
        net.pods.push(pod());
    }
}

/// `name` with its namespace part (`<service>.<namespace>[.svc[.cluster.local]]`)
/// renamed by `renames` (old → new) when it names one; any other name as it is. A live
/// run's namespaces have other names than the task's (`default` → `kubelab-…`).
pub fn rename_namespace(name: &str, renames: &BTreeMap<String, String>) -> String {
    let Some((service, rest)) = name.split_once('.') else {
        return name.to_string();
    };
    let (namespace, tail) = match rest.split_once('.') {
        Some((namespace, tail)) => (namespace, Some(tail)),
        None => (rest, None),
    };
    match (renames.get(namespace), tail) {
        (Some(new), Some(tail)) => format!("{service}.{new}.{tail}"),
        (Some(new), None) => format!("{service}.{new}"),
        (None, _) => name.to_string(),
    }
}

/// The Service a DNS name names, as `(namespace, service)`, from a pod in `namespace`:
/// `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local` (a trailing dot allowed).
/// `None` for names of another shape (pod A records, external names).
pub fn service_of(name: &str, namespace: &str) -> Option<(String, String)> {
    let name = name.trim_end_matches('.');
    let name = name
        .strip_suffix(&format!(".svc.{DOMAIN}"))
        .or_else(|| name.strip_suffix(".svc"))
        .unwrap_or(name);
    let parts: Vec<&str> = name.split('.').collect();
    match parts.as_slice() {
        [service] if !service.is_empty() => Some((namespace.to_string(), service.to_string())),
        [service, ns] if !service.is_empty() && !ns.is_empty() => {
            Some((ns.to_string(), service.to_string()))
        }
        _ => None,
    }
}

/// Services every cluster has outside the lab's objects: `kube-dns` in `kube-system`
/// and `kubernetes` in `default` (the API server's).
pub fn is_builtin_service(namespace: &str, service: &str) -> bool {
    (namespace, service) == (NAMESPACE, SERVICE)
        || (namespace, service) == ("default", "kubernetes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_through_the_search_list() {
        let svc = |ns: &str, s: &str| Some((ns.to_string(), s.to_string()));
        assert_eq!(service_of("db-pod", "lab"), svc("lab", "db-pod"));
        assert_eq!(
            service_of("kube-dns.kube-system", "lab"),
            svc("kube-system", "kube-dns")
        );
        assert_eq!(
            service_of("kube-dns.kube-system.svc.cluster.local.", "lab"),
            svc("kube-system", "kube-dns")
        );
        assert_eq!(
            service_of("kubernetes.default.svc", "lab"),
            svc("default", "kubernetes")
        );
        assert_eq!(service_of("a.b.c", "lab"), None);
        assert_eq!(service_of("", "lab"), None);
    }

    /// Egress from `api-pod` (namespace `default`, `app: api`) to the DNS pod on UDP 53
    /// under a default-deny egress policy and one allowing policy `to` + `ports` (the
    /// forms the egress lab's corpus grades, whose verdicts the live cluster confirmed).
    fn lookup_allowed(peers: serde_json::Value, ports: serde_json::Value) -> bool {
        let policy = |name: &str, spec: serde_json::Value| netpol::Policy {
            name: name.to_string(),
            namespace: "default".to_string(),
            spec: serde_json::from_value(spec).unwrap(),
        };
        let api = PodInfo {
            name: "api-pod".into(),
            namespace: "default".into(),
            labels: BTreeMap::from([("app".into(), "api".into())]),
            ports: vec![],
            host_network: false,
        };
        let mut net = netpol::World {
            namespaces: vec![NamespaceInfo {
                name: "default".into(),
                labels: BTreeMap::new(),
            }],
            pods: vec![api.clone()],
            policies: vec![
                policy(
                    "deny",
                    serde_json::json!({"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"]}),
                ),
                policy(
                    "allow",
                    serde_json::json!({"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"],
                        "egress": [{"to": peers, "ports": ports}]}),
                ),
            ],
        };
        add_to(&mut net);
        let dns = net.pods.iter().find(|p| p.name == POD).unwrap();
        let probe = netpol::Probe {
            from: &api,
            to: dns,
            port: PORT,
            protocol: "UDP".into(),
        };
        netpol::evaluate(&net, &probe).verdict == netpol::Verdict::Allowed
    }

    #[test]
    fn egress_to_the_dns_pods_needs_their_namespace_and_udp_53() {
        use serde_json::json;
        let ns = json!({"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}});
        let pods = json!({"matchLabels": {"k8s-app": "kube-dns"}});
        let udp = json!([{"protocol": "UDP", "port": 53}]);
        let tcp = json!([{"protocol": "TCP", "port": 53}]);
        // One peer with both selectors: AND.
        assert!(lookup_allowed(
            json!([{"namespaceSelector": ns, "podSelector": pods}]),
            udp.clone()
        ));
        // A podSelector alone: the policy's own namespace, never kube-system.
        assert!(!lookup_allowed(json!([{"podSelector": pods}]), udp.clone()));
        // The namespace alone, or the two as separate peers (OR): wider, but allowed.
        assert!(lookup_allowed(
            json!([{"namespaceSelector": ns}]),
            udp.clone()
        ));
        assert!(lookup_allowed(
            json!([{"namespaceSelector": ns}, {"podSelector": pods}]),
            udp.clone()
        ));
        // Every namespace AND the DNS pods' label: the documentation's form.
        assert!(lookup_allowed(
            json!([{"namespaceSelector": {}, "podSelector": pods}]),
            udp.clone()
        ));
        // A `name` label no namespace carries; the wrong pod label.
        assert!(!lookup_allowed(
            json!([{"namespaceSelector": {"matchLabels": {"name": "kube-system"}}, "podSelector": pods}]),
            udp.clone()
        ));
        assert!(!lookup_allowed(
            json!([{"namespaceSelector": ns, "podSelector": {"matchLabels": {"k8s-app": "coredns"}}}]),
            udp.clone()
        ));
        // TCP 53 alone does not carry a lookup; the named port `dns` (UDP) does.
        assert!(!lookup_allowed(
            json!([{"namespaceSelector": ns, "podSelector": pods}]),
            tcp
        ));
        assert!(lookup_allowed(
            json!([{"namespaceSelector": ns, "podSelector": pods}]),
            json!([{"protocol": "UDP", "port": "dns"}])
        ));
        assert!(!lookup_allowed(
            json!([{"namespaceSelector": ns, "podSelector": pods}]),
            json!([{"protocol": "UDP", "port": "dns-tcp"}])
        ));
    }
}

#[cfg(test)]
mod rename_tests {
    use super::*;

    #[test]
    fn a_run_renames_only_the_namespace_part_of_names_it_knows() {
        let renames = BTreeMap::from([
            ("default".to_string(), "kubelab-x-abc123".to_string()),
            (
                "monitoring".to_string(),
                "kubelab-x-abc123-monitoring".to_string(),
            ),
        ]);
        for (name, renamed) in [
            ("db-pod", "db-pod"),
            ("db-pod.default", "db-pod.kubelab-x-abc123"),
            (
                "db-pod.default.svc.cluster.local",
                "db-pod.kubelab-x-abc123.svc.cluster.local",
            ),
            (
                "prometheus.monitoring.svc",
                "prometheus.kubelab-x-abc123-monitoring.svc",
            ),
            ("kube-dns.kube-system", "kube-dns.kube-system"),
            ("default.example.com", "default.example.com"),
        ] {
            assert_eq!(rename_namespace(name, &renames), renamed, "{name}");
        }
    }
}
