#!/usr/bin/env bash
# Usage: ops/rotate-signing-secret.sh start [--overlap <minutes>] [--dry-run]
#        ops/rotate-signing-secret.sh finish [--dry-run]
#
# Rotates the HS256 secret that auth uses to sign session tokens, kept in the
# Kubernetes secret auth-signing-keys (keys "current" and "previous").
#   start   make a new secret "current" and keep the old one as "previous".
#           auth signs with the new one and still accepts tokens signed with
#           the old one for --overlap minutes (default 30). --overlap 0 logs
#           every user out at once: use it when the old secret leaked.
#   finish  drop "previous" for good, once the overlap has passed.
# No secret value is ever printed. --dry-run prints the plan, touches nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ns=kestrel cmd="" overlap=30
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    start|finish) cmd="$1"; shift ;;
    --overlap) overlap="${2-}"; shift 2 || die "--overlap needs minutes" ;;
    --dry-run) DRY_RUN=1; shift ;;
    *) die "unknown argument $1" ;;
  esac
done
[[ -n "$cmd" ]] || die "say start or finish"
[[ "$overlap" =~ ^[0-9]+$ && "$overlap" -le 1440 ]] || die "--overlap must be 0 to 1440 minutes"
[[ "$DRY_RUN" == 1 ]] || { need kubectl; need openssl; }
dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT; chmod 700 "$dir"

if [[ "$cmd" == start ]]; then
  echo "plan: new signing secret for auth; the old one is accepted for $overlap more minutes"
  echo "+ generate 64 random bytes locally (not printed)"
  echo "+ write secret/auth-signing-keys: current=new secret, previous=old current"
  if [[ "$DRY_RUN" == 0 ]]; then
    kubectl -n "$ns" get secret auth-signing-keys -o 'jsonpath={.data.current}' | base64 -d >"$dir/previous"
    openssl rand -base64 64 | tr -d '\n' >"$dir/current"
    kubectl -n "$ns" create secret generic auth-signing-keys --from-file="$dir/current" \
      --from-file="$dir/previous" --dry-run=client -o yaml | kubectl -n "$ns" apply -f - >/dev/null
  fi
  step kubectl -n "$ns" set env deployment/auth "AUTH_PREVIOUS_KEY_TTL=${overlap}m"
else
  echo "plan: stop accepting tokens signed with the previous secret"
  step kubectl -n "$ns" patch secret auth-signing-keys --type=json -p '[{"op":"remove","path":"/data/previous"}]'
fi
step kubectl -n "$ns" rollout restart deployment/auth
step kubectl -n "$ns" rollout status deployment/auth --timeout=300s
[[ "$DRY_RUN" == 0 ]] || dry_run_done
