#!/usr/bin/env bash
# Makes sure the tools the build needs are on this machine, installing what is missing from
# Debian's packages. Cargo is the one tool this script cannot install in a usable version
# (Debian's rustc is older than edition 2024): it must come with the machine.
set -euo pipefail

need_apt=()

have() { command -v "$1" >/dev/null 2>&1; }

if ! have cargo; then
  echo "bootstrap: cargo (Rust >= 1.88) is required and is not on PATH; install it with rustup" >&2
  exit 1
fi

node_major=0
if have node; then node_major=$(node -p 'process.versions.node.split(".")[0]'); fi
if [ "$node_major" -lt 20 ]; then need_apt+=(nodejs); fi
have npm || need_apt+=(npm)

if ! have python3 || ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  need_apt+=(python3)
fi
if have python3 && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  need_apt+=(python3-venv)
fi
have openssl || need_apt+=(openssl)
have cc || need_apt+=(gcc)
# Packaging: objdump reads the glibc symbol versions, xz unpacks the old-glibc sysroot.
have objdump || need_apt+=(binutils)
have xz || need_apt+=(xz-utils)

if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "bootstrap: installing ${need_apt[*]} with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
