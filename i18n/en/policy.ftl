# Refusals: objects kubelab does not apply (src/policy/confine.rs).
policy-not-applied = { $kind } { $name } is not applied: kubelab refuses it: { $reason }
policy-refused-kind = { $kind } `{ $name }` { $why ->
        [permissions] grants permissions
        [limits] would change the sandbox's resource limits
        [storage] asks for storage, which a lab sandbox does not provide
        [admission] changes what the API server admits for the whole cluster
       *[cluster-scoped] is cluster-scoped
    }; kubelab keeps lab objects inside the lab namespace
policy-refused-kind-help = remove this object from the submission; the lab does not need it
policy-refused-namespace = { $kind } `{ $name }` is aimed at namespace `{ $namespace }`, outside the lab namespace
policy-refused-namespace-help = remove `metadata.namespace`: kubelab applies lab objects in the lab's own namespace
policy-refused-pod-security = { $kind } `{ $name }` { $violation }
policy-refused-pod-security-help = the lab namespace enforces the Pod Security Standard `{ $level }`: remove what it forbids (privileged, host namespaces, hostPath, hostPort, added capabilities beyond the default set, …)
policy-refused-size = { $kind } `{ $name }` asks for { $asked } ({ $field }); a lab sandbox runs at most { $max }
policy-refused-size-help = a lab never needs more than a few pods: lower the number
policy-refused-too-many = { $kind } `{ $name }` and every object after it (objects { $first } to { $total } of the submission) are refused; a lab sandbox takes at most { $max }
policy-refused-too-many-help = submit only the objects the task asks for
# Pod Security admission (src/policy/pod_security.rs); $violations are the API server's words.
policy-pod-security-violates = violates PodSecurity "{ $level }:{ $version }": { $violations }
policy-pod-security-violation = { $reason } ({ $detail })
policy-list-comma = { $first }, { $rest }
policy-list-and = { $first } and { $rest }
# The details of a Pod Security violation, worded as Pod Security admission words them.
policy-ps-parts = { $parts }
policy-ps-pod = pod
policy-ps-containers = { $count ->
        [one] container
       *[other] containers
    } { $names }
policy-ps-annotations = { $count ->
        [one] annotation
       *[other] annotations
    }
policy-ps-pod-or = pod or { $containers }
policy-ps-host-namespaces = { $fields }
policy-ps-sysctls = { $names }
policy-ps-must-not-set = { $who } must not set { $setting }
policy-ps-must-set = { $who } must set { $setting }
policy-ps-must-not-set-to = { $who } must not set { $field } to { $values }
policy-ps-must-not-add = { $who } must not include { $capabilities } in securityContext.capabilities.add
policy-ps-volumes = { $count ->
        [one] volume
       *[other] volumes
    } { $names }
policy-ps-host-ports = { $who } { $count ->
        [one] uses
       *[other] use
    } { $ports_count ->
        [one] hostPort
       *[other] hostPorts
    } { $ports }
policy-ps-app-armor = { $who } must not set AppArmor profile type to { $values }
policy-ps-se-linux = { $who } set forbidden securityContext.seLinuxOptions: { $data }
policy-ps-se-linux-types = { $count ->
        [one] type
       *[other] types
    } { $types }
policy-ps-se-linux-user = user may not be set
policy-ps-se-linux-role = role may not be set
policy-ps-probe-hosts = { $who } { $count ->
        [one] uses
       *[other] use
    } { $hosts_count ->
        [one] probe or lifecycle host
       *[other] probe or lifecycle hosts
    } { $hosts }
policy-ps-restricted-volumes = { $count ->
        [one] volume
       *[other] volumes
    } { $names } { $count ->
        [one] uses
       *[other] use
    } { $types_count ->
        [one] restricted volume type
       *[other] restricted volume types
    } { $types }
policy-ps-seccomp-must-set = { $who } must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"
# LimitRanger and resource validation, as the API server words them (src/policy/limits.rs).
policy-limits-request-above-limit = { $field }: Invalid value: { $request }: must be less than or equal to { $resource } limit of { $limit }
policy-limits-above-max = maximum { $resource } usage per Container is { $max }, but { $which } is { $value }
policy-limits-forbidden = pods "{ $pod }" is forbidden: { $errors }
policy-limits-several = [{ $errors }]
policy-refused-external-ips = Service `{ $name }` sets externalIPs: such a Service intercepts the cluster's traffic to those addresses (CVE-2020-8554), and a lab sandbox never takes one
policy-refused-external-ips-help = remove spec.externalIPs: pods reach a Service by its name or ClusterIP
policy-refused-node-port = Service `{ $name }` is of type { $service_type }: it opens a port on every node of the shared cluster, and no lab asks for one
policy-refused-node-port-help = leave spec.type out (ClusterIP, the default): pods reach the Service by its name inside the cluster
policy-refused-external-name = Service `{ $name }` is an ExternalName alias of `{ $target }`, a name inside the cluster: an alias into another namespace's Service is not the lab's to make
policy-refused-external-name-help = point a Service at the lab's own pods with a selector instead
