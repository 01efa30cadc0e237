# Pinned versions of everything tests/cluster builds. The build cache key is derived
# from these values (lib.sh: cache_key), so changing one rebuilds into a new cache dir.
K8S_VERSION=v1.34.4
# etcd: the server module at the exact version k8s.io/kubernetes v1.34.4 itself requires
ETCD_VERSION=v3.6.4
COREDNS_VERSION=v1.14.7
# kube-router: the proxy *lists* only v2.1.0, but serves some exact newer tags.
# Tried (2026-11-27): v2.11.1 (.info only, .mod/.zip 403), v2.11.0, v2.9.0, v2.8.1 (403),
# commits ccb0769/7c2c277 (403); v2.10.0 is served in full -> used. Fallback: v2.1.0.
KUBE_ROUTER_VERSION=v2.10.0
KUBE_ROUTER_FALLBACK_VERSION=v2.1.0
# Cilium (KUBELAB_TESTBED_CNI=cilium): agent + CNI plugin as host processes; its go.mod
# needs go 1.26. gobuild/cilium/replace-v1.20.2.txt pins what the proxy refuses.
CILIUM_VERSION=v1.20.2
