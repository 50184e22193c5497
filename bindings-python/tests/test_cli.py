"""The ``qlik-jwt`` console script of the wheel, run as a subprocess as users run it, with the
exit codes scripts rely on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest

import qlik_jwt

SCRIPT = Path(sys.executable).with_name("qlik-jwt")


def command() -> list[str]:
    """The console script when the package is installed with it, else the same entry point."""
    if SCRIPT.exists():
        return [str(SCRIPT)]
    return [sys.executable, "-m", "qlik_jwt._cli"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command(), *args], input=stdin, capture_output=True, text=True, timeout=60
    )


def run_json(*args: str) -> tuple[int, Any]:
    result = run(*args, "--json")
    return result.returncode, json.loads(result.stdout)


def test_the_console_script_is_installed() -> None:
    if not SCRIPT.exists():
        pytest.skip("the package is not installed with its console script in this environment")
    result = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for name in ("keygen", "sign", "explain", "idp-config", "login", "tenant"):
        assert name in result.stdout


def test_module_entry_point_matches_the_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qlik_jwt._cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"qlik-jwt {qlik_jwt.__version__}"


def test_sign_demo_then_explain_accepts_it() -> None:
    code, signed = run_json("sign", "--demo")
    assert code == 0
    assert signed["ok"] is True
    claims = pyjwt.decode(signed["token"], options={"verify_signature": False})
    assert claims["aud"] == qlik_jwt.QLIK_AUDIENCE
    assert run("explain", "--demo", signed["token"]).returncode == 0
    assert run("explain", "--demo", stdin=signed["token"]).returncode == 0


def test_explain_exits_1_for_a_refused_token() -> None:
    now = int(time.time())
    token = pyjwt.encode(
        {
            "iss": "qlik-jwt-demo",
            "aud": "qlik.api/jwt-login-session",
            "sub": "u",
            "subType": "user",
            "name": "U",
            "email": "",
            "email_verified": True,
            "jti": "j" * 22,
            "iat": now,
            "nbf": now,
            "exp": now + 60,
        },
        "an-hmac-secret-of-thirty-two-bytes!",
        algorithm="HS256",
        headers={"kid": "qlik-jwt-demo"},
    )
    code, explained = run_json("explain", "--demo", token)
    assert code == 1
    text = json.dumps(explained)
    assert "QLIK_ALG_HMAC" in text
    assert "QLIK_AUD_TYPO" in text


def test_usage_errors_exit_2() -> None:
    result = run("sign", "--no-such-flag")
    assert result.returncode == 2
    assert "no-such-flag" in result.stderr
    assert result.stdout == ""
    code, body = run_json("explain", "--no-such-flag")
    assert code == 2
    assert body["ok"] is False
    assert body["error"]["code"] == "ERR_USAGE"


def test_keygen_writes_files_and_refuses_to_replace_them(tmp_path: Path) -> None:
    assert run("keygen", "--type", "p256", "--out", str(tmp_path)).returncode == 0
    private_key = (tmp_path / "privatekey.pem").read_text()
    certificate = (tmp_path / "publickey.cer").read_text()
    assert qlik_jwt.key_matches(private_key, certificate)
    assert (tmp_path / "privatekey.pem").stat().st_mode & 0o777 == 0o600
    again = run("keygen", "--type", "p256", "--out", str(tmp_path))
    assert again.returncode == 3
    assert "exists already" in again.stderr
    assert (tmp_path / "privatekey.pem").read_text() == private_key


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
def test_tenant_runs_until_interrupted_and_serves_logins() -> None:
    child = subprocess.Popen(
        [*command(), "tenant", "--demo", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        first = json.loads(child.stdout.readline())
        assert first["ok"] is True
        url = first["url"]
        token = run("sign", "--demo", "--token-only").stdout.strip()
        code, logged_in = run_json("login", "--url", url, token)
        assert code == 0
        assert logged_in["get"]["body"]["subject"] == "demo-user"
        code, replay = run_json("login", "--url", url, token)
        assert code == 1
        assert replay["error"]["qlikCode"] == "LOCAL-TOKEN-REPLAYED"

        # The same tenant serves this process's urllib client too.
        session = qlik_jwt.login(url, run("sign", "--demo", "--token-only").stdout.strip())
        assert session.get(qlik_jwt.USERS_ME_PATH)["subject"] == "demo-user"

        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=20) in (-signal.SIGINT, 130)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()


def test_login_to_a_tenant_that_is_not_there_exits_4() -> None:
    token = run("sign", "--demo", "--token-only").stdout.strip()
    assert run("login", "--url", "http://127.0.0.1:9", token).returncode == 4
