#!/usr/bin/env bash
# Installs what Broar needs and this machine lacks. Idempotent: a second run
# installs nothing. Usage: scripts/install.sh [--for-tests | --for-bench]
#   always:       the wasm target and wasm-bindgen-cli (the version in Cargo.lock)
#   --for-tests:  Debian's Chromium and Java (for the HTML checker), the npm packages
#                 of end2end/, aiosmtpd in .venv, and PostgreSQL running
#   --for-bench:  what --for-tests installs, and wrk, brotli, taskset and valgrind (Debian) and
#                 wasm-opt (npm's binaryen in .tools/: Debian's breaks hydration)
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=false
for_bench=false
case "${1:-}" in
  --for-tests) for_tests=true ;;
  --for-bench) for_tests=true for_bench=true ;;
  "") ;;
  *) echo "usage: $0 [--for-tests | --for-bench]" >&2; exit 2 ;;
esac

sudo_if_needed() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> Installing Debian packages: ${missing[*]}"
  if [ "$apt_updated" = false ]; then
    sudo_if_needed apt-get update -qq
    apt_updated=true
  fi
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Rust: the toolchain file asks for the wasm target; make sure it is there.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "==> Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  echo "==> Installing wasm-bindgen-cli $wb_version (a few minutes, once)"
  # Without --locked: one of its locked dependency versions is gone from the registry.
  # A debug build: it compiles in about half the time of a release build, and it still
  # turns the bundle into JavaScript bindings in a second or two.
  cargo install wasm-bindgen-cli --version "$wb_version" --debug --quiet
fi

if [ "$for_tests" = true ]; then
  # brotli: build-site's precompressed copies of the bundle, which the tests fetch.
  apt_install chromium ca-certificates brotli
  # The Nu HTML checker (end2end's vnu-jar) runs on Java.
  command -v java >/dev/null || apt_install default-jre-headless
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    echo "==> Installing the browser-test packages (npm ci)"
    # Playwright must use Debian's Chromium; it never downloads a browser of its own.
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
  # A real SMTP server for the e-mail tests: Python's aiosmtpd in a virtualenv.
  if ! .venv/bin/python -c "import aiosmtpd" 2>/dev/null; then
    echo "==> Installing aiosmtpd (the SMTP server the e-mail tests send to)"
    python3 -m venv .venv 2>/dev/null || { apt_install python3-venv; python3 -m venv .venv; }
    .venv/bin/pip install --quiet --disable-pip-version-check "aiosmtpd==1.4.6"
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if [ -d /etc/postgresql ]; then
      echo "==> Starting PostgreSQL"
      sudo_if_needed pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    else
      apt_install postgresql
      sudo_if_needed pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
if [ "$for_bench" = true ]; then
  apt_install wrk brotli util-linux valgrind
  if [ "$(.tools/node_modules/.bin/wasm-opt --version 2>/dev/null | awk '{print $3}')" != 132 ]; then
    echo "==> Installing wasm-opt (npm's binaryen 132) into .tools/"
    npm install --prefix .tools --no-audit --no-fund --loglevel=error binaryen@132
  fi
fi
echo "==> Everything Broar needs is installed."
