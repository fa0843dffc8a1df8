"""Raw assets: land each source as Parquet. Thin wiring over `pipelines.sources.*`.

Asset keys are `<source>/<entity>`, the same names as the landing folders and the dbt
sources. GitHub and Jira are partitioned by UTC day (a backfill of many days runs as one
window); notes and the directory are snapshots of a folder and a file. What runs them when:
pipelines/defs/automation.py.
"""

from collections.abc import Iterator
from types import ModuleType

from dagster import (
    AssetExecutionContext,
    AssetSelection,
    AssetSpec,
    BackfillPolicy,
    DailyPartitionsDefinition,
    MaterializeResult,
    multi_asset,
)

from pipelines.defs.resources import WorkspaceResource
from pipelines.landing import Window, ensure_schema_file
from pipelines.sources import directory, github, jira, notes

# Fixed at definition time (no I/O at import). Earlier history is reachable with
# `silo ingest SOURCE --since ...`, which lands the same day files.
daily_partitions = DailyPartitionsDefinition(start_date="2025-01-01", timezone="UTC")


def _results(
    source: str, entities: dict, counts: dict[str, int], note: str
) -> Iterator[MaterializeResult]:
    for entity in entities:
        yield MaterializeResult(
            asset_key=[source, entity],
            metadata={"rows_landed": int(counts.get(entity, 0)), "note": note},
        )


def raw_asset(module: ModuleType, windowed: bool):
    """One multi-asset per source; windowed sources are partitioned by UTC day."""
    source = module.__name__.rsplit(".", 1)[-1]
    grain = "by day" if windowed else "snapshot"
    specs = [
        AssetSpec([source, entity], group_name="raw", description=f"{source} {entity}, {grain}")
        for entity in module.ENTITIES
    ]
    partitioning = (
        {"partitions_def": daily_partitions, "backfill_policy": BackfillPolicy.single_run()}
        if windowed
        else {}
    )

    @multi_asset(name=f"{source}__raw", specs=specs, **partitioning)
    def _asset(context: AssetExecutionContext, workspace: WorkspaceResource):
        ws = workspace.load()
        for entity, schema in module.ENTITIES.items():
            ensure_schema_file(ws.raw_dir, source, entity, schema)
        if getattr(ws, source) is None:
            yield from _results(
                source, module.ENTITIES, {}, f"sources.{source} not configured: nothing fetched"
            )
            return
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


api_assets = [raw_asset(github, windowed=True), raw_asset(jira, windowed=True)]
file_assets = [raw_asset(notes, windowed=False), raw_asset(directory, windowed=False)]

API_SOURCES = AssetSelection.assets(*api_assets)
