//! `connect`: `nc -zv <to> <port>` from a pod, decided by the NetworkPolicy engine after
//! resolving `<to>` the way cluster DNS and kube-proxy do (Service → endpoints →
//! `targetPort`, named target ports looked up on each endpoint pod).

use crate::check::outcome::{Outcome, Verdict};
use crate::check::world::World;
use crate::lab::{Connect, Reachability};
use crate::manifest::{FieldPath, Location};
use crate::netpol::{self, ContainerPort, Decision, NamespaceInfo, PodInfo, Policy, Probe};
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

pub fn evaluate(spec: &Connect, world: &World<'_>) -> Outcome {
    let net = network(world);
    let Some(from) = net.pods.iter().find(|p| p.name == spec.from) else {
        return Outcome::error(format!(
            "the probe pod {} does not exist, so nothing can be concluded",
            spec.from
        ));
    };
    let targets = match endpoints(spec, world, &net) {
        Ok(targets) => targets,
        Err(outcome) => return outcome,
    };
    let what = format!("{} → {}:{}", spec.from, spec.to, spec.port);
    let mut decisions = Vec::new();
    for (pod, port) in targets {
        let probe = Probe {
            from,
            to: pod,
            port,
            protocol: spec.protocol.clone(),
        };
        decisions.push(netpol::evaluate(&net, &probe));
    }
    // A Service connection succeeds when any endpoint accepts it (kube-proxy picks one;
    // the labs have one endpoint per Service).
    let decision = decisions
        .iter()
        .find(|d| d.verdict == netpol::Verdict::Allowed)
        .or_else(|| {
            decisions
                .iter()
                .find(|d| d.verdict == netpol::Verdict::ImplementationDefined)
        })
        .unwrap_or(&decisions[0]);
    let explanation = decision.explain();
    let actual = match decision.verdict {
        netpol::Verdict::Allowed => Reachability::Open,
        netpol::Verdict::Denied => Reachability::Blocked,
        netpol::Verdict::ImplementationDefined => {
            return Outcome::skip(format!(
                "{what}: depends on the network plugin, not decidable offline: {explanation}"
            ));
        }
    };
    let word = |r: Reachability| match r {
        Reachability::Open => "open",
        Reachability::Blocked => "blocked",
    };
    if actual == spec.expect {
        return Outcome::pass(format!("{what} is {}: {explanation}", word(actual)));
    }
    Outcome::new(
        Verdict::Fail,
        format!(
            "{what} is {}, expected {}: {explanation}",
            word(actual),
            word(spec.expect)
        ),
        blame(decision, spec.expect, world),
    )
}

/// The simulated cluster network: the namespace's pods and accepted policies.
fn network(world: &World<'_>) -> netpol::World {
    let pods = world
        .of_kind("Pod")
        .filter_map(|o| o.typed::<Pod>().map(|p| (o.name.clone(), p)))
        .map(|(name, pod)| pod_info(name, &pod, world.namespace))
        .collect();
    let policies = world
        .of_kind("NetworkPolicy")
        .filter_map(|o| {
            let np = o.typed::<NetworkPolicy>()?;
            Some(Policy {
                name: o.name.clone(),
                namespace: world.namespace.to_string(),
                spec: np.spec.unwrap_or_default(),
            })
        })
        .collect();
    netpol::World {
        namespaces: vec![NamespaceInfo {
            name: world.namespace.to_string(),
            labels: BTreeMap::from([(
                "kubernetes.io/metadata.name".to_string(),
                world.namespace.to_string(),
            )]),
        }],
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

/// The pods and ports behind `to:port`, or why the connection cannot be made at all.
fn endpoints<'n>(
    spec: &Connect,
    world: &World<'_>,
    net: &'n netpol::World,
) -> Result<Vec<(&'n PodInfo, i32)>, Outcome> {
    let Some(service) = world
        .get("Service", &spec.to)
        .and_then(|o| o.typed::<Service>())
    else {
        return Err(Outcome::error(format!(
            "`{}` does not resolve: there is no Service of that name (pod names are not DNS names)",
            spec.to
        )));
    };
    let svc = service.spec.unwrap_or_default();
    let Some(port) = svc.ports.iter().flatten().find(|p| {
        p.port == i32::from(spec.port) && p.protocol.as_deref().unwrap_or("TCP") == spec.protocol
    }) else {
        return Err(Outcome::fail(
            format!(
                "Service {} has no {} port {}: the connection is refused",
                spec.to, spec.protocol, spec.port
            ),
            None,
        ));
    };
    let selector = svc.selector.unwrap_or_default();
    let mut targets = Vec::new();
    for pod in &net.pods {
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
        let expectation = match spec.expect {
            Reachability::Open => "it cannot connect",
            Reachability::Blocked => "a refused connection is not a blocked one",
        };
        return Err(Outcome::fail(
            format!(
                "Service {} has no ready endpoint: nothing answers on port {} and {expectation}",
                spec.to, spec.port
            ),
            None,
        ));
    }
    Ok(targets)
}

/// The policy field to look at when the verdict is not the expected one.
fn blame(decision: &Decision, expected: Reachability, world: &World<'_>) -> Option<Location> {
    let locate = |policy: &str, path: &str| {
        world
            .get("NetworkPolicy", policy)
            .map(|o| o.locate(&FieldPath::parse(path)))
    };
    match expected {
        // Open but expected blocked: the rule that lets it through, or the policy that
        // should have selected the destination.
        Reachability::Blocked => {
            if let Some(rule) = decision.ingress.allowed_by.first() {
                return locate(&rule.policy, &rule.path);
            }
            world
                .of_kind("NetworkPolicy")
                .next()
                .map(|o| o.locate(&FieldPath::parse("spec.podSelector")))
        }
        // Blocked but expected open: the ingress rules of a policy isolating the
        // destination (where the missing allow belongs), else the egress side.
        Reachability::Open => {
            let side = if decision.ingress.verdict == netpol::Verdict::Denied {
                &decision.ingress
            } else {
                &decision.egress
            };
            // A rule that almost allows it is where the fix belongs (its peer or ports).
            if let Some((rule, _)) = side.near_misses.first() {
                return locate(&rule.policy, &rule.path);
            }
            let field = if std::ptr::eq(side, &decision.ingress) {
                "spec.ingress"
            } else {
                "spec.egress"
            };
            let with_rules = side.selected_by.iter().find(|name| {
                world.get("NetworkPolicy", name).is_some_and(|o| {
                    o.value
                        .pointer(&format!("/{}", field.replace('.', "/")))
                        .is_some_and(|v| v.as_array().is_some_and(|a| !a.is_empty()))
                })
            });
            let name = with_rules.or(side.selected_by.last())?;
            locate(name, field)
        }
    }
}
