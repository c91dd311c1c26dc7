# Helpers shared by the ops/ scripts. Sourced, never run on its own.
#
# Conventions every script follows:
#   - exit 0 on success, 1 when the check or the change failed, 2 on a usage error;
#   - with --dry-run, print each step prefixed by "+ " and change nothing;
#   - credentials come from the environment or a token file, never from
#     arguments, and are never printed.

DRY_RUN=0
ADMIN_URL="${KESTREL_ADMIN_URL:-https://admin.kestrel.internal}"

# Print the header comment of the calling script (everything after the shebang
# up to the first line that is not a comment).
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

die() { echo "error: $*" >&2; echo "run with --help for usage" >&2; exit 2; }
fail() { echo "FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed or not on PATH"; }

# Show a command, then run it unless this is a dry run.
step() {
  echo "+ $*"
  if [[ "$DRY_RUN" == 1 ]]; then return 0; fi
  "$@"
}

# admin_call METHOD PATH [JSON]: call the internal admin API. The token is read
# from KESTREL_ADMIN_TOKEN or ~/.config/kestrel/admin-token and handed to curl
# on stdin, so it shows up neither in the process list nor in any output.
admin_call() {
  local method="$1" path="$2" body="${3-}"
  echo "+ $method $path${body:+ $body}"
  if [[ "$DRY_RUN" == 1 ]]; then return 0; fi
  local token="${KESTREL_ADMIN_TOKEN:-}"
  local token_file="${KESTREL_ADMIN_TOKEN_FILE:-$HOME/.config/kestrel/admin-token}"
  if [[ -z "$token" && -r "$token_file" ]]; then token="$(<"$token_file")"; fi
  [[ -n "$token" ]] || fail "no admin token: set KESTREL_ADMIN_TOKEN or write it to $token_file"
  local args=(--silent --show-error --fail --max-time 15 -X "$method" -H @- "$ADMIN_URL$path")
  if [[ -n "$body" ]]; then args+=(-H 'Content-Type: application/json' --data "$body"); fi
  if ! printf 'Authorization: Bearer %s\n' "$token" | curl "${args[@]}"; then return 1; fi
  echo
}

# Closing line of every dry run, so doc tests can match it.
dry_run_done() { echo "dry run: nothing was changed"; }
