"""NLP assets: annotate int_documents (vocabulary, decisions, actors, references) and find
the implicit links between field items and leadership minutes, side by side: one node, the
links in a child process while the annotation runs here (about the time of the longer of
the two, not their sum; `pipelines/annotation/links.py`).

Each step is skipped when what it reads is what its last run read and its files are as it
left them (`pipelines/reruns.py`, each step's `STEP`): a re-run that landed nothing new reads no
document."""

import os

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    multi_asset,
)

from pipelines.annotation import (
    TABLES,
    annotate_workspace,
    documents,
    known_people,
    links,
    workspace_directory,
    workspace_resolver,
)
from pipelines.defs.resources import WorkspaceResource

ANNOTATION_KEYS = [AssetKey(["nlp", table]) for table in TABLES]
LINKS_KEY = AssetKey(["nlp", "implicit_links"])


@multi_asset(
    name="nlp__annotations_and_links",
    specs=[
        *(
            AssetSpec(
                key,
                group_name="nlp",
                description=f"NLP {key.path[-1]} of every document (spaCy, cached by text)",
                deps=[
                    AssetKey("int_documents"),
                    AssetKey("stg_notes__meetings"),
                    AssetKey(["directory", "aliases"]),
                    AssetKey(["directory", "roles"]),
                ],
            )
            for key in ANNOTATION_KEYS
        ),
        AssetSpec(
            LINKS_KEY,
            group_name="nlp",
            description="Field items discussed in later management/COMEX minutes without being "
            "cited (nlp/links.py: score and evidence; silo.yml `links:`)",
            deps=[
                AssetKey("int_items"),
                AssetKey("int_documents"),
                AssetKey("stg_directory__people"),
                AssetKey("stg_directory__aliases"),
            ],
        ),
    ],
    can_subset=True,
)
def nlp_annotations_and_links(context: AssetExecutionContext, workspace: WorkspaceResource):
    """Tag business/tech vocabulary, decisions and their actors, references; and score every
    (item, leadership minutes passage) pair in the window, keeping the matches. The links run
    in a child process while this one annotates (`links.start_step`)."""
    ws = workspace.load()
    selected = context.selected_asset_keys
    finish_links = links.start_step(ws, context.log) if LINKS_KEY in selected else None
    if selected & set(ANNOTATION_KEYS):
        stats = {"annotated": 0, "kept": 0}

        def annotate() -> dict[str, int]:
            directory = workspace_directory(ws)  # read once for both
            return annotate_workspace(
                ws,
                workspace_resolver(ws, directory),
                known_people=known_people(ws, directory),
                # both cores when many documents need annotating (nlp.annotate.Annotator)
                n_process=min(2, os.cpu_count() or 1),
                log=context.log,
                stats=stats,
            )

        counts, skipped = documents.STEP.run(ws, annotate)
        if skipped:
            context.log.info("nlp: documents, directory and code unchanged since the last run")
        for key in ANNOTATION_KEYS:
            if key in selected:
                yield MaterializeResult(
                    asset_key=key,
                    metadata={
                        "rows": counts[key.path[-1]],
                        "documents_annotated": stats["annotated"],
                        "documents_kept": stats["kept"],  # unchanged: rows carried over
                        "skipped_unchanged": skipped,
                    },
                )
    if finish_links is not None:
        counts, skipped = finish_links()
        if skipped:
            context.log.info(
                "implicit links: items, minutes, directory unchanged since the last run"
            )
        yield MaterializeResult(
            asset_key=LINKS_KEY, metadata={"rows": counts["rows"], "skipped_unchanged": skipped}
        )
