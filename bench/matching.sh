#!/usr/bin/env bash
# Matching benchmark (issue 7): rank every open demo need over CANDIDATES active
# candidates (default 100 000) on SQLite and on PostgreSQL, through the database as
# the matching page does it and over the same data held in memory; prints p50/p95
# and the ratio. A script, not a timed test: figures go in the issue notes.
#
#   bash bench/matching.sh                  # 100 000 candidates, 20 runs per need
#   CANDIDATES=20000 RUNS=5 bash bench/matching.sh
#
# PostgreSQL is PG_URL's server (default postgres://postgres@127.0.0.1:5432); a
# database broar_bench_matching is created there and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
candidates="${CANDIDATES:-100000}"
runs="${RUNS:-20}"
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"

echo "==> Building the server (release: timings of a debug build say little)"
cargo build --release -p server --bin broar
bin=target/release/broar
work=$(mktemp -d)
trap 'rm -rf "$work"; psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS broar_bench_matching" >/dev/null 2>&1 || true' EXIT

echo "==> SQLite, $candidates candidates"
sqlite="sqlite://$work/bench.sqlite?mode=rwc"
DATABASE_URL="$sqlite" RUST_LOG=warn "$bin" seed-demo --candidates "$candidates" | tail -1
DATABASE_URL="$sqlite" RUST_LOG=warn "$bin" bench-matching --runs "$runs" | grep -v '^Database\|^Schema\|^Applied'

echo "==> PostgreSQL, $candidates candidates"
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS broar_bench_matching" -c "CREATE DATABASE broar_bench_matching"
DATABASE_URL="$pg/broar_bench_matching" RUST_LOG=warn "$bin" seed-demo --candidates "$candidates" | tail -1
DATABASE_URL="$pg/broar_bench_matching" RUST_LOG=warn "$bin" bench-matching --runs "$runs" | grep -v '^Database\|^Schema\|^Applied'
