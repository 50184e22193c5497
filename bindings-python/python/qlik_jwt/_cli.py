"""The ``qlik-jwt`` console script: the core's command, the same as ``cargo install qlik-jwt``
and ``npx qlik-jwt``."""

from __future__ import annotations

import signal
import sys

from qlik_jwt._native import run_cli


def main(argv: list[str] | None = None) -> int:
    """Runs ``qlik-jwt`` with ``argv`` (``sys.argv[1:]`` by default) and returns the exit code.

    The command writes straight to file descriptors 1 and 2, and ``qlik-jwt tenant`` runs until
    interrupted: Ctrl-C gets its default action back, so it ends the process as it ends the
    Rust binary (Python's handler could not run while the command holds the thread).
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    if argv is None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    return run_cli(["qlik-jwt", *arguments])


if __name__ == "__main__":
    sys.exit(main())
