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
// sign, verify, decode: jsonwebtoken's call forms. The callback forms compute on the libuv pool,
// except with a secret, whose MAC costs less than the trip.

/** Signs `payload` now and returns the compact token. */
export function sign(payload: Payload, secretOrPrivateKey: Secret | PrivateKey, options?: SignOptions): string;
export function sign(payload: Payload, secretOrPrivateKey: null, options?: SignOptions & { algorithm: 'none' }): string;
/** Signs (on the libuv pool, unless the key is a secret) and calls back with the token. */
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
/**
 * Verifies and calls back: before returning (returning the callback's value) with a secret, as
 * jsonwebtoken does; after verifying on the libuv pool with an RSA or EC key. The key may be a
 * retrieval function.
 */
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

/** `sign` computed as its callback form computes it. */
export function signAsync(payload: Payload, secretOrPrivateKey: Secret | PrivateKey | null, options?: SignOptions): Promise<string>;

/** `verify` computed as its callback form computes it; the key may be a retrieval function. */
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
  /**
   * Whether your app verified that the email address belongs to the user (`email_verified`).
   * Required, with no default (as in Python and the command): it vouches for the address to Qlik.
   */
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

/** One entry of a client-managed virtual proxy's attribute map. */
export interface ClientManagedAttribute {
  /** The name Qlik Sense gives the attribute (e.g. `group`). */
  senseAttribute: string;
  /** The claim that carries it (e.g. `groups`), case included. */
  jwtAttribute: string;
  /** Whether the proxy refuses a token without it. */
  isMandatory?: boolean;
}

/** The JWT settings of a client-managed (Qlik Sense Enterprise on Windows) virtual proxy. */
export interface ClientManagedProxy {
  /** The claim of the user id (e.g. `userId`). */
  userIdAttribute: string;
  /** The claim of the user directory (e.g. `userDirectory`). */
  userDirectoryAttribute: string;
  /** The audience the proxy expects. */
  audience?: string;
  /** The proxy's attribute map. */
  attributes?: ClientManagedAttribute[];
}

/** Options of `createClientManagedSigner`. */
export interface ClientManagedSignerOptions extends ClientManagedProxy {
  /** The RSA private key whose certificate the proxy holds. */
  privateKey: string | Buffer | KeyObject;
  /** A `kid` for the header. */
  keyId?: string;
  /** `RS256` (the default), `RS384` or `RS512`. */
  algorithm?: 'RS256' | 'RS384' | 'RS512';
  /** Seconds that `nbf` lies before the signing instant (30). */
  notBeforeSkewSeconds?: number;
  /** Seconds from the signing instant to `exp` (300). */
  lifetimeSeconds?: number;
}

/** The user a client-managed token logs in; other claims by their JWT names. */
export interface ClientManagedUser {
  userId: string;
  userDirectory: string;
  name?: string;
  groups?: string[];
  [claim: string]: unknown;
}

/** A client-managed token signer; keys never show in `util.inspect`. */
export class ClientManagedSigner {
  private constructor();
  /** A token the virtual proxy accepts. */
  sign(user: ClientManagedUser): string;
}

/** Makes a client-managed signer, or throws the core's reason why these settings cannot work. */
export function createClientManagedSigner(options: ClientManagedSignerOptions): ClientManagedSigner;

/** The proxy a client-managed token is checked against. */
export interface ClientManagedProxyCheck extends ClientManagedProxy {
  /** The certificate the proxy holds. */
  certificate?: string | Buffer | KeyObject;
}

/** Every reason the virtual proxy would refuse the token (codes `QSE_*`); empty when none. */
export function explainClientManagedToken(token: string, proxy: ClientManagedProxyCheck): QlikProblem[];

/** The identity provider a token is checked against; each setting is optional. */
export interface QlikIdentityProvider {
  issuer?: string;
  keyId?: string;
  /** The certificate or public key the provider holds. */
  certificate?: string | Buffer | KeyObject;
  /** The provider's clock tolerance in seconds (`clockToleranceSec`, as Qlik names it). */
  clockToleranceSec?: number;
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

// ---------------------------------------------------------------------------------------------
// Qlik setup, local tenant and jwt-session client (qlik-jwt only)

/** Key types `generateKeys` makes. */
export type QlikKeyType = 'rsa2048' | 'rsa3072' | 'rsa4096' | 'p256' | 'p384';

/** Options of `generateKeys`. */
export interface GenerateKeysOptions {
  /** `rsa4096` by default, as the tutorial's `openssl genrsa 4096`. */
  keyType?: QlikKeyType;
  /** The certificate subject's common name (`qlik-jwt` by default). */
  commonName?: string;
  /** Days the certificate is valid (1825 by default). */
  days?: number;
  /** Write `privatekey.pem` (PKCS#8, mode 0600) and `publickey.cer` into this directory. */
  dir?: string;
  /** Replace existing files in `dir` (refused by default). */
  overwrite?: boolean;
}

/** A generated key pair and its self-signed certificate. */
export interface GeneratedKeys {
  keyType: QlikKeyType;
  /** The JWS algorithm the key signs Qlik tokens with (`RS256`, `ES256`, `ES384`). */
  algorithm: Algorithm;
  /** The private key, PKCS#8 PEM. Keep it secret. */
  privateKey: string;
  /** The self-signed X.509 certificate, PEM: what the identity provider holds. */
  certificate: string;
  /** The written files, when `dir` was given. */
  files?: { privateKey: string; certificate: string };
}

/** A key pair and a self-signed certificate; written to `dir` when given. */
export function generateKeys(options?: GenerateKeysOptions): GeneratedKeys;
/** `generateKeys` on the libuv pool (an RSA 4096 key takes a second or more). */
export function generateKeysAsync(options?: GenerateKeysOptions): Promise<GeneratedKeys>;

/** The certificate or public key as the single line Qlik's identity-provider form wants. */
export function singleLinePem(pem: string | Buffer | KeyObject): string;

/** Settings of a JWT identity provider. */
export interface IdentityProviderSettings {
  issuer: string;
  keyId: string;
  /** The certificate or public key, PEM (line breaks are removed). */
  certificate: string | Buffer;
  description?: string;
  /** The provider's clock tolerance in seconds (Qlik's default when absent). */
  clockToleranceSec?: number;
}

/** The body of `POST /api/v1/identity-providers` for a JWT identity provider. */
export interface IdentityProviderBody {
  protocol: 'jwtAuth';
  provider: 'external';
  description?: string;
  options: { issuer: string; staticKeys: Array<{ kid: string; pem: string }> };
  clockToleranceSec?: number;
}

/** The JSON body that creates a JWT identity provider. */
export function identityProviderConfig(settings: IdentityProviderSettings): IdentityProviderBody;

/** Whether `privateKey` is the private half of `certificate` (certificate or public key). */
export function keyMatches(
  privateKey: string | Buffer | KeyObject,
  certificate: string | Buffer | KeyObject,
): boolean;

/** Settings of a client-managed JWT virtual proxy, for `virtualProxyConfig`. */
export interface VirtualProxyConfigSettings extends ClientManagedProxy {
  /** The proxy's prefix (`https://<host>/<prefix>/`): lowercase letters, digits, `-._~`. */
  prefix: string;
  /** The X.509 certificate (PEM) of the RSA key that signs the tokens. */
  certificate: string | Buffer;
  /** Shown in the QMC (`JWT authentication (<prefix>)` by default). */
  description?: string;
  /** `X-Qlik-Session-<prefix>` by default; unique per virtual proxy. */
  sessionCookieHeaderName?: string;
  /** Ids (UUIDs) of the server nodes the proxy balances engine sessions over. */
  loadBalancingNodeIds?: string[];
  /** Hosts allowed to open engine websockets from a browser (mashup origins). */
  websocketOriginAllowList?: string[];
  /** Minutes of inactivity before the proxy ends a session (the QRS default is 30). */
  sessionInactivityTimeoutMinutes?: number;
}

/** The body of `POST /qrs/virtualproxyconfig` for a JWT virtual proxy. */
export interface VirtualProxyConfigBody {
  prefix: string;
  description: string;
  sessionCookieHeaderName: string;
  /** 4: JWT. */
  authenticationMethod: 4;
  /** 0: no anonymous user. */
  anonymousAccessMode: 0;
  /** The certificate, PEM with 64-column lines. */
  jwtPublicKeyCertificate: string;
  jwtAttributeUserId: string;
  jwtAttributeUserDirectory: string;
  jwtAudience?: string;
  jwtAttributeMap: Array<{ senseAttribute: string; jwtAttribute: string; isMandatory: boolean }>;
  loadBalancingServerNodes: Array<{ id: string }>;
  websocketCrossOriginWhiteList: string[];
  sessionInactivityTimeout?: number;
}

/** The JSON body that creates a client-managed JWT virtual proxy (then link it to a proxy). */
export function virtualProxyConfig(settings: VirtualProxyConfigSettings): VirtualProxyConfigBody;

/** What a PKCS#12/PFX file holds for signing. */
export interface ImportedPfx {
  /** The private key, unencrypted PKCS#8 PEM (give it to `createClientManagedSigner`). */
  privateKey: string;
  /** The key's certificate (PEM), when the file has one. */
  certificate: string | null;
  /** The file's other certificates (the issuing CA), PEM. */
  chain: string[];
}

/**
 * The private key and certificates of a PKCS#12/PFX file (Qlik's "Windows format" export):
 * legacy 3DES/RC2 and AES-256 files. Throws `ERR_INVALID_KEY` on a wrong password or bytes that
 * are not PKCS#12.
 */
export function importPfx(pfx: Buffer | Uint8Array, password?: string): ImportedPfx;

/**
 * Settings of a local Qlik tenant: a JWT identity provider's (`certificate`, `issuer`, `keyId`),
 * OAuth clients (`oauthClients`), or both; and the tenant's.
 */
export type LocalTenantOptions = LocalTenantSettings &
  (
    | {
        /** The provider's certificate or public key (PEM, the console's single line, or a KeyObject). */
        certificate: string | Buffer | KeyObject;
        issuer: string;
        keyId: string;
      }
    | { certificate?: undefined; issuer?: undefined; keyId?: undefined; oauthClients: LocalOAuthClient[] }
  );

/** The settings of a local tenant beside its identity provider. */
export interface LocalTenantSettings {
  /** `'cloud'` (the default): a Qlik Cloud tenant. */
  profile?: 'cloud';
  /** OAuth clients served at `POST /oauth/token`, each with its public JWK (`kid`, `alg`, `use`). */
  oauthClients?: LocalOAuthClient[];
  /** Seconds the OAuth access tokens live (3600 by default). */
  accessTokenLifetimeSec?: number;
  /** The provider's clock tolerance in seconds (none by default). */
  clockToleranceSec?: number;
  /** Only these subjects are members; others get 403 `AUTH-5`. */
  knownUsers?: string[];
  /** The `qlik-web-integration-id` a login must send. */
  webIntegrationId?: string;
  /** The host name requests must carry; others get 400 `LOGIN-2`. */
  host?: string;
  /** Seconds added to the tenant's clock (negative: a tenant whose clock lags). */
  clockOffsetSec?: number;
  /** Logins per minute (Qlik's 100 by default); `null` or `Infinity` for no limit. */
  loginsPerMinute?: number | null;
  /** Mark cookies `Secure` (only useful behind HTTPS). */
  secureCookies?: boolean;
  /** The port on 127.0.0.1; a free one by default. */
  port?: number;
}

/** An OAuth client a local tenant issues access tokens to. */
export interface LocalOAuthClient {
  clientId: string;
  /** The public JWK registered on the client, as an object or JSON text. */
  jwk: string | Record<string, unknown>;
}

/** A running local tenant. */
export interface LocalTenant {
  /** The base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Stops the tenant; idempotent. */
  close(): void;
}

/** Settings of a local client-managed (Qlik Sense Enterprise on Windows) JWT virtual proxy. */
export interface LocalClientManagedTenantOptions extends ClientManagedProxy {
  profile: 'client-managed';
  /** The virtual proxy prefix, e.g. `jwt` (served at `http://127.0.0.1:<port>/<prefix>/…`). */
  prefix: string;
  /** The certificate (or public key) of the proxy's JWT settings. */
  certificate: string | Buffer | KeyObject;
  /** The session cookie header name; `X-Qlik-Session-<prefix>` by default (the cookie over http is it plus `-HTTP`). */
  sessionCookieHeaderName?: string;
  /** The parallel sessions a user may hold; Qlik's 5 by default. */
  maxParallelSessions?: number;
  /** The origins a websocket may come from; the proxy's own by default. */
  allowedOrigins?: string[];
  /** Whether a websocket without `Origin` (non-browser clients) is judged by cookie and CSRF token alone; true by default. */
  allowMissingOrigin?: boolean;
  /** The port on 127.0.0.1; a free one by default. */
  port?: number;
}

/** A running local client-managed proxy. */
export interface LocalClientManagedTenant {
  /** The proxy URL with its prefix, e.g. `http://127.0.0.1:40123/jwt`. */
  readonly url: string;
  /** The proxy's origin, e.g. `http://127.0.0.1:40123`. */
  readonly origin: string;
  /** The session cookie's name, e.g. `X-Qlik-Session-jwt-HTTP`. */
  readonly cookieName: string;
  /** Stops the proxy and closes its websockets; idempotent. */
  close(): void;
}

/** Starts a local Qlik tenant (or, with `profile: 'client-managed'`, a local JWT virtual proxy) on loopback, running on its own threads. */
export function startLocalTenant(options: LocalClientManagedTenantOptions): LocalClientManagedTenant;
export function startLocalTenant(options: LocalTenantOptions): LocalTenant;

/** The names of Qlik's jwt-session protocol. */
export const protocol: Readonly<{
  loginPath: string;
  csrfTokenPath: string;
  usersMePath: string;
  identityProvidersPath: string;
  csrfHeader: string;
  webIntegrationIdHeader: string;
  sessionCookies: string[];
  loginsPerMinute: number;
  /** The default of `timeoutMs`. */
  timeoutMs: number;
  /** The refusals of a login that `loginWith` retries: 429, 502, 503, 504. */
  retriedStatuses: number[];
  /** The default of `retries`. */
  loginRetries: number;
  /** The default of `retryDelayMs`. */
  retryDelayMs: number;
}>;

/** Qlik refused a call; for a refused login, `hint` says what is wrong with the token. */
export class QlikApiError extends Error {
  name: 'QlikApiError';
  status: number;
  /** Qlik's code, e.g. `INTERNAL-TOKEN-1` (empty when the body had none). */
  code: string;
  title: string;
  detail: string | null;
  traceId: string | null;
  hint: string | null;
}

/** Options of `login`. */
export interface LoginOptions {
  /** Sent as `qlik-web-integration-id` on every call. */
  webIntegrationId?: string;
  /** The longest one call may take (`protocol.timeoutMs`, 30000, by default). */
  timeoutMs?: number;
}

/** A logged-in session. Reuse it: Qlik allows 100 logins a minute. */
export class QlikSession {
  private constructor();
  readonly baseUrl: string;
  readonly csrfToken: string;
  readonly cookieNames: string[];
  /** The session cookies as a `Cookie` header value. */
  readonly cookieHeader: string;
  /** `fetch` on the tenant with the cookies (and `qlik-csrf-token` unless GET/HEAD); throws `QlikApiError` unless 2xx. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The parsed JSON answer, the text of another answer, or `null` for an empty one. */
  request(method: string, path: string, body?: unknown): Promise<any>;
  get(path: string): Promise<any>;
  post(path: string, body?: unknown): Promise<any>;
  put(path: string, body?: unknown): Promise<any>;
  patch(path: string, body?: unknown): Promise<any>;
  delete(path: string): Promise<any>;
  /** `wss://<tenant>/app/<appId>?qlik-csrf-token=…` */
  websocketUrl(appId: string): string;
  /** The headers the engine websocket needs (the session cookies). */
  websocketHeaders(): { Cookie: string };
}

/** Trades a token for a session (`POST /login/jwt-session`, then the CSRF token). */
export function login(tenantUrl: string, token: string, options?: LoginOptions): Promise<QlikSession>;

/** Options of `loginWith`. */
export interface LoginWithOptions extends LoginOptions {
  /** Retries after an unreachable tenant or a status of `protocol.retriedStatuses` (2 by default). */
  retries?: number;
  /** The first wait between attempts, doubling (1000 by default). */
  retryDelayMs?: number;
}

/** `login` with a fresh token signed for `user` on every attempt, so no jti is reused. */
export function loginWith(
  tenantUrl: string,
  signer: QlikSigner,
  user: QlikUser,
  options?: LoginWithOptions,
): Promise<QlikSession>;

/** The names of a client-managed JWT virtual proxy's session protocol. */
export const clientManagedProtocol: Readonly<{
  /** `/qps/csrftoken`, under the prefix. */
  csrfTokenPath: string;
  /** `qlik-csrf-token`: the response header and the websocket's query parameter. */
  csrfHeader: string;
  /** `/qrs/`, under the prefix: calls that carry an xrfkey. */
  qrsPathPrefix: string;
  xrfkeyHeader: string;
  xrfkeyParameter: string;
  /** `X-Qlik-Session`: the conventional session cookie's name starts so. */
  sessionCookiePrefix: string;
  /** `-HTTP`, appended to the cookie's name over plain http. */
  httpCookieSuffix: string;
  /** The parallel proxy sessions a user may hold by default (5). */
  maxParallelSessions: number;
}>;

/** Options of `loginClientManaged`. */
export interface ClientManagedLoginOptions {
  /** The longest one call may take (`protocol.timeoutMs`, 30000, by default). */
  timeoutMs?: number;
  /** The proxy's session cookie header name, when not the conventional `X-Qlik-Session-<prefix>`. */
  sessionCookieName?: string;
  /** Retries after an unreachable proxy or HTTP 429/502/503/504 (2 by default). */
  retries?: number;
  /** The first wait between attempts, doubling (1000 by default). */
  retryDelayMs?: number;
}

/** A client-managed proxy session. Reuse it: a user may hold 5 proxy sessions at once. */
export class ClientManagedSession {
  private constructor();
  /** The proxy's base URL with its prefix, e.g. `https://sense.example.com/jwt`. */
  readonly baseUrl: string;
  /** The proxy's origin (the websocket's `Origin`). */
  readonly origin: string;
  /** The CSRF token of `/qps/csrftoken`. */
  readonly csrfToken: string;
  /** The session cookie's name. */
  readonly cookieName: string;
  /** The session cookie (its value is the session: keep it secret). */
  readonly cookie: { name: string; value: string };
  /** The session cookies as a `Cookie` header value. */
  readonly cookieHeader: string;
  /** `fetch` under the prefix with the cookie (and an xrfkey on `/qrs/` paths); throws `QlikApiError` unless 2xx. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The parsed JSON answer, the text of another answer, or `null` for an empty one. */
  request(method: string, path: string, body?: unknown): Promise<any>;
  get(path: string): Promise<any>;
  post(path: string, body?: unknown): Promise<any>;
  put(path: string, body?: unknown): Promise<any>;
  delete(path: string): Promise<any>;
  /** `wss://<host>/<prefix>/app/<appId>?qlik-csrf-token=…` */
  websocketUrl(appId: string): string;
  /** The websocket upgrade's headers: the session cookie and the proxy's origin. */
  websocketHeaders(): { Cookie: string; Origin: string };
}

/**
 * Opens one session on a client-managed JWT virtual proxy (`baseUrl` with its prefix):
 * `GET /<prefix>/qps/csrftoken` with `Authorization: Bearer <token>`.
 */
export function loginClientManaged(
  baseUrl: string,
  token: string,
  options?: ClientManagedLoginOptions,
): Promise<ClientManagedSession>;

// ---------------------------------------------------------------------------------------------
// Qlik Cloud OAuth with a private key JWT (qlik-jwt only)

/** The algorithms Qlik Cloud takes for a private key JWT. */
export type ClientAssertionAlgorithm = 'RS256' | 'RS512' | 'ES384';

/** Options of `createClientAssertionSigner`. */
export interface ClientAssertionSignerOptions {
  /** The private key whose public JWK is registered on the OAuth client (RSA >= 2048 bits, or EC P-384). */
  privateKey: string | Buffer | KeyObject | Record<string, unknown>;
  /** The passphrase of an encrypted private key. */
  passphrase?: string | Buffer;
  /** The `kid` of the registered JWK (the header `kid`). */
  keyId: string;
  /** The OAuth client ID (`iss` and `sub`). */
  clientId: string;
  /** The tenant, e.g. `https://acme.eu.qlikcloud.com`; `aud` is its `/oauth/token`. */
  tenantUrl: string;
  /** RS256 (default for RSA) or RS512; ES384 for an EC P-384 key. */
  algorithm?: ClientAssertionAlgorithm;
  /** Seconds from `iat` to `exp`, 1 to 300 (240 by default). */
  lifetimeSeconds?: number;
}

/** Signs OAuth client assertions; keys never show in `util.inspect`. */
export class ClientAssertionSigner {
  private constructor();
  /** A fresh assertion for one `POST /oauth/token` (a new UUID `jti`, `iat` now). */
  sign(): string;
  /** `sign` computed on the libuv pool. */
  signAsync(): Promise<string>;
  /** The algorithm assertions are signed with. */
  readonly algorithm: ClientAssertionAlgorithm;
  /** The `aud`: the tenant's token endpoint, where assertions are sent. */
  readonly audience: string;
}

/** Makes a client assertion signer, or throws the core's reason why this key or these settings cannot work. */
export function createClientAssertionSigner(options: ClientAssertionSignerOptions): ClientAssertionSigner;

/** The OAuth client an assertion is checked against. */
export interface RegisteredOauthClient {
  /** The OAuth client ID. */
  clientId: string;
  /** The tenant, e.g. `https://acme.eu.qlikcloud.com`. */
  tenantUrl: string;
  /** The registered public JWK (object or JSON text), or a PEM/DER public key or KeyObject. */
  publicKey?: string | Buffer | KeyObject | Record<string, unknown>;
  /** The `kid` a PEM public key is registered under (a JWK carries its own). */
  keyId?: string;
  /** Judge as if now were this instant (seconds since the epoch). */
  nowSeconds?: number;
}

/** Every reason Qlik Cloud would refuse the client assertion (codes `OAUTH_*`); empty when it would accept it. */
export function explainClientAssertion(token: string, client: RegisteredOauthClient): QlikProblem[];

/** A public JWK as Qlik's console takes it. */
export interface OauthPublicJwk {
  kty: 'RSA' | 'EC';
  kid: string;
  alg: 'RS256' | 'ES384';
  use: 'sig';
  n?: string;
  e?: string;
  crv?: 'P-384';
  x?: string;
  y?: string;
}

/** Options of `generateOauthKeys`. */
export interface GenerateOauthKeysOptions {
  /** The `kid` the JWK is registered under. */
  keyId: string;
  /** `rsa` (RSA 4096, RS256; the default) or `ec` (P-384, ES384). */
  keyType?: 'rsa' | 'ec';
  /** Write `privatekey.pem` (mode 0600) and `publickey.jwk.json` into this directory. */
  dir?: string;
  /** Replace existing files in `dir`. */
  overwrite?: boolean;
}

/** A generated OAuth key pair. */
export interface GeneratedOauthKeys {
  keyType: 'rsa' | 'ec';
  algorithm: 'RS256' | 'ES384';
  keyId: string;
  /** The private key, PKCS#8 PEM. */
  privateKey: string;
  /** The public JWK, ready to paste into the console. */
  publicJwk: OauthPublicJwk;
  /** Where the files were written, when `dir` was given. */
  files?: { privateKey: string; publicJwk: string };
}

/** A key pair for an OAuth client's private key JWT and its public JWK. */
export function generateOauthKeys(options: GenerateOauthKeysOptions): GeneratedOauthKeys;
/** `generateOauthKeys` on the libuv pool (an RSA 4096 key takes a second or more). */
export function generateOauthKeysAsync(options: GenerateOauthKeysOptions): Promise<GeneratedOauthKeys>;
// OAuth access tokens with a private key JWT (qlik-jwt only)

/** Options of `createOAuthClient`. */
export interface OAuthClientOptions {
  /** The tenant, e.g. `https://acme.eu.qlikcloud.com` (a loopback `http://` one for the local tenant). */
  tenantUrl: string;
  /** The OAuth client ID. */
  clientId: string;
  /** The private key whose public JWK is registered on the client (PEM, DER, JWK text or a KeyObject). */
  privateKey: string | Buffer | KeyObject;
  /** The `kid` of the registered public JWK. */
  keyId: string;
  /** `RS256` (default for RSA) or `RS512`; `ES384` for an EC P-384 key. */
  algorithm?: ClientAssertionAlgorithm;
  /** The passphrase of an encrypted private key. */
  passphrase?: string;
  /** The scopes to ask for, space-separated (default: the client's, e.g. `user_default`). */
  scope?: string;
  /** The longest one token request may take (30000 by default). */
  timeoutMs?: number;
  /** Retries of an unreachable tenant or HTTP 429/502/503/504, each with a fresh assertion (2 by default). */
  retries?: number;
  /** The first wait between attempts, doubling (1000 by default). */
  retryDelayMs?: number;
}

/** An access token of `POST /oauth/token`. `inspect` never shows the token. */
export class AccessToken {
  private constructor();
  /** Send it as `Authorization: Bearer <accessToken>`. */
  readonly accessToken: string;
  /** The token type Qlik gives (`bearer`). */
  readonly tokenType: string;
  /** Seconds it was valid for when issued. */
  readonly expiresIn: number;
  /** When it expires, in seconds since the epoch. */
  readonly expiresAt: number;
  /** The scopes granted, or `null`. */
  readonly scope: string | null;
  /** `Bearer <accessToken>`. */
  readonly authorization: string;
}

/** Options of `QlikOAuthClient.getAccessToken`. */
export interface AccessTokenOptions {
  /** Act as the user of this subject (Qlik's `urn:qlik:oauth:user-impersonation` grant). */
  impersonate?: string;
}

/**
 * An OAuth client of one tenant. Tokens are cached per grant, user and scope until shortly
 * before they expire; concurrent callers of one token share one request.
 */
export class QlikOAuthClient {
  private constructor();
  readonly tenantUrl: string;
  readonly clientId: string;
  /** A machine-to-machine token, or with `impersonate` a token acting as that user. */
  getAccessToken(options?: AccessTokenOptions): Promise<AccessToken>;
  /** `getAccessToken({ impersonate: subject })`. */
  impersonate(subject: string): Promise<AccessToken>;
  /** Forgets every cached token. */
  clearCache(): void;
}

/** Makes an OAuth client signing client assertions with `privateKey`; throws when Qlik would not take the key or settings. */
export function createOAuthClient(options: OAuthClientOptions): QlikOAuthClient;

/** The OAuth names and the cache policy of the core. */
export const oauthProtocol: Readonly<{
  /** `/oauth/token`. */
  tokenPath: string;
  /** Seconds before expiry a cached token is replaced (60). */
  refreshMarginSec: number;
}>;
