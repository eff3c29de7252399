#!/usr/bin/env bash
# P6 and P4 of bench/http.sh, and logins on a busy machine ("starved"), each RUNS
# times against one portal over SQLite, a line per run: for telling a real change in a
# tail figure from one run's luck (P6 moved between 1.5 and 2.9 on one build; P4's rare
# wrk timeouts come in some runs only).
# P4's line has its slowest reply (wrk's max): before SQLite's writes queued for one
# writer (app::db), single replies took 0.6-1.8 s at an 80 ms average.
#
#   RUNS=5 bash bench/repeat.sh                 # the release build in target/
#   BIN=/tmp/broar-old RUNS=5 bash bench/repeat.sh
#   ONLY=p6 bash bench/repeat.sh                # or ONLY=p4, ONLY=starved
#
# "starved": logins on a machine with no CPU to spare. A busy loop of the normal class
# shares core 0 with the server (as a build or another service would) while 2 logins/s
# run for the run's length; prints how many were answered and their p50/p99. Password
# hashes run in the idle class, which such a loop leaves almost nothing: before they
# were also run at normal priority after a second (app::auth::passwords), 35 of 41
# logins here failed after 30 s.
#
# Builds nothing: build first (scripts/build-site.sh release, or bench/http.sh). To
# see where a page waits, run `perf sched record -C 0 -o F -- sleep 5` beside a P6 run
# and read it with `perf sched latency -i F --sort max`.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/broar}
[ -x "$bin" ] || { echo "no server binary at $bin (build it first)" >&2; exit 1; }
duration="${SECONDS_PER_RUN:-10}"
password="Broar-demo-2026"
coordinator=samir.haddad@ekdala.test
member=per@ekholms-bygg.test
ring_name="Bygg och industri Ekdala"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
. bench/lib/portal.sh

start_portal "sqlite://$work/bench.sqlite?mode=rwc"
fill_board
board_url="$base/ringar/$ring/behov?status=open"
want() { [ -z "${ONLY:-}" ] || [ "$ONLY" = "$1" ]; }
# All P6 runs first: P4's writes would leave work behind (the WAL's checkpoints) that an
# idle P6 run after it would measure.
if want p6; then
  cookie=$(log_in "$member")
  # Warm-up, not counted: the first seconds after filling the board are slower.
  COOKIE="$cookie" load -t1 -c1 -d3s -s bench/lib/paced.lua "$board_url" >/dev/null
  for run in $(seq 1 "${RUNS:-3}"); do
    read -r idle_p50 idle_p99 busy_p50 busy_p99 < <(p6_once "$board_url")
    echo "P6 run $run: p99 $busy_p99 / $idle_p99 = $(python3 -c "print(f'{$busy_p99 / $idle_p99:.2f}')") (p50 $busy_p50 / $idle_p50); $(cat "$work/logins.txt")"
  done
fi
if want p4; then
  for run in $(seq 1 "${RUNS:-3}"); do
    read -r rps _ p99 bad errors < <(posts)
    max=$(awk '$1 == "Latency" && $2 != "Distribution" { m = $4 } END { print m }' "$work/wrk.log")
    echo "P4 run $run: $rps posts/s, p99 $p99 ms, max $max, non-2xx $bad, socket errors $errors"
  done
fi
if want starved; then
  for run in $(seq 1 "${RUNS:-3}"); do
    taskset -c 0 sh -c 'while :; do :; done' &
    spinner=$!
    pids+=("$spinner")
    taskset -c 1 python3 bench/lib/logins.py "$base/api/auth/login" "$coordinator" "$password" 2 "$duration" >"$work/logins.txt"
    kill "$spinner"
    wait "$spinner" 2>/dev/null || true
    echo "starved run $run: $(cat "$work/logins.txt")"
  done
fi
