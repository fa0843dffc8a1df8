"""dbt assets: staging and documents before the NLP step, flows and marts after it.

Two `@dbt_assets` over one manifest, split by the `pre_nlp` tag, because the NLP assets read
`int_documents` and feed the marts: dbt -> NLP -> dbt. Models are grouped by their folder
(staging, intermediate, marts); dbt sources keep their `<source>/<entity>` keys, so they join
the raw and NLP assets that land them. dbt tests surface as asset checks.

A build whose inputs have not changed since the last complete run is skipped
(`pipelines/builds.py`): a re-run that lands nothing new rebuilds nothing. Incremental
models update from what changed; the first build, and the first after the dbt project, dbt,
the directory's landing changed or a landed file went away, runs with `--full-refresh`.

Each workspace keeps its own dbt target (run results, partial-parse state) and logs under
`<workspace>/dbt/`, so two workspaces build at once without sharing a file; the manifest
Dagster reads at import stays where `DbtProject` keeps it.
"""

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines import builds
from pipelines.defs.ingest import ensure_raw_schemas
from pipelines.defs.resources import WorkspaceResource, dbt_project


class SiloDbtTranslator(DagsterDbtTranslator):
    """A model's group is its top folder under models/: staging, intermediate or marts."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_group_name(dbt_resource_props)
        fqn = dbt_resource_props.get("fqn") or []
        return fqn[1] if len(fqn) > 2 else "dbt"


# what both halves share: one project, one manifest, one translator
PROJECT = {
    "manifest": dbt_project.manifest_path,
    "project": dbt_project,
    "dagster_dbt_translator": SiloDbtTranslator(),
}


def build_in(root: Path, full_refresh: bool = False) -> dict[str, Any]:
    """`dbt.cli` arguments building into workspace `root`: its own target and log folders.
    Unit tests are left out: they check the models' logic on fixed rows, not the client's
    data, so they run in `make test` (and CI), as dbt advises, not in every daily run."""
    target, logs = root / "dbt" / "target", root / "dbt" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    args = ["build", "--exclude-resource-type", "unit_test", "--log-path", str(logs)]
    if full_refresh:
        args.append("--full-refresh")
    return {"args": args, "target_path": target}


# the builds of a run, in order, with the landed folders each reads; the last one leaves
# the warehouse complete
BUILDS = {"dbt_before_nlp": ("raw",), "dbt_after_nlp": ("raw", "nlp")}
FINAL = list(BUILDS)[-1]


def build_print(ws, name: str) -> str:
    """The fingerprint of what build `name` reads (`pipelines/builds.py`)."""
    project = dbt_project.project_dir.resolve()
    return builds.fingerprint(ws, project, BUILDS[name], build_in(ws.root)["args"])


def build_current(ws, name: str) -> bool:
    """Whether build `name` would redo the last one: same project, same input files, the
    warehouse as the last complete run left it (the runner skips such a stage too)."""
    return builds.unchanged(ws, name, build_print(ws, name), final=FINAL)


def build_unless_unchanged(context: AssetExecutionContext, dbt: DbtCliResource, ws) -> Iterator:
    """Run `dbt build` for this asset, or nothing when it would redo the last build
    (`build_current`). A subset chosen in the UI always builds and records nothing."""
    name = context.assets_def.node_def.name
    whole = set(context.selected_asset_keys) == set(context.assets_def.keys)
    project = dbt_project.project_dir.resolve()
    prints = builds.prints(ws, project, BUILDS[name], build_in(ws.root)["args"])
    if whole and builds.unchanged(ws, name, prints.build, final=FINAL):
        context.log.info(f"{name}: inputs unchanged since the last build, nothing rebuilt")
        return
    full = builds.full_refresh(ws, name, prints.refresh, prints.files)
    if full:
        context.log.info(
            f"{name}: first build, or the project, directory or landing changed: in full"
        )
    builds.forget(ws, name)
    yield from dbt.cli(**build_in(ws.root, full_refresh=full), context=context).stream()
    if whole:
        builds.record(ws, name, prints.build, prints.refresh, prints.files)


@dbt_assets(select="tag:pre_nlp", name="dbt_before_nlp", **PROJECT)
def dbt_before_nlp(
    context: AssetExecutionContext, dbt: DbtCliResource, workspace: WorkspaceResource
):
    """dbt: staging of every source and the documents the NLP step annotates."""
    ws = workspace.load()
    # DuckDB creates the file but not its folder; sources not configured read zero rows
    ws.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    ensure_raw_schemas(ws)
    yield from build_unless_unchanged(context, dbt, ws)


@dbt_assets(exclude="tag:pre_nlp", name="dbt_after_nlp", **PROJECT)
def dbt_after_nlp(
    context: AssetExecutionContext, dbt: DbtCliResource, workspace: WorkspaceResource
):
    """dbt: annotations staging, information flow, arbitration and silo marts."""
    yield from build_unless_unchanged(context, dbt, workspace.load())
