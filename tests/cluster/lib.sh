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
#   $KUBELAB_CACHE_DIR/bin/k8s-v1.34.4_etcd-v3.6.4_go1.26.8/
#   $KUBELAB_CACHE_DIR/bin/coredns-v1.14.7_go1.26.8/
#   $KUBELAB_CACHE_DIR/bin/kube-router-v2.10.0_go1.26.8/
# GOMODCACHE and GOCACHE are content-addressed and shared: $KUBELAB_CACHE_DIR/go/{mod,build}.
k8s_key() { echo "k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_$(go_version)"; }
coredns_key() { echo "coredns-${COREDNS_VERSION}_$(go_version)"; }
kube_router_key() { echo "kube-router-${KUBE_ROUTER_VERSION}_$(go_version)"; }
