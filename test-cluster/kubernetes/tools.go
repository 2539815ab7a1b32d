//go:build tools

// Package tools pins the Kubernetes control-plane commands that build.sh compiles.
// The build tag keeps this file out of every build; it only anchors the module graph.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
