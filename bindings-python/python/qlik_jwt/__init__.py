"""qlik-jwt: signs valid Qlik Cloud JWTs fast and explains invalid ones.

- :func:`sign`, :func:`verify`, :func:`decode`: ``jsonwebtoken`` 9's functions in Python's idiom,
  same engine and same tokens as the Node package.
- :class:`QlikSigner`: made once from the identity provider's settings, signs valid Qlik tokens.
- :func:`explain`: every reason Qlik Cloud would refuse a token, as :class:`Problem` objects.
- :class:`ClientManagedSigner`, :func:`explain_client_managed`: the same for a client-managed
  (Qlik Sense Enterprise on Windows) JWT virtual proxy.
- :class:`ClientAssertionSigner`, :func:`explain_client_assertion`, :func:`generate_oauth_keys`:
  Qlik Cloud OAuth with a private key JWT (client assertions for ``POST /oauth/token``).
- :class:`PrivateKey`, :class:`PublicKey`: keys parsed once, to reuse and share between threads.
- Setup: :func:`generate_keys`, :func:`single_line_pem`, :func:`identity_provider_config`,
  :func:`key_matches`; :class:`LocalTenant`, a local Qlik tenant for tests, and
  :class:`LocalClientManagedTenant`, a local client-managed JWT virtual proxy with its engine
  websocket.
- Client-managed setup: :func:`virtual_proxy_config` (the QRS virtual-proxy body),
  :func:`import_pfx` (the key of a PKCS#12/PFX certificate export).
- :func:`login`, :func:`login_with`: a token traded for a :class:`Session` (reuse it: Qlik
  allows 100 logins a minute); refusals raise :class:`QlikApiError`.
- :class:`OAuthClient`: OAuth access tokens with a private key JWT, machine to machine or
  impersonating a user, cached and shared between threads (:class:`AccessToken`).

Every error is a :class:`QlikJwtError` with a stable ``code``.
"""

from qlik_jwt._client_managed_session import ClientManagedSession, login_client_managed
from qlik_jwt._errors import (
    InvalidKeyError,
    InvalidOptionError,
    InvalidPayloadError,
    JsonWebTokenError,
    NotBeforeError,
    QlikJwtError,
    QlikRuleError,
    TokenExpiredError,
)
from qlik_jwt._native import (
    CLIENT_ASSERTION_TYPE,
    CSRF_HEADER,
    CSRF_TOKEN_PATH,
    IDENTITY_PROVIDERS_PATH,
    LOGIN_PATH,
    LOGINS_PER_MINUTE,
    OAUTH_TOKEN_PATH,
    QLIK_AUDIENCE,
    QLIK_MAX_WINDOW_SECONDS,
    SESSION_COOKIES,
    TOKEN_REFRESH_MARGIN_SECS,
    USERS_ME_PATH,
    WEB_INTEGRATION_ID_HEADER,
    ClientAssertionSigner,
    ClientManagedSigner,
    GeneratedKeys,
    LocalClientManagedTenant,
    LocalTenant,
    OauthKeys,
    PfxKey,
    PrivateKey,
    Problem,
    PublicKey,
    QlikSigner,
    __version__,
    decode,
    explain,
    explain_client_assertion,
    explain_client_managed,
    generate_keys,
    generate_oauth_keys,
    identity_provider_config,
    import_pfx,
    key_matches,
    sign,
    single_line_pem,
    verify,
    virtual_proxy_config,
)
from qlik_jwt._oauth import AccessToken, OAuthClient
from qlik_jwt._session import QlikApiError, Response, Session, login, login_with

__all__ = [
    "CLIENT_ASSERTION_TYPE",
    "CSRF_HEADER",
    "CSRF_TOKEN_PATH",
    "IDENTITY_PROVIDERS_PATH",
    "LOGINS_PER_MINUTE",
    "LOGIN_PATH",
    "OAUTH_TOKEN_PATH",
    "QLIK_AUDIENCE",
    "QLIK_MAX_WINDOW_SECONDS",
    "SESSION_COOKIES",
    "TOKEN_REFRESH_MARGIN_SECS",
    "USERS_ME_PATH",
    "WEB_INTEGRATION_ID_HEADER",
    "AccessToken",
    "ClientAssertionSigner",
    "ClientManagedSession",
    "ClientManagedSigner",
    "GeneratedKeys",
    "InvalidKeyError",
    "InvalidOptionError",
    "InvalidPayloadError",
    "JsonWebTokenError",
    "LocalClientManagedTenant",
    "LocalTenant",
    "NotBeforeError",
    "OAuthClient",
    "OauthKeys",
    "PfxKey",
    "PrivateKey",
    "Problem",
    "PublicKey",
    "QlikApiError",
    "QlikJwtError",
    "QlikRuleError",
    "QlikSigner",
    "Response",
    "Session",
    "TokenExpiredError",
    "__version__",
    "decode",
    "explain",
    "explain_client_assertion",
    "explain_client_managed",
    "generate_keys",
    "generate_oauth_keys",
    "identity_provider_config",
    "import_pfx",
    "key_matches",
    "login",
    "login_client_managed",
    "login_with",
    "sign",
    "single_line_pem",
    "verify",
    "virtual_proxy_config",
]
