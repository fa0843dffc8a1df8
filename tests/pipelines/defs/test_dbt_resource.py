"""The dbt resource skips two dagster-dbt set-up steps (`SiloDbtCliResource`): no
`dbt --version` subprocess and no in-process adapter before a build. These tests fail if a
dagster-dbt upgrade stops going through the methods it overrides, or if a build needs them."""

from __future__ import annotations

from importlib import metadata

import pytest
from dagster_dbt import DbtCliResource
from dagster_dbt.core import resource as dagster_dbt_resource
from packaging import version

from pipelines.defs.resources import DBT_EXECUTABLE, dbt_project, dbt_resource


def _refuse(*args, **kwargs):
    raise AssertionError("dagster-dbt set-up the resource should have skipped")


@pytest.fixture
def no_setup(monkeypatch):
    monkeypatch.setattr(dagster_dbt_resource, "check_output", _refuse)
    monkeypatch.setattr(DbtCliResource, "_initialize_dbt_core_adapter", _refuse)


def test_the_dbt_version_is_the_installed_packages(no_setup):
    assert dbt_resource()._cli_version == version.parse(metadata.version("dbt-core"))


def test_another_dbt_executable_is_asked_its_version(monkeypatch, tmp_path):
    elsewhere = tmp_path / "dbt"
    elsewhere.symlink_to(DBT_EXECUTABLE)
    calls = []

    def answer(command, *args, **kwargs):
        calls.append(command)
        return b"Core:\n  - installed: 1.10.3\n"

    monkeypatch.setattr(dagster_dbt_resource, "check_output", answer)
    other = type(dbt_resource())(project_dir=dbt_project, dbt_executable=str(elsewhere))
    assert other._cli_version == version.parse("1.10.3")
    assert calls == [[str(elsewhere), "--version"]]


def test_a_dbt_command_runs_without_the_version_subprocess_or_an_adapter(no_setup, tmp_path):
    invocation = dbt_resource().cli(
        ["ls", "--select", "stg_github__issues", "--resource-type", "model"],
        target_path=tmp_path / "target",
    )
    invocation.wait()
    assert invocation.is_successful()
    assert invocation.adapter is None
