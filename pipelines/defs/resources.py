"""Dagster resources: the client workspace, and the dbt project with its CLI.

`dbt_project` is dagster-dbt's `DbtProject` over the dbt project shipped in the package
(`pipelines/dbt_project`: a link to the repository's `dbt_project/` in a checkout, a copy
in a wheel). `@dbt_assets` read its manifest when `pipelines.defs.dbt` is imported, so the
manifest must exist first: `dagster dev` prepares it (`prepare_if_dev`), the `silo` command
calls `prepare_dbt_manifest()` before loading the definitions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import cached_property
from importlib import metadata
from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from pipelines.builds import project_files
from pipelines.config import Workspace, load_workspace

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
# dbt installed beside this interpreter (the venv), found without activating it
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


class WorkspaceResource(ConfigurableResource):
    """The client workspace (a folder with silo.yml); one code location serves one workspace."""

    root: str

    def load(self) -> Workspace:
        return load_workspace(self.root)


class SiloDbtCliResource(DbtCliResource):
    """dagster-dbt's CLI resource without two set-up costs our builds never use (about 3 s
    of each dbt build, measured on the bench's dbt stages):

    - the version of dbt is read from the installed dbt-core package, not by running
      `dbt --version` in a subprocess before every build (`DBT_EXECUTABLE` is that
      package's own command);
    - no dbt adapter is opened in Dagster's process: dagster-dbt uses it only to fetch row
      counts and column metadata after a build, which these assets do not ask for (the
      rows are in dbt's run results and the warehouse).
    Both are dagster-dbt internals of the pinned 0.29 series; `tests/pipelines/defs/
    test_dbt_resource.py` fails if an upgrade stops calling them."""

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) != Path(DBT_EXECUTABLE):
            return super()._cli_version  # another dbt: ask it
        return version.parse(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_resource() -> DbtCliResource:
    return SiloDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def _newest_project_file() -> float:
    files = project_files(dbt_project.project_dir)
    return max((p.stat().st_mtime for p in files), default=0.0)


def put_tools_on_path() -> None:
    """Make `dbt` and `dagster` of this interpreter's environment reachable by name, as
    dagster-dbt's preparer and child processes call them, even when the venv is not active."""
    bin_dir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if bin_dir not in path.split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join(filter(None, (bin_dir, path)))


def prepare_dbt_manifest(force: bool = False) -> Path:
    """Parse the dbt project (dagster-dbt's preparer) when its manifest is missing or older
    than a project file; parsing takes a few seconds, so an up-to-date manifest is kept."""
    manifest = dbt_project.manifest_path
    put_tools_on_path()
    if force or not manifest.exists() or manifest.stat().st_mtime < _newest_project_file():
        dbt_project.preparer.prepare(dbt_project)
        manifest.touch()
    return manifest
