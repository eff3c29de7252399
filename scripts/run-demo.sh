#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, fills a SQLite file
# with demo data (data/broar.sqlite) and serves the portal at http://127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
scripts/build-site.sh debug
target/debug/broar seed-demo
exec target/debug/broar serve
