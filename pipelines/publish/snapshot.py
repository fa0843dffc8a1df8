"""Publish the warehouse as a read-only snapshot; no Dagster import.

Only dbt writes the warehouse (DuckDB allows one writer process). After each successful
build, `publish_snapshot` copies it beside itself and renames the copy over the snapshot, so
consultants and reports read a complete build and never block the next run. With a
`Pseudonymiser` (pseudonymisation mode), the copy is pseudonymised before the rename, so a
half-pseudonymised file is never visible (see privacy.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.atomic import replacing
from pipelines.publish.privacy import Pseudonymiser, pseudonymise_snapshot


def publish_snapshot(
    warehouse: Path, snapshot: Path, pseudonymiser: Pseudonymiser | None = None
) -> Path:
    """Checkpoint the warehouse, copy it, pseudonymise the copy when `pseudonymiser` is given,
    and atomically replace `snapshot` with it (the rename is the last step)."""
    warehouse, snapshot = Path(warehouse), Path(snapshot)
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse to publish (has dbt built it?)")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("checkpoint")
    with replacing(snapshot, suffix=".duckdb") as tmp:
        shutil.copyfile(warehouse, tmp)
        if pseudonymiser is not None:
            pseudonymise_snapshot(str(tmp), pseudonymiser)
    return snapshot
