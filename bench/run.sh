#!/usr/bin/env bash
# One command for the whole benchmark: prepares the peers, the Python venv, our Python package
# and the Rust limit binary, then runs every case in interleaved rounds and writes
# bench/RESULTS.md, bench/results.png and bench/results.json. Settings: see bench/README.md.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$BENCH")"
TMP="$BENCH/.tmp"
mkdir -p "$TMP"
say() { echo "[bench] $*" >&2; }

# Node peers, from the committed lock file.
if [ ! -d "$BENCH/node/node_modules" ] || [ "$BENCH/node/package-lock.json" -nt "$BENCH/node/node_modules" ]; then
  say "installing the Node peers"
  (cd "$BENCH/node" && npm ci --no-audit --no-fund >&2)
fi

# Our Node addon is built by the repository's own `npm install`; build it only when asked.
if ! ls "$REPO"/bindings-node/*.node >/dev/null 2>&1; then
  if [ "${BENCH_BUILD_NODE:-0}" = "1" ]; then
    say "building the Node addon (npm install at the repository root)"
    (cd "$REPO" && npm install --no-audit --no-fund >&2)
  else
    say "no bindings-node/*.node: the qlik-jwt Node cases are skipped (BENCH_BUILD_NODE=1 builds it)"
  fi
fi

# A snapshot of the built Node package: a rebuild in the work tree during the run changes nothing.
if ls "$REPO"/bindings-node/*.node >/dev/null 2>&1; then
  SNAP="$TMP/node-pkg"
  rm -rf "$SNAP" && mkdir -p "$SNAP/bindings-node"
  cp "$REPO/package.json" "$SNAP/"
  cp -r "$REPO"/bindings-node/*.js "$REPO"/bindings-node/lib "$REPO"/bindings-node/*.node "$SNAP/bindings-node/"
  export BENCH_QLIK_NODE="$SNAP"
fi

# Python peers and matplotlib in a venv of the bench's own.
VENV="$BENCH/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  python3 -m venv "$VENV"
fi
if [ ! -f "$VENV/.requirements-done" ] || [ "$BENCH/python/requirements.txt" -nt "$VENV/.requirements-done" ]; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$BENCH/python/requirements.txt" >&2
  touch "$VENV/.requirements-done"
fi

# Our Python package: a wheel built from this checkout (its size is reported), installed into
# the venv. Rebuilt when the Rust or binding sources are newer than the wheel.
WHEELS="$TMP/wheel"
# A QUICK smoke run builds nothing of ours by default: it uses what is already built.
DEFAULT_BUILD=1; [ "${BENCH_QUICK:-0}" = "1" ] && DEFAULT_BUILD=0
if [ "${BENCH_BUILD_PYTHON:-$DEFAULT_BUILD}" = "1" ] && { [ -f "$REPO/pyproject.toml" ] || [ -f "$REPO/bindings-python/pyproject.toml" ]; }; then
  PROJECT="$REPO"; [ -f "$REPO/pyproject.toml" ] || PROJECT="$REPO/bindings-python"
  wheel="$(ls -t "$WHEELS"/qlik_jwt*.whl 2>/dev/null | head -1 || true)"
  if [ -z "$wheel" ] || [ -n "$(find "$REPO/core" "$REPO/bindings-python" "$PROJECT/pyproject.toml" -newer "$wheel" -type f 2>/dev/null | head -1)" ]; then
    say "building the qlik_jwt wheel (release; takes minutes on 2 cores)"
    rm -rf "$WHEELS"
    if "$VENV/bin/pip" wheel --quiet --disable-pip-version-check --no-deps -w "$WHEELS" "$PROJECT" >&2; then
      wheel="$(ls -t "$WHEELS"/qlik_jwt*.whl | head -1)"
    else
      say "the wheel did not build: the qlik_jwt cases are skipped"; wheel=""
    fi
  fi
  if [ -n "$wheel" ]; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel" >&2
  fi
fi

# The Rust limit: its own workspace, built into the repository's target directory.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
if [ "${BENCH_BUILD_RUST:-$DEFAULT_BUILD}" = "1" ]; then
  say "building the Rust limit binary"
  cargo build --quiet --release --manifest-path "$BENCH/rust/Cargo.toml" >&2 || say "the Rust limit did not build: its rows are skipped"
fi
export BENCH_RUST_BIN="$CARGO_TARGET_DIR/release/qlik-jwt-bench-limit"

"$VENV/bin/python" "$BENCH/orchestrate.py"

# The install rows, from the packed artifacts of `make package` (skipped without them).
if ls "$REPO"/dist/qlik-jwt-*.tgz >/dev/null 2>&1 && [ "${BENCH_INSTALL:-1}" = "1" ]; then
  say "install rows: npm install of the packed tarballs against jsonwebtoken"
  python3 "$BENCH/install.py" >&2
else
  say "no dist/ (make package): the install rows are skipped"
fi
