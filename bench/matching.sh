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
exec bench/on-both-databases.sh matching "${CANDIDATES:-100000}" bench-matching --runs "${RUNS:-20}"
