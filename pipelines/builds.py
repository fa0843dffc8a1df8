"""Whether a dbt build would redo the last one: its inputs are those it last built from.

A build's inputs are the dbt project's files (models, macros, seeds, tests, configuration),
the installed dbt versions, the command it runs and the Parquet files its sources read under
the workspace (`raw/`, and `nlp/` after the NLP step). Landing leaves a partition untouched
when a re-run finds the same rows (`pipelines.landing.same_rows`), so a file's size and
modification time say whether its content changed. After a successful build the fingerprint
of those inputs and the warehouse file's own size and time are recorded in
`<workspace>/state/builds.json`; the next build is skipped when both still hold and the
last build recorded was the run's final one (the warehouse is as a complete run left it,
nothing this build reads has changed). Deleting that file,
or any change at all to what the build reads, rebuilds. No Dagster import: the dbt assets
(`pipelines/defs/dbt.py`) call `unchanged` and `record` around the dbt command.

Incremental models update their last rows from what changed (`int_threads` by its links'
prints, `int_items` and `int_documents` by the landed versions they do not hold yet).
`full_refresh` says when they must be rebuilt in full instead: no success of the build is
recorded, or since the last one the project (its files but the Markdown docs, the dbt
versions, the command) or the directory landing (who wrote what) changed, or a file the
build read is gone (a landed version removed).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from pipelines.atomic import file_state, read_json_object, write_json
from pipelines.config import Workspace

STATE_FILE = ("state", "builds.json")
PROJECT_FILES = ("*.sql", "*.yml", "*.yaml", "*.csv", "*.md")
PROJECT_SKIP = {"target", "logs", "dbt_packages"}


def project_files(project_dir: Path) -> list[Path]:
    """The files of a dbt project that change what it parses and builds (not `target/`,
    `logs/` or packages): what a build's fingerprint and the manifest's freshness read."""
    found = []
    for pattern in PROJECT_FILES:
        for path in project_dir.rglob(pattern):
            if not PROJECT_SKIP & set(path.relative_to(project_dir).parts):
                found.append(path)
    return sorted(found)


# project files that only document: a docs block changes a description in the manifest,
# never a row (dbt's `doc()` renders in descriptions, not in SQL)
DOC_FILES = ("*.md",)


def project_prints(project_dir: Path, command: list) -> tuple[str, str]:
    """sha256 of how a build builds: the dbt versions, the command and the project's files;
    with the Markdown docs, and without them (they change no row). Each file read once."""
    versions = "".join(f"{name}={metadata.version(name)}\n" for name in ("dbt-core", "dbt-duckdb"))
    head = (versions + json.dumps([str(part) for part in command])).encode()
    with_docs, rows = hashlib.sha256(head), hashlib.sha256(head)
    for path in project_files(project_dir):
        part = f"\n{path.relative_to(project_dir)}\n".encode() + path.read_bytes()
        with_docs.update(part)
        if not any(path.match(pattern) for pattern in DOC_FILES):
            rows.update(part)
    return with_docs.hexdigest(), rows.hexdigest()


def project_print(project_dir: Path, command: list) -> str:
    """sha256 of how a build builds: dbt versions, the command and the project's files."""
    return project_prints(project_dir, command)[0]


def input_files(ws: Workspace, inputs: tuple[str, ...]) -> list[str]:
    """The Parquet files under the workspace's `inputs` folders, relative, sorted folder by
    folder."""
    return [
        str(path.relative_to(ws.root))
        for folder in inputs
        for path in sorted((ws.root / folder).rglob("*.parquet"))
    ]


def _files_print(ws: Workspace, project: str, files: list[str]) -> str:
    """sha256 of a `project_print` and of the path, size and modification time of each of
    `files` (`input_files`)."""
    digest = hashlib.sha256(project.encode())
    for rel in files:
        stat = (ws.root / rel).stat()
        digest.update(f"\n{rel} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def fingerprint(ws: Workspace, project_dir: Path, inputs: tuple[str, ...], command: list) -> str:
    """sha256 of what a build reads: `project_print`, and the path, size and modification
    time of every Parquet file under the workspace's `inputs` folders."""
    return _files_print(ws, project_print(project_dir, command), input_files(ws, inputs))


def _state_path(ws: Workspace) -> Path:
    return ws.root.joinpath(*STATE_FILE)


def _read(ws: Workspace) -> dict:
    return read_json_object(_state_path(ws))


def _by_build(state: dict, key: str) -> dict:
    """One of the state's per-build sections ({} when absent or not an object)."""
    section = state.get(key)
    return section if isinstance(section, dict) else {}


def unchanged(ws: Workspace, build: str, print_: str, *, final: str) -> bool:
    """Whether `build` can be skipped: it last succeeded from inputs with this fingerprint,
    the warehouse is still the file the last recorded build left, and that build was
    `final`, the run's last (a build that ran since, or one that failed, has left the
    warehouse in another state: everything after it rebuilds)."""
    state = _read(ws)
    warehouse = file_state(ws.warehouse_path)
    return (
        warehouse is not None
        and state.get("warehouse") == warehouse
        and state.get("last") == final
        and _by_build(state, "builds").get(build) == print_
    )


# landed folders whose change rebuilds the incremental models in full
REFRESH_INPUTS = ("raw/directory",)


@dataclass(frozen=True)
class Prints:
    """What a build about to run records on success (`record`) and asks `full_refresh`:
    its `fingerprint` (`build`); what makes every incremental model rebuild in full when it
    changes (`refresh`): the project (`project_prints`, its Markdown docs aside: editing a
    README rebuilds nothing in full) and the directory's landed files (a person's side,
    level or aliases change who wrote every text); and its `input_files`."""

    build: str
    refresh: str
    files: list[str]


def prints(ws: Workspace, project_dir: Path, inputs: tuple[str, ...], command: list) -> Prints:
    """A build's `Prints`: the project's files read and the input folders walked once."""
    (project, rows), files = project_prints(project_dir, command), input_files(ws, inputs)
    refresh = _files_print(ws, rows, input_files(ws, REFRESH_INPUTS))
    return Prints(_files_print(ws, project, files), refresh, files)


def full_refresh(ws: Workspace, build: str, refresh: str, files: list[str]) -> bool:
    """Whether `build` must rebuild its incremental models in full: no success of it is
    recorded with this `Prints.refresh` (first build; the project, dbt, the command or the
    directory changed since), one of the files it read then is gone (`files`: the input
    files now), or the warehouse file is missing."""
    state = _read(ws)
    before = _by_build(state, "files").get(build)
    return (
        _by_build(state, "refreshes").get(build) != refresh
        or not isinstance(before, list)
        or bool(set(before) - set(files))
        or not ws.warehouse_path.exists()
    )


def record(
    ws: Workspace,
    build: str,
    print_: str,
    refresh: str | None = None,
    files: list[str] | None = None,
) -> None:
    """After `build` succeeded: its inputs' fingerprint, the warehouse it left and, when
    given, the `Prints.refresh` it built with and the input files it read."""
    state = _read(ws)
    builds, refreshes, read = (_by_build(state, k) for k in ("builds", "refreshes", "files"))
    if refresh is not None and files is not None:
        refreshes, read = {**refreshes, build: refresh}, {**read, build: files}
    write_json(
        _state_path(ws),
        {
            "warehouse": file_state(ws.warehouse_path),
            "last": build,
            "builds": {**builds, build: print_},
            "refreshes": refreshes,
            "files": read,
        },
    )


def forget(ws: Workspace, build: str) -> None:
    """Before `build` runs: whatever it leaves (even half done) is no recorded build."""
    state = _read(ws)
    builds = _by_build(state, "builds")
    if build in builds or state.get("last") is not None:
        builds.pop(build, None)
        write_json(_state_path(ws), {**state, "last": None, "builds": builds})
