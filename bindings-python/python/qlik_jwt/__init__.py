"""qlik-jwt: signs valid Qlik Cloud JWTs fast and explains invalid ones.

- :func:`sign`, :func:`verify`, :func:`decode`: ``jsonwebtoken`` 9's functions in Python's idiom,
  same engine and same tokens as the Node package.
- :class:`QlikSigner`: made once from the identity provider's settings, signs valid Qlik tokens.
- :func:`explain`: every reason Qlik Cloud would refuse a token, as :class:`Problem` objects.
- :class:`PrivateKey`, :class:`PublicKey`: keys parsed once, to reuse and share between threads.

Every error is a :class:`QlikJwtError` with a stable ``code``.
"""

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
    QLIK_AUDIENCE,
    QLIK_MAX_WINDOW_SECONDS,
    PrivateKey,
    Problem,
    PublicKey,
    QlikSigner,
    __version__,
    decode,
    explain,
    sign,
    verify,
)

__all__ = [
    "QLIK_AUDIENCE",
    "QLIK_MAX_WINDOW_SECONDS",
    "InvalidKeyError",
    "InvalidOptionError",
    "InvalidPayloadError",
    "JsonWebTokenError",
    "NotBeforeError",
    "PrivateKey",
    "Problem",
    "PublicKey",
    "QlikJwtError",
    "QlikRuleError",
    "QlikSigner",
    "TokenExpiredError",
    "__version__",
    "decode",
    "explain",
    "sign",
    "verify",
]
