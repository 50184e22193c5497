"""The report's arithmetic: medians and spread, ratios paired by round, target verdicts.
Run: python -m unittest discover -s bench/tests (needs nothing beyond the standard library)."""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from report import Run, _stats, _verdict, targets  # noqa: E402


def run_with(samples: dict, cases: dict | None = None) -> Run:
    ids = set(samples) | set(cases or {})
    meta = []
    for cid in ids:
        lang, op, alg, lib, variant = cid.split("/")
        meta.append({"id": cid, "lang": lang, "op": op, "alg": alg, "lib": lib, "variant": variant,
                     **(cases or {}).get(cid, {})})
    return Run({"cases": meta, "samples": samples})


class StatsTest(unittest.TestCase):
    def test_median_min_max_ignore_failed_rounds(self):
        s = _stats([3.0, None, 1.0, 2.0, 10.0])
        self.assertEqual((s["median"], s["min"], s["max"], s["n"]), (2.5, 1.0, 10.0, 4))

    def test_no_sample_is_no_statistic(self):
        self.assertIsNone(_stats([None, None]))


class RatioTest(unittest.TestCase):
    def test_ratio_pairs_rounds_not_medians(self):
        # Round by round the first is always twice the second, though their medians differ by 1.5x.
        run = run_with({"node/sign/HS256/a/x": {1: [2.0, 40.0, 6.0]},
                        "node/sign/HS256/b/x": {1: [1.0, 20.0, 3.0, 99.0]}})
        s = run.ratio("node/sign/HS256/a/x", 1, "node/sign/HS256/b/x", 1)
        self.assertEqual((s["median"], s["min"], s["max"], s["n"]), (2.0, 2.0, 2.0, 3))

    def test_failed_round_is_left_out_of_the_ratio(self):
        run = run_with({"node/sign/HS256/a/x": {1: [None, 9.0]}, "node/sign/HS256/b/x": {1: [1.0, 3.0]}})
        self.assertEqual(run.ratio("node/sign/HS256/a/x", 1, "node/sign/HS256/b/x", 1)["median"], 3.0)

    def test_json_keys_are_strings(self):
        run = run_with({"node/sign/HS256/a/x": {"2": [4.0]}})
        self.assertEqual(run.rate("node/sign/HS256/a/x", 2)["median"], 4.0)


class TargetTest(unittest.TestCase):
    def test_verdicts(self):
        self.assertEqual(_verdict({"goal": 3.0, "stat": {"median": 3.0}}), "**met**")
        self.assertEqual(_verdict({"goal": 3.0, "stat": {"median": 2.99}}), "**missed**")
        # "faster than" is strict.
        self.assertEqual(_verdict({"goal": 1.0, "stat": {"median": 1.0}}), "**missed**")
        self.assertEqual(_verdict({"goal": 3.0, "stat": None}), "not measured")

    def test_unbuilt_binding_makes_targets_unmeasured_with_the_reason(self):
        run = run_with({"node/sign/RS4096/jsonwebtoken/pem-per-call": {1: [100.0]}},
                       {"node/sign/RS4096/qlik-jwt/pem-per-call": {"skip": "not built (no addon)"}})
        first = targets(run)[0]
        self.assertIsNone(first["stat"])
        self.assertEqual(first["why"], "not measured: not built")

    def test_node_pem_target_is_the_paired_ratio(self):
        run = run_with({"node/sign/RS4096/qlik-jwt/pem-per-call": {1: [300.0, 330.0]},
                        "node/sign/RS4096/jsonwebtoken/pem-per-call": {1: [100.0, 100.0]}})
        first = targets(run)[0]
        self.assertAlmostEqual(first["stat"]["median"], 3.15)
        self.assertEqual(_verdict(first), "**met**")


if __name__ == "__main__":
    unittest.main()
