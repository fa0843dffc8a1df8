"""dbt assets: staging and documents before the NLP step, flows and marts after it.

Two `@dbt_assets` over one manifest, split by the `pre_nlp` tag, because the NLP assets read
`int_documents` and feed the marts: dbt -> NLP -> dbt. dbt tests surface as asset checks.
"""

from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.dbt import MANIFEST
from pipelines.resources import WorkspaceResource


class SiloDbtTranslator(DagsterDbtTranslator):
    """Groups dbt models under `dbt`; sources keep their `<source>/<entity>` keys."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "dbt"


translator = SiloDbtTranslator()


@dbt_assets(
    manifest=MANIFEST,
    select="tag:pre_nlp",
    name="dbt_before_nlp",
    dagster_dbt_translator=translator,
)
def dbt_before_nlp(
    context: AssetExecutionContext, dbt: DbtCliResource, workspace: WorkspaceResource
):
    """Staging of every source and the documents the NLP step annotates."""
    # DuckDB creates the file but not its folder
    workspace.load().warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    yield from dbt.cli(["build"], context=context).stream()


@dbt_assets(
    manifest=MANIFEST,
    exclude="tag:pre_nlp",
    name="dbt_after_nlp",
    dagster_dbt_translator=translator,
)
def dbt_after_nlp(context: AssetExecutionContext, dbt: DbtCliResource):
    """Annotations staging, information flow, arbitration and silo marts."""
    yield from dbt.cli(["build"], context=context).stream()
