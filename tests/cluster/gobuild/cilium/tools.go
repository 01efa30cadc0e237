//go:build tools

// Keeps cilium-agent's and the CNI plugin's mains in the module graph for `go mod tidy`.
package tools

import (
	_ "github.com/cilium/cilium/daemon"
	_ "github.com/cilium/cilium/plugins/cilium-cni"
)
