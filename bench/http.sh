#!/usr/bin/env bash
# HTTP benchmarks (issue 11): the release server pinned to core 0, the load (wrk, and
# a login generator) pinned to core 1. Prints one table of figures and ratios:
#   P1  the logged-in needs board with 50 needs: instructions per page counted by
#       callgrind (target ≤ 3 million), its requests/s against the same build's static
#       front page (target ≥ 0.5×) and its p99 / p50 (target ≤ 4);
#   P4  64 concurrent discussion posts, SQLite against PostgreSQL: errors (target 0)
#       and the throughput ratio (target SQLite ≥ 0.5 × PostgreSQL);
#   P5  the hydration bundle (wasm + JavaScript), raw and brotli (target ≤ 300 KB);
#   P6  a page's p99 while 20 logins/s run against idle (target ≤ 1.5 ×), the page
#       asked for every 20 ms (a saturating load would measure queueing, not the page).
# A script, not a timed test: the figures go in the issue notes.
#
#   bash bench/http.sh
#   SECONDS_PER_RUN=20 bash bench/http.sh
#
# Needs wrk, brotli and valgrind (scripts/install.sh --for-bench installs them). PostgreSQL is
# PG_URL's server (default postgres://postgres@127.0.0.1:5432); a database
# broar_bench_http is created there and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${SECONDS_PER_RUN:-10}"
pg="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
database=broar_bench_http
password="Broar-demo-2026"
coordinator=samir.haddad@ekdala.test
member=per@ekholms-bygg.test
ring_name="Bygg och industri Ekdala"

scripts/install.sh --for-bench
# The release build's wasm-opt: npm's binaryen (Debian's breaks hydration).
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
[ "$(nproc)" -ge 2 ] || echo "warning: fewer than 2 cores; server and load share one" >&2

echo "==> Building the release site and server (timings of a debug build say little)"
scripts/build-site.sh release >/dev/null
bin=target/release/broar
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# free_port, wait_for, start_portal, stop_portal, log_in, call, load, fill_board,
# p6_once, posts.
. bench/lib/portal.sh

rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s |' "$@")"); }
verdict() { python3 -c "print('met' if $1 else 'missed')"; }

echo "==> SQLite: demo data, a ring with 50 open needs"
start_portal "sqlite://$work/bench.sqlite?mode=rwc"
fill_board
cookie=$(log_in "$member")
board_url="$base/ringar/$ring/behov?status=open"
curl -fs -H "Cookie: $cookie" "$board_url" -o "$work/board.html"
shown=$(grep -o 'href="/behov/[0-9]*"' "$work/board.html" | sort -u | wc -l)
[ "$shown" -ge 50 ] || { echo "the board page shows $shown needs, not 50" >&2; exit 1; }

echo "==> P1: the needs board and the static front page (${duration} s each, 8 connections)"
read -r board_rps board_p50 board_p99 board_bad _ < <(load -t1 -c8 -d"${duration}s" -H "Cookie: $cookie" "$board_url")
[ "$board_bad" -eq 0 ] || { echo "the board answered $board_bad times with an error" >&2; exit 1; }
read -r front_rps front_p50 front_p99 _ _ < <(load -t1 -c8 -d"${duration}s" "$base/")
ratio=$(python3 -c "print(f'{$board_rps / $front_rps:.3f}')")
tail_ratio=$(python3 -c "print(f'{$board_p99 / $board_p50:.2f}')")

echo "==> P1: instructions per page, counted by callgrind (the server under valgrind)"
stop_portal
board_ir=$(instructions_per_page "/ringar/$ring/behov?status=open" "$cookie" "${PAGES:-200}" "sqlite://$work/bench.sqlite?mode=rwc" board)
front_ir=$(instructions_per_page "/" "" "${PAGES:-200}" "sqlite://$work/bench.sqlite?mode=rwc" front)
mi() { python3 -c "print(f'{$1 / 1e6:.2f} M')"; }
row "P1 board, instructions per page (callgrind)" "$(mi "$board_ir")" "≤ 3 M" "$(verdict "$board_ir <= 3e6")"
row "P1 static front page, instructions per page" "$(mi "$front_ir")" "" ""
row "P1 board / static front page, requests/s" "$board_rps / $front_rps = $ratio" "≥ 0.5" "$(verdict "$ratio >= 0.5")"
row "P1 board p99 / p50 (ms)" "$board_p99 / $board_p50 = $tail_ratio" "≤ 4" "$(verdict "$tail_ratio <= 4")"
row "P1 front page p50 / p99 (ms)" "$front_p50 / $front_p99" "" ""
echo "(the profiles' top functions: $work/profile-board.txt, kept with KEEP=1)"
start_portal "sqlite://$work/bench.sqlite?mode=rwc"
board_url="$base/ringar/$ring/behov?status=open"

echo "==> P6: the board's p99, one request every 20 ms, idle and under 20 logins/s"
read -r idle_p50 idle_p99 busy_p50 busy_p99 < <(p6_once "$board_url")
p6=$(python3 -c "print(f'{$busy_p99 / $idle_p99:.2f}')")
row "P6 board p99 under 20 logins/s / idle (ms)" "$busy_p99 / $idle_p99 = $p6" "≤ 1.5" "$(verdict "$p6 <= 1.5")"
row "P6 board p50 under logins / idle (ms)" "$busy_p50 / $idle_p50" "" ""
row "P6 the logins themselves" "$(cat "$work/logins.txt")" "" ""

echo "==> P4: 64 connections posting replies (SQLite, ${duration} s)"
read -r sqlite_rps _ sqlite_p99 sqlite_bad sqlite_err < <(posts)
stop_portal

echo "==> P4 on PostgreSQL"
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
start_portal "$pg/$database"
cookie=$(log_in "$coordinator")
ring=$(call rings/list | json "[r['id'] for r in d['rings'] if r['name'] == '$ring_name'][0]")
read -r pg_rps _ pg_p99 pg_bad pg_err < <(posts)
stop_portal
p4=$(python3 -c "print(f'{$sqlite_rps / $pg_rps:.2f}')")
row "P4 errors, SQLite / PostgreSQL (non-2xx + socket)" "$((sqlite_bad + sqlite_err)) / $((pg_bad + pg_err))" "0" "$(verdict "$sqlite_bad + $sqlite_err + $pg_bad + $pg_err == 0")"
row "P4 posts/s SQLite / PostgreSQL" "$sqlite_rps / $pg_rps = $p4" "≥ 0.5" "$(verdict "$p4 >= 0.5")"
row "P4 p99 ms SQLite / PostgreSQL" "$sqlite_p99 / $pg_p99" "" ""

echo "==> P5: the hydration bundle"
pkg=target/site/pkg
wasm=$(ls "$pkg"/broar.*.wasm) js=$(ls "$pkg"/broar.*.js)
raw=$(cat "$wasm" "$js" | wc -c)
br=$(( $(brotli -c -q 11 "$wasm" | wc -c) + $(brotli -c -q 11 "$js" | wc -c) ))
kb() { python3 -c "print(f'{$1 / 1024:.0f} KB')"; }
row "P5 bundle (wasm + js), raw" "$(kb "$raw")" "" ""
row "P5 bundle (wasm + js), brotli -q 11" "$(kb "$br")" "≤ 300 KB" "$(verdict "$br <= 300 * 1024")"

echo
echo "| figure | measured | target | |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "(server: taskset -c 0 $bin; load: taskset -c 1 wrk / python3; ${duration} s per run)"
