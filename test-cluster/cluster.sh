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
# CLUSTER_REAL_NODE=1 runs one real node, real-node-0, instead of the fake ones (as root; see real_node below):
# a kubelet and kube-proxy with containerd and runc from Debian, pods on a CNI bridge of its own (10.244.0.0/24;
# no traffic leaves the machine) that reach the API server through the `kubernetes` Service, images pulled from a
# registry on loopback (the printed REGISTRY), two fake GPUs, and a volume for test-cluster/real-node-claim.yaml.
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
  printf 'subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:10.0.0.1,IP:10.244.0.1\n' \
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
  # With a real node, pods reach the API server as in a real cluster: the `kubernetes` Service (10.0.0.1:443),
  # which kube-proxy forwards to the advertised address, the pod bridge's gateway on this machine. So the
  # bridge is made first and the API server listens beyond loopback (still on this machine only).
  local bind=127.0.0.1 advertise=127.0.0.1
  if [[ "${CLUSTER_REAL_NODE:-0}" == 1 ]]; then
    pod_bridge
    bind=0.0.0.0 advertise=10.244.0.1
  fi
  if ! running kube-apiserver; then
    launch kube-apiserver "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
      --bind-address "$bind" --advertise-address "$advertise" --secure-port "$api_port" \
      --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
      --client-ca-file "$pki/ca.crt" --authorization-mode RBAC \
      --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$pki/sa.pub" \
      --service-account-signing-key-file "$pki/sa.key" --service-cluster-ip-range 10.0.0.0/24 \
      --kubelet-client-certificate "$pki/admin.crt" --kubelet-client-key "$pki/admin.key" \
      --kubelet-preferred-address-types InternalIP,Hostname \
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
  if [[ "${CLUSTER_REAL_NODE:-0}" == 1 ]]; then
    # Only the real node: a pod scheduled to a fake node would wait there forever, never running.
    if ! running kubelet; then real_node "$bin"; fi
  else
    fake_nodes "$bin"
  fi
  log "up: $("$bin/kubectl" --kubeconfig "$kubeconfig" version 2>/dev/null | tail -1)"
  local registry=""
  if [[ -f "$state/registry" ]]; then registry=" REGISTRY=$(cat "$state/registry")"; fi
  echo "export KUBECONFIG=$kubeconfig PATH=$bin:\$PATH$registry"
}

# Two GPU nodes and a CPU node that KWOK keeps Ready.
fake_nodes() {
  local bin="$1"
  "$bin/kubectl" --kubeconfig "$kubeconfig" apply --server-side -f "$here/nodes.yaml" >/dev/null
  local gpu='{"status":{"capacity":{"cpu":"16","memory":"64Gi","pods":"110","nvidia.com/gpu":"4"},"allocatable":{"cpu":"16","memory":"64Gi","pods":"110","nvidia.com/gpu":"4"}}}'
  local cpu='{"status":{"capacity":{"cpu":"16","memory":"64Gi","pods":"110"},"allocatable":{"cpu":"16","memory":"64Gi","pods":"110"}}}'
  for n in gpu-node-0 gpu-node-1; do
    "$bin/kubectl" --kubeconfig "$kubeconfig" patch node "$n" --subresource=status --type=merge -p "$gpu" >/dev/null
  done
  "$bin/kubectl" --kubeconfig "$kubeconfig" patch node cpu-node-0 --subresource=status --type=merge -p "$cpu" >/dev/null
  await kwok "$bin/kubectl" --kubeconfig "$kubeconfig" wait --for=condition=Ready node --all --timeout=1s
}

# The pods' bridge with its gateway address, which the CNI bridge plugin finds and keeps.
pod_bridge() {
  mkdir -p "$state/node"   # stop deletes the bridge with the node
  ip link show unl-br0 >/dev/null 2>&1 || ip link add unl-br0 type bridge
  ip addr show dev unl-br0 | grep -q 'inet 10.244.0.1/24' || ip addr add 10.244.0.1/24 dev unl-br0
  ip link set unl-br0 up
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The real node. What this machine kind needs (checked on Debian 12 with a hybrid cgroup v1 layout, as root in a
# sandbox without CAP_SYS_RESOURCE): runc, not crun (crun refuses hybrid cgroups); containerd's CRI with
# restrict_oom_score_adj (the pause container's oom_score_adj of -998 would be refused) and a local sandbox
# image; the kubelet with cgroupfs, failCgroupV1: false, no QoS cgroups or allocatable enforcement, and its
# node IP and API on the pod bridge's gateway, 10.244.0.1 (so `kubectl logs/exec` reach it; loopback would leave
# the node without an address). Pod logs stay under the state directory, not /var/log/pods.
real_node() {
  local bin="$1" node="$state/node"
  for tool in containerd ctr podman docker-registry /usr/sbin/runc /usr/lib/cni/bridge iptables; do
    command -v "$tool" >/dev/null || {
      log "the real node needs $tool: apt-get install containerd podman docker-registry runc containernetworking-plugins iptables"
      exit 1
    }
  done
  mkdir -p "$node/cni"
  local registry_port kubelet_port healthz_port proxy_healthz_port proxy_metrics_port
  registry_port="$(free_port)" kubelet_port="$(free_port)" healthz_port="$(free_port)"
  proxy_healthz_port="$(free_port)" proxy_metrics_port="$(free_port)"
  echo "127.0.0.1:$registry_port" >"$state/registry"
  printf 'version: 0.1\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: "127.0.0.1:%s"}\nlog: {level: warn}\n' \
    "$node/registry" "$registry_port" >"$node/registry.yml"
  launch registry docker-registry serve "$node/registry.yml"
  cat >"$node/cni/10-unlearning.conflist" <<CNI
{"cniVersion": "1.0.0", "name": "unlearning-pods", "plugins": [
  {"type": "bridge", "bridge": "unl-br0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$node/cni-ipam", "ranges": [[{"subnet": "10.244.0.0/24"}]],
            "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}
]}
CNI
  cat >"$node/containerd.toml" <<TOML
version = 2
root = "$node/containerd/root"
state = "$node/containerd/state"
[grpc]
  address = "$node/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/unlearning-pause:local"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$node/cni"
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."127.0.0.1:$registry_port"]
    endpoint = ["http://127.0.0.1:$registry_port"]
TOML
  launch containerd containerd --config "$node/containerd.toml"
  await containerd ctr --address "$node/containerd.sock" version
  await registry curl -fsS "http://127.0.0.1:$registry_port/v2/"
  # The sandbox image: the static pause binary alone in an image, imported into the CRI's namespace.
  mkdir -p "$node/pause" && cp "$bin/pause" "$node/pause/pause"
  printf 'FROM scratch\nCOPY pause /pause\nENTRYPOINT ["/pause"]\n' >"$node/pause/Containerfile"
  podman --runtime /usr/sbin/runc build -q --pull=never -t localhost/unlearning-pause:local "$node/pause" >/dev/null
  podman save --format docker-archive -o "$node/pause.tar" localhost/unlearning-pause:local >/dev/null 2>&1
  ctr --address "$node/containerd.sock" -n k8s.io images import "$node/pause.tar" >/dev/null
  cat >"$node/kubelet.yaml" <<KUBELET
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 10.244.0.1
port: $kubelet_port
healthzPort: $healthz_port
readOnlyPort: 0
authentication: {anonymous: {enabled: false}, webhook: {enabled: false}, x509: {clientCAFile: $state/pki/ca.crt}}
podLogsDir: $node/pod-logs
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
localStorageCapacityIsolation: false
containerRuntimeEndpoint: unix://$node/containerd.sock
evictionHard: {}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
KUBELET
  launch kubelet "$bin/kubelet" --config "$node/kubelet.yaml" --kubeconfig "$kubeconfig" \
    --hostname-override real-node-0 --node-ip 10.244.0.1 --node-labels unlearning.dev/real-node=true \
    --root-dir "$node/kubelet" --cert-dir "$node/kubelet-pki"
  await kubelet "$bin/kubectl" --kubeconfig "$kubeconfig" wait --for=condition=Ready node/real-node-0 --timeout=1s
  # The node's volume, a hostPath PersistentVolume (real-node-claim.yaml binds it) that comes with what the
  # examples read from their claim: the Fashion-MNIST files and the made-up subject map, owned by the pods' UID.
  local volume="$node/volume" fashion="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
  mkdir -p "$volume/datasets/fashion-mnist"
  if compgen -G "$fashion/*-ubyte.gz" >/dev/null; then cp "$fashion"/*-ubyte.gz "$volume/datasets/fashion-mnist/"; fi
  cp "$here/../manifests/examples/data/fashion-mnist-subjects.csv" "$volume/datasets/"
  chown -R 1000:1000 "$volume"
  "$bin/kubectl" --kubeconfig "$kubeconfig" apply --server-side -f - >/dev/null <<PV
apiVersion: v1
kind: PersistentVolume
metadata: {name: real-node-volume}
spec:
  capacity: {storage: 20Gi}
  accessModes: [ReadWriteMany]
  storageClassName: real-node
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: $volume}
  nodeAffinity:
    required:
      nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [real-node-0]}]}]
PV
  # kube-proxy in iptables mode: Services' cluster IPs (the API server's 10.0.0.1 among them) work from pods and
  # from this machine. It leaves conntrack limits and localhost node ports alone (sysctls a sandbox may refuse).
  cat >"$node/kube-proxy.yaml" <<PROXY
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $kubeconfig}
hostnameOverride: real-node-0
mode: iptables
clusterCIDR: 10.244.0.0/24
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:$proxy_healthz_port
metricsBindAddress: 127.0.0.1:$proxy_metrics_port
conntrack: {maxPerCore: 0, min: 0}
iptables: {localhostNodePorts: false}
PROXY
  cp "$bin/kube-proxy" "$node/kube-proxy"
  launch kube-proxy "$node/kube-proxy" --config "$node/kube-proxy.yaml"
  await kube-proxy curl -fsS "http://127.0.0.1:$proxy_healthz_port/healthz"
  # Two fake GPUs (the kubelet's device plugin directory is fixed at /var/lib/kubelet/device-plugins, so one
  # real node per machine at a time): a pod asking for nvidia.com/gpu runs here, in a container with no GPU.
  launch fake-gpu "$bin/fake-gpu" --resource nvidia.com/gpu --count 2
  await fake-gpu bash -c "'$bin/kubectl' --kubeconfig '$kubeconfig' get node real-node-0 \
    -o jsonpath='{.status.allocatable.nvidia\\.com/gpu}' | grep -qx 2"
}

# Stops the node's containers before containerd (killing a shim would orphan them) and unmounts what the
# kubelet and containerd mounted under the state directory, so that it can be deleted.
real_node_stop() {
  local node="$state/node"
  if running fake-gpu; then kill "$(cat "$state/fake-gpu.pid")"; fi
  if running kube-proxy; then
    kill "$(cat "$state/kube-proxy.pid")"; while running kube-proxy; do sleep 0.2; done
    "$node/kube-proxy" --cleanup >/dev/null 2>&1 || true   # its iptables chains are the machine's, not the state's
  fi
  if running kubelet; then kill "$(cat "$state/kubelet.pid")"; while running kubelet; do sleep 0.2; done; fi
  if running containerd; then
    local ctr=(ctr --address "$node/containerd.sock" -n k8s.io)
    for task in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks kill -s SIGKILL "$task" 2>/dev/null || true; done
    for task in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks delete -f "$task" >/dev/null 2>&1 || true; done
    kill "$(cat "$state/containerd.pid")"; while running containerd; do sleep 0.2; done
  fi
  pkill -f "containerd-shim.*$node/containerd.sock" 2>/dev/null || true
  if running registry; then kill "$(cat "$state/registry.pid")"; fi
  awk -v prefix="$node/" 'index($2, prefix) == 1 {print $2}' /proc/mounts | sort -r | xargs -r umount -l 2>/dev/null || true
  ip link del unl-br0 2>/dev/null || true
  # What the kubelet adds to the machine's iptables and device plugin directory (not under the state directory).
  for hook in INPUT OUTPUT; do iptables -D "$hook" -j KUBE-FIREWALL 2>/dev/null || true; done
  iptables -F KUBE-FIREWALL 2>/dev/null || true
  iptables -X KUBE-FIREWALL 2>/dev/null || true
  for table in nat mangle filter; do
    iptables -t "$table" -X KUBE-KUBELET-CANARY 2>/dev/null || true
    iptables -t "$table" -X KUBE-IPTABLES-HINT 2>/dev/null || true
  done
  rm -f "$state/kubelet.pid" "$state/kube-proxy.pid" "$state/containerd.pid" "$state/registry.pid" "$state/fake-gpu.pid" \
    /var/lib/kubelet/device-plugins/unlearning-fake-gpu.sock /var/lib/kubelet/device-plugins/kubelet.sock \
    /var/lib/kubelet/device-plugins/kubelet_internal_checkpoint
}

status() {
  for p in etcd kube-apiserver kube-controller-manager kube-scheduler kwok registry containerd kubelet kube-proxy fake-gpu; do
    if running "$p"; then echo "$p: running (pid $(cat "$state/$p.pid"))"; elif [[ -f "$state/$p.log" ]]; then echo "$p: stopped"; fi
  done
}

stop() {
  if [[ -d "$state/node" ]]; then real_node_stop; fi
  # SIGKILL, all at once: the state is deleted next, so nothing needs an orderly stop, and each process's
  # graceful one (2-3 s, a minute for an API server whose etcd went first) adds up for every test cluster.
  local p
  for p in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    if running "$p"; then kill -KILL "$(cat "$state/$p.pid")" 2>/dev/null || true; fi
  done
  for p in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    while running "$p"; do sleep 0.1; done
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
