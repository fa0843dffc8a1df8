"""One run per workspace at a time: a lock file in the workspace; no Dagster import.

`<workspace>/.silo-run.lock` is held with `flock` for the whole run, and records who holds it
(host, pid, start). The kernel releases the lock when the process ends, however it ends
(`kill -9` included), so a crashed run never leaves a workspace locked; a second run while
the first one lives is refused with a message naming the holder.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOCK_NAME = ".silo-run.lock"


class WorkspaceBusy(RuntimeError):
    """Another run holds the workspace."""


@contextmanager
def workspace_lock(root: Path) -> Iterator[Path]:
    """Hold the workspace's run lock for the block; `WorkspaceBusy` if another run holds it."""
    path = Path(root) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(path)
            raise WorkspaceBusy(
                f"workspace {root} is already being run ({holder}); wait for that run to "
                f"finish, or stop it: the lock goes with its process"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"host": socket.gethostname(), "pid": os.getpid(),
                                 "started_at": datetime.now(UTC).isoformat(
                                     timespec="seconds")}).encode())  # fmt: skip
        yield path
    finally:
        os.close(fd)  # closing releases the lock


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "holder unknown"
    if not info:
        return "holder unknown"
    return f"pid {info.get('pid')} on {info.get('host')} since {info.get('started_at')}"


def locked_workspace(run: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a function whose first argument is a `Workspace`: it runs under its lock."""

    @functools.wraps(run)
    def wrapper(ws, *args, **kwargs):
        with workspace_lock(ws.root):
            return run(ws, *args, **kwargs)

    return wrapper


@contextmanager
def waiting_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the block, waiting for any other holder (short
    critical sections, such as one alert delivery at a time per workspace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
