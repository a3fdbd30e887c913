#!/usr/bin/env bash
# Schemathesis against the real server binary (issue 13 item 12): every check, as an administrator
# and as a user, then signed out, must find no undocumented status and no server error.
#
#   server/tests/schemathesis/run.sh SERVER_BINARY [SCHEMATHESIS]
#
# The server runs on a free loopback port with a throwaway SQLite database and the demo content
# (administrator `admin`, user `anna`); both are removed on exit. SCHEMATHESIS defaults to the
# `st` of tools/venv, which ./dev installs. Each run is bounded by --max-examples and by a timeout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server_bin=${1:?usage: run.sh SERVER_BINARY [SCHEMATHESIS]}
st=${2:-$here/../../../tools/venv/bin/st}
# Cases per operation and phase; the whole script takes about 70 s on two cores.
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-100}
# The hard stop of one run, in seconds: a run that hangs fails instead of holding up the suite.
run_timeout=${SCHEMATHESIS_RUN_TIMEOUT:-300}

work=$(mktemp -d "${TMPDIR:-/tmp}/mail-services-schemathesis.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$work/dist"
"$server_bin" serve --listen 127.0.0.1:0 --data-dir "$work/data" --dist "$work/dist" --demo \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!

base=
for _ in $(seq 600); do
  base=$(sed -n 's|^Mail services is running at \(http://127\.0\.0\.1:[0-9]*\)/.*$|\1|p' "$work/server.out")
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "the server stopped" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { cat "$work/server.log" >&2; echo "the server did not start within a minute" >&2; exit 1; }

# The session cookie of a demo person, from signing in as the app does.
session_of() {
  curl --silent --show-error --fail --max-time 30 --output /dev/null --dump-header - \
    --header 'Content-Type: application/json' --header "Origin: $base" \
    --data "{\"login\":\"$1\",\"password\":\"demo-password\"}" "$base/api/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(mail_session=[^;]*\).*$/\1/p'
}
admin_cookie=$(session_of admin)
user_cookie=$(session_of anna)
[ -n "$admin_cookie" ] && [ -n "$user_cookie" ] || { echo "cannot sign in the demo people" >&2; exit 1; }

# run_as WHO ARGS…: one schemathesis run with every check; its exit status is the script's.
failed=
run_as() {
  local who=$1 start=$SECONDS
  shift
  echo "==> schemathesis as $who" >&2
  # In the throwaway directory: schemathesis keeps its crash records in ./.schemathesis.
  if ! (cd "$work" && timeout "$run_timeout" "$st" --config-file "$here/schemathesis.toml" run \
      "$base/api/openapi.json" --url "$base" --checks all --max-examples "$max_examples" --seed 13 \
      --workers 1 --generation-database none --generation-with-security-parameters false \
      --header "Origin: $base" --no-color "$@"); then
    failed="$failed $who"
  fi
  echo "==> schemathesis as $who: done in $((SECONDS - start)) s" >&2
}
# Signing out would end the session the run uses: it gets its own run, signed out.
run_as administrator --header "Cookie: $admin_cookie" --exclude-operation-id sign_out
run_as user --header "Cookie: $user_cookie" --exclude-operation-id sign_out
run_as "a signed-out client" --include-tag session

if grep -q 'request handler panicked' "$work/server.log"; then
  grep 'panicked' "$work/server.log" >&2
  failed="$failed (a handler panicked)"
fi
if [ -n "$failed" ]; then
  echo "schemathesis found problems as:$failed (server log: see above)" >&2
  exit 1
fi
