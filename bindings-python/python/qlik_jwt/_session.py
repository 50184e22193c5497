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

import http.client
import json as _json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from email.message import Message
from typing import Any

from qlik_jwt._errors import QlikJwtError
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

__all__ = ["QlikApiError", "Response", "Session", "login", "login_with"]

# The core's defaults, shown in the signatures of login and login_with.
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


def _error_of(failure: Mapping[str, Any], cause: BaseException | None = None) -> BaseException:
    """The one mapping from the core's failures to Python exceptions. An unreachable tenant
    raises the transport's own error (``cause``) when there is one."""
    code, message = failure["code"], failure["message"]
    if code == "ERR_QLIK_REFUSED":
        return QlikApiError(
            message,
            code=failure["qlik_code"],
            status=failure["status"],
            title=failure["title"],
            detail=failure["detail"],
            trace_id=failure["trace_id"],
            hint=failure["hint"],
        )
    if code == "ERR_UNREACHABLE":
        return cause if cause is not None else ConnectionError(message)
    if code == "ERR_INVALID_URL":
        return ValueError(message)
    if code == "ERR_INVALID_ARGUMENT":
        return TypeError(message)
    return QlikJwtError(message, code=code)


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


_OPENER = urllib.request.build_opener(_NoRedirect())

_Request = tuple[str, str, list[tuple[str, str]], bytes, float]


def _exchange(
    request: _Request, body: bytes | None = None, extra: Mapping[str, str] | None = None
) -> tuple[int, Message, bytes]:
    """Sends the core's ``request`` (``body`` instead of its own when given, ``extra`` headers
    under its own) and returns the status, headers and body of the answer, error or not."""
    method, url, headers, own_body, timeout = request
    outgoing = urllib.request.Request(url, method=method)
    for name, value in (extra or {}).items():
        outgoing.add_header(name, value)
    for name, value in headers:
        outgoing.add_header(name, value)
    data = own_body if body is None else body
    if data or method not in ("GET", "HEAD"):
        outgoing.data = data
    try:
        with _OPENER.open(outgoing, timeout=timeout) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, refused.headers, refused.read()


def _pairs(headers: Message) -> list[tuple[str, str]]:
    return [(name, str(value)) for name, value in headers.items()]


def _text(body: bytes) -> str:
    return body.decode("utf-8", "replace")


class Session:
    """A logged-in session: the cookies of the login and the CSRF token. Reuse it for every
    call; log in again (with a newly signed token) only when a call answers 401.

    Make it with :func:`login` or :func:`login_with`. Cookie values never show in ``repr``.
    """

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
        request = self._core.request(str(method), str(path), json is not None)
        if isinstance(request, dict):
            raise _error_of(request)
        if json is not None:
            data = _json.dumps(json).encode()
        status, answer_headers, body = _exchange(request, data, headers)
        if self._core.receive(request[1], status, _pairs(answer_headers)):
            return Response(status, answer_headers, body)
        raise _error_of(session_refusal(status, _text(body)))

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
        raise _error_of(flow)
    return flow


def _drive(flow: LoginFlow, sign: Callable[[], object]) -> Session:
    """Carries out a login's steps until it gives a session or an error."""
    kind: str = "sign"
    value: Any = None
    cause: BaseException | None = None
    while True:
        if kind == "sign":
            token = sign()
            # A token that is not a str is refused by the core's rule for an empty one.
            kind, value = flow.token(token if isinstance(token, str) else "")
        elif kind == "send":
            try:
                status, headers, body = _exchange(value)
            except (OSError, http.client.HTTPException) as error:
                cause = error
                kind, value = flow.unreachable(str(error) or type(error).__name__)
                continue
            kind, value = flow.receive(status, _pairs(headers), _text(body))
        elif kind == "wait":
            time.sleep(value)
            kind, value = flow.waited()
        elif kind == "done":
            return Session(value)
        else:
            raise _error_of(value, cause)


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
