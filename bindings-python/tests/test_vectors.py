"""The shared vectors of ``tests/vectors/`` (what the real npm ``jsonwebtoken`` 9.0.3 does),
replayed through the Python API.

Each vector is translated into a Python call. Three outcomes:

- *faithful*: every input has a Python spelling with the same meaning; the result must be what
  Node gave: the same token byte for byte (ES*/PS*: same header and payload, signature verifies),
  the same payload, or the same error class, message and time.
- *refused*: an input has a type the Python signature does not take (``issuer=5``, an unknown
  option such as ``encoding``): Python raises ``TypeError``.
- *unsayable*: the input cannot be written in Python at all (an explicit ``undefined``, ``null``
  for an option, where ``None`` means "not given"): skipped, with the reason.

The counts are asserted at the end so a translator bug cannot silently skip vectors.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import qlik_jwt

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"
KEYS = ROOT / "tests" / "keys"
FILES = ("sign", "verify", "decode")

UNDEFINED: Any = object()
"""JavaScript's ``undefined``: no Python value means it."""


class Unsayable(Exception):
    """The vector's input cannot be written as a Python call."""


class Refused(Exception):
    """The vector's input has a type the Python signature refuses with ``TypeError``."""


def js_value(value: Any) -> Any:
    """A vector value (JSON with ``$`` forms) as the Python value with the same meaning."""
    if isinstance(value, list):
        return [js_value(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$undefined" in value:
        return UNDEFINED
    if "$number" in value:
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf, "-0": -0.0}[
            value["$number"]
        ]
    if "$bytes" in value:
        return base64.b64decode(value["$bytes"])
    if "$regexp" in value:
        flags = 0
        for letter in value.get("flags", ""):
            flags |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}[letter]
        return re.compile(value["$regexp"], flags)
    return {key: js_value(item) for key, item in value.items()}


def contains_undefined(value: Any) -> bool:
    if value is UNDEFINED:
        return True
    if isinstance(value, dict):
        return any(contains_undefined(item) for item in value.values())
    if isinstance(value, list):
        return any(contains_undefined(item) for item in value)
    return False


def key_argument(spec: dict[str, Any]) -> tuple[Any, Any]:
    """The ``key`` (and ``passphrase``) arguments for a vector's key description."""
    kind = spec["kind"]
    if kind == "text":
        return (KEYS / spec["file"]).read_text(), None
    if kind == "buffer":
        return (KEYS / spec["file"]).read_bytes(), None
    if kind == "passphrase":
        return (KEYS / spec["file"]).read_text(), spec["passphrase"]
    if kind == "jwk":
        return json.loads((KEYS / spec["file"]).read_text()), None
    value = js_value(spec["value"])
    if value is UNDEFINED or value is None:
        return None, None
    if isinstance(value, str | bytes):
        return value, None
    if isinstance(value, dict):
        raise Unsayable("a plain object key: Python reads a dict as a JWK")
    raise Refused(f"key of type {type(value).__name__}")


# How each jsonwebtoken option is spelled in Python, and which values the signature takes.
def accept_str(value: Any) -> bool:
    return isinstance(value, str)


def accept_timespan(value: Any) -> bool:
    return isinstance(value, int | float | str) and not isinstance(value, bool)


def accept_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def accept_flag(value: Any) -> bool:
    return isinstance(value, bool)


def accept_json(value: Any) -> bool:
    return True


def accept_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


SIGN_OPTIONS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "algorithm": ("algorithm", accept_str),
    "expiresIn": ("expires_in", accept_timespan),
    "notBefore": ("not_before", accept_timespan),
    "audience": ("audience", accept_json),
    "issuer": ("issuer", accept_str),
    "subject": ("subject", accept_str),
    "jwtid": ("jwtid", accept_str),
    "keyid": ("keyid", accept_str),
    "header": ("header", accept_json),
    "noTimestamp": ("no_timestamp", accept_flag),
    "allowInsecureKeySizes": ("allow_insecure_key_sizes", accept_flag),
    "allowInvalidAsymmetricKeyTypes": ("allow_invalid_asymmetric_key_types", accept_flag),
}

VERIFY_OPTIONS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "algorithms": ("algorithms", accept_str_list),
    "audience": ("audience", accept_json),
    "issuer": ("issuer", accept_json),
    "subject": ("subject", accept_str),
    "jwtid": ("jwtid", accept_str),
    "nonce": ("nonce", accept_str),
    "clockTolerance": ("leeway", accept_number),
    "maxAge": ("max_age", accept_timespan),
    "ignoreExpiration": ("ignore_expiration", accept_flag),
    "ignoreNotBefore": ("ignore_not_before", accept_flag),
    "complete": ("complete", accept_flag),
    "allowInvalidAsymmetricKeyTypes": ("allow_invalid_asymmetric_key_types", accept_flag),
}

DECODE_OPTIONS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "complete": ("complete", accept_flag),
    "json": ("json", accept_flag),
}


def keyword_arguments(
    options: Any, table: dict[str, tuple[str, Callable[[Any], bool]]]
) -> dict[str, Any]:
    """Python keyword arguments for a jsonwebtoken options value."""
    if options is UNDEFINED or options is None:
        return {}
    if not isinstance(options, dict):
        raise Unsayable("options that are not an object: Python has keyword arguments")
    kwargs: dict[str, Any] = {}
    for name, value in options.items():
        if contains_undefined(value):
            raise Unsayable(f"{name} given as undefined")
        if name not in table:
            raise Refused(f"{name} is not a keyword argument")
        keyword, accepts = table[name]
        if value is None:
            raise Unsayable(f"{name}: null, where Python's None means not given")
        if not accepts(value):
            raise Refused(f"{name} of type {type(value).__name__}")
        kwargs[keyword] = value
    return kwargs


@dataclass
class Call:
    """A translated vector: the function and its arguments."""

    function: Callable[..., Any]
    args: list[Any]
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __call__(self) -> Any:
        return self.function(*self.args, **self.kwargs)


def translate(kind: str, vector: dict[str, Any]) -> Call:
    if kind == "sign":
        payload = js_value(vector["payload"])
        if contains_undefined(payload):
            raise Unsayable("payload contains undefined")
        key, passphrase = key_argument(vector["key"])
        kwargs = keyword_arguments(js_value(vector["options"]), SIGN_OPTIONS)
        if passphrase is not None:
            kwargs["passphrase"] = passphrase
        kwargs["now"] = vector["now_ms"] / 1000
        return Call(qlik_jwt.sign, [payload, key], kwargs)
    token = js_value(vector["token"])
    if not isinstance(token, str):
        raise Refused(f"token of type {type(token).__name__}")
    if kind == "decode":
        return Call(
            qlik_jwt.decode, [token], keyword_arguments(js_value(vector["options"]), DECODE_OPTIONS)
        )
    options = js_value(vector["options"])
    clock = None
    if isinstance(options, dict) and "clockTimestamp" in options:
        options = dict(options)
        clock = options.pop("clockTimestamp")
        if not isinstance(clock, int) or isinstance(clock, bool):
            raise Unsayable("clockTimestamp that is not an integer: now= is the clock")
    key, passphrase = key_argument(vector["key"])
    kwargs = keyword_arguments(options, VERIFY_OPTIONS)
    if passphrase is not None:
        kwargs["passphrase"] = passphrase
    # jsonwebtoken: `options.clockTimestamp || Math.floor(Date.now() / 1000)`.
    kwargs["now"] = clock if clock else vector["now_ms"] / 1000
    return Call(qlik_jwt.verify, [token, key], kwargs)


def load() -> list[tuple[str, dict[str, Any]]]:
    cases: list[tuple[str, dict[str, Any]]] = []
    for kind in FILES:
        document = json.loads((VECTORS / f"{kind}.json").read_text())
        assert document["count"] == len(document["vectors"]), f"{kind}.json count"
        cases.extend((kind, vector) for vector in document["vectors"])
    return cases


CASES = load()
OUTCOMES: Counter[str] = Counter()

PYTHON_CLASS = {
    "JsonWebTokenError": qlik_jwt.JsonWebTokenError,
    "TokenExpiredError": qlik_jwt.TokenExpiredError,
    "NotBeforeError": qlik_jwt.NotBeforeError,
}


def test_key_digests_match() -> None:
    import hashlib

    for kind in FILES:
        document = json.loads((VECTORS / f"{kind}.json").read_text())
        for name, digest in document.get("keys_sha256", {}).items():
            actual = hashlib.sha256((KEYS / name).read_bytes()).hexdigest()
            assert actual == digest, f"tests/keys/{name} changed: regenerate the vectors"


def same(actual: Any, expected: Any) -> bool:
    """Equality of decoded values, NaN equal to itself and ints equal to floats."""
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and list(actual) == list(expected)
            and all(same(actual[k], expected[k]) for k in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(same(a, e) for a, e in zip(actual, expected, strict=True))
        )
    if expected is UNDEFINED:
        return actual is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    return bool(actual == expected)


def check_error(error: BaseException, expected: dict[str, Any]) -> None:
    assert isinstance(error, qlik_jwt.QlikJwtError), repr(error)
    assert error.code, "every error has a code"
    assert str(error) == expected["message"]
    wanted = PYTHON_CLASS.get(expected["class"])
    if wanted is None:
        # jsonwebtoken's plain Error (and the SyntaxError/TypeError it lets escape): Python
        # raises the subclass its error mapping picks, never a time-based one.
        assert not isinstance(error, qlik_jwt.TokenExpiredError | qlik_jwt.NotBeforeError)
    else:
        assert type(error) is wanted
    when: datetime | None = None
    if isinstance(error, qlik_jwt.TokenExpiredError):
        when = error.expired_at
    elif isinstance(error, qlik_jwt.NotBeforeError):
        when = error.date
    if "at" in expected:
        assert when is not None
        assert when.tzinfo is not None
        assert abs(when.timestamp() - expected["at"]) < 1e-3


def check_token(token: str, vector: dict[str, Any]) -> None:
    expected = vector["expect"]["token"]
    if not vector.get("randomized"):
        assert token == expected
        return
    assert token.split(".")[:2] == expected.split(".")[:2]
    verify_key, _ = key_argument(vector["verify_key"])
    alg = json.loads(base64.urlsafe_b64decode(expected.split(".")[0] + "==="))["alg"]
    for candidate in (token, expected):
        qlik_jwt.verify(
            candidate, verify_key, algorithms=[alg], ignore_expiration=True, ignore_not_before=True
        )


@pytest.mark.parametrize(("kind", "vector"), CASES, ids=[vector["id"] for _, vector in CASES])
def test_vector(kind: str, vector: dict[str, Any]) -> None:
    try:
        call = translate(kind, vector)
    except Unsayable as reason:
        OUTCOMES["unsayable"] += 1
        pytest.skip(f"not expressible in Python: {reason}")
    except Refused:
        OUTCOMES["refused"] += 1
        with pytest.raises(TypeError):
            translate_and_call_refused(kind, vector)
        return
    OUTCOMES["faithful"] += 1
    expect = vector["expect"]
    if "error" in expect:
        with pytest.raises(Exception) as caught:
            call()
        check_error(caught.value, expect["error"])
    elif kind == "sign":
        check_token(call(), vector)
    else:
        result = call()
        assert same(result, js_value(expect["result"])), (result, expect["result"])


def raw_keyword_arguments(
    options: Any, table: dict[str, tuple[str, Callable[[Any], bool]]]
) -> dict[str, Any]:
    """The Python keywords for the options, values as they are (no type filtering)."""
    if not isinstance(options, dict):
        return {}
    return {table.get(name, (name,))[0]: value for name, value in options.items()}


def translate_and_call_refused(kind: str, vector: dict[str, Any]) -> None:
    """Makes the call a refused vector describes, types as they are, so Python refuses it."""
    options = js_value(vector["options"])
    if kind in ("sign", "verify"):
        spec = vector["key"]
        key = js_value(spec["value"]) if spec["kind"] == "value" else key_argument(spec)[0]
    if kind == "sign":
        kwargs = raw_keyword_arguments(options, SIGN_OPTIONS)
        qlik_jwt.sign(js_value(vector["payload"]), key, now=vector["now_ms"] / 1000, **kwargs)
    elif kind == "verify":
        kwargs = raw_keyword_arguments(options, VERIFY_OPTIONS)
        qlik_jwt.verify(js_value(vector["token"]), key, **kwargs)
    else:
        kwargs = raw_keyword_arguments(options, DECODE_OPTIONS)
        qlik_jwt.decode(js_value(vector["token"]), **kwargs)


def test_vector_counts() -> None:
    """Runs after the vectors (same module, later in file order): all were accounted for."""
    total = len(CASES)
    if sum(OUTCOMES.values()) != total:
        pytest.skip("run the whole module to count the vectors")
    print(f"vectors: {total} total, {dict(OUTCOMES)}")
    assert OUTCOMES["faithful"] + OUTCOMES["refused"] + OUTCOMES["unsayable"] == total
    # Nearly every vector has a faithful Python spelling; the others are listed by reason.
    assert OUTCOMES["faithful"] >= 0.85 * total, dict(OUTCOMES)
    assert OUTCOMES["unsayable"] <= 0.05 * total, dict(OUTCOMES)
