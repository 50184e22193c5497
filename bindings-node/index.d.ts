/// <reference types="node" />
// Types of qlik-jwt. The jsonwebtoken part has the shapes of @types/jsonwebtoken 9, so code
// typed against jsonwebtoken compiles unchanged with `import ... from 'qlik-jwt'`.

import type { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// Errors

/** Every verification failure, and the base of the two time-based ones. */
export class JsonWebTokenError extends Error {
  /** The wrapped error, where jsonwebtoken sets one. */
  inner: Error;
  /** qlik-jwt's stable code, e.g. `ERR_JWT_INVALID_SIGNATURE` (not enumerable). */
  code?: string;
  constructor(message: string, error?: Error);
}

/** `exp` (or `iat` + `maxAge`) has passed. */
export class TokenExpiredError extends JsonWebTokenError {
  /** When the token expired. */
  expiredAt: Date;
  constructor(message: string, expiredAt: Date);
}

/** `nbf` is still in the future. */
export class NotBeforeError extends JsonWebTokenError {
  /** When the token becomes valid. */
  date: Date;
  constructor(message: string, date: Date);
}

// ---------------------------------------------------------------------------------------------
// jsonwebtoken's types

/** The JWS algorithms. */
export type Algorithm =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'none';

type TimeUnit =
  | 'Years' | 'Year' | 'Yrs' | 'Yr' | 'Y'
  | 'Weeks' | 'Week' | 'W'
  | 'Days' | 'Day' | 'D'
  | 'Hours' | 'Hour' | 'Hrs' | 'Hr' | 'H'
  | 'Minutes' | 'Minute' | 'Mins' | 'Min' | 'M'
  | 'Seconds' | 'Second' | 'Secs' | 'Sec' | 's'
  | 'Milliseconds' | 'Millisecond' | 'Msecs' | 'Msec' | 'Ms';

/** A time span in the `ms` grammar: `"90"` (milliseconds), `"2h"`, `"1.5 days"`, `"-10m"`. */
export type StringValue =
  | `${number}`
  | `${number}${TimeUnit | Lowercase<TimeUnit> | Uppercase<TimeUnit>}`
  | `${number} ${TimeUnit | Lowercase<TimeUnit> | Uppercase<TimeUnit>}`;

/** The JOSE header (RFC 7515 names). */
export interface JwtHeader {
  alg: string | Algorithm;
  typ?: string | undefined;
  cty?: string | undefined;
  crit?: Array<string | Exclude<keyof JwtHeader, 'crit'>> | undefined;
  kid?: string | undefined;
  jku?: string | undefined;
  x5u?: string | string[] | undefined;
  'x5t#S256'?: string | undefined;
  x5t?: string | undefined;
  x5c?: string | string[] | undefined;
}

/** The claims (RFC 7519 names), and any others. */
export interface JwtPayload {
  [key: string]: any;
  iss?: string | undefined;
  sub?: string | undefined;
  aud?: string | string[] | undefined;
  exp?: number | undefined;
  nbf?: number | undefined;
  iat?: number | undefined;
  jti?: string | undefined;
}

/** A token decoded with `complete: true`. */
export interface Jwt {
  header: JwtHeader;
  payload: JwtPayload | string;
  signature: string;
}

/** Options of `sign`. */
export interface SignOptions {
  /** The algorithm; HS256 by default. */
  algorithm?: Algorithm | undefined;
  /** The header `kid`. */
  keyid?: string | undefined;
  /** Seconds, or an `ms` time span, from `iat` to `exp`. */
  expiresIn?: StringValue | number;
  /** Seconds, or an `ms` time span, from `iat` to `nbf`. */
  notBefore?: StringValue | number | undefined;
  audience?: string | string[] | undefined;
  subject?: string | undefined;
  issuer?: string | undefined;
  jwtid?: string | undefined;
  /** Add `iat`, `exp`... to the caller's payload object itself. */
  mutatePayload?: boolean | undefined;
  /** Leave `iat` out. */
  noTimestamp?: boolean | undefined;
  /** Header members added after (and overriding) `alg`, `typ` and `kid`. */
  header?: JwtHeader | undefined;
  /** Encoding of a string payload; `utf8` by default. */
  encoding?: string | undefined;
  /** Allow RSA keys under 2048 bits. */
  allowInsecureKeySizes?: boolean | undefined;
  /** Skip the check that the key type fits the algorithm. */
  allowInvalidAsymmetricKeyTypes?: boolean | undefined;
}

/** Options of `verify`. */
export interface VerifyOptions {
  /** Accepted algorithms; by default those that fit the key. */
  algorithms?: Algorithm[] | undefined;
  audience?: string | RegExp | [string | RegExp, ...(string | RegExp)[]] | undefined;
  /** The instant (seconds) to check times against, instead of now. */
  clockTimestamp?: number | undefined;
  /** Seconds of leeway for `exp` and `nbf`. */
  clockTolerance?: number | undefined;
  /** Return `{ header, payload, signature }` instead of the payload. */
  complete?: boolean | undefined;
  issuer?: string | [string, ...string[]] | undefined;
  ignoreExpiration?: boolean | undefined;
  ignoreNotBefore?: boolean | undefined;
  jwtid?: string | undefined;
  /** The expected `nonce` claim (OpenID Connect ID tokens). */
  nonce?: string | undefined;
  subject?: string | undefined;
  /** The longest accepted age since `iat`: seconds or an `ms` time span. */
  maxAge?: string | number | undefined;
  allowInvalidAsymmetricKeyTypes?: boolean | undefined;
}

/** Options of `decode`. */
export interface DecodeOptions {
  complete?: boolean | undefined;
  json?: boolean | undefined;
}

export type VerifyErrors = JsonWebTokenError | NotBeforeError | TokenExpiredError;

export type VerifyCallback<T = Jwt | JwtPayload | string> = (
  error: VerifyErrors | null,
  decoded?: T | undefined,
) => void;

export type SignCallback = (error: Error | null, encoded?: string | undefined) => void;

export type SigningKeyCallback = (error: Error | null, signingKey?: Secret | PublicKey) => void;

/** A key-retrieval function: chooses the key from the header (callback forms only). */
export type GetPublicKeyOrSecret = (header: JwtHeader, callback: SigningKeyCallback) => void;

/** Whatever Node's `createPublicKey` takes. */
export type PublicKey = Parameters<typeof createPublicKey>[0];

/** Whatever Node's `createPrivateKey` takes. */
export type PrivateKey = Parameters<typeof createPrivateKey>[0];

/** A secret, a key, or an encrypted key with its passphrase. */
export type Secret = string | Buffer | KeyObject | { key: string | Buffer; passphrase: string };

type Payload = string | Buffer | object;

// ---------------------------------------------------------------------------------------------
// sign, verify, decode: jsonwebtoken's call forms. The callback forms compute on the libuv pool.

/** Signs `payload` now and returns the compact token. */
export function sign(payload: Payload, secretOrPrivateKey: Secret | PrivateKey, options?: SignOptions): string;
export function sign(payload: Payload, secretOrPrivateKey: null, options?: SignOptions & { algorithm: 'none' }): string;
/** Signs on the libuv pool and calls back with the token. */
export function sign(payload: Payload, secretOrPrivateKey: Secret | PrivateKey, callback: SignCallback): void;
export function sign(
  payload: Payload,
  secretOrPrivateKey: Secret | PrivateKey,
  options: SignOptions,
  callback: SignCallback,
): void;
export function sign(
  payload: Payload,
  secretOrPrivateKey: null,
  options: SignOptions & { algorithm: 'none' },
  callback: SignCallback,
): void;

/** Verifies `token` now and returns its payload (or the complete token). */
export function verify(token: string, secretOrPublicKey: Secret | PublicKey, options: VerifyOptions & { complete: true }): Jwt;
export function verify(
  token: string,
  secretOrPublicKey: Secret | PublicKey,
  options?: VerifyOptions & { complete?: false },
): JwtPayload | string;
export function verify(token: string, secretOrPublicKey: Secret | PublicKey, options?: VerifyOptions): Jwt | JwtPayload | string;
/** Verifies on the libuv pool and calls back; the key may be a retrieval function. */
export function verify(
  token: string,
  secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret,
  callback?: VerifyCallback<JwtPayload | string>,
): void;
export function verify(
  token: string,
  secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret,
  options: VerifyOptions & { complete: true },
  callback?: VerifyCallback<Jwt>,
): void;
export function verify(
  token: string,
  secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret,
  options?: VerifyOptions & { complete?: false },
  callback?: VerifyCallback<JwtPayload | string>,
): void;
export function verify(
  token: string,
  secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret,
  options?: VerifyOptions,
  callback?: VerifyCallback,
): void;

/** Decodes without verifying: the payload, the complete token, or `null` for garbage. */
export function decode(token: string, options: DecodeOptions & { complete: true }): null | Jwt;
export function decode(token: string, options: DecodeOptions & { json: true }): null | JwtPayload;
export function decode(token: string, options?: DecodeOptions): null | JwtPayload | string;

// ---------------------------------------------------------------------------------------------
// Promise forms (qlik-jwt only)

/** `sign` computed on the libuv pool. */
export function signAsync(payload: Payload, secretOrPrivateKey: Secret | PrivateKey | null, options?: SignOptions): Promise<string>;

/** `verify` computed on the libuv pool; the key may be a retrieval function. */
export function verifyAsync(
  token: string,
  secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret,
  options: VerifyOptions & { complete: true },
): Promise<Jwt>;
export function verifyAsync(
  token: string,
  secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret,
  options?: VerifyOptions & { complete?: false },
): Promise<JwtPayload | string>;
export function verifyAsync(
  token: string,
  secretOrPublicKey: Secret | PublicKey | GetPublicKeyOrSecret,
  options?: VerifyOptions,
): Promise<Jwt | JwtPayload | string>;

// ---------------------------------------------------------------------------------------------
// Qlik Cloud (qlik-jwt only)

/** The identity provider's settings a Qlik signer is made from. */
export interface QlikSignerOptions {
  /** The private key whose certificate the identity provider holds, in any form `sign` takes. */
  privateKey: Secret | PrivateKey;
  /** The identity provider's Key ID (header `kid`). */
  keyId: string;
  /** The identity provider's issuer (`iss`). */
  issuer: string;
  /** RS256 by default; RS*, PS* or ES* (Qlik refuses HS*). */
  algorithm?: Exclude<Algorithm, 'HS256' | 'HS384' | 'HS512' | 'none'>;
  /** Seconds `nbf` lies before the signing instant (tolerates a tenant clock that runs ahead). */
  notBeforeSkewSeconds?: number;
  /** Seconds from the signing instant to `exp`. */
  lifetimeSeconds?: number;
}

/** The user a Qlik token logs in. */
export interface QlikUser {
  /** The user's stable id in the tenant (`sub`). */
  sub: string;
  /** Display name (`name`). */
  name: string;
  /** Email address (`email`; may be empty). */
  email: string;
  /** Whether the email address is verified (`email_verified`). */
  emailVerified: boolean;
  /** Group names (`groups`), each at most 256 characters. */
  groups?: string[];
}

/** A signer made once; keys never show in `util.inspect`. */
export class QlikSigner {
  private constructor();
  /** A token Qlik Cloud accepts, with a fresh random `jti`. */
  sign(user: QlikUser): string;
  /** `sign` computed on the libuv pool. */
  signAsync(user: QlikUser): Promise<string>;
}

/** Makes a Qlik signer, or throws the core's reason why these settings cannot work. */
export function createQlikSigner(options: QlikSignerOptions): QlikSigner;

/** The identity provider a token is checked against; each setting is optional. */
export interface QlikIdentityProvider {
  issuer?: string;
  keyId?: string;
  /** The certificate or public key the provider holds. */
  certificate?: string | Buffer | KeyObject;
  /** The provider's clock tolerance in seconds. */
  clockToleranceSeconds?: number;
}

/** One reason Qlik Cloud would refuse a token, or a known mistake in it. */
export interface QlikProblem {
  /** Stable code, e.g. `QLIK_CLAIM_MISSING`. */
  code: string;
  /** `error`: Qlik refuses the token; `warning`: a known mistake Qlik lets pass. */
  severity: 'error' | 'warning';
  /** What is wrong and what would be right. */
  message: string;
}

/** Every reason Qlik Cloud would refuse `token` now; empty when it would accept it. */
export function explainQlikToken(token: string, provider?: QlikIdentityProvider): QlikProblem[];
