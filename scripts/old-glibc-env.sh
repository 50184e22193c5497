# Sourced (not run). On a Linux x86_64 host, makes every release build for
# x86_64-unknown-linux-gnu compile and link against a glibc 2.17 sysroot, so that the addon and
# the wheel load on any distribution since 2014 (CentOS 7, Debian 8) whatever glibc the build
# machine has. The published Linux addon and wheel need exactly that.
#
# The sysroot is the one napi-rs's `--use-napi-cross` uses, from the npm package
# @napi-rs/cross-toolchain-x64-target-x86_64 (47 MiB, kept in ~/.cache/qlik-jwt). Its gcc 4.8
# cannot compile mimalloc 3 (which passes -Wno-error=date-time, unknown to it), so the machine's
# own gcc compiles and links, pointed at the sysroot; libgcc, the only other library involved,
# is linked statically or versioned per GCC release and found everywhere.
# scripts/install-proof.sh checks the result with objdump and auditwheel.
#
# napi's flag itself is not used: it sets the toolchain up for napi's build alone, it fetches
# the x86_64 toolchain at its own version (1.0.5, which that package never published), and on
# Node 20 its unpacker (@napi-rs/lzma) is skipped for its engines field. These variables reach
# every build instead: `npm ci`'s addon, the test wheel, `make package`, the sdist's wheel and
# `cargo install` of the crate share them, so aws-lc is compiled once for all of them.
# Elsewhere (macOS, Windows, arm64) nothing changes.
#
# OLD_GLIBC_VARS names what it exports, for commands that must run without it.

OLD_GLIBC_VARS="CARGO_BUILD_TARGET CFLAGS_x86_64_unknown_linux_gnu CXXFLAGS_x86_64_unknown_linux_gnu CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS"

old_glibc_env() {
  if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
    return 0
  fi
  local version=1.0.0
  local triple=x86_64-unknown-linux-gnu
  local home="${XDG_CACHE_HOME:-$HOME/.cache}/qlik-jwt/x86_64-glibc2.17"
  if [ "$(cat "$home/.qlik-jwt-version" 2>/dev/null)" != "$version" ]; then
    echo "old-glibc-env: fetching @napi-rs/cross-toolchain-x64-target-x86_64@$version" >&2
    local work
    work=$(mktemp -d)
    if ! (cd "$work" && npm pack --silent "@napi-rs/cross-toolchain-x64-target-x86_64@$version" >/dev/null); then
      rm -rf "$work"
      return 1
    fi
    tar -xzf "$work"/*.tgz -C "$work"
    rm -rf "$home.tmp" && mkdir -p "$home.tmp"
    tar -xJf "$work/package/$triple.tar.xz" -C "$home.tmp"
    echo "$version" >"$home.tmp/.qlik-jwt-version"
    rm -rf "$home" && mv "$home.tmp" "$home"
    rm -rf "$work"
  fi
  local sysroot="$home/$triple/sysroot"
  # cc reads CFLAGS_<target> for a target that is also the host.
  export CFLAGS_x86_64_unknown_linux_gnu="--sysroot=$sysroot"
  export CXXFLAGS_x86_64_unknown_linux_gnu="--sysroot=$sysroot"
  # gcc searches its own multiarch directory (the host's glibc) before the sysroot's: -L puts
  # the sysroot's libc, libpthread and libdl first, -B its crt files.
  local lib="$sysroot/usr/lib64"
  export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C link-arg=--sysroot=$sysroot -C link-arg=-B$lib -C link-arg=-L$lib -C link-arg=-L$sysroot/lib64"
  # Named, the target keeps these flags off build scripts, and every build (napi names it too)
  # shares target/x86_64-unknown-linux-gnu/release.
  export CARGO_BUILD_TARGET="$triple"
}

old_glibc_env
