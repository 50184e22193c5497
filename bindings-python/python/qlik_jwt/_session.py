"""The jwt-session client on the standard library (``urllib`` and ``http.cookiejar``).

:func:`login` trades a Qlik token for a session: ``POST /login/jwt-session`` with
``Authorization: Bearer <token>``, then ``GET /api/v1/csrf-token``. The :class:`Session` sends
the session cookies on every call and ``qlik-csrf-token`` on every call but GET and HEAD, and
gives the engine websocket's URL and headers. Refusals raise :class:`QlikApiError` with Qlik's
``status``, ``code``, ``title``, ``detail`` and ``trace_id``, and for a login a ``hint`` from
the core's checks when the token itself explains the refusal.

Reuse a session for every call: Qlik allows 100 logins a minute. A token's ``jti`` is accepted
once, so a retried login needs a newly signed token: :func:`login_with` signs one per attempt.
The protocol's names and the reading of error bodies come from the core.
"""

from __future__ import annotations

import http.cookiejar
import json as _json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from email.message import Message
from typing import Any

from qlik_jwt._errors import QlikJwtError
from qlik_jwt._native import (
    CSRF_HEADER,
    CSRF_TOKEN_PATH,
    DEFAULT_LOGIN_RETRIES,
    DEFAULT_RETRY_DELAY_MS,
    DEFAULT_TIMEOUT_SECS,
    LOGIN_PATH,
    RETRIED_STATUSES,
    WEB_INTEGRATION_ID_HEADER,
    QlikSigner,
    engine_websocket_url,
    login_retry_wait,
    login_token_problem,
    no_csrf_token,
    no_session_cookies,
    path_problem,
    qlik_error_parts,
    tenant_origin,
)

__all__ = ["QlikApiError", "Response", "Session", "login", "login_with"]

_RETRIED_STATUSES = frozenset(RETRIED_STATUSES)
_TIMEOUT = float(DEFAULT_TIMEOUT_SECS)
_RETRY_DELAY = DEFAULT_RETRY_DELAY_MS / 1000


class QlikApiError(QlikJwtError):
    """Qlik (or the local tenant) refused a call.

    ``code`` is Qlik's code, e.g. ``"INTERNAL-TOKEN-1"`` (empty when the body had none).
    """

    status: int
    """The HTTP status."""
    title: str
    """Qlik's title for the error."""
    detail: str | None
    """Qlik's detail, when given."""
    trace_id: str | None
    """The response's ``traceId``, for Qlik support."""
    hint: str | None
    """For a refused login: what the core's checks find wrong with the token, or ``None``."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int,
        title: str,
        detail: str | None = None,
        trace_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.title = title
        self.detail = detail
        self.trace_id = trace_id
        self.hint = hint


def _error_of(status: int, body: bytes, token: str | None = None) -> QlikApiError:
    parts = qlik_error_parts(status, body.decode("utf-8", "replace"), token)
    return QlikApiError(
        parts["message"],
        code=parts["code"],
        status=parts["status"],
        title=parts["title"],
        detail=parts["detail"],
        trace_id=parts["trace_id"],
        hint=parts["hint"],
    )


class Response:
    """A 2xx answer of a session call."""

    status: int
    """The HTTP status."""
    headers: Message
    """The response headers (case-insensitive ``get``)."""
    body: bytes
    """The body."""

    def __init__(self, status: int, headers: Message, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        """The body as UTF-8 text."""
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return _json.loads(self.body)

    def __repr__(self) -> str:
        return f"Response(status={self.status}, {len(self.body)} bytes)"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers, not something to follow with the session's cookies."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _base_url(tenant_url: str) -> str:
    if not isinstance(tenant_url, str):
        raise TypeError(f"tenant_url must be str, not {type(tenant_url).__name__}")
    return tenant_origin(tenant_url)


class Session:
    """A logged-in session: the cookies of the login and the CSRF token. Reuse it for every
    call; log in again (with a newly signed token) only when a call answers 401.

    Make it with :func:`login` or :func:`login_with`. Cookie values never show in ``repr``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        web_integration_id: str | None = None,
        timeout: float = _TIMEOUT,
    ) -> None:
        self._base_url = base_url
        self._web_integration_id = web_integration_id
        self._timeout = timeout
        self._cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self._cookies), _NoRedirect()
        )
        self._csrf_token = ""

    @property
    def base_url(self) -> str:
        """The tenant's base URL, e.g. ``"https://acme.eu.qlikcloud.com"``."""
        return self._base_url

    @property
    def csrf_token(self) -> str:
        """The session's CSRF token (sent as ``qlik-csrf-token`` on non-GET calls)."""
        return self._csrf_token

    @property
    def cookie_names(self) -> list[str]:
        """The names of the session cookies."""
        return [cookie.name for cookie in self._cookies]

    @property
    def cookie_header(self) -> str:
        """The session cookies as a ``Cookie`` header value."""
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self._cookies)

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
        if not isinstance(path, str):
            raise TypeError(f"path must be str, not {type(path).__name__}")
        problem = path_problem(path)
        if problem:
            raise ValueError(problem)
        method = method.upper()
        request = urllib.request.Request(self._base_url + path, method=method)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if method not in ("GET", "HEAD"):
            request.add_header(CSRF_HEADER, self._csrf_token)
        if self._web_integration_id:
            request.add_header(WEB_INTEGRATION_ID_HEADER, self._web_integration_id)
        if json is not None:
            data = _json.dumps(json).encode()
            request.add_header("Content-Type", "application/json")
        if data is not None:
            request.data = data
        try:
            with self._opener.open(request, timeout=self._timeout) as answer:
                return Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as refused:
            with refused:
                raise _error_of(refused.code, refused.read()) from None

    def request(self, method: str, path: str, json: Any = None) -> Any:
        """``method path`` with ``json`` as the body; the parsed JSON answer, the text of a
        non-JSON answer, or ``None`` for an empty one."""
        answer = self.send(method, path, json=json)
        if not answer.body:
            return None
        if "json" in (answer.headers.get("Content-Type") or ""):
            return answer.json()
        return answer.text

    def get(self, path: str) -> Any:
        """``GET path``, parsed."""
        return self.request("GET", path)

    def post(self, path: str, json: Any = None) -> Any:
        """``POST path`` with a JSON body, parsed."""
        return self.request("POST", path, json)

    def put(self, path: str, json: Any = None) -> Any:
        """``PUT path`` with a JSON body, parsed."""
        return self.request("PUT", path, json)

    def patch(self, path: str, json: Any = None) -> Any:
        """``PATCH path`` with a JSON body, parsed."""
        return self.request("PATCH", path, json)

    def delete(self, path: str) -> Any:
        """``DELETE path``, parsed."""
        return self.request("DELETE", path)

    def websocket_url(self, app_id: str) -> str:
        """The engine websocket URL of app ``app_id``:
        ``wss://<tenant>/app/<appId>?qlik-csrf-token=…``. Open it with
        :meth:`websocket_headers`."""
        return engine_websocket_url(
            self._base_url, app_id, self._csrf_token, self._web_integration_id
        )

    def websocket_headers(self) -> dict[str, str]:
        """The headers the engine websocket needs: the session cookies."""
        return {"Cookie": self.cookie_header}

    def __repr__(self) -> str:
        return f"Session(base_url={self._base_url!r}, cookies={self.cookie_names!r})"

    def _login(self, token: str) -> None:
        request = urllib.request.Request(self._base_url + LOGIN_PATH, method="POST", data=b"")
        request.add_header("Authorization", f"Bearer {token}")
        if self._web_integration_id:
            request.add_header(WEB_INTEGRATION_ID_HEADER, self._web_integration_id)
        try:
            with self._opener.open(request, timeout=self._timeout) as answer:
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as refused:
            with refused:
                raise _error_of(refused.code, refused.read(), token) from None
        if not self.cookie_names:
            raise QlikApiError(
                no_session_cookies(status),
                code="",
                status=status,
                title="No session cookies",
            )
        csrf = self.send("GET", CSRF_TOKEN_PATH)
        token_value = csrf.headers.get(CSRF_HEADER)
        if not token_value:
            raise QlikApiError(
                no_csrf_token(),
                code="",
                status=csrf.status,
                title="No CSRF token",
            )
        self._csrf_token = token_value


def login(
    tenant_url: str,
    token: str,
    *,
    web_integration_id: str | None = None,
    timeout: float = _TIMEOUT,
) -> Session:
    """Logs in to the tenant at ``tenant_url`` (e.g. ``"https://acme.eu.qlikcloud.com"``) with a
    signed Qlik token and returns the :class:`Session`.

    Raises :class:`QlikApiError` when the tenant refuses (its ``hint`` says what the core finds
    wrong with the token), ``urllib.error.URLError``/``OSError`` when it cannot be reached.
    Never retry with the same token: its ``jti`` was used (see :func:`login_with`).
    """
    if not isinstance(token, str):
        raise TypeError(f"token must be str, not {type(token).__name__}")
    problem = login_token_problem(token)
    if problem:
        raise TypeError(problem)
    session = Session(_base_url(tenant_url), web_integration_id=web_integration_id, timeout=timeout)
    session._login(token)
    return session


def _retryable(error: Exception) -> bool:
    if isinstance(error, QlikApiError):
        return error.status in _RETRIED_STATUSES
    return isinstance(error, (urllib.error.URLError, TimeoutError, ConnectionError))


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
    429/502/503/504, after ``retry_delay`` seconds, doubling."""
    attempt = 0
    while True:
        token = signer.sign(**user)
        try:
            return login(tenant_url, token, web_integration_id=web_integration_id, timeout=timeout)
        except (QlikApiError, OSError) as error:
            if attempt >= retries or not _retryable(error):
                raise
        time.sleep(login_retry_wait(retry_delay, attempt))
        attempt += 1
