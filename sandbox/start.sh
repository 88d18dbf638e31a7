#!/usr/bin/env bash
# Starts the sandbox control plane on loopback: etcd, kube-apiserver (Pod Security Admission on),
# kube-controller-manager (namespaces, service accounts, quotas, workloads), kube-scheduler and KWOK, which
# plays the kubelet for three fake nodes. Everything lives under var/sandbox; a fresh cluster on
# every start. Authorization is Node,RBAC; Pod Studio's own identity (deploy/cluster/: a service
# account, its RBAC and admission policies) is applied on every start.
# Writes var/sandbox/kubeconfig (the admin, for setting the cluster up and for tests' fixtures) and
# var/sandbox/podstudio.kubeconfig (Pod Studio's service account: what the app uses).
# Stop with sandbox/stop.sh (make sandbox-stop).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
state="$root/var/sandbox"
manifests="$root/deploy/cluster"
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
rm -rf "$state/etcd" "$pki" "$run" "$logs" "$state/kubeconfig" "$state/podstudio.kubeconfig" "$state/manifests"
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
# Pod Studio's own stages (sandbox/stages/): drills' container failures, played from annotations.
for stage in "$here"/stages/*.yaml; do
  { echo "---"; cat "$stage"; } >>"$state/kwok.yaml"
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
  --authorization-mode Node,RBAC \
  --allow-privileged=true \
  --enable-admission-plugins NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity,Priority,ResourceQuota,ValidatingAdmissionPolicy \
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

# --- Pod Studio's identity: deploy/cluster/*.yaml, as `kubectl apply -f deploy/cluster/` applies
# it on another cluster (there is no kubectl here, so each document is POSTed to its collection).
collection() { # kind namespace: the API path where objects of that kind are created
  case "$1" in
    Namespace) echo /api/v1/namespaces ;;
    ServiceAccount) echo "/api/v1/namespaces/$2/serviceaccounts" ;;
    ClusterRole) echo /apis/rbac.authorization.k8s.io/v1/clusterroles ;;
    ClusterRoleBinding) echo /apis/rbac.authorization.k8s.io/v1/clusterrolebindings ;;
    ValidatingAdmissionPolicy) echo /apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies ;;
    ValidatingAdmissionPolicyBinding) echo /apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings ;;
    *) return 1 ;;
  esac
}
mkdir -p "$state/manifests"
for file in "$manifests"/*.yaml; do
  awk -v prefix="$state/manifests/$(basename "$file" .yaml)-" \
    'BEGIN { n = 1 } /^---/ { n++; next } { print > (prefix sprintf("%02d", n) ".yaml") }' "$file"
done
for document in "$state/manifests"/*.yaml; do
  kind="$(sed -n 's/^kind: *//p' "$document" | head -n 1)"
  [ -n "$kind" ] || continue # comments only
  namespace="$(sed -n 's/^  namespace: *//p' "$document" | head -n 1)"
  target="$(collection "$kind" "$namespace")" || fail "$document: no rule to create a $kind"
  answer="$(curl --silent --show-error --max-time 10 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" \
    --key "$pki/admin.key" -X POST -H "Content-Type: application/yaml" --data-binary "@$document" \
    -w '\n%{http_code}' "$api$target?fieldValidation=Strict")" || fail "could not apply $document"
  [[ "$(tail -n 1 <<<"$answer")" == 20? ]] || fail "applying $document: $(head -n -1 <<<"$answer")"
done

# A token for the service account (TokenRequest API), valid as long as the certificates: 30 days.
account=/api/v1/namespaces/podstudio/serviceaccounts/podstudio-sandbox
printf '%s\n' '{"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",' \
  '"spec": {"expirationSeconds": 2592000}}' >"$state/token-request.json"
token="$(kube POST "$account/token" "$state/token-request.json" |
  sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')" || true
rm -f "$state/token-request.json"
[ -n "$token" ] || fail "could not get a token for the podstudio-sandbox service account"
umask 077
{
  echo "apiVersion: v1"
  echo "kind: Config"
  echo "clusters:"
  echo "- name: podstudio-sandbox"
  echo "  cluster:"
  echo "    server: $api"
  echo "    certificate-authority-data: $(b64 "$pki/ca.crt")"
  echo "users:"
  echo "- name: podstudio"
  echo "  user:"
  echo "    token: $token"
  echo "contexts:"
  echo "- name: podstudio-sandbox"
  echo "  context:"
  echo "    cluster: podstudio-sandbox"
  echo "    user: podstudio"
  echo "current-context: podstudio-sandbox"
} >"$state/podstudio.kubeconfig"
umask 022

# Admission policies take effect a moment after they are created. Wait until each refuses what
# it must: a namespace outside podstudio-* for the service account, and, for any client, a Pod
# that names its node in a learner namespace (a probe namespace, deleted afterwards).
as_podstudio() { # method path body-file: the API as Pod Studio's service account
  curl --silent --max-time 10 --cacert "$pki/ca.crt" -H "Authorization: Bearer $token" \
    -H "Content-Type: application/yaml" -X "$1" --data-binary "@$3" "$api$2"
}
printf '%s\n' 'apiVersion: v1' 'kind: Namespace' 'metadata: {name: not-a-learner}' \
  >"$state/probe-namespace.yaml"
namespace_policy_refuses() {
  as_podstudio POST "/api/v1/namespaces?dryRun=All" "$state/probe-namespace.yaml" |
    grep -q "podstudio-sandbox-namespaces"
}
wait_for "the namespace admission policy" namespace_policy_refuses
printf '%s\n' 'apiVersion: v1' 'kind: Namespace' \
  'metadata: {name: podstudio-policy-probe, labels: {app.kubernetes.io/managed-by: podstudio}}' \
  >"$state/probe-learner.yaml"
printf '%s\n' 'apiVersion: v1' 'kind: Pod' 'metadata: {name: probe}' \
  'spec: {nodeName: small-node, containers: [{name: c, image: probe}]}' >"$state/probe-pod.yaml"
kube POST /api/v1/namespaces "$state/probe-learner.yaml" >/dev/null ||
  fail "could not create the probe namespace"
pod_policy_refuses() {
  ! kube POST "/api/v1/namespaces/podstudio-policy-probe/pods?dryRun=All" "$state/probe-pod.yaml"
}
wait_for "the learner Pod admission policy" pod_policy_refuses
kube DELETE /api/v1/namespaces/podstudio-policy-probe >/dev/null || true
rm -f "$state"/probe-*.yaml

say "running at $api in $(($(date +%s) - started))s (nodes: ssd-node, backend-node, small-node)"
say "admin kubeconfig (cluster setup, tests' fixtures): $state/kubeconfig"
say "Pod Studio's service account (what the app uses): $state/podstudio.kubeconfig"
say "for Pod Studio: export PODSTUDIO_SANDBOX_KUBECONFIG=$state/podstudio.kubeconfig"
