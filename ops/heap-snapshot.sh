#!/usr/bin/env bash
# Usage: ops/heap-snapshot.sh <pod> [--out <dir>] [--dry-run]
#
# Captures a V8 heap snapshot from one kestrel-api pod and copies it to <dir>
# (default ./heap-snapshots). kestrel-api runs Node with
# --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=/tmp/diag, so the snapshot is
# written inside the pod when it gets SIGUSR2.
# The pod stops serving while the snapshot is written (seconds to a minute)
# and may need up to twice its heap: a pod close to its limit can be OOM-killed.
# --dry-run prints the steps and touches nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ns=kestrel pod="" out=./heap-snapshots
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --out) out="${2-}"; shift 2 || die "--out needs a directory" ;;
    --dry-run) DRY_RUN=1; shift ;;
    -*) die "unknown option $1" ;;
    *) [[ -z "$pod" ]] || die "one pod at a time"; pod="$1"; shift ;;
  esac
done
[[ "$pod" =~ ^kestrel-api-[a-z0-9]+-[a-z0-9]+$ ]] || die "expected a kestrel-api pod name, got '$pod'"

echo "plan: heap snapshot of $pod into $out/"
[[ "$DRY_RUN" == 1 ]] || need kubectl
step kubectl -n "$ns" exec "$pod" -- kill -USR2 1
echo "+ wait until /tmp/diag/*.heapsnapshot in $pod stops growing (up to 120s)"
if [[ "$DRY_RUN" == 1 ]]; then dry_run_done; exit 0; fi

last="" file=""
for _ in $(seq 1 24); do
  sleep 5
  now="$(kubectl -n "$ns" exec "$pod" -- sh -c 'ls -t /tmp/diag/*.heapsnapshot 2>/dev/null | head -n 1 | xargs -r wc -c' || true)"
  if [[ -n "$now" && "$now" == "$last" ]]; then file="${now##* }"; break; fi
  last="$now"
done
[[ -n "$file" ]] || fail "no finished snapshot after 120s; is the pod still running?"
mkdir -p "$out"
step kubectl -n "$ns" cp "$pod:$file" "$out/$pod-$(basename "$file")"
step kubectl -n "$ns" exec "$pod" -- rm -f "$file"
echo "saved $out/$pod-$(basename "$file")"
