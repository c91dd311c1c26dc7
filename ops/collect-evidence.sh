#!/usr/bin/env bash
# Usage: ops/collect-evidence.sh <case-id> [--since <duration>] [--out <dir>] [--dry-run]
#
# Copies what the cluster knows right now into <dir>/<case-id>/ (default
# ./evidence) before restarts or log rotation erase it: pods, events,
# deployments, rollout history, role bindings and service accounts, and the
# last --since (default 6h) of logs from auth, kestrel-api and payments.
# Writes SHA256SUMS so later copies can be checked. Only reads from the
# cluster, and never reads Secrets.
# <case-id> is the security case, e.g. SEC-142.
# --dry-run lists what would be collected and writes nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ns=kestrel case_id="" since=6h out=./evidence
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --since) since="${2-}"; shift 2 || die "--since needs a duration" ;;
    --out) out="${2-}"; shift 2 || die "--out needs a directory" ;;
    --dry-run) DRY_RUN=1; shift ;;
    -*) die "unknown option $1" ;;
    *) [[ -z "$case_id" ]] || die "one case id"; case_id="$1"; shift ;;
  esac
done
[[ "$case_id" =~ ^SEC-[0-9]{1,6}$ ]] || die "case id must look like SEC-142"
[[ "$since" =~ ^[0-9]+[mh]$ ]] || die "--since must look like 90m or 6h"
dir="$out/$case_id"

echo "plan: collect cluster evidence for $case_id into $dir/"
# Each line: file name, then the read-only kubectl arguments that fill it.
collect=(
  "pods.txt|get pods -o wide"
  "events.txt|get events --sort-by=.lastTimestamp"
  "deployments.yaml|get deployments -o yaml"
  "rollouts.txt|rollout history deployment/auth deployment/kestrel-api deployment/payments"
  "access.txt|get rolebindings,serviceaccounts -o wide"
)
for svc in auth kestrel-api payments; do
  collect+=("logs-$svc.txt|logs -l app=$svc --all-containers --prefix --timestamps --max-log-requests=50 --since=$since")
done
[[ "$DRY_RUN" == 1 ]] || { need kubectl; mkdir -p "$dir"; }
for item in "${collect[@]}"; do
  echo "+ kubectl -n $ns ${item#*|} > $dir/${item%%|*}"
  if [[ "$DRY_RUN" == 0 ]]; then
    read -ra kargs <<<"${item#*|}"
    kubectl -n "$ns" "${kargs[@]}" >"$dir/${item%%|*}" 2>&1 || echo "  (failed; the error is in the file)"
  fi
done
echo "+ sha256sum *.txt *.yaml > $dir/SHA256SUMS"
if [[ "$DRY_RUN" == 1 ]]; then dry_run_done; exit 0; fi
(cd "$dir" && sha256sum -- *.txt *.yaml >SHA256SUMS)
echo "done: evidence in $dir (do not edit these files; copy them)"
