"""The bench's memory meter (`pipelines/cli/bench.py`): processes that run side by side
add up, which no single process's peak shows. No timing is asserted.

The meter runs in a fresh process, as it does in the bench: a pytest worker may still have
children of earlier tests (pools, forked workers) whose shared pages inflate the resident
sum the meter steps its readings on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HOLD = (  # touch 150 MB page by page, then hold it a while
    "import time; b = bytearray(150 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1.5)"
)
METER = """
import json, os, subprocess, sys
from pipelines.cli.bench import _descendants, _meter, _pss_kb
before = sum(_pss_kb(pid) for pid in _descendants(os.getpid()))  # this process's
record = {}
with _meter(record)("two at once"):
    children = [subprocess.Popen([sys.executable, "-c", sys.argv[1]]) for _ in range(2)]
    for child in children:
        child.wait()
print(json.dumps({"before": before, "record": record}))
"""


def test_two_children_side_by_side_count_twice_in_the_tree_peak():
    done = subprocess.run(
        [sys.executable, "-c", METER, HOLD], cwd=ROOT, capture_output=True, text=True, check=True
    )
    measured = json.loads(done.stdout)
    before, record = measured["before"], measured["record"]
    one = 150 * 1024
    # both children, sampled while they held their memory; a process's own peak (or the
    # largest child's, which is also the largest of any earlier test's) would show one
    assert record["tree_peak_kb"] - before >= 2 * one * 0.95
    assert record["tree_rss_peak_kb"] >= record["tree_peak_kb"] * 0.95  # the upper bound
