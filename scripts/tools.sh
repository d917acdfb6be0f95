#!/usr/bin/env bash
# Installs what building Yishi needs and is missing; sourced by ./run and ./test.
# Each step is skipped when the tool is already there in the right version.

step() { printf '\n==> %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

ensure_build_tools() {
  if ! command -v cargo >/dev/null; then
    echo "Rust is not installed: install it from https://rustup.rs and run this again." >&2
    exit 1
  fi
  if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    step "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q '0\.21\.14'; then
    step "installing trunk 0.21.14 (a few minutes, once)"
    cargo install trunk --version 0.21.14 --locked
  fi
  local wbg
  wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    step "installing wasm-bindgen-cli $wbg (a few minutes, once)"
    # --locked can fail when the registry mirror lags; the version pin is what matters.
    cargo install wasm-bindgen-cli --version "$wbg" || cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
  if ! command -v npm >/dev/null; then
    step "installing Node.js and npm"
    apt-get update -qq && apt-get install -y -qq nodejs npm
  fi
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "installing npm tools (binaryen's wasm-opt 132, playwright-core, axe-core)"
    npm ci --no-audit --no-fund
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null; then
    step "installing Chromium for the browser tests"
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver
  fi
}

build_app() {
  step "building the app (WebAssembly, release)"
  trunk build --release
  # The readers (src/reader.rs): what a visitor's first visit to a public thread loads, one
  # per kind of thread. Their page is the app's, built with a reader feature (and without the
  # files the app's build already copied); after the app, whose build empties dist/.
  # Their stylesheet is the app's without comments and spare whitespace.
  node scripts/minify-css.mjs style/main.css target/reader-style/main.css || return 1
  local kind
  for kind in consultations reading; do
    step "building the $kind reader (the app's entry for public threads)"
    sed -e "s|data-type=\"main\"|data-type=\"main\" data-cargo-features=\"reader-$kind\"|" \
      -e 's|href="style/main.css"|href="target/reader-style/main.css"|' \
      -e '/rel="copy-file"/d' index.html >reader.html
    grep -q "data-cargo-features=\"reader-$kind\"" reader.html &&
      grep -q 'href="target/reader-style/main.css"' reader.html ||
      { echo "index.html's rust or css link changed: the reader cannot be derived from it" >&2; return 1; }
    trunk build --release --dist "dist/reader/$kind" --public-url "/reader/$kind/" reader.html || return 1
  done
}

# schemathesis fuzzes the API from its OpenAPI document (tests/fuzz/run).
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  if ! python3 -c "import schemathesis, sys; sys.exit(schemathesis.__version__ != '$SCHEMATHESIS_VERSION')" 2>/dev/null; then
    step "installing schemathesis $SCHEMATHESIS_VERSION (PyPI)"
    python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

# cargo deny checks licences, banned/duplicate crates and sources offline (./test).
CARGO_DENY_VERSION=0.20.2
ensure_cargo_deny() {
  if ! cargo deny --version 2>/dev/null | grep -q " $CARGO_DENY_VERSION\$"; then
    step "installing cargo-deny $CARGO_DENY_VERSION (a few minutes, once)"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked ||
      cargo install cargo-deny --version "$CARGO_DENY_VERSION"
  fi
}
