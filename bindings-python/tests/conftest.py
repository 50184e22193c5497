"""Shared fixtures: where the repository's test keys are, and readers for them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# The tests' own support modules (vector_files) import by name, as with pytest's default mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))
KEYS = REPO / "tests" / "keys"


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def key_text() -> Callable[[str], str]:
    """Reads a file of ``tests/keys/`` as text."""

    def read(name: str) -> str:
        return (KEYS / name).read_text()

    return read


@pytest.fixture(scope="session")
def key_bytes() -> Callable[[str], bytes]:
    """Reads a file of ``tests/keys/`` as bytes."""

    def read(name: str) -> bytes:
        return (KEYS / name).read_bytes()

    return read
