#!/usr/bin/env bash
# Follow-up report benchmark (issue 10): build the report for all rings and for one
# ring over the default period (1 January two years back to today) with CANDIDATES
# generated candidates with timelines (default 20 000) on SQLite and on PostgreSQL;
# prints p50/p95. A script, not a timed test: figures go in the issue notes.
#
#   bash bench/reports.sh
#   CANDIDATES=100000 RUNS=5 bash bench/reports.sh
#
# PostgreSQL is PG_URL's server (default postgres://postgres@127.0.0.1:5432); a
# database broar_bench_reports is created there and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
candidates="${CANDIDATES:-20000}"
runs="${RUNS:-10}"
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"

echo "==> Building the server (release: timings of a debug build say little)"
cargo build --release -p server --bin broar
bin=target/release/broar
work=$(mktemp -d)
trap 'rm -rf "$work"; psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS broar_bench_reports" >/dev/null 2>&1 || true' EXIT

echo "==> SQLite, $candidates candidates"
sqlite="sqlite://$work/bench.sqlite?mode=rwc"
DATABASE_URL="$sqlite" RUST_LOG=warn "$bin" seed-demo --candidates "$candidates" | tail -1
DATABASE_URL="$sqlite" RUST_LOG=warn "$bin" bench-reports --runs "$runs" | grep -v '^Database\|^Schema\|^Applied'

echo "==> PostgreSQL, $candidates candidates"
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS broar_bench_reports" -c "CREATE DATABASE broar_bench_reports"
DATABASE_URL="$pg/broar_bench_reports" RUST_LOG=warn "$bin" seed-demo --candidates "$candidates" | tail -1
DATABASE_URL="$pg/broar_bench_reports" RUST_LOG=warn "$bin" bench-reports --runs "$runs" | grep -v '^Database\|^Schema\|^Applied'
