"""Pre-flight of a workspace (`silo check`, and the first step of every run), in seconds.

Checks, each turned into one line a user can act on:
- `silo.yml` loads and validates;
- every environment variable `silo.yml` names is set, and no `*_env` key holds what looks
  like a secret instead of a variable's name;
- the workspace folder, the notes folder, the directory file and replay folders are readable;
- each configured live source answers one cheap request (GitHub: the first repository or
  org; Jira: serverInfo and the account), its client's own error turned into one line.
No Dagster import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import ENV_NAME, ConfigError, Workspace, load_workspace

# prefixes of GitHub, GitLab, Atlassian and Slack secrets
TOKEN_PREFIXES = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "ATATT", "xox")


@dataclass(frozen=True)
class Finding:
    ok: bool
    line: str

    def __str__(self) -> str:
        return f"{'ok ' if self.ok else 'ERR'} {self.line}"


def looks_like_secret(value: str) -> bool:
    """True for a value that is a token rather than an environment variable's name."""
    if value.startswith(TOKEN_PREFIXES) or not ENV_NAME.match(value):
        return True
    # variable names are words; a long run mixing lower case, upper case and digits is a key
    mixed = any(c.islower() for c in value) and any(c.isdigit() for c in value)
    return len(value) >= 24 and mixed and "_" not in value


def _env_keys(ws: Workspace) -> list[tuple[str, str, bool]]:
    """(silo.yml key, variable name, required) for every variable the workspace names."""
    keys: list[tuple[str, str, bool]] = []
    if ws.github:
        # GitHub answers anonymously at 60 requests/hour: a live run needs the token
        keys.append(("sources.github.token_env", ws.github.token_env, ws.github.mode == "live"))
    if ws.jira:
        live = ws.jira.mode == "live"
        cloud = ws.jira.deployment == "cloud"
        keys.append(("sources.jira.email_env", ws.jira.email_env, live and cloud))
        keys.append(("sources.jira.token_env", ws.jira.token_env, live))
    if ws.directory and ws.directory.pseudonymise:
        keys.append(("sources.directory.salt_env", ws.directory.salt_env, True))
    return keys


def check_environment(ws: Workspace) -> list[Finding]:
    out = []
    for key, name, required in _env_keys(ws):
        if looks_like_secret(name):
            out.append(
                Finding(
                    False,
                    f"{key} holds what looks like a secret, not a variable name: remove it "
                    "from silo.yml (and revoke it), export it as a variable and put the "
                    "variable's NAME here",
                )
            )
        elif os.environ.get(name):
            out.append(Finding(True, f"${name} is set ({key})"))
        elif required:
            out.append(Finding(False, f"${name} is not set ({key}): export it before running"))
    return out


def _readable_dir(label: str, path: Path) -> Finding:
    if not path.is_dir():
        return Finding(False, f"{label} {path} is not a folder")
    if not os.access(path, os.R_OK | os.X_OK):
        return Finding(False, f"{label} {path} is not readable by this user")
    return Finding(True, f"{label} {path} is readable")


def check_files(ws: Workspace) -> list[Finding]:
    out = [_readable_dir("workspace", ws.root)]
    if not os.access(ws.root, os.W_OK):
        out.append(Finding(False, f"workspace {ws.root} is not writable by this user"))
    if ws.notes:
        out += [_readable_dir("notes folder", folder.path) for folder in ws.notes.folders]
    if ws.directory:
        path = ws.directory.file
        if path.is_dir():
            out.append(_readable_dir("directory folder", path))
        elif not path.is_file():
            out.append(Finding(False, f"directory file {path} does not exist"))
        elif not os.access(path, os.R_OK):
            out.append(Finding(False, f"directory file {path} is not readable by this user"))
        else:
            out.append(Finding(True, f"directory file {path} is readable"))
    for name in ("github", "jira"):
        cfg = getattr(ws, name)
        if cfg and cfg.mode == "replay":
            out.append(_readable_dir(f"{name} replay folder", cfg.replay_dir))
    return out


def _one_line(exc: BaseException) -> str:
    """The client's message on one line; other errors keep their type (a bare KeyError's
    message is only the key)."""
    from pipelines.sources.github import GitHubError
    from pipelines.sources.jira.client import JiraSourceError

    text = " ".join(str(exc).split())[:400]
    if isinstance(exc, GitHubError | JiraSourceError) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def check_github(ws: Workspace, timeout: int = 10) -> Finding:
    from pipelines.sources.github.client import LiveGitHubClient, RetryPolicy

    cfg = ws.github
    client = LiveGitHubClient.from_config(
        cfg,
        seconds_between_requests=None,
        timeout=timeout,
        policy=RetryPolicy(max_attempts=1, max_rate_limit_waits=0),
    )
    if cfg.repos:
        path, subject = f"/repos/{cfg.repos[0]}", cfg.repos[0]
    else:
        path, subject = f"/orgs/{cfg.orgs[0]}", f"org {cfg.orgs[0]}"
    try:
        client.probe(path, subject)
    except Exception as exc:  # the client's own error, whatever it is, as one line
        return Finding(False, f"GitHub at {cfg.base_url}: {_one_line(exc)}")
    return Finding(True, f"GitHub at {cfg.base_url} answers for {subject}")


def check_jira(ws: Workspace, timeout: float = 10.0) -> Finding:
    from pipelines.sources.jira.client import LiveJiraClient, RetryPolicy

    cfg = ws.jira
    try:
        LiveJiraClient(cfg, retry=RetryPolicy(attempts=1), timeout=(timeout, timeout))
    except Exception as exc:  # the client's own error, whatever it is, as one line
        return Finding(False, f"Jira at {cfg.url}: {_one_line(exc)}")
    return Finding(True, f"Jira at {cfg.url} answers ({cfg.deployment})")


def preflight(
    root: str | Path | Workspace, *, network: bool = True
) -> tuple[Workspace | None, list[Finding]]:
    """Every check; the workspace is None when `silo.yml` itself is wrong (a `Workspace`
    already loaded is not read again). Live sources are asked only when the local checks pass
    (a request without its token says nothing)."""
    try:
        ws = root if isinstance(root, Workspace) else load_workspace(root)
    except ConfigError as exc:
        return None, [Finding(False, str(exc))]
    findings = [Finding(True, f"{ws.root / 'silo.yml'} is valid (workspace '{ws.name}')")]
    findings += check_environment(ws) + check_files(ws)
    if network and all(f.ok for f in findings):
        if ws.github and ws.github.mode == "live":
            findings.append(check_github(ws))
        if ws.jira and ws.jira.mode == "live":
            findings.append(check_jira(ws))
    return ws, findings


class PreflightFailed(ConfigError):
    """The workspace is not ready to run; the message lists every problem, one per line."""

    def __init__(self, findings: list[Finding]):
        problems = [f.line for f in findings if not f.ok]
        super().__init__(
            "pre-flight failed (silo check -w DIR shows every check): " + "; ".join(problems)
        )


def require_ready(root: str | Path | Workspace, *, network: bool = True) -> Workspace:
    """The validated workspace, or PreflightFailed naming every problem."""
    ws, findings = preflight(root, network=network)
    if ws is None or not all(f.ok for f in findings):
        raise PreflightFailed(findings)
    return ws
