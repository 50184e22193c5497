"""How the core's protocol decisions reach Python: an unreachable tenant raises urllib's own
error (after the retries ``login_with`` is allowed), a silent one after the core's timeout, and
settings the core refuses raise ``TypeError``/``ValueError`` with its message."""

from __future__ import annotations

import socket
import urllib.error
from collections.abc import Iterator
from typing import Any

import pytest

import qlik_jwt


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def silent_tenant() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_an_unreachable_tenant_raises_urllibs_error_after_every_attempt() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(urllib.error.URLError):
        qlik_jwt.login(url, "a.b.c")

    class CountingSigner:
        calls = 0

        def sign(self, **user: Any) -> str:
            CountingSigner.calls += 1
            return f"token.{CountingSigner.calls}.x"

    with pytest.raises(urllib.error.URLError):
        qlik_jwt.login_with(url, CountingSigner(), {}, retries=2, retry_delay=0.001)  # type: ignore[arg-type]
    assert CountingSigner.calls == 3


def test_a_tenant_that_never_answers_is_given_up_after_the_timeout(silent_tenant: str) -> None:
    with pytest.raises(TimeoutError):
        qlik_jwt.login(silent_tenant, "a.b.c", timeout=0.05)


def test_settings_the_core_refuses() -> None:
    with pytest.raises(TypeError, match="timeout"):
        qlik_jwt.login("https://acme.example", "a.b.c", timeout=-1)
    with pytest.raises(ValueError, match="credentials") as secret:
        qlik_jwt.login("https://user:secret@acme.example", "a.b.c")
    assert "secret" not in str(secret.value)
    with pytest.raises(TypeError, match="token"):
        qlik_jwt.login("https://acme.example", 42)  # type: ignore[arg-type]
