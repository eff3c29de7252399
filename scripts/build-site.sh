#!/usr/bin/env bash
# Builds Broar with plain cargo: the browser half (wasm + js), the stylesheet and
# public files into target/site, then the server binary target/<profile>/broar.
# Usage: scripts/build-site.sh [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-debug}
site=target/site
pkg=$site/pkg

case "$profile" in
  debug)
    wasm_flags=()
    wasm=target/wasm32-unknown-unknown/debug/frontend.wasm
    server_flags=()
    ;;
  release)
    wasm_flags=(--profile wasm-release)
    wasm=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
    server_flags=(--release)
    ;;
  *) echo "usage: $0 [debug|release]" >&2; exit 2 ;;
esac

echo "==> Building the browser half ($profile)"
cargo build -p frontend --lib --target wasm32-unknown-unknown "${wasm_flags[@]}"

echo "==> Generating JavaScript bindings"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --no-typescript --out-name broar --out-dir "$tmp" "$wasm"
# npm's binaryen in .tools/ (install.sh --for-bench puts it there) before any other:
# Debian's wasm-opt breaks hydration. Without one, the bundle is only larger.
PATH="$PWD/.tools/node_modules/.bin:$PATH"
if [ "$profile" = release ] && command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    -o "$tmp/broar_bg.opt.wasm" "$tmp/broar_bg.wasm"
  mv "$tmp/broar_bg.opt.wasm" "$tmp/broar_bg.wasm"
fi
# Swap the folder in at the end, so a failed build never leaves a half-empty pkg/.
mkdir -p "$site"
rm -rf "$pkg.new" && mkdir -p "$pkg.new"
cp style/main.css "$tmp/broar.css"
mv "$tmp/broar_bg.wasm" "$tmp/broar.wasm"
# Each file's name carries a hash of its content (broar.<16 hex>.wasm), listed in
# hashes.txt for the server (app::assets): the browser may keep a file for a year
# without asking, and a new build is a new name.
for kind in js wasm css; do
  hash=$(sha256sum "$tmp/broar.$kind" | cut -c1-16)
  mv "$tmp/broar.$kind" "$pkg.new/broar.$hash.$kind"
  echo "$kind: $hash" >> "$pkg.new/hashes.txt"
done
# Precompressed copies: the static file service sends broar.<hash>.wasm.gz to a
# browser that accepts gzip (ServeDir looks for them), so the phone downloads a
# third of the bytes without the server compressing on every request.
gzip -9 -k -f "$pkg.new"/broar.*.js "$pkg.new"/broar.*.wasm "$pkg.new"/broar.*.css
# And brotli copies, a fifth smaller again, for the browsers that accept br (all
# current ones): the release build at the highest quality, the debug build quickly.
if command -v brotli >/dev/null; then
  quality=5
  [ "$profile" = release ] && quality=11
  brotli -q "$quality" -k -f "$pkg.new"/broar.*.js "$pkg.new"/broar.*.wasm "$pkg.new"/broar.*.css
fi
rm -rf "$pkg" && mv "$pkg.new" "$pkg"
cp -r public/. "$site/"

echo "==> Building the server ($profile)"
cargo build -p server --bin broar "${server_flags[@]}"
echo "==> Built: target/$profile/broar with the site in $site"
