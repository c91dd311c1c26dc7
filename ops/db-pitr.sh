#!/usr/bin/env bash
# Usage: ops/db-pitr.sh snapshot|restore <target-time> <instance>|switch <instance> [--dry-run]
#
# Point-in-time recovery for postgres-main (a CloudNativePG cluster).
#   snapshot  on-demand backup of postgres-main as it is now (keeps the evidence).
#   restore   build a NEW cluster <instance> from backups, replayed up to
#             <target-time> (UTC, e.g. 2026-11-23T02:10:00Z). postgres-main
#             itself is not touched.
#   switch    point PgBouncer at <instance>; every client connection is re-made.
#             Writes made to postgres-main after the target time stay behind.
# --dry-run prints the steps and manifests and changes nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ns=kestrel args=()
for a in "$@"; do
  case "$a" in
    -h|--help) usage; exit 0 ;;
    --dry-run) DRY_RUN=1 ;;
    *) args+=("$a") ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"
valid_instance() { [[ "$1" =~ ^pg-restore-[a-z0-9-]{1,40}$ ]] || die "instance must look like pg-restore-<date>, got '$1'"; }
[[ "$DRY_RUN" == 1 ]] || need kubectl

case "${1-} $#" in
  "snapshot 1")
    echo "plan: take an on-demand backup of postgres-main"
    verb=create manifest="kind: Backup
metadata: { generateName: postgres-main-incident- }
spec: { cluster: { name: postgres-main } }" ;;
  "restore 3")
    [[ "$2" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] || die "target time must be UTC like 2026-11-23T02:10:00Z"
    valid_instance "$3"
    echo "plan: restore postgres-main as of $2 into a new cluster $3"
    verb=apply manifest="kind: Cluster
metadata: { name: $3 }
spec:
  instances: 1
  storage: { size: 500Gi }
  bootstrap: { recovery: { source: postgres-main, recoveryTarget: { targetTime: \"$2\" } } }
  externalClusters:
    - name: postgres-main
      barmanObjectStore:
        destinationPath: s3://kestrel-pg-backups/postgres-main
        s3Credentials: { inheritFromIAMRole: true }" ;;
  "switch 2")
    valid_instance "$2"
    echo "plan: point PgBouncer at $2 (all client connections are re-made)"
    if [[ "$DRY_RUN" == 0 ]]; then
      phase="$(kubectl -n "$ns" get cluster "$2" -o 'jsonpath={.status.phase}')" || fail "cannot read cluster $2"
      [[ "$phase" == "Cluster in healthy state" ]] || fail "$2 is not healthy yet (phase: ${phase:-unknown})"; fi
    step kubectl -n "$ns" set env deployment/pgbouncer "PGBOUNCER_DB_HOST=$2-rw"
    step kubectl -n "$ns" rollout status deployment/pgbouncer --timeout=300s
    [[ "$DRY_RUN" == 0 ]] || dry_run_done
    exit 0 ;;
  *) die "expected: snapshot | restore <target-time> <instance> | switch <instance>" ;;
esac
manifest=$'apiVersion: postgresql.cnpg.io/v1\n'"$manifest"
echo "+ kubectl -n $ns $verb -f - <<manifest"
echo "$manifest"
if [[ "$DRY_RUN" == 1 ]]; then dry_run_done; else kubectl -n "$ns" "$verb" -f - <<<"$manifest"; fi
