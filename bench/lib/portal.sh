# Shell functions the HTTP benchmarks share (sourced by bench/http.sh and
# bench/repeat.sh): a release portal on core 0 over a database, logins, server-function
# calls, wrk on core 1, the ring with 50 open needs, and the P4 and P6 measurements.
# Expects bin, work, pids, password, coordinator, member, ring_name and duration to be
# set.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
wait_for() {
  for _ in $(seq 1 200); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2
  return 1
}

# Starts `broar serve` on core 0 over DATABASE_URL $1 (seeded with the demo first);
# sets $base and $server.
start_portal() {
  local url="$1" port
  port=$(free_port)
  DATABASE_URL="$url" RUST_LOG=warn "$bin" seed-demo >/dev/null
  DATABASE_URL="$url" BROAR_BIND="127.0.0.1:$port" LEPTOS_SITE_ROOT="$PWD/target/site" \
    BROAR_MAIL_DIR="$work/mail" RUST_LOG=warn taskset -c 0 "$bin" serve >"$work/server-$port.log" 2>&1 &
  server=$!
  pids+=("$server")
  base="http://127.0.0.1:$port"
  wait_for "$base/healthz"
}

stop_portal() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}

# Logs in as $1 and prints the Cookie header value of the session.
log_in() {
  local jar="$work/jar-$1"
  curl -fs -c "$jar" -H 'Accept: application/json' --data-urlencode "email=$1" \
    --data-urlencode "password=$password" "$base/api/auth/login" >/dev/null
  awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar"
}

# POSTs form fields to a server fn as the session in $cookie; prints the JSON answer.
call() {
  local path="$1"
  shift
  local args=()
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  curl -fs -X POST -H "Cookie: $cookie" -H 'Accept: application/json' "${args[@]}" "$base/api/$path"
}

# wrk on core 1; prints "requests/s p50_ms p99_ms non2xx socket_errors".
load() {
  local out
  out=$(taskset -c 1 wrk --latency "$@")
  echo "$out" >>"$work/wrk.log"
  echo "$out" | awk '
    function ms(v) {
      if (v ~ /us$/) return v * 0.001; if (v ~ /ms$/) return v + 0;
      if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v
    }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
    END { printf "%.1f %.2f %.2f %d %d\n", rps, p50, p99, non2xx, errors }'
}

# The ring with 50 open needs: the demo's ring gets needs posted for its first firm.
fill_board() {
  cookie=$(log_in "$coordinator")
  ring=$(call rings/list | json "[r['id'] for r in d['rings'] if r['name'] == '$ring_name'][0]")
  local board open firm
  board=$(call needs/board "ring_id=$ring" occupation= form= status=open firm= sort=)
  open=$(echo "$board" | json "len(d['needs'])")
  firm=$(echo "$board" | json "d['firms'][0][0]")
  local start
  start=$(date -d '+2 months' +%F)
  for n in $(seq $((open + 1)) 50); do
    call needs/post "ring_id=$ring" "firm_id=$firm" occupation=7111 "title=Träarbetare $n" \
      "description=Vi bygger ut och söker fler i arbetslaget, nummer $n." positions=2 \
      "required_skills=Läsa ritningar" merit_skills= swedish_level=A2 other_languages= \
      driving_licence= "start_date=$start" employment_form=permanent suggested_training= \
      status=open >/dev/null
  done
  board=$(call needs/board "ring_id=$ring" occupation= form= status=open firm= sort=)
  open=$(echo "$board" | json "len(d['needs'])")
  [ "$open" -eq 50 ] || { echo "the board has $open open needs, not 50" >&2; exit 1; }
}


# Instructions the server spends per request of page $1 (with Cookie header $2, or ""
# for none), counted by callgrind over $3 requests after 20 of warm-up, on a server
# over DATABASE_URL $4 started under valgrind (seeded already). Prints the count; the
# profile's top functions by inclusive cost go to $work/profile-$5.txt.
instructions_per_page() {
  local url_path="$1" page_cookie="$2" n="$3" url="$4" name="$5" port vg out headers=()
  port=$(free_port)
  out="$work/callgrind-$name"
  mkdir -p "$out"
  DATABASE_URL="$url" BROAR_BIND="127.0.0.1:$port" LEPTOS_SITE_ROOT="$PWD/target/site" \
    BROAR_MAIL_DIR="$work/mail" RUST_LOG=warn taskset -c 0 \
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/callgrind.out.%p" \
    "$bin" serve >"$work/valgrind-$name.log" 2>&1 &
  vg=$!
  pids+=("$vg")
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  [ -n "$page_cookie" ] && headers=(-H "Cookie: $page_cookie")
  for _ in $(seq 1 20); do curl -fs "${headers[@]}" "http://127.0.0.1:$port$url_path" >/dev/null; done
  callgrind_control -i on "$vg" >/dev/null
  for _ in $(seq 1 5); do curl -fs "${headers[@]}" "http://127.0.0.1:$port$url_path" >/dev/null; done
  callgrind_control -z "$vg" >/dev/null
  for _ in $(seq 1 "$n"); do curl -fs "${headers[@]}" "http://127.0.0.1:$port$url_path" >/dev/null; done
  callgrind_control -d "$vg" >/dev/null
  kill "$vg" 2>/dev/null || true
  wait "$vg" 2>/dev/null || true
  local dump total
  dump=$(ls "$out"/callgrind.out.*.1)
  total=$(awk '/^(summary|totals):/ { print $2; exit }' "$dump")
  callgrind_annotate --inclusive=yes "$dump" 2>/dev/null | head -60 >"$work/profile-$name.txt" || true
  python3 -c "print(round($total / $n))"
}

# P6 on the portal running now: the page $1 (as the session in $cookie), one request
# every 20 ms, idle and then under 20 logins/s. Prints "idle_p50 idle_p99 busy_p50
# busy_p99" (ms); the logins' own summary goes to $work/logins.txt.
p6_once() {
  local url="$1" idle_p50 idle_p99 busy_p50 busy_p99 logins
  read -r _ idle_p50 idle_p99 _ _ < <(COOKIE="$cookie" load -t1 -c1 -d"${duration}s" -s bench/lib/paced.lua "$url")
  taskset -c 1 python3 bench/lib/logins.py "$base/api/auth/login" "$coordinator" "$password" 20 "$((duration + 2))" >"$work/logins.txt" &
  logins=$!
  sleep 1
  read -r _ busy_p50 busy_p99 _ _ < <(COOKIE="$cookie" load -t1 -c1 -d"${duration}s" -s bench/lib/paced.lua "$url")
  wait "$logins"
  echo "$idle_p50 $idle_p99 $busy_p50 $busy_p99"
}

# P4 on the portal running now: 64 connections posting replies to a new thread in
# $ring for $duration s (after a login, as $member). Prints load's line.
posts() {
  cookie=$(log_in "$member")
  local thread
  thread=$(call forum/create "ring_id=$ring" "title=Belastningsprov" "body=Tråden för svaren." need_id=)
  THREAD="$thread" COOKIE="$cookie" load -t1 -c64 -d"${duration}s" -s bench/lib/post.lua "$base/api/forum/reply"
}
