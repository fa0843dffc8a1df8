"""The role lexicon: canonical role ids and how minutes mention them (`roles.yml`).

Read by the directory's validation (an owner names a known role), by the resolver (a role
mention resolves through the role's holder on that date) and by the notes parser (a role
word in an attendance list is not a person).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from pipelines.sources.notes.text import normalise

ROLES_FILE = Path(__file__).with_name("roles.yml")


@lru_cache(maxsize=4)
def role_lexicon(path: str | None = None) -> dict[str, tuple[str, ...]]:
    """Canonical role id -> normalised mentions (French and English), from roles.yml."""
    data = yaml.safe_load(Path(path or ROLES_FILE).read_text(encoding="utf-8"))
    return {
        role: tuple(sorted({normalise(m) for lang in langs.values() for m in lang}))
        for role, langs in data.items()
    }
