# Shared helpers for tests/cluster/{build,up,down,smoke}. Source it; do not run it.
HERE="${HERE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
. "$HERE/versions.sh"

: "${KUBELAB_TESTBED_DIR:=/var/lib/kubelab-testbed}"
: "${KUBELAB_CACHE_DIR:=/var/cache/kubelab-testbed}"
export KUBELAB_TESTBED_DIR KUBELAB_CACHE_DIR

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

go_version() { go env GOVERSION 2>/dev/null || echo nogo; }
# One binary directory per component, keyed by the pinned versions (and Go's version):
#   $KUBELAB_CACHE_DIR/bin/k8s-v1.34.4_etcd-v3.6.4_go1.26.8_<hash>/
#   $KUBELAB_CACHE_DIR/bin/coredns-v1.14.7_go1.26.8_<hash>/
#   $KUBELAB_CACHE_DIR/bin/kube-router-v2.10.0_go1.26.8_<hash>/
# GOMODCACHE and GOCACHE are content-addressed and shared: $KUBELAB_CACHE_DIR/go/{mod,build}.
# plus a short hash of the wrapper module's files (gobuild/<name>/), so editing a wrapper rebuilds.
src_hash() { (cd "$HERE/gobuild/$1" && find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-8; }
k8s_key() { echo "k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_$(go_version)_$(src_hash k8s)"; }
coredns_key() { echo "coredns-${COREDNS_VERSION}_$(go_version)_$(src_hash coredns)"; }
cilium_key() { echo "cilium-${CILIUM_VERSION}_$(go_version)_$(src_hash cilium)"; }
kube_router_key() { echo "kube-router-${KUBE_ROUTER_VERSION}_$(go_version)_$(src_hash kube-router)"; }

# ---- the NetworkPolicy enforcer ---------------------------------------------------
# kube-router: bridge CNI + kube-router's iptables firewall (REJECTs denied connections).
# cilium: Cilium as the CNI and enforcer, eBPF, native routing (DROPs denied packets).
CNI="${KUBELAB_TESTBED_CNI:-kube-router}"
case "$CNI" in kube-router|cilium) ;; *) echo "KUBELAB_TESTBED_CNI must be kube-router or cilium, not '$CNI'" >&2; exit 2 ;; esac
CILIUM_CGROUP_ROOT=/sys/fs/cgroup/unified
CILIUM_BIN() { echo "$KUBELAB_CACHE_DIR/bin/$(cilium_key)"; }

# ---- cluster layout -------------------------------------------------------------
TB="$KUBELAB_TESTBED_DIR"
NODE_NAME=kubelab-node
BRIDGE=cni0
NODE_IP=10.244.0.1          # the bridge's address: apiserver, kubelet bind here
POD_CIDR=10.244.0.0/16
NODE_POD_CIDR=10.244.0.0/24       # kube-router: the bridge's subnet, pods and node IP
CILIUM_NODE_POD_CIDR=10.244.1.0/24 # cilium: the node's podCIDR (cni0 keeps only the node IP)
SVC_CIDR=10.96.0.0/12
POD_RT_TABLE=1244           # policy-routing table (and rule priority) for traffic from the bridge
KUBERNETES_SVC_IP=10.96.0.1
DNS_SVC_IP=10.96.0.10
POD_PIDS_LIMIT=1024         # the kubelet's podPidsLimit: processes (and threads) per pod
MIRROR=127.0.0.1:5000       # open mirror: serves docker.io/registry.k8s.io names
PRIVATE=127.0.0.1:5001      # htpasswd basic auth, holds private/app:1.0
RUNDIR=/run/kubelab-testbed # containerd state + socket
CONTAINERD_SOCK="$RUNDIR/containerd/containerd.sock"
LOGS="$TB/logs"
PIDS="$TB/run"
K8S_BIN() { echo "$KUBELAB_CACHE_DIR/bin/$(k8s_key)"; }

kc() { "$(K8S_BIN)/kubectl" --kubeconfig "$TB/admin.kubeconfig" "$@"; }

pid_of() { # component -> pid if alive
	local f="$PIDS/$1.pid" p
	[[ -f "$f" ]] || return 1
	p="$(cat "$f")"
	[[ -n "$p" ]] && kill -0 "$p" 2>/dev/null || return 1
	echo "$p"
}

# start_bg NAME CMD... : start a daemon in its own session, log to $LOGS/NAME.log
start_bg() {
	local name="$1"; shift
	mkdir -p "$LOGS" "$PIDS"
	# one log per start (the previous one is kept as NAME.log.1), so a failure's tail is this start's
	[[ -f "$LOGS/$name.log" ]] && mv -f "$LOGS/$name.log" "$LOGS/$name.log.1"
	echo "===== $(date -Is) start: $*" > "$LOGS/$name.log"
	setsid "$@" >> "$LOGS/$name.log" 2>&1 < /dev/null 8>&- 9>&- &
	echo $! > "$PIDS/$name.pid"
}

fail_component() { # name msg
	log "ERROR: $1 failed: $2"
	log "----- last 40 lines of $LOGS/$1.log -----"
	tail -n 40 "$LOGS/$1.log" >&2 || true
	exit 1
}

# wait_healthy NAME TIMEOUT CMD... : poll CMD until it succeeds; fail with log tail
wait_healthy() {
	local name="$1" t="$2"; shift 2
	local end=$((SECONDS + t))
	while ! "$@" >/dev/null 2>&1; do
		if [[ -f "$PIDS/$name.pid" ]] && ! pid_of "$name" >/dev/null; then
			fail_component "$name" "process exited"
		fi
		(( SECONDS < end )) || fail_component "$name" "not healthy after ${t}s ($*)"
		sleep 0.5
	done
	log "$name healthy"
}

stop_pid() { # component [timeout]
	local p t="${2:-20}"
	p="$(pid_of "$1")" || { rm -f "$PIDS/$1.pid"; return 0; }
	kill -TERM "$p" 2>/dev/null || true
	local end=$((SECONDS + t))
	while kill -0 "$p" 2>/dev/null && (( SECONDS < end )); do sleep 0.2; done
	kill -KILL "$p" 2>/dev/null || true
	rm -f "$PIDS/$1.pid"
	log "stopped $1"
}

stop_many() { # component... : TERM all at once, wait (bounded), then KILL
	local c p pids=() end=$((SECONDS + 8))
	for c in "$@"; do p="$(pid_of "$c")" && { kill -TERM "$p" 2>/dev/null; pids+=("$p"); }; done
	for p in "${pids[@]}"; do
		while kill -0 "$p" 2>/dev/null && (( SECONDS < end )); do sleep 0.2; done
		kill -KILL "$p" 2>/dev/null || true
	done
	for c in "$@"; do rm -f "$PIDS/$c.pid"; done
	(( ${#pids[@]} )) && log "stopped: $*"
	return 0
}

# up and down hold $TB/.lock: a second `up` (e.g. tests/run started twice) waits instead of
# racing the first one over the same processes, ports and build directories.
lock_testbed() {
	[[ -n "${KUBELAB_LOCK_HELD:-}" ]] && return 0   # called from a script that holds it
	mkdir -p "$TB"
	exec 9>"$TB/.lock"
	if ! flock -n 9; then
		log "waiting for another tests/cluster/up or down (lock $TB/.lock)"
		flock -w "${1:-5400}" 9 || die "timed out waiting for $TB/.lock"
	fi
}

DAEMONS="etcd registry-mirror registry-private kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy kube-router cilium-agent"
any_daemon_alive() { local c; for c in $DAEMONS; do pid_of "$c" >/dev/null && return 0; done; return 1; }
