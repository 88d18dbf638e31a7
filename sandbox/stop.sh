#!/usr/bin/env bash
# Stops the sandbox control plane started by sandbox/start.sh and checks nothing is left behind.
# Only processes recorded in var/sandbox/run/*.pid whose command line is one of ours are signalled.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="$(dirname "$here")/var/sandbox"
run="$state/run"

ours() { # pid: true while the process is a sandbox program started from this folder
  local cmdline
  [ -r "/proc/$1/cmdline" ] || return 1
  cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")" || return 1
  [[ "$cmdline" == *"$state/bin/"* ]]
}

stop_one() { # name: TERM, wait up to 10 s, then KILL
  local file="$run/$1.pid" pid deadline
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  rm -f "$file"
  ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null
  deadline=$(($(date +%s) + 10))
  while ours "$pid" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
  if ours "$pid"; then
    echo "sandbox: $1 ($pid) did not stop in 10 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null
    sleep 0.5
  fi
  if ours "$pid"; then
    echo "sandbox: $1 ($pid) is still running" >&2
    return 1
  fi
  stopped=$((stopped + 1))
}

# Reverse start order: the API server's clients first, then the API server, etcd last.
stopped=0
left=0
for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop_one "$name" || left=1
done
[ "$left" = 0 ] && echo "sandbox: stopped ($stopped processes)"
exit "$left"
