#!/usr/bin/env bash
# The quickstart: builds what is missing, starts a local cluster (etcd, kube-apiserver, controller manager,
# scheduler, KWOK with fake GPU and CPU nodes), runs the operator and a pod runner that executes the Job and
# serving pods as local processes, trains and serves the example model, forgets two records exactly, shows
# the new version being served and checks the signed certificate, then stops everything (also on failure).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
printf '\n\033[1m==> Building the jar, the test classes and the control plane (first run: several minutes)\033[0m\n'
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/demo.classpath >/dev/null
bash test-cluster/build.sh >/dev/null
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/unlearning-operator/djl}" OPT_OUT_TRACKING=true
exec java -Dai.djl.offline=true -Dproject.root="$root" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/demo.classpath)" dev.unlearning.testcluster.Demo
