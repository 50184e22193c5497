"""Type stubs of the native module ``qlik_jwt._native`` (import ``qlik_jwt`` instead)."""

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from os import PathLike
from pathlib import Path
from typing import Any, Literal, TypeAlias, final

__all__ = [
    "CLIENT_ASSERTION_TYPE",
    "CM_CSRF_HEADER",
    "CM_CSRF_TOKEN_PATH",
    "CM_HTTP_COOKIE_SUFFIX",
    "CM_MAX_PARALLEL_SESSIONS",
    "CM_QRS_PATH_PREFIX",
    "CM_SESSION_COOKIE_PREFIX",
    "CM_XRFKEY_HEADER",
    "CM_XRFKEY_PARAMETER",
    "CSRF_HEADER",
    "CSRF_TOKEN_PATH",
    "DEFAULT_LOGIN_RETRIES",
    "DEFAULT_RETRY_DELAY_MS",
    "DEFAULT_TIMEOUT_SECS",
    "IDENTITY_PROVIDERS_PATH",
    "LOGINS_PER_MINUTE",
    "LOGIN_PATH",
    "OAUTH_TOKEN_PATH",
    "QLIK_AUDIENCE",
    "QLIK_MAX_WINDOW_SECONDS",
    "RETRIED_STATUSES",
    "SESSION_COOKIES",
    "TOKEN_REFRESH_MARGIN_SECS",
    "USERS_ME_PATH",
    "WEB_INTEGRATION_ID_HEADER",
    "ClientAssertionSigner",
    "ClientManagedCore",
    "ClientManagedFlow",
    "ClientManagedSigner",
    "GeneratedKeys",
    "LocalClientManagedTenant",
    "LocalTenant",
    "LoginFlow",
    "OAuthCore",
    "OauthKeys",
    "PfxKey",
    "PrivateKey",
    "Problem",
    "PublicKey",
    "QlikSigner",
    "SessionCore",
    "TokenFlow",
    "__version__",
    "_oauth_sign_with_jti",
    "_panic_now",
    "client_managed_refusal",
    "decode",
    "explain",
    "explain_client_assertion",
    "explain_client_managed",
    "generate_keys",
    "generate_oauth_keys",
    "identity_provider_config",
    "import_pfx",
    "key_matches",
    "run_cli",
    "session_refusal",
    "sign",
    "single_line_pem",
    "start_client_managed_login",
    "start_login",
    "verify",
    "virtual_proxy_config",
]

__version__: str
QLIK_AUDIENCE: str
QLIK_MAX_WINDOW_SECONDS: int

_Json: TypeAlias = Any
"""A JSON-like value: dict with str keys, list, tuple, str, int, float, bool, None or bytes."""

_Timespan: TypeAlias = int | float | str | timedelta
"""Seconds, an ``ms``-style string such as ``"5m"``, or a ``timedelta``."""

_Instant: TypeAlias = int | float | datetime
"""Seconds since the epoch, or a ``datetime`` (naive ones are taken as UTC)."""

_KeyInput: TypeAlias = str | bytes | bytearray | PrivateKey | PublicKey | Mapping[str, Any] | None
"""PEM text, DER bytes, an HMAC secret, a parsed key, or a JWK dict."""

@final
class PrivateKey:
    """A private key (or HMAC secret) parsed once, to sign with."""

    def __new__(
        cls, data: str | bytes | bytearray, *, passphrase: str | bytes | None = None
    ) -> PrivateKey: ...
    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any] | str) -> PrivateKey:
        """Parses a private JWK given as a dict or as JSON text."""
    @classmethod
    def from_secret(cls, secret: str | bytes | bytearray) -> PrivateKey:
        """A ``HS*`` secret as a key object."""
    def public_key(self) -> PublicKey:
        """The public half (for a secret: the same secret)."""
    @property
    def kind(self) -> str:
        """What kind of key this is, in the words of the core's messages, e.g.
        ``"a 2048-bit RSA key"``."""

@final
class PublicKey:
    """A key to verify with, parsed once."""

    def __new__(
        cls, data: str | bytes | bytearray, *, passphrase: str | bytes | None = None
    ) -> PublicKey: ...
    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any] | str) -> PublicKey:
        """Parses a public (or private) JWK given as a dict or as JSON text."""
    @classmethod
    def from_secret(cls, secret: str | bytes | bytearray) -> PublicKey:
        """A ``HS*`` secret as a key object."""
    @property
    def kind(self) -> str:
        """What kind of key this is, in the words of the core's messages, e.g.
        ``"an EC key on P-256"``."""

@final
class QlikSigner:
    """Signs valid Qlik Cloud tokens, made once from the identity provider's settings."""

    def __new__(
        cls,
        private_key: str | bytes | bytearray | PrivateKey | Mapping[str, Any],
        *,
        key_id: str,
        issuer: str,
        algorithm: str | None = None,
        passphrase: str | bytes | None = None,
        not_before_skew: int | timedelta | None = None,
        lifetime: int | timedelta | None = None,
    ) -> QlikSigner: ...
    def sign(
        self,
        *,
        sub: str,
        name: str,
        email: str,
        email_verified: bool,
        groups: Sequence[str] | None = None,
        now: _Instant | None = None,
    ) -> str:
        """A valid Qlik token for this user, with a fresh random ``jti``."""
    @property
    def key_id(self) -> str:
        """The identity provider's Key ID (the header ``kid``)."""
    @property
    def issuer(self) -> str:
        """The identity provider's issuer (the ``iss`` claim)."""

@final
class Problem:
    """One reason Qlik would refuse a token, or a known mistake in it."""

    @property
    def code(self) -> str:
        """Stable code, e.g. ``"QLIK_CLAIM_MISSING"``."""
    @property
    def severity(self) -> Literal["error", "warning"]:
        """``"error"``: Qlik refuses the token; ``"warning"``: a known mistake."""
    @property
    def message(self) -> str:
        """What is wrong and what would be right."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def sign(
    payload: Mapping[str, Any] | str | bytes,
    key: _KeyInput,
    *,
    algorithm: str | None = None,
    expires_in: _Timespan | None = None,
    not_before: _Timespan | None = None,
    audience: str | Sequence[str] | None = None,
    issuer: str | None = None,
    subject: str | None = None,
    jwtid: str | None = None,
    keyid: str | None = None,
    header: Mapping[str, _Json] | None = None,
    no_timestamp: bool = False,
    passphrase: str | bytes | None = None,
    allow_insecure_key_sizes: bool = False,
    allow_invalid_asymmetric_key_types: bool = False,
    now: _Instant | None = None,
) -> str:
    """Signs ``payload`` as ``jsonwebtoken`` 9's ``jwt.sign`` would; returns the token."""

def verify(
    token: str,
    key: _KeyInput,
    *,
    algorithms: Sequence[str] | None = None,
    audience: str | re.Pattern[str] | Sequence[str | re.Pattern[str]] | None = None,
    issuer: str | Sequence[str] | None = None,
    subject: str | None = None,
    jwtid: str | None = None,
    nonce: str | None = None,
    leeway: float | timedelta = 0,
    max_age: _Timespan | None = None,
    ignore_expiration: bool = False,
    ignore_not_before: bool = False,
    complete: bool = False,
    allow_invalid_asymmetric_key_types: bool = False,
    passphrase: str | bytes | None = None,
    now: _Instant | None = None,
) -> Any:
    """Verifies ``token`` as ``jsonwebtoken`` 9's ``jwt.verify``; returns the payload."""

def decode(token: str, *, complete: bool = False, json: bool = False) -> Any:
    """Decodes ``token`` without verifying it; ``None`` when it is not a JWT."""

def _oauth_sign_with_jti(signer: ClientAssertionSigner, now: int, jti: str) -> str:
    """Test hook, only in builds with the ``testing`` cargo feature: an OAuth client assertion
    with a given ``jti`` and instant, for the shared test vector."""

def _panic_now() -> None:
    """Test hook, only in builds with the ``testing`` cargo feature (never in a published wheel):
    panics inside the core; raises ``QlikJwtError`` with code ``ERR_INTERNAL``."""

def explain(
    token: str,
    *,
    issuer: str | None = None,
    key_id: str | None = None,
    certificate: str | bytes | bytearray | PublicKey | PrivateKey | Mapping[str, Any] | None = None,
    clock_tolerance: int | timedelta | None = None,
    now: _Instant | None = None,
) -> list[Problem]:
    """Every reason Qlik Cloud would refuse ``token``; empty when it would accept it."""

# --- Qlik setup, local tenant, session client support and the command ---

LOGIN_PATH: str
CSRF_TOKEN_PATH: str
USERS_ME_PATH: str
IDENTITY_PROVIDERS_PATH: str
CSRF_HEADER: str
WEB_INTEGRATION_ID_HEADER: str
SESSION_COOKIES: list[str]
LOGINS_PER_MINUTE: int
DEFAULT_TIMEOUT_SECS: int
RETRIED_STATUSES: list[int]
DEFAULT_LOGIN_RETRIES: int
DEFAULT_RETRY_DELAY_MS: int

@final
class ClientManagedSigner:
    """Signs tokens a client-managed (Qlik Sense Enterprise on Windows) JWT virtual proxy
    accepts, made once from the proxy's settings."""

    def __new__(
        cls,
        private_key: str | bytes | bytearray | PrivateKey | Mapping[str, Any],
        *,
        user_id_attribute: str,
        user_directory_attribute: str,
        audience: str | None = None,
        attributes: Sequence[Mapping[str, Any]] | None = None,
        key_id: str | None = None,
        algorithm: str | None = None,
        passphrase: str | bytes | None = None,
        not_before_skew: int | timedelta | None = None,
        lifetime: int | timedelta | None = None,
    ) -> ClientManagedSigner: ...
    def sign(
        self, *, user_id: str, user_directory: str, now: _Instant | None = None, **attributes: Any
    ) -> str:
        """A token for the user, with other claims by their JWT names (``name=``, ``groups=``)."""
    @property
    def algorithm(self) -> str:
        """The algorithm tokens are signed with."""

def explain_client_managed(
    token: str,
    *,
    user_id_attribute: str,
    user_directory_attribute: str,
    audience: str | None = None,
    attributes: Sequence[Mapping[str, Any]] | None = None,
    certificate: str | bytes | bytearray | PublicKey | PrivateKey | Mapping[str, Any] | None = None,
    now: _Instant | None = None,
) -> list[Problem]:
    """Every reason the virtual proxy would refuse the token (``QSE_*`` codes); empty when none."""

@final
class GeneratedKeys:
    """A generated key pair and its self-signed certificate; ``repr`` hides the private key."""

    @property
    def key_type(self) -> str:
        """The key type, e.g. ``"rsa4096"``."""
    @property
    def algorithm(self) -> str:
        """The JWS algorithm the key signs Qlik tokens with."""
    @property
    def private_key_pem(self) -> str:
        """The private key, PKCS#8 PEM. Keep it secret."""
    @property
    def certificate_pem(self) -> str:
        """The self-signed X.509 certificate, PEM."""
    @property
    def private_key_path(self) -> Path | None:
        """Where ``privatekey.pem`` was written, when a directory was given."""
    @property
    def certificate_path(self) -> Path | None:
        """Where ``publickey.cer`` was written, when a directory was given."""

_KeyType: TypeAlias = str
"""``"rsa2048"``, ``"rsa3072"``, ``"rsa4096"`` (the default), ``"p256"`` or ``"p384"``."""

def generate_keys(
    key_type: _KeyType | None = None,
    *,
    common_name: str | None = None,
    days: int | None = None,
    directory: str | PathLike[str] | None = None,
    overwrite: bool | None = None,
) -> GeneratedKeys:
    """A key pair (RSA 4096 by default) and a self-signed certificate; with ``directory``, also
    writes ``privatekey.pem`` (mode 0600) and ``publickey.cer`` there."""

def single_line_pem(pem: str | bytes | bytearray) -> str:
    """The certificate or public key as the single line Qlik's identity-provider form wants."""

def identity_provider_config(
    *,
    issuer: str,
    key_id: str,
    certificate: str | bytes | bytearray,
    description: str | None = None,
    clock_tolerance: int | timedelta | None = None,
) -> dict[str, Any]:
    """The body of ``POST /api/v1/identity-providers`` for a JWT identity provider."""

def key_matches(
    private_key: str | bytes | bytearray | PrivateKey | Mapping[str, Any],
    certificate: str | bytes | bytearray | PublicKey | PrivateKey,
) -> bool:
    """Whether ``private_key`` is the private half of ``certificate``."""

def virtual_proxy_config(
    *,
    prefix: str,
    certificate: str | bytes | bytearray,
    user_id_attribute: str,
    user_directory_attribute: str,
    audience: str | None = None,
    attributes: Sequence[Mapping[str, Any]] | None = None,
    description: str | None = None,
    session_cookie_header_name: str | None = None,
    load_balancing_node_ids: Sequence[str] | None = None,
    websocket_origin_allow_list: Sequence[str] | None = None,
    session_inactivity_timeout_minutes: int | None = None,
) -> dict[str, Any]:
    """The body of ``POST /qrs/virtualproxyconfig`` for a client-managed JWT virtual proxy."""

@final
class PfxKey:
    """What a PKCS#12/PFX file holds for signing; ``repr`` hides the private key."""

    @property
    def private_key_pem(self) -> str:
        """The private key, unencrypted PKCS#8 PEM. Keep it secret."""
    @property
    def certificate_pem(self) -> str | None:
        """The key's certificate, PEM, when the file has one."""
    @property
    def chain_pem(self) -> list[str]:
        """The file's other certificates (the issuing CA), PEM."""

def import_pfx(data: bytes, password: str = "") -> PfxKey:
    """The private key and certificates of a PKCS#12/PFX file (legacy 3DES/RC2 or AES-256)."""

@final
class LocalTenant:
    """A local Qlik tenant on 127.0.0.1 configured like a JWT identity provider; a context
    manager."""

    def __new__(
        cls,
        certificate: str | bytes | bytearray | PublicKey | PrivateKey | None = None,
        *,
        issuer: str | None = None,
        key_id: str | None = None,
        clock_tolerance: int | timedelta | None = None,
        known_users: Sequence[str] | None = None,
        web_integration_id: str | None = None,
        host: str | None = None,
        clock_offset: int | timedelta | None = None,
        logins_per_minute: int | None = 100,
        secure_cookies: bool | None = None,
        port: int = 0,
        oauth_clients: Sequence[Mapping[str, Any]] | None = None,
        access_token_lifetime: int | timedelta | None = None,
    ) -> LocalTenant: ...
    @property
    def url(self) -> str:
        """The base URL, e.g. ``"http://127.0.0.1:40123"``."""
    @property
    def running(self) -> bool:
        """Whether the tenant is still running."""
    def close(self) -> None:
        """Stops the tenant; calling it again does nothing."""
    def __enter__(self) -> LocalTenant: ...
    def __exit__(self, *_exc_info: object) -> bool: ...

@final
class LocalClientManagedTenant:
    """A local client-managed (Qlik Sense Enterprise on Windows) JWT virtual proxy on
    127.0.0.1, with its engine websocket; a context manager."""

    def __new__(
        cls,
        certificate: str | bytes | bytearray | PublicKey | PrivateKey,
        *,
        prefix: str,
        user_id_attribute: str,
        user_directory_attribute: str,
        audience: str | None = None,
        attributes: Sequence[Mapping[str, Any]] | None = None,
        session_cookie_header_name: str | None = None,
        max_parallel_sessions: int | None = None,
        allowed_origins: Sequence[str] | None = None,
        allow_missing_origin: bool | None = None,
        port: int = 0,
    ) -> LocalClientManagedTenant: ...
    @property
    def url(self) -> str:
        """The proxy URL with its prefix, e.g. ``"http://127.0.0.1:40123/jwt"``."""
    @property
    def origin(self) -> str:
        """The proxy's origin, e.g. ``"http://127.0.0.1:40123"``."""
    @property
    def cookie_name(self) -> str:
        """The session cookie's name, e.g. ``"X-Qlik-Session-jwt-HTTP"``."""
    @property
    def running(self) -> bool:
        """Whether the proxy is still running."""
    def close(self) -> None:
        """Stops the proxy and closes its websockets; calling it again does nothing."""
    def __enter__(self) -> LocalClientManagedTenant: ...
    def __exit__(self, *_exc_info: object) -> bool: ...

_Request: TypeAlias = tuple[str, str, list[tuple[str, str]], bytes, float]
_Failure: TypeAlias = dict[str, Any]
_Step: TypeAlias = tuple[str, Any]

@final
class LoginFlow:
    """A login in progress: the core's state machine. Each method returns the next step as
    ``(kind, value)``: ``("sign", None)``, ``("send", request)``, ``("wait", seconds)``,
    ``("done", SessionCore)`` or ``("failed", failure dict)``."""

    def token(self, token: str) -> _Step:
        """The token of this attempt."""
    def receive(self, status: int, headers: list[tuple[str, str]], body: str) -> _Step:
        """The answer to the last request: its status, ``(name, value)`` header pairs (each
        ``Set-Cookie`` on its own) and body text."""
    def unreachable(self, message: str) -> _Step:
        """The last request got no answer; ``message`` says why."""
    def waited(self) -> _Step:
        """The wait is over."""

@final
class SessionCore:
    """A logged-in session's state: its cookies, CSRF token and the rules of its calls."""

    @property
    def base_url(self) -> str:
        """The tenant's base URL."""
    @property
    def csrf_token(self) -> str:
        """The CSRF token."""
    @property
    def cookie_names(self) -> list[str]:
        """The names of the live session cookies."""
    @property
    def cookie_header(self) -> str:
        """The ``Cookie`` header for the tenant's root."""
    def websocket_url(self, app_id: str) -> str:
        """The engine websocket URL of an app."""
    def request(self, method: str, path: str, json: bool) -> _Request | _Failure:
        """The request for ``method path`` as ``(method, url, headers, body, timeout)`` (with
        ``Content-Type: application/json`` when ``json``), or a failure dict."""
    def receive(self, url: str, status: int, headers: list[tuple[str, str]]) -> bool:
        """Takes in the answer to a call to ``url``; ``True`` when it is to be handed to the
        user."""

def start_login(
    tenant_url: str,
    *,
    web_integration_id: str | None = None,
    timeout: float | None = None,
    retrying: bool = False,
    retries: int | None = None,
    retry_delay: float | None = None,
) -> LoginFlow | _Failure:
    """Starts a login to ``tenant_url``; its first step is to sign a token. Returns the
    :class:`LoginFlow`, or a failure dict when the arguments are not usable."""

def session_refusal(status: int, body: str) -> _Failure:
    """The failure dict of a refused call, from its status and body."""

def run_cli(argv: list[str]) -> int:
    """Runs ``qlik-jwt`` with ``argv`` (program name first); returns the exit code."""

CM_CSRF_TOKEN_PATH: str
CM_CSRF_HEADER: str
CM_QRS_PATH_PREFIX: str
CM_XRFKEY_HEADER: str
CM_XRFKEY_PARAMETER: str
CM_SESSION_COOKIE_PREFIX: str
CM_HTTP_COOKIE_SUFFIX: str
CM_MAX_PARALLEL_SESSIONS: int

@final
class ClientManagedFlow:
    """A client-managed login in progress: the core's state machine. Each method returns the
    next step as ``(kind, value)``: ``("send", request)``, ``("wait", seconds)``,
    ``("done", ClientManagedCore)`` or ``("failed", failure dict)``."""

    def start(self) -> _Step:
        """The first request."""
    def receive(self, status: int, headers: list[tuple[str, str]], body: str) -> _Step:
        """The answer to the last request: its status, ``(name, value)`` header pairs (each
        ``Set-Cookie`` on its own) and body text."""
    def unreachable(self, message: str) -> _Step:
        """The last request got no answer; ``message`` says why."""
    def waited(self) -> _Step:
        """The wait is over."""

@final
class ClientManagedCore:
    """A client-managed proxy session's state: its cookie, CSRF token and the rules of its
    calls."""

    @property
    def base_url(self) -> str:
        """The proxy's base URL with its prefix."""
    @property
    def origin(self) -> str:
        """The proxy's origin."""
    @property
    def csrf_token(self) -> str:
        """The CSRF token."""
    @property
    def cookie_name(self) -> str:
        """The session cookie's name."""
    @property
    def cookie_value(self) -> str | None:
        """The session cookie's value, while it lives."""
    @property
    def cookie_header(self) -> str:
        """The ``Cookie`` header for calls under the prefix."""
    def websocket_url(self, app_id: str) -> str:
        """The engine websocket URL of an app."""
    def websocket_headers(self) -> list[tuple[str, str]]:
        """The websocket upgrade's headers as ``(name, value)`` pairs."""
    def request(self, method: str, path: str, json: bool) -> _Request | _Failure:
        """The request for ``method path`` (under the prefix) as ``(method, url, headers, body,
        timeout)``, or a failure dict."""
    def receive(self, url: str, status: int, headers: list[tuple[str, str]]) -> bool:
        """Takes in the answer to a call to ``url``; ``True`` when it is to be handed to the
        user."""

def start_client_managed_login(
    base_url: str,
    token: str,
    *,
    timeout: float | None = None,
    session_cookie_name: str | None = None,
    retries: int | None = None,
    retry_delay: float | None = None,
) -> ClientManagedFlow | _Failure:
    """Starts a login to the virtual proxy at ``base_url`` with ``token``; call ``start()``
    next. Returns the :class:`ClientManagedFlow`, or a failure dict when the arguments are not
    usable."""

def client_managed_refusal(status: int, body: str) -> _Failure:
    """The failure dict of a refused call to a client-managed proxy, with the core's hint."""

CLIENT_ASSERTION_TYPE: str
"""``urn:ietf:params:oauth:client-assertion-type:jwt-bearer``: the ``client_assertion_type`` of a
token request that carries a client assertion."""

@final
class ClientAssertionSigner:
    """Signs OAuth client assertions (private key JWT) for Qlik Cloud's ``POST /oauth/token``,
    made once from the key whose public JWK is registered on the OAuth client; ``repr`` shows
    the settings, never the key."""

    def __new__(
        cls,
        private_key: str | bytes | bytearray | PrivateKey | Mapping[str, Any],
        *,
        key_id: str,
        client_id: str,
        tenant_url: str,
        passphrase: str | bytes | None = None,
        algorithm: Literal["RS256", "RS512", "ES384"] | None = None,
        lifetime: int | timedelta | None = None,
    ) -> ClientAssertionSigner: ...
    def sign(self, *, now: _Instant | None = None) -> str:
        """A fresh assertion: a new UUID ``jti``, ``iat`` now, ``exp`` the lifetime later."""
    @property
    def algorithm(self) -> str:
        """``"RS256"``, ``"RS512"`` or ``"ES384"``."""
    @property
    def key_id(self) -> str:
        """The header ``kid``."""
    @property
    def client_id(self) -> str:
        """The OAuth client ID (``iss`` and ``sub``)."""
    @property
    def audience(self) -> str:
        """The ``aud``: the tenant's token endpoint."""
    @property
    def lifetime(self) -> int:
        """Seconds from ``iat`` to ``exp``."""

def explain_client_assertion(
    token: str,
    *,
    client_id: str,
    tenant_url: str,
    public_key: str | bytes | bytearray | PublicKey | PrivateKey | Mapping[str, Any] | None = None,
    key_id: str | None = None,
    now: _Instant | None = None,
) -> list[Problem]:
    """Every reason Qlik Cloud would refuse the client assertion (``OAUTH_*`` codes); empty when
    it would accept it."""

@final
class OauthKeys:
    """A key pair for an OAuth client's private key JWT and its public JWK; ``repr`` hides the
    private key."""

    @property
    def key_type(self) -> str:
        """``"rsa"`` or ``"ec"``."""
    @property
    def algorithm(self) -> str:
        """``"RS256"`` or ``"ES384"``."""
    @property
    def key_id(self) -> str:
        """The JWK's ``kid``."""
    @property
    def private_key_pem(self) -> str:
        """The private key, PKCS#8 PEM. Keep it secret."""
    @property
    def public_jwk_json(self) -> str:
        """The public JWK as JSON text, ready to paste into the console."""
    @property
    def public_jwk(self) -> dict[str, str]:
        """The public JWK as a ``dict``."""
    @property
    def private_key_path(self) -> Path | None:
        """Where ``privatekey.pem`` was written, when a directory was given."""
    @property
    def public_jwk_path(self) -> Path | None:
        """Where ``publickey.jwk.json`` was written, when a directory was given."""

def generate_oauth_keys(
    key_type: Literal["rsa", "ec"] | None = None,
    *,
    key_id: str,
    directory: str | PathLike[str] | None = None,
    overwrite: bool | None = None,
) -> OauthKeys:
    """A key pair for an OAuth client's private key JWT (``"rsa"``: RSA 4096 for RS256, the
    default; ``"ec"``: P-384 for ES384) and its public JWK; with ``directory``, also writes
    ``privatekey.pem`` (mode 0600) and ``publickey.jwk.json``."""

OAUTH_TOKEN_PATH: str
TOKEN_REFRESH_MARGIN_SECS: int

@final
class OAuthCore:
    """An OAuth client's core: its assertion signer (the key never leaves it), settings and token
    cache. Thread-safe; ``qlik_jwt.OAuthClient`` keeps one request in flight per cache key."""

    def __new__(
        cls,
        tenant_url: str,
        *,
        client_id: str,
        private_key: str | bytes | bytearray | PrivateKey | Mapping[str, Any],
        key_id: str,
        algorithm: str | None = None,
        passphrase: str | bytes | None = None,
        scope: str | None = None,
        timeout: float | timedelta | None = None,
        retries: int | None = None,
        retry_delay: float | timedelta | None = None,
    ) -> OAuthCore: ...
    @property
    def tenant_url(self) -> str:
        """The tenant's base URL."""
    @property
    def client_id(self) -> str:
        """The OAuth client ID."""
    def cache_key(self, subject: str | None = None) -> str:
        """The cache key of the token for ``subject`` (``None``: machine to machine)."""
    def cached(self, subject: str | None = None) -> dict[str, Any] | None:
        """The cached token for ``subject`` as a dict while the core's policy reuses it."""
    def clear_cache(self) -> None:
        """Forgets every cached token."""
    def start(self, subject: str | None = None) -> TokenFlow | _Failure:
        """Starts a token request for ``subject`` (``None``: machine to machine): the
        :class:`TokenFlow`, or a failure dict. ``begin()`` gives its first step."""

@final
class TokenFlow:
    """One token request in progress: the core's state machine. Each method returns the next
    step as ``(kind, value)``: ``("send", (method, url, headers, body, timeout))``,
    ``("wait", seconds)``, ``("done", token dict)`` (also cached) or ``("failed", failure
    dict)``."""

    def begin(self) -> _Step:
        """The first step: the request with a newly signed assertion."""
    def receive(self, status: int, body: str) -> _Step:
        """The answer to the last request: its status and body text."""
    def unreachable(self, message: str) -> _Step:
        """The last request got no answer; ``message`` says why."""
    def waited(self) -> _Step:
        """The wait is over."""
