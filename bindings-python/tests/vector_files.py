"""The one reader of the shared test files of ``tests/vectors/`` for the Python tests (their
format is ``tests/vectors/README.md``): the files of jsonwebtoken's outcomes, checked as the
format asks (the recorded count, the digests of the key files), and the ``$`` forms of the
values JSON cannot write."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"
KEYS = ROOT / "tests" / "keys"

VECTOR_FILES = ("sign", "verify", "decode", "edge", "random")
"""The files of jsonwebtoken's sign/verify/decode outcomes; a vector's kind is the first part of
its id."""

UNDEFINED: Any = object()
"""JavaScript's ``undefined``: no Python value means it."""

REGEXP_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
"""The JavaScript RegExp flags Python's ``re`` has (it has no ``g``, ``y``, ``u``, ``d``, ``v``)."""


class NotPython(ValueError):
    """A vector value no Python value means (a RegExp flag ``re`` has not)."""


def read(name: str) -> Any:
    """A file of ``tests/vectors/``, parsed."""
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def read_vector_file(name: str) -> list[tuple[str, dict[str, Any]]]:
    """The ``(kind, vector)`` pairs of one vector file, after the format's checks."""
    document = read(f"{name}.json")
    assert document["jsonwebtoken"] == "9.0.3", f"{name}.json: oracle version"
    assert document["count"] == len(document["vectors"]), f"{name}.json: count field"
    for key_file, digest in document["keys_sha256"].items():
        actual = hashlib.sha256((KEYS / key_file).read_bytes()).hexdigest()
        assert actual == digest, f"tests/keys/{key_file} changed: regenerate {name}.json"
    return [(vector["id"].split("/")[0], vector) for vector in document["vectors"]]


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
            if letter not in REGEXP_FLAGS:
                raise NotPython(f"the RegExp flag {letter}")
            flags |= REGEXP_FLAGS[letter]
        return re.compile(value["$regexp"], flags)
    return {key: js_value(item) for key, item in value.items()}


def well_formed(text: str) -> str:
    """``text`` with each lone surrogate as U+FFFD, as the core (Rust strings) writes it."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)
