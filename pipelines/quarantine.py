"""Read back what a run quarantined, for the one line per item `silo run` ends with.

The landing writes `<workspace>/raw/<source>/quarantine/<partition>.parquet` and the NLP step
`<workspace>/nlp/quarantine/current.parquet` (`landing.Quarantine`); rows whose reason starts
with `notice:` record work done differently (a long text annotated in chunks), not a loss.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

NOTICE = "notice:"


def quarantine_files(root: Path) -> list[Path]:
    root = Path(root)
    files = sorted((root / "raw").glob("*/quarantine/*.parquet"))
    files += sorted((root / "nlp" / "quarantine").glob("*.parquet"))
    return [f for f in files if not f.name.startswith(("_", "."))]


def read_quarantine(root: Path) -> list[dict]:
    """Every quarantined row of the workspace, in file order."""
    rows: list[dict] = []
    for path in quarantine_files(root):
        try:
            rows.extend(pq.read_table(path).to_pylist())
        except (OSError, ValueError) as exc:  # a damaged file is itself worth a line
            rows.append({"source": path.parent.parent.name, "location": str(path),
                         "reason": f"quarantine file unreadable: {exc}"})  # fmt: skip
    return rows


def is_notice(row: dict) -> bool:
    return str(row.get("reason") or "").startswith(NOTICE)


def format_line(row: dict) -> str:
    """`quarantined <source>/<stage>: <location> [<record>] line <n>: <reason>`."""
    kind = "notice" if is_notice(row) else "quarantined"
    where = str(row.get("location") or "?")
    record = row.get("record_id")
    if record and record != where:
        where += f" [{record}]"
    if row.get("line"):
        where += f" line {row['line']}"
    reason = str(row.get("reason") or "")
    reason = reason[len(NOTICE) :].strip() if is_notice(row) else reason
    stage = row.get("stage") or "landing"
    return f"{kind} {row.get('source') or '?'}/{stage}: {where}: {' '.join(reason.split())}"
