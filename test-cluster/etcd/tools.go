//go:build tools

// Package tools pins the etcd server that build.sh compiles. etcd's own go.mod carries replace
// directives, so `go install go.etcd.io/etcd/server/v3@vX` refuses; a wrapper module avoids that.
package tools

import _ "go.etcd.io/etcd/server/v3"
