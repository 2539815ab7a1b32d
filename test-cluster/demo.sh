#!/usr/bin/env bash
# The quickstart: builds what is missing, starts a local cluster (etcd, kube-apiserver, controller manager,
# scheduler, KWOK with fake GPU and CPU nodes), runs the operator and a pod runner that executes the Job and
# serving pods as local processes, trains and serves the example model, forgets two records exactly, shows
# the new version being served and checks the signed certificate, then stops everything (also on failure).
#
#   test-cluster/demo.sh              # fake nodes and the pod runner: no root, about two minutes once built
#   test-cluster/demo.sh --real-node  # as root: the README's real-node block (images, kubelet, helm install...)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
real_node=0
case "${1:-}" in
  --real-node) real_node=1 ;;
  "") ;;
  *) echo "usage: $0 [--real-node]" >&2; exit 2 ;;
esac

# Everything the demo needs, checked before anything is built; each missing piece is named with the command
# that fixes it (on Debian/Ubuntu, what .ci/run installs).
missing=()
java_major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' || true)"
[[ "${java_major:-0}" -ge 17 ]] 2>/dev/null || missing+=("a JDK 17 or newer on PATH: apt-get install openjdk-17-jdk-headless")
command -v go >/dev/null || missing+=("Go 1.21 or newer on PATH (it fetches the toolchain the modules ask for): https://go.dev/dl")
command -v openssl >/dev/null || missing+=("openssl: apt-get install openssl")
command -v curl >/dev/null || missing+=("curl: apt-get install curl")
dataset="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  [[ -r "$dataset/$f" ]] || { missing+=("the Fashion-MNIST files in $dataset: apt-get install dataset-fashion-mnist"); break; }
done
if [[ "$real_node" == 1 ]]; then
  [[ "$(id -u)" == 0 ]] || missing+=("root: the real node runs a kubelet, containerd and kube-proxy (sudo $0 --real-node)")
  for tool in podman mmdebstrap /usr/sbin/runc containerd docker-registry /usr/lib/cni/bridge iptables; do
    command -v "$tool" >/dev/null || { missing+=("$tool: apt-get install podman buildah mmdebstrap runc containerd containernetworking-plugins docker-registry iptables"); break; }
  done
fi
if ((${#missing[@]})); then
  printf 'demo.sh needs:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

if [[ "$real_node" == 1 ]]; then
  # The README's block itself (what HelmIT runs), but its first line: the packages were checked above.
  block="$(awk '/^### On a real node, with Helm, on this machine$/ {found=1; next}
                found && /^```bash$/ {inside=1; next} inside && /^```$/ {exit} inside {print}' README.md | tail -n +2)"
  [[ -n "$block" ]] || { echo "README.md has no real-node block" >&2; exit 1; }
  export CLUSTER_STATE_DIR="${CLUSTER_STATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/unlearning-operator/real-node-demo}"
  trap 'bash test-cluster/cluster.sh stop >/dev/null 2>&1 || true' EXIT
  printf '\n\033[1m==> The README real-node block, line by line\033[0m\n'
  bash -euo pipefail -x -c "$block"
  exit 0
fi

printf '\n\033[1m==> Building the jar, the test classes and the control plane (first run: several minutes)\033[0m\n'
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/demo.classpath >/dev/null
bash test-cluster/build.sh >/dev/null
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/unlearning-operator/djl}" OPT_OUT_TRACKING=true
exec java -Dai.djl.offline=true -Dproject.root="$root" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/demo.classpath)" dev.unlearning.testcluster.Demo
