"""The key-form table of ``tests/vectors/key-forms.json`` (what the real npm ``jsonwebtoken``
9.0.3 does with every key form of ``tests/keys/``), replayed through the Python API.

Each row hands a key file to ``sign`` with one algorithm, or to ``verify`` with a token of one
algorithm, as ``str`` (Node: a string), ``bytes`` (a ``Buffer``) or a parsed key (a
``KeyObject``: ``PrivateKey``/``PublicKey`` of the file). Encrypted keys come with their
passphrase. Every row has a faithful Python spelling, so every row runs: the outcome must be
jsonwebtoken's (error message and class, the token, or the payload). Where Node makes no
``KeyObject`` of a file, ``PrivateKey``/``PublicKey`` must refuse it too.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import qlik_jwt

ROOT = Path(__file__).resolve().parents[2]
KEYS = ROOT / "tests" / "keys"
TABLE = json.loads((ROOT / "tests" / "vectors" / "key-forms.json").read_text())
PASSPHRASE: str = TABLE["passphrase"]
PAYLOAD: dict[str, Any] = TABLE["payload"]

PYTHON_CLASS = {
    "JsonWebTokenError": qlik_jwt.JsonWebTokenError,
    "TokenExpiredError": qlik_jwt.TokenExpiredError,
    "NotBeforeError": qlik_jwt.NotBeforeError,
}


def group_of(file: str) -> str:
    return "rsapss2048-sha256" if file.startswith("rsapss2048-sha256") else file.split("-")[0]


def rows_by_group(section: str) -> list[tuple[str, str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in TABLE[section]:
        groups[group_of(row["key"])].append(row)
    return [(section, group, rows) for group, rows in groups.items()]


CASES = rows_by_group("sign") + rows_by_group("verify")


def test_table_is_whole_and_its_keys_unchanged() -> None:
    assert TABLE["jsonwebtoken"] == "9.0.3"
    assert len(TABLE["sign"]) + len(TABLE["verify"]) == TABLE["count"]
    assert len(TABLE["sign"]) > 1000 and len(TABLE["verify"]) > 1000
    for name, digest in TABLE["keys_sha256"].items():
        actual = hashlib.sha256((KEYS / name).read_bytes()).hexdigest()
        assert actual == digest, f"tests/keys/{name} changed: regenerate key-forms.json"
    assert sum(len(rows) for _, _, rows in CASES) == TABLE["count"]


def passphrase_for(file: str) -> str | None:
    return PASSPHRASE if "encrypted" in file else None


@cache
def key_object(file: str, for_sign: bool) -> qlik_jwt.PrivateKey | qlik_jwt.PublicKey:
    """The file parsed once, as Node's createPrivateKey/createPublicKey parse it."""
    data = (KEYS / file).read_bytes()
    if for_sign:
        return qlik_jwt.PrivateKey(data, passphrase=passphrase_for(file))
    return qlik_jwt.PublicKey(data, passphrase=passphrase_for(file))


def key_argument(row: dict[str, Any], for_sign: bool) -> Any:
    file = row["key"]
    if row["as"] == "keyobject":
        return key_object(file, for_sign)
    data = (KEYS / file).read_bytes()
    return data.decode() if row["as"] == "text" else data


def error_difference(error: BaseException, expected: dict[str, Any]) -> str | None:
    if not isinstance(error, qlik_jwt.QlikJwtError) or str(error) != expected["message"]:
        return f"expected {expected}, got {error!r}"
    wanted = PYTHON_CLASS.get(expected["class"])
    if wanted is not None and type(error) is not wanted:
        return f"expected {expected['class']}, got {type(error).__name__}"
    if wanted is None and isinstance(error, tuple(PYTHON_CLASS.values())):
        return f"expected a plain {expected['class']}, got {type(error).__name__}"
    return None


def alg_of(token: str) -> str:
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==="))
    return str(header["alg"])


def verifies(token: str, public_file: str) -> None:
    qlik_jwt.verify(
        token,
        (KEYS / public_file).read_text(),
        algorithms=[alg_of(token)],
        allow_invalid_asymmetric_key_types=True,
    )


def run(section: str, row: dict[str, Any]) -> str | None:
    """The difference between the row's outcome and jsonwebtoken's, or None."""
    expect = row["expect"]
    for_sign = section == "sign"
    try:
        key = key_argument(row, for_sign)
    except qlik_jwt.QlikJwtError as error:
        return None if "no_key_object" in expect else f"the key object was refused: {error}"
    if "no_key_object" in expect:
        return "Node makes no KeyObject of this file, but Python parsed it"
    passphrase = passphrase_for(row["key"]) if row["as"] != "keyobject" else None
    result: Any
    try:
        if for_sign:
            result = qlik_jwt.sign(
                PAYLOAD, key, algorithm=row["alg"], no_timestamp=True, passphrase=passphrase
            )
        else:
            token = TABLE["tokens"][row["token"]]
            result = qlik_jwt.verify(token, key, algorithms=[row["alg"]], passphrase=passphrase)
    except Exception as error:  # every outcome is compared, errors included
        if "error" in expect:
            return error_difference(error, expect["error"])
        return f"expected {expect}, got {error!r}"
    if "error" in expect:
        return f"expected {expect}, got {result!r}"
    if not for_sign:
        return None if result == PAYLOAD else f"expected {PAYLOAD}, got {result!r}"
    wanted = expect["token"]
    if not row.get("randomized"):
        return None if result == wanted else f"expected {wanted}, got {result}"
    if result.split(".")[:2] != wanted.split(".")[:2]:
        return f"expected {wanted}, got {result}"
    for candidate in (result, wanted):
        try:
            verifies(candidate, row["verify_key"])
        except qlik_jwt.QlikJwtError as error:
            return f"{candidate} does not verify with {row['verify_key']}: {error}"
    return None


@pytest.mark.parametrize(("section", "group", "rows"), CASES, ids=[f"{s}-{g}" for s, g, _ in CASES])
def test_key_forms_as_jsonwebtoken(section: str, group: str, rows: list[dict[str, Any]]) -> None:
    failures = []
    for row in rows:
        difference = run(section, row)
        if difference is not None:
            failures.append(f"{row['id']}: {difference}")
    assert not failures, f"{len(failures)} of {len(rows)} rows differ:\n" + "\n".join(failures[:40])
