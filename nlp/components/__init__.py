"""spaCy components of Silo Signals, registered as factories on import.

One module per factory (`silo_references` lives in `silo_references.py`: `nlp/references.py`
is the pure regex finder it wraps).

| factory            | sets                                                           |
|--------------------|----------------------------------------------------------------|
| `silo_vocabulary`  | `doc.spans["BUSINESS_TERM"]`, `["TECH_TERM"]`, `doc._.term_stats` |
| `silo_roles`       | `doc.spans["ROLE_MENTION"]` (span `id_` = canonical role id)   |
| `silo_references`  | `doc.spans["REFERENCE"]`, `doc._.references`                   |
| `silo_decisions`   | `doc.spans["DECISION"]`, `["DECISION_ACTOR"]`, `doc._.decisions` |

Per-document inputs (default repository, Jira base URLs) travel in `doc._.silo_context`.
"""

from spacy.tokens import Doc

for _name in ("silo_context", "term_stats", "references", "decisions"):
    Doc.set_extension(_name, default=None, force=True)

from nlp.components import (  # noqa: E402,F401
    decisions,
    roles,
    silo_references,
    vocabulary,
)
