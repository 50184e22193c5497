"""The install rows' arithmetic and report: sizes on disk of a tree, the time cells, the table.
Run: python -m unittest discover -s bench/tests (needs nothing beyond the standard library)."""

import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from install import Install, render, seconds_cell, tree_size  # noqa: E402


class TreeSizeTest(unittest.TestCase):
    def test_counts_every_file_below_and_its_bytes(self):
        with tempfile.TemporaryDirectory() as directory:
            root = Path(directory)
            (root / "a" / "b").mkdir(parents=True)
            (root / "a" / "one").write_bytes(b"x" * 10)
            (root / "a" / "b" / "two").write_bytes(b"y" * 5000)
            disk, apparent, files = tree_size(root)
            self.assertEqual((apparent, files), (5010, 2))
            self.assertGreaterEqual(disk, 5000)


class ReportTest(unittest.TestCase):
    def test_time_cell_is_median_then_range(self):
        self.assertEqual(seconds_cell([3.0, 1.0, 2.0]), "2.00 s (1.00–3.00)")

    def test_table_has_a_row_per_install_and_per_artifact(self):
        result = {
            "when": "2026-01-01 00:00 UTC", "commit": "abc1234", "machine": "cpu, 2 cores",
            "load": "0.50", "node": "v20", "npm": "10", "rounds": 3,
            "installs": [
                vars(Install("qlik-jwt", [1.0, 2.0, 3.0], 3 * 1024 * 1024, 2 * 1024 * 1024, 20)),
                vars(Install("jsonwebtoken", [0.5, 0.4, 0.6], 1024 * 1024, 512 * 1024, 200)),
            ],
            "artifacts": {"qlik_jwt.whl": 1024 * 1024},
        }
        text = render(result)
        self.assertIn("| qlik-jwt | 2.00 s (1.00–3.00) | 3.00 MiB | 2.00 MiB | 20 |", text)
        self.assertIn("| jsonwebtoken | 0.50 s (0.40–0.60) | 1.00 MiB | 0.50 MiB | 200 |", text)
        self.assertIn("| qlik_jwt.whl | 1.00 MiB |", text)
        self.assertIn("over 3 rounds", text)


if __name__ == "__main__":
    unittest.main()
