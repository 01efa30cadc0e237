# Check messages: offline evaluators (src/check/offline), live probes (src/check/live)
# and the Kubernetes semantics they rest on (src/check/*.rs).

## Shared

check-comma-list = { $head }, { $tail }
check-cluster-error = { $error }
check-connection = { $from } → { $to }:{ $port }

## The simulated namespace (world.rs)

check-not-found = { $kind } { $name } not found
check-not-found-same-kind = { $kind } { $name } not found; found { $kind } { $found } — the task names it `{ $name }`
check-not-found-other-kind = { $kind } { $name } not found; found a { $found } named `{ $name }` — this task asks for a { $kind }
check-not-found-in-file = { $kind } { $name } not found; the task writes it in `{ $file }`
check-not-found-other-namespace = { $kind } { $name } not found in namespace `{ $expected }`; found it in namespace `{ $found }` — the task asks for it in `{ $expected }`

## Check kinds without a simulation (offline/mod.rs)

check-exec-offline = an exec check runs a command in the container: it is graded on a cluster only

## `field` (offline/field.rs, live/field.rs)

check-unknown-kind = unknown kind { $kind }
check-field-unset-must-be = { $kind } { $name }: { $path } is not set; it must be { $expected }
check-field-unset = { $kind } { $name }: { $path } is not set
check-field-wrong = { $kind } { $name }: { $path } is { $actual }; it must be { $expected }
check-field-is = { $kind } { $name }: { $path } is { $actual }
check-field-no-elements = { $kind } { $name }: { $path } is not set: { $list } has no elements
check-field-every-is = { $kind } { $name }: { $path } is { $value } in { $count ->
    [one] its only element
   *[other] all { $count } elements
}
check-field-every-set = { $kind } { $name }: { $path } is set in { $count ->
    [one] its only element
   *[other] all { $count } elements
}
check-field-bad-path = the check's path `{ $path }` is malformed: { $problem }

## Effective security settings (security_context.rs, offline/security.rs)

check-sandbox-group-without-user = the pod never starts: spec.securityContext sets runAsGroup without runAsUser, and containerd cannot create the pod's sandbox from that (FailedCreatePodSandBox: user group is specified without user); set runAsUser in spec.securityContext too
check-non-root-but-uid-zero = runAsNonRoot is true but runAsUser is 0: the kubelet refuses to start the container (CreateContainerConfigError)
check-non-root-but-image-root = runAsNonRoot is true but the image runs as root and no runAsUser is set: the kubelet refuses to start the container (CreateContainerConfigError)
check-pod-did-not-deserialize = the pod did not deserialize
check-no-such-container = Pod { $pod } has no container `{ $container }` (it has { $names })
check-source-field = from { $path }
check-run-as-uid-wrong = runs as UID { $actual } ({ $why }); it must run as UID { $uid }: set runAsUser: { $uid } in spec.securityContext or in { $sc }
check-run-as-uid = runs as UID { $uid } ({ $why })
check-run-as-gid-wrong = runs with GID { $actual } ({ $why }); it must run as GID { $gid }: set runAsGroup: { $gid }
check-run-as-gid = runs as GID { $gid } ({ $why })
check-run-as-groups-lack = supplementary groups { $groups } lack { $missing }: set fsGroup (pod level only)
check-run-as-groups = is in the groups { $groups }
check-runs-as-list = { $head }, { $tail }
check-runs = runs
check-rootfs-read-only = the root filesystem is read-only ({ $path }); `touch /testfile` fails with "Read-only file system"
check-rootfs-writable = the root filesystem is writable: set readOnlyRootFilesystem: true in { $sc } (a container-level field)
check-escalation-prevented = privilege escalation is prevented ({ $path }); the process has NoNewPrivs: 1
check-escalation-privileged = the container is privileged, which always allows escalation
check-escalation-true = allowPrivilegeEscalation is true
check-escalation-default = allowPrivilegeEscalation is not set, and it defaults to true
check-escalation-allowed = privilege escalation is allowed: { $why }; set allowPrivilegeEscalation: false in { $sc }
check-caps-empty = the capability bounding set is empty
check-caps-set = the capability bounding set is { $set }
check-caps-kept-drop = the container keeps capabilities { $list }; drop them with capabilities.drop: ["ALL"] in { $sc }
check-caps-prefixed-all = the container keeps capabilities { $list }: `{ $entry }` in capabilities.drop drops nothing. containerd takes only `ALL` (in any case) for every capability and writes `CAP_` before every other name, so `{ $entry }` becomes `{ $oci }`, which is no capability, and the runtime's default set stays; write capabilities.drop: ["ALL"] in { $sc }
check-caps-prefixed-name = the container keeps capabilities { $list }: `{ $entry }` in capabilities.drop drops nothing. containerd writes `CAP_` before every name itself, so `{ $entry }` becomes `{ $oci }`, which is no capability; write `{ $name }` without the prefix, or capabilities.drop: ["ALL"], in { $sc }

## Registry credentials (registry.rs)

check-registry-wrong-type = its type is `{ $found }`; the kubelet reads pull credentials only from a Secret of type `kubernetes.io/dockerconfigjson` (what `kubectl create secret docker-registry` makes)
check-registry-no-key = it has no `{ $key }` key
check-registry-invalid-json = `{ $key }` is not valid JSON: { $error }
check-registry-no-auths = `{ $key }` has no `auths` map
check-registry-entry-unreadable = the `auths` entry `{ $entry }` is unreadable: { $error }
check-registry-no-entries = no `auths` entry matches the registry `{ $registry }` (entries: none); the key must be the registry server exactly as in the image, port included
check-registry-no-match = no `auths` entry matches the registry `{ $registry }` (entries: { $entries }); the key must be the registry server exactly as in the image, port included
check-registry-auth-not-base64 = `auth` is not base64: { $error }
check-registry-auth-not-utf8 = `auth` is not UTF-8
check-registry-auth-no-colon = `auth` must be base64 of `username:password`

## `image-pull` (offline/image_pull.rs, live/image_pull.rs)

check-no-image-parameter = the lab defines no `image` parameter
check-image-pull-no-target = image-pull names neither a pod nor a secret
check-creds-empty = the `auths` entry `{ $entry }` holds no credentials, so the registry would answer 401 Unauthorized: a docker config written with a credential store (`credsStore`, `credHelpers`) keeps them outside the file, where the kubelet cannot read them; create the secret with `kubectl create secret docker-registry --docker-username=… --docker-password=…`
check-creds-newline = the { $which ->
        [username] username
       *[password] password
    } decoded from `auth` ends in a newline, so the registry would answer 401 Unauthorized: encode it with `echo -n 'user:password' | base64` (without `-n`, `echo` adds the newline)
check-creds-newline-else-right = the { $which ->
        [username] username
       *[password] password
    } decoded from `auth` ends in a newline, so the registry would answer 401 Unauthorized although the text before it is right: encode it with `echo -n 'user:password' | base64` (without `-n`, `echo` adds the newline)
check-creds-wrong-user = the registry would reject user `{ $user }` (401 Unauthorized); the lab's user is `{ $expected }`
check-creds-wrong-password = the registry would reject the password for user `{ $user }` (401 Unauthorized)
check-secret-did-not-deserialize = the secret did not deserialize
check-secret-authenticates = Secret { $secret } authenticates user `{ $user }` to { $registry } (auths key `{ $entry }`)
check-secret-cannot-pull = Secret { $secret } cannot pull from { $registry }: { $why }
check-pod-no-containers = Pod { $pod } has no containers
check-image-other-registry = the image is pulled from { $used }, not from the private registry { $registry }: use { $image }
check-image-not-in-registry = { $registry } has no image { $used } (pull would fail: not found); the lab's image is { $image }
check-pod-no-pull-secrets = Pod { $pod } has no imagePullSecrets: the pull is anonymous and { $registry } answers 401 Unauthorized (ErrImagePull); add spec.imagePullSecrets: [{"{"}name: private-reg-cred{"}"}]
check-pull-secret-missing = Secret `{ $secret }` does not exist in the namespace
check-pod-pulls = { $image } pulls with the credentials of Secret { $secret }
check-pull-secret-fails = Secret `{ $secret }`: { $why }
check-pull-would-fail = the pull would fail (401 Unauthorized): { $why }
check-account-secrets-not-added = ServiceAccount { $account } has imagePullSecrets, but the pod lists its own, so they are not added: the ServiceAccount admission plugin copies them only into a pod that lists none

## `connect`, offline (offline/connect.rs)

check-probe-pod-missing = the probe pod { $pod } does not exist, so nothing can be concluded
check-connect-plugin-defined = { $what }: depends on the network plugin, not decidable offline: { $explanation }
check-connect-is = { $what } is { $state ->
        [open] open
       *[blocked] blocked
    }: { $explanation }
check-connect-is-not-expected = { $what } is { $state ->
        [open] open
       *[blocked] blocked
    }, expected { $expected ->
        [open] open
       *[blocked] blocked
    }: { $explanation }
check-name-does-not-resolve = `{ $name }` does not resolve: there is no Service of that name, and no pod of that name to reach at its IP
check-service-no-port = Service { $service } has no { $protocol } port { $port }: the connection is refused
check-service-no-endpoint = Service { $service } has no ready endpoint: nothing answers on port { $port } and { $expected ->
        [open] it cannot connect
       *[blocked] a refused connection is not a blocked one
    }

## Live checks: pods (live/mod.rs)

check-pod-does-not-run = Pod { $pod } does not run: { $reason }: { $message }
check-pod-not-ready-within = Pod { $pod } was not Ready within { $seconds }s ({ $reason })
check-pod-does-not-exist = Pod { $pod } does not exist

## Live `exec` (live/exec.rs)

check-exec-exited = `{ $command }` exited { $code }: { $output }
check-exec-wanted-output = exit { $code } and output containing { $output }
check-exec-wanted-exit = exit { $code }
check-exec-expected = { $shown }; expected { $wanted }

## Live `capabilities` (live/capabilities.rs)

check-no-capbnd = no CapBnd/CapEff lines in /proc/1/status
check-capbnd-not-hex = CapBnd is not a hex mask: { $mask }
check-capbnd-capeff = CapBnd: { $bounding }, CapEff: { $effective }
check-caps-kept = the container keeps capabilities { $list }

## Live `run-as`, `rootfs-readonly`, `no-privilege-escalation` (live/security.rs)

check-command-printed = `{ $command }` printed { $output } (exit { $code })
check-command-is = `{ $command }` is { $value }
check-command-must-be = `{ $command }` is { $actual }; it must be { $expected }
check-whoami = whoami: { $user }
check-id-groups-lack = `id -G` is { $groups }; it lacks { $missing }
check-id-groups-include = `id -G` includes { $groups }
check-cannot-read-mounts = cannot read /proc/self/mounts: { $output }
check-touch-succeeded = touch /testfile succeeded
check-touch-output = { $output }
check-rootfs-mounted-ro = the root filesystem is mounted read-only: { $shown }
check-rootfs-ro-but-writable = the root is mounted ro, yet `touch /testfile` said: { $shown }
check-rootfs-mounted-rw = the root filesystem is writable (mounted rw): { $shown }
check-no-root-mount = no mount at / in /proc/self/mounts
check-no-new-privs-1 = /proc/1/status shows NoNewPrivs: 1
check-no-new-privs-0 = /proc/1/status shows NoNewPrivs: 0: privilege escalation is allowed
check-no-new-privs-line = no NoNewPrivs line in /proc/1/status: { $output }

## Live `connect` (live/connect.rs)

check-protocol-not-live = { $protocol } probes are not supported live (nc -z probes TCP)
check-connect-error = { $what }: { $error }
check-nc-shown = `nc -zv -w 1 { $to } { $port }` ({ $attempts ->
        [one] { $attempts } attempt
       *[other] { $attempts } attempts
    } in { $seconds }s): { $output }
check-connect-open = { $what } is open
check-connect-open-expected-blocked = { $what } is open, expected blocked
check-reach-timeout = the connection times out (dropped)
check-reach-refused = the connection is refused (rejected)
check-connect-dns = { $what }: `{ $name }` does not resolve (is the Service missing?)
check-connect-probe-failed = { $what }: the probe failed
check-control-open-earlier = it was open earlier in this run
check-control-pods-ready = no control in this run, but the Service's pods ({ $pods }) are Ready
check-connect-no-listener = { $what }: { $how }, and nothing shows that anything listens there (no ready pod behind Service { $service })
check-connect-blocked = { $what } is blocked: { $how }; { $control }
check-connect-blocked-expected-open = { $what } is blocked, expected open: { $how }; { $control }

## Live `image-pull` (live/image_pull.rs)

check-registry-unreachable-control = the registry could not be reached (the control pull without credentials: { $message }); this says nothing about the learner's work
check-pull-without-credentials = { $image } pulls without credentials: the registry does not require authentication, so this check proves nothing
check-control-pull-unfinished = the control pull without credentials did not finish: { $state }
check-no-pull-secrets = no pull secrets
check-pull-secrets = pull secrets { $secrets }
check-pulls-with = { $image } pulls with { $used } (and not without credentials)
check-registry-unreachable = the registry could not be reached while pulling with { $used }: { $message }
check-does-not-pull-with = { $image } does not pull with { $used }: { $reason }: { $message }
check-pull-unfinished = the pull with { $used } did not finish: { $state }

## What the API server would answer (admission.rs): its own words in English.
check-api-service-account-not-found = pods "{ $pod }" is forbidden: error looking up service account { $namespace }/{ $account }: serviceaccount "{ $account }" not found
check-api-problem-at-line = { $problem } (line { $line })
check-api-problems-also = { $first }; also { $others }
check-api-field-problem = { $path }: { $problem }
check-api-pod-needs-spec = Required value: a Pod needs a spec
check-api-at-least-one-container = Required value: at least one container
check-api-container-needs-name = Required value: every container needs a name
check-api-duplicate-container = Duplicate value: "{ $name }"
check-api-container-needs-image = Required value: every container needs an image
check-api-id-out-of-range = Invalid value: { $value }: must be between 0 and { $max }, inclusive
check-api-ape-and-privileged = Invalid value: cannot set `allowPrivilegeEscalation` to false and `privileged` to true
check-api-ape-and-sys-admin = Invalid value: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN
check-api-secret-needs-key = Required value: a Secret of this type needs `data.{ $key }`
check-api-secret-not-json = Invalid value: `{ $key }` is not valid JSON: { $reason }
check-not-found-nameless = { $kind } { $name } not found: a { $kind } without a name would be rejected by the API server: { $problem }

# selects: which pods a NetworkPolicy's podSelector selects
check-selects-exactly = NetworkPolicy `{ $policy }` selects exactly { $pods } (podSelector { $selector })
check-selects-misses = NetworkPolicy `{ $policy }` does not select `{ $pod }`: its podSelector { $selector } does not match the pod's labels ({ $labels })
check-selects-near-miss = `{ $pod }` is labelled { $has }, not { $wrote }
check-selects-also = NetworkPolicy `{ $policy }` also selects { $pods }, which the task leaves alone: they are isolated too (select only { $wanted })
check-selects-empty = an empty podSelector ({"{}"}) selects every pod of the namespace
check-admission-by-api-server = the API server
check-admission-by-pod-security = Pod Security admission at level `{ $level }`
check-admission-by-policy = the ValidatingAdmissionPolicy `{ $name }`
check-admission-admitted = { $kind } `{ $name }` is admitted
check-admission-runs = { $kind } `{ $name }` is admitted and runs: the kubelet pulled { $image } and started it
check-admission-runs-offline = { $kind } `{ $name }` is admitted; that it runs (the kubelet pulls { $image }) is seen on a cluster
check-admission-does-not-start = the lab's { $kind } `{ $name }` is admitted but did not start within { $seconds } s ({ $state }): the lab's environment (its registry) is at fault, not the answer
check-admission-refused = { $kind } `{ $name }` must be admitted, but { $by } refuses it: { $message }
check-admission-not-refused = { $kind } `{ $name }` is admitted, but { $by } must refuse it
check-admission-refused-by-other = { $kind } `{ $name }` is refused by { $by }, but { $expected } must refuse it: { $message }
check-admission-message-lacks = { $kind } `{ $name }` is refused, but the message does not say `{ $text }`: { $message }
check-admission-refused-as-expected = { $kind } `{ $name }` is refused by { $by }: { $message }
check-api-server-said = { $message }

check-source-image-user = the default user of image { $image }: { $uid }
check-source-image-group = the default group of image { $image }: { $gid }
check-image-unknown-digest = image { $image } cannot be pulled: its repository has no image with this digest (the registry answers `manifest unknown`, ErrImagePull); the known image is { $known }
check-image-exits-at-once = the container exits at once: it sets no command, and the default command of image { $image } (`{ $command }`) ends without a terminal, so the pod restarts until CrashLoopBackOff; give it a command that keeps running (e.g. `command: ["sleep", "3600"]`)
check-image-unknown-command = kubelab does not know image { $image }: whether its default command keeps running cannot be predicted offline (graded live only)
check-image-unknown-user = kubelab does not know image { $image } and no runAsUser is set: the user it runs as cannot be predicted offline (graded live only)
check-run-as-root = runs as UID 0, root ({ $why }); it must run as a non-root user: set runAsUser to a non-zero UID in spec.securityContext or in { $sc }, or use an image whose user is not root
check-command-must-not-be = `{ $command }` is { $actual }; it must not be { $actual }
check-no-id = the container has no `id` command ({ $output }): the user comes from the pod as the API server holds it, or from the image's known user
check-no-cat = the container has no `cat` or `touch` command ({ $output }): read from the pod as the API server holds it
check-rootfs-ro-by-spec = the root filesystem is read-only: readOnlyRootFilesystem is true
check-rootfs-rw-by-spec = the root filesystem is writable: set readOnlyRootFilesystem: true in the container's securityContext
check-exec-image-unknown = kubelab does not know image { $image }: whether it has a shell cannot be predicted offline (graded live only)
check-exec-no-shell = `{ $command }` cannot start: image { $image } has no shell (executable file not found, exit 127)
check-exec-shell-exits = `{ $command }` in image { $image } reads no terminal and exits 0 at once
check-exec-wanted-nonzero = a non-zero exit (the command must fail)
check-field-expect-equals = { $value }
check-field-expect-prefix = a value starting with { $prefix }
check-field-expect-regex = a value matching the regular expression `{ $regex }`
check-field-expect-one-of = one of { $values }
check-field-bad-regex = the check's regular expression `{ $regex }` does not compile: { $problem }
check-rootfs-read-only-no-touch = the root filesystem is read-only ({ $path })
## `dns` and connections that need a name lookup (offline/dns.rs, live/dns.rs)
check-dns-lookup = `nslookup { $name }` in { $from }
check-dns-resolves = { $what } resolves: { $explanation }
check-dns-resolves-expected-fails = { $what } resolves, expected it to fail: { $explanation }
check-dns-fails = { $what } fails (DNS is blocked): { $explanation }
check-dns-fails-expected-resolves = { $what } fails, expected it to resolve: DNS is blocked. { $explanation }
check-dns-plugin-defined = { $what }: depends on the network plugin, not decidable offline: { $explanation }
check-dns-unknown-name = `{ $name }` is not a name the cluster DNS knows (a Service of the lab's namespace, `kube-dns.kube-system` or `kubernetes.default`): the lab's check is wrong
check-dns-error = { $what }: { $error }
check-dns-no-answer = { $what }: the cluster DNS does not answer, and no egress policy selects the pod: the cluster's DNS is not working (run `kubelab doctor`)
check-dns-blocked-by = egress policies select { $pod } ({ $policies }) and let no lookup through
check-dns-peer-own-namespace = in { $policy }, a `podSelector` without a `namespaceSelector` selects pods of the policy's own namespace ({ $namespace }) only; the DNS pods are in `kube-system`: put `namespaceSelector: {"{"}matchLabels: {"{"}kubernetes.io/metadata.name: kube-system{"}"}{"}"}` in the same peer (the same `-` item)
check-dns-undecided = { $what }: for { $seconds }s neither the lookup nor a trivial command in the pod finished in time: the machine is too loaded to tell a blocked lookup from a slow one
check-dns-answered = the cluster DNS answered
check-nslookup-shown = `nslookup { $name }` ({ $attempts ->
        [one] { $attempts } attempt
       *[other] { $attempts } attempts
    } in { $seconds }s): { $output }
check-connect-dns-blocked = { $what } cannot connect: `{ $name }` does not resolve because DNS is blocked (a lookup is UDP 53 to the `k8s-app: kube-dns` pods in `kube-system`). { $explanation }
check-connect-dns-blocked-as-expected = { $what } is blocked: `{ $name }` does not even resolve, because DNS is blocked. { $explanation }
check-image-program-missing = the container cannot start: image { $image } has no program `{ $program }` (the runtime's `exec: "{ $program }": executable file not found`, RunContainerError); run what the image holds, or set no command and let its entrypoint run
