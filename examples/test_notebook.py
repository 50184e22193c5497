"""Executes examples/notebook.ipynb end to end in a fresh kernel and checks what it shows."""

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


def test_notebook_runs_and_explains_the_broken_token() -> None:
    read: Any = nbformat.read  # nbformat has no type annotations
    notebook = read(HERE / "notebook.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(HERE)}},
    )
    client.execute()
    text = output_text(notebook)
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
