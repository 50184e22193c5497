"""Sharing signers and keys between threads, and the GIL released while signing.

No timing assertions: the GIL test checks *whether* another Python thread ran while native
signing was in progress, with the interpreter's switch interval raised so that only a released
GIL lets it run.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

import qlik_jwt

NOW = 1_700_000_000
KEY_ID = "kid"
ISSUER = "iss"
GIVE_UP_SECONDS = 30.0


def test_one_signer_shared_by_threads(key_text: Callable[[str], str]) -> None:
    signer = qlik_jwt.QlikSigner(
        key_text("rsa2048-private-pkcs8.pem"), key_id=KEY_ID, issuer=ISSUER
    )
    certificate = qlik_jwt.PublicKey(key_text("rsa2048-cert.pem"))
    tokens: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        try:
            mine = [
                signer.sign(
                    sub=f"user-{index}-{n}", name="n", email="", email_verified=True, now=NOW
                )
                for n in range(25)
            ]
        except BaseException as error:  # reported below, with the thread's other results
            errors.append(error)
            return
        with lock:
            tokens.extend(mine)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(tokens) == 100
    subjects = set()
    for token in tokens:
        claims = qlik_jwt.verify(
            token, certificate, audience=qlik_jwt.QLIK_AUDIENCE, issuer=ISSUER, now=NOW
        )
        subjects.add(claims["sub"])
        assert (
            qlik_jwt.explain(token, issuer=ISSUER, key_id=KEY_ID, certificate=certificate, now=NOW)
            == []
        )
    assert len(subjects) == 100


def test_shared_private_key_in_sign_and_verify(key_text: Callable[[str], str]) -> None:
    key = qlik_jwt.PrivateKey(key_text("ec256-private-pkcs8.pem"))
    public = key.public_key()
    results: list[dict[str, object]] = []

    def work(index: int) -> None:
        for n in range(20):
            token = qlik_jwt.sign({"i": index, "n": n}, key, algorithm="ES256", now=NOW)
            results.append(qlik_jwt.verify(token, public, now=NOW))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted((r["i"], r["n"]) for r in results) == [
        (i, n) for i in range(3) for n in range(20)
    ]


def test_signing_releases_the_gil(key_text: Callable[[str], str]) -> None:
    signer = qlik_jwt.QlikSigner(key_text("rsa4096-privatekey.pem"), key_id=KEY_ID, issuer=ISSUER)
    in_native = threading.Event()  # set while the worker is between calls into sign
    observed = threading.Event()  # the main thread ran while the worker was signing
    finished = threading.Event()

    # The worker signs until the main thread has run, sized by that event and not by a count
    # of signatures that should take long enough; the deadline only ends a run that fails.
    give_up = time.monotonic() + GIVE_UP_SECONDS

    def worker() -> None:
        while time.monotonic() < give_up:
            in_native.set()
            signer.sign(sub="u", name="n", email="", email_verified=True, now=NOW)
            in_native.clear()
            if observed.is_set():
                break
        finished.set()

    previous = sys.getswitchinterval()
    # With a huge switch interval the worker keeps the GIL unless signing releases it.
    sys.setswitchinterval(1000.0)
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        while not finished.is_set():
            if in_native.is_set():
                observed.set()
            time.sleep(0.001)  # a real sleep: lets the worker take the GIL back at once
        thread.join()
    finally:
        sys.setswitchinterval(previous)
    assert observed.is_set(), "no Python thread ran while RSA-4096 signatures were computed"
