//! What the API server rejects in a NetworkPolicySpec (mirrors
//! `ValidateNetworkPolicySpec` of kubernetes/pkg/apis/networking/validation).

use crate::i18n::Message;
use crate::msg;
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::net::IpAddr;

type Errors = Vec<(String, Message)>;

pub(crate) fn validate(spec: &NetworkPolicySpec) -> Errors {
    let mut errs = Errors::new();
    if let Some(s) = &spec.pod_selector {
        label_selector(s, "spec.podSelector", &mut errs);
    }
    for (i, rule) in spec.ingress.iter().flatten().enumerate() {
        let path = format!("spec.ingress[{i}]");
        for (j, p) in rule.ports.iter().flatten().enumerate() {
            port(p, &format!("{path}.ports[{j}]"), &mut errs);
        }
        for (j, p) in rule.from.iter().flatten().enumerate() {
            peer(p, &format!("{path}.from[{j}]"), &mut errs);
        }
    }
    for (i, rule) in spec.egress.iter().flatten().enumerate() {
        let path = format!("spec.egress[{i}]");
        for (j, p) in rule.ports.iter().flatten().enumerate() {
            port(p, &format!("{path}.ports[{j}]"), &mut errs);
        }
        for (j, p) in rule.to.iter().flatten().enumerate() {
            peer(p, &format!("{path}.to[{j}]"), &mut errs);
        }
    }
    if let Some(types) = &spec.policy_types {
        if types.len() > 2 {
            errs.push((
                "spec.policyTypes".into(),
                msg!("netpol-invalid-too-many-policy-types"),
            ));
        } else {
            for (i, t) in types.iter().enumerate() {
                if t != "Ingress" && t != "Egress" {
                    errs.push((
                        format!("spec.policyTypes[{i}]"),
                        msg!(
                            "netpol-invalid-unsupported",
                            value = format!("{t:?}"),
                            supported = "\"Ingress\", \"Egress\""
                        ),
                    ));
                }
            }
        }
    }
    errs
}

fn peer(p: &NetworkPolicyPeer, path: &str, errs: &mut Errors) {
    let mut count = 0;
    if let Some(s) = &p.pod_selector {
        count += 1;
        label_selector(s, &format!("{path}.podSelector"), errs);
    }
    if let Some(s) = &p.namespace_selector {
        count += 1;
        label_selector(s, &format!("{path}.namespaceSelector"), errs);
    }
    if let Some(b) = &p.ip_block {
        count += 1;
        ip_block(b, &format!("{path}.ipBlock"), errs);
    }
    if count == 0 {
        errs.push((path.into(), msg!("netpol-invalid-no-peer")));
    } else if count > 1 && p.ip_block.is_some() {
        errs.push((path.into(), msg!("netpol-invalid-ip-block-and-peer")));
    }
}

fn port_range(n: i32) -> Message {
    msg!("netpol-invalid-port-range", value = n.to_string())
}

fn port(p: &NetworkPolicyPort, path: &str, errs: &mut Errors) {
    if let Some(proto) = &p.protocol
        && !matches!(proto.as_str(), "TCP" | "UDP" | "SCTP")
    {
        errs.push((
            format!("{path}.protocol"),
            msg!(
                "netpol-invalid-unsupported",
                value = format!("{proto:?}"),
                supported = "\"TCP\", \"UDP\", \"SCTP\""
            ),
        ));
    }
    let valid = |n: i32| (1..=65535).contains(&n);
    match &p.port {
        Some(IntOrString::Int(n)) => {
            if !valid(*n) {
                errs.push((format!("{path}.port"), port_range(*n)));
            }
            if let Some(end) = p.end_port {
                if end < *n {
                    errs.push((
                        format!("{path}.endPort"),
                        msg!("netpol-invalid-end-port-below", value = end.to_string()),
                    ));
                }
                if !valid(end) {
                    errs.push((format!("{path}.endPort"), port_range(end)));
                }
            }
        }
        Some(IntOrString::String(name)) => {
            if let Some(end) = p.end_port {
                errs.push((
                    format!("{path}.endPort"),
                    msg!("netpol-invalid-end-port-named", value = end.to_string()),
                ));
            }
            if let Some(problem) = port_name_problem(name) {
                // A number in quotes ("6379") is a port *name* to the API server: the
                // same rejection, with the fix said (drop the quotes).
                let quoted_number = problem == "letter"
                    && name
                        .parse::<u16>()
                        .is_ok_and(|n| n > 0 && !name.starts_with('0'));
                let message = if quoted_number {
                    msg!(
                        "netpol-invalid-port-quoted-number",
                        value = format!("{name:?}"),
                        number = name.as_str()
                    )
                } else {
                    msg!(
                        "netpol-invalid-port-name",
                        value = format!("{name:?}"),
                        problem = problem
                    )
                };
                errs.push((format!("{path}.port"), message));
            }
        }
        None => {
            if let Some(end) = p.end_port {
                errs.push((
                    format!("{path}.endPort"),
                    msg!(
                        "netpol-invalid-end-port-without-port",
                        value = end.to_string()
                    ),
                ));
            }
        }
    }
}

/// IANA_SVC_NAME: 1-15 lowercase alphanumerics or '-', at least one letter, no leading,
/// trailing or doubled '-'. The problem is the `$problem` of `netpol-invalid-port-name`.
fn port_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > 15 {
        return Some("length");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("characters");
    }
    if name.contains("--") {
        return Some("hyphens");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        return Some("letter");
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("ends");
    }
    None
}

/// `(network address, prefix length)` of a CIDR, or `None` when it does not parse.
fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, len) = s.split_once('/')?;
    let ip: IpAddr = ip.parse().ok()?;
    if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) || len.len() > 3 {
        return None;
    }
    let len: u8 = len.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (len <= max).then_some((ip, len))
}

fn mask(ip: IpAddr, len: u8) -> u128 {
    let (bits, width) = match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32u32),
        IpAddr::V6(v6) => (u128::from(v6), 128u32),
    };
    let host_bits = width - u32::from(len);
    if host_bits >= 128 {
        0
    } else {
        (bits >> host_bits) << host_bits
    }
}

fn ip_block(b: &IPBlock, path: &str, errs: &mut Errors) {
    if b.cidr.is_empty() {
        errs.push((format!("{path}.cidr"), msg!("netpol-invalid-required")));
        return;
    }
    let Some((net, len)) = parse_cidr(&b.cidr) else {
        errs.push((
            format!("{path}.cidr"),
            msg!("netpol-invalid-cidr", value = format!("{:?}", b.cidr)),
        ));
        return;
    };
    for (i, ex) in b.except.iter().flatten().enumerate() {
        let ex_path = format!("{path}.except[{i}]");
        let Some((ex_ip, ex_len)) = parse_cidr(ex) else {
            errs.push((
                ex_path,
                msg!("netpol-invalid-cidr", value = format!("{ex:?}")),
            ));
            continue;
        };
        let inside =
            ex_ip.is_ipv4() == net.is_ipv4() && ex_len > len && mask(ex_ip, len) == mask(net, len);
        if !inside {
            errs.push((
                ex_path,
                msg!("netpol-invalid-not-subset", value = format!("{ex:?}")),
            ));
        }
    }
}

fn label_selector(s: &LabelSelector, path: &str, errs: &mut Errors) {
    for (k, v) in s.match_labels.iter().flatten() {
        if let Some(problem) = label_key_problem(k) {
            errs.push((format!("{path}.matchLabels"), problem));
        }
        if let Some(problem) = label_value_problem(v) {
            errs.push((format!("{path}.matchLabels"), problem));
        }
    }
    for (i, req) in s.match_expressions.iter().flatten().enumerate() {
        let rpath = format!("{path}.matchExpressions[{i}]");
        let n = req.values.as_ref().map_or(0, Vec::len);
        match req.operator.as_str() {
            "In" | "NotIn" if n == 0 => errs.push((
                format!("{rpath}.values"),
                msg!("netpol-invalid-values-required"),
            )),
            "Exists" | "DoesNotExist" if n > 0 => errs.push((
                format!("{rpath}.values"),
                msg!("netpol-invalid-values-forbidden"),
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            op => errs.push((
                format!("{rpath}.operator"),
                msg!("netpol-invalid-operator", value = format!("{op:?}")),
            )),
        }
        if let Some(problem) = label_key_problem(&req.key) {
            errs.push((format!("{rpath}.key"), problem));
        }
        for (j, v) in req.values.iter().flatten().enumerate() {
            if let Some(problem) = label_value_problem(v) {
                errs.push((format!("{rpath}.values[{j}]"), problem));
            }
        }
    }
}

/// A qualified name segment: 1-63 alphanumerics, '-', '_' or '.', alphanumeric at both ends.
fn name_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn dns_subdomain_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

fn label_key_problem(key: &str) -> Option<Message> {
    let ok = match key.split_once('/') {
        Some((prefix, name)) => dns_subdomain_ok(prefix) && name_ok(name),
        None => name_ok(key),
    };
    (!ok).then(|| msg!("netpol-invalid-label-key", value = format!("{key:?}")))
}

fn label_value_problem(v: &str) -> Option<Message> {
    (!v.is_empty() && !name_ok(v))
        .then(|| msg!("netpol-invalid-label-value", value = format!("{v:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    fn errors(spec: serde_json::Value) -> Errors {
        validate(&serde_json::from_value(spec).unwrap())
    }

    #[rstest]
    #[case::lab_deny(json!({"podSelector": {"matchLabels": {"role": "db"}}, "policyTypes": ["Ingress"], "ingress": []}))]
    #[case::lab_allow(json!({"podSelector": {"matchLabels": {"role": "db"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "api"}}}], "ports": [{"protocol": "TCP", "port": 6379}]}]}))]
    #[case::allow_all(json!({"podSelector": {}, "ingress": [{}], "egress": [{}]}))]
    #[case::everything_valid(json!({
        "podSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [{"from": [
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "x"}}, "podSelector": {}},
            {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}
        ], "ports": [{"port": "redis", "protocol": "UDP"}, {"port": 1, "endPort": 65535}, {"protocol": "SCTP"}]}],
        "egress": [{"to": [{"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8:1::/48"]}}]}]
    }))]
    fn valid_specs(#[case] spec: serde_json::Value) {
        assert_eq!(errors(spec), Errors::new());
    }

    #[rstest]
    #[case::empty_peer(json!({"ingress": [{"from": [{}]}]}), "spec.ingress[0].from[0]", "must specify a peer")]
    #[case::empty_egress_peer(json!({"egress": [{"to": [{"podSelector": {}}, {}]}]}), "spec.egress[0].to[1]", "must specify a peer")]
    #[case::ip_block_with_selector(json!({"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}]}]}),
        "spec.ingress[0].from[0]", "may not specify both ipBlock and another peer")]
    #[case::end_port_without_port(json!({"ingress": [{"ports": [{"endPort": 80}]}]}), "spec.ingress[0].ports[0].endPort", "80: may not be specified when `port` is not specified")]
    #[case::end_port_named(json!({"ingress": [{"ports": [{"port": "http", "endPort": 80}]}]}), "spec.ingress[0].ports[0].endPort", "80: may not be specified when `port` is non-numeric")]
    #[case::end_port_below_port(json!({"ingress": [{"ports": [{"port": 80, "endPort": 79}]}]}), "spec.ingress[0].ports[0].endPort", "79: must be greater than or equal to `port`")]
    #[case::port_zero(json!({"ingress": [{"ports": [{"port": 0}]}]}), "spec.ingress[0].ports[0].port", "0: must be between 1 and 65535, inclusive")]
    #[case::port_too_big(json!({"egress": [{"ports": [{"port": 65536}]}]}), "spec.egress[0].ports[0].port", "65536: must be between 1 and 65535, inclusive")]
    #[case::end_port_too_big(json!({"ingress": [{"ports": [{"port": 1, "endPort": 70000}]}]}), "spec.ingress[0].ports[0].endPort", "70000: must be between 1 and 65535, inclusive")]
    #[case::bad_protocol(json!({"ingress": [{"ports": [{"protocol": "tcp", "port": 80}]}]}), "spec.ingress[0].ports[0].protocol",
        "\"tcp\": unsupported value; supported values: \"TCP\", \"UDP\", \"SCTP\"")]
    #[case::bad_port_name(json!({"ingress": [{"ports": [{"port": "6379"}]}]}), "spec.ingress[0].ports[0].port", "\"6379\": must contain at least one letter (a-z): a number in quotes is a port name to the API server; remove the quotes (port: 6379)")]
    #[case::bad_cidr(json!({"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/33"}}]}]}), "spec.ingress[0].from[0].ipBlock.cidr",
        "\"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
    #[case::cidr_without_prefix(json!({"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.1"}}]}]}), "spec.ingress[0].from[0].ipBlock.cidr",
        "\"10.0.0.1\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
    #[case::except_outside(json!({"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.1.0.0/24"]}}]}]}),
        "spec.ingress[0].from[0].ipBlock.except[0]", "\"10.1.0.0/24\": must be a strict subset of `cidr`")]
    #[case::except_equal(json!({"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.0.0/16"]}}]}]}),
        "spec.ingress[0].from[0].ipBlock.except[0]", "\"10.0.0.0/16\": must be a strict subset of `cidr`")]
    #[case::except_other_family(json!({"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["::/64"]}}]}]}),
        "spec.ingress[0].from[0].ipBlock.except[0]", "\"::/64\": must be a strict subset of `cidr`")]
    #[case::bad_operator(json!({"podSelector": {"matchExpressions": [{"key": "app", "operator": "Equals", "values": ["a"]}]}}),
        "spec.podSelector.matchExpressions[0].operator", "\"Equals\": not a valid selector operator")]
    #[case::in_without_values(json!({"ingress": [{"from": [{"podSelector": {"matchExpressions": [{"key": "app", "operator": "In"}]}}]}]}),
        "spec.ingress[0].from[0].podSelector.matchExpressions[0].values", "must be specified when `operator` is 'In' or 'NotIn'")]
    #[case::notin_empty_values(json!({"ingress": [{"from": [{"namespaceSelector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": []}]}}]}]}),
        "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values", "must be specified when `operator` is 'In' or 'NotIn'")]
    #[case::exists_with_values(json!({"podSelector": {"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["x"]}]}}),
        "spec.podSelector.matchExpressions[0].values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")]
    #[case::bad_label_value(json!({"podSelector": {"matchLabels": {"app": "-api"}}}), "spec.podSelector.matchLabels",
        "\"-api\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")]
    #[case::bad_policy_type(json!({"policyTypes": ["Ingress", "ingress"]}), "spec.policyTypes[1]", "\"ingress\": unsupported value; supported values: \"Ingress\", \"Egress\"")]
    #[case::too_many_policy_types(json!({"policyTypes": ["Ingress", "Egress", "Ingress"]}), "spec.policyTypes", "may not specify more than two policyTypes")]
    fn invalid_specs(#[case] spec: serde_json::Value, #[case] path: &str, #[case] message: &str) {
        let errors: Vec<(String, String)> = errors(spec)
            .into_iter()
            .map(|(path, message)| (path, message.to_string()))
            .collect();
        assert_eq!(errors, vec![(path.to_string(), message.to_string())]);
    }
}
