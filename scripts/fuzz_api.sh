#!/usr/bin/env bash
# Fuzz the API with Schemathesis: every operation of the OpenAPI schema, on a live server with a
# fresh demo database, signed in as an agency admin (admin.pendidikan). Fails on any 5xx and on
# any response that the schema does not describe (status code, content type or body).
#
# Bounded for CI on two cores: the coverage phase (the schema's edge cases: largest integers,
# NUL bytes, missing fields) then the fuzzing phase with FUZZ_MAX_EXAMPLES cases per operation
# (default 20), repeated until FUZZ_MAX_TIME seconds (default 90) are spent. Schemathesis stops
# cleanly at that budget, so a busy machine tests less rather than failing; a hard timeout 30 s
# later catches a hang. With the set-up (20-50 s, by how busy the machine is) the step stays
# under 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
ST=${ST:-.venv/bin/st}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-20}
MAX_TIME=${FUZZ_MAX_TIME:-90}
SEED=${FUZZ_SEED:-2023}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kinerja-fuzz.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Its own database and settings: nothing of the developer's var/ or .env is touched or needed.
export DJANGO_SETTINGS_MODULE=config.settings.local
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY=fuzz-only-not-secret
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
# Throttling would answer 429 to a fuzzer; the rates are lifted for this server only.
export API_RATE_PER_TOKEN=100000/min
export API_RATE_ANON=100000/min
export LOG_LEVEL=ERROR

echo "fuzz: migrating and loading a small demo province into $WORK"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_demo --staff 200 -v 0 >/dev/null
TOKEN=$("$PY" manage.py create_api_token admin.pendidikan --name fuzz --days 1 2>/dev/null)

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" manage.py runserver --noreload --nothreading "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
ready=""
for _ in $(seq 1 60); do
  if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" 2>/dev/null; then
    ready=yes
    break
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$ready" ]; then
  cat "$WORK/server.log"
  echo "fuzz: the server did not start"
  exit 1
fi

# An object of each kind the admin may change: the writes in scripts/schemathesis.toml use them.
first_id() {
  "$PY" - "http://127.0.0.1:$PORT/api/v1/$1/" "$TOKEN" <<'PYTHON'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": f"Bearer {sys.argv[2]}"})
with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
    print(json.load(response)["results"][0]["id"])
PYTHON
}
FUZZ_EMPLOYEE_ID=$(first_id employees)
FUZZ_UNIT_ID=$(first_id units)
FUZZ_POSITION_ID=$(first_id positions)
# The small demo's Plt may sit outside the admin's agency: then the end action answers 404.
FUZZ_ACTING_ID=$(first_id acting-assignments 2>/dev/null || echo 1)
# Planning: the first goal, indicator and target are Dinas Pendidikan's (codes sort DINDIK first),
# which the admin may change; periods and the library only Bappeda (403 for the admin).
FUZZ_GOAL_ID=$(first_id goals)
FUZZ_INDICATOR_ID=$(first_id indicators)
FUZZ_TARGET_ID=$(first_id targets)
FUZZ_PERIOD_ID=$(first_id periods)
FUZZ_SUB_PERIOD_ID=$(first_id sub-periods)
FUZZ_TEMPLATE_ID=$(first_id indicator-templates)
# The demo's key-indicator sets (the province's first); none yet answers 404 on id 1.
FUZZ_KEY_SET_ID=$(first_id key-indicator-sets 2>/dev/null || echo 1)
# The demo's performance agreements (none yet: 404 on id 1).
FUZZ_AGREEMENT_ID=$(first_id agreements 2>/dev/null || echo 1)
export FUZZ_EMPLOYEE_ID FUZZ_UNIT_ID FUZZ_POSITION_ID FUZZ_ACTING_ID
export FUZZ_GOAL_ID FUZZ_INDICATOR_ID FUZZ_TARGET_ID FUZZ_PERIOD_ID FUZZ_SUB_PERIOD_ID FUZZ_TEMPLATE_ID
export FUZZ_KEY_SET_ID FUZZ_AGREEMENT_ID

echo "fuzz: Schemathesis on http://127.0.0.1:$PORT/api/schema/ for ${MAX_TIME}s"
status=0
timeout --signal=INT --kill-after=10 "$((MAX_TIME + 30))" \
  "$ST" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$PORT/api/schema/" \
    --header "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases coverage,fuzzing \
    --max-examples "$MAX_EXAMPLES" \
    --max-time "$MAX_TIME" \
    --seed "$SEED" \
    --generation-database none \
    --request-timeout 10 \
    --workers 1 \
    --no-color || status=$?

if grep -q "Traceback" "$WORK/server.log"; then
  echo "fuzz: the server logged errors:"
  grep -B2 -A30 "Traceback" "$WORK/server.log" | head -120
  if [ "$status" -eq 0 ]; then status=1; fi
fi
if [ "$status" -eq 124 ] || [ "$status" -eq 130 ]; then
  echo "fuzz: Schemathesis did not stop within $((MAX_TIME + 30))s"
fi
exit "$status"
