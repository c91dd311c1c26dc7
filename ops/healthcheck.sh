#!/usr/bin/env bash
# Usage: ops/healthcheck.sh <url> [--expect <status>] [--timeout <seconds>]
#
# Sends one GET to <url> (redirects are not followed) and prints the HTTP
# status and the total time. Exits 0 when the status equals --expect
# (default 200) and 1 otherwise. Read-only.
#
# Example: ops/healthcheck.sh https://api.kestrel.dev/v1/health
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

url="" expect=200 timeout=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --expect) expect="${2-}"; shift 2 || die "--expect needs a status code" ;;
    --timeout) timeout="${2-}"; shift 2 || die "--timeout needs a number of seconds" ;;
    -*) die "unknown option $1" ;;
    *) [[ -z "$url" ]] || die "only one URL, please"; url="$1"; shift ;;
  esac
done
[[ "$url" =~ ^https?://[^[:space:]]+$ ]] || die "need an http(s) URL"
[[ "$expect" =~ ^[1-5][0-9][0-9]$ ]] || die "--expect must be an HTTP status such as 200 or 301"
[[ "$timeout" =~ ^[0-9]+$ && "$timeout" -gt 0 ]] || die "--timeout must be a whole number of seconds"
need curl

# No --fail here: a 5xx is the answer we came for, not a reason to stop.
# Status 000 means no HTTP answer at all (DNS, TLS, refused, or timeout).
result="$(curl --silent --output /dev/null --max-time "$timeout" \
  --write-out '%{http_code} %{time_total}' "$url" || true)"
status="${result%% *}"
seconds="${result#* }"
echo "GET $url -> ${status:-000} in ${seconds:-?}s"
if [[ "$status" == "$expect" ]]; then
  echo "ok"
else
  echo "unexpected status (wanted $expect)"
  exit 1
fi
