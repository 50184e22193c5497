"""The exceptions of qlik-jwt.

Every exception carries ``code``, the core's stable machine-readable code (for example
``"ERR_JWT_EXPIRED"``); test and branch on the code, not on the message. The classes mirror
``jsonwebtoken``'s: ``JsonWebTokenError`` for token failures, with ``TokenExpiredError`` and
``NotBeforeError`` below it, and separate classes for bad keys, options, payloads and Qlik rules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class QlikJwtError(Exception):
    """The root of every qlik-jwt error; ``code`` is the core's stable code."""

    code: str
    """The stable machine-readable code, e.g. ``"ERR_INVALID_KEY"``."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code

    @property
    def message(self) -> str:
        """The message for people."""
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, dict(vars(self))))


def _rebuild(cls: type[QlikJwtError], message: str, state: dict[str, Any]) -> QlikJwtError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    vars(error).update(state)
    return error


class JsonWebTokenError(QlikJwtError):
    """A token failed to verify or decode (``jsonwebtoken``'s ``JsonWebTokenError``)."""


class TokenExpiredError(JsonWebTokenError):
    """The token's ``exp`` (or ``iat`` plus ``max_age``) has passed."""

    expired_at: datetime
    """When the token expired, as an aware UTC ``datetime``."""

    def __init__(self, message: str, *, code: str, expired_at: datetime) -> None:
        super().__init__(message, code=code)
        self.expired_at = expired_at


class NotBeforeError(JsonWebTokenError):
    """The token's ``nbf`` is still in the future."""

    date: datetime
    """When the token becomes valid, as an aware UTC ``datetime``."""

    def __init__(self, message: str, *, code: str, date: datetime) -> None:
        super().__init__(message, code=code)
        self.date = date


class InvalidKeyError(QlikJwtError):
    """A key is missing, does not parse, is too small, or does not fit the algorithm."""


class InvalidOptionError(QlikJwtError):
    """An option has a value the core refuses (an unknown algorithm, a bad time span...)."""


class InvalidPayloadError(QlikJwtError):
    """The payload cannot be signed, or it conflicts with an option."""


class QlikRuleError(QlikJwtError):
    """Qlik Cloud would refuse this token or these signer settings."""


__all__ = [
    "InvalidKeyError",
    "InvalidOptionError",
    "InvalidPayloadError",
    "JsonWebTokenError",
    "NotBeforeError",
    "QlikJwtError",
    "QlikRuleError",
    "TokenExpiredError",
]


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
