//! `dns`: `nslookup <name>` from a pod, decided by the NetworkPolicy engine: the lookup
//! is a UDP query to the cluster DNS pods on port 53 (see [`crate::check::cluster_dns`]),
//! so it is answered when the source's egress policies allow that (the DNS pods'
//! ingress is open: nothing in `kube-system` is the lab's to isolate). TCP 53 plays no
//! part: busybox's `nslookup` asks over UDP and its answers fit, as the test cluster
//! shows with a policy that allows UDP 53 only.

use super::connect::{dns_blocked, dns_details, dns_deviation, dns_location, network};
use crate::check::cluster_dns;
use crate::check::outcome::Outcome;
use crate::check::world::World;
use crate::lab::{Dns, Resolution};
use crate::manifest::FieldPath;
use crate::netpol;

pub fn evaluate(spec: &Dns, world: &World<'_>) -> Outcome {
    let mut net = network(world);
    cluster_dns::add_to(&mut net);
    let Some(from) = net.pods.iter().find(|p| p.name == spec.from) else {
        if let Some(rejected) = world.rejected("Pod", &spec.from) {
            return rejected;
        }
        return Outcome::error(crate::msg!("check-probe-pod-missing", pod = &spec.from));
    };
    let known = cluster_dns::service_of(&spec.name, &from.namespace).is_some_and(|(ns, svc)| {
        let ns = world.dns_namespace(&ns).to_string();
        cluster_dns::is_builtin_service(&ns, &svc)
            || (ns == world.namespace && world.get("Service", &svc).is_some())
            || (net.namespaces.iter().any(|n| n.name == ns)
                && world
                    .get("Service", &crate::lab::qualified(Some(&ns), &svc))
                    .is_some())
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
                    outcome.deviation = dns_deviation(&net, from, &[]);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Verdict;
    use crate::i18n::Lang;
    use crate::lab::{Connect, Reachability};
    use crate::manifest::{Object, load_text};
    use std::collections::BTreeMap;

    const SCENARIO: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: api-pod, labels: {app: api}}
spec: {containers: [{name: api-pod, image: busybox:1.28}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db-pod, labels: {role: db}}
spec: {containers: [{name: db-pod, image: redis, ports: [{containerPort: 6379}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: db-pod}
spec: {selector: {role: db}, ports: [{port: 6379, protocol: TCP, targetPort: 6379}]}
";

    /// Egress of api-pod to db pods on TCP 6379 only: no DNS.
    const DB_ONLY: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-only}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {role: db}}}]
    ports: [{protocol: TCP, port: 6379}]
";

    fn objects(policies: &str) -> Vec<Object> {
        let mut objects = load_text("scenario.yaml", SCENARIO).unwrap();
        if !policies.is_empty() {
            objects.extend(load_text("policy.yaml", policies).unwrap());
        }
        objects
    }

    fn lookup(objects: &[Object], name: &str, expect: Resolution) -> Outcome {
        let params = BTreeMap::new();
        let mut world = World::new(&params, "lab");
        for object in objects {
            world.apply(object);
        }
        let spec = Dns {
            from: "api-pod".into(),
            name: name.into(),
            expect,
        };
        evaluate(&spec, &world)
    }

    fn connect(objects: &[Object], to: &str) -> Outcome {
        let params = BTreeMap::new();
        let mut world = World::new(&params, "lab");
        for object in objects {
            world.apply(object);
        }
        let spec = Connect {
            from: "api-pod".into(),
            to: to.into(),
            port: 6379,
            protocol: "TCP".into(),
            expect: Reachability::Open,
        };
        super::super::connect::evaluate(&spec, &world)
    }

    #[test]
    fn lookups_resolve_until_an_egress_policy_leaves_out_the_dns_pods() {
        let open = objects("");
        for name in [
            "db-pod",
            "db-pod.lab.svc.cluster.local",
            "kube-dns.kube-system",
        ] {
            let outcome = lookup(&open, name, Resolution::Resolves);
            assert_eq!(outcome.verdict, Verdict::Pass, "{name}");
        }
        // A name the cluster DNS does not know: the lab's mistake, never a verdict.
        let unknown = lookup(&open, "nosuch", Resolution::Fails);
        assert_eq!(unknown.verdict, Verdict::Error);
        let closed = objects(DB_ONLY);
        let fails = lookup(&closed, "db-pod", Resolution::Resolves);
        assert_eq!(fails.verdict, Verdict::Fail);
        assert!(
            fails.message.render(Lang::En).contains("DNS is blocked"),
            "{}",
            fails.message.render(Lang::En)
        );
        // At the policy's `egress` (its only rule does not reach the DNS pods).
        let at = fails.location.expect("located");
        assert_eq!(at.file, "policy.yaml");
        assert_eq!(
            lookup(&closed, "db-pod", Resolution::Fails).verdict,
            Verdict::Pass
        );
    }

    #[test]
    fn a_service_needs_dns_and_a_pod_named_directly_does_not() {
        let closed = objects(DB_ONLY);
        // Through the Service: the lookup is blocked, so the connection is not made.
        let service = connect(&closed, "db-pod");
        assert_eq!(service.verdict, Verdict::Fail);
        assert!(
            service
                .message
                .render(Lang::En)
                .contains("does not resolve because DNS is blocked")
        );
        assert_eq!(service.location.expect("located").file, "policy.yaml");
        // A pod with no Service of its name is reached at its IP: allowed by the rule.
        let mut without_service = objects(DB_ONLY);
        without_service.retain(|o| o.kind != "Service");
        let pod = connect(&without_service, "db-pod");
        assert_eq!(
            pod.verdict,
            Verdict::Pass,
            "{}",
            pod.message.render(Lang::En)
        );
        // A name that is neither: the lab's mistake.
        assert_eq!(connect(&closed, "nosuch").verdict, Verdict::Error);
    }
}
