'use strict';
// Where the addon comes from: the platform key (with glibc vs musl), the order local build →
// platform package, and the error that names both when neither is there. Also that the platform
// packages in npm/ are exactly package.json's napi.targets, each limited to its os, cpu and libc.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { linuxLibc, packageName, platformKey } = require('../lib/platform');
const { loadAddon } = require('../lib/load-addon');

const root = path.join(__dirname, '..', '..');
const rootManifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function missing(request) {
  const error = new Error(`Cannot find module '${request}'`);
  error.code = 'MODULE_NOT_FOUND';
  return error;
}

test('platform keys follow napi-rs names, with the C library on Linux and the ABI on Windows', () => {
  assert.equal(platformKey({ platform: 'linux', arch: 'x64', libc: 'gnu' }), 'linux-x64-gnu');
  assert.equal(platformKey({ platform: 'linux', arch: 'arm64', libc: 'musl' }), 'linux-arm64-musl');
  assert.equal(platformKey({ platform: 'darwin', arch: 'arm64' }), 'darwin-arm64');
  assert.equal(platformKey({ platform: 'win32', arch: 'x64' }), 'win32-x64-msvc');
  assert.equal(packageName('darwin-x64'), 'qlik-jwt-darwin-x64');
});

test('musl is told from glibc by ldd, and by Node’s report when ldd says neither', () => {
  const glibcLdd = '#! /bin/bash\n# This file is part of the GNU C Library.\n';
  const muslLdd = '#!/bin/sh\nexec /lib/ld-musl-x86_64.so.1 --list -- "$@"\n';
  const never = () => assert.fail('the report is not needed when ldd answers');
  assert.equal(linuxLibc({ readLdd: () => glibcLdd, report: never }), 'gnu');
  assert.equal(linuxLibc({ readLdd: () => muslLdd, report: never }), 'musl');
  const noLdd = () => undefined;
  assert.equal(linuxLibc({ readLdd: noLdd, report: () => ({ glibcVersionRuntime: '2.36' }) }), 'gnu');
  assert.equal(linuxLibc({ readLdd: noLdd, report: () => ({}) }), 'musl');
});

test('this process gets its real platform key', { skip: process.platform !== 'linux' }, () => {
  const key = platformKey();
  const glibc = process.report.getReport().header.glibcVersionRuntime;
  assert.equal(key, `linux-${process.arch}-${glibc ? 'gnu' : 'musl'}`);
});

test('a local build is loaded first, then the platform package', () => {
  const local = { from: 'local' };
  const prebuilt = { from: 'package' };
  const tried = [];
  const both = (request) => {
    tried.push(request);
    return request === '/clone/qlik-jwt.node' ? local : prebuilt;
  };
  assert.equal(loadAddon({ localBuild: '/clone/qlik-jwt.node', key: 'linux-x64-gnu', load: both }), local);
  assert.deepEqual(tried, ['/clone/qlik-jwt.node']);

  const onlyPackage = (request) => {
    if (request === '/clone/qlik-jwt.node') throw missing(request);
    assert.equal(request, 'qlik-jwt-linux-x64-gnu');
    return prebuilt;
  };
  assert.equal(loadAddon({ localBuild: '/clone/qlik-jwt.node', key: 'linux-x64-gnu', load: onlyPackage }), prebuilt);
});

test('with neither, the error names the platform, the package and the build from a clone', () => {
  const none = (request) => {
    throw missing(request);
  };
  assert.throws(
    () => loadAddon({ localBuild: '/clone/bindings-node/qlik-jwt.node', key: 'linux-arm64-musl', load: none }),
    (error) => {
      assert.equal(error.code, 'ERR_QLIK_JWT_NO_ADDON');
      assert.match(error.message, /this platform \(linux-arm64-musl\)/);
      assert.match(error.message, /npm package qlik-jwt-linux-arm64-musl/);
      assert.match(error.message, /git clone https:\/\/github\.com\/qlik-jwt\/qlik-jwt/);
      assert.match(error.message, /npm\s+install/);
      return true;
    },
  );
});

test('an addon that exists but cannot load reports its own error', () => {
  const broken = new Error("/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.99' not found");
  broken.code = 'ERR_DLOPEN_FAILED';
  const load = (request) => {
    if (request === '/clone/qlik-jwt.node') throw missing(request);
    throw broken;
  };
  assert.throws(() => loadAddon({ localBuild: '/clone/qlik-jwt.node', key: 'linux-x64-gnu', load }), broken);
});

test('a missing module inside the platform package is not mistaken for a missing package', () => {
  const inner = missing('some-dependency-of-the-addon');
  const load = (request) => {
    if (request === '/clone/qlik-jwt.node') throw missing(request);
    throw inner;
  };
  assert.throws(() => loadAddon({ localBuild: '/clone/qlik-jwt.node', key: 'linux-x64-gnu', load }), inner);
});

test('npm/ holds one package per napi target, limited to its os, cpu and libc', () => {
  const expected = {
    'x86_64-unknown-linux-gnu': ['linux-x64-gnu', 'linux', 'x64', 'glibc'],
    'aarch64-unknown-linux-gnu': ['linux-arm64-gnu', 'linux', 'arm64', 'glibc'],
    'x86_64-unknown-linux-musl': ['linux-x64-musl', 'linux', 'x64', 'musl'],
    'aarch64-unknown-linux-musl': ['linux-arm64-musl', 'linux', 'arm64', 'musl'],
    'x86_64-apple-darwin': ['darwin-x64', 'darwin', 'x64', undefined],
    'aarch64-apple-darwin': ['darwin-arm64', 'darwin', 'arm64', undefined],
    'x86_64-pc-windows-msvc': ['win32-x64-msvc', 'win32', 'x64', undefined],
  };
  assert.deepEqual([...rootManifest.napi.targets].sort(), Object.keys(expected).sort());
  const dirs = fs.readdirSync(path.join(root, 'npm')).sort();
  assert.deepEqual(dirs, Object.values(expected).map(([key]) => key).sort());
  for (const [key, os, cpu, libc] of Object.values(expected)) {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'npm', key, 'package.json'), 'utf8'));
    assert.equal(manifest.name, packageName(key));
    assert.equal(manifest.main, `${rootManifest.napi.binaryName}.${key}.node`);
    assert.deepEqual(manifest.files, [manifest.main]);
    assert.deepEqual(manifest.os, [os]);
    assert.deepEqual(manifest.cpu, [cpu]);
    assert.deepEqual(manifest.libc, libc && [libc]);
    assert.equal(platformKey({ platform: os, arch: cpu, libc: libc === 'glibc' ? 'gnu' : libc }), key);
  }
});

test('the main package ships no binary and runs nothing on install', () => {
  assert.ok(!rootManifest.files.some((entry) => entry.endsWith('.node')), rootManifest.files);
  for (const hook of ['preinstall', 'install', 'postinstall']) {
    assert.equal(rootManifest.scripts[hook], undefined, hook);
  }
  assert.equal(rootManifest.dependencies, undefined);
});
