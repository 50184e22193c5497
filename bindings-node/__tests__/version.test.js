'use strict';
// One version and one licence for every artifact: the Cargo workspace (the crate, and the
// wheel's version and Python's __version__ through it), the npm package and each platform
// package, and the changelog's newest entry.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const read = (...parts) => fs.readFileSync(path.join(root, ...parts), 'utf8');

function workspaceVersion() {
  const section = read('Cargo.toml').split(/^\[/m).find((part) => part.startsWith('workspace.package]'));
  const match = section && section.match(/^version = "([^"]+)"$/m);
  assert.ok(match, 'Cargo.toml: [workspace.package] version');
  return match[1];
}

test('package.json, every platform package and the Cargo workspace carry one version', () => {
  const version = workspaceVersion();
  assert.match(version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  assert.equal(JSON.parse(read('package.json')).version, version);
  for (const dir of fs.readdirSync(path.join(root, 'npm'))) {
    assert.equal(JSON.parse(read('npm', dir, 'package.json')).version, version, `npm/${dir}`);
  }
  for (const crate of ['core', 'bindings-node', 'bindings-python']) {
    assert.match(read(crate, 'Cargo.toml'), /^version\.workspace = true$/m, crate);
  }
  assert.match(read('pyproject.toml'), /^dynamic = \["version"\]$/m, 'the wheel takes the crate version');
});

test('the changelog’s newest entry is this version', () => {
  const first = read('CHANGELOG.md').match(/^## \[([^\]]+)\]/m);
  assert.ok(first, 'CHANGELOG.md has a "## [version]" entry');
  assert.equal(first[1], workspaceVersion());
});

test('one MIT licence: the root LICENSE, the crate’s copy, and every manifest says MIT', () => {
  const licence = read('LICENSE');
  assert.match(licence, /^MIT License$/m);
  assert.equal(read('core', 'LICENSE'), licence, 'core/LICENSE is a copy of LICENSE');
  assert.match(read('Cargo.toml'), /^license = "MIT"$/m);
  assert.match(read('pyproject.toml'), /^license = "MIT"$/m);
  assert.match(read('pyproject.toml'), /^license-files = \["LICENSE"\]$/m);
  assert.equal(JSON.parse(read('package.json')).license, 'MIT');
  for (const dir of fs.readdirSync(path.join(root, 'npm'))) {
    assert.equal(JSON.parse(read('npm', dir, 'package.json')).license, 'MIT', `npm/${dir}`);
  }
});

test('every manifest names the repository, a homepage and keywords', () => {
  const repository = 'https://github.com/qlik-jwt/qlik-jwt';
  const npmManifests = [['package.json'], ...fs.readdirSync(path.join(root, 'npm')).map((d) => ['npm', d, 'package.json'])];
  for (const parts of npmManifests) {
    const manifest = JSON.parse(read(...parts));
    assert.equal(manifest.repository.url, `git+${repository}.git`, parts.join('/'));
    assert.ok(manifest.homepage.startsWith(repository), parts.join('/'));
    assert.ok(manifest.keywords.length > 0, parts.join('/'));
  }
  const cargo = read('Cargo.toml');
  assert.ok(cargo.includes(`repository = "${repository}"`));
  assert.ok(cargo.includes(`homepage = "${repository}"`));
  assert.match(cargo, /^keywords = \[/m);
  for (const crate of ['core', 'bindings-node', 'bindings-python']) {
    const manifest = read(crate, 'Cargo.toml');
    for (const field of ['repository', 'homepage', 'keywords']) {
      assert.match(manifest, new RegExp(`^${field}\\.workspace = true$`, 'm'), `${crate}: ${field}`);
    }
  }
  const pyproject = read('pyproject.toml');
  assert.ok(pyproject.includes(`Repository = "${repository}"`));
  assert.ok(pyproject.includes(`Homepage = "${repository}"`));
  assert.match(pyproject, /^keywords = \[/m);
});
