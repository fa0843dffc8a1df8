"""NLP assets: annotate int_documents (vocabulary, decisions, actors, references) and find
the implicit links between field items and leadership minutes.

Each step is skipped when what it reads is what its last run read and its files are as it
left them (`pipelines/reruns.py`, each step's `STEP`): a re-run that landed nothing new reads no
document."""

import os

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    asset,
    multi_asset,
)

from pipelines.annotation import (
    TABLES,
    annotate_workspace,
    documents,
    known_people,
    links,
    workspace_resolver,
)
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
    stats = {"annotated": 0, "kept": 0}

    def annotate() -> dict[str, int]:
        return annotate_workspace(
            ws,
            workspace_resolver(ws),
            known_people=known_people(ws),
            # both cores when many documents need annotating (nlp.annotate.Annotator decides)
            n_process=min(2, os.cpu_count() or 1),
            log=context.log,
            stats=stats,
        )

    counts, skipped = documents.STEP.run(ws, annotate)
    if skipped:
        context.log.info("nlp: documents, directory and code unchanged since the last run")
    for table in TABLES:
        yield MaterializeResult(
            asset_key=["nlp", table],
            metadata={
                "rows": counts[table],
                "documents_annotated": stats["annotated"],
                "documents_kept": stats["kept"],  # unchanged since the last run: rows carried over
                "skipped_unchanged": skipped,
            },
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
    ws = workspace.load()
    counts, skipped = links.STEP.run(
        ws, lambda: {"rows": links.link_workspace(ws, log=context.log)}
    )
    if skipped:
        context.log.info("implicit links: items, minutes, directory unchanged since the last run")
    return MaterializeResult(metadata={"rows": counts["rows"], "skipped_unchanged": skipped})
