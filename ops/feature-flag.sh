#!/usr/bin/env bash
# Usage: ops/feature-flag.sh <flag> status|on|off [--reason <text>] [--dry-run]
#
# Reads or flips a server-side feature flag through the admin API. Services
# and the kestrel CLI pick up a change within about 60 seconds. Flags used by
# the runbooks:
#   cli-telemetry-upload  off: CLIs stop uploading telemetry (they keep it locally)
#   writes-paused         on: kestrel-api, payments and job-scheduler refuse writes
# --reason is stored with the change (default: "incident"). Needs the admin
# token (KESTREL_ADMIN_TOKEN or ~/.config/kestrel/admin-token).
# --dry-run prints the request and sends nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

flag="" action="" reason=incident
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --reason) reason="${2-}"; shift 2 || die "--reason needs text" ;;
    --dry-run) DRY_RUN=1; shift ;;
    status|on|off) action="$1"; shift ;;
    -*) die "unknown option $1" ;;
    *) [[ -z "$flag" ]] || die "one flag at a time"; flag="$1"; shift ;;
  esac
done
[[ "$flag" =~ ^[a-z0-9][a-z0-9-]{1,62}$ ]] || die "flag names are lowercase kebab-case"
[[ -n "$action" ]] || die "say status, on or off"
[[ "$reason" =~ ^[A-Za-z0-9\ ,.#_-]{1,120}$ ]] || die "--reason: up to 120 letters, digits, spaces and ,.#_-"
[[ "$DRY_RUN" == 1 ]] || need curl

case "$action" in
  status) admin_call GET "/flags/$flag" ;;
  on|off)
    enabled=false; [[ "$action" == on ]] && enabled=true
    echo "plan: turn $flag $action"
    admin_call PUT "/flags/$flag" "{\"enabled\":$enabled,\"reason\":\"$reason\"}" ;;
esac
[[ "$DRY_RUN" == 0 ]] || dry_run_done
