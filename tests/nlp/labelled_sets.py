"""What the validators of the labelled NLP sets share: the record schema, the enums, a JSONL
reader that fails naming the file and line, and the sentence form used to compare sets.

tests/nlp/test_labelled_sets.py reviews every set under data/labels/synthetic/; what is
specific to one set (id prefix, class-balance bounds, term rules from its README) is its
`SetSpec` there.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

SCHEMA: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "lang": str,
    "source": str,
    "text": str,
    "is_decision": bool,
    "status": (str, type(None)),
    "domain": (str, type(None)),
    "actors": list,
    "business_terms": list,
    "tech_terms": list,
}
SOURCES = frozenset({"minutes", "ticket", "pr", "comment"})
STATUSES = frozenset({"taken", "postponed", "rejected"})
DOMAINS = frozenset({"roadmap", "technical", "budget", "customer", "organisation"})


def read_jsonl(path: Path) -> tuple[dict, ...]:
    """One JSON object per line, no blank line; fails naming the file, line and reason."""
    if not path.is_file():
        pytest.fail(f"{path}: missing")
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            pytest.fail(f"{path}:{number}: blank line (one JSON object per line)")
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            pytest.fail(f"{path}:{number}: not valid JSON ({error})")
        if not isinstance(record, dict):
            pytest.fail(f"{path}:{number}: a JSON {type(record).__name__}, expected an object")
        records.append(record)
    return tuple(records)


def canonical(text: str) -> str:
    """The sentence compared across sets: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())
