#!/usr/bin/env bash
# A local Kubernetes control plane for the demo and for poking at the operator by hand:
# etcd, kube-apiserver, kube-controller-manager and kube-scheduler from test-cluster/build.sh, on loopback.
#
#   test-cluster/cluster.sh start    # builds what is missing, starts everything, prints `export KUBECONFIG=...`
#   test-cluster/cluster.sh status
#   test-cluster/cluster.sh stop     # stops the processes and deletes the cluster's state
#
# State (certificates, etcd data, logs, kubeconfig) lives in $CLUSTER_STATE_DIR. Fake nodes (nodes.yaml: two
# GPU nodes with nvidia.com/gpu capacity, one CPU node) are kept Ready by KWOK, which leaves pods alone
# (kwok-nodes-only.yaml) unless CLUSTER_KWOK_PODS=complete, where it completes them without running them
# (KWOK's default pod stages), or CLUSTER_KWOK_PODS=simulate, where worker pods end with the results a worker
# would report (kwok-simulated-workers.yaml; the scale benchmark). CLUSTER_AUDIT_LOG=<file> makes the API
# server write an audit log (metadata only) there, to count who sent which requests.
# Unit tests do not use this script; they start their own API server through fabric8 kube-api-test.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${CLUSTER_STATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/unlearning-operator/local-cluster}"
etcd_port="${CLUSTER_ETCD_PORT:-23790}"
api_port="${CLUSTER_API_PORT:-16443}"
kubeconfig="$state/kubeconfig"

log() { echo "[cluster] $*" >&2; }

running() { [[ -f "$state/$1.pid" ]] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }

launch() { # name binary args...
  local name="$1"; shift
  "$@" >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
}

certificates() {
  mkdir -p "$state/pki"
  local pki="$state/pki"
  [[ -f "$pki/admin.crt" ]] && return
  log "creating certificates in $pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=local-cluster-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:10.0.0.1\n' \
    >"$pki/apiserver.ext"
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -extfile "$pki/apiserver.ext" -out "$pki/apiserver.crt" 2>/dev/null
  # The admin identity is in system:masters, which RBAC lets do anything: this cluster is for local use only.
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=local-admin" \
    -keyout "$pki/admin.key" -out "$pki/admin.csr" 2>/dev/null
  openssl x509 -req -in "$pki/admin.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -out "$pki/admin.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
}

write_kubeconfig() {
  cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $state/pki/ca.crt
users:
- name: local-admin
  user:
    client-certificate: $state/pki/admin.crt
    client-key: $state/pki/admin.key
contexts:
- name: local
  context: {cluster: local, user: local-admin}
current-context: local
EOF
}

await() { # what command...
  local what="$1"; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "$what did not become ready; its log:"; tail -20 "$state/$what.log" >&2 || true
  return 1
}

start() {
  local bin; bin="$("$here/build.sh" | tail -1)"
  mkdir -p "$state"
  certificates
  write_kubeconfig
  local pki="$state/pki"
  if ! running etcd; then
    launch etcd "$bin/etcd" --name local --data-dir "$state/etcd" \
      --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
      --listen-peer-urls "http://127.0.0.1:$((etcd_port + 10))" \
      --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 10))" \
      --initial-cluster "local=http://127.0.0.1:$((etcd_port + 10))"
    await etcd curl -fsS "http://127.0.0.1:$etcd_port/health"
  fi
  local audit=()
  if [[ -n "${CLUSTER_AUDIT_LOG:-}" ]]; then
    printf 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n' \
      >"$state/audit-policy.yaml"
    audit=(--audit-policy-file "$state/audit-policy.yaml" --audit-log-path "$CLUSTER_AUDIT_LOG" --audit-log-format json)
  fi
  if ! running kube-apiserver; then
    launch kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
      --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
      --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
      --client-ca-file "$pki/ca.crt" --authorization-mode RBAC \
      --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$pki/sa.pub" \
      --service-account-signing-key-file "$pki/sa.key" --service-cluster-ip-range 10.0.0.0/24 \
      --allow-privileged=true "${audit[@]}"
    await kube-apiserver "$bin/kubectl" --kubeconfig "$kubeconfig" get --raw /readyz
  fi
  if ! running kube-controller-manager; then
    launch kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$kubeconfig" \
      --authentication-kubeconfig "$kubeconfig" --authorization-kubeconfig "$kubeconfig" \
      --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
      --leader-elect=false --bind-address 127.0.0.1 --secure-port 0
  fi
  if ! running kube-scheduler; then
    launch kube-scheduler "$bin/kube-scheduler" --kubeconfig "$kubeconfig" \
      --authentication-kubeconfig "$kubeconfig" --authorization-kubeconfig "$kubeconfig" \
      --leader-elect=false --bind-address 127.0.0.1 --secure-port 0
  fi
  if ! running kwok; then
    local kwok_config=()
    case "${CLUSTER_KWOK_PODS:-runner}" in
      complete) ;;
      simulate) kwok_config=(--config "$here/kwok-simulated-workers.yaml") ;;
      *) kwok_config=(--config "$here/kwok-nodes-only.yaml") ;;
    esac
    launch kwok "$bin/kwok" --kubeconfig "$kubeconfig" "${kwok_config[@]}" \
      --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --node-lease-duration-seconds 40
  fi
  await kube-controller-manager running kube-controller-manager
  await kube-scheduler running kube-scheduler
  await kwok running kwok
  "$bin/kubectl" --kubeconfig "$kubeconfig" apply --server-side -f "$here/nodes.yaml" >/dev/null
  local gpu='{"status":{"capacity":{"cpu":"16","memory":"64Gi","pods":"110","nvidia.com/gpu":"4"},"allocatable":{"cpu":"16","memory":"64Gi","pods":"110","nvidia.com/gpu":"4"}}}'
  local cpu='{"status":{"capacity":{"cpu":"16","memory":"64Gi","pods":"110"},"allocatable":{"cpu":"16","memory":"64Gi","pods":"110"}}}'
  for n in gpu-node-0 gpu-node-1; do
    "$bin/kubectl" --kubeconfig "$kubeconfig" patch node "$n" --subresource=status --type=merge -p "$gpu" >/dev/null
  done
  "$bin/kubectl" --kubeconfig "$kubeconfig" patch node cpu-node-0 --subresource=status --type=merge -p "$cpu" >/dev/null
  await kwok "$bin/kubectl" --kubeconfig "$kubeconfig" wait --for=condition=Ready node --all --timeout=1s
  log "up: $("$bin/kubectl" --kubeconfig "$kubeconfig" version 2>/dev/null | tail -1)"
  echo "export KUBECONFIG=$kubeconfig PATH=$bin:\$PATH"
}

status() {
  for p in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
    if running "$p"; then echo "$p: running (pid $(cat "$state/$p.pid"))"; else echo "$p: stopped"; fi
  done
}

stop() {
  for p in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    if running "$p"; then
      kill "$(cat "$state/$p.pid")" 2>/dev/null || true
      while running "$p"; do sleep 0.2; done
    fi
    rm -f "$state/$p.pid"
  done
  rm -rf "$state"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
