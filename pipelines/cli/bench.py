"""`make bench`: measure the pipeline on the demo organisation and write BENCHMARKS.md.

Speed is measured here, never asserted in unit tests. Numbers: generation, each pipeline
stage on a cold run and on a re-run (NLP cache warm, same windows), and the NLP layer's own
benchmark (words per second against plain `nlp.pipe` on the full French pipeline).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path


def _machine() -> str:
    cpus = os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as meminfo:
            line = next(row for row in meminfo if row.startswith("MemTotal"))
        kb = int(line.split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{platform.machine()}, {cpus} cores{mem}, Python {platform.python_version()}"


def bench_pipeline() -> list[str]:
    from pipelines.cli.runner import run_pipeline
    from pipelines.config import load_workspace
    from pipelines.demo.generator import generate

    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        start = time.monotonic()
        truth = generate(root, seed=7)
        lines.append(f"| generate demo workspace | {time.monotonic() - start:.1f} |  |")
        ws = load_workspace(root)
        first = date.fromisoformat(truth["period"]["start"])
        last = date.fromisoformat(truth["period"]["end"])
        sink = io.StringIO()
        cold = run_pipeline(ws, first, last, stream=sink)
        warm = run_pipeline(ws, first, last, stream=sink)
        for label in cold:
            lines.append(f"| {label} | {cold[label]:.1f} | {warm[label]:.1f} |")
        lines.append(
            f"| **whole pipeline** | **{sum(cold.values()):.1f}** | **{sum(warm.values()):.1f}** |"
        )
        sources = {}
        from pipelines.landing import Window
        from pipelines.sources import github, jira

        for module in (github, jira):
            start = time.monotonic()
            module.ingest(ws, Window.for_days(first, last))
            sources[module.__name__.rsplit(".", 1)[-1]] = time.monotonic() - start
        lines.append("")
        lines.append(
            "The same landing without Dagster: "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in sources.items())
            + ". The rest of the first stage is Dagster's own run: one materialization per"
            " asset for the whole window (rows by day in its metadata) in its SQLite event log,"
            " which the CLI keeps so `make ui` shows the runs."
        )
        import duckdb

        with duckdb.connect(str(ws.snapshot_path), read_only=True) as con:
            docs = con.execute(
                "select count(*), sum(length(document_text)) from int_documents"
            ).fetchone()
        lines.append("")
        lines.append(f"Demo size: {docs[0]} documents, {docs[1] / 1e6:.1f} M characters.")
    return lines


def bench_nlp() -> str:
    result = subprocess.run(
        [sys.executable, "-m", "nlp.bench"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return f"NLP benchmark failed:\n```\n{result.stderr[-2000:]}\n```"
    return result.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="BENCHMARKS.md")
    args = parser.parse_args(argv)
    pipeline = bench_pipeline()
    nlp = bench_nlp()
    text = "\n".join(
        [
            "# Benchmarks",
            "",
            f"Measured by `make bench` on {datetime.now(UTC):%Y-%m-%d} ({_machine()}).",
            "",
            "## Demo pipeline (seconds, in-process executor)",
            "",
            "| stage | cold run | re-run |",
            "|---|---:|---:|",
            *pipeline,
            "",
            "## NLP annotation",
            "",
            nlp,
            "",
        ]
    )
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
