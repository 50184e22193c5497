"""OAuth access tokens for Qlik Cloud with a private key JWT, on the standard library (``urllib``).

:class:`OAuthClient` signs a client assertion with the OAuth client's private key and trades it
at ``POST /oauth/token`` for an access token: machine to machine (:meth:`OAuthClient.access_token`)
or as a user (:meth:`OAuthClient.impersonate`, Qlik's ``urn:qlik:oauth:user-impersonation``
grant). Tokens are cached per grant, user and scope until shortly before they expire
(``TOKEN_REFRESH_MARGIN_SECS``); threads asking for the same token at once share one request.

Every decision (the assertion, the request, retries with a fresh assertion, the reading of the
answer and of Qlik's error bodies, the cache policy) is the core's (``OAuthCore`` and
``TokenFlow``); this module sends the requests, waits, and keeps one request in flight per key.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from qlik_jwt._native import OAuthCore, PrivateKey, TokenFlow
from qlik_jwt._urllib_flow import drive, error_of

__all__ = ["AccessToken", "OAuthClient"]


class AccessToken:
    """An access token of ``POST /oauth/token``. Its ``repr`` never shows the token."""

    access_token: str
    """The token: send it as ``Authorization: Bearer <access_token>``."""
    token_type: str
    """The token type Qlik gives (``bearer``)."""
    expires_in: int
    """Seconds it was valid for when issued."""
    expires_at: int
    """When it expires, in seconds since the epoch."""
    scope: str | None
    """The scopes granted, when named."""

    def __init__(self, parts: Mapping[str, Any]) -> None:
        self.access_token = parts["access_token"]
        self.token_type = parts["token_type"]
        self.expires_in = parts["expires_in"]
        self.expires_at = parts["expires_at"]
        self.scope = parts["scope"]

    @property
    def authorization(self) -> str:
        """The ``Authorization`` header value: ``Bearer <access_token>``."""
        return f"Bearer {self.access_token}"

    def as_dict(self) -> dict[str, Any]:
        """The token as Qlik's answer names its fields (e.g. to hand to a browser)."""
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expires_in": self.expires_in,
            "expires_at": self.expires_at,
            "scope": self.scope,
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AccessToken) and self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"AccessToken(token_type={self.token_type!r}, expires_in={self.expires_in}, "
            f"expires_at={self.expires_at}, scope={self.scope!r}, access_token=<redacted>)"
        )


def _drive(flow: TokenFlow) -> AccessToken:
    """Carries out a token request's steps until it gives a token or an error."""
    return drive(flow, flow.begin(), AccessToken, with_headers=False)


class _Gate:
    """One request at a time for one cache key, and how many callers hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0


class OAuthClient:
    """An OAuth client of one tenant, signing its client assertions with ``private_key`` (PEM or
    DER as ``str``/``bytes``, a JWK ``dict`` or a :class:`PrivateKey`) whose public JWK,
    ``key_id``, is registered on the OAuth client ``client_id``. ``algorithm`` is RS256 (default
    for RSA) or RS512, ES384 for an EC P-384 key. ``scope`` (space-separated) replaces the
    client's default scopes. Raises at once when the key or settings are not what Qlik takes.

    Thread-safe: share one client between threads; concurrent callers of the same token share one
    request.
    """

    def __init__(
        self,
        tenant_url: str,
        *,
        client_id: str,
        private_key: str | bytes | PrivateKey | Mapping[str, Any],
        key_id: str,
        algorithm: str | None = None,
        passphrase: str | bytes | None = None,
        scope: str | None = None,
        timeout: float | timedelta | None = None,
        retries: int | None = None,
        retry_delay: float | timedelta | None = None,
    ) -> None:
        self._core = OAuthCore(
            tenant_url,
            client_id=client_id,
            private_key=private_key,
            key_id=key_id,
            algorithm=algorithm,
            passphrase=passphrase,
            scope=scope,
            timeout=timeout,
            retries=retries,
            retry_delay=retry_delay,
        )
        self._guard = threading.Lock()
        self._gates: dict[str, _Gate] = {}

    @property
    def tenant_url(self) -> str:
        """The tenant's base URL."""
        return self._core.tenant_url

    @property
    def client_id(self) -> str:
        """The OAuth client ID."""
        return self._core.client_id

    def access_token(self, impersonate: str | None = None) -> AccessToken:
        """A machine-to-machine token (``client_credentials``), or with ``impersonate`` a token
        acting as the user of that subject. From the cache while fresh."""
        if impersonate is not None and not isinstance(impersonate, str):
            raise TypeError(
                f"impersonate must be the user's subject, a str, not {type(impersonate).__name__}"
            )
        cached = self._core.cached(impersonate)
        if cached is not None:
            return AccessToken(cached)
        key = self._core.cache_key(impersonate)
        with self._guard:
            gate = self._gates.setdefault(key, _Gate())
            gate.users += 1
        try:
            with gate.lock:
                # Whoever held the gate before may have fetched it.
                cached = self._core.cached(impersonate)
                if cached is not None:
                    return AccessToken(cached)
                flow = self._core.start(impersonate)
                if isinstance(flow, dict):
                    raise error_of(flow)
                return _drive(flow)
        finally:
            # A gate lives while someone uses it, so a server impersonating many users keeps
            # no gate per user.
            with self._guard:
                gate.users -= 1
                if gate.users == 0:
                    del self._gates[key]

    def impersonate(self, subject: str) -> AccessToken:
        """A token acting as the user of ``subject``: ``access_token(impersonate=subject)``."""
        return self.access_token(impersonate=subject)

    def clear_cache(self) -> None:
        """Forgets every cached token (e.g. after an API call refused one)."""
        self._core.clear_cache()

    def __repr__(self) -> str:
        return f"OAuthClient(tenant_url={self.tenant_url!r}, client_id={self.client_id!r})"
