"""A publish killed mid-way (SIGKILL: no `finally` runs) leaves nothing behind that the next
start does not remove, and a pseudonymised publish never writes a clear copy anywhere."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from pipelines.atomic import replacing
from pipelines.publish.privacy import Pseudonymiser
from pipelines.publish.snapshot import publish_snapshot
from pipelines.sources.directory import load_directory

SALT = "crash-test-salt-0c2f8e1d"
ORG = """
people:
  - {id: marie.dubois, name: Marie Dubois, team: Sales, side: business, level: comex}
owners: {}
"""

# Runs a publish in a child process that dies with os._exit (no cleanup, like SIGKILL) at
# the step named by argv[4]: "copy" (after copying the warehouse) or "pseudonymise" (while
# rewriting the first text value).
CHILD = textwrap.dedent(
    """
    import os, shutil, sys
    from pathlib import Path
    from pipelines.publish import snapshot as module
    from pipelines.publish.privacy import Pseudonymiser
    from pipelines.sources.directory import load_directory

    warehouse, target, org, step = sys.argv[1:5]
    pseudo = None
    if step == "pseudonymise":
        pseudo = Pseudonymiser(load_directory(Path(org)), "SALT")
        pseudo.text = lambda value: os._exit(9)
    else:
        real = shutil.copyfile
        def copy_then_die(src, dst):
            real(src, dst)
            os._exit(9)
        module.shutil.copyfile = copy_then_die
    module.publish_snapshot(Path(warehouse), Path(target), pseudo)
    """
).replace("SALT", SALT)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "org.yml").write_text(ORG, encoding="utf-8")
    wh = tmp_path / "warehouse"
    wh.mkdir()
    with duckdb.connect(str(wh / "silo.duckdb")) as con:
        con.execute(
            "create table fct_decisions as select 'd1' as decision_id, "
            "'Marie Dubois tranche : le SSO passe en tête.' as decision_text"
        )
    return wh


def _die_while_publishing(folder: Path, step: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder / "silo.duckdb"),
         str(folder / "silo_snapshot.duckdb"), str(folder.parent / "org.yml"), step],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 9, done.stderr


def test_a_killed_publish_leaves_no_stray_copy_after_the_next_start(folder):
    _die_while_publishing(folder, "copy")
    publish_snapshot(folder / "silo.duckdb", folder / "silo_snapshot.duckdb")
    assert sorted(p.name for p in folder.iterdir()) == ["silo.duckdb", "silo_snapshot.duckdb"]


def test_a_killed_pseudonymised_publish_leaves_no_clear_copy(folder):
    _die_while_publishing(folder, "pseudonymise")
    for path in folder.iterdir():
        if path.name != "silo.duckdb":  # the working warehouse is clear by design
            assert b"Dubois" not in path.read_bytes(), path.name
    pseudo = Pseudonymiser(load_directory(folder.parent / "org.yml"), SALT)
    publish_snapshot(folder / "silo.duckdb", folder / "silo_snapshot.duckdb", pseudo)
    assert sorted(p.name for p in folder.iterdir()) == ["silo.duckdb", "silo_snapshot.duckdb"]
    assert b"Dubois" not in (folder / "silo_snapshot.duckdb").read_bytes()


def test_a_live_writer_keeps_its_temporary_file(tmp_path):
    """Stale temporaries are those of dead processes: another replacing() in this live
    process is left alone."""
    target = tmp_path / "report.html"
    with replacing(target) as outer:
        outer.write_text("outer", encoding="utf-8")
        with replacing(target) as inner:
            inner.write_text("inner", encoding="utf-8")
        assert outer.exists()
    assert target.read_text(encoding="utf-8") == "outer"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_sibling_files_live_temporary_is_not_taken_for_a_stale_one(tmp_path):
    """GIVEN a live write of `a.b.json` WHEN `a.json` is replaced beside it THEN the sibling's
    temporary (`.a.b.<pid>-...`, which starts like `a.json`'s) survives and its write lands."""
    with replacing(tmp_path / "a.b.json") as sibling:
        sibling.write_text("{}", encoding="utf-8")
        with replacing(tmp_path / "a.json") as tmp:
            tmp.write_text("{}", encoding="utf-8")
        assert sibling.exists()
    assert (tmp_path / "a.b.json").read_text(encoding="utf-8") == "{}"
