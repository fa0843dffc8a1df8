"""NLP assets: annotate int_documents (vocabulary, decisions, actors, references)."""

import os

from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, multi_asset

from pipelines.annotation import TABLES, annotate_workspace, known_people, workspace_resolver
from pipelines.defs.resources import WorkspaceResource


@multi_asset(
    name="nlp__annotations",
    specs=[
        AssetSpec(
            ["nlp", table],
            group_name="nlp",
            description=f"NLP {table} of every document (spaCy, cached by text)",
            deps=[
                AssetKey("int_documents"),
                AssetKey("stg_notes__meetings"),
                AssetKey(["directory", "aliases"]),
                AssetKey(["directory", "roles"]),
            ],
        )
        for table in TABLES
    ],
)
def nlp_annotations(context: AssetExecutionContext, workspace: WorkspaceResource):
    """Tag business/tech vocabulary, decisions and their actors, references."""
    ws = workspace.load()
    stats: dict[str, int] = {}
    counts = annotate_workspace(
        ws,
        workspace_resolver(ws),
        known_people=known_people(ws),
        # both cores for the full parser when enough uncached lines need it (nlp decides)
        n_process=min(2, os.cpu_count() or 1),
        log=context.log,
        stats=stats,
    )
    for table in TABLES:
        yield MaterializeResult(
            asset_key=["nlp", table],
            metadata={"rows": counts[table], "documents_annotated": stats["annotated"]},
        )
