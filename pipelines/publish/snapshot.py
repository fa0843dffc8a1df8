"""Publish the warehouse as a read-only snapshot; no Dagster import.

Only dbt writes the warehouse (DuckDB allows one writer process). After each successful
build, `publish_snapshot` copies it beside itself and renames the copy over the snapshot, so
consultants and reports read a complete build and never block the next run. With a
`Pseudonymiser` (pseudonymisation mode), the temporary file is written pseudonymised straight
from the warehouse (attached read-only), so no clear copy is ever made beside it and a
half-pseudonymised file is never visible (see privacy.py). Temporaries of a publish killed
mid-way are removed at the next publish (`pipelines.atomic.replacing`).

A re-run that built nothing leaves the warehouse file as it was (`pipelines/builds.py`); the
copy is then skipped when `record` says the snapshot is the clear copy of the warehouse as it
is now (same size and modification time) and the snapshot itself is as the copy left it. A
pseudonymised snapshot is always rewritten: its salt is a secret, never recorded, so a new
salt cannot be told from the old one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.atomic import file_state, read_json_object, replacing, write_json
from pipelines.publish.privacy import Pseudonymiser, pseudonymise_copy


def is_current(warehouse: Path, snapshot: Path, record: Path) -> bool:
    """Whether the snapshot is the clear copy `record` shows of the warehouse as it is now:
    the same warehouse file (size, time, no write-ahead log left to checkpoint) and the
    snapshot as the copy left it."""
    if Path(f"{warehouse}.wal").exists():
        return False  # a checkpoint would change the file: not the warehouse copied
    last = read_json_object(record)
    return (
        last.get("warehouse") is not None
        and last.get("warehouse") == file_state(warehouse)
        and last.get("snapshot") is not None
        and last.get("snapshot") == file_state(snapshot)
    )


def publish_snapshot(
    warehouse: Path,
    snapshot: Path,
    pseudonymiser: Pseudonymiser | None = None,
    record: Path | None = None,
) -> bool:
    """Checkpoint the warehouse, copy it (pseudonymised when `pseudonymiser` is given), and
    atomically replace `snapshot` with the copy (the rename is the last step). Returns False
    when the snapshot was left as it was: a clear copy that `record` (a state file) shows is
    already the warehouse as it is now."""
    warehouse, snapshot = Path(warehouse), Path(snapshot)
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse to publish (has dbt built it?)")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("checkpoint")
    source = file_state(warehouse)
    if record is not None:
        if pseudonymiser is None and is_current(warehouse, snapshot, record):
            return False
        record.unlink(missing_ok=True)  # a copy killed half-way is no recorded copy
    with replacing(snapshot, suffix=".duckdb") as tmp:
        if pseudonymiser is None:
            shutil.copyfile(warehouse, tmp)
        else:  # never a clear copy: read the warehouse, write only pseudonyms
            pseudonymise_copy(warehouse, tmp, pseudonymiser)
    if record is not None and pseudonymiser is None:
        write_json(record, {"warehouse": source, "snapshot": file_state(snapshot)})
    return True
