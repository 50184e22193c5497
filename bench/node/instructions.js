'use strict';
// One HS256 `sign` case of the bench in a loop, for `bench/instructions.sh` to count its
// instructions under callgrind: `node instructions.js <qlik-jwt|jsonwebtoken|payload> <calls>`.
// `payload` makes only the payload, which every library is handed, so it can be taken out.

const { loadQlik, tutorialPayload } = require('./cases');
const { HS_SECRET, SESSION_OPTIONS } = require('./keys');

const [what, callsText] = process.argv.slice(2);
const calls = Number(callsText);
if (!Number.isInteger(calls) || calls < 1) {
  throw new Error(`calls must be a whole number above 0, not ${JSON.stringify(callsText)}`);
}
// The bench's HS256 case: signOptions() of its key, without reading the RSA/EC key files.
const options = { ...SESSION_OPTIONS, algorithm: 'HS256' };

function operation() {
  switch (what) {
    case 'qlik-jwt': {
      const q = loadQlik();
      if (q.error) throw new Error(`qlik-jwt: ${q.error}`);
      return () => q.mod.sign(tutorialPayload(), HS_SECRET, options);
    }
    case 'jsonwebtoken': {
      const jwt = require('jsonwebtoken');
      return () => jwt.sign(tutorialPayload(), HS_SECRET, options);
    }
    case 'payload':
      return () => tutorialPayload();
    default:
      throw new Error(`what must be qlik-jwt, jsonwebtoken or payload, not ${JSON.stringify(what)}`);
  }
}

const run = operation();
let length = 0;
for (let call = 0; call < calls; call++) {
  const result = run();
  length += typeof result === 'string' ? result.length : 1;
}
if (length === 0) throw new Error('nothing was made');
