#!/usr/bin/env bash
# `make package`: the artifacts a release publishes, built here the way the release workflows
# build them, into dist/:
#   qlik-jwt-<version>.tgz                 the npm package (JavaScript only, no binary)
#   qlik-jwt-<platform>-<version>.tgz      this machine's prebuilt addon as its npm package
#   qlik_jwt-<version>-cp310-abi3-<platform tag>.whl
#   qlik_jwt-<version>.tar.gz              the Python sdist
#   qlik-jwt-<version>.crate               the Rust crate (`cargo package` builds it to verify)
# No test hook is in any of them. On Linux x86_64 the addon and the wheel are built against
# glibc 2.17 (scripts/old-glibc-env.sh). Needs cargo, npm (after `npm ci`) and a Python with the
# `package` dependency group (PACKAGE_PYTHON, default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PACKAGE_PYTHON:-.venv/bin/python}
version=$(node -p "require('./package.json').version")
started=$SECONDS
elapsed() { printf 'package: %-44s %4ss\n' "$1" "$((SECONDS - started))"; }

rm -rf dist
mkdir -p dist

# shellcheck source=scripts/old-glibc-env.sh
. scripts/old-glibc-env.sh

# The crate, with the machine's own toolchain and flags: its verification build is a debug
# build and reuses what `cargo test` compiled.
# shellcheck disable=SC2086 # one word per variable name
env $(printf -- '-u %s ' $OLD_GLIBC_VARS) cargo package -p qlik-jwt --locked
cp "target/package/qlik-jwt-$version.crate" dist/
elapsed "crate"

target=${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
key=$(node -p "require('./bindings-node/lib/platform').platformKey()")

# The platform package: the addon built without test hooks, named as napi names it.
rm -rf artifacts
npm run --silent build:platform -- --target "$target" -- --locked
cp "artifacts/qlik-jwt.$key.node" "npm/$key/"
cp LICENSE "npm/$key/LICENSE"
npm pack --silent "./npm/$key" --pack-destination dist >/dev/null
elapsed "npm: qlik-jwt-$key"

# The main package: what `files` selects, with the manifest it is published with (an optional
# dependency on each platform package at this version, no scripts).
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
npm pack --silent --ignore-scripts --pack-destination "$stage" >/dev/null
tar -xzf "$stage/qlik-jwt-$version.tgz" -C "$stage"
node scripts/npm-publish-manifest.js "$stage/package/package.json"
(cd "$stage/package" && npm pack --silent --ignore-scripts --pack-destination "$OLDPWD/dist" >/dev/null)
elapsed "npm: qlik-jwt"

# The wheel (abi3, one for every CPython >= 3.10) and the sdist.
compatibility=()
if [ "$key" = linux-x64-gnu ]; then compatibility=(--compatibility manylinux2014); fi
"$python" -m maturin build --release --locked --target "$target" "${compatibility[@]}" --out dist
elapsed "wheel"
"$python" -m maturin sdist --out dist
elapsed "sdist"

ls -l dist
