'use strict';

// Finds the native addon. A clone's own build comes first (`npm install` there builds
// bindings-node/qlik-jwt.node from source), so a contributor always runs what they compiled;
// otherwise the prebuilt addon of the npm package for this platform, an optional dependency of
// qlik-jwt that npm installs only where its os, cpu and libc match.

const path = require('node:path');

const { packageName, platformKey } = require('./platform');

const REPOSITORY = 'https://github.com/qlik-jwt/qlik-jwt';

const LOCAL_BUILD = path.join(__dirname, '..', 'qlik-jwt.node');

/** True when `error` says that `request` itself is missing (not one of its own imports). */
function isMissing(error, request) {
  return (
    error !== null &&
    typeof error === 'object' &&
    error.code === 'MODULE_NOT_FOUND' &&
    typeof error.message === 'string' &&
    error.message.includes(request)
  );
}

/**
 * Loads the first candidate that exists. A candidate that exists but fails to load (a wrong
 * architecture, a too old glibc) throws its own error: a later candidate could only hide it.
 */
function loadAddon({ localBuild = LOCAL_BUILD, key = platformKey(), load = require } = {}) {
  const expected = packageName(key);
  for (const request of [localBuild, expected]) {
    try {
      return load(request);
    } catch (error) {
      if (!isMissing(error, request)) throw error;
    }
  }
  const error = new Error(
    `qlik-jwt: no native addon for this platform (${key}). The prebuilt addon comes in the ` +
      `npm package ${expected}, an optional dependency of qlik-jwt, and it is not installed: ` +
      'reinstall without --no-optional / --omit=optional, and check that npm did not skip it ' +
      `(\`npm ls ${expected}\`). If ${key} is not among the prebuilt platforms, build the addon ` +
      `from source with a Rust toolchain: \`git clone ${REPOSITORY} && cd qlik-jwt && npm ` +
      `install\` builds ${path.relative(path.join(__dirname, '..', '..'), localBuild)}, and ` +
      '`npm install /path/to/that/clone` then uses it.',
  );
  error.code = 'ERR_QLIK_JWT_NO_ADDON';
  throw error;
}

module.exports = { loadAddon };
