"""Raw landing: one Parquet file per source, entity and partition, written atomically.

Layout: `<workspace>/raw/<source>/<entity>/<partition>.parquet`. A partition is written to a
temporary file in the same folder and renamed over the old one, so a crash leaves the
previous good file and a re-run replaces it: never a duplicate, never a half file.

Bad records never stop a run: they go to `<workspace>/raw/<source>/quarantine/<partition>.parquet`
with the file (or URL), the record id, the line when known and the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.atomic import replacing

QUARANTINE_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("stage", pa.string()),  # landing (a source's files or API) or nlp (annotation)
        ("location", pa.string()),  # file path or URL the record came from
        ("record_id", pa.string()),  # natural id when known
        ("line", pa.int64()),
        ("reason", pa.string()),
        ("payload", pa.string()),  # the raw record (truncated), so nothing is lost
        ("quarantined_at", pa.timestamp("us", tz="UTC")),
    ]
)


@dataclass(frozen=True)
class Window:
    """A half-open UTC time window [start, end) that a run ingests."""

    start: datetime
    end: datetime

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Window bounds must be timezone-aware (UTC)")
        if self.end <= self.start:
            raise ValueError(f"empty window: {self.start} .. {self.end}")

    @classmethod
    def for_days(cls, first: date, last: date) -> Window:
        """The window covering whole UTC days first..last inclusive."""
        start = datetime(first.year, first.month, first.day, tzinfo=UTC)
        end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
        return cls(start, end)

    def with_overlap(self, minutes: int) -> Window:
        """The same window reaching `minutes` earlier, to catch records updated at the edge."""
        return Window(self.start - timedelta(minutes=minutes), self.end)

    def parts(self, days: int) -> list[Window]:
        """The window cut, in order, into consecutive windows of at most `days` days."""
        out, start = [], self.start
        while start < self.end:
            end = min(start + timedelta(days=days), self.end)
            out.append(Window(start, end))
            start = end
        return out

    def days(self) -> list[date]:
        """The UTC days the window touches, oldest first."""
        day, out = self.start.date(), []
        while datetime(day.year, day.month, day.day, tzinfo=UTC) < self.end:
            out.append(day)
            day += timedelta(days=1)
        return out


def partition_path(raw_dir: Path, source: str, entity: str, partition: str) -> Path:
    return Path(raw_dir) / source / entity / f"{partition}.parquet"


def write_partition(
    raw_dir: Path,
    source: str,
    entity: str,
    partition: str,
    records: Iterable[Mapping[str, Any]],
    schema: pa.Schema,
) -> int:
    """Write `records` as the partition file, replacing any previous one atomically.

    Columns follow `schema` exactly: missing keys become nulls, extra keys are an error (a
    parser that emits an undeclared column is a bug to fix, not data to drop silently).
    Returns the number of rows written. An empty partition is written too, so a re-run that
    finds nothing replaces stale rows.
    """
    with partition_writer(raw_dir, source, entity, partition, schema) as write:
        return write(records)


@contextmanager
def partition_writer(
    raw_dir: Path, source: str, entity: str, partition: str, schema: pa.Schema
) -> Iterator[Callable[[Iterable[Mapping[str, Any]]], int]]:
    """`write_partition` in batches, for bounded memory: yields `write(records) -> rows`,
    callable any number of times; the file replaces the previous one atomically when the
    block succeeds (an empty file when nothing was written) and is left as it was when the
    block fails."""
    names = set(schema.names)

    def write(records: Iterable[Mapping[str, Any]] | pa.RecordBatch) -> int:
        if isinstance(records, pa.RecordBatch):  # columns as the schema says (a copy of rows)
            writer.write_batch(records.cast(schema) if records.schema != schema else records)
            return records.num_rows
        rows = list(records)
        for row in rows:
            extra = set(row) - names
            if extra:
                raise ValueError(f"{source}/{entity}: undeclared column(s) {sorted(extra)}")
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        return len(rows)

    target = partition_path(raw_dir, source, entity, partition)
    with replacing(target) as tmp:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            yield write
        if same_rows(target, tmp):
            tmp.unlink()  # the file stays as it was: its readers see nothing changed


# When a run wrote a row, not what the record says: a re-landed partition whose rows differ
# only there is left as it was, so its modification time says when its content last changed
# (what a nothing-changed re-run checks before rebuilding anything, `pipelines/builds.py`).
LANDING_TIME_COLUMNS = ("ingested_at", "quarantined_at")


def same_rows(old: Path, new: Path) -> bool:
    """Whether two partition files hold the same rows in the same order, landing times aside."""
    if not old.exists():
        return False
    try:
        # a count that differs says it from the files' footers, without reading their rows
        # (the annotations' 850,000 rows at the bench's large size: 0.1 s a file)
        if pq.read_metadata(old).num_rows != pq.read_metadata(new).num_rows:
            return False
        before, after = pq.read_table(old), pq.read_table(new)
    except (OSError, pa.ArrowException):  # an unreadable old file is replaced
        return False

    def content(table: pa.Table) -> pa.Table:
        return table.drop_columns([c for c in LANDING_TIME_COLUMNS if c in table.column_names])

    return content(before).equals(content(after))


@dataclass
class Quarantine:
    """Collects bad records during one partition run; `write` lands them with the partition."""

    source: str
    stage: str = "landing"
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        location: str,
        reason: str,
        record_id: str | None = None,
        line: int | None = None,
        payload: Any = None,
    ) -> None:
        text = payload if isinstance(payload, str) or payload is None else _dump(payload)
        self.rows.append(
            {
                "source": self.source,
                "stage": self.stage,
                "location": location,
                "record_id": record_id,
                "line": line,
                "reason": reason,
                "payload": text[:20000] if text else None,
                "quarantined_at": datetime.now(UTC),
            }
        )

    def write(self, raw_dir: Path, partition: str) -> int:
        return write_partition(
            raw_dir, self.source, "quarantine", partition, self.rows, QUARANTINE_SCHEMA
        )


def _dump(payload: Any) -> str:
    try:
        return json.dumps(payload, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(payload)


def write_window(
    raw_dir: Path,
    source: str,
    entity: str,
    window: Window,
    records: Iterable[Mapping[str, Any]],
    schema: pa.Schema,
    time_column: str,
    *,
    day_of: Callable[[Mapping[str, Any]], datetime] | None = None,
) -> dict[str, int]:
    """Write the records fetched for `window` as one partition file per UTC day.

    Each record goes to the day of its `time_column` (its latest update), clamped into the
    window: a record from the overlap before the window lands on the first day, so no file
    outside the window is touched. Every day of the window is (re)written, empty or not, so a
    re-run of a window replaces exactly that window. Returns rows written per day (ISO date).
    `day_of(row)`, when given, is the moment to bucket by instead of `row[time_column]` (for
    child records that follow their parent's day, such as Jira comments and changelog).
    """
    days = window.days()
    buckets: dict[date, list[Mapping[str, Any]]] = {day: [] for day in days}
    for row in records:
        moment = day_of(row) if day_of is not None else row.get(time_column)
        if not isinstance(moment, datetime):
            raise ValueError(f"{source}/{entity}: {time_column!r} must be a datetime: {row!r:.200}")
        day = min(max(moment.astimezone(UTC).date(), days[0]), days[-1])
        buckets[day].append(row)
    return {
        day.isoformat(): write_partition(raw_dir, source, entity, day.isoformat(), rows, schema)
        for day, rows in buckets.items()
    }


def rows_by_day(raw_dir: Path, source: str, entity: str, window: Window) -> dict[str, int]:
    """Rows of each day file of `window` (from the Parquet footers; 0 for a missing file)."""
    out = {}
    for day in window.days():
        path = partition_path(raw_dir, source, entity, day.isoformat())
        out[day.isoformat()] = pq.read_metadata(path).num_rows if path.exists() else 0
    return out


SCHEMA_PARTITION = "_schema"


def ensure_schema_file(raw_dir: Path, source: str, entity: str, schema: pa.Schema) -> Path:
    """Keep an empty `_schema.parquet` beside an entity's partitions.

    dbt reads `<entity>/*.parquet`: this file gives the columns their declared types even
    before the first record lands (or when a source is not configured at all), so models
    build on an empty source instead of failing on a missing glob.
    """
    path = partition_path(raw_dir, source, entity, SCHEMA_PARTITION)
    if not path.exists() or pq.read_schema(path) != schema:
        write_partition(raw_dir, source, entity, SCHEMA_PARTITION, [], schema)
    return path
