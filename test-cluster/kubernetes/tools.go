//go:build tools

// Package tools pins the Kubernetes commands that build.sh compiles (the control plane, and the kubelet and
// kube-proxy of the local cluster's real node).
// The build tag keeps this file out of every build; it only anchors the module graph.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
