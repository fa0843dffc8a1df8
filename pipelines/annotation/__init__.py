"""The NLP stage: annotate the warehouse's documents and resolve people; no Dagster import.

`documents.py` runs `nlp.annotate_documents` over `int_documents` and writes the `nlp/*`
tables dbt reads; `people.py` builds the directory-backed resolver and name gazetteer;
`links.py` lands the implicit links. `pipelines/reruns.py` skips either step while its
inputs and outputs are those of its last run.
"""

from pipelines.annotation import documents, links
from pipelines.annotation.documents import TABLES, Resolve, annotate_workspace
from pipelines.annotation.people import known_people, workspace_directory, workspace_resolver

__all__ = [
    "TABLES",
    "Resolve",
    "annotate_workspace",
    "documents",
    "known_people",
    "links",
    "workspace_directory",
    "workspace_resolver",
]
