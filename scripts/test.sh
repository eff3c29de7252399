#!/usr/bin/env bash
# The README's test command (and CI's): formatting, clippy for the server and the
# browser builds separately, unit and integration tests on SQLite and PostgreSQL,
# the Debian package installed and started in a directory tree, then the browser
# journeys in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
# Each phase says how long the run has taken so far (figures for the issue notes).
phase() { echo "==> [$(( $(date +%s) - started )) s] $*"; }

scripts/install.sh --for-tests
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

phase "rustfmt"
cargo fmt --all --check

phase "clippy: server build (ssr)"
cargo clippy -p server -p migrations --all-targets -- -D warnings
cargo clippy -p app --features ssr --all-targets -- -D warnings
phase "clippy: browser build (hydrate)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

phase "Building the site"
scripts/build-site.sh debug

phase "Unit and integration tests (SQLite, and PostgreSQL at ${TEST_DATABASE_URL%%@*}@…)"
cargo test -p app -p server -p migrations

phase "The Debian package: install, start, /healthz, remove, purge (dpkg --root)"
scripts/test-package.sh

phase "Browser journeys"
(cd end2end && npx playwright test)

echo "==> All tests passed in $(( $(date +%s) - started )) s."
