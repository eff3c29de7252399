#!/usr/bin/env bash
# Builds Broar's Debian package with cargo-deb: the binary, the built site, the systemd
# unit broar.service and its settings /etc/broar/broar.env; data in /var/lib/broar.
# Usage: scripts/package.sh [release|debug]
#   release (default): the optimised build a municipality installs
#   debug:             packages the debug build the test command made (the install
#                      test, scripts/test-package.sh), without building anything
# Prints the path of the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-release}
case "$profile" in
  release) cargo_profile=release ;;
  debug) cargo_profile=dev ;;
  *) echo "usage: $0 [release|debug]" >&2; exit 2 ;;
esac

deb_version=3.8.0
if [ "$(cargo deb --version 2>/dev/null | awk '{print $NF}')" != "$deb_version" ]; then
  echo "==> Installing cargo-deb $deb_version (a few minutes, once)" >&2
  cargo install cargo-deb --locked --version "$deb_version" --quiet
fi

if [ "$profile" = release ]; then
  scripts/build-site.sh release >&2
fi
test -x "target/$profile/broar" -a -f target/site/pkg/hashes.txt || {
  echo "target/$profile/broar or target/site is missing: run scripts/build-site.sh $profile" >&2
  exit 1
}
mkdir -p target/debian
# --fast: quicker compression; the debug build's symbols are stripped either way.
cargo deb -p server --no-build --profile "$cargo_profile" --fast --output target/debian/ >&2
ls -t target/debian/broar_*.deb | head -n1
