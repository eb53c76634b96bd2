#!/usr/bin/env bash
# The README's run command: installs what is needed, builds TitleDesk and
# starts it in demo mode (an embedded server with the demo data on loopback,
# logged in as the demo department). Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
export CGO_ENABLED=1
go build -o titledesk .
exec ./titledesk -demo "$@"
