#!/usr/bin/env bash
# Usage: ops/db-pool-status.sh <pgbouncer-admin-url>
#
# Prints PgBouncer's pools for postgres-main (SHOW POOLS) and flags every pool
# where clients are waiting for a server connection. The URL points at the
# PgBouncer admin console, e.g. postgres://pgbouncer@pgb.internal:6432/pgbouncer;
# the password comes from ~/.pgpass or PGPASSWORD, never from the URL.
# Exits 1 if any pool has waiting clients. Read-only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

case "${1-}" in -h|--help) usage; exit 0 ;; esac
[[ $# -eq 1 ]] || die "need exactly one argument: the PgBouncer admin URL"
url="$1"
[[ "$url" =~ ^postgres(ql)?://[^:@/]+@[^/]+/pgbouncer$ ]] \
  || die "expected postgres://USER@HOST:PORT/pgbouncer (no password in the URL)"
need psql

pools="$(psql -X --csv --no-password -c 'SHOW POOLS;' "$url")" \
  || fail "could not reach the PgBouncer admin console"

# Column order differs between PgBouncer versions, so pick columns by name.
awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
            printf "%-20s %-16s %9s %10s %9s %7s %8s\n", "database", "user", "cl_active", "cl_waiting", "sv_active", "sv_idle", "maxwait"
            next }
  { printf "%-20s %-16s %9s %10s %9s %7s %8s\n", $col["database"], $col["user"], $col["cl_active"], $col["cl_waiting"], $col["sv_active"], $col["sv_idle"], $col["maxwait"]
    if ($col["cl_waiting"] > 0) { waiting++; worst = worst " " $col["database"] "/" $col["user"] } }
  END { if (waiting) { print "\nclients waiting in " waiting " pool(s):" worst; exit 1 }
        print "\nno clients waiting" }
' <<<"$pools"
