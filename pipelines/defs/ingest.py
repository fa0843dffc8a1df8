"""Raw assets: land each source as Parquet. Thin wiring over `pipelines.sources.*`.

Asset keys are `<source>/<entity>`, the same names as the landing folders and the dbt
sources. GitHub and Jira land a window of UTC days given as run config (`LandingWindow`:
`first_day`, `last_day`; empty = yesterday, what the daily schedule runs), one Parquet file
per day; notes and the directory are snapshots of a folder and a file. What runs them when:
pipelines/defs/automation.py.

Why a window in config rather than Dagster's daily partitions: a partitioned asset records
one materialization (and one planned event) per asset and per day of the range, about 2,000
SQLite events for the demo's 25 weeks and 400,000 for three years of history, which cost more
than the landing itself. A window run records one materialization per asset whose metadata
holds what a user checks: the window, the rows landed and the rows of each day
(`rows_by_day`, read from the day files). The daily run is the one-day window.

Built per workspace by `raw_assets(ws)` when the code location loads (see
pipelines/definitions.py for why): a window reaching before the workspace's `start_date`
starts at `start_date`, and only the sources `silo.yml` configures become assets, so a
notes-only workspace never runs, nor records empty materializations of, GitHub or Jira. The
`_schema.parquet` of every source is still written before dbt runs (`ensure_raw_schemas`), so
staging models of an absent source read zero rows.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import ModuleType

from dagster import (
    AssetExecutionContext,
    AssetSpec,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from pipelines.config import Workspace
from pipelines.defs.resources import WorkspaceResource
from pipelines.landing import Window, ensure_schema_file, rows_by_day
from pipelines.sources import directory, github, jira, notes

# every source, and whether it lands a window of UTC days or a snapshot
SOURCES: dict[str, tuple[ModuleType, bool]] = {
    "github": (github, True),
    "jira": (jira, True),
    "notes": (notes, False),
    "directory": (directory, False),
}


class LandingWindow(Config):
    """The UTC days a run lands, both included (ISO dates); empty: yesterday."""

    first_day: str = ""
    last_day: str = ""


def window_config(first: date, last: date) -> dict:
    """`LandingWindow` run config for the days first..last."""
    return {"first_day": first.isoformat(), "last_day": last.isoformat()}


def landing_run_config(assets: list, first: date, last: date) -> dict:
    """Run config landing first..last with every windowed asset among `assets`."""
    return {"ops": {node.node_def.name: {"config": window_config(first, last)} for node in assets}}


def resolve_window(config: LandingWindow, start_date: date, today: date) -> Window:
    """The window a run lands: the configured days, yesterday by default, never before the
    workspace's `start_date`. A last day before the first is refused, naming both."""
    yesterday = today - timedelta(days=1)
    try:
        first = date.fromisoformat(config.first_day) if config.first_day else yesterday
        last = date.fromisoformat(config.last_day) if config.last_day else max(first, yesterday)
    except ValueError as exc:
        raise Failure(f"landing window: {exc} (expected YYYY-MM-DD)") from exc
    if last < first:
        raise Failure(f"landing window: last_day {last} is before first_day {first}")
    return Window.for_days(max(first, start_date), max(last, start_date))


def ensure_raw_schemas(ws: Workspace) -> None:
    """Write every source's empty `_schema.parquet`, configured or not, for dbt's sources."""
    for name, (module, _) in SOURCES.items():
        for entity, schema in module.ENTITIES.items():
            ensure_schema_file(ws.raw_dir, name, entity, schema)


def _results(
    source: str, entities: dict, counts: dict[str, int], note: str, by_day: dict | None = None
) -> Iterator[MaterializeResult]:
    for entity in entities:
        metadata = {"rows_landed": int(counts.get(entity, 0)), "note": note}
        if by_day is not None:
            metadata["rows_by_day"] = MetadataValue.json(by_day[entity])
        yield MaterializeResult(asset_key=[source, entity], metadata=metadata)


def raw_asset(module: ModuleType, windowed: bool = False):
    """One multi-asset per source: a window of UTC days (run config) or a snapshot."""
    source = module.__name__.rsplit(".", 1)[-1]
    grain = "by UTC day, a window per run" if windowed else "snapshot"
    specs = [
        AssetSpec([source, entity], group_name="raw", description=f"{source} {entity}, {grain}")
        for entity in module.ENTITIES
    ]

    def prepared(workspace: WorkspaceResource) -> Workspace:
        ws = workspace.load()
        for entity, schema in module.ENTITIES.items():
            ensure_schema_file(ws.raw_dir, source, entity, schema)
        if getattr(ws, source) is None:  # silo.yml changed since the code location loaded
            raise Failure(
                f"sources.{source} is no longer in {ws.root / 'silo.yml'}: reload the code "
                "location so its assets follow the configuration"
            )
        return ws

    if windowed:

        @multi_asset(name=f"{source}__raw", specs=specs)
        def _asset(
            context: AssetExecutionContext, workspace: WorkspaceResource, config: LandingWindow
        ):
            ws = prepared(workspace)
            window = resolve_window(config, ws.start_date, datetime.now(UTC).date())
            counts = module.ingest(ws, window, log=context.log)
            by_day = {e: rows_by_day(ws.raw_dir, source, e, window) for e in module.ENTITIES}
            note = f"window {window.days()[0]}..{window.days()[-1]}"
            yield from _results(source, module.ENTITIES, counts, note, by_day)

        _asset.__doc__ = f"Land {source} records updated in the window's UTC days."
    else:

        @multi_asset(name=f"{source}__raw", specs=specs)
        def _asset(context: AssetExecutionContext, workspace: WorkspaceResource):
            ws = prepared(workspace)
            counts = module.ingest(ws, log=context.log)
            yield from _results(source, module.ENTITIES, counts, "snapshot")

        _asset.__doc__ = f"Land the current {source} snapshot."
    return _asset


def raw_assets(ws: Workspace) -> list:
    """The raw assets of the sources `silo.yml` configures."""
    return [
        raw_asset(module, windowed)
        for name, (module, windowed) in SOURCES.items()
        if getattr(ws, name) is not None
    ]


def window_assets(assets: list) -> list:
    """The window-of-days (API) assets among `assets`."""
    names = {f"{name}__raw" for name, (_, by_day) in SOURCES.items() if by_day}
    return [node for node in assets if node.node_def.name in names]
