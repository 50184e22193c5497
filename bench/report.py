"""Turns one run's measurements (results.json's shape) into bench/RESULTS.md and the PNG chart."""

from __future__ import annotations

import statistics
from pathlib import Path

ALGS = ["RS4096", "RS2048", "ES256", "HS256"]
ALG_TITLE = {
    "RS4096": "RS256, 4096-bit key: the Qlik tutorial's token",
    "RS2048": "RS256, 2048-bit key",
    "ES256": "ES256 (P-256)",
    "HS256": "HS256 with a string secret",
}
LANG_TITLE = {"node": "Node", "python": "Python", "rust": "Rust"}
BASELINE = {  # the column every row of a table is compared with
    ("node", "sign"): "jsonwebtoken/pem-per-call",
    ("node", "verify"): "jsonwebtoken/pem-per-call",
    ("python", "sign"): "PyJWT/pem-per-call",
    ("rust", "sign"): "aws-lc-rs/parsed-key",
}
VARIANT_TEXT = {
    "pem-per-call": "PEM string every call",
    "keyobject": "KeyObject",
    "callback": "callback (PEM every call)",
    "promise": "promise (PEM every call)",
    "createQlikSigner": "createQlikSigner().sign",
    "createQlikSigner-async": "createQlikSigner().signAsync",
    "createSigner": "createSigner (key parsed once)",
    "createVerifier": "createVerifier (key parsed once)",
    "imported-key": "imported key",
    "signSync-pem": "signSync, PEM every call",
    "sign-async-pem": "sign (async), PEM every call",
    "verifySync-pem": "verifySync, PEM every call",
    "QlikSigner": "QlikSigner.sign",
    "loaded-key": "loaded key",
    "PrivateKey": "PrivateKey (parsed once)",
    "parsed-key": "one signature, key parsed once",
    "SigningKey.sign": "SigningKey::sign (one signature)",
    "compat-sign-pem-per-call": "compat::sign, PEM every call",
    "compat-sign-parsed-key": "compat::sign, parsed key",
}


def _stats(values: list) -> dict | None:
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    q = statistics.quantiles(vals, n=4, method="inclusive") if len(vals) > 1 else [vals[0]] * 3
    return {"median": statistics.median(vals), "min": vals[0], "max": vals[-1], "q1": q[0], "q3": q[2], "n": len(vals)}


def _num(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def _rate_cell(s: dict | None) -> str:
    if s is None:
        return "–"
    return f"**{_num(s['median'])}** ({_num(s['min'])}–{_num(s['max'])})"


def _short(reason: str) -> str:
    """The first words of a skip reason, for table cells; the full text is under "Not measured"."""
    return reason.split(" (")[0][:60]


def _ratio_cell(s: dict | None) -> str:
    if s is None:
        return "–"
    return f"{_num(s['median'])}× ({_num(s['min'])}–{_num(s['max'])})"


class Run:
    """Query helpers over one run's data."""

    def __init__(self, data: dict):
        self.data = data
        self.cases = {c["id"]: c for c in data["cases"]}
        self.samples = data["samples"]

    def series(self, case_id: str, threads: int) -> list:
        return self.samples.get(case_id, {}).get(str(threads), self.samples.get(case_id, {}).get(threads, []))

    def rate(self, case_id: str, threads: int) -> dict | None:
        return _stats(self.series(case_id, threads))

    def ratio(self, a: str, ta: int, b: str, tb: int) -> dict | None:
        """Median of the per-round ratios a/b: both were measured in the same round."""
        xs, ys = self.series(a, ta), self.series(b, tb)
        return _stats([x / y for x, y in zip(xs, ys) if x and y])

    def openssl(self, threads: int, alg: str, op: str = "sign") -> dict | None:
        rounds = self.data.get("openssl", {}).get(str(threads), self.data.get("openssl", {}).get(threads, []))
        return _stats([r.get(alg, {}).get(op) for r in rounds])

    def openssl_ratio(self, a: str, ta: int, alg: str) -> dict | None:
        xs = self.series(a, ta)
        rounds = self.data.get("openssl", {}).get(str(ta), self.data.get("openssl", {}).get(ta, []))
        return _stats([x / r[alg]["sign"] for x, r in zip(xs, rounds) if x and r.get(alg)])

    def reason(self, case_id: str) -> str:
        c = self.cases.get(case_id)
        if c is None:
            return "not in this run"
        return c.get("skip") or "no measurement"


def targets(run: Run) -> list[dict]:
    """The issue's targets, each computed from this run's paired per-round ratios."""
    def t(name, a, ta, b, tb, goal):
        s = run.ratio(a, ta, b, tb)
        why = None if s else f"not measured: {_short(run.reason(a) if not run.rate(a, ta) else run.reason(b))}"
        return {"target": name, "stat": s, "goal": goal, "why": why}

    n = "node/sign/RS4096"
    p = "python/sign/RS4096"
    limit = "rust/sign/RS4096/aws-lc-rs/parsed-key"
    rows = [
        t("Node: qlik-jwt `sign`, PEM every call ÷ jsonwebtoken, same call (RS256-4096, 1 thread)",
          f"{n}/qlik-jwt/pem-per-call", 1, f"{n}/jsonwebtoken/pem-per-call", 1, 3.0),
        t("Python: `qlik_jwt.sign`, PEM every call ÷ PyJWT, PEM every call (RS256-4096, 1 thread)",
          f"{p}/qlik_jwt/pem-per-call", 1, f"{p}/PyJWT/pem-per-call", 1, 100.0),
        t("Node: qlik-jwt `sign`, PEM every call ÷ raw aws-lc-rs signature (RS256-4096, 1 thread)",
          f"{n}/qlik-jwt/pem-per-call", 1, limit, 1, 0.9),
        t("Python: `qlik_jwt.sign`, PEM every call ÷ raw aws-lc-rs signature (RS256-4096, 1 thread)",
          f"{p}/qlik_jwt/pem-per-call", 1, limit, 1, 0.9),
        t("Node: qlik-jwt `sign` on 2 worker threads ÷ 1 thread (RS256-4096, PEM every call)",
          f"{n}/qlik-jwt/pem-per-call", 2, f"{n}/qlik-jwt/pem-per-call", 1, 1.8),
        t("Node: qlik-jwt `signAsync`, libuv pool of 2 ÷ pool of 1 (RS256-4096)",
          f"{n}/qlik-jwt/promise", 2, f"{n}/qlik-jwt/promise", 1, 1.8),
        t("Node: `createQlikSigner().signAsync`, pool of 2 ÷ pool of 1 (RS256-4096)",
          f"{n}/qlik-jwt/createQlikSigner-async", 2, f"{n}/qlik-jwt/createQlikSigner-async", 1, 1.8),
        t("Python: `qlik_jwt.sign` on 2 threads ÷ 1 thread (RS256-4096, PEM every call)",
          f"{p}/qlik_jwt/pem-per-call", 2, f"{p}/qlik_jwt/pem-per-call", 1, 1.8),
        t("Python: `QlikSigner.sign` on 2 threads ÷ 1 thread (RS256-4096)",
          f"{p}/qlik_jwt/QlikSigner", 2, f"{p}/qlik_jwt/QlikSigner", 1, 1.8),
        t("Node: HS256 sign, string secret ÷ jsonwebtoken with the same string (1 thread)",
          "node/sign/HS256/qlik-jwt/pem-per-call", 1, "node/sign/HS256/jsonwebtoken/pem-per-call", 1, 50.0),
        t("Node: HS256 verify, string secret ÷ jsonwebtoken with the same string (1 thread)",
          "node/verify/HS256/qlik-jwt/pem-per-call", 1, "node/verify/HS256/jsonwebtoken/pem-per-call", 1, 50.0),
        t("Node: HS256 sign, string secret ÷ jsonwebtoken given a KeyObject (1 thread)",
          "node/sign/HS256/qlik-jwt/pem-per-call", 1, "node/sign/HS256/jsonwebtoken/keyobject", 1, 1.0),
        t("Node: HS256 verify, string secret ÷ jsonwebtoken given a KeyObject (1 thread)",
          "node/verify/HS256/qlik-jwt/pem-per-call", 1, "node/verify/HS256/jsonwebtoken/keyobject", 1, 1.0),
    ]
    # For reading the 2-thread targets: how far the machine itself scaled during this run.
    rows.append({"target": "Reference, not a target: raw aws-lc-rs RS256-4096 on 2 threads ÷ 1 thread",
                 "stat": run.ratio(limit, 2, limit, 1), "goal": None, "why": None})
    return rows


def _verdict(row: dict) -> str:
    if row["goal"] is None:
        return "(machine)"
    if row["stat"] is None:
        return "not measured"
    m = row["stat"]["median"]
    # "faster than" (goal 1.0) means strictly above.
    met = m > row["goal"] if row["goal"] == 1.0 else m >= row["goal"]
    return "**met**" if met else "**missed**"


def _case_table(run: Run, lang: str, op: str, alg: str, threads: list[int]) -> list[str]:
    ids = [cid for cid, c in run.cases.items() if c["lang"] == lang and c["op"] == op and c["alg"] == alg]
    if not ids:
        return []
    ids.sort(key=lambda cid: (not run.cases[cid].get("ours"), run.cases[cid]["lib"]))
    base_key = BASELINE.get((lang, op))
    base = f"{lang}/{op}/{alg}/{base_key}" if base_key else None
    unit = {"sign": "signs/s", "verify": "verifies/s"}[op]
    head = ["library", "how it is called"] + [f"{t} thread{'s' if t > 1 else ''}: {unit}" for t in threads]
    if 1 in threads and 2 in threads:
        head.append("2 ÷ 1 thread")
    if base:
        lib, variant = base_key.split("/")
        head.append(f"÷ {lib}, {VARIANT_TEXT.get(variant, variant)} (1 thread)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for cid in ids:
        c = run.cases[cid]
        name = f"**{c['lib']}**" if c.get("ours") else c["lib"]
        row = [name, VARIANT_TEXT.get(c["variant"], c["variant"])]
        if c.get("skip"):
            row += [f"skipped: {_short(c['skip'])}"] + [""] * (len(head) - 3)
        else:
            row += [_rate_cell(run.rate(cid, t)) for t in threads]
            if 1 in threads and 2 in threads:
                row.append(_ratio_cell(run.ratio(cid, 2, cid, 1)))
            if base:
                row.append(_ratio_cell(run.ratio(cid, 1, base, 1)) if cid != base else "1×")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def write_results(data: dict, path: Path, analysis: Path) -> None:
    run = Run(data)
    cfg, env = data["config"], data["env"]
    threads = cfg["threads"]
    out = ["# qlik-jwt benchmark results", ""]
    out += [
        "Generated by `bash bench/run.sh` (see bench/README.md); every number below comes from one run. "
        "Rates are tokens per second: the **median** over rounds, then (min–max). Each round measures "
        "every case once, in slices: cases that are compared (same operation and key, every language and "
        "the Rust limit) take their slices in turn, in a new shuffled order each time, so machine noise "
        "hits ours and the peers' alike (an async case takes its window in one slice). Ratios are "
        "medians of the per-round ratios.",
        "",
        f"- Run: {env['date']}, commit `{env['commit']}`{' — QUICK smoke run, numbers meaningless' if cfg['quick'] else ''}",
        f"- Machine: {env['cpu']}, {env['cores']} cores, Linux {env['kernel']}; load average "
        f"{env['load_before'][0]:.2f} before, {env['load_after'][0]:.2f} after (the machine is shared: "
        "other work may run during the benchmark).",
        f"- Node {env['node']}, Python {env['python']}, {env['openssl']}",
        "- Peers: " + ", ".join(f"{k} {v}" for k, v in sorted(env["versions"].items())),
        f"- {cfg['rounds']} rounds; each measurement {cfg['ms']:.0f} ms in {cfg.get('slices', 1)} slices, after "
        f"{cfg['warmMs']:.0f} ms of warm-up (at least {cfg['minOps']} operations); async forms keep "
        f"{cfg['lanes']} calls in flight.",
        "- 2 threads: sync APIs on 2 `worker_threads` (Node) or 2 `threading` threads (Python); async "
        "Node forms (callback, promise, jose, @node-rs `sign`) with the libuv pool at "
        "`UV_THREADPOOL_SIZE=2` against a process at `UV_THREADPOOL_SIZE=1`.",
        "",
        "## Targets",
        "",
        "| target | measured (median, min–max over rounds) | goal | |",
        "|---|---|---|---|",
    ]
    for row in targets(run):
        measured = _ratio_cell(row["stat"]) if row["stat"] else row["why"] or "–"
        goal = "–" if row["goal"] is None else (f"> {row['goal']:g}×" if row["goal"] == 1.0 else f"≥ {row['goal']:g}×")
        out.append(f"| {row['target']} | {measured} | {goal} | {_verdict(row)} |")
    out += ["", "![tokens per second, 1 thread](results.png)", ""]

    for lang, op in (("node", "sign"), ("node", "verify"), ("python", "sign"), ("rust", "sign")):
        title = {"rust": "Rust: the limit (aws-lc-rs with a parsed key) and the qlik-jwt core"}.get(
            lang, f"{LANG_TITLE[lang]} {op}")
        out += [f"## {title}", ""]
        for alg in ALGS:
            table = _case_table(run, lang, op, alg, threads)
            if table:
                out += [f"### {ALG_TITLE[alg]}", ""] + table + [""]

    if any(data.get("openssl", {}).values()):
        out += ["## `openssl speed` (reference)", "", "| key | " + " | ".join(
            f"sign/s, {t} process{'es' if t > 1 else ''} | verify/s, {t}" for t in threads) + " |",
            "|---|" + "---|---|" * len(threads)]
        for alg in ("RS4096", "RS2048", "ES256"):
            cells = []
            for t in threads:
                cells += [_rate_cell(run.openssl(t, alg)), _rate_cell(run.openssl(t, alg, "verify"))]
            out.append(f"| {alg} | " + " | ".join(cells) + " |")
        out.append("")

    if data.get("rss"):
        out += ["## Peak memory while signing ES256 tokens", "",
                "A fresh process per library; qlik-jwt with the PEM string on every call (the tutorial's "
                "code, through its key cache), each peer in its fastest ordinary form. A run stops after "
                f"{cfg['rss_tokens']:,} tokens or {cfg['rss_max_secs']:g} s.", "",
                "| | library | call | tokens signed | peak RSS | RSS before the loop | growth |",
                "|---|---|---|---|---|---|---|"]
        for r in data["rss"]:
            if "error" in r:
                out.append(f"| {LANG_TITLE[r['lang']]} | {r['lib']} | | skipped: {_short(r['error'])} | | | |")
                continue
            out.append(
                f"| {LANG_TITLE[r['lang']]} | {r['lib']} | {VARIANT_TEXT.get(r['variant'], r['variant'])} | "
                f"{r['ops']:,} in {r['secs']:.1f} s | {r['peak_kb'] / 1024:.1f} MiB | {r['baseline_kb'] / 1024:.1f} MiB | "
                f"{(r['peak_kb'] - r['baseline_kb']) / 1024:+.1f} MiB |")
        out.append("")

    if data.get("imports"):
        out += ["## Time to `require` / `import`", "",
                "In a fresh process, median (min–max) of the runs; the time of the `require`/`import` "
                "statement only, not the interpreter's start.", "",
                "| | package | ms |", "|---|---|---|"]
        for r in data["imports"]:
            cell = f"skipped: {_short(r['error'])}" if r["error"] else _rate_cell(_stats(r["ms"]))
            out.append(f"| {LANG_TITLE[r['lang']]} | {r['lib']} | {cell} |")
        out.append("")

    out += ["## Sizes", "", "| file | size | without symbols and debug info (`strip`) |", "|---|---|---|"]
    for s in data.get("sizes", []):
        stripped = f"{s['stripped'] / 1024 / 1024:.2f} MiB" if s.get("stripped") else "–"
        out.append(f"| {s['what']} | {s['bytes'] / 1024 / 1024:.2f} MiB | {stripped} |")
    if not any(s["what"].startswith(("Node addon", "Python wheel")) for s in data.get("sizes", [])):
        out.append("| our addon / wheel | not built in this run | |")
    out.append("")

    skipped = [c for c in data["cases"] if c.get("skip")]
    if skipped or data.get("errors"):
        out += ["## Not measured", ""]
        by_reason: dict[str, list[str]] = {}
        for c in skipped:
            by_reason.setdefault(c["skip"], []).append(c["id"])
        for reason, ids in by_reason.items():
            out.append(f"- {reason}: {len(ids)} case{'s' if len(ids) > 1 else ''} (" + ", ".join(f"`{i}`" for i in ids) + ")")
        out += [f"- `{k}`: {v}" for k, v in sorted(data.get("errors", {}).items())]
        out.append("")

    if analysis.exists():
        out += [analysis.read_text().strip(), ""]
    path.write_text("\n".join(out))


def write_chart(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    run = Run(data)
    panels = [("sign", a) for a in ALGS] + [("verify", "HS256"), ("verify", "RS2048")]
    fig, axes = plt.subplots(3, 2, figsize=(17, 19))
    for ax, (op, alg) in zip(axes.flat, panels):
        rows = []
        for cid, c in run.cases.items():
            if c["op"] != op or c["alg"] != alg or c.get("skip"):
                continue
            s = run.rate(cid, 1)
            if s:
                rows.append((c, s))
        order = {"rust": 0, "node": 1, "python": 2}
        rows.sort(key=lambda r: (order[r[0]["lang"]], -r[1]["median"]))
        rows.reverse()
        labels = [f"{LANG_TITLE[c['lang']]} · {c['lib']} · {VARIANT_TEXT.get(c['variant'], c['variant'])}"
                  for c, _ in rows]
        med = [s["median"] for _, s in rows]
        err = [[s["median"] - s["min"] for _, s in rows], [s["max"] - s["median"] for _, s in rows]]
        colors = ["#2e7d32" if c["lib"] == "aws-lc-rs" else "#e65100" if c.get("ours") else "#78909c"
                  for c, _ in rows]
        ax.barh(range(len(rows)), med, xerr=err, color=colors, capsize=2)
        ax.set_yticks(range(len(rows)), labels, fontsize=7.5)
        ax.set_xscale("log")
        ax.set_title(f"{op}: {ALG_TITLE[alg]}", fontsize=10)
        unit = "tokens signed" if op == "sign" else "tokens verified"
        ax.set_xlabel(f"{unit} per second, 1 thread (log scale; bar = median, whisker = min–max)", fontsize=8)
        ax.grid(axis="x", which="both", alpha=0.3)
        for i, m in enumerate(med):
            ax.text(m, i, f" {_num(m)}", va="center", fontsize=7)
        if not rows:
            ax.text(0.5, 0.5, "not measured", ha="center", transform=ax.transAxes)
    fig.suptitle("qlik-jwt (orange) vs the libraries users would pick instead (grey); "
                 "green = one raw aws-lc-rs signature", fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.98))
    fig.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(fig)
