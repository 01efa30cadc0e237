#!/usr/bin/env bash
# The kubectl-only baseline of `cargo bench --bench live` (issue 3): the three labs'
# reference solutions verified the way lab platforms' verify scripts do it — one
# `kubectl` call after another, each check a `kubectl exec` or `kubectl get`.
#
# For each lab, in sequence, TIMED from `kubectl create namespace` to the end of
# `kubectl delete namespace --wait=true`:
#   - a namespace (and its `default` ServiceAccount, without which pods are refused);
#   - the scenario exactly as the seed creates it (`kubectl run ...`);
#   - `kubectl wait --for=condition=Ready` on the scenario's pods;
#   - the reference solution (labs/<lab>/solution/), applied step by step, and after each
#     step that step's checks with `kubectl exec` / `kubectl get`, one after another;
#   - cleanup: pods deleted with a 1 s grace period (the `sleep 3600` pods ignore
#     SIGTERM and would hold the namespace for 30 s — kubelab deletes them without
#     grace too), then `kubectl delete namespace --wait=true`.
# No sleeps except the polling that a check needs: `nc -zv -w 1` retried about once a
# second until the expectation holds (bounded 20 s, as kubelab does), and a 0.4 s poll
# for ErrImagePull (kubelab's pod poll) and for the default ServiceAccount.
#
# NOT TIMED: for private-registry, the private registry itself. A helper step runs
# `kubelab start private-registry` (registry:2 with htpasswd auth on a cluster-allocated
# NodePort, the same mechanism `kubelab grade` uses, src/cluster/registry.rs) before the
# timed part, reads the run's server, credentials and image from the `kubelab-params`
# ConfigMap, and deletes that namespace after. kubelab's own grading time includes
# provisioning its registry; this script's does not.
#
# Environment: KUBECONFIG (default: the test cluster's admin kubeconfig), KUBECTL
# (default: the testbed's kubectl v1.34, else `kubectl` on PATH), KUBELAB_BIN (default:
# target/release/kubelab, for the registry helper only).
# Output: one `lab <id> <seconds>` line per lab and `total <seconds>` (sum of the three).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export KUBECONFIG=${KUBECONFIG:-/var/lib/kubelab-testbed/admin.kubeconfig}
if [[ -z ${KUBECTL:-} ]]; then
    bin=$(bash -c "source '$ROOT/tests/cluster/lib.sh' && K8S_BIN" 2>/dev/null || true)
    if [[ -n $bin && -x $bin/kubectl ]]; then KUBECTL=$bin/kubectl; else KUBECTL=kubectl; fi
fi
KUBELAB_BIN=${KUBELAB_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/kubelab}
LABS=$ROOT/labs

k() { "$KUBECTL" "$@"; }
now_ms() { date +%s%3N; }
fail() {
    echo "kubectl-verify: FAIL: $*" >&2
    exit 1
}
# sleep for a number of milliseconds
sleep_ms() {
    if (($1 > 0)); then sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"; fi
}

CREATED=()
cleanup() {
    for ns in "${CREATED[@]}"; do
        k delete namespace "$ns" --wait=false --ignore-not-found >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

# new_namespace LAB: creates the namespace NS (a global: CREATED must see it).
new_namespace() {
    NS="kubectl-verify-$1-$(tr -dc a-z0-9 </dev/urandom | head -c 6 || true)"
    k create namespace "$NS" >/dev/null
    CREATED+=("$NS")
    until k -n "$NS" get serviceaccount default >/dev/null 2>&1; do sleep 0.4; done
}

delete_namespace() {
    k -n "$1" delete pods --all --grace-period=1 --wait=false >/dev/null
    k delete namespace "$1" --wait=true >/dev/null
}

# connect NS FROM open|blocked: `nc -zv -w 1 db-pod 6379` from FROM, retried about once
# a second until it gives the expected result, for 20 s at most.
connect() {
    local ns=$1 from=$2 want=$3 start attempt got
    start=$(now_ms)
    while :; do
        attempt=$(now_ms)
        if k -n "$ns" exec "$from" -- nc -zv -w 1 db-pod 6379 >/dev/null 2>&1; then
            got=open
        else
            got=blocked
        fi
        [[ $got == "$want" ]] && return 0
        (($(now_ms) - start >= 20000)) && fail "$from -> db-pod:6379 is $got, expected $want"
        sleep_ms $((1000 - ($(now_ms) - attempt)))
    done
}

verify_network_policy() {
    local ns
    new_namespace network-policy
    ns=$NS
    k -n "$ns" run db-pod --image=redis --labels=role=db --expose --port=6379 >/dev/null
    k -n "$ns" run api-pod --image=busybox:1.28 --labels=app=api -- sleep 3600 >/dev/null
    k -n "$ns" run external-pod --image=busybox:1.28 --labels=app=external -- sleep 3600 >/dev/null
    k -n "$ns" wait --for=condition=Ready pod/db-pod pod/api-pod pod/external-pod --timeout=90s >/dev/null
    # step baseline
    connect "$ns" api-pod open
    connect "$ns" external-pod open
    # step deny-all
    k -n "$ns" apply -f "$LABS/network-policy/solution/db-deny-policy.yaml" >/dev/null
    connect "$ns" api-pod blocked
    connect "$ns" external-pod blocked
    # step allow-api
    k -n "$ns" apply -f "$LABS/network-policy/solution/api-allow-policy.yaml" >/dev/null
    connect "$ns" api-pod open
    connect "$ns" external-pod blocked
    delete_namespace "$ns"
}

verify_security_context() {
    local ns out
    new_namespace security-context
    ns=$NS
    k -n "$ns" apply -f "$LABS/security-context/solution/secure-pod.yaml" >/dev/null
    k -n "$ns" wait --for=condition=Ready pod/secure-pod --timeout=90s >/dev/null
    x() { k -n "$ns" exec secure-pod -c secure-container -- "$@"; }
    [[ $(x id -u) == 1000 ]] || fail "id -u is not 1000"
    [[ $(x id -g) == 3000 ]] || fail "id -g is not 3000"
    [[ $(k -n "$ns" get pod secure-pod -o jsonpath='{.spec.securityContext.fsGroup}') == 2000 ]] ||
        fail "fsGroup is not 2000"
    out=$(x cat /proc/1/status)
    grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<<"$out" || fail "NoNewPrivs is not 1"
    grep -Eq '^CapBnd:[[:space:]]+0+$' <<<"$out" || fail "CapBnd is not empty"
    out=$(x cat /proc/self/mounts)
    awk '$2 == "/" { opts = $4 } END { exit !(opts ~ /(^|,)ro(,|$)/) }' <<<"$out" ||
        fail "/ is not mounted read-only"
    if out=$(x touch /testfile 2>&1); then fail "touch /testfile succeeded"; fi
    grep -q "Read-only file system" <<<"$out" || fail "touch /testfile: $out"
    if out=$(x whoami 2>&1); then fail "whoami succeeded: $out"; fi
    grep -q 1000 <<<"$out" || fail "whoami: $out"
    delete_namespace "$ns"
}

# wait_pull_error NS POD: poll until the pod's container waits with ErrImagePull or
# ImagePullBackOff (90 s at most).
wait_pull_error() {
    local start reason
    start=$(now_ms)
    while :; do
        reason=$(k -n "$1" get pod "$2" -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}')
        [[ $reason == ErrImagePull || $reason == ImagePullBackOff ]] && return 0
        [[ $(k -n "$1" get pod "$2" -o jsonpath='{.status.phase}') == Running ]] &&
            fail "$2 pulled the private image without credentials"
        (($(now_ms) - start >= 90000)) && fail "$2: no ErrImagePull within 90 s"
        sleep 0.4
    done
}

verify_private_registry() {
    local ns
    new_namespace private-registry
    ns=$NS
    # step pull-secret: the lab's command, then a pull with the secret and one without
    k -n "$ns" create secret docker-registry private-reg-cred --docker-server="$REGISTRY" \
        --docker-username="$REGISTRY_USER" --docker-password="$REGISTRY_PASSWORD" \
        --docker-email=learner@kubelab.test >/dev/null
    k -n "$ns" run pull-creds --image="$REGISTRY_IMAGE" --image-pull-policy=Always \
        --overrides='{"apiVersion":"v1","spec":{"imagePullSecrets":[{"name":"private-reg-cred"}]}}' \
        -- sleep 3600 >/dev/null
    k -n "$ns" run pull-anon --image="$REGISTRY_IMAGE" --image-pull-policy=Always -- sleep 3600 >/dev/null
    k -n "$ns" wait --for=condition=Ready pod/pull-creds --timeout=90s >/dev/null
    wait_pull_error "$ns" pull-anon
    # step private-pod: the reference pod (its image named after this run's registry)
    sed "s#127.0.0.1:30050/kubelab/private-app:1.0#$REGISTRY_IMAGE#" \
        "$LABS/private-registry/solution/private-pod.yaml" | k -n "$ns" apply -f - >/dev/null
    k -n "$ns" wait --for=condition=Ready pod/private-pod --timeout=90s >/dev/null
    [[ $(k -n "$ns" get pod private-pod -o jsonpath='{.spec.imagePullSecrets[*].name}') == private-reg-cred ]] ||
        fail "private-pod does not name private-reg-cred"
    delete_namespace "$ns"
}

# --- not timed: the private registry (kubelab's mechanism) ---------------------------
"$KUBECTL" get --raw /readyz >/dev/null || fail "the cluster is not reachable with $KUBECONFIG"
[[ -x $KUBELAB_BIN ]] || fail "no kubelab binary at $KUBELAB_BIN (cargo build --release)"
start_out=$("$KUBELAB_BIN" start private-registry --lang en </dev/null 2>/dev/null) ||
    fail "kubelab start private-registry failed"
# shellcheck disable=SC2016 # the backquotes are literal
REGISTRY_NS=$(grep -o 'ready in namespace `[^`]*`' <<<"$start_out" | tr -d '`' | awk '{print $4}')
[[ -n $REGISTRY_NS ]] || fail "no namespace in the output of kubelab start"
CREATED+=("$REGISTRY_NS")
param() { k -n "$REGISTRY_NS" get configmap kubelab-params -o jsonpath="{.data.$1}"; }
REGISTRY=$(param registry)
REGISTRY_USER=$(param username)
REGISTRY_PASSWORD=$(param password)
REGISTRY_IMAGE=$(param image)
echo "registry (not timed): $REGISTRY_IMAGE in namespace $REGISTRY_NS" >&2

# --- timed ---------------------------------------------------------------------------
total=0
for lab in network-policy security-context private-registry; do
    t0=$(now_ms)
    "verify_${lab//-/_}"
    ms=$(($(now_ms) - t0))
    total=$((total + ms))
    printf 'lab %s %d.%03d\n' "$lab" $((ms / 1000)) $((ms % 1000))
done
printf 'total %d.%03d\n' $((total / 1000)) $((total % 1000))

k delete namespace "$REGISTRY_NS" --wait=false >/dev/null
