#!/usr/bin/env bash
# Digest benchmark (issue 9): MEMBERS ring members (default 10 000) each get a digest,
# built, queued and sent through the outbox to a local SMTP sink (aiosmtpd's Sink, which
# accepts and discards), against a plain lettre loop sending the same messages, prepared
# beforehand, to the same sink. On SQLite and on PostgreSQL; prints both times and the
# ratio. A script, not a timed test: figures go in the issue notes.
#
#   bash bench/digests.sh
#   MEMBERS=2000 bash bench/digests.sh
#
# Needs scripts/install.sh --for-tests (it installs aiosmtpd into .venv). PostgreSQL is
# PG_URL's server (default postgres://postgres@127.0.0.1:5432); a database
# broar_bench_digests is created there and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
members="${MEMBERS:-10000}"
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"

echo "==> Building the server (release: timings of a debug build say little)"
cargo build --release -p server --bin broar
bin=target/release/broar
work=$(mktemp -d)
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/python -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Sink &
sink=$!
trap 'kill $sink 2>/dev/null || true; rm -rf "$work"; psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS broar_bench_digests" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
export SMTP_URL="smtp://127.0.0.1:$port" RUST_LOG=warn

echo "==> SQLite, $members members"
export DATABASE_URL="sqlite://$work/bench.sqlite?mode=rwc"
"$bin" seed-demo | tail -1
"$bin" bench-digests --members "$members" | grep -v '^Database\|^Schema\|^Applied'

echo "==> PostgreSQL, $members members"
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS broar_bench_digests" -c "CREATE DATABASE broar_bench_digests"
export DATABASE_URL="$pg/broar_bench_digests"
"$bin" seed-demo | tail -1
"$bin" bench-digests --members "$members" | grep -v '^Database\|^Schema\|^Applied'
