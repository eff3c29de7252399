#!/usr/bin/env bash
# Re-identification guard benchmark (issue 20): the share of job-ready candidates
# releasable at k = 3 and the mean number of fields kept exact over generated
# municipalities of 60, 200 and 1 000 (in memory), then the release page's answer
# time over CANDIDATES seeded candidates (default 5 000) on SQLite and PostgreSQL.
# A script, not a timed test: figures go in the issue notes.
#
#   bash bench/release.sh
#   CANDIDATES=1000 RUNS=20 bash bench/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/on-both-databases.sh release "${CANDIDATES:-5000}" bench-release --runs "${RUNS:-50}"
