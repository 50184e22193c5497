"""Leaks: resident memory stays flat over 1,000,000 signs: 950,000 HS256 ``sign``
calls and 50,000 Qlik tokens (ES256 ``QlikSigner``) after a warm-up. RSS may grow by at most
20 MB, so a native leak of 20 bytes per sign would fail the test."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

import qlik_jwt as q

KEYS = Path(__file__).resolve().parents[2] / "tests" / "keys"
BOUND_MB = 20
HS_SIGNS = 950_000
QLIK_SIGNS = 50_000
WARM_UP = 20_000


def resident_mb() -> float:
    gc.collect()
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_rss_is_flat_over_a_million_signs() -> None:
    signer = q.QlikSigner(
        (KEYS / "ec256-private-pkcs8.pem").read_text(), key_id="k", issuer="i", algorithm="ES256"
    )
    payload = {"sub": "user", "role": "reader"}
    for _ in range(WARM_UP):
        q.sign(payload, "leak-secret", expires_in=60)
        signer.sign(sub="s", name="n", email="e@x", email_verified=True, groups=["a", "b"])
    before = resident_mb()
    token = ""
    for _ in range(HS_SIGNS):
        token = q.sign(payload, "leak-secret", expires_in=60)
    for _ in range(QLIK_SIGNS):
        token = signer.sign(sub="s", name="n", email="e@x", email_verified=True, groups=["a", "b"])
    growth = resident_mb() - before
    assert token.count(".") == 2
    assert growth < BOUND_MB, f"RSS grew by {growth:.1f} MB (from {before:.1f} MB)"
