# kubelab doctor: the checks' names and details.

cluster-doctor-whole = doctor
cluster-doctor-reachable = cluster reachable
cluster-doctor-reachable-detail = { $server } ({ $version })
cluster-doctor-permission = permission: { $verbs } { $resource }
cluster-doctor-allowed = allowed in every namespace
cluster-doctor-could-not-ask = could not ask: { $reason }
cluster-doctor-denied = denied: { $verbs }
cluster-doctor-temporary-namespace = temporary namespace
cluster-doctor-namespace-not-created = could not create one: { $reason }
cluster-doctor-namespace-deleted = { $namespace } created and deleted ({ $seconds }s to delete)
cluster-doctor-namespace-not-deleted = { $namespace } not deleted: { $reason } (`kubelab clean` removes it)
cluster-doctor-netpol = NetworkPolicy enforced
cluster-doctor-dns = cluster DNS answers
cluster-doctor-dns-answers = { $host } resolves from a pod ({ $seconds }s): the `dns` checks and connections to Services can run
cluster-doctor-dns-no-answer = { $host } does not resolve from a pod within { $seconds }s: the `dns` checks and connections to Services end in errors ({ $output })
cluster-doctor-not-probed = not probed
cluster-doctor-pods-not-ready = not probed: the listener (redis) and client (busybox:1.28) pods are not both ready
cluster-doctor-listener-no-ip = the listener pod has no IP
cluster-doctor-baseline = baseline: client → listener:6379 should connect, got { $outcome }
cluster-doctor-enforced = open before, { $how ->
        [refused] refused
       *[timed-out] timed out
    } { $seconds }s after a deny-all ingress policy ({ $output })
cluster-doctor-not-enforced = still open { $seconds }s after a deny-all ingress policy: the cluster's network plugin does not enforce NetworkPolicy
cluster-doctor-enforcer = NetworkPolicy enforcer
cluster-doctor-enforcer-named = { $name } (API group { $group })
cluster-doctor-enforcer-unnamed = not named by an API group (Cilium, Calico and Antrea serve one; kube-router does not)
cluster-doctor-enforcer-detail = { $name }; denies by { $how ->
        [drop] dropping: a denied connection waits for the client's timeout, so every blocked probe costs its timeout
       *[reject] rejecting: a denied connection is refused at once, as if nothing listened
    }
cluster-doctor-enforcer-no-denial = { $name }; how it denies is unknown: no probe was denied
cluster-doctor-image = image { $image } pulls
cluster-doctor-not-tried = not tried
cluster-doctor-pulled = pulled and running
cluster-doctor-pod-failed = { $reason }: { $message }
cluster-doctor-pod-not-ready = not ready within { $seconds }s ({ $reason })
cluster-doctor-pod-disappeared = the pod disappeared

# kubelab clean: why each namespace is deleted or kept.

cluster-clean-run-of = run { $run } of { $owner }
cluster-clean-a-run-of = a run of { $owner }
cluster-clean-unknown-owner = an unknown owner
cluster-clean-being-deleted = already being deleted ({ $whose })
cluster-clean-all = --all
cluster-clean-run = { $whose } (--run)
cluster-clean-other-run = { $whose }, not the run asked for
cluster-clean-no-valid-lease = { $whose } holds no valid Lease
cluster-clean-lease-expired = { $whose } stopped renewing its Lease { $seconds } s ago
cluster-clean-own-session = your own lab session ({ $whose })
cluster-clean-running-exam = your running exam ({ $whose }): `kubelab exam end` grades it and deletes it
cluster-clean-alive = { $whose } is alive ({ $hold } hold, Lease renewed { $seconds } s ago)
cluster-clean-no-lease = { $whose } holds no Lease { $lease }
cluster-clean-being-set-up = { $whose } is being set up ({ $seconds } s old)
cluster-doctor-pids = processes per pod bounded
cluster-doctor-pids-bounded = bounded: a pod may run { $processes } processes (the kubelet's podPidsLimit); a probe pod's fork failed there
cluster-doctor-pids-unbounded = not bounded: a probe pod started { $processes } processes and none was refused, so one learner's fork bomb can use up the node's process IDs; set the kubelet's podPidsLimit (for example 1024)
cluster-doctor-pids-unknown = not found out: { $reason }
cluster-pids-probe-ended = the probe pod ended with exit code { $code } ({ $reason }) after starting { $started } processes
cluster-pids-unbounded-warning = warning: this cluster does not bound a pod's processes: a probe pod started { $processes } and none was refused. One learner's fork bomb can use up the node's process IDs and stall every other pod on it. Ask the cluster's administrator to set the kubelet's podPidsLimit (for example 1024); `kubelab doctor` checks it.
cluster-isolation-class-warning = warning: the learners' pods can open connections to each other's during this class: the cluster serves no CiliumNetworkPolicy, the one mechanism kubelab uses to keep sandboxes apart without changing what the labs' NetworkPolicies mean (kube-router has none). `kubelab doctor` shows it.
cluster-pids-unknown-warning = warning: kubelab could not find out whether this cluster bounds a pod's processes ({ $reason }); `kubelab doctor` checks it.
cluster-doctor-admission-labs = { $detail } — needed only by labs with learner admission policies (allowed-registries): apply deploy/rbac-admission-labs.yaml where they run
cluster-doctor-isolation = sandboxes isolated from each other
cluster-doctor-isolation-cilium = isolated (Cilium): each sandbox gets a CiliumNetworkPolicy { $policy } that denies traffic to and from the pods of other kubelab namespaces; deny rules only, no default deny, so the labs' NetworkPolicies keep their meaning
cluster-doctor-isolation-unsupported = not isolated: the cluster serves no CiliumNetworkPolicy, and its enforcer (kube-router, for one) has no cluster-wide deny that leaves NetworkPolicy semantics alone, so in a class one learner's pods can connect to another's
cluster-doctor-isolation-forbidden = not isolated: Cilium is there, but kubelab may not create the isolation policy ({ $reason }); apply deploy/rbac.yaml again
cluster-doctor-isolation-grant = { $detail } — needed only to isolate sandboxes from each other on Cilium: apply deploy/rbac.yaml again
