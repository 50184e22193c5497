"""The package's version is the one version of the repository: the Cargo workspace's (which the
wheel's metadata and ``__version__`` come from) and the npm package's."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import qlik_jwt

ROOT = Path(__file__).resolve().parents[2]


def workspace_version() -> str:
    """``version`` of ``[workspace.package]`` in Cargo.toml (tomllib is Python 3.11+)."""
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    section = text.split("[workspace.package]", 1)[1].split("\n[", 1)[0]
    found = re.search(r'^version = "([^"]+)"$', section, re.MULTILINE)
    assert found, "Cargo.toml: [workspace.package] version"
    return found.group(1)


def test_version_is_the_workspace_and_npm_version() -> None:
    expected = workspace_version()
    assert qlik_jwt.__version__ == expected
    assert version("qlik-jwt") == expected
    npm = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert npm["version"] == expected
    assert re.fullmatch(r"\d+\.\d+\.\d+", expected)
