#!/usr/bin/env bash
# The quickstart: builds what is missing, starts the local control plane, installs the CRDs, runs the
# operator jar against it, applies the example ShardedModel, shows what the operator reported, and stops
# everything again (also on Ctrl-C or failure).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Building the operator jar"
./mvnw -B -q package -DskipTests

step "Starting the local control plane (etcd, kube-apiserver, controller-manager, scheduler)"
eval "$(test-cluster/cluster.sh start)"
operator_pid=""
cleanup() {
  set +e   # a killed operator exits non-zero; the control plane must still be stopped
  if [[ -n "$operator_pid" ]]; then kill "$operator_pid" 2>/dev/null; wait "$operator_pid" 2>/dev/null; fi
  test-cluster/cluster.sh stop
}
trap cleanup EXIT

step "Installing the CRDs"
kubectl apply --server-side -f crds/
kubectl wait --for=condition=Established crd --all --timeout=60s

step "Running the operator (log: target/demo-operator.log)"
java -Dai.djl.offline=true -Dquarkus.http.port=0 -jar target/quarkus-app/quarkus-run.jar operator \
  >target/demo-operator.log 2>&1 &
operator_pid=$!

step "Applying manifests/examples/fashion-mnist-cpu.yaml"
kubectl apply -f manifests/examples/fashion-mnist-cpu.yaml
kubectl wait --for=jsonpath='{.status.observedGeneration}'=1 shardedmodel/fashion-mnist --timeout=90s

step "What the operator reported"
kubectl get shardedmodels -o wide
kubectl get shardedmodel fashion-mnist \
  -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}): {.message}{"\n"}{end}'

step "Done; stopping the operator and the control plane"
