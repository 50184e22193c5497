'use strict';

// Turns a copy of package.json into the manifest the npm package is published with:
// - an optional dependency on each platform package in npm/, at the package's version (what
//   `napi prepublish` also adds), so that npm installs the one whose os, cpu and libc match;
// - no scripts: they build and test a clone, and the published package has neither the sources
//   nor the tests (npm never runs `prepare` for it, yet it would list it as an install script).
// Usage: node scripts/npm-publish-manifest.js path/to/package.json

const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/npm-publish-manifest.js path/to/package.json');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(file, 'utf8'));
const npmDir = path.join(__dirname, '..', 'npm');
const optional = {};
for (const dir of readdirSync(npmDir).sort()) {
  const platform = JSON.parse(readFileSync(path.join(npmDir, dir, 'package.json'), 'utf8'));
  optional[platform.name] = manifest.version;
}
manifest.optionalDependencies = optional;
delete manifest.scripts;
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
