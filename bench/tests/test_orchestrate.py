"""How the orchestrator cuts a group's windows into interleaved slices and adds them up.
Run: python -m unittest discover -s bench/tests (needs nothing beyond the standard library)."""

import random
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orchestrate  # noqa: E402


class FakeServer:
    """Answers `run` commands from a script of (ops, secs) per case id, and records the calls."""

    def __init__(self, log: list, answers: dict):
        self.log = log
        self.answers = answers

    def ask(self, cmd: dict) -> dict:
        self.log.append(cmd)
        answer = self.answers[cmd["id"]]
        return answer(cmd) if callable(answer) else dict(answer)


def case(cid: str, lang: str = "node") -> dict:
    return {"id": cid, "lang": lang}


class MeasureGroupTest(unittest.TestCase):
    def setUp(self):
        self.saved = dict(orchestrate.CONFIG)
        orchestrate.CONFIG.update({"slices": 3, "ms": 150.0, "warmMs": 30.0, "minOps": 2, "lanes": 8})

    def tearDown(self):
        orchestrate.CONFIG.clear()
        orchestrate.CONFIG.update(self.saved)

    def measure(self, answers: dict, slots: list) -> tuple[dict, list]:
        log: list = []
        server = FakeServer(log, answers)
        servers = {"node1": server, "node2": server, "python": server, "rust": server}
        return orchestrate.measure_group(servers, slots, random.Random(7)), log

    def test_slices_are_interleaved_and_only_the_first_warms_up(self):
        a, b = case("node/sign/HS256/a/x"), case("node/sign/HS256/b/x")
        totals, log = self.measure({a["id"]: {"ops": 10, "secs": 0.05}, b["id"]: {"ops": 1, "secs": 0.05}},
                                   [(a, 1), (b, 1)])
        self.assertEqual(len(log), 6)
        # Every slice has each case once before the next slice starts.
        for piece in range(3):
            self.assertEqual({c["id"] for c in log[2 * piece:2 * piece + 2]}, {a["id"], b["id"]})
        self.assertTrue(all(c["ms"] == 50.0 for c in log))
        self.assertEqual([c["warmMs"] for c in log[:2]], [30.0, 30.0])
        self.assertTrue(all(c["warmMs"] == 0 for c in log[2:]))
        # At least minOps over the window: one per slice here.
        self.assertTrue(all(c["minOps"] == 1 for c in log))
        self.assertEqual(totals[(a["id"], 1)], {"ops": 30, "secs": 0.15000000000000002})
        self.assertEqual(totals[(b["id"], 1)]["ops"], 3)

    def test_a_failed_slice_is_the_case_error_and_ends_its_slices(self):
        good, bad = case("node/sign/HS256/a/x"), case("python/sign/HS256/b/x", "python")
        calls = {"bad": 0}

        def fails_second(cmd):
            calls["bad"] += 1
            return {"error": "boom"} if calls["bad"] == 2 else {"ops": 5, "secs": 0.05}

        totals, log = self.measure({good["id"]: {"ops": 5, "secs": 0.05}, bad["id"]: fails_second},
                                   [(good, 1), (bad, 1)])
        self.assertEqual(totals[(bad["id"], 1)], {"error": "boom"})
        self.assertEqual(calls["bad"], 2)
        self.assertEqual(totals[(good["id"], 1)]["ops"], 15)

    def test_an_async_case_takes_its_whole_window_in_the_first_turn(self):
        sync, pooled = case("node/sign/RS4096/a/x"), {**case("node/sign/RS4096/b/promise"), "mode": "async"}
        totals, log = self.measure({sync["id"]: {"ops": 2, "secs": 0.05}, pooled["id"]: {"ops": 6, "secs": 0.16}},
                                   [(sync, 1), (pooled, 2)])
        pooled_calls = [c for c in log if c["id"] == pooled["id"]]
        self.assertEqual(len(pooled_calls), 1)
        self.assertEqual((pooled_calls[0]["ms"], pooled_calls[0]["warmMs"], pooled_calls[0]["minOps"]),
                         (150.0, 30.0, 2))
        self.assertIn(pooled_calls[0], log[:2])
        self.assertEqual(totals[(pooled["id"], 2)], {"ops": 6, "secs": 0.16})
        self.assertEqual(len([c for c in log if c["id"] == sync["id"]]), 3)

    def test_threads_of_one_case_are_slots_of_their_own(self):
        a = case("node/sign/HS256/a/x")
        totals, log = self.measure({a["id"]: {"ops": 4, "secs": 0.05}}, [(a, 1), (a, 2)])
        self.assertEqual(sorted(totals), [(a["id"], 1), (a["id"], 2)])
        self.assertEqual(sorted(c["threads"] for c in log), [1, 1, 1, 2, 2, 2])


if __name__ == "__main__":
    unittest.main()
