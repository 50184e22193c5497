'use strict';

// The addon that `npm install` builds from source (`npm run build`).
const path = require('node:path');

const addonPath = path.join(__dirname, '..', 'qlik-jwt.node');

try {
  module.exports = require(addonPath);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND') {
    error.message =
      `qlik-jwt: the native addon ${addonPath} is missing. It is built from source by ` +
      '`npm install` (needs a Rust toolchain); run `npm run build` in the package to build it.';
  }
  throw error;
}
