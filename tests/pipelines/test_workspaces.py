"""Workspaces are the user's: the demo only writes into an empty folder or a demo, `make ui`
and `make clean` refuse a client's folder and say why, `silo init` scaffolds a new client."""

import os
import subprocess
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.config import load_workspace
from pipelines.demo.generator import generate
from pipelines.preflight import preflight
from pipelines.workspaces import WorkspaceRefused, init_workspace, refuse_unless_demo_or_empty

ROOT = Path(__file__).resolve().parents[2]
CLIENT_YML = "workspace: acme\nstart_date: 2026-01-05\nsources:\n  notes: {folder: notes}\n"


@pytest.fixture
def client(tmp_path):
    """A client's workspace: its silo.yml and one real minutes file."""
    root = tmp_path / "acme"
    (root / "notes").mkdir(parents=True)
    (root / "silo.yml").write_text(CLIENT_YML)
    (root / "notes" / "2026-03-02-comex.md").write_text("# COMEX\nreal minutes\n")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_generator_refuses_a_client_workspace_and_leaves_it_untouched(client):
    before = snapshot(client)
    with pytest.raises(WorkspaceRefused, match="workspace 'acme', not 'demo'"):
        generate(client)
    assert snapshot(client) == before


def test_a_non_empty_folder_without_silo_yml_is_refused_an_empty_one_is_not(tmp_path):
    (tmp_path / "thesis.docx").write_text("mine")
    with pytest.raises(WorkspaceRefused, match="not empty and holds no silo.yml"):
        refuse_unless_demo_or_empty(tmp_path, "generate the demo in")
    refuse_unless_demo_or_empty(tmp_path / "new", "generate the demo in")
    (tmp_path / "empty").mkdir()
    refuse_unless_demo_or_empty(tmp_path / "empty", "generate the demo in")
    (tmp_path / "old-demo").mkdir()
    (tmp_path / "old-demo" / "silo.yml").write_text("# generated\nworkspace: demo\n")
    refuse_unless_demo_or_empty(tmp_path / "old-demo", "generate the demo in")


def test_silo_demo_refuses_a_client_workspace_in_one_line(client, capsys):
    before = snapshot(client)
    assert main(["demo", "-w", str(client), "--generate-only"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "refusing to generate the demo in" in err
    assert "Traceback" not in err
    assert snapshot(client) == before


def make(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_make_clean_refuses_a_client_workspace(client):
    before = snapshot(client)
    result = make("clean", f"WORKSPACE={client}")
    assert result.returncode != 0
    assert "refusing to delete" in result.stderr and "not a demo" in result.stderr
    assert snapshot(client) == before


def test_make_ui_refuses_a_client_workspace_before_starting_dagster(client):
    before = snapshot(client)
    result = make("ui", f"WORKSPACE={client}")
    assert result.returncode != 0
    assert "refusing to generate the demo in" in result.stderr
    assert snapshot(client) == before
    assert not (client / ".dagster").exists()


def test_silo_init_writes_a_commented_workspace_that_passes_the_check(tmp_path, capsys):
    root = tmp_path / "globex"
    assert main(["init", str(root), "--start-date", "2024-06-01"]) == 0
    text = (root / "silo.yml").read_text()
    assert "workspace: globex" in text and "# " in text and "token_env" in text
    ws = load_workspace(root)
    assert str(ws.start_date) == "2024-06-01" and ws.notes and ws.directory
    assert ws.github is None and ws.jira is None and ws.schedule_hour == 6
    assert (root / "notes").is_dir() and (root / "directory.yml").is_file()
    # the new form: one folder per body, the COMEX's typed
    assert [(f.label, f.type) for f in ws.notes.folders] == [
        ("notes/comex", "comex"),
        ("notes/management", "management"),
        ("notes/other", None),
    ]
    assert all(f.path.is_dir() for f in ws.notes.folders)
    _, findings = preflight(root, network=False)
    assert all(f.ok for f in findings), findings
    from pipelines.sources.directory.model import load_directory

    assert load_directory(root / "directory.yml").people


def test_silo_init_never_overwrites_a_workspace(client, capsys):
    before = snapshot(client)
    assert main(["init", str(client)]) == 2
    assert "already holds silo.yml" in capsys.readouterr().err
    assert snapshot(client) == before
    with pytest.raises(WorkspaceRefused):
        init_workspace(client, None, "2026-01-01")
