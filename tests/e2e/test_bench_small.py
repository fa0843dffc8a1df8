"""`make bench-small`'s code path on the demo: every stage of every pass measured.

No timing is asserted (speed is measured by `make bench`, never by a test): the test checks
that the harness runs the demo through the three passes (full load, one-day increment,
nothing changed), each stage in its own process, and writes a JSON result with every stage
and positive figures, rows per stage and the NLP comparison, and the Markdown table.
"""

from __future__ import annotations

import json

import pytest

from pipelines.cli.bench import PASSES, STAGES, run

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "BENCHMARKS.md"
    run(["small"], tmp / "results.json", out, tmp / "ws", plain_words=5_000)
    return json.loads((tmp / "results.json").read_text()), out.read_text(), tmp


def test_every_stage_of_every_pass_has_positive_figures(results):
    data, _, _ = results
    small = data["sizes"]["small"]
    for name in PASSES:
        stages = small["passes"][name]["stages"]
        assert list(stages) == list(STAGES), name
        for stage, row in stages.items():
            where = f"{name} / {stage}"
            assert row["seconds"] > 0 and row["cpu_seconds"] > 0, where
            assert row["peak_mb"] > 50, where  # a Python process with the pipeline loaded
        assert small["totals_seconds"][name] > 0


def test_rows_disk_and_nlp_figures(results):
    data, _, _ = results
    small = data["sizes"]["small"]
    assert set(small["rows"]) == set(STAGES)
    assert all(n > 0 for n in small["rows"].values()), small["rows"]
    assert small["disk_bytes"]["landing (raw/)"] > 0 and small["disk_bytes"]["warehouse"] > 0
    nlp = small["nlp"]
    assert nlp["words"] > 10_000 and nlp["stage_words_per_second"] > 0
    assert 0 < nlp["plain_pipe"]["words"] <= nlp["words"]
    assert nlp["plain_pipe"]["words_per_second"] > 0
    assert small["generate"]["period"] == {"start": "2026-01-05", "end": "2026-06-28"}
    assert small["ratios"]["increment_over_full"] > 0


def test_the_markdown_table_and_no_workspace_left(results):
    _, text, tmp = results
    assert "## small (69 people, 25 weeks" in text
    for stage in STAGES:
        assert f"| {stage} |" in text
    assert not (tmp / "ws" / "small").exists()  # removed unless --keep
