"""The jwt-session client on the standard library (``urllib``).

:func:`login` trades a Qlik token for a session: ``POST /login/jwt-session`` with
``Authorization: Bearer <token>``, then ``GET /api/v1/csrf-token``. The :class:`Session` sends
the session cookies on every call and ``qlik-csrf-token`` on every call but GET and HEAD, and
gives the engine websocket's URL and headers. Refusals raise :class:`QlikApiError` with Qlik's
``status``, ``code``, ``title``, ``detail`` and ``trace_id``, and for a login a ``hint`` from
the core's checks when the token itself explains the refusal.

Reuse a session for every call: Qlik allows 100 logins a minute. A token's ``jti`` is accepted
once, so a retried login needs a newly signed token: :func:`login_with` signs one per attempt.

Every decision (the tenant URL, cookies, the CSRF header, timeouts, retries, the reading of
error bodies) is the core's login protocol (``LoginFlow`` and ``SessionCore``); this module
sends the requests it asks for and reports the answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from qlik_jwt._errors import QlikApiError
from qlik_jwt._native import (
    DEFAULT_LOGIN_RETRIES,
    DEFAULT_RETRY_DELAY_MS,
    DEFAULT_TIMEOUT_SECS,
    LoginFlow,
    QlikSigner,
    SessionCore,
    session_refusal,
    start_login,
)
from qlik_jwt._urllib_flow import Response, SessionCalls, drive, error_of

__all__ = ["QlikApiError", "Response", "Session", "login", "login_with"]

# The core's defaults, shown in the signatures of login and login_with.
_TIMEOUT = float(DEFAULT_TIMEOUT_SECS)
_RETRY_DELAY = DEFAULT_RETRY_DELAY_MS / 1000


class Session(SessionCalls):
    """A logged-in session: the cookies of the login and the CSRF token. Reuse it for every
    call; log in again (with a newly signed token) only when a call answers 401.

    Make it with :func:`login` or :func:`login_with`. Cookie values never show in ``repr``.
    """

    _core: SessionCore

    def __init__(self, core: SessionCore) -> None:
        self._core = core

    @property
    def base_url(self) -> str:
        """The tenant's base URL, e.g. ``"https://acme.eu.qlikcloud.com"``."""
        return self._core.base_url

    @property
    def csrf_token(self) -> str:
        """The session's CSRF token (sent as ``qlik-csrf-token`` on non-GET calls)."""
        return self._core.csrf_token

    @property
    def cookie_names(self) -> list[str]:
        """The names of the session cookies."""
        return self._core.cookie_names

    @property
    def cookie_header(self) -> str:
        """The session cookies as a ``Cookie`` header value."""
        return self._core.cookie_header

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """``method path`` (e.g. ``"/api/v1/users/me"``) with the session cookies,
        ``qlik-csrf-token`` unless the method is GET or HEAD, and ``json`` (or raw ``data``) as
        the body. Raises :class:`QlikApiError` for an answer other than 2xx."""
        return self._send(method, path, json, data, headers)

    def _refused(self, status: int, body: str) -> Mapping[str, Any]:
        return session_refusal(status, body)

    def patch(self, path: str, json: Any = None) -> Any:
        """``PATCH path`` with a JSON body, parsed."""
        return self.request("PATCH", path, json)

    def websocket_url(self, app_id: str) -> str:
        """The engine websocket URL of app ``app_id``:
        ``wss://<tenant>/app/<appId>?qlik-csrf-token=…``. Open it with
        :meth:`websocket_headers`."""
        return self._core.websocket_url(str(app_id))

    def websocket_headers(self) -> dict[str, str]:
        """The headers the engine websocket needs: the session cookies."""
        return {"Cookie": self.cookie_header}

    def __repr__(self) -> str:
        return f"Session(base_url={self.base_url!r}, cookies={self.cookie_names!r})"


def _start(tenant_url: str, **options: Any) -> LoginFlow:
    if not isinstance(tenant_url, str):
        raise TypeError(f"tenant_url must be str, not {type(tenant_url).__name__}")
    flow = start_login(tenant_url, **options)
    if isinstance(flow, dict):
        raise error_of(flow)
    return flow


def _drive(flow: LoginFlow, sign: Callable[[], object]) -> Session:
    """Carries out a login's steps until it gives a session or an error."""
    return drive(flow, ("sign", None), Session, sign=sign)


def login(
    tenant_url: str,
    token: str,
    *,
    web_integration_id: str | None = None,
    timeout: float = _TIMEOUT,
) -> Session:
    """Logs in to the tenant at ``tenant_url`` (e.g. ``"https://acme.eu.qlikcloud.com"``) with a
    signed Qlik token and returns the :class:`Session`. ``timeout`` (seconds per call) is the
    core's default, 30.

    Raises :class:`QlikApiError` when the tenant refuses (its ``hint`` says what the core finds
    wrong with the token), ``urllib.error.URLError``/``OSError`` when it cannot be reached.
    Never retried with the same token: its ``jti`` was used (see :func:`login_with`).
    """
    flow = _start(tenant_url, web_integration_id=web_integration_id, timeout=timeout)
    return _drive(flow, lambda: token)


def login_with(
    tenant_url: str,
    signer: QlikSigner,
    user: Mapping[str, Any],
    *,
    web_integration_id: str | None = None,
    timeout: float = _TIMEOUT,
    retries: int = DEFAULT_LOGIN_RETRIES,
    retry_delay: float = _RETRY_DELAY,
) -> Session:
    """:func:`login` with a token that ``signer`` signs for ``user`` (the keyword arguments of
    :meth:`QlikSigner.sign`: ``sub``, ``name``, ``email``, ...) on every attempt, so a retry
    never reuses a ``jti``. Retries only what a retry can cure: an unreachable tenant and HTTP
    429/502/503/504, ``retries`` times (the core's default: 2), after ``retry_delay`` seconds (the
    core's default: 1), doubling."""
    flow = _start(
        tenant_url,
        web_integration_id=web_integration_id,
        timeout=timeout,
        retrying=True,
        retries=retries,
        retry_delay=retry_delay,
    )
    return _drive(flow, lambda: signer.sign(**user))
