"""Raw assets: land each source as Parquet. Thin wiring over `pipelines.sources.*`.

Asset keys are `<source>/<entity>`, the same names as the landing folders and the dbt
sources. GitHub and Jira are partitioned by UTC day (a backfill of many days runs as one
window); notes and the directory are snapshots of a folder and a file. What runs them when:
pipelines/defs/automation.py.

Built per workspace by `raw_assets(ws)` when the code location loads (see
pipelines/definitions.py for why): the daily partitions start at the workspace's
`start_date`, so a history from 2024 is as reachable as yesterday, and only the sources
`silo.yml` configures become assets, so a notes-only workspace never runs, nor records
empty materializations of, GitHub or Jira. The `_schema.parquet` of every source is still
written before dbt runs (`ensure_raw_schemas`), so staging models of an absent source read
zero rows.
"""

from collections.abc import Iterator
from datetime import date
from types import ModuleType

from dagster import (
    AssetExecutionContext,
    AssetSpec,
    BackfillPolicy,
    DailyPartitionsDefinition,
    Failure,
    MaterializeResult,
    multi_asset,
)

from pipelines.config import Workspace
from pipelines.defs.resources import WorkspaceResource
from pipelines.landing import Window, ensure_schema_file
from pipelines.sources import directory, github, jira, notes

# every source, and whether it lands by UTC day (partitioned) or as a snapshot
SOURCES: dict[str, tuple[ModuleType, bool]] = {
    "github": (github, True),
    "jira": (jira, True),
    "notes": (notes, False),
    "directory": (directory, False),
}


def daily_partitions(start: date) -> DailyPartitionsDefinition:
    """UTC days from the workspace's first day to yesterday (today is not complete)."""
    return DailyPartitionsDefinition(start_date=start.isoformat(), timezone="UTC")


def ensure_raw_schemas(ws: Workspace) -> None:
    """Write every source's empty `_schema.parquet`, configured or not, for dbt's sources."""
    for name, (module, _) in SOURCES.items():
        for entity, schema in module.ENTITIES.items():
            ensure_schema_file(ws.raw_dir, name, entity, schema)


def _results(
    source: str, entities: dict, counts: dict[str, int], note: str
) -> Iterator[MaterializeResult]:
    for entity in entities:
        yield MaterializeResult(
            asset_key=[source, entity],
            metadata={"rows_landed": int(counts.get(entity, 0)), "note": note},
        )


def raw_asset(module: ModuleType, partitions: DailyPartitionsDefinition | None = None):
    """One multi-asset per source; windowed sources are partitioned by UTC day."""
    source = module.__name__.rsplit(".", 1)[-1]
    windowed = partitions is not None
    grain = "by day" if windowed else "snapshot"
    specs = [
        AssetSpec([source, entity], group_name="raw", description=f"{source} {entity}, {grain}")
        for entity in module.ENTITIES
    ]
    partitioning = (
        {"partitions_def": partitions, "backfill_policy": BackfillPolicy.single_run()}
        if windowed
        else {}
    )

    @multi_asset(name=f"{source}__raw", specs=specs, **partitioning)
    def _asset(context: AssetExecutionContext, workspace: WorkspaceResource):
        ws = workspace.load()
        for entity, schema in module.ENTITIES.items():
            ensure_schema_file(ws.raw_dir, source, entity, schema)
        if getattr(ws, source) is None:  # silo.yml changed since the code location loaded
            raise Failure(
                f"sources.{source} is no longer in {ws.root / 'silo.yml'}: reload the code "
                "location so its assets follow the configuration"
            )
        if windowed:
            span = context.partition_time_window
            window = Window(span.start, span.end)
            counts = module.ingest(ws, window, log=context.log)
            note = f"window {window.start:%Y-%m-%d}..{window.end:%Y-%m-%d}"
        else:
            counts, note = module.ingest(ws, log=context.log), "snapshot"
        yield from _results(source, module.ENTITIES, counts, note)

    _asset.__doc__ = (
        f"Land {source} records updated in the partition window."
        if windowed
        else f"Land the current {source} snapshot."
    )
    return _asset


def raw_assets(ws: Workspace) -> list:
    """The raw assets of the sources `silo.yml` configures, partitions from `start_date`."""
    partitions = daily_partitions(ws.start_date)
    return [
        raw_asset(module, partitions if windowed else None)
        for name, (module, windowed) in SOURCES.items()
        if getattr(ws, name) is not None
    ]


def partitioned(assets: list) -> list:
    """The day-partitioned (API) assets among `assets`."""
    return [node for node in assets if node.partitions_def is not None]
