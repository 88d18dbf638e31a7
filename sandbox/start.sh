#!/usr/bin/env bash
# Starts the sandbox control plane on loopback: etcd, kube-apiserver (Pod Security Admission on),
# kube-controller-manager (namespaces, service accounts, quotas, workloads), kube-scheduler and KWOK, which
# plays the kubelet for three fake nodes. Everything lives under var/sandbox; a fresh cluster on
# every start. Writes var/sandbox/kubeconfig. Stop with sandbox/stop.sh (make sandbox-stop).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
state="$root/var/sandbox"
bin="$state/bin"
pki="$state/pki"
run="$state/run"
logs="$state/logs"

# Loopback ports (documented in README, "Sandbox cluster"). PODSTUDIO_SANDBOX_PORT_BASE shifts
# every port by the same amount, so a second sandbox (another checkout) can run beside the first;
# PODSTUDIO_SANDBOX_PORT sets the API server's port alone.
shift="${PODSTUDIO_SANDBOX_PORT_BASE:-0}"
[[ "$shift" =~ ^[0-9]+$ ]] || { echo "sandbox: PODSTUDIO_SANDBOX_PORT_BASE must be a number" >&2; exit 2; }
api_port="${PODSTUDIO_SANDBOX_PORT:-$((6443 + shift))}"
etcd_port=$((12379 + shift))
etcd_peer_port=$((12380 + shift))
scheduler_port=$((10259 + shift))
controller_manager_port=$((10257 + shift))
kwok_port=$((10247 + shift))
api="https://127.0.0.1:$api_port"
start_timeout="${PODSTUDIO_SANDBOX_START_TIMEOUT:-60}"

say() { echo "sandbox: $*"; }
fail() {
  echo "sandbox: $*" >&2
  echo "sandbox: logs are in $logs; stopping what was started" >&2
  "$here/stop.sh" >/dev/null 2>&1 || true
  exit 1
}

is_running() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

for program in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
  [ -x "$bin/$program" ] || { echo "sandbox: $bin/$program is missing: run sandbox/build.sh" >&2; exit 3; }
done

if is_running kube-apiserver; then
  say "already running at $api (kubeconfig: $state/kubeconfig); make sandbox-stop stops it"
  exit 0
fi
"$here/stop.sh" >/dev/null 2>&1 || true # leftovers of a crashed run
started=$(date +%s)
rm -rf "$state/etcd" "$pki" "$run" "$logs" "$state/kubeconfig"
mkdir -p "$pki" "$run" "$logs"

# --- Certificates: a throwaway CA, the API server's serving certificate, an admin client
# certificate (group system:masters) and the service-account signing key. Loopback only.
(
  cd "$pki"
  quiet() { "$@" >/dev/null 2>&1 || { echo "sandbox: failed: $*" >&2; exit 1; }; }
  quiet openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout ca.key -out ca.crt \
    -subj "/CN=podstudio-sandbox-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  sign() { # name subject extensions
    quiet openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2"
    printf '%s\n' "$3" >"$1.ext"
    quiet openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
      -out "$1.crt" -extfile "$1.ext"
    rm -f "$1.csr" "$1.ext"
  }
  sign apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1"
  sign admin "/O=system:masters/CN=podstudio-admin" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  quiet openssl genrsa -out service-account.key 2048
  quiet openssl rsa -in service-account.key -pubout -out service-account.pub
  chmod 600 ./*.key
)

b64() { base64 -w0 <"$1"; }
umask 077
cat >"$state/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: podstudio-sandbox
  cluster:
    server: $api
    certificate-authority-data: $(b64 "$pki/ca.crt")
users:
- name: podstudio-admin
  user:
    client-certificate-data: $(b64 "$pki/admin.crt")
    client-key-data: $(b64 "$pki/admin.key")
contexts:
- name: podstudio-sandbox
  context:
    cluster: podstudio-sandbox
    user: podstudio-admin
current-context: podstudio-sandbox
EOF
umask 022

# Pod Security Admission: the cluster-wide default is "privileged" for all three modes, so each
# namespace's pod-security.kubernetes.io/* labels alone decide (Pod Studio sets them).
cat >"$state/admission.yaml" <<'EOF'
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults:
      enforce: privileged
      enforce-version: latest
      audit: privileged
      audit-version: latest
      warn: privileged
      warn-version: latest
    exemptions:
      usernames: []
      runtimeClasses: []
      namespaces: []
EOF

# KWOK's stock stages; Pods go Pending -> ContainerCreating -> Running within a second or two
# (the stock random extra delay of up to 5 s is cut to 1 s so tests and learners wait less).
: >"$state/kwok.yaml"
for stage in "$bin"/stages/*.yaml; do
  { echo "---"; sed 's/jitterDurationMilliseconds: 5000/jitterDurationMilliseconds: 1000/' "$stage"; } \
    >>"$state/kwok.yaml"
done

launch() { # name command...
  local name="$1"
  shift
  setsid "$@" >"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}

wait_for() { # what command...
  local what="$1"
  shift
  local deadline=$(($(date +%s) + start_timeout))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what not ready after ${start_timeout}s"
    for pid_file in "$run"/*.pid; do alive "$(basename "$pid_file" .pid)"; done
    sleep 0.3
  done
}

alive() { is_running "$1" || fail "$1 exited; see $logs/$1.log"; }

kube() { # method path [body-file]: the API as the admin, for setting up the cluster
  local args=(--silent --show-error --fail --max-time 10 --cacert "$pki/ca.crt"
    --cert "$pki/admin.crt" --key "$pki/admin.key" -X "$1" "$api$2")
  [ $# -ge 3 ] && args+=(-H "Content-Type: application/yaml" --data-binary "@$3")
  curl "${args[@]}"
}

launch etcd "$bin/etcd" --name sandbox --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "sandbox=http://127.0.0.1:$etcd_peer_port" \
  --unsafe-no-fsync --log-level warn
wait_for etcd curl --silent --fail --max-time 2 "http://127.0.0.1:$etcd_port/health"

launch kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --cert-dir "$pki" \
  --service-account-issuer https://kubernetes.default.svc \
  --service-account-key-file "$pki/service-account.pub" \
  --service-account-signing-key-file "$pki/service-account.key" \
  --service-cluster-ip-range 10.96.0.0/16 --endpoint-reconciler-type none \
  --authorization-mode RBAC \
  --allow-privileged=true \
  --enable-admission-plugins NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity,ResourceQuota \
  --disable-admission-plugins TaintNodesByCondition \
  --admission-control-config-file "$state/admission.yaml" \
  --enable-priority-and-fairness=false --profiling=false --event-ttl 1h
wait_for kube-apiserver kube GET /readyz
alive etcd

common=(--kubeconfig "$state/kubeconfig" --authentication-kubeconfig "$state/kubeconfig"
  --authorization-kubeconfig "$state/kubeconfig" --leader-elect=false --bind-address 127.0.0.1)
launch kube-controller-manager "$bin/kube-controller-manager" "${common[@]}" \
  --secure-port "$controller_manager_port" --cert-dir "$pki/controller-manager" \
  --controllers namespace-controller,serviceaccount-controller,resourcequota-controller,garbage-collector-controller,root-ca-certificate-publisher-controller,deployment-controller,replicaset-controller,statefulset-controller,daemonset-controller,job-controller,cronjob-controller,replicationcontroller-controller \
  --root-ca-file "$pki/ca.crt" --service-account-private-key-file "$pki/service-account.key" \
  --use-service-account-credentials=false --profiling=false
launch kube-scheduler "$bin/kube-scheduler" "${common[@]}" \
  --secure-port "$scheduler_port" --cert-dir "$pki/scheduler" --profiling=false
launch kwok "$bin/kwok" --kubeconfig "$state/kubeconfig" --config "$state/kwok.yaml" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
  --server-address "127.0.0.1:$kwok_port" --node-ip 127.0.0.1

# Three fake nodes, each for one of the lessons' scheduling stories.
node() { # name cpu memory extra-labels taints
  cat >"$state/node-$1.yaml" <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: $1
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
$4
spec:
  taints: $5
status:
  allocatable: {cpu: "$2", memory: $3, pods: "110"}
  capacity: {cpu: "$2", memory: $3, pods: "110"}
EOF
  kube POST /api/v1/nodes "$state/node-$1.yaml" >/dev/null || fail "could not create node $1"
}
node ssd-node 4 8Gi "    disktype: ssd" "[]"
node backend-node 4 8Gi "" "[{key: dedicated, value: backend, effect: NoSchedule}]"
node small-node 1 1Gi "" "[]"

nodes_ready() {
  kube GET /api/v1/nodes | tr -d ' \n' | grep -o '"type":"Ready","status":"True"' | wc -l | grep -qx 3
}
wait_for "KWOK (fake nodes Ready)" nodes_ready
# The controller manager creates the default service account in every namespace; wait for it.
wait_for kube-controller-manager kube GET /api/v1/namespaces/default/serviceaccounts/default
wait_for kube-scheduler curl --silent --fail --insecure --max-time 2 "https://127.0.0.1:$scheduler_port/healthz"
for program in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do alive "$program"; done

say "running at $api in $(($(date +%s) - started))s (nodes: ssd-node, backend-node, small-node)"
say "kubeconfig: $state/kubeconfig"
say "for Pod Studio: export PODSTUDIO_SANDBOX_KUBECONFIG=$state/kubeconfig"
