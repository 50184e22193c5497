"""Executes the example notebooks end to end in a fresh kernel and checks what they show."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent


def output_text(notebook: nbformat.NotebookNode) -> str:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output
            if output["output_type"] == "stream":
                texts.append(output["text"])
            elif "data" in output:
                texts.append(output["data"].get("text/plain", ""))
    return "".join(texts)


def run_notebook(name: str) -> str:
    """Runs the notebook ``name`` and returns the text of its outputs (none may be an error)."""
    read: Any = nbformat.read  # nbformat has no type annotations
    notebook = read(HERE / name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(HERE)}},
    )
    client.execute()
    return output_text(notebook)


def test_notebook_runs_and_explains_the_broken_token() -> None:
    text = run_notebook("notebook.ipynb")
    assert '"subType": "user"' in text
    assert '"aud": "qlik.api/login/jwt-session"' in text
    assert "problems: []" in text
    for code in (
        "QLIK_GROUP_CLAIM",
        "QLIK_AUD_TYPO",
        "QLIK_OPTION_IN_PAYLOAD",
        "QLIK_CLAIM_MISSING",
        "QLIK_WINDOW_TOO_LONG",
    ):
        assert code in text


def test_oauth_notebook_calls_qlik_with_a_machine_to_machine_token() -> None:
    text = run_notebook("oauth-notebook.ipynb")
    assert "privatekey.pem publickey.jwk.json" in text
    for member in ('"kty": "RSA"', '"kid": "notebook-key-1"', '"alg": "RS256"', '"use": "sig"'):
        assert member in text
    assert "http://127.0.0.1:" in text
    assert "token_type='bearer', expires_in=3600" in text
    assert "access_token=<redacted>" in text
    assert "from the cache the second time: True" in text
    assert '"subject": "notebook-m2m-client"' in text
    assert "tenant running: False" in text
