#!/usr/bin/env bash
# Usage: ops/rollback.sh <release> [--deployment <name>] [--dry-run]
#
# Puts a deployment back on an earlier release, e.g. the last green one, and
# waits for the rollout to finish. <release> is a tag like v2.41.3; the image
# is registry.kestrel.internal/<deployment>:<release>. The default deployment
# is kestrel-api; also accepted: links, auth, payments, telemetry-ingest.
# Prints the image it replaces so it can go in the incident timeline.
# --dry-run prints the kubectl commands and changes nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ns=kestrel deploy=kestrel-api release=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --deployment) deploy="${2-}"; shift 2 || die "--deployment needs a name" ;;
    --dry-run) DRY_RUN=1; shift ;;
    -*) die "unknown option $1" ;;
    *) [[ -z "$release" ]] || die "only one release"; release="$1"; shift ;;
  esac
done
[[ "$release" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "release must look like v2.41.3, got '$release'"
case "$deploy" in
  kestrel-api|links|auth|payments|telemetry-ingest) ;;
  *) die "unknown deployment '$deploy'" ;;
esac
image="registry.kestrel.internal/$deploy:$release"

echo "plan: roll deployment/$deploy back to $release"
if [[ "$DRY_RUN" == 0 ]]; then
  need kubectl
  current="$(kubectl -n "$ns" get deployment "$deploy" -o 'jsonpath={.spec.template.spec.containers[0].image}')" \
    || fail "cannot read deployment/$deploy; check your kube context"
  echo "currently running: $current"
  [[ "$current" != "$image" ]] || { echo "already on $release, nothing to do"; exit 0; }
fi
step kubectl -n "$ns" set image "deployment/$deploy" "$deploy=$image"
step kubectl -n "$ns" annotate "deployment/$deploy" --overwrite "kubernetes.io/change-cause=rollback to $release"
step kubectl -n "$ns" rollout status "deployment/$deploy" --timeout=600s
[[ "$DRY_RUN" == 0 ]] || dry_run_done
