//go:build tools

// Package tools pins the KWOK controller that build.sh compiles; KWOK plays the kubelet for fake nodes.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
