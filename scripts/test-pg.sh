#!/usr/bin/env bash
# The server's suites on PostgreSQL: every server test, the admin command
# line, and the sync engine's tests against a real server (crash/kill,
# conflicts, faults, the move from SQLite), with each test server on a fresh
# schema of the database in TITLEDESK_TEST_PG (scripts/pg.sh start prints it).
# Fails when a test skipped for want of PostgreSQL, and prints how many
# tests and subtests ran.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TITLEDESK_TEST_PG:?set TITLEDESK_TEST_PG (eval \"\$(bash scripts/pg.sh start DIR)\")}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
TITLEDESK_TEST_STORE=postgres go test -count=1 -timeout 25m -v ./server/... ./cmd/titledesk-server/ ./sync/ >"$log" 2>&1
status=$?
set -e
# The package lines and every failure, not the whole verbose log.
grep -E '^(ok|FAIL|---|panic:)|^\s+--- FAIL|_test\.go:[0-9]+:' "$log" | grep -vE '^--- (PASS|SKIP)|^\s+--- PASS' || true
passed=$(grep -cE '^\s*--- PASS' "$log" || true)
skipped=$(grep -cE '^\s*--- SKIP' "$log" || true)
failed=$(grep -cE '^\s*--- FAIL' "$log" || true)
if grep -qE 'PostgreSQL test (skipped|cannot run)' "$log"; then
  echo "PostgreSQL tests did not run:" >&2
  grep -E 'PostgreSQL test' "$log" >&2
  status=1
fi
echo "postgres: $passed passed, $failed failed, $skipped skipped"
exit $status
