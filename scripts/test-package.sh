#!/usr/bin/env bash
# The install test (scripts/test-package.sh [debug|release]): builds the Debian package
# from the debug build the test command
# made, installs it with dpkg into a fresh directory tree (dpkg --root, maintainer
# scripts run chrootless with DPKG_ROOT), starts the packaged binary the way the
# packaged systemd unit does — its ExecStart, its EnvironmentFile, its working
# directory — with the settings' paths under that tree, checks /healthz, stops it,
# then removes and purges the package and checks nothing is left.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=$(scripts/package.sh "${1:-debug}" | tail -n1)
echo "==> Package: $deb ($(du -h "$deb" | cut -f1))"
root=$(mktemp -d /tmp/broar-root.XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT

mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg_root() {
  # --force-depends: the tree has no libc6 package recorded (the machine's is used).
  dpkg --root="$root" --force-script-chrootless --force-depends --force-not-root \
    --log="$root/dpkg.log" "$@"
}
dpkg_root -i "$deb"

unit=$( (find "$root/lib/systemd/system" "$root/usr/lib/systemd/system" -name broar.service 2>/dev/null || true) | head -n1)
wasm=$(sed -n 's/^wasm: //p' "$root/usr/share/broar/site/pkg/hashes.txt" 2>/dev/null || true)
for f in "$root/usr/bin/broar" "$root/etc/broar/broar.env" "$root/usr/share/broar/site/pkg/broar.$wasm.wasm" \
  "$root/usr/share/doc/broar/OPERATIONS.md" "$unit"; do
  test -e "$f" || { echo "missing after install: $f" >&2; exit 1; }
done
test -d "$root/var/lib/broar/mail" -a -d "$root/var/lib/broar/backups" || { echo "postinst made no data folders" >&2; exit 1; }
dpkg_root -s broar | grep -q '^Status: install ok installed'

exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
env_file=$(sed -n 's/^EnvironmentFile=//p' "$unit")
workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
metrics=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The packaged settings, with their paths under the tree and free ports.
sed -e "s#/var/lib/broar#$root/var/lib/broar#g" -e "s#/usr/share/broar#$root/usr/share/broar#g" \
  -e "s#^BROAR_BIND=.*#BROAR_BIND=127.0.0.1:$port#" -e "s#^BROAR_METRICS_BIND=.*#BROAR_METRICS_BIND=127.0.0.1:$metrics#" \
  "$root$env_file" > "$root/test.env"
(
  cd "$root$workdir"
  set -a
  # shellcheck disable=SC1091
  . "$root/test.env"
  set +a
  exec $root$exec_start
) > "$root/broar.log" 2>&1 &
pid=$!
health=""
for _ in $(seq 1 60); do
  health=$(python3 - "$port" <<'PY' 2>/dev/null || true
import json, sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2) as r:
    body = json.load(r)
    print(r.status, body["database"], body["outbox"]["moving"])
PY
)
  [ -n "$health" ] && break
  sleep 1
done
[ "$health" = "200 ok True" ] || { echo "/healthz answered: '$health'"; cat "$root/broar.log"; exit 1; }
echo "==> The packaged service answers /healthz: $health"
kill -TERM "$pid"
wait "$pid"
pid=""
test -f "$root/var/lib/broar/broar.sqlite" || { echo "no database in /var/lib/broar" >&2; exit 1; }

dpkg_root -r broar
test ! -e "$root/usr/bin/broar" || { echo "remove left the binary" >&2; exit 1; }
test -e "$root/var/lib/broar/broar.sqlite" || { echo "remove must keep the data" >&2; exit 1; }
dpkg_root --purge broar
test ! -e "$root/var/lib/broar" || { echo "purge left /var/lib/broar" >&2; exit 1; }
test ! -e "$root/etc/broar/broar.env" || { echo "purge left the settings" >&2; exit 1; }
echo "==> Installed, started, answered, removed and purged."
