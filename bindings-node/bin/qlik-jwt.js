#!/usr/bin/env node
'use strict';

// `npx qlik-jwt`: the core's command (the same as `cargo install qlik-jwt` and the wheel's
// console script). It writes straight to stdout and stderr; `qlik-jwt tenant` runs until
// Ctrl-C, which ends the process as it would the Rust binary.

const native = require('../lib/native');

process.exitCode = native.runCli(['qlik-jwt', ...process.argv.slice(2)]);
