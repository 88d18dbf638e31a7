#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-scheduler and kwok once into a cache folder outside the
# repository, keyed by the pinned Kubernetes version, then links them into var/sandbox/bin.
# A later run (or CI on the same machine) finds them there and returns at once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
k8s_version="$(awk '$1 == "k8s.io/kubernetes" { print $2 }' "$here/go.mod" | head -n 1)"
cache="${PODSTUDIO_SANDBOX_CACHE:-$HOME/.cache/podstudio-sandbox}/$k8s_version"
bin="$root/var/sandbox/bin"
programs=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

if ! command -v go >/dev/null 2>&1; then
  echo "sandbox: Go is not installed; the sandbox cannot be built (its tests will skip)" >&2
  exit 3
fi

missing=0
for program in "${programs[@]}"; do
  [ -x "$cache/$program" ] || missing=1
done
[ -d "$cache/stages" ] || missing=1
stamp="$cache/.go.sum"
if [ "$missing" = 1 ] || ! cmp -s "$here/go.sum" "$stamp"; then
  echo "sandbox: building ${programs[*]} for Kubernetes $k8s_version into $cache (first time: many minutes)"
  mkdir -p "$cache"
  started=$(date +%s)
  version_flags="-X k8s.io/component-base/version.gitVersion=$k8s_version"
  version_flags+=" -X k8s.io/component-base/version.gitMajor=$(echo "$k8s_version" | cut -d. -f1 | tr -d v)"
  version_flags+=" -X k8s.io/component-base/version.gitMinor=$(echo "$k8s_version" | cut -d. -f2)"
  version_flags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  (
    cd "$here"
    # nice: the build is heavy and the machine is shared; -p 2 matches its two cores.
    nice -n 15 go build -p 2 -trimpath -ldflags "-s -w $version_flags" -o "$cache/" \
      go.etcd.io/etcd/server/v3 \
      k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler \
      sigs.k8s.io/kwok/cmd/kwok
  )
  # The etcd server module's main package is named after its folder.
  [ -x "$cache/v3" ] && mv -f "$cache/v3" "$cache/etcd"
  [ -x "$cache/server" ] && mv -f "$cache/server" "$cache/etcd"
  # KWOK's stock stages (how fake nodes and Pods move through their lifecycle), from the same
  # pinned module, kept beside the binaries so starting never needs the module cache.
  kwok_dir="$(cd "$here" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
  rm -rf "$cache/stages" && mkdir -p "$cache/stages"
  cp "$kwok_dir/kustomize/stage/node/fast/node-initialize.yaml" \
     "$kwok_dir/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
     "$kwok_dir"/kustomize/stage/pod/general/pod-*.yaml "$cache/stages/"
  cp "$here/go.sum" "$stamp"
  echo "sandbox: built in $(( $(date +%s) - started ))s"
fi

mkdir -p "$bin"
for program in "${programs[@]}"; do
  ln -sfn "$cache/$program" "$bin/$program"
done
ln -sfn "$cache/stages" "$bin/stages"
echo "sandbox: binaries in $bin (Kubernetes $k8s_version)"
