"""Publish the warehouse as a read-only snapshot; no Dagster import.

Only dbt writes the warehouse (DuckDB allows one writer process). After each successful
build, `publish_snapshot` copies it beside itself and renames the copy over the snapshot, so
consultants and reports read a complete build and never block the next run. With a
`Pseudonymiser` (pseudonymisation mode), the temporary file is written pseudonymised straight
from the warehouse (attached read-only), so no clear copy is ever made beside it and a
half-pseudonymised file is never visible (see privacy.py). Temporaries of a publish killed
mid-way are removed at the next publish (`pipelines.atomic.replacing`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.atomic import replacing
from pipelines.publish.privacy import Pseudonymiser, pseudonymise_copy


def publish_snapshot(
    warehouse: Path, snapshot: Path, pseudonymiser: Pseudonymiser | None = None
) -> Path:
    """Checkpoint the warehouse, copy it (pseudonymised when `pseudonymiser` is given), and
    atomically replace `snapshot` with the copy (the rename is the last step)."""
    warehouse, snapshot = Path(warehouse), Path(snapshot)
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse to publish (has dbt built it?)")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("checkpoint")
    with replacing(snapshot, suffix=".duckdb") as tmp:
        if pseudonymiser is None:
            shutil.copyfile(warehouse, tmp)
        else:  # never a clear copy: read the warehouse, write only pseudonyms
            pseudonymise_copy(warehouse, tmp, pseudonymiser)
    return snapshot
