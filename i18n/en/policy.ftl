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
