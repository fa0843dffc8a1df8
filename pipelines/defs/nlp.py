"""NLP assets: annotate int_documents (vocabulary, decisions, actors, references) and find
the implicit links between field items and leadership minutes."""

import os

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    asset,
    multi_asset,
)

from pipelines.annotation import TABLES, annotate_workspace, known_people, workspace_resolver
from pipelines.annotation.links import link_workspace
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


@asset(
    key=["nlp", "implicit_links"],
    group_name="nlp",
    description="Field items discussed in later management/COMEX minutes without being cited "
    "(nlp/links.py: score and evidence; silo.yml `links:`)",
    deps=[
        AssetKey("int_items"),
        AssetKey("int_documents"),
        AssetKey("stg_directory__people"),
        AssetKey("stg_directory__aliases"),
    ],
)
def nlp_implicit_links(context: AssetExecutionContext, workspace: WorkspaceResource):
    """Score every (item, leadership minutes passage) pair in the window; keep the matches."""
    rows = link_workspace(workspace.load(), log=context.log)
    return MaterializeResult(metadata={"rows": rows})
