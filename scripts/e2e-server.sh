#!/usr/bin/env bash
# The server for the browser journeys: the debug build on a fresh SQLite file with
# demo data, mail written to a folder beside it. Usage: e2e-server.sh PORT
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3100}
dir=$(mktemp -d /tmp/broar-e2e.XXXXXX)
export DATABASE_URL="sqlite://$dir/broar.sqlite?mode=rwc"
# The journeys read the e-mails the portal writes here (E2E_MAIL_DIR, set by the config).
export BROAR_MAIL_DIR="${E2E_MAIL_DIR:-$dir/mail}"
export BROAR_OUTBOX_INTERVAL_SECS=1
rm -rf "$BROAR_MAIL_DIR"
export BROAR_BIND="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="$PWD/target/site"
export RUST_LOG="${RUST_LOG:-warn}"
target/debug/broar seed-demo
exec target/debug/broar serve
