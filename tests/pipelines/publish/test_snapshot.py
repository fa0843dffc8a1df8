"""When publishing copies the warehouse again (pipelines/publish/snapshot.py): only when the
warehouse or the snapshot changed since the recorded copy, and always when pseudonymising."""

from __future__ import annotations

import os

import duckdb
import pytest

from pipelines.publish.snapshot import publish_snapshot


@pytest.fixture
def paths(tmp_path):
    warehouse = tmp_path / "silo.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table fct_decisions as select 'd1' as decision_id")
    return warehouse, tmp_path / "silo_snapshot.duckdb", tmp_path / "state" / "snapshot.json"


def rows(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select decision_id from fct_decisions order by 1").fetchall()


def test_an_unchanged_warehouse_is_not_copied_twice(paths):
    warehouse, snapshot, record = paths
    assert publish_snapshot(warehouse, snapshot, record=record) is True
    copied = snapshot.stat().st_mtime_ns
    assert publish_snapshot(warehouse, snapshot, record=record) is False
    assert snapshot.stat().st_mtime_ns == copied and rows(snapshot) == [("d1",)]


def test_a_rebuilt_warehouse_is_copied_again(paths):
    warehouse, snapshot, record = paths
    publish_snapshot(warehouse, snapshot, record=record)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into fct_decisions values ('d2')")
    assert publish_snapshot(warehouse, snapshot, record=record) is True
    assert rows(snapshot) == [("d1",), ("d2",)]


def test_a_snapshot_deleted_or_touched_since_is_copied_again(paths):
    warehouse, snapshot, record = paths
    publish_snapshot(warehouse, snapshot, record=record)
    snapshot.unlink()
    assert publish_snapshot(warehouse, snapshot, record=record) is True
    stat = snapshot.stat()
    os.utime(snapshot, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert publish_snapshot(warehouse, snapshot, record=record) is True


def test_without_a_record_or_when_pseudonymising_it_always_copies(paths, monkeypatch):
    warehouse, snapshot, record = paths
    assert publish_snapshot(warehouse, snapshot) is True
    assert publish_snapshot(warehouse, snapshot) is True
    publish_snapshot(warehouse, snapshot, record=record)
    copies = []
    monkeypatch.setattr(
        "pipelines.publish.snapshot.pseudonymise_copy", lambda src, dst, p: copies.append(dst)
    )
    # the salt is never recorded: a pseudonymised snapshot cannot be known to be current
    assert publish_snapshot(warehouse, snapshot, object(), record=record) is True
    assert len(copies) == 1 and not record.exists()
