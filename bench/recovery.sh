#!/usr/bin/env bash
# Mail recovery (issue 21, defect 3): how long the outbox takes to empty
#   1. after the mail server comes back from an outage (every message failed at least
#      once and waits out its back-off), and
#   2. after a worker is SIGKILLed in the middle of sending and the server restarted.
# On PostgreSQL with MESSAGES queued messages (default 300) and a mail server that takes
# DELAY seconds a message (default 0.2). BIN picks the binary (default target/debug/broar),
# so an older build can be measured the same way. A script, not a timed test.
#
#   bash bench/recovery.sh
#   BIN=/tmp/broar-old bash bench/recovery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BIN:-target/debug/broar}"
messages="${MESSAGES:-300}"
delay="${DELAY:-0.2}"
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
db=broar_bench_recovery
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
smtp_port=$(free_port)
sink="" server=""
stop_all() {
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null || true
  [ -n "$sink" ] && kill "$sink" 2>/dev/null || true
  server="" sink=""
}
trap 'stop_all; psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export DATABASE_URL="$pg/$db" SMTP_URL="smtp://127.0.0.1:$smtp_port" RUST_LOG=error \
  BROAR_OUTBOX_INTERVAL_SECS=5 LEPTOS_SITE_ROOT=target/site
q() { psql "$DATABASE_URL" -qtAc "$1"; }
start_sink() {
  .venv/bin/python bench/lib/slow_sink.py "$smtp_port" "$delay" & sink=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && return; sleep 0.1; done
}
start_server() {
  BROAR_BIND="127.0.0.1:$(free_port)" "$bin" serve >/dev/null 2>&1 & server=$!
}
fresh() {
  stop_all
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  "$bin" migrate >/dev/null
  q "INSERT INTO outbox (message_id, to_address, subject, body_text, body_html, kind, status, attempts, next_attempt_at, created_at)
     SELECT '<bench-' || g || '@broar.test>', 'mottagare' || g || '@ekdala.test', 'Bänk', 'Hej', '<p>Hej</p>', 'bench', 'pending', 0, now(), now()
     FROM generate_series(1, $messages) g"
}
wait_empty() {
  local from=$1
  while [ "$(q "SELECT COUNT(*) FROM outbox WHERE status = 'pending'")" != 0 ]; do sleep 0.5; done
  echo $(( $(date +%s%N) / 1000000 - from ))
}

echo "==> $bin, $messages messages, $delay s a message at the mail server"
fresh
start_server                                  # the mail server is away
until [ "$(q "SELECT COUNT(*) FROM outbox WHERE attempts = 0")" = 0 ]; do sleep 0.5; done
sleep 2
start_sink
back=$(( $(date +%s%N) / 1000000 ))
outage=$(wait_empty "$back")
echo "outage: every message failed once; queue empty $(( outage / 1000 )).$(( outage % 1000 / 100 )) s after the mail server came back"

fresh
start_sink
start_server
until [ "$(q "SELECT COUNT(*) FROM outbox WHERE status = 'sent'")" -ge 20 ]; do sleep 0.1; done
kill -9 "$server"; server=""
left=$(q "SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
start_server
restart=$(( $(date +%s%N) / 1000000 ))
killed=$(wait_empty "$restart")
echo "kill: SIGKILL with $left of $messages unsent; queue empty $(( killed / 1000 )).$(( killed % 1000 / 100 )) s after the restart"
