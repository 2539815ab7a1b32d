//go:build tools

// Package tools pins the S3 server that build.sh compiles for the erasure tests on a versioned bucket
// (S3Proxy, the in-process server of the other tests, has no object versions).
package tools

import _ "github.com/johannesboyne/gofakes3/cmd/gofakes3"
