"""The client-managed (Qlik Sense Enterprise on Windows) session client on ``urllib``.

:func:`login_client_managed` opens one session on a JWT virtual proxy: ``GET
/<prefix>/qps/csrftoken`` with ``Authorization: Bearer <token>``; the proxy answers with its
session cookie and the ``qlik-csrf-token`` header. The :class:`ClientManagedSession` then sends
the cookie (never the token again), a fresh xrfkey on QRS calls, and gives the engine websocket's
URL and headers. Reuse it: each login opens another proxy session, and a user may hold 5.

Every decision (the proxy URL and prefix, which cookie is the session's, the xrfkey, retries, the
reading of refusals and their hints) is the core's (``ClientManagedFlow`` and
``ClientManagedCore``); this module sends the requests it asks for and reports the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qlik_jwt._native import (
    DEFAULT_TIMEOUT_SECS,
    ClientManagedCore,
    client_managed_refusal,
    start_client_managed_login,
)
from qlik_jwt._urllib_flow import Response, SessionCalls, drive, error_of

__all__ = ["ClientManagedSession", "login_client_managed"]

_TIMEOUT = float(DEFAULT_TIMEOUT_SECS)


class ClientManagedSession(SessionCalls):
    """A client-managed proxy session: the proxy's session cookie and the CSRF token. Reuse it
    for every call and websocket.

    Make it with :func:`login_client_managed`. The cookie's value never shows in ``repr``.
    """

    _core: ClientManagedCore

    def __init__(self, core: ClientManagedCore) -> None:
        self._core = core

    @property
    def base_url(self) -> str:
        """The proxy's base URL with its prefix, e.g. ``"https://sense.example.com/jwt"``."""
        return self._core.base_url

    @property
    def origin(self) -> str:
        """The proxy's origin (the websocket's ``Origin``)."""
        return self._core.origin

    @property
    def csrf_token(self) -> str:
        """The CSRF token of ``/qps/csrftoken`` (the websocket's ``qlik-csrf-token``)."""
        return self._core.csrf_token

    @property
    def cookie_name(self) -> str:
        """The session cookie's name, e.g. ``"X-Qlik-Session-jwt"``."""
        return self._core.cookie_name

    @property
    def cookie_value(self) -> str:
        """The session cookie's value (it is the session: keep it secret)."""
        return self._core.cookie_value or ""

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
        """``method path`` under the prefix (e.g. ``"/qrs/about"``) with the session cookie, a
        fresh xrfkey on QRS paths, and ``json`` (or raw ``data``) as the body. Raises
        :class:`QlikApiError` for an answer other than 2xx."""
        # The session is the cookie: a caller's Authorization would open another proxy session.
        extra = {k: v for k, v in (headers or {}).items() if k.lower() != "authorization"}
        return self._send(method, path, json, data, extra)

    def _refused(self, status: int, body: str) -> Mapping[str, Any]:
        return client_managed_refusal(status, body)

    def websocket_url(self, app_id: str) -> str:
        """The engine websocket URL of app ``app_id``:
        ``wss://<host>/<prefix>/app/<appId>?qlik-csrf-token=…``. Open it with
        :meth:`websocket_headers`."""
        return self._core.websocket_url(str(app_id))

    def websocket_headers(self) -> dict[str, str]:
        """The websocket upgrade's headers: ``Cookie`` and ``Origin`` (never ``Authorization``)."""
        return dict(self._core.websocket_headers())

    def __repr__(self) -> str:
        return f"ClientManagedSession(base_url={self.base_url!r}, cookie_name={self.cookie_name!r})"


def login_client_managed(
    base_url: str,
    token: str,
    *,
    timeout: float = _TIMEOUT,
    session_cookie_name: str | None = None,
    retries: int | None = None,
    retry_delay: float | None = None,
) -> ClientManagedSession:
    """Opens one session on the client-managed JWT virtual proxy at ``base_url`` (prefix
    included, e.g. ``"https://sense.example.com/jwt"``) with ``token``, a JWT for that proxy.
    ``timeout`` (seconds per call) is the core's default, 30; ``session_cookie_name`` is the
    proxy's session cookie header name when it is not the conventional one. Retries only an
    unreachable proxy and HTTP 429/502/503/504 (``retries`` times, the core's default 2, after
    ``retry_delay`` seconds, doubling).

    Raises :class:`QlikApiError` when the proxy refuses (its ``hint`` says what the refusal most
    likely means), ``OSError`` when it cannot be reached.
    """
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be str, not {type(base_url).__name__}")
    flow = start_client_managed_login(
        base_url,
        token if isinstance(token, str) else "",
        timeout=timeout,
        session_cookie_name=session_cookie_name,
        retries=retries,
        retry_delay=retry_delay,
    )
    if isinstance(flow, dict):
        raise error_of(flow)
    return drive(flow, flow.start(), ClientManagedSession)
