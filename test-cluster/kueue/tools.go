//go:build tools

// Package tools pins the Kueue controller that build.sh compiles for the tests that queue Jobs for GPU quota.
// The build tag keeps this file out of every build; it only anchors the module graph.
package tools

import (
	_ "sigs.k8s.io/kueue/cmd/kueue"
)
