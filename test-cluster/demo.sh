#!/usr/bin/env bash
# The quickstart: builds what is missing, starts a local cluster (etcd, kube-apiserver, controller manager,
# scheduler, KWOK with fake GPU and CPU nodes), runs the operator and a pod runner that executes the Job and
# serving pods as local processes, trains and serves the example model, forgets two records exactly, shows
# the new version being served and checks the signed certificate, then stops everything (also on failure).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

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
if ((${#missing[@]})); then
  printf 'demo.sh needs:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

printf '\n\033[1m==> Building the jar, the test classes and the control plane (first run: several minutes)\033[0m\n'
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/demo.classpath >/dev/null
bash test-cluster/build.sh >/dev/null
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/unlearning-operator/djl}" OPT_OUT_TRACKING=true
exec java -Dai.djl.offline=true -Dproject.root="$root" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/demo.classpath)" dev.unlearning.testcluster.Demo
