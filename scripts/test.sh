#!/usr/bin/env bash
# The README's test command: installs what the tests need, then vets and runs
# every test, the server's suites a second time on PostgreSQL (a private
# cluster started by scripts/pg.sh and stopped at the end), the real-window
# smoke test (scripts/smoke.sh, under Xvfb), each fuzz target briefly, and the
# deliveries: the amd64 .deb installed with dpkg and started
# (scripts/package-deb.sh, scripts/deb-smoke.sh), and the Windows app and
# server cross-built and checked (scripts/build-windows.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh release
export CGO_ENABLED=1
pgdir=$(mktemp -d /tmp/titledesk-pg.XXXXXX)
trap 'bash scripts/pg.sh stop "$pgdir"' EXIT
echo "== PostgreSQL: private cluster in $pgdir"
eval "$(bash scripts/pg.sh start "$pgdir")"
echo "== go vet"
go vet ./...
echo "== go test (every package; server suites on SQLite)"
TITLEDESK_TEST_STORE=sqlite go test -count=1 -timeout 30m ./...
echo "== go test: server suites on PostgreSQL"
bash scripts/test-pg.sh
echo "== smoke (real window under Xvfb; screenshots in ${SMOKE_OUT:-/tmp/titledesk-smoke}/shots)"
bash scripts/smoke.sh
echo "== fuzz (short)"
go test -run '^$' -fuzz '^FuzzParseIDNumber$' -fuzztime 15s ./model/
go test -run '^$' -fuzz '^FuzzDecodeCommand$' -fuzztime 15s ./api/
go test -run '^$' -fuzz '^FuzzClientAnswers$' -fuzztime 15s ./sync/
go test -run '^$' -fuzz '^FuzzDecodeApplicationRow$' -fuzztime 15s ./store/
echo "== server (linux/amd64 binary)"
go build -o dist/linux/titledesk-server ./cmd/titledesk-server # the test build's cache serves it
echo "== deb (amd64: build, dpkg -i, start the installed app under Xvfb)"
bash scripts/package-deb.sh amd64
bash scripts/deb-smoke.sh
echo "== windows (cross-build the app and the server, check the PE files)"
bash scripts/build-windows.sh
