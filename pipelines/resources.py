"""Dagster resources: the workspace being processed. Thin: logic lives in pipelines/config."""

from __future__ import annotations

from dagster import ConfigurableResource

from pipelines.config import Workspace, load_workspace


class WorkspaceResource(ConfigurableResource):
    """The client workspace (a folder with silo.yml); one code location serves one workspace."""

    root: str

    def load(self) -> Workspace:
        return load_workspace(self.root)
