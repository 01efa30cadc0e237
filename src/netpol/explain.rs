//! English explanations of a [`Decision`].

use super::{Decision, Side, Verdict};

fn isolated(side: &Side) -> bool {
    !side.selected_by.is_empty()
}

/// `api-pod on TCP/6379` for ingress, `traffic to db-pod on TCP/6379` for egress.
fn what(d: &Decision, side: &Side) -> String {
    if side.direction == "ingress" {
        format!("{} on {}/{}", d.from, d.protocol, d.port)
    } else {
        format!("traffic to {} on {}/{}", d.to, d.protocol, d.port)
    }
}

fn near_misses(side: &Side) -> String {
    side.near_misses
        .iter()
        .map(|(_, text)| format!("; {text}"))
        .collect()
}

fn allowed(d: &Decision) -> String {
    let parts: Vec<String> = [&d.ingress, &d.egress]
        .into_iter()
        .filter(|s| isolated(s))
        .map(|s| {
            let rules: Vec<String> = s
                .allow_reasons
                .iter()
                .map(|(r, reason)| format!("rule {} of {} {reason}", r.path, r.policy))
                .collect();
            format!(
                "{} is isolated for {} by {}; {}",
                s.pod,
                s.direction,
                s.selected_by.join(", "),
                rules.join("; ")
            )
        })
        .collect();
    if parts.is_empty() {
        format!(
            "allowed: no policy selects {} for ingress and no policy selects {} for egress",
            d.ingress.pod, d.egress.pod
        )
    } else {
        format!("allowed: {}", parts.join("; and "))
    }
}

fn blocked(d: &Decision) -> String {
    let parts: Vec<String> = [&d.ingress, &d.egress]
        .into_iter()
        .filter(|s| s.verdict == Verdict::Denied)
        .map(|s| {
            format!(
                "{} is isolated for {} (selected by {}) and no {} rule allows {}{}",
                s.pod,
                s.direction,
                s.selected_by.join(", "),
                s.direction,
                what(d, s),
                near_misses(s)
            )
        })
        .collect();
    format!("blocked: {}", parts.join("; also "))
}

fn undecided(d: &Decision) -> String {
    let parts: Vec<String> = [&d.ingress, &d.egress]
        .into_iter()
        .filter(|s| s.verdict == Verdict::ImplementationDefined)
        .map(|s| {
            let reasons: Vec<String> = s
                .implementation_defined
                .iter()
                .map(|(r, reason)| format!("{} of {}: {reason}", r.path, r.policy))
                .collect();
            format!(
                "{} is isolated for {} (selected by {}) and only rules whose effect depends on \
                 the network plugin might allow {} ({}){}",
                s.pod,
                s.direction,
                s.selected_by.join(", "),
                what(d, s),
                reasons.join("; "),
                near_misses(s)
            )
        })
        .collect();
    format!("depends on the network plugin: {}", parts.join("; also "))
}

pub(crate) fn explain(d: &Decision) -> String {
    match d.verdict {
        Verdict::Allowed => allowed(d),
        Verdict::Denied => blocked(d),
        Verdict::ImplementationDefined => undecided(d),
    }
}

#[cfg(test)]
mod tests {
    use crate::netpol::evaluate;
    use crate::netpol::test_support::{api_allow_to_db, db_deny_ingress, lab_world, policy, probe};
    use serde_json::json;

    fn explain(w: &crate::netpol::World, from: &str, to: &str, port: i32) -> String {
        evaluate(w, &probe(w, from, to, port, "TCP")).explain()
    }

    #[test]
    fn nothing_selects() {
        let w = lab_world();
        assert_eq!(
            explain(&w, "api-pod", "db-pod", 6379),
            "allowed: no policy selects db-pod for ingress and no policy selects api-pod for egress"
        );
    }

    #[test]
    fn isolated_and_nothing_allows() {
        let mut w = lab_world();
        w.policies.push(db_deny_ingress());
        assert_eq!(
            explain(&w, "api-pod", "db-pod", 6379),
            "blocked: db-pod is isolated for ingress (selected by db-deny-ingress) and no \
             ingress rule allows api-pod on TCP/6379"
        );
    }

    #[test]
    fn allowed_by_rule() {
        let mut w = lab_world();
        w.policies.push(db_deny_ingress());
        w.policies.push(api_allow_to_db());
        assert_eq!(
            explain(&w, "api-pod", "db-pod", 6379),
            "allowed: db-pod is isolated for ingress by db-deny-ingress, api-allow-to-db; rule \
             spec.ingress[0] of api-allow-to-db allows app=api on TCP 6379"
        );
    }

    #[test]
    fn near_miss_on_port() {
        let mut w = lab_world();
        w.policies.push(db_deny_ingress());
        w.policies.push(api_allow_to_db());
        assert_eq!(
            explain(&w, "api-pod", "db-pod", 6380),
            "blocked: db-pod is isolated for ingress (selected by db-deny-ingress, \
             api-allow-to-db) and no ingress rule allows api-pod on TCP/6380; rule \
             spec.ingress[0] of api-allow-to-db matches the source api-pod but allows only \
             TCP/6379"
        );
    }

    #[test]
    fn near_miss_on_peer() {
        let mut w = lab_world();
        w.policies.push(api_allow_to_db());
        assert_eq!(
            explain(&w, "external-pod", "db-pod", 6379),
            "blocked: db-pod is isolated for ingress (selected by api-allow-to-db) and no \
             ingress rule allows external-pod on TCP/6379; rule spec.ingress[0] of \
             api-allow-to-db allows TCP/6379 but only from app=api"
        );
    }

    #[test]
    fn near_miss_on_unnamed_container_port() {
        let mut w = lab_world();
        w.policies.push(policy(
            "allow-redis",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": "redis"}]}]
            }),
        ));
        let text = explain(&w, "api-pod", "db-pod", 6379);
        assert!(text.starts_with("blocked: "), "{text}");
        assert!(
            text.contains("allows only TCP/redis (named port, not declared by db-pod"),
            "{text}"
        );
    }

    #[test]
    fn egress_blocked() {
        let mut w = lab_world();
        w.policies.push(policy(
            "api-no-egress",
            "default",
            json!({"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"], "egress": []}),
        ));
        assert_eq!(
            explain(&w, "api-pod", "db-pod", 6379),
            "blocked: api-pod is isolated for egress (selected by api-no-egress) and no egress \
             rule allows traffic to db-pod on TCP/6379"
        );
    }

    #[test]
    fn host_network_mentions_reason() {
        let mut w = lab_world();
        w.pods[1].host_network = true; // api-pod
        w.policies.push(db_deny_ingress());
        let text = explain(&w, "api-pod", "db-pod", 6379);
        assert!(
            text.starts_with("depends on the network plugin: "),
            "{text}"
        );
        assert!(text.contains("api-pod uses hostNetwork"), "{text}");
        let d = evaluate(&w, &probe(&w, "api-pod", "db-pod", 6379, "TCP"));
        assert_eq!(
            serde_json::to_value(d.verdict).unwrap(),
            json!("implementation-defined")
        );
    }

    #[test]
    fn implementation_defined_mentions_reason() {
        let mut w = lab_world();
        w.policies.push(policy(
            "cidr",
            "default",
            json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}]
            }),
        ));
        let text = explain(&w, "api-pod", "db-pod", 6379);
        assert!(
            text.starts_with("depends on the network plugin: db-pod is isolated for ingress"),
            "{text}"
        );
        assert!(
            text.contains("spec.ingress[0] of cidr: ipBlock 10.0.0.0/8"),
            "{text}"
        );
    }
}
