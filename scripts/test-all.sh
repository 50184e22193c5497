#!/usr/bin/env bash
# Every test in the repository, from a fresh clone: Rust (fmt, clippy, tests), the Node package
# (npm install builds the addon), the Python package (pip install . into .venv) and the examples.
# The benchmarks are not part of it (`make bench`; `BENCH_QUICK=1 bash bench/run.sh` is a smoke
# run); only the unit tests of the bench's own code are. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==== %s ====\n' "$*"; }

step "tools"
bash scripts/bootstrap.sh

step "rust: format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rust: tests"
cargo test --workspace --locked

step "node: install (builds the addon from source) and test"
npm ci --no-audit --no-fund
npm test

step "python: install into .venv and test"
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/python -m pip install --quiet --upgrade pip
# Build for the host triple explicitly, as napi does for the addon, so the wheel's release build
# reuses the compiled core and aws-lc instead of compiling them a second time.
CARGO_BUILD_TARGET="$(rustc -vV | sed -n 's/^host: //p')" \
  .venv/bin/python -m pip install --quiet '.[test]'
.venv/bin/python -m pytest

step "bench: the orchestrator's and the report's own logic (no benchmark is run)"
.venv/bin/python -m unittest discover -s bench/tests

step "all tests passed"
