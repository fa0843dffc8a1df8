"""Landing: atomic partition files, day buckets clamped to the window, re-runs replace."""

from datetime import UTC, date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.landing import (
    Quarantine,
    Window,
    ensure_schema_file,
    partition_path,
    write_partition,
    write_window,
)

SCHEMA = pa.schema([("id", pa.string()), ("updated_at", pa.timestamp("us", tz="UTC"))])


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def test_window_days_and_overlap():
    window = Window.for_days(date(2026, 3, 1), date(2026, 3, 3))
    assert window.days() == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]
    assert window.with_overlap(60).start == datetime(2026, 2, 28, 23, tzinfo=UTC)
    with pytest.raises(ValueError):
        Window(at(2), at(1))


def test_write_window_buckets_by_day_and_clamps_the_overlap(tmp_path):
    window = Window.for_days(date(2026, 3, 1), date(2026, 3, 2))
    rows = [
        {"id": "early", "updated_at": datetime(2026, 2, 28, 23, 30, tzinfo=UTC)},  # overlap
        {"id": "a", "updated_at": at(1)},
        {"id": "b", "updated_at": at(2)},
    ]
    counts = write_window(tmp_path, "src", "things", window, rows, SCHEMA, "updated_at")
    assert counts == {"2026-03-01": 2, "2026-03-02": 1}
    assert not partition_path(tmp_path, "src", "things", "2026-02-28").exists()


def test_rerun_replaces_and_empty_days_are_written(tmp_path):
    window = Window.for_days(date(2026, 3, 1), date(2026, 3, 2))
    write_window(
        tmp_path, "src", "things", window, [{"id": "a", "updated_at": at(2)}], SCHEMA, "updated_at"
    )
    write_window(tmp_path, "src", "things", window, [], SCHEMA, "updated_at")
    table = pq.read_table(partition_path(tmp_path, "src", "things", "2026-03-02"))
    assert table.num_rows == 0
    assert table.schema == SCHEMA


def test_undeclared_columns_are_an_error_not_silently_dropped(tmp_path):
    with pytest.raises(ValueError, match="undeclared column"):
        write_partition(tmp_path, "src", "things", "p", [{"id": "a", "extra": 1}], SCHEMA)


def test_failed_write_leaves_the_previous_file(tmp_path):
    write_partition(tmp_path, "src", "things", "p", [{"id": "good", "updated_at": at(1)}], SCHEMA)
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        write_partition(tmp_path, "src", "things", "p", [{"id": 3, "updated_at": "x"}], SCHEMA)
    table = pq.read_table(partition_path(tmp_path, "src", "things", "p"))
    assert table.column("id").to_pylist() == ["good"]
    assert [p.name for p in (tmp_path / "src" / "things").iterdir()] == ["p.parquet"]


def test_quarantine_keeps_the_record_and_reason(tmp_path):
    q = Quarantine("src")
    q.add("file.json", "missing 'id'", record_id=None, line=3, payload={"title": "x"})
    assert q.write(tmp_path, "2026-03-01") == 1
    row = pq.read_table(partition_path(tmp_path, "src", "quarantine", "2026-03-01")).to_pylist()[0]
    assert row["reason"] == "missing 'id'" and row["line"] == 3 and '"title"' in row["payload"]


def test_schema_file_is_empty_and_typed(tmp_path):
    path = ensure_schema_file(tmp_path, "src", "things", SCHEMA)
    assert pq.read_table(path).num_rows == 0
    assert pq.read_schema(path) == SCHEMA


def test_a_rerun_finding_the_same_rows_leaves_the_file_as_it_was(tmp_path):
    schema = pa.schema([("id", pa.string()), ("ingested_at", pa.timestamp("us", tz="UTC"))])
    write_partition(
        tmp_path, "src", "things", "2026-03-01", [{"id": "a", "ingested_at": at(1)}], schema
    )
    path = partition_path(tmp_path, "src", "things", "2026-03-01")
    before = path.stat().st_mtime_ns
    # the same record landed again later: only its landing time differs
    write_partition(
        tmp_path, "src", "things", "2026-03-01", [{"id": "a", "ingested_at": at(2)}], schema
    )
    assert path.stat().st_mtime_ns == before
    assert pq.read_table(path).column("ingested_at").to_pylist() == [at(1)]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left
    # a changed record replaces it
    write_partition(
        tmp_path, "src", "things", "2026-03-01", [{"id": "b", "ingested_at": at(2)}], schema
    )
    assert pq.read_table(path).column("id").to_pylist() == ["b"]
    # so is one with one more record (the files' row counts differ)
    rows = [{"id": "b", "ingested_at": at(3)}, {"id": "c", "ingested_at": at(3)}]
    write_partition(tmp_path, "src", "things", "2026-03-01", rows, schema)
    assert pq.read_table(path).column("id").to_pylist() == ["b", "c"]
