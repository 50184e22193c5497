"""Concurrency: 8 Python threads sign and verify at once with the same key objects and the same
QlikSigner (the signature work runs with the GIL released). Each thread runs until both
RUN_SECONDS have passed and it has made MIN_ROUNDS rounds, so the work overlaps for the whole run
on a fast machine and is not cut short on a slow one. Every token verifies, and the
deterministic ones (HS256, RS256 at a fixed clock) equal those one thread made first."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import qlik_jwt as q

KEYS = Path(__file__).resolve().parents[2] / "tests" / "keys"
THREADS = 8
RUN_SECONDS = 2.0
MIN_ROUNDS = 10
NOW = 1_700_000_000
SECRET = "concurrency-secret-9d8c7b"
PAYLOADS = [{"sub": f"user-{i}", "n": i, "groups": ["a", f"g{i}"]} for i in range(32)]
USER: dict[str, Any] = {"sub": "s", "name": "n", "email": "e@x", "email_verified": True}


def test_eight_threads_share_keys_and_a_signer_and_agree_with_one_thread() -> None:
    rsa_private = q.PrivateKey((KEYS / "rsa2048-private-pkcs8.pem").read_text())
    rsa_public = rsa_private.public_key()
    rsa_pem = (KEYS / "rsa2048-private-pkcs8.pem").read_text()
    ec_private = q.PrivateKey((KEYS / "ec256-private-pkcs8.pem").read_text())
    ec_public = ec_private.public_key()
    signer = q.QlikSigner(ec_private, key_id="kid", issuer="iss", algorithm="ES256")
    expected_hs = [q.sign(p, SECRET, now=NOW) for p in PAYLOADS]
    expected_rs = [q.sign(p, rsa_private, algorithm="RS256", now=NOW) for p in PAYLOADS]

    failures: list[str] = []
    rounds = [0] * THREADS
    start = threading.Barrier(THREADS)

    def work(index: int) -> None:
        start.wait()
        deadline = time.monotonic() + RUN_SECONDS
        i = index
        try:
            while time.monotonic() < deadline or rounds[index] < MIN_ROUNDS:
                k = i % len(PAYLOADS)
                hs = q.sign(PAYLOADS[k], SECRET, now=NOW)
                if hs != expected_hs[k] or q.verify(hs, SECRET, now=NOW)["n"] != k:
                    failures.append(f"HS256 {k}")
                # Alternate the shared key object and PEM text (the core's shared key cache).
                key = rsa_private if i % 2 else rsa_pem
                rs = q.sign(PAYLOADS[k], key, algorithm="RS256", now=NOW)
                if rs != expected_rs[k] or q.verify(rs, rsa_public, now=NOW)["sub"] != f"user-{k}":
                    failures.append(f"RS256 {k}")
                es = q.sign(PAYLOADS[k], ec_private, algorithm="ES256", now=NOW)
                if q.verify(es, ec_public, now=NOW)["n"] != k:
                    failures.append(f"ES256 {k}")
                token = signer.sign(**USER, now=NOW)
                if q.explain(token, issuer="iss", key_id="kid", certificate=ec_public, now=NOW):
                    failures.append(f"Qlik {k}")
                rounds[index] += 1
                i += 1
        except BaseException as error:
            failures.append(f"thread {index}: {error!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
        assert failures == []
    assert all(count >= MIN_ROUNDS for count in rounds), rounds
    assert q.sign(PAYLOADS[0], SECRET, now=NOW) == expected_hs[0]
