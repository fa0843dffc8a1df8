"""The NLP stage: annotate the warehouse's documents and resolve people; no Dagster import.

`documents.py` runs `nlp.annotate_documents` over `int_documents` and writes the `nlp/*`
tables dbt reads; `people.py` builds the directory-backed resolver and name gazetteer.
"""

from pipelines.annotation.documents import TABLES, Resolve, annotate_workspace
from pipelines.annotation.people import known_people, workspace_resolver

__all__ = ["TABLES", "Resolve", "annotate_workspace", "known_people", "workspace_resolver"]
