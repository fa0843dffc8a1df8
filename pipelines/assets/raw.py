"""Raw assets: land each source as Parquet. Thin wiring over `pipelines.sources.*`.

Asset keys are `<source>/<entity>`, the same names as the landing folders and the dbt sources.
GitHub and Jira are partitioned by UTC day (a backfill of many days runs as one window);
notes and the directory are snapshots of a folder and a file.
"""

import importlib
from collections.abc import Iterator

from dagster import (
    AssetExecutionContext,
    AssetSpec,
    MaterializeResult,
    multi_asset,
)

from pipelines.landing import Window, ensure_schema_file
from pipelines.partitions import daily_partitions, single_run_backfill
from pipelines.resources import WorkspaceResource

WINDOWED = ("github", "jira")
SNAPSHOTS = ("notes", "directory")


def _results(
    source: str, entities: dict, counts: dict[str, int], note: str
) -> Iterator[MaterializeResult]:
    for entity in entities:
        yield MaterializeResult(
            asset_key=[source, entity],
            metadata={"rows_landed": int(counts.get(entity, 0)), "note": note},
        )


def _raw_asset(source: str, windowed: bool):
    """One multi-asset per source; windowed sources are partitioned by UTC day."""
    module = importlib.import_module(f"pipelines.sources.{source}")
    grain = "by day" if windowed else "snapshot"
    specs = [
        AssetSpec([source, entity], group_name="raw", description=f"{source} {entity}, {grain}")
        for entity in module.ENTITIES
    ]
    partitioning = (
        {"partitions_def": daily_partitions, "backfill_policy": single_run_backfill}
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


raw_assets = [_raw_asset(s, windowed=True) for s in WINDOWED] + [
    _raw_asset(s, windowed=False) for s in SNAPSHOTS
]
