//! `connect`: `nc -zv <to> <port>` from a pod, decided by the NetworkPolicy engine after
//! resolving `<to>` the way cluster DNS and kube-proxy do (Service → endpoints →
//! `targetPort`, named target ports looked up on each endpoint pod). A Service name is
//! looked up first (UDP 53 to the cluster DNS pods, [`crate::check::cluster_dns`]): when
//! the source's egress policies block that, `nc` never connects, and the check says so
//! at the learner's policy. A pod named directly is reached at its IP, without DNS.

use super::field::lookup;
use crate::check::cluster_dns;
use crate::check::outcome::{Outcome, Verdict};
use crate::check::world::World;
use crate::lab::{Connect, Reachability};
use crate::manifest::{FieldPath, Location, Object, Segment};
use crate::netpol::{self, ContainerPort, Decision, NamespaceInfo, PodInfo, Policy, Probe};
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;
use std::collections::BTreeMap;

pub fn evaluate(spec: &Connect, world: &World<'_>) -> Outcome {
    let mut net = network(world);
    cluster_dns::add_to(&mut net);
    let Some(from) = net.pods.iter().find(|p| p.name == spec.from) else {
        if let Some(rejected) = world.rejected("Pod", &spec.from) {
            return rejected;
        }
        return Outcome::error(crate::msg!("check-probe-pod-missing", pod = &spec.from));
    };
    let (targets, by_name) = match endpoints(spec, world, &net) {
        Ok(targets) => targets,
        Err(outcome) => return outcome,
    };
    let what = crate::msg!(
        "check-connection",
        from = &spec.from,
        to = &spec.to,
        port = spec.port.to_string()
    );
    if by_name && let Some(blocked) = dns_blocked(&net, from) {
        // `nc` cannot look the name up: nothing is connected.
        let explanation = blocked.explain();
        return match spec.expect {
            Reachability::Blocked => Outcome::pass(crate::msg!(
                "check-connect-dns-blocked-as-expected",
                what = what,
                name = &spec.to,
                explanation = explanation
            )),
            Reachability::Open => {
                let mut outcome = Outcome::fail(
                    crate::msg!(
                        "check-connect-dns-blocked",
                        what = what,
                        name = &spec.to,
                        explanation = explanation
                    ),
                    dns_location(&blocked, world),
                );
                outcome.details.extend(dns_details(world));
                // An enforcer that lets the lookup and the connection through.
                let targets: Vec<Probe<'_>> = targets
                    .iter()
                    .map(|(pod, port)| Probe {
                        from,
                        to: pod,
                        port: *port,
                        protocol: spec.protocol.clone(),
                    })
                    .collect();
                outcome.deviation = dns_deviation(&net, from, &targets);
                outcome
            }
        };
    }
    let mut decisions = Vec::new();
    let mut probes = Vec::new();
    for (pod, port) in targets {
        let probe = Probe {
            from,
            to: pod,
            port,
            protocol: spec.protocol.clone(),
        };
        decisions.push(netpol::evaluate(&net, &probe));
        probes.push(probe);
    }
    // A Service connection succeeds when any endpoint accepts it (kube-proxy picks one;
    // the labs have one endpoint per Service).
    let chosen = decisions
        .iter()
        .position(|d| d.verdict == netpol::Verdict::Allowed)
        .or_else(|| {
            decisions
                .iter()
                .position(|d| d.verdict == netpol::Verdict::ImplementationDefined)
        })
        .unwrap_or(0);
    let decision = &decisions[chosen];
    let to = probes[chosen].to;
    let explanation = decision.explain();
    let actual = match decision.verdict {
        netpol::Verdict::Allowed => Reachability::Open,
        netpol::Verdict::Denied => Reachability::Blocked,
        netpol::Verdict::ImplementationDefined => {
            return Outcome::skip(crate::msg!(
                "check-connect-plugin-defined",
                what = what,
                explanation = explanation
            ));
        }
    };
    let word = |r: Reachability| match r {
        Reachability::Open => "open",
        Reachability::Blocked => "blocked",
    };
    // A known enforcer deviation that would open what the API blocks.
    let deviation = (actual == Reachability::Blocked)
        .then(|| {
            decisions.iter().zip(&probes).find_map(|(d, probe)| {
                netpol::deviation::explaining_open(&net, probe, d).map(|dev| dev.id)
            })
        })
        .flatten();
    let mut outcome = if actual == spec.expect {
        Outcome::pass(crate::msg!(
            "check-connect-is",
            what = what,
            state = word(actual),
            explanation = explanation
        ))
    } else {
        Outcome::new(
            Verdict::Fail,
            crate::msg!(
                "check-connect-is-not-expected",
                what = what,
                state = word(actual),
                expected = word(spec.expect),
                explanation = explanation
            ),
            blame(decision, spec, from, to, world),
        )
    };
    if spec.expect == Reachability::Open
        && actual == Reachability::Blocked
        && let Some((location, details)) = misdirected(&net, &probes, world)
    {
        // The fix belongs to the policy that would admit the source but selects another
        // pod, not to the policy that (rightly) isolates the destination.
        outcome.location = Some(location);
        outcome.details.extend(details);
    }
    outcome.deviation = deviation;
    outcome
}

/// A policy of the namespace that does not select the destination but would admit this
/// connection if it did: where a learner's allow policy aims at the wrong pod (a
/// `podSelector` with `app: db` where the pod is labelled `role: db`). Returns where to
/// point (the selector entry the pod misses) and the explanation (`selects`'s words).
fn misdirected(
    net: &netpol::World,
    probes: &[Probe<'_>],
    world: &World<'_>,
) -> Option<(Location, Vec<crate::i18n::Message>)> {
    for probe in probes {
        for (i, policy) in net.policies.iter().enumerate() {
            let selector = policy.spec.pod_selector.clone().unwrap_or_default();
            if policy.namespace != probe.to.namespace
                || netpol::selector_matches(&selector, &probe.to.labels)
            {
                continue;
            }
            // The same policy, aimed at every pod: does it now admit the probe?
            let mut aimed = net.clone();
            aimed.policies[i].spec.pod_selector = Default::default();
            let decision = netpol::evaluate(&aimed, probe);
            if !decision
                .ingress
                .allowed_by
                .iter()
                .any(|rule| rule.policy == policy.name)
            {
                continue;
            }
            let object = world.get("NetworkPolicy", &policy.name)?;
            let pods: Vec<crate::check::selects::PodLabels> = net
                .pods
                .iter()
                .filter(|p| p.namespace == policy.namespace)
                .map(|p| (p.name.clone(), p.labels.clone()))
                .collect();
            let wanted = crate::lab::Selects {
                policy: policy.name.clone(),
                pods: vec![probe.to.name.clone()],
            };
            let (judged, blame) = crate::check::selects::judge(&wanted, &selector, &pods);
            let mut details = vec![judged.message];
            details.extend(judged.details);
            return Some((object.locate(&blame), details));
        }
    }
    None
}

/// The connectivity of `world`'s pods as matrices: one [`netpol::TruthTable`] per
/// destination port that the lab's `connect` checks (`specs`) reach — a Service port
/// resolved to its pods' target port, as the check resolves it (the check's own port when
/// it does not resolve) — over at most `max_pods` pods: the pods the checks name or reach
/// first, then the others in name order. Also returns how many pods were left out.
pub fn connectivity(
    world: &World<'_>,
    specs: &[&Connect],
    max_pods: usize,
) -> (Vec<netpol::TruthTable>, usize) {
    let mut net = network(world);
    let mut ports: Vec<(i32, String)> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    for spec in specs {
        named.push(spec.from.clone());
        let reached = match endpoints(spec, world, &net) {
            Ok((targets, _)) => targets
                .into_iter()
                .map(|(pod, port)| {
                    named.push(pod.name.clone());
                    port
                })
                .collect(),
            Err(_) => vec![i32::from(spec.port)],
        };
        for port in reached {
            let key = (port, spec.protocol.to_ascii_uppercase());
            if !ports.contains(&key) {
                ports.push(key);
            }
        }
    }
    // The decision for a pair of pods depends on those two pods and the policies only,
    // so leaving other pods out of the matrix changes none of its cells.
    let total = net.pods.len();
    if total > max_pods {
        let (mut keep, others): (Vec<_>, Vec<_>) = std::mem::take(&mut net.pods)
            .into_iter()
            .partition(|p| named.contains(&p.name));
        keep.truncate(max_pods);
        keep.extend(others.into_iter().take(max_pods - keep.len()));
        keep.sort_by(|a, b| a.name.cmp(&b.name));
        net.pods = keep;
    }
    let tables = ports
        .iter()
        .map(|(port, protocol)| netpol::truth_table(&net, *port, protocol))
        .collect();
    (tables, total - net.pods.len())
}

/// The simulated cluster network: the pods and accepted policies of the lab's namespace
/// and of its roles' ([`crate::lab::RoleNamespace`]), a role's named `<role>/<name>`.
pub(super) fn network(world: &World<'_>) -> netpol::World {
    let pods = world
        .of_kind("Pod")
        .filter_map(|o| o.typed::<Pod>().map(|p| (o, p)))
        .map(|(o, pod)| pod_info(world.name_of(o), &pod, world.namespace_of(o)))
        .collect();
    let policies = world
        .of_kind("NetworkPolicy")
        .filter_map(|o| {
            let np = o.typed::<NetworkPolicy>()?;
            Some(Policy {
                name: world.name_of(o),
                namespace: world.namespace_of(o).to_string(),
                spec: np.spec.unwrap_or_default(),
            })
        })
        .collect();
    netpol::World {
        namespaces: world
            .namespaces()
            .into_iter()
            .map(|(name, labels)| NamespaceInfo { name, labels })
            .collect(),
        pods,
        policies,
    }
}

fn pod_info(name: String, pod: &Pod, namespace: &str) -> PodInfo {
    let spec = pod.spec.clone().unwrap_or_default();
    PodInfo {
        name,
        namespace: namespace.to_string(),
        labels: pod.metadata.labels.clone().unwrap_or_default(),
        ports: spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter().flatten())
            .map(|p| ContainerPort {
                name: p.name.clone(),
                port: p.container_port,
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".to_string()),
            })
            .collect(),
        host_network: spec.host_network.unwrap_or(false),
    }
}

/// The decision on the source's name lookups (UDP 53 to the cluster DNS pods) when its
/// egress policies deny them; `None` when DNS answers it.
pub(super) fn dns_blocked(net: &netpol::World, from: &PodInfo) -> Option<Decision> {
    let dns = net
        .pods
        .iter()
        .find(|p| p.namespace == cluster_dns::NAMESPACE && p.name == cluster_dns::POD)?;
    let decision = netpol::evaluate(
        net,
        &Probe {
            from,
            to: dns,
            port: cluster_dns::PORT,
            protocol: "UDP".to_string(),
        },
    );
    (decision.verdict == netpol::Verdict::Denied).then_some(decision)
}

/// The known enforcer deviation under which `from`'s name lookup (UDP 53 to the cluster
/// DNS) and then each of `then` are allowed though the API blocks the lookup
/// ([`netpol::deviation::explaining_all_open`]).
pub(super) fn dns_deviation(
    net: &netpol::World,
    from: &PodInfo,
    then: &[Probe<'_>],
) -> Option<&'static str> {
    let dns = net
        .pods
        .iter()
        .find(|p| p.namespace == cluster_dns::NAMESPACE && p.name == cluster_dns::POD)?;
    let mut probes = vec![Probe {
        from,
        to: dns,
        port: cluster_dns::PORT,
        protocol: "UDP".to_string(),
    }];
    probes.extend(then.iter().map(|p| Probe {
        from: p.from,
        to: p.to,
        port: p.port,
        protocol: p.protocol.clone(),
    }));
    netpol::deviation::explaining_all_open(net, &probes).map(|d| d.id)
}

/// Where a blocked name lookup is to be fixed: the egress rule that almost allows it
/// (its peer or port), else the egress rules of a policy that isolates the source.
pub(super) fn dns_location(decision: &Decision, world: &World<'_>) -> Option<Location> {
    let lookup = Connect {
        from: String::new(),
        to: cluster_dns::SERVICE.to_string(),
        port: cluster_dns::PORT as u16,
        protocol: "UDP".to_string(),
        expect: Reachability::Open,
    };
    let from = PodInfo {
        name: String::new(),
        namespace: world.namespace.to_string(),
        labels: BTreeMap::new(),
        ports: vec![],
        host_network: false,
    };
    blame(decision, &lookup, &from, &from, world)
}

/// What explains a blocked lookup beyond the engine's words: an egress peer with a
/// `podSelector` that matches the DNS pods but no `namespaceSelector`, which selects pods
/// of the policy's own namespace only (`NetworkPolicyPeer`'s API documentation), so it
/// never reaches `kube-system`.
pub(super) fn dns_details(world: &World<'_>) -> Vec<crate::i18n::Message> {
    let dns = cluster_dns::pod();
    let mut details = Vec::new();
    for object in world.of_kind("NetworkPolicy") {
        let Some(spec) = object.typed::<NetworkPolicy>().and_then(|np| np.spec) else {
            continue;
        };
        let own_namespace_only = spec.egress.iter().flatten().any(|rule| {
            rule.to.iter().flatten().any(|peer| {
                peer.namespace_selector.is_none()
                    && peer.ip_block.is_none()
                    && peer
                        .pod_selector
                        .as_ref()
                        .is_some_and(|s| netpol::selector_matches(s, &dns.labels))
            })
        });
        if own_namespace_only {
            details.push(crate::msg!(
                "check-dns-peer-own-namespace",
                policy = world.name_of(object),
                namespace = world.namespace_of(object)
            ));
        }
    }
    details
}

/// The pods behind a connection's target, each with the port the connection reaches.
type Targets<'n> = Vec<(&'n PodInfo, i32)>;

/// The pods and ports behind `to:port`, and whether `to` is a name the source looks up
/// in the cluster DNS (a Service) rather than a pod reached at its IP; or why the
/// connection cannot be made at all.
fn endpoints<'n>(
    spec: &Connect,
    world: &World<'_>,
    net: &'n netpol::World,
) -> Result<(Targets<'n>, bool), Outcome> {
    let unresolved = || Outcome::error(crate::msg!("check-name-does-not-resolve", name = &spec.to));
    if spec.to.contains('/') {
        // A role's pod named directly (`<role>/<pod>`): its IP, no name lookup.
        return net
            .pods
            .iter()
            .find(|p| p.name == spec.to)
            .map(|pod| (vec![(pod, i32::from(spec.port))], false))
            .ok_or_else(unresolved);
    }
    // A name is looked up from the source's namespace (its pod's DNS search path).
    let from_namespace = net
        .pods
        .iter()
        .find(|p| p.name == spec.from)
        .map_or(world.namespace, |p| p.namespace.as_str());
    let (namespace, name) =
        cluster_dns::service_of(&spec.to, from_namespace).ok_or_else(unresolved)?;
    let namespace = world.dns_namespace(&namespace).to_string();
    if (namespace.as_str(), name.as_str()) == (cluster_dns::NAMESPACE, cluster_dns::SERVICE) {
        // The kube-dns Service: `dns` UDP 53 and `dns-tcp` TCP 53 to its pods' port 53.
        let targets: Vec<(&PodInfo, i32)> = net
            .pods
            .iter()
            .filter(|p| p.namespace == cluster_dns::NAMESPACE)
            .filter(|_| i32::from(spec.port) == cluster_dns::PORT)
            .filter(|_| ["UDP", "TCP"].contains(&spec.protocol.as_str()))
            .map(|p| (p, cluster_dns::PORT))
            .collect();
        if targets.is_empty() {
            return Err(Outcome::fail(
                crate::msg!(
                    "check-service-no-port",
                    service = &spec.to,
                    protocol = &spec.protocol,
                    port = spec.port.to_string()
                ),
                None,
            ));
        }
        return Ok((targets, true));
    }
    // A Service of the lab's namespace, or of a role's (`<service>.<role>`).
    let key = if namespace == world.namespace {
        name.clone()
    } else if net.namespaces.iter().any(|n| n.name == namespace) {
        crate::lab::qualified(Some(&namespace), &name)
    } else {
        return Err(unresolved());
    };
    let Some(service) = world
        .get("Service", &key)
        .and_then(|o| o.typed::<Service>())
    else {
        if let Some(rejected) = world.rejected("Service", &key) {
            return Err(rejected);
        }
        // A pod named directly (no Service of that name): its IP, no name lookup.
        if name == spec.to
            && let Some(pod) = net
                .pods
                .iter()
                .find(|p| p.namespace == world.namespace && p.name == name)
        {
            return Ok((vec![(pod, i32::from(spec.port))], false));
        }
        return Err(unresolved());
    };
    let svc = service.spec.unwrap_or_default();
    let Some(port) = svc.ports.iter().flatten().find(|p| {
        p.port == i32::from(spec.port) && p.protocol.as_deref().unwrap_or("TCP") == spec.protocol
    }) else {
        return Err(Outcome::fail(
            crate::msg!(
                "check-service-no-port",
                service = &spec.to,
                protocol = &spec.protocol,
                port = spec.port.to_string()
            ),
            None,
        ));
    };
    let selector = svc.selector.unwrap_or_default();
    let mut targets = Vec::new();
    for pod in net.pods.iter().filter(|p| p.namespace == namespace) {
        if selector.is_empty() || !selector.iter().all(|(k, v)| pod.labels.get(k) == Some(v)) {
            continue;
        }
        let target = match &port.target_port {
            None => Some(port.port),
            Some(IntOrString::Int(n)) => Some(*n),
            Some(IntOrString::String(name)) => pod
                .ports
                .iter()
                .find(|p| p.name.as_deref() == Some(name.as_str()) && p.protocol == spec.protocol)
                .map(|p| p.port),
        };
        if let Some(target) = target {
            targets.push((pod, target));
        }
    }
    if targets.is_empty() {
        let expected = match spec.expect {
            Reachability::Open => "open",
            Reachability::Blocked => "blocked",
        };
        return Err(Outcome::fail(
            crate::msg!(
                "check-service-no-endpoint",
                service = &spec.to,
                port = spec.port.to_string(),
                expected = expected
            ),
            None,
        ));
    }
    Ok((targets, true))
}

/// The policy field to look at when the verdict is not the expected one: the peer that
/// lets the source in, the port or protocol that does not match, the selector that
/// selects nothing — as deep as the learner's YAML allows.
fn blame(
    decision: &Decision,
    spec: &Connect,
    from: &PodInfo,
    to: &PodInfo,
    world: &World<'_>,
) -> Option<Location> {
    let at =
        |policy: &str, path: FieldPath| world.get("NetworkPolicy", policy).map(|o| o.locate(&path));
    match spec.expect {
        Reachability::Blocked => {
            // The rule that lets it in at the destination, else the one that lets it out
            // at the source (an egress policy's), matched against the other end.
            let admitting = decision
                .ingress
                .allowed_by
                .first()
                .map(|rule| (rule, from))
                .or_else(|| decision.egress.allowed_by.first().map(|rule| (rule, to)));
            if let Some((rule, other)) = admitting {
                let object = world.get("NetworkPolicy", &rule.policy)?;
                return Some(object.locate(&admitting_peer(
                    object,
                    &FieldPath::parse(&rule.path),
                    other,
                    &namespace_labels(world, &other.namespace),
                )));
            }
            // Nothing isolates the destination: the policy's podSelector selects nothing.
            let object = world.of_kind("NetworkPolicy").next()?;
            Some(object.locate(&narrow(&object.value, FieldPath::parse("spec.podSelector"))))
        }
        Reachability::Open => {
            let side = if decision.ingress.verdict == netpol::Verdict::Denied {
                &decision.ingress
            } else {
                &decision.egress
            };
            let field = if std::ptr::eq(side, &decision.ingress) {
                "spec.ingress"
            } else {
                "spec.egress"
            };
            // A rule that almost allows it is where the fix belongs (its peer or ports).
            if let Some((rule, _)) = side.near_misses.first() {
                let object = world.get("NetworkPolicy", &rule.policy)?;
                let path = FieldPath::parse(&rule.path);
                let path = if path.last_key() == Some("ports") {
                    mismatching_port(&object.value, path, spec)
                } else {
                    narrow(&object.value, path)
                };
                return Some(object.locate(&path));
            }
            let with_rules = side.selected_by.iter().find(|name| {
                world
                    .get("NetworkPolicy", name)
                    .and_then(|o| lookup(&o.value, &FieldPath::parse(field)))
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty())
            });
            let name = with_rules.or(side.selected_by.last())?;
            at(name, FieldPath::parse(field))
        }
    }
}

/// Descends while there is exactly one child: `podSelector.matchLabels.role`.
fn narrow(value: &Value, mut path: FieldPath) -> FieldPath {
    loop {
        match lookup(value, &path) {
            Some(Value::Object(map)) if map.len() == 1 => {
                path = path.key(map.keys().next().unwrap().clone())
            }
            Some(Value::Array(items)) if items.len() == 1 => path = path.index(0),
            _ => return path,
        }
    }
}

/// In a rule's single port entry, the protocol when it differs from the probe's, else
/// the port.
fn mismatching_port(value: &Value, ports: FieldPath, spec: &Connect) -> FieldPath {
    let Some(Value::Array(entries)) = lookup(value, &ports) else {
        return ports;
    };
    if entries.len() != 1 {
        return ports;
    }
    let entry = ports.index(0);
    let protocol = entries[0].get("protocol").and_then(Value::as_str);
    if protocol.is_some_and(|p| p != spec.protocol) {
        entry.key("protocol")
    } else if entries[0].get("port").is_some() {
        entry.key("port")
    } else {
        entry
    }
}

/// The peer of an allowing rule that admits the source, or the rule itself (a rule
/// without peers admits everyone).
/// The labels of the simulated namespace `namespace` (its name's label at least).
fn namespace_labels(world: &World<'_>, namespace: &str) -> BTreeMap<String, String> {
    world
        .namespaces()
        .into_iter()
        .find(|(name, _)| name == namespace)
        .map(|(_, labels)| labels)
        .unwrap_or_else(|| {
            BTreeMap::from([(
                "kubernetes.io/metadata.name".to_string(),
                namespace.to_string(),
            )])
        })
}

fn admitting_peer(
    object: &Object,
    rule: &FieldPath,
    from: &PodInfo,
    namespace_labels: &BTreeMap<String, String>,
) -> FieldPath {
    let direction = if rule.last_key() == Some("egress") {
        "to"
    } else {
        "from"
    };
    let peers_path = rule.key(direction);
    let Some(peers) = object
        .typed::<NetworkPolicy>()
        .and_then(|np| np.spec)
        .and_then(|spec| match direction {
            "from" => spec
                .ingress
                .and_then(|r| r.into_iter().nth(rule_index(rule)))
                .and_then(|r| r.from),
            _ => spec
                .egress
                .and_then(|r| r.into_iter().nth(rule_index(rule)))
                .and_then(|r| r.to),
        })
    else {
        return rule.clone();
    };
    let admits = |peer: &NetworkPolicyPeer| {
        if peer.ip_block.is_some() {
            return false;
        }
        let namespace_ok = peer
            .namespace_selector
            .as_ref()
            .is_none_or(|sel| netpol::selector_matches(sel, namespace_labels));
        let pod_ok = peer
            .pod_selector
            .as_ref()
            .is_none_or(|sel| netpol::selector_matches(sel, &from.labels));
        namespace_ok && pod_ok
    };
    match peers.iter().position(admits) {
        Some(j) => peers_path.index(j),
        None => rule.clone(),
    }
}

fn rule_index(rule: &FieldPath) -> usize {
    match rule.0.last() {
        Some(Segment::Index(i)) => *i,
        _ => 0,
    }
}
