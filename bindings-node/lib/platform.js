'use strict';

// Which prebuilt addon fits this process: the platform key (`linux-x64-gnu`, `darwin-arm64`, …)
// and the npm package that carries it (`qlik-jwt-<key>`). The keys follow napi-rs's names, the
// ones in package.json's `napi.targets`.

const { readFileSync } = require('node:fs');

/** The npm package of a platform key. */
function packageName(key) {
  return `qlik-jwt-${key}`;
}

/**
 * `musl` or `gnu` for a Linux process. Node's own diagnostic report names the glibc it runs on
 * (`glibcVersionRuntime`), which a musl build never has; that is the authority. Reading
 * `/usr/bin/ldd` first is cheaper: on musl systems it is musl's loader script.
 */
function linuxLibc({ readLdd = defaultReadLdd, report = defaultReport } = {}) {
  const ldd = readLdd();
  if (ldd !== undefined) {
    if (ldd.includes('musl')) return 'musl';
    if (ldd.includes('GNU C Library') || ldd.includes('glibc')) return 'gnu';
  }
  const header = report();
  if (header && header.glibcVersionRuntime) return 'gnu';
  return 'musl';
}

function defaultReadLdd() {
  try {
    return readFileSync('/usr/bin/ldd', 'latin1');
  } catch {
    return undefined;
  }
}

function defaultReport() {
  if (!process.report || typeof process.report.getReport !== 'function') return undefined;
  // A report lists network interfaces unless told not to, which can take seconds offline.
  const before = process.report.excludeNetwork;
  process.report.excludeNetwork = true;
  try {
    return process.report.getReport().header;
  } finally {
    process.report.excludeNetwork = before;
  }
}

/**
 * The platform key of `platform`/`arch` (Node's names): Linux adds its C library, Windows its
 * ABI (`msvc`), as napi-rs names its targets.
 */
function platformKey({ platform = process.platform, arch = process.arch, libc } = {}) {
  if (platform === 'linux') return `linux-${arch}-${libc ?? linuxLibc()}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

module.exports = { linuxLibc, packageName, platformKey };
