//go:build tools

// Package tools pins the helm command that build.sh compiles; the build tag keeps this file out of every build.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
