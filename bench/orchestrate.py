"""Runs every benchmark case of every language in interleaved rounds and writes the report.

Started by bench/run.sh (which prepares the peers, the venv and the Rust binary). Each language
has a measurement server (bench/node/server.js, bench/python/server.py, bench/rust) that this
script drives over stdin/stdout. Cases that are compared with each other are measured in short
interleaved slices, so ours and the peers' meet the same machine noise. Settings come from the
environment; see bench/README.md.
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from pathlib import Path

from report import write_chart, write_results

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
QUICK = os.environ.get("BENCH_QUICK") == "1"


def env_num(name: str, full: float, quick: float) -> float:
    return float(os.environ.get(name, quick if QUICK else full))


CONFIG = {
    "quick": QUICK,
    "rounds": int(env_num("BENCH_ROUNDS", 9, 1)),
    "ms": env_num("BENCH_MS", 150, 15),
    "warmMs": env_num("BENCH_WARM_MS", 30, 5),
    "minOps": int(env_num("BENCH_MIN_OPS", 2, 1)),
    "slices": int(env_num("BENCH_SLICES", 5, 1)),
    "lanes": int(env_num("BENCH_LANES", 8, 4)),
    "threads": [int(t) for t in os.environ.get("BENCH_THREADS", "1,2").split(",")],
    "rss_tokens": int(env_num("BENCH_RSS_TOKENS", 100_000, 500)),
    "rss_max_secs": env_num("BENCH_RSS_MAX_SECS", 15, 5),
    "import_reps": int(env_num("BENCH_IMPORT_REPS", 5, 1)),
    "openssl_secs": int(env_num("BENCH_OPENSSL_SECS", 1, 0)),
    "filter": os.environ.get("BENCH_FILTER", ""),
    "seed": int(os.environ.get("BENCH_SEED", "1")),
}
# A quick smoke run never overwrites the committed results.
OUT = Path(os.environ.get("BENCH_OUT", BENCH / ".tmp" / "quick" if QUICK else BENCH))
PYTHON = os.environ.get("BENCH_PYTHON", sys.executable)
RUST_BIN = os.environ.get("BENCH_RUST_BIN", str(REPO / "target" / "release" / "qlik-jwt-bench-limit"))


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Server:
    """One measurement server process, driven one JSON line at a time."""

    def __init__(self, name: str, argv: list[str], env: dict | None = None, cwd: Path | None = None):
        self.name = name
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=cwd,
            env={**os.environ, **(env or {})}, bufsize=1)

    def ask(self, cmd: dict) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.name} server exited (code {self.proc.poll()})")
        return json.loads(line)

    def close(self) -> None:
        try:
            self.proc.stdin.write('{"cmd":"quit"}\n')
            self.proc.stdin.close()
            self.proc.wait(timeout=20)
        except Exception:  # noqa: BLE001 - a stuck server is killed, by its own pid
            self.proc.kill()


def key_info() -> dict:
    out = subprocess.run(["node", str(BENCH / "node" / "keys.js")], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def start_servers() -> dict[str, Server]:
    keys = json.dumps(key_info())
    servers = {
        # One process per libuv pool size: UV_THREADPOOL_SIZE is read once, at the first use.
        "node1": Server("node1", ["node", str(BENCH / "node" / "server.js")], {"UV_THREADPOOL_SIZE": "1"}),
        "node2": Server("node2", ["node", str(BENCH / "node" / "server.js")], {"UV_THREADPOOL_SIZE": "2"}),
        "python": Server("python", [PYTHON, str(BENCH / "python" / "server.py")], cwd=BENCH / "python"),
    }
    if Path(RUST_BIN).exists():
        servers["rust"] = Server("rust", [RUST_BIN], {"BENCH_KEYS": keys})
    else:
        log(f"no Rust limit binary at {RUST_BIN}: the limit rows are skipped")
    return servers


def list_cases(servers: dict[str, Server]) -> list[dict]:
    cases = []
    for name, server in servers.items():
        answer = server.ask({"cmd": "list"})
        if "error" in answer:
            raise RuntimeError(f"{name}: {answer['error']}")
        if name == "node2":
            continue  # the same cases as node1; it only needs them prepared
        for c in answer["cases"]:
            c["lang"] = c["id"].split("/")[0]
            cases.append(c)
    if CONFIG["filter"]:
        cases = [c for c in cases if re.search(CONFIG["filter"], c["id"])]
    return cases


def server_for(case: dict, threads: int) -> str:
    if case["lang"] == "node":
        return "node2" if threads == 2 else "node1"
    return case["lang"]


def openssl_speed(secs: int, multi: int) -> dict:
    """`openssl speed` sign and verify rates (machine-readable output) for the reference rows."""
    argv = ["openssl", "speed", "-seconds", str(secs), "-mr"]
    if multi > 1:
        argv += ["-multi", str(multi)]
    argv += ["rsa4096", "rsa2048", "ecdsap256"]
    out = subprocess.run(argv, capture_output=True, text=True).stdout
    rates = {}
    for line in out.splitlines():
        m = re.fullmatch(r"\+F([24]):\d+:(\d+):([\d.]+):([\d.]+)", line.strip())
        if m:
            name = {"2": f"RS{m.group(2)}", "4": f"ES{m.group(2)}"}[m.group(1)]
            rates[name] = {"sign": float(m.group(3)), "verify": float(m.group(4))}
    return rates


def measure_group(servers: dict[str, Server], slots: list, rng: random.Random) -> dict:
    """One round of a group of compared cases: each (case, threads) gets the window `ms`, cut into
    `slices` pieces that all slots take in turn, in a new shuffled order each time. Noise that
    lasts longer than a slice then reaches every slot of the group alike. Only the first slice of
    a slot warms up. The answer per slot is the sum of its slices' operations and seconds, or
    the error of the slice that failed.

    An async case takes its whole window in the first turn: its calls in flight finish after the
    window closes, and at the end of each slice a pool of 2 threads idles while its last call
    runs, which short slices would turn into a visible loss (a pool of 1 never idles)."""
    slices = max(1, CONFIG["slices"])
    totals: dict[tuple, dict] = {(c["id"], t): {"ops": 0.0, "secs": 0.0} for c, t in slots}
    for piece in range(slices):
        order = list(slots)
        rng.shuffle(order)
        for c, t in order:
            total = totals[(c["id"], t)]
            own_slices = 1 if c.get("mode") == "async" else slices
            if "error" in total or piece >= own_slices:
                continue
            answer = servers[server_for(c, t)].ask({
                "cmd": "run", "id": c["id"], "threads": t, "ms": CONFIG["ms"] / own_slices,
                "warmMs": CONFIG["warmMs"] if piece == 0 else 0,
                "minOps": max(1, -(-CONFIG["minOps"] // own_slices)), "lanes": CONFIG["lanes"]})
            if "error" in answer:
                totals[(c["id"], t)] = {"error": answer["error"]}
            else:
                total["ops"] += answer["ops"]
                total["secs"] += answer["secs"]
    return totals


def run_rounds(servers: dict[str, Server], cases: list[dict]) -> tuple[dict, dict]:
    live = [c for c in cases if not c.get("skip")]
    samples: dict[str, dict[int, list]] = {c["id"]: {t: [] for t in CONFIG["threads"]} for c in live}
    errors: dict[str, str] = {}
    openssl: dict[int, list] = {t: [] for t in CONFIG["threads"]}
    rng = random.Random(CONFIG["seed"])
    for r in range(CONFIG["rounds"]):
        # Cases that are compared with each other (same operation and key, every language) are
        # measured together, their slices interleaved; the groups come in a shuffled order.
        groups: dict[tuple, list] = {}
        for c in live:
            groups.setdefault((c["op"], c["alg"]), []).extend((c, t) for t in CONFIG["threads"])
        order = list(groups.values())
        rng.shuffle(order)
        t0 = time.time()
        for slots in order:
            for (cid, t), total in measure_group(servers, slots, rng).items():
                if "error" in total:
                    errors[f"{cid}@{t}"] = total["error"]
                    samples[cid][t].append(None)
                else:
                    samples[cid][t].append(total["ops"] / total["secs"])
        if CONFIG["openssl_secs"] > 0:
            for t in CONFIG["threads"]:
                openssl[t].append(openssl_speed(CONFIG["openssl_secs"], t))
        log(f"round {r + 1}/{CONFIG['rounds']}: {sum(map(len, order))} cases in {time.time() - t0:.0f}s, "
            f"load average {os.getloadavg()[0]:.2f}")
    return {"samples": samples, "errors": errors, "openssl": openssl}, errors


def rss_runs() -> list[dict]:
    """Peak RSS of a fresh process signing N ES256 tokens (at most rss_max_secs seconds)."""
    n, cap = CONFIG["rss_tokens"], str(CONFIG["rss_max_secs"])
    runs = []
    for lib in ("qlik-jwt", "jsonwebtoken", "fast-jwt", "jose", "@node-rs/jsonwebtoken"):
        runs.append(("node", lib, ["node", str(BENCH / "node" / "rss.js"), lib, str(n), cap]))
    for lib in ("qlik_jwt", "PyJWT", "joserfc"):
        runs.append(("python", lib, [PYTHON, str(BENCH / "python" / "rss.py"), lib, str(n), cap]))
    out = []
    for lang, lib, argv in runs:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=900)
        try:
            res = json.loads(p.stdout.strip().splitlines()[-1])
        except Exception:  # noqa: BLE001 - reported in the table
            res = {"error": (p.stderr.strip().splitlines() or ["no output"])[-1][:200]}
        out.append({"lang": lang, "lib": lib, "tokens": n, **res})
        log(f"rss {lang} {lib}: {res}")
    return out


def import_times() -> list[dict]:
    reps = CONFIG["import_reps"]
    node_script = (
        "const t=process.hrtime.bigint();require(process.argv[1]);"
        "console.log(Number(process.hrtime.bigint()-t)/1e6)")
    py_script = "import time,importlib,sys;t=time.perf_counter();importlib.import_module(sys.argv[1]);print((time.perf_counter()-t)*1000)"
    targets = [("node", "qlik-jwt", os.environ.get("BENCH_QLIK_NODE", str(REPO)))] + [
        ("node", m, m) for m in ("jsonwebtoken", "fast-jwt", "jose", "@node-rs/jsonwebtoken")] + [
        ("python", "qlik_jwt", "qlik_jwt"), ("python", "PyJWT", "jwt"), ("python", "joserfc", "joserfc.jwt")]
    out = []
    for lang, lib, mod in targets:
        times, err = [], None
        for _ in range(reps):
            if lang == "node":
                p = subprocess.run(["node", "-e", node_script, mod], capture_output=True, text=True,
                                   cwd=BENCH / "node")
            else:
                p = subprocess.run([PYTHON, "-c", py_script, mod], capture_output=True, text=True)
            if p.returncode != 0:
                lines = p.stderr.strip().splitlines() or ["failed"]
                err = next((x for x in lines if "Error" in x), lines[-1]).strip()[:160]
                break
            times.append(float(p.stdout.strip()))
        out.append({"lang": lang, "lib": lib, "ms": times, "error": err})
    return out


def stripped_size(f: Path) -> int | None:
    """The size of a copy without symbols and debug information (what a published build ships)."""
    tmp = BENCH / ".tmp" / f"stripped-{f.name}"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(["strip", "-o", str(tmp), str(f)], check=True, capture_output=True)
        return tmp.stat().st_size
    except (OSError, subprocess.CalledProcessError):
        return None
    finally:
        tmp.unlink(missing_ok=True)


def sizes() -> list[dict]:
    out = []
    node_pkg = Path(os.environ.get("BENCH_QLIK_NODE", REPO))
    for f in sorted((node_pkg / "bindings-node").glob("*.node")):
        out.append({"what": f"Node addon {f.name}", "bytes": f.stat().st_size, "stripped": stripped_size(f)})
    for f in sorted((BENCH / ".tmp" / "wheel").glob("qlik_jwt*.whl")):
        out.append({"what": f"Python wheel {f.name}", "bytes": f.stat().st_size})
    for f in sorted((BENCH / "node" / "node_modules" / "@node-rs").glob("jsonwebtoken-*/*.node")):
        out.append({"what": f"peer: @node-rs/jsonwebtoken {f.name}", "bytes": f.stat().st_size,
                    "stripped": stripped_size(f)})
    return out


def environment() -> dict:
    def cmd(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, cwd=BENCH / "node").stdout.strip()
        except OSError:
            return "?"

    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = json.loads(cmd(["node", "-e", "const o={};for(const m of ['jsonwebtoken','fast-jwt','jose',"
                                "'@node-rs/jsonwebtoken'])o[m]=require(m+'/package.json').version;"
                                "console.log(JSON.stringify(o))"]) or "{}")
    pyv = cmd([PYTHON, "-c", "import json,importlib.metadata as m;print(json.dumps({p:m.version(p) for p in "
                             "('PyJWT','cryptography','joserfc')}))"])
    versions.update(json.loads(pyv or "{}"))
    git = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpu": cpu, "cores": os.cpu_count(),
        "node": cmd(["node", "--version"]), "python": platform.python_version(),
        "openssl": cmd(["openssl", "version"]), "kernel": platform.release(), "commit": git.stdout.strip(),
        "versions": versions,
    }


def main() -> int:
    log(f"config {CONFIG}")
    env = environment()
    env["load_before"] = os.getloadavg()
    servers = start_servers()
    try:
        cases = list_cases(servers)
        for c in cases:
            if c.get("skip"):
                log(f"skip {c['id']}: {c['skip']}")
        measured, _ = run_rounds(servers, cases)
    finally:
        for s in servers.values():
            s.close()
    env["load_after"] = os.getloadavg()
    data = {"config": CONFIG, "env": env, "cases": cases, **measured}
    data["rss"] = rss_runs() if CONFIG["rss_tokens"] > 0 else []
    data["imports"] = import_times() if CONFIG["import_reps"] > 0 else []
    data["sizes"] = sizes()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(data, indent=1))
    write_results(data, OUT / "RESULTS.md", BENCH / "analysis.md")
    write_chart(data, OUT / "results.png")
    log(f"wrote {OUT / 'RESULTS.md'}, {OUT / 'results.png'} and {OUT / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
