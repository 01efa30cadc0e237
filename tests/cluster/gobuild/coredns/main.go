// A minimal CoreDNS: only the plugins the test cluster's Corefile uses (no forward,
// no cloud backends), so nothing can leave the machine and the build stays small.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
	_ "github.com/coredns/coredns/plugin/template"
	_ "github.com/coredns/coredns/plugin/whoami"
)

var directives = []string{
	// order = plugin chain order: template (NXDOMAIN for everything else) after kubernetes
	"reload", "errors", "log", "health", "ready", "loadbalance", "cache", "kubernetes", "template", "loop", "whoami",
}

func main() {
	dnsserver.Directives = directives
	coremain.Run()
}
