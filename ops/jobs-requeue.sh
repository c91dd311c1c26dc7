#!/usr/bin/env bash
# Usage: ops/jobs-requeue.sh <job> [--release-lock] [--dry-run]
#
# Asks job-scheduler (through the admin API) to run <job> once more, now.
#   --release-lock  first drop the job's run lock. Only do this when the
#                   holder shown in the lock is gone (pod deleted, heartbeat
#                   stale): two live runners of invoice-run bill customers twice.
# Jobs: invoice-run, usage-rollup, cleanup-expired-sessions, cleanup-soft-deleted.
# Needs the admin token (KESTREL_ADMIN_TOKEN or ~/.config/kestrel/admin-token).
# --dry-run prints the requests and sends nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

job="" release=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --release-lock) release=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -*) die "unknown option $1" ;;
    *) [[ -z "$job" ]] || die "one job at a time"; job="$1"; shift ;;
  esac
done
case "$job" in
  invoice-run|usage-rollup|cleanup-expired-sessions|cleanup-soft-deleted) ;;
  *) die "unknown job '$job'" ;;
esac
[[ "$DRY_RUN" == 1 ]] || need curl

echo "plan: re-queue $job on job-scheduler"
if [[ "$release" == 1 ]]; then
  # The scheduler refuses this while the holder still sends heartbeats.
  admin_call DELETE "/scheduler/jobs/$job/lock?only-if-holder-stale=true"
fi
admin_call POST "/scheduler/jobs/$job/runs" '{"reason":"manual re-queue from runbook jobs-stale"}'
[[ "$DRY_RUN" == 0 ]] || dry_run_done
