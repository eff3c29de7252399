#!/usr/bin/env bash
# Shared by the benchmarks that measure one `broar` command over generated candidates:
# builds the release server, seeds CANDIDATES candidates on a fresh SQLite file and on a
# fresh PostgreSQL database (PG_URL's server), and runs the command on each.
#
#   bench/on-both-databases.sh NAME CANDIDATES COMMAND [ARGS…]
#
# NAME names the PostgreSQL database (broar_bench_NAME, dropped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1"
candidates="$2"
shift 2
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
database="broar_bench_$name"

echo "==> Building the server (release: timings of a debug build say little)"
cargo build --release -p server --bin broar
bin=target/release/broar
work=$(mktemp -d)
trap 'rm -rf "$work"; psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT

run() {
  DATABASE_URL="$1" RUST_LOG=warn "$bin" seed-demo --candidates "$candidates" | tail -1
  DATABASE_URL="$1" RUST_LOG=warn "$bin" "${@:2}" | grep -v '^Database\|^Schema\|^Applied'
}

echo "==> SQLite, $candidates candidates"
run "sqlite://$work/bench.sqlite?mode=rwc" "$@"

echo "==> PostgreSQL, $candidates candidates"
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
run "$pg/$database" "$@"
