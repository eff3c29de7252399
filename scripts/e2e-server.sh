#!/usr/bin/env bash
# The server for the browser journeys: the debug build on a fresh SQLite file with
# demo data, sending e-mail to a real SMTP server (aiosmtpd from .venv) that stores
# every message in a Maildir the journeys read. Usage: e2e-server.sh PORT
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3100}
# The database's folder: E2E_DATA_DIR (set by the config: journeys run the command
# line on the same database), emptied first; else a new temporary one.
if [ -n "${E2E_DATA_DIR:-}" ]; then
  dir="$E2E_DATA_DIR"
  rm -rf "$dir"
  mkdir -p "$dir"
else
  dir=$(mktemp -d /tmp/broar-e2e.XXXXXX)
fi
export DATABASE_URL="sqlite://$dir/broar.sqlite?mode=rwc"
# The journeys read the messages the SMTP server stores here (E2E_MAIL_DIR, set by
# the config), in its new/ folder.
maildir="${E2E_MAIL_DIR:-$dir/mail}"
rm -rf "$maildir"
smtp_port=$((port + 1))
.venv/bin/python -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$maildir" &
smtp=$!
server=""
trap 'kill $smtp $server 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break
  sleep 0.1
done
export SMTP_URL="smtp://127.0.0.1:$smtp_port"
export BROAR_OUTBOX_INTERVAL_SECS=1
export BROAR_BIND="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="$PWD/target/site"
export RUST_LOG="${RUST_LOG:-warn}"
target/debug/broar seed-demo
target/debug/broar serve &
server=$!
wait "$server"
