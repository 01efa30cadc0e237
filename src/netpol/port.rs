//! Matching a probe's port and protocol against a rule's `ports`.

use super::PodInfo;
use crate::i18n::Message;
use crate::msg;
use k8s_openapi::api::networking::v1::NetworkPolicyPort;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The protocol of a port entry: `TCP` when left out.
pub(crate) fn protocol_of(p: &NetworkPolicyPort) -> &str {
    p.protocol.as_deref().unwrap_or("TCP")
}

/// Whether a rule's `ports` (absent or empty = all ports) admit `port`/`protocol` on the
/// destination pod `dest` (named ports are resolved on the destination).
pub(crate) fn ports_match(
    ports: Option<&[NetworkPolicyPort]>,
    dest: &PodInfo,
    port: i32,
    protocol: &str,
) -> bool {
    match ports {
        None | Some([]) => true,
        Some(ps) => ps.iter().any(|p| port_matches(p, dest, port, protocol)),
    }
}

/// One port entry: same protocol, and a numeric port (or inclusive range with `endPort`),
/// a named port that `dest` declares with that number and protocol, or no port at all.
pub(crate) fn port_matches(
    p: &NetworkPolicyPort,
    dest: &PodInfo,
    port: i32,
    protocol: &str,
) -> bool {
    let proto = protocol_of(p);
    if proto != protocol {
        return false;
    }
    match &p.port {
        None => true,
        Some(IntOrString::Int(n)) => match p.end_port {
            Some(end) => (*n..=end).contains(&port),
            None => *n == port,
        },
        Some(IntOrString::String(name)) => dest.ports.iter().any(|cp| {
            cp.name.as_deref() == Some(name.as_str())
                && cp.port == port
                && cp.protocol.eq_ignore_ascii_case(proto)
        }),
    }
}

/// `TCP/6380`, `TCP/6000-7000`, `UDP (all ports)`, `TCP/redis (named port, not declared
/// by db-pod)`; `sep` goes between protocol and port (`/` or ` `).
pub(crate) fn describe_port(p: &NetworkPolicyPort, dest: &PodInfo, sep: &str) -> Message {
    let proto = protocol_of(p);
    match &p.port {
        None => msg!("netpol-port-all", protocol = proto),
        Some(IntOrString::Int(n)) => {
            let port = match p.end_port {
                Some(end) => format!("{n}-{end}"),
                None => n.to_string(),
            };
            msg!("netpol-port", protocol = proto, sep = sep, port = port)
        }
        Some(IntOrString::String(name)) => {
            let resolved: Vec<String> = dest
                .ports
                .iter()
                .filter(|cp| {
                    cp.name.as_deref() == Some(name.as_str())
                        && cp.protocol.eq_ignore_ascii_case(proto)
                })
                .map(|cp| cp.port.to_string())
                .collect();
            if resolved.is_empty() {
                msg!(
                    "netpol-port-named-undeclared",
                    protocol = proto,
                    sep = sep,
                    name = name.as_str(),
                    pod = dest.name.as_str()
                )
            } else {
                msg!(
                    "netpol-port-named",
                    protocol = proto,
                    sep = sep,
                    name = name.as_str(),
                    numbers = resolved.join(","),
                    pod = dest.name.as_str()
                )
            }
        }
    }
}

/// All entries of a rule's `ports`, joined with `, `; `all ports` when absent or empty.
pub(crate) fn describe_ports(
    ports: Option<&[NetworkPolicyPort]>,
    dest: &PodInfo,
    sep: &str,
) -> Message {
    match ports {
        None | Some([]) => msg!("netpol-ports-all"),
        Some(ps) => join_comma(ps.iter().map(|p| describe_port(p, dest, sep)).collect()),
    }
}

/// `a, b, c` in the reader's language (`netpol-list-comma`); `items` is not empty.
pub(crate) fn join_comma(items: Vec<Message>) -> Message {
    let mut items = items.into_iter().rev();
    let last = items.next().expect("a list of at least one item");
    items.fold(last, |rest, first| {
        msg!("netpol-list-comma", first = first, rest = rest)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpol::test_support::pod;
    use rstest::rstest;
    use serde_json::json;

    fn ports(v: serde_json::Value) -> Vec<NetworkPolicyPort> {
        serde_json::from_value(v).unwrap()
    }

    /// db-pod as in the lab: redis on an UNNAMED containerPort 6379, plus a named
    /// `metrics` TCP port 9121 and a named UDP `dns` port 53.
    fn db() -> PodInfo {
        let mut p = pod("db-pod", "default", &[("role", "db")]);
        p.ports = vec![
            crate::netpol::ContainerPort {
                name: None,
                port: 6379,
                protocol: "TCP".into(),
            },
            crate::netpol::ContainerPort {
                name: Some("metrics".into()),
                port: 9121,
                protocol: "TCP".into(),
            },
            crate::netpol::ContainerPort {
                name: Some("dns".into()),
                port: 53,
                protocol: "UDP".into(),
            },
        ];
        p
    }

    #[rstest]
    #[case::absent_means_all(None, 1234, "TCP", true)]
    #[case::empty_means_all(Some(json!([])), 1234, "UDP", true)]
    #[case::numeric_default_tcp(Some(json!([{"port": 6379}])), 6379, "TCP", true)]
    #[case::numeric_default_tcp_not_udp(Some(json!([{"port": 6379}])), 6379, "UDP", false)]
    #[case::numeric_other_port(Some(json!([{"protocol": "TCP", "port": 6380}])), 6379, "TCP", false)]
    #[case::udp_does_not_allow_tcp(Some(json!([{"protocol": "UDP", "port": 6379}])), 6379, "TCP", false)]
    #[case::udp_allows_udp(Some(json!([{"protocol": "UDP", "port": 6379}])), 6379, "UDP", true)]
    #[case::range_low_edge(Some(json!([{"port": 6000, "endPort": 7000}])), 6000, "TCP", true)]
    #[case::range_high_edge(Some(json!([{"port": 6000, "endPort": 7000}])), 7000, "TCP", true)]
    #[case::range_inside(Some(json!([{"port": 6000, "endPort": 7000}])), 6379, "TCP", true)]
    #[case::range_below(Some(json!([{"port": 6000, "endPort": 7000}])), 5999, "TCP", false)]
    #[case::range_above(Some(json!([{"port": 6000, "endPort": 7000}])), 7001, "TCP", false)]
    #[case::protocol_only_all_ports(Some(json!([{"protocol": "UDP"}])), 9999, "UDP", true)]
    #[case::protocol_only_other_protocol(Some(json!([{"protocol": "UDP"}])), 9999, "TCP", false)]
    #[case::unnamed_container_port_never_by_name(Some(json!([{"port": "redis"}])), 6379, "TCP", false)]
    #[case::named_port_matches(Some(json!([{"port": "metrics"}])), 9121, "TCP", true)]
    #[case::named_port_other_number(Some(json!([{"port": "metrics"}])), 9122, "TCP", false)]
    #[case::named_port_wrong_protocol(Some(json!([{"protocol": "UDP", "port": "metrics"}])), 9121, "UDP", false)]
    #[case::named_udp_port(Some(json!([{"protocol": "UDP", "port": "dns"}])), 53, "UDP", true)]
    #[case::named_udp_port_needs_udp_entry(Some(json!([{"port": "dns"}])), 53, "TCP", false)]
    #[case::any_entry_suffices(Some(json!([{"port": 1}, {"port": 6379}])), 6379, "TCP", true)]
    fn port_table(
        #[case] spec: Option<serde_json::Value>,
        #[case] port: i32,
        #[case] protocol: &str,
        #[case] expected: bool,
    ) {
        let ps = spec.map(ports);
        assert_eq!(ports_match(ps.as_deref(), &db(), port, protocol), expected);
    }

    #[test]
    fn describes_ports() {
        let d = db();
        let ps = ports(json!([
            {"port": 6380},
            {"protocol": "UDP"},
            {"port": 6000, "endPort": 7000},
            {"port": "redis"},
            {"port": "metrics"}
        ]));
        assert_eq!(
            describe_ports(Some(&ps), &d, "/").to_string(),
            "TCP/6380, UDP (all ports), TCP/6000-7000, \
             TCP/redis (named port, not declared by db-pod with that name and protocol), \
             TCP/metrics (named port = 9121 on db-pod)"
        );
        assert_eq!(describe_ports(None, &d, " ").to_string(), "all ports");
        assert_eq!(describe_port(&ps[0], &d, " ").to_string(), "TCP 6380");
    }
}
