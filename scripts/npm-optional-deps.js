'use strict';

// Adds to a package.json (the staged copy of the main npm package) an optional dependency on each
// platform package in npm/, at the main package's version: what `napi prepublish` does before a
// release publish. npm then installs the one whose os, cpu and libc match the machine.
// Usage: node scripts/npm-optional-deps.js path/to/package.json

const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/npm-optional-deps.js path/to/package.json');
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
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
