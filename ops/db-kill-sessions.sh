#!/usr/bin/env bash
# Usage: ops/db-kill-sessions.sh --state idle-in-transaction|active --older-than <minutes> [--dry-run]
#
# Frees postgres-main connections held by stuck client sessions.
#   idle-in-transaction  sessions that opened a transaction and went quiet:
#                        terminated (pg_terminate_backend), their transaction
#                        rolls back.
#   active               queries running longer than the limit: cancelled
#                        (pg_cancel_backend), the session itself stays.
# Replication, the postgres superuser and this session are never touched.
# Connects with DB_ADMIN_URL from the environment (never printed).
# --dry-run prints the plan and the SQL, and connects to nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

state="" minutes=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --state) state="${2-}"; shift 2 || die "--state needs a value" ;;
    --older-than) minutes="${2-}"; shift 2 || die "--older-than needs minutes" ;;
    --dry-run) DRY_RUN=1; shift ;;
    *) die "unknown argument $1" ;;
  esac
done
case "$state" in
  idle-in-transaction) pg_state="idle in transaction"; action="pg_terminate_backend" ;;
  active) pg_state="active"; action="pg_cancel_backend" ;;
  *) die "--state must be idle-in-transaction or active" ;;
esac
[[ "$minutes" =~ ^[0-9]+$ && "$minutes" -ge 1 ]] || die "--older-than must be a whole number of minutes (1 or more)"

# psql fills :'pg_state' and :mins itself, so no value is pasted into the SQL.
sql="SELECT pid, usename, application_name, now() - state_change AS stuck_for, $action(pid) AS done
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND usename <> 'postgres'
  AND state = :'pg_state' AND state_change < now() - make_interval(mins => :mins)
ORDER BY state_change;"

echo "plan: $action on postgres-main sessions that are '$pg_state' for more than $minutes minutes"
if [[ "$DRY_RUN" == 1 ]]; then
  echo "$sql"
  dry_run_done
  exit 0
fi
need psql
[[ -n "${DB_ADMIN_URL:-}" ]] || fail "DB_ADMIN_URL is not set"
psql -X --no-password -v ON_ERROR_STOP=1 -v pg_state="$pg_state" -v mins="$minutes" "$DB_ADMIN_URL" <<<"$sql"
