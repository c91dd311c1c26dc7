#!/usr/bin/env bash
# Usage: ops/shortlink-lookup.sh <code>
#
# Follows one customer shortlink through every layer and prints what each
# layer answers, so a 404 can be pinned to the CDN, the links service, or the
# lookup table:
#   1. https://kst.link/<code> as customers see it (through the CDN)
#   2. the links service directly, bypassing the CDN (LINKS_ORIGIN_URL,
#      default http://links.kestrel.svc.cluster.local:8080; needs the VPN)
#   3. the row in the lookup table, through the admin API (needs the admin
#      token: KESTREL_ADMIN_TOKEN or ~/.config/kestrel/admin-token)
# Read-only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

case "${1-}" in -h|--help) usage; exit 0 ;; esac
[[ $# -eq 1 ]] || die "need exactly one shortlink code"
code="$1"
[[ "$code" =~ ^[A-Za-z0-9_-]{3,32}$ ]] || die "a code is 3 to 32 letters, digits, - or _"
origin="${LINKS_ORIGIN_URL:-http://links.kestrel.svc.cluster.local:8080}"
need curl

# Redirects are not followed: a 301/302 with a Location is the healthy answer.
probe() {
  local headers
  headers="$(curl --silent --show-error --max-time 10 --output /dev/null --dump-header - "$1" || true)"
  local status cache location
  status="$(awk 'NR == 1 { print $2 }' <<<"$headers")"
  cache="$(grep -i '^x-cache:' <<<"$headers" | tr -d '\r' | cut -d' ' -f2- || true)"
  location="$(grep -i '^location:' <<<"$headers" | tr -d '\r' | cut -d' ' -f2- || true)"
  printf '  status %s  cache %s  location %s\n' "${status:-none}" "${cache:--}" "${location:--}"
}
echo "1. public  https://kst.link/$code"; probe "https://kst.link/$code"
echo "2. origin  $origin/$code";          probe "$origin/$code"
echo "3. lookup table row"
admin_call GET "/links/shortlinks/$code" || echo "  no row (or the admin API is unreachable)"
