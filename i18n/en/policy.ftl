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
policy-namespace-name = Namespace `{ $name }` is not the lab's namespace: the task's namespace is `{ $expected }`
policy-namespace-name-help = name the Namespace `{ $expected }`, as the task does
policy-namespace-field = Namespace `{ $name }` sets `{ $field }`: the lab lets you set only some of the namespace's labels
policy-namespace-field-help = keep only metadata.name and the labels the task asks for
policy-namespace-label = Namespace `{ $name }` sets the label `{ $label }`, which this lab does not let you set
policy-namespace-label-help = the labels this lab lets you set: { $allowed }
policy-namespace-bad-level = `{ $label }: { $value }` is not a Pod Security level: Pod Security admission refuses the namespace
policy-namespace-level-help = the levels are privileged, baseline and restricted
policy-namespace-bad-version = `{ $label }: { $value }` is not a Pod Security version: Pod Security admission refuses the namespace
policy-namespace-version-help = pin the cluster's version: { $version }
policy-namespace-enforce-version = enforce-version `{ $value }` is not the cluster's `{ $version }`: an older version checks less, and `latest` moves under you
policy-namespace-lower = enforce `{ $value }` is below the sandbox's own level `{ $level }`: a lab namespace never runs privileged pods
policy-namespace-lower-help = enforce `{ $level }` or `restricted`
policy-admission-policy-params = { $kind } `{ $name }` uses parameters (`{ $field }`): a parameter object may lie outside the lab's namespace, and labs do not use them
policy-admission-policy-params-help = write the allowed values into the policy's expressions
policy-admission-policy-resource = ValidatingAdmissionPolicy `{ $name }` matches `{ $resource }`: a lab's policy may match only { $allowed }
policy-admission-policy-operation = ValidatingAdmissionPolicy `{ $name }` matches the operation `{ $operation }`: a lab's policy may match only CREATE and UPDATE
policy-admission-policy-scope-help = match CREATE and UPDATE of pods (and the workloads that make them): a policy on anything else could lock the lab's namespace or the cluster
policy-namespace-unpinned = the enforce level has no enforce-version beside it: Pod Security admission would then check the newest version after every cluster upgrade
# ValidatingAdmissionPolicy offline (src/policy/vap.rs): why kubelab cannot decide.
policy-vap-params = ValidatingAdmissionPolicy `{ $policy }` uses parameters (paramKind, paramRef), which kubelab does not evaluate offline
policy-vap-audit-annotations = ValidatingAdmissionPolicy `{ $policy }` has auditAnnotations, which kubelab does not evaluate offline
policy-vap-operation = ValidatingAdmissionPolicy `{ $policy }` would be evaluated for a { $operation } request; kubelab evaluates policies offline only for CREATE
policy-vap-no-name = ValidatingAdmissionPolicy `{ $policy }` would be evaluated for an object without `metadata.name`, whose generated name kubelab cannot know
policy-vap-match-policy = the policy's rules match `{ $resource }` only through `matchPolicy: Equivalent`, whose equivalent resources kubelab does not know
policy-vap-parse = kubelab cannot parse the CEL expression `{ $expression }`: { $error }
policy-vap-construct = the CEL expression `{ $expression }` uses { $construct }, which kubelab does not evaluate offline
policy-vap-field = the CEL expression `{ $expression }` reads `{ $field }`, which the API server sets or kubelab does not know before admission
policy-vap-whole = the CEL expression `{ $expression }` uses `{ $field }` as a whole, which holds fields the API server sets before admission
policy-vap-function = the CEL expression `{ $expression }` calls `{ $function }`, which kubelab's CEL interpreter lacks
policy-vap-error = the CEL expression `{ $expression }` fails ({ $error }), and kubelab does not know how the API server words that error
policy-vap-error-in-comprehension = the CEL expression `{ $expression }` fails inside a comprehension, where the API server may absorb the error
policy-vap-variable-error = variable `{ $variable }` of ValidatingAdmissionPolicy `{ $policy }` fails to evaluate, and kubelab does not model how the error propagates
