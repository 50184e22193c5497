"""The Python measurement server: one JSON command a line on stdin, one JSON answer a line on
stdout (the same protocol as bench/node/server.js).
  {"cmd":"list"} -> {"cases":[...]}
  {"cmd":"run","id","threads","ms","warmMs","minOps"} -> {"ops","secs"}
threads=2 runs the operation on two threads that start measuring together after warming up."""

from __future__ import annotations

import json
import sys
import threading
import time

from cases import algorithms, build_cases
from check import check_token

cases = {}
made = {}


def loop(fn, ms: float, min_ops: int):
    t0 = time.perf_counter()
    deadline = t0 + ms / 1000
    ops = 0
    while time.perf_counter() < deadline or ops < min_ops:
        fn()
        ops += 1
    return ops, time.perf_counter() - t0


def do_list():
    algs = {a.name: a for a in algorithms()}
    out = []
    for c in build_cases():
        cases[c.id] = c
        if not c.skip:
            try:
                made[c.id] = c.make()
                check_token(made[c.id](), algs[c.alg])
            except Exception as e:  # noqa: BLE001 - reported as the reason the case is skipped
                c.skip = f"failed its output check: {type(e).__name__}: {e}".splitlines()[0]
        out.append(c.meta())
    return {"cases": out}


def do_run(cmd):
    c = cases.get(cmd["id"])
    if c is None:
        raise ValueError(f"unknown case {cmd['id']}")
    if c.skip:
        raise ValueError(f"skipped: {c.skip}")
    fn = made[c.id]
    n = int(cmd.get("threads", 1))
    barrier = threading.Barrier(n)
    results = [None] * n
    errors = []

    def work(i):
        try:
            if cmd["warmMs"] > 0:
                loop(fn, cmd["warmMs"], 1)
            barrier.wait()
            results[i] = loop(fn, cmd["ms"], cmd["minOps"])
        except Exception as e:  # noqa: BLE001 - sent back to the orchestrator
            errors.append(repr(e))
            barrier.abort()

    if n == 1:
        work(0)
    else:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if errors:
        raise RuntimeError(errors[0])
    secs = max(r[1] for r in results)
    rate = sum(ops / s for ops, s in results)
    return {"ops": rate * secs, "secs": secs}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            cmd = json.loads(line)
            if cmd["cmd"] == "list":
                answer = do_list()
            elif cmd["cmd"] == "run":
                answer = do_run(cmd)
            elif cmd["cmd"] == "quit":
                break
            else:
                raise ValueError(f"unknown command {cmd['cmd']}")
        except Exception as e:  # noqa: BLE001 - every failure is an answer, never a crash
            answer = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
