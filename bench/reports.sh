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
exec bench/on-both-databases.sh reports "${CANDIDATES:-20000}" bench-reports --runs "${RUNS:-10}"
