//go:build tools

// Keeps kube-router's main in the module graph for `go mod tidy`.
package tools

import _ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
