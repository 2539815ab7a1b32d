#!/usr/bin/env bash
# Builds the local Kubernetes control plane used by the tests and the demo, from Go modules:
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, the kubelet, kube-proxy and a pause process, etcd, helm, the KWOK controller, a versioned S3 server (gofakes3) and Kueue (with
# its CRDs and webhook manifests, copied from the same module into kueue-config/).
#
# Release binaries cannot be downloaded on our build machines, but the Go module proxy is reachable,
# so each binary is compiled from its pinned module (see versions.env and the Go modules here).
#
# Output: $TEST_CLUSTER_DIR/k8s/<K8S_VERSION>-linux-amd64/, the layout fabric8 kube-api-test expects
# (it wants kube-apiserver, etcd and kubectl there). Idempotent: a binary is rebuilt only when it is
# missing or its module's go.mod/go.sum changed since it was built. Prints the bin directory last.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache="${TEST_CLUSTER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/unlearning-operator/test-cluster}"
bin="$cache/k8s/${K8S_VERSION}-linux-amd64"
mkdir -p "$bin"

log() { echo "[test-cluster] $*" >&2; }

# Fingerprint of what a binary is built from; stored beside it to detect a version bump.
fingerprint() { cat "$here/$1/go.mod" "$here/$1/go.sum" | sha256sum | cut -c1-16; }

needs_build() { # module binary...
  local module="$1"; shift
  local want; want="$(fingerprint "$module")"
  for b in "$@"; do
    [[ -x "$bin/$b" && "$(cat "$bin/.$b.built-from" 2>/dev/null)" == "$want" ]] || return 0
  done
  return 1
}

build() { # module ldflags package binary
  local module="$1" ldflags="$2" pkg="$3" name="$4"
  log "building $name from $pkg"
  (cd "$here/$module" && CGO_ENABLED=0 go build -trimpath -tags selinux,notest \
      -ldflags "-s -w $ldflags" -o "$bin/$name.tmp" "$pkg")
  mv "$bin/$name.tmp" "$bin/$name"   # never leave a half-written binary under the final name
  fingerprint "$module" > "$bin/.$name.built-from"
}

major="${K8S_VERSION%%.*}"
minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
k8s_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  k8s_ldflags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  k8s_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

# The kubelet and kube-proxy run the real node (cluster.sh with CLUSTER_REAL_NODE=1); pause is that node's
# sandbox process and fake-gpu its device plugin. Each is rebuilt on its own, so adding one builds only it.
for b in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy; do
  if needs_build kubernetes "$b"; then
    build kubernetes "$k8s_ldflags" "k8s.io/kubernetes/cmd/$b" "$b"
  fi
done
for b in pause fake-gpu; do
  if needs_build kubernetes "$b"; then
    build kubernetes "" "./$b" "$b"
  fi
done
if needs_build etcd etcd; then
  build etcd "" go.etcd.io/etcd/server/v3 etcd
fi
# helm, for the README's commands on the real node (HelmIT); unit tests use the helm-java library instead.
if needs_build helm helm; then
  build helm "-X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" helm.sh/helm/v3/cmd/helm helm
fi
# A versioned S3 server (gofakes3, in memory): erasure must reach every object version (ErasureTest).
if needs_build s3 gofakes3; then
  build s3 "" github.com/johannesboyne/gofakes3/cmd/gofakes3 gofakes3
fi
if needs_build kwok kwok; then
  build kwok "-X sigs.k8s.io/kwok/pkg/consts.Version=v$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok kwok
fi

if needs_build kueue kueue; then
  build kueue "" sigs.k8s.io/kueue/cmd/kueue kueue
  src="$(cd "$here/kueue" && go list -m -f '{{.Dir}}' sigs.k8s.io/kueue)"
  rm -rf "$bin/kueue-config" && mkdir -p "$bin/kueue-config/crd"
  cp "$src"/config/components/crd/bases/*.yaml "$bin/kueue-config/crd/"
  cp "$src/config/components/webhook/manifests.yaml" "$bin/kueue-config/webhooks.yaml"
  chmod -R u+w "$bin/kueue-config"
fi

log "ready: $("$bin/kube-apiserver" --version), etcd $("$bin/etcd" --version | head -1 | awk '{print $3}')"
echo "$bin"
