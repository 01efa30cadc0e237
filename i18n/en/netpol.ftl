# Ports of a NetworkPolicy rule (src/netpol/port.rs).
netpol-port-all = { $protocol } (all ports)
netpol-port = { $protocol }{ $sep }{ $port }
netpol-port-named-undeclared = { $protocol }{ $sep }{ $name } (named port, not declared by { $pod } with that name and protocol)
netpol-port-named = { $protocol }{ $sep }{ $name } (named port = { $numbers } on { $pod })
netpol-ports-all = all ports
netpol-list-comma = { $first }, { $rest }
# Peers of a rule (src/netpol/peer.rs).
netpol-maybe-ip-block = { $peer } may or may not match the pod IP of { $pod }: whether ipBlock applies to pod-to-pod traffic depends on the network plugin
netpol-maybe-host-network-peer = { $pod } uses hostNetwork: whether { $peer } matches its traffic depends on the network plugin
netpol-reasons = { $reasons }
netpol-peer-ip-block-except = ipBlock { $cidr } except { $except }
netpol-peer-ip-block = ipBlock { $cidr }
netpol-peer-selector = { $selector }
netpol-peer-selector-in-namespace = pods { $selector } in namespace { $namespace }
netpol-peer-namespace = all pods in namespace { $namespace }
netpol-peer-none = no peer
netpol-peer-pods = pods { $selector }
netpol-peer-all-pods = all pods
netpol-peer-in-all-namespaces = { $pods } in all namespaces
netpol-peer-in-namespaces = { $pods } in namespaces { $selector }
netpol-peer-in-namespaces-by-name = { $pods } in namespaces { $selector } (a namespace has the label `name` only if someone set it; every namespace carries `kubernetes.io/metadata.name: { $name }`)
netpol-peers-everyone = everyone
netpol-peers-or = { $first } or { $rest }
# The decision (src/netpol/decide.rs); $direction is `ingress` or `egress`.
netpol-maybe-host-network = { $pod } uses hostNetwork: whether NetworkPolicy applies to host-network traffic depends on the network plugin
netpol-rule-allows = allows { $peers } on { $ports }
netpol-near-miss-port = rule { $rule } of { $policy } { $certain ->
        [yes] matches
       *[maybe] might match
    } the { $direction ->
        [ingress] source
       *[egress] destination
    } { $other } but allows only { $ports }
netpol-near-miss-peer = rule { $rule } of { $policy } allows { $protocol }/{ $port } but only { $direction ->
        [ingress] from
       *[egress] to
    } { $peers }
# Explanations of a decision (src/netpol/explain.rs).
netpol-what-ingress = { $from } on { $protocol }/{ $port }
netpol-what-egress = traffic to { $to } on { $protocol }/{ $port }
netpol-with-near-misses = { $text }; { $near }
netpol-list-and = { $first }; and { $rest }
netpol-list-also = { $first }; also { $rest }
netpol-explain-rule = rule { $rule } of { $policy } { $reason }
netpol-explain-isolated-by = { $pod } is isolated for { $direction } by { $policies }; { $rules }
netpol-explain-allowed-no-policy = allowed: no policy selects { $ingress_pod } for ingress and no policy selects { $egress_pod } for egress
netpol-explain-allowed = allowed: { $parts }
netpol-explain-blocked-side = { $pod } is isolated for { $direction } (selected by { $policies }) and no { $direction } rule allows { $what }
netpol-explain-blocked = blocked: { $parts }
netpol-explain-rule-reason = { $rule } of { $policy }: { $reason }
netpol-explain-undecided-side = { $pod } is isolated for { $direction } (selected by { $policies }) and only rules whose effect depends on the network plugin might allow { $what } ({ $reasons })
netpol-explain-undecided = depends on the network plugin: { $parts }
# Known enforcer deviations (src/netpol/deviation.rs).
netpol-deviation-kube-router-enforcer = kube-router v2.x (the NetworkPolicy controller k3s embeds)
netpol-deviation-kube-router-unresolved-named-port = a rule whose only ports are named ports that the destination pod does not declare is enforced as a rule without ports, allowing every port (pkg/controllers/netpol/policy.go: `len(ingressRule.ports) == 0 && len(ingressRule.namedPorts) == 0`); by the API such a rule matches no port
# What the API server rejects in a NetworkPolicy, as it words it (src/netpol/validate.rs).
netpol-invalid-too-many-policy-types = may not specify more than two policyTypes
netpol-invalid-unsupported = { $value }: unsupported value; supported values: { $supported }
netpol-invalid-no-peer = must specify a peer
netpol-invalid-ip-block-and-peer = may not specify both ipBlock and another peer
netpol-invalid-port-range = { $value }: must be between 1 and 65535, inclusive
netpol-invalid-end-port-below = { $value }: must be greater than or equal to `port`
netpol-invalid-end-port-named = { $value }: may not be specified when `port` is non-numeric
netpol-invalid-end-port-without-port = { $value }: may not be specified when `port` is not specified
netpol-invalid-port-name = { $value }: { $problem ->
        [length] must be no more than 15 characters
        [characters] must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
        [hyphens] must not contain consecutive hyphens
        [letter] must contain at least one letter (a-z)
       *[ends] must not begin or end with a hyphen
    }
netpol-invalid-required = required value
netpol-invalid-cidr = { $value }: must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
netpol-invalid-not-subset = { $value }: must be a strict subset of `cidr`
netpol-invalid-label-key = { $value }: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'
netpol-invalid-label-value = { $value }: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character
netpol-invalid-values-required = must be specified when `operator` is 'In' or 'NotIn'
netpol-invalid-values-forbidden = may not be specified when `operator` is 'Exists' or 'DoesNotExist'
netpol-invalid-operator = { $value }: not a valid selector operator
netpol-invalid-port-quoted-number = { $value }: must contain at least one letter (a-z): a number in quotes is a port name to the API server; remove the quotes (port: { $number })
netpol-deviation-cilium-enforcer = Cilium (v1.20)
netpol-deviation-cilium-rules-outside-policy-types = Cilium enforces a NetworkPolicy's egress and ingress rules whatever its policyTypes say (pkg/k8s/network_policy.go), while Kubernetes ignores the rules of a direction that policyTypes leaves out; by the API, these rules do nothing
