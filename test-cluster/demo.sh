#!/usr/bin/env bash
# The quickstart: builds what is missing, starts the local control plane, installs the CRDs, runs the
# operator jar against it, applies the example ShardedModel, shows what the operator reported, then runs the
# engine roles on the example (train, evaluate, forget two records exactly, evaluate again) and stops
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
kubectl get jobs -l unlearning.dev/model=fashion-mnist
kubectl get shardedmodel fashion-mnist \
  -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}): {.message}{"\n"}{end}'

# This cluster has no nodes yet, so the training Job's pods stay Pending; the end-to-end issue adds KWOK
# nodes and a pod runner. Meanwhile, run the same roles those pods would run, by hand:
step "Engine roles, as the Job pods will run them (store: target/demo-store)"
run_role() { java -Dai.djl.offline=true -jar target/quarkus-app/quarkus-run.jar "$@" --store "file://$root/target/demo-store"; }
rm -rf target/demo-store
run_role train --model manifests/examples/fashion-mnist-cpu.yaml --output target/demo-train.json
echo "trained version $(jq .version target/demo-train.json): $(jq '[.shards[].records] | add' target/demo-train.json) records in $(jq '.shards | length' target/demo-train.json) shards, $(jq .wallSeconds target/demo-train.json | cut -c1-5) s"
run_role evaluate --model manifests/examples/fashion-mnist-cpu.yaml --request manifests/examples/forget-records-exact.yaml \
  --output target/demo-before.json
run_role unlearn --model manifests/examples/fashion-mnist-cpu.yaml --request manifests/examples/forget-records-exact.yaml \
  --output target/demo-unlearn.json
jq '{versionBefore, versionAfter, method, forgotten, affectedShards, retrainedFromSlice, samplesProcessed, wallSeconds}' \
  target/demo-unlearn.json
run_role evaluate --model manifests/examples/fashion-mnist-cpu.yaml --request manifests/examples/forget-records-exact.yaml \
  --output target/demo-after.json
printf 'test accuracy before %s, after %s\n' "$(jq .test.accuracy target/demo-before.json)" \
  "$(jq .test.accuracy target/demo-after.json)"

step "Done; stopping the operator and the control plane"
