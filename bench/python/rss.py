"""Peak resident memory of a fresh process that imports one library and signs N ES256 tutorial
tokens: qlik_jwt with the PEM on every call (which exercises its key cache), each peer in its
fastest ordinary form (so 100,000 tokens take seconds, not minutes). Prints one JSON line.
A run stops early after <max_secs> seconds; the line says how many tokens it signed.
    python bench/python/rss.py <lib> <N> [max_secs]"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import algorithms, build_cases  # noqa: E402
from check import check_token  # noqa: E402

VARIANT = {"qlik_jwt": "pem-per-call", "PyJWT": "loaded-key", "joserfc": "imported-key"}


def main() -> int:
    lib = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    max_secs = float(sys.argv[3]) if len(sys.argv) > 3 else 1e9
    case = next((c for c in build_cases([lib]) if c.id == f"python/sign/ES256/{lib}/{VARIANT[lib]}"), None)
    if case is None or case.skip:
        print(case.skip if case else f"no ES256 case for {lib}", file=sys.stderr)
        return 1
    fn = case.make()
    check_token(fn(), next(a for a in algorithms() if a.name == "ES256"))
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    deadline = t0 + max_secs
    ops = 0
    while ops < n and time.perf_counter() < deadline:
        fn()
        ops += 1
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"variant": case.variant, "baseline_kb": baseline, "peak_kb": peak, "secs": secs, "ops": ops}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
