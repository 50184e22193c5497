"""The type stubs match the native module (mypy.stubtest), and the Python sources, tests and
examples are ruff-clean and type-check with mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_stubs_match_the_native_module() -> None:
    result = run("mypy.stubtest", "qlik_jwt")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_clean() -> None:
    result = run("ruff", "check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    result = run("ruff", "format", "--check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_package_tests_and_examples() -> None:
    paths = ["bindings-python/python/qlik_jwt", "bindings-python/tests"]
    paths += [str(p.relative_to(ROOT)) for p in (ROOT / "examples").rglob("*.py")]
    result = run("mypy", "--no-incremental", *paths)
    assert result.returncode == 0, result.stdout + result.stderr


def test_everything_public_has_a_docstring() -> None:
    import inspect

    import qlik_jwt

    missing = []
    for name in qlik_jwt.__all__:
        obj = getattr(qlik_jwt, name)
        if isinstance(obj, str | int | list | dict):
            continue
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        if inspect.isclass(obj):
            for attribute, member in vars(obj).items():
                if not attribute.startswith("_") and not (member.__doc__ or "").strip():
                    missing.append(f"{name}.{attribute}")
    assert missing == []
