"""No panic crosses the FFI boundary.

``qlik_jwt._native._panic_now`` (a test hook, not part of the API or the stubs) panics inside
the core through the same wrapper as every core call. It must raise ``QlikJwtError`` with code
``ERR_INTERNAL`` (an ``Exception``, unlike pyo3's ``PanicException``), and the module must keep
working, also from other threads.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import qlik_jwt as q
from qlik_jwt import _native


def _panic() -> q.QlikJwtError:
    with pytest.raises(q.QlikJwtError) as caught:
        _native._panic_now()
    return caught.value


def test_a_core_panic_is_a_qlik_jwt_error_with_code_err_internal() -> None:
    error = _panic()
    assert type(error) is q.QlikJwtError
    assert isinstance(error, Exception)
    assert error.code == "ERR_INTERNAL"
    assert "deliberate panic" in str(error)


def test_except_exception_catches_it_and_the_module_keeps_working() -> None:
    for _ in range(50):
        try:
            _native._panic_now()
        except Exception as error:
            assert getattr(error, "code", None) == "ERR_INTERNAL"
    token = q.sign({"n": 1}, "secret")
    assert q.verify(token, "secret")["n"] == 1


def test_panics_on_many_threads_at_once() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        errors = list(pool.map(lambda _: _panic(), range(64)))
    assert all(error.code == "ERR_INTERNAL" for error in errors)
    assert q.decode(q.sign({"n": 2}, "secret"))["n"] == 2


def test_the_hook_is_not_public() -> None:
    assert not hasattr(q, "_panic_now")
    assert "_panic_now" not in q.__all__


def test_every_core_call_of_the_jwt_api_is_guarded(repo: Path) -> None:
    # A static check that keeps the guarantee as the binding grows: in the modules of the JWT
    # API, each call that leaves the GIL to run the core, or may leave it
    # (with_gil_released_if_worth_it), does so through error::guarded.
    may_leave = r"(?:\.detach\(|with_gil_released_if_worth_it\(py, &\w+,\s*)"
    for name in ("compat.rs", "keys.rs", "qlik.rs"):
        source = (repo / "bindings-python" / "src" / name).read_text()
        calls = re.findall(may_leave + r"\|\|\s*\{?\s*(\w+)", source)
        assert calls, name
        assert set(calls) == {"guarded"}, f"{name}: {calls}"
    # The helper itself runs whatever it is given; only its callers above are checked.
    helper = (repo / "bindings-python" / "src" / "compat.rs").read_text()
    assert len(re.findall(r"with_gil_released_if_worth_it\(py,", helper)) == 2
