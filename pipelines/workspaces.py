"""Workspaces belong to the user: what may be generated or deleted, and `silo init`'s template.

The demo generator rewrites `silo.yml`, `notes/`, `replay/`... of the folder it is given, so
it may only write into a folder that is empty (or absent) or already a demo (`workspace: demo`
in its `silo.yml`); `make clean` deletes only such a folder. Anything else is a client's
workspace and is refused with the reason. No Dagster import.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipelines import safeyaml
from pipelines.config import CONFIG_FILE, ConfigError, valid_workspace_name

DEMO_NAME = "demo"


class WorkspaceRefused(ConfigError):
    """A command would overwrite or delete a folder that is not its own; says why."""


def declared_name(root: Path) -> str | None:
    """The `workspace:` value of `<root>/silo.yml`, or None when the file is absent or
    unreadable as YAML (such a file is still the user's, never a demo)."""
    path = Path(root) / CONFIG_FILE
    if not path.is_file():
        return None
    try:
        data = safeyaml.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, safeyaml.YamlError):
        return ""
    name = data.get("workspace") if isinstance(data, dict) else None
    return name if isinstance(name, str) else ""


def is_demo(root: Path) -> bool:
    return declared_name(root) == DEMO_NAME


def is_empty(root: Path) -> bool:
    root = Path(root)
    return not root.exists() or (root.is_dir() and not any(root.iterdir()))


def refuse_unless_demo_or_empty(root: Path, action: str) -> None:
    """Raise WorkspaceRefused unless `root` is absent, an empty folder or a demo workspace."""
    root = Path(root)
    if is_empty(root) or is_demo(root):
        return
    if not root.is_dir():
        why = "it is a file, not a folder"
    else:
        name = declared_name(root)
        if name is None:
            why = f"it is not empty and holds no {CONFIG_FILE}"
        elif name == "":
            why = f"its {CONFIG_FILE} is not a demo's (no readable 'workspace:' key)"
        else:
            why = f"its {CONFIG_FILE} is workspace '{name}', not '{DEMO_NAME}'"
    raise WorkspaceRefused(
        f"refusing to {action} {root}: {why}. The demo only writes into an empty folder or "
        f"an existing demo (workspace: {DEMO_NAME}); pick another folder with -w / WORKSPACE="
    )


SILO_YML_TEMPLATE = """\
# Silo Signals workspace for one client. Every key is documented in README.md ("A workspace").
# Check it with:  .venv/bin/silo check -w {root}
# then run:       .venv/bin/silo run -w {root}

workspace: {name}               # letters, digits, - and _ (names the Dagster code location)
timezone: Europe/Paris          # reports and the daily schedule use this zone; storage is UTC
start_date: {start}          # first day to ingest (history is landed from here)
languages: [fr, en]

# The daily ingestion (GitHub, Jira): at this local time (in `timezone`), land yesterday's
# UTC day; a successful ingestion then refreshes everything downstream.
schedule:
  hour: 6
  minute: 0

sources:
  # Meeting minutes (.md, .txt, .rst, .docx), one file per meeting, one folder per body:
  # every file of a folder with a `type` is a meeting of that type (comex, codir,
  # management, team, other); without one, each file's front matter, title or name says.
  # default_repo: what a bare #123 in those minutes means. One folder alone: `folder: notes`.
  notes:
    folders:
      - {{path: notes/comex, type: comex}}
      - {{path: notes/management, type: management}}   # add default_repo: acme/api
      - {{path: notes/other}}
  # Who is who: people, their aliases in each tool, roles and official owners.
  directory:
    file: directory.yml
    pseudonymise: false         # true: people become p-<hash> in what leaves this machine
    # salt_env: SILO_PSEUDONYM_SALT

  # Uncomment to add GitHub. token_env is the NAME of an environment variable, never a token.
  # github:
  #   mode: live
  #   base_url: https://api.github.com   # GitHub Enterprise: https://ghe.example.com/api/v3
  #   token_env: GITHUB_TOKEN
  #   repos: [acme/api, acme/web]
  #   bots: [acme-release]

  # Uncomment to add Jira. Cloud: e-mail + API token; Server / Data Center: token (PAT).
  # jira:
  #   mode: live
  #   url: https://acme.atlassian.net
  #   deployment: cloud                  # or server
  #   email_env: JIRA_EMAIL
  #   token_env: JIRA_API_TOKEN
  #   jql: project in (PLAT, SUP)
  #   fields: {{team: Team, story_points: Story Points, sprint: Sprint, owners: [Product Owner]}}

# alerts:
#   rules: {{critical_never_arrived_share: 0.25, cross_side_drop: 0.3}}
"""

DIRECTORY_TEMPLATE = """\
# The client's org directory: replace this example person with the real people.
# Format: pipelines/sources/README.md ("The directory file"); CSV: pipelines/sources/directory/
people:
  - id: jane.doe
    name: Jane Doe
    team: Platform
    side: tech                # tech | product | business | leadership
    level: comex              # field | management | comex
    title: CTO
    arrived: 2024-01-01
    left: null
    bot: false
    aliases:
      github: []
      jira: []
      email: []
      names: []
roles:
  - {role: cto, person: jane.doe, from: 2024-01-01, to: null}
owners:
  roadmap: cpo
  technical: cto
  budget: cfo
  customer: sales_director
  organisation: ceo
"""


def init_workspace(root: Path, name: str | None, start: str) -> list[Path]:
    """Write a commented `silo.yml`, a directory template and a notes folder into `root`.

    Refuses a folder that already holds a `silo.yml`; never overwrites a file. Returns the
    paths written."""
    root = Path(root).resolve()
    if (root / CONFIG_FILE).exists():
        raise WorkspaceRefused(f"refusing to initialise {root}: it already holds {CONFIG_FILE}")
    if root.exists() and not root.is_dir():
        raise WorkspaceRefused(f"refusing to initialise {root}: it is a file, not a folder")
    name = name or root.name
    if not valid_workspace_name(name):
        raise ConfigError(
            f"workspace name '{name}': use letters, digits, '-' or '_' (pass --name NAME)"
        )
    root.mkdir(parents=True, exist_ok=True)
    files = {
        root / CONFIG_FILE: SILO_YML_TEMPLATE.format(root=root, name=name, start=start),
        root / "directory.yml": DIRECTORY_TEMPLATE,
    }
    # the notes folders start empty: every .md/.txt/.rst/.docx file in them is read as minutes
    for folder in ("comex", "management", "other"):
        (root / "notes" / folder).mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        # "x": never replace a file that appeared meanwhile
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written


def workspace_from(arg: str | None) -> Path:
    """The workspace a command acts on: `-w DIR`, else SILO_WORKSPACE; never a silent default."""
    value = arg or os.environ.get("SILO_WORKSPACE")
    if not value:
        raise ConfigError("no workspace given: pass -w DIR or set SILO_WORKSPACE")
    root = Path(value).resolve()
    if not root.is_dir():
        where = "-w" if arg else "SILO_WORKSPACE"
        raise ConfigError(f"workspace {root} (from {where}) does not exist")
    return root


def load_published(arg: str | None):
    """The workspace named by `-w`/SILO_WORKSPACE whose snapshot exists (for `silo query`,
    `export`): a missing workspace or snapshot is a clear error, never another workspace."""
    from pipelines.config import load_workspace

    ws = load_workspace(workspace_from(arg))
    if not ws.snapshot_path.is_file():
        raise ConfigError(
            f"workspace '{ws.name}' has no published snapshot yet ({ws.snapshot_path}): "
            f"run `silo run -w {ws.root}` first"
        )
    return ws
