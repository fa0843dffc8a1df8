"""Published files follow the umask (a consultant's account or a web server can read what ops
published); private state under `state/` stays 0600; the temporary is never readable."""

from __future__ import annotations

import os
import stat

import pytest

from pipelines.atomic import replacing, write_text
from pipelines.landing import write_partition


@pytest.fixture
def umask():
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_published_files_follow_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    write_text(tmp_path / "reports" / "report.html", "<p>ok</p>")
    write_partition(tmp_path / "raw", "notes", "meetings", "current", [], _schema())
    assert _mode(tmp_path / "reports" / "report.html") == expected
    assert _mode(tmp_path / "raw" / "notes" / "meetings" / "current.parquet") == expected


def test_private_state_stays_private_and_the_temporary_is_never_readable(tmp_path, umask):
    umask(0o022)
    write_text(tmp_path / "state" / "alerts.json", "{}")
    write_text(tmp_path / "state" / "nlp-cache" / "ab" / "key.json", "{}")
    assert _mode(tmp_path / "state" / "alerts.json") == 0o600
    assert _mode(tmp_path / "state" / "nlp-cache" / "ab" / "key.json") == 0o600
    with replacing(tmp_path / "snapshot.duckdb") as tmp:
        assert _mode(tmp) == 0o600


def _schema():
    import pyarrow as pa

    return pa.schema([("meeting_id", pa.string())])
