//! Explanations of a [`Decision`], as learner messages.

use super::{Decision, Side, Verdict};
use crate::i18n::Message;
use crate::msg;

fn isolated(side: &Side) -> bool {
    !side.selected_by.is_empty()
}

/// `api-pod on TCP/6379` for ingress, `traffic to db-pod on TCP/6379` for egress.
fn what(d: &Decision, side: &Side) -> Message {
    if side.direction == "ingress" {
        msg!(
            "netpol-what-ingress",
            from = d.from.as_str(),
            protocol = d.protocol.as_str(),
            port = d.port.to_string()
        )
    } else {
        msg!(
            "netpol-what-egress",
            to = d.to.as_str(),
            protocol = d.protocol.as_str(),
            port = d.port.to_string()
        )
    }
}

/// `text`, followed by `; ` and the side's near misses when it has some.
fn with_near_misses(text: Message, side: &Side) -> Message {
    if side.near_misses.is_empty() {
        return text;
    }
    let near: Vec<Message> = side.near_misses.iter().map(|(_, m)| m.clone()).collect();
    msg!("netpol-with-near-misses", text = text, near = near)
}

/// `items` joined by the separator message `join` (`first`, `rest`); `items` is not empty.
fn join(items: Vec<Message>, join: fn(Message, Message) -> Message) -> Message {
    let mut items = items.into_iter().rev();
    let last = items.next().expect("at least one part");
    items.fold(last, |rest, first| join(first, rest))
}

fn allowed(d: &Decision) -> Message {
    let parts: Vec<Message> = [&d.ingress, &d.egress]
        .into_iter()
        .filter(|s| isolated(s))
        .map(|s| {
            let rules: Vec<Message> = s
                .allow_reasons
                .iter()
                .map(|(r, reason)| {
                    msg!(
                        "netpol-explain-rule",
                        rule = r.path.as_str(),
                        policy = r.policy.as_str(),
                        reason = reason.clone()
                    )
                })
                .collect();
            msg!(
                "netpol-explain-isolated-by",
                pod = s.pod.as_str(),
                direction = s.direction.as_str(),
                policies = s.selected_by.join(", "),
                rules = rules
            )
        })
        .collect();
    if parts.is_empty() {
        msg!(
            "netpol-explain-allowed-no-policy",
            ingress_pod = d.ingress.pod.as_str(),
            egress_pod = d.egress.pod.as_str()
        )
    } else {
        msg!(
            "netpol-explain-allowed",
            parts = join(parts, |first, rest| msg!(
                "netpol-list-and",
                first = first,
                rest = rest
            ))
        )
    }
}

fn also(first: Message, rest: Message) -> Message {
    msg!("netpol-list-also", first = first, rest = rest)
}

fn blocked(d: &Decision) -> Message {
    let parts: Vec<Message> = [&d.ingress, &d.egress]
        .into_iter()
        .filter(|s| s.verdict == Verdict::Denied)
        .map(|s| {
            with_near_misses(
                msg!(
                    "netpol-explain-blocked-side",
                    pod = s.pod.as_str(),
                    direction = s.direction.as_str(),
                    policies = s.selected_by.join(", "),
                    what = what(d, s)
                ),
                s,
            )
        })
        .collect();
    msg!("netpol-explain-blocked", parts = join(parts, also))
}

fn undecided(d: &Decision) -> Message {
    let parts: Vec<Message> = [&d.ingress, &d.egress]
        .into_iter()
        .filter(|s| s.verdict == Verdict::ImplementationDefined)
        .map(|s| {
            let reasons: Vec<Message> = s
                .implementation_defined
                .iter()
                .map(|(r, reason)| {
                    msg!(
                        "netpol-explain-rule-reason",
                        rule = r.path.as_str(),
                        policy = r.policy.as_str(),
                        reason = reason.clone()
                    )
                })
                .collect();
            with_near_misses(
                msg!(
                    "netpol-explain-undecided-side",
                    pod = s.pod.as_str(),
                    direction = s.direction.as_str(),
                    policies = s.selected_by.join(", "),
                    what = what(d, s),
                    reasons = reasons
                ),
                s,
            )
        })
        .collect();
    msg!("netpol-explain-undecided", parts = join(parts, also))
}

pub(crate) fn explain(d: &Decision) -> Message {
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
        evaluate(w, &probe(w, from, to, port, "TCP"))
            .explain()
            .to_string()
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
