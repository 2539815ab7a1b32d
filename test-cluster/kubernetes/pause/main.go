// Command pause holds a pod's namespaces open for the local cluster's real node (containerd's sandbox
// image), as Kubernetes' own pause does: it waits for a termination signal and exits cleanly.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
}
