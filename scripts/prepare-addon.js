'use strict';

// npm's `prepare` hook. It runs on `npm install` / `npm ci` in a clone, where it builds the addon
// from the Rust sources (`npm run build`), and never when a user installs the published package:
// that one ships no binary and no sources, and its addon comes from the platform package. npm
// also runs `prepare` on `npm pack` and `npm publish`, which pack what is already built, and on
// `npx qlik-jwt` in a clone (npm links the clone into npx's cache), which runs what is built.

const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const command = process.env.npm_command;

if (command === 'pack' || command === 'publish' || command === 'exec') {
  process.exit(0);
}
if (!existsSync(path.join(root, 'bindings-node', 'Cargo.toml'))) {
  console.log('qlik-jwt: no Rust sources here, so no addon to build');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'build'], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
