#!/usr/bin/env bash
# Usage: ops/telemetry-errors.sh [--since <duration>] [--file <log-file>]
#
# Summarises recent telemetry-ingest responses from its JSON access logs:
# how many uploads got 2xx, 4xx, 429 and 5xx, and which kestrel CLI versions
# the failing uploads came from. --since is a kubectl duration such as 30m or
# 2h (default 30m). --file reads a saved log instead of the live pods.
# Read-only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

since=30m file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --since) since="${2-}"; shift 2 || die "--since needs a duration" ;;
    --file) file="${2-}"; shift 2 || die "--file needs a path" ;;
    *) die "unknown argument $1" ;;
  esac
done
[[ "$since" =~ ^[0-9]+[smh]$ ]] || die "--since must look like 30m or 2h"
need jq

if [[ -n "$file" ]]; then
  [[ -r "$file" ]] || die "cannot read $file"
  logs="$(cat "$file")"
else
  need kubectl
  logs="$(kubectl -n kestrel logs -l app=telemetry-ingest --since="$since" --tail=-1 --max-log-requests=20)" \
    || fail "could not read telemetry-ingest logs"
fi

# Lines that are not JSON access-log entries (start-up banners) are skipped.
jq -Rr 'fromjson? | select(.status != null) | "\(.status)\t\(.client_version // "unknown")"' <<<"$logs" |
awk -F'\t' '
  { n++; c = substr($1, 1, 1) "xx"; if ($1 == 429) c = "429"; count[c]++
    if ($1 >= 400) bad[$2]++ }
  END {
    printf "uploads: %d\n", n
    split("2xx 4xx 429 5xx", order, " ")  # 429 is counted apart from the other 4xx
    for (i = 1; i <= 4; i++) printf "  %-4s %d\n", order[i], count[order[i]]
    print "failing uploads by CLI version:"
    for (v in bad) printf "  %-10s %d\n", v, bad[v] | "sort -k2 -nr"
  }'
