#!/usr/bin/env bash
# Matching benchmark (issues 7 and 26): rank every open demo need, and two far needs,
# over CANDIDATES active candidates (default 100 000) on SQLite and on PostgreSQL,
# through the process's matching index as the matching page does it (the counter
# read, the refresh after a change) and with a plain scan of the same data in memory;
# prints p50/p95, the ratio and the index's load time. A script, not a timed test:
# figures go in the issue notes.
#
#   bash bench/matching.sh                  # 100 000 candidates, 20 runs per need
#   CANDIDATES=20000 RUNS=5 bash bench/matching.sh
#
# PostgreSQL is PG_URL's server (default postgres://postgres@127.0.0.1:5432); a
# database broar_bench_matching is created there and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/on-both-databases.sh matching "${CANDIDATES:-100000}" bench-matching --runs "${RUNS:-20}"
