// Types of the OAuth private key JWT API: what compiles, and what must not.
import * as jwt from 'qlik-jwt';
import { createPrivateKey } from 'node:crypto';

const keys: jwt.GeneratedOauthKeys = jwt.generateOauthKeys({ keyId: 'k1', keyType: 'ec' });
const kid: string = keys.publicJwk.kid;
const alg: 'RS256' | 'ES384' = keys.publicJwk.alg;
const written: Promise<jwt.GeneratedOauthKeys> = jwt.generateOauthKeysAsync({
  keyId: 'k2',
  dir: '/tmp/keys',
  overwrite: true,
});

const signer: jwt.ClientAssertionSigner = jwt.createClientAssertionSigner({
  privateKey: createPrivateKey(keys.privateKey),
  keyId: 'k1',
  clientId: 'client',
  tenantUrl: 'https://acme.eu.qlikcloud.com',
  lifetimeSeconds: 120,
});
const assertion: string = signer.sign();
const later: Promise<string> = signer.signAsync();
const audience: string = signer.audience;
const algorithm: jwt.ClientAssertionAlgorithm = signer.algorithm;

const problems: jwt.QlikProblem[] = jwt.explainClientAssertion(assertion, {
  clientId: 'client',
  tenantUrl: 'https://acme.eu.qlikcloud.com',
  publicKey: keys.publicJwk as unknown as Record<string, unknown>,
  nowSeconds: 1_700_000_000,
});
jwt.explainClientAssertion(assertion, {
  clientId: 'client',
  tenantUrl: 'https://acme.eu.qlikcloud.com',
  publicKey: '-----BEGIN PUBLIC KEY-----',
  keyId: 'k1',
});

// @ts-expect-error Qlik takes RS256, RS512 or ES384 only
jwt.createClientAssertionSigner({ privateKey: 'pem', keyId: 'k', clientId: 'c', tenantUrl: 't', algorithm: 'PS256' });
// @ts-expect-error the key id is required
jwt.createClientAssertionSigner({ privateKey: 'pem', clientId: 'c', tenantUrl: 't' });
// @ts-expect-error keyType is rsa or ec
jwt.generateOauthKeys({ keyId: 'k', keyType: 'p256' });

void [kid, alg, written, later, audience, algorithm, problems];
