"""Moving the bytes of the core's sans-IO flows on the standard library (``urllib``).

The one driving loop of a login or token request (send, wait, done, failed), the one sending of
a session's call, and the one mapping of the core's failures to Python exceptions. The session
clients and the OAuth client decide nothing here; the core's flows do.
"""

from __future__ import annotations

import http.client
import json as _json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from email.message import Message
from typing import Any, Protocol, TypeVar

from qlik_jwt._errors import QlikApiError, QlikJwtError

_Result = TypeVar("_Result")


def error_of(failure: Mapping[str, Any], cause: BaseException | None = None) -> BaseException:
    """The one mapping from the core's failures to Python exceptions. An unreachable server
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

Request = tuple[str, str, list[tuple[str, str]], bytes, float]


def exchange(
    request: Request, body: bytes | None = None, extra: Mapping[str, str] | None = None
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


def pairs(headers: Message) -> list[tuple[str, str]]:
    """Every header as ``(name, value)``, each ``Set-Cookie`` on its own."""
    return [(name, str(value)) for name, value in headers.items()]


def text(body: bytes) -> str:
    """A body as text, as the core reads it."""
    return body.decode("utf-8", "replace")


def drive(
    flow: Any,
    step: tuple[str, Any],
    done: Callable[[Any], _Result],
    *,
    sign: Callable[[], object] | None = None,
    with_headers: bool = True,
) -> _Result:
    """Carries out ``flow``'s steps from ``step`` until it is done (``done(value)``) or failed
    (raising the mapped error). ``sign()`` gives the token of a ``sign`` step; ``with_headers``
    says whether the flow's ``receive`` takes the response headers."""
    kind, value = step
    cause: BaseException | None = None
    while True:
        if kind == "sign" and sign is not None:
            token = sign()
            # A token that is not a str is refused by the core's rule for an empty one.
            kind, value = flow.token(token if isinstance(token, str) else "")
        elif kind == "send":
            try:
                status, headers, body = exchange(value)
            except (OSError, http.client.HTTPException) as error:
                cause = error
                kind, value = flow.unreachable(str(error) or type(error).__name__)
                continue
            if with_headers:
                kind, value = flow.receive(status, pairs(headers), text(body))
            else:
                kind, value = flow.receive(status, text(body))
        elif kind == "wait":
            time.sleep(value)
            kind, value = flow.waited()
        elif kind == "done":
            return done(value)
        else:
            raise error_of(value, cause)


class _SessionCore(Protocol):
    def request(self, method: str, path: str, json: bool) -> Any: ...
    def receive(self, url: str, status: int, headers: list[tuple[str, str]]) -> bool: ...


class SessionCalls:
    """The calls every session makes the same way over its core: :meth:`request` and its
    shorthands on top of :meth:`send`."""

    _core: _SessionCore

    def _refused(self, status: int, body: str) -> Mapping[str, Any]:
        """The core's failure dict of a refused call."""
        raise NotImplementedError

    def _send(
        self,
        method: str,
        path: str,
        json: Any,
        data: bytes | None,
        headers: Mapping[str, str] | None,
    ) -> Response:
        """The core's request for ``method path``, sent; raises the core's refusal of an answer
        other than 2xx."""
        request = self._core.request(str(method), str(path), json is not None)
        if isinstance(request, dict):
            raise error_of(request)
        if json is not None:
            data = _json.dumps(json).encode()
        status, answer_headers, body = exchange(request, data, headers)
        if self._core.receive(request[1], status, pairs(answer_headers)):
            return Response(status, answer_headers, body)
        raise error_of(self._refused(status, text(body)))

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """``method path`` with ``json`` (or raw ``data``) as the body. Raises
        :class:`QlikApiError` for an answer other than 2xx."""
        return self._send(method, path, json, data, headers)

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

    def delete(self, path: str) -> Any:
        """``DELETE path``, parsed."""
        return self.request("DELETE", path)
