"""Where the dbt project lives and how to prepare it; no Dagster import.

dagster-dbt reads `target/manifest.json` when the definitions are imported, so the manifest
must exist before Dagster loads: `silo manifest` (run by every make target) parses the
project once, and again only when a model or YAML file changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
MANIFEST = PROJECT_DIR / "target" / "manifest.json"
# dbt installed beside this interpreter (the venv), found without activating it
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


def dbt_env(workspace_root: Path | None = None) -> dict[str, str]:
    """The environment dbt needs: the workspace (raw landing) and no telemetry."""
    env = dict(os.environ)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    if workspace_root is not None:
        env["SILO_WORKSPACE"] = str(Path(workspace_root).resolve())
    return env


def _newest_source_mtime() -> float:
    files = [
        p
        for p in PROJECT_DIR.rglob("*")
        if p.suffix in (".sql", ".yml", ".yaml", ".csv")
        and "target" not in p.parts
        and "logs" not in p.parts
    ]
    return max((p.stat().st_mtime for p in files), default=0.0)


def ensure_manifest(force: bool = False) -> Path:
    """Run `dbt parse` when the manifest is missing or older than the project files."""
    if not force and MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_source_mtime():
        return MANIFEST
    result = subprocess.run(
        [
            DBT_EXECUTABLE,
            "parse",
            "--quiet",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
        ],
        env=dbt_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}")
    MANIFEST.touch()
    return MANIFEST
