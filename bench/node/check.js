'use strict';
// Checks that a case produces what it claims before it is timed: a sign case must return a
// token whose header names the algorithm and whose signature node:crypto accepts; a verify case
// must return the claims.

const crypto = require('node:crypto');
const { keyMaterial, TUTORIAL } = require('./keys');

const b64 = (s) => Buffer.from(s, 'base64url');

function checkToken(token, algName) {
  const alg = keyMaterial().algs.find((a) => a.name === algName);
  if (typeof token !== 'string') throw new Error(`sign returned ${typeof token}, not a string`);
  const [h, p, s] = token.split('.');
  const header = JSON.parse(b64(h));
  const payload = JSON.parse(b64(p));
  if (header.alg !== alg.jwa) throw new Error(`header alg ${header.alg}, expected ${alg.jwa}`);
  if (payload.sub !== TUTORIAL.claims.sub) throw new Error('payload sub differs from the tutorial');
  const data = Buffer.from(`${h}.${p}`);
  let ok;
  if (alg.family === 'HS') {
    const mac = crypto.createHmac('sha256', alg.signPem).update(data).digest();
    ok = crypto.timingSafeEqual(mac, b64(s));
  } else {
    ok = crypto.verify('sha256', data, { key: alg.verifyPem, dsaEncoding: 'ieee-p1363' }, b64(s));
  }
  if (!ok) throw new Error('signature does not verify with node:crypto');
}

function checkClaims(result) {
  const claims = result && result.payload && !result.sub ? result.payload : result;
  if (!claims || claims.sub !== TUTORIAL.claims.sub) throw new Error('verify did not return the claims');
}

async function checkCase(c, fn) {
  const out = await fn();
  if (c.op === 'sign') checkToken(out, c.alg);
  else checkClaims(out);
}

module.exports = { checkCase, checkToken };
