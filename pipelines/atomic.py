"""Replace a file atomically: write beside it, rename over it; no Dagster import.

Every file the pipeline publishes (landing partitions, the warehouse snapshot, reports, state)
goes through `replacing`, so a reader sees the old file or the new one, never half of one, and
a crash leaves no stray temporary file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def replacing(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path in `target`'s folder; rename it over `target` when the block
    succeeds, remove it when the block fails."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> None:
    with replacing(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(target: Path, data: Any) -> None:
    with replacing(target) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
