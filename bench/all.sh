#!/usr/bin/env bash
# Every benchmark of the project in one table (issue 11): bench/http.sh (P1, P4, P5,
# P6), then matching (issue 7) and digests (issue 9) on SQLite and PostgreSQL. Each
# script's own output comes first; the table at the end. Figures go in the notes.
#
#   bash bench/all.sh
#   CANDIDATES=20000 MEMBERS=2000 bash bench/all.sh     # smaller and quicker
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

bash bench/http.sh | tee "$out/http.txt"
CANDIDATES="${CANDIDATES:-100000}" bash bench/matching.sh | tee "$out/matching.txt"
MEMBERS="${MEMBERS:-10000}" bash bench/digests.sh | tee "$out/digests.txt"

echo
echo "| figure | measured | target | |"
echo "|---|---|---|---|"
grep '^| P' "$out/http.txt"
# The other scripts print a section per database: "==> SQLite, …", "==> PostgreSQL, …".
awk -F'|' '
  /^==> SQLite/ { db = "SQLite" } /^==> PostgreSQL/ { db = "PostgreSQL" }
  /^\| .* \| index/ {
    name = $2; path = $3; gsub(/^ +| +$/, "", name); gsub(/^ +| +$/, "", path)
    p95 = $5 + 0; ratio = $7 + 0
    printf "| matching p95, %s, %s, %s (ms; × in-memory) | %.1f; %.2f× | ≤ 50; ≤ 2× | %s |\n", name, path, db, p95, ratio, (p95 <= 50 && ratio <= 2 ? "met" : "missed")
  }
' "$out/matching.txt"
awk -F'|' '
  /^==> SQLite/ { db = "SQLite" } /^==> PostgreSQL/ { db = "PostgreSQL" }
  /^\| Broar: build, queue/ {
    secs = $4 + 0
    printf "| digests, %s messages through the outbox, %s (s) | %.1f | < 60 | %s |\n", $3 + 0, db, secs, (secs < 60 ? "met" : "missed")
  }
  /^throughput Broar \/ plain loop/ {
    split($0, parts, ": "); ratio = parts[2] + 0
    printf "| digests throughput Broar / plain lettre loop, %s | %.2f | ≥ 0.5 | %s |\n", db, ratio, (ratio >= 0.5 ? "met" : "missed")
  }
' "$out/digests.txt"
