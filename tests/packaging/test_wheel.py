"""The package installs anywhere: a built wheel carries every file the code reads at run time,
and, installed outside the checkout, runs the whole demo pipeline."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {"__pycache__", "target", "logs", "dbt_packages"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        cwd=out,
        check=True,
        capture_output=True,
        text=True,
    )
    (path,) = out.glob("silo_signals-*.whl")
    return path


def _data_files(folder: Path, prefix: str) -> set[str]:
    """Every non-Python file under `folder`, as the wheel would name it under `prefix`."""
    return {
        f"{prefix}/{p.relative_to(folder).as_posix()}"
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix not in (".py", ".pyc")
        and not SKIPPED_DIRS & set(p.relative_to(folder).parts)
    }


def test_wheel_ships_the_dbt_project_and_every_nlp_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = _data_files(ROOT / "dbt_project", "pipelines/dbt_project")
    expected |= {n for n in _data_files(ROOT / "nlp", "nlp") if not n.endswith(".md")}
    expected |= {
        f"pipelines/{p.relative_to(ROOT / 'pipelines').as_posix()}"
        for p in (ROOT / "pipelines").rglob("*.yml")
        if "dbt_project" not in p.parts
    }
    assert "pipelines/dbt_project/models/marts/fct_information_flow.sql" in expected
    missing = sorted(expected - names)
    assert not missing, f"files the code reads but the wheel lacks: {missing}"


def test_wheel_carries_no_generated_or_labelled_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    generated = [n for n in names if "/target/" in n or "/logs/" in n or n.endswith(".duckdb")]
    assert not generated
    # labelled evaluation sets are test data: they live in data/labels, never in the package
    assert not [n for n in names if n.startswith(("data/", "tests/"))]


@pytest.mark.e2e
def test_installed_wheel_runs_the_demo_outside_the_checkout(wheel, tmp_path):
    """GIVEN the wheel installed in a folder of its own WHEN `silo demo` runs from an unrelated
    folder THEN the whole pipeline runs from the installed files (no checkout on the path)."""
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(site),  # before the editable checkout of the test environment
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.pop("SILO_WORKSPACE", None)
    env.pop("DAGSTER_HOME", None)
    where = subprocess.run(
        [sys.executable, "-c", "import pipelines, nlp; print(pipelines.__file__, nlp.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where and where.count(str(site)) == 2
    workspace = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, str(site / "bin" / "silo"), "demo", "--workspace", str(workspace)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (workspace / "reports" / "latency.html").exists()
    assert (site / "pipelines" / "dbt_project" / "target" / "manifest.json").exists()
    assert not (ROOT / "pipelines" / "dbt_project" / "target" / "run_results.json").is_symlink()
