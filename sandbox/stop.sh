#!/usr/bin/env bash
# Stops the sandbox control plane started by sandbox/start.sh and checks nothing is left behind.
# Only processes recorded in var/sandbox/run/*.pid whose command line is one of ours are signalled.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="$(dirname "$here")/var/sandbox"
run="$state/run"

ours() { # pid: true when the process is a sandbox program started from this folder
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$state/bin/"* ]]
}

pids=()
# Stop in reverse start order: the API server's clients first, etcd last.
for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  file="$run/$name.pid"
  [ -f "$file" ] || continue
  pid="$(cat "$file")"
  if [ -n "$pid" ] && ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  fi
  rm -f "$file"
done

deadline=$(($(date +%s) + 15))
for pid in "${pids[@]}"; do
  while ours "$pid" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
  if ours "$pid"; then
    echo "sandbox: process $pid did not stop in time; killing it" >&2
    kill -KILL "$pid" 2>/dev/null
  fi
done

left=0
for pid in "${pids[@]}"; do
  for _ in 1 2 3 4 5 6 7 8 9 10; do ours "$pid" || break; sleep 0.2; done
  if ours "$pid"; then echo "sandbox: process $pid is still running" >&2; left=1; fi
done
[ "$left" = 0 ] && echo "sandbox: stopped${pids:+ (${#pids[@]} processes)}"
exit "$left"
