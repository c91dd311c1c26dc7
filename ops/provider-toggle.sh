#!/usr/bin/env bash
# Usage: ops/provider-toggle.sh <northwind|bluefin> status|off|on [--weight <percent>] [--dry-run]
#
# Reads or changes how payments routes charges to one provider.
#   status  print the provider's routing state and circuit breaker.
#   off     stop routing new charges to it; the other provider takes them all.
#           Refused if the other provider is not enabled.
#   on      send it --weight percent (default 10) of its usual share of charges.
#           Raise the weight in steps (10, 25, 50, 100) while watching errors.
# Needs the admin token (KESTREL_ADMIN_TOKEN or ~/.config/kestrel/admin-token).
# --dry-run prints the requests and sends nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

provider="" action="" weight=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --weight) weight="${2-}"; shift 2 || die "--weight needs a percentage" ;;
    --dry-run) DRY_RUN=1; shift ;;
    northwind|bluefin) provider="$1"; shift ;;
    status|on|off) action="$1"; shift ;;
    *) die "unknown argument $1" ;;
  esac
done
[[ -n "$provider" && -n "$action" ]] || die "need a provider (northwind or bluefin) and an action (status, off, on)"
[[ "$weight" =~ ^(10|25|50|100)$ ]] || die "--weight must be 10, 25, 50 or 100"
other=bluefin; [[ "$provider" == bluefin ]] && other=northwind
[[ "$DRY_RUN" == 1 ]] || need curl

case "$action" in
  status)
    admin_call GET "/payments/providers/$provider" ;;
  off)
    echo "plan: stop routing charges to $provider; $other takes all traffic"
    if [[ "$DRY_RUN" == 1 ]]; then
      echo "+ GET /payments/providers/$other (refuse unless it is enabled)"
    else
      other_state="$(admin_call GET "/payments/providers/$other")"
      grep -q '"enabled": *true' <<<"$other_state" \
        || fail "$other is not enabled; turning $provider off would stop all charges"
    fi
    admin_call PUT "/payments/providers/$provider" '{"enabled":false}' ;;
  on)
    echo "plan: send $provider $weight% of its usual share of charges"
    admin_call PUT "/payments/providers/$provider" "{\"enabled\":true,\"weight\":$weight}" ;;
esac
[[ "$DRY_RUN" == 0 ]] || dry_run_done
