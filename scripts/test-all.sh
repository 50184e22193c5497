#!/usr/bin/env bash
# Every test in the repository, from a fresh clone: Rust (fmt, clippy, tests), the Node package
# (npm install builds the addon), the Python package (pip install . into .venv) and the examples,
# then the release artifacts (`make package`) installed where no Rust toolchain exists.
# The benchmarks are not part of it (`make bench`; `BENCH_QUICK=1 bash bench/run.sh` is a smoke
# run); only the unit tests of the bench's own code are. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
step() { printf '\n==== %s (at %ss) ====\n' "$*" "$((SECONDS - started))"; }

step "tools"
bash scripts/bootstrap.sh

step "rust: format and lints"
cargo fmt --all --check
# With the test hooks (feature `testing`) and without: both builds must be lint-free.
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rust: tests"
cargo test --workspace --all-features --locked

# From here on every release build targets glibc 2.17 (on Linux x86_64) and shares one target
# directory: the addon and the wheel tested below are built as the published ones are, and
# `make package` and the install proof reuse their compiled dependencies.
# shellcheck source=scripts/old-glibc-env.sh
. scripts/old-glibc-env.sh

step "node: install (builds the addon from source, with the test hooks) and test"
npm ci --no-audit --no-fund
npm test

step "python: install into .venv and test"
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/python -m pip install --quiet --upgrade pip
# The tools of the tests and of packaging (dependency groups, not extras of the package).
.venv/bin/python -m pip install --quiet --group test --group package
# The extension with the test hooks. CARGO_BUILD_TARGET names the host triple as napi does for
# the addon, so the wheel's release build reuses the compiled core and aws-lc.
CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}" \
  MATURIN_PEP517_ARGS="--features testing" .venv/bin/python -m pip install --quiet .
.venv/bin/python -m pytest

step "bench: the orchestrator's and the report's own logic (no benchmark is run)"
.venv/bin/python -m unittest discover -s bench/tests

step "release workflows: actionlint"
.venv/bin/actionlint .github/workflows/*.yml

step "package: make package, then install the artifacts where no Rust exists"
bash scripts/package.sh
bash scripts/install-proof.sh

step "all tests passed"
