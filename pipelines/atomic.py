"""Replace a file atomically: write beside it, rename over it; no Dagster import.

Every file the pipeline publishes (landing partitions, the warehouse snapshot, reports, state)
goes through `replacing`, so a reader sees the old file or the new one, never half of one, and
a crash leaves no stray temporary file behind.

Modes: the temporary is created 0600 (nobody reads it half-written); before the rename it gets
the mode an ordinary `open()` would give under the process's umask (0644 under umask 022), so
ops' publication is readable by whom the umask says. Private state stays 0600: every file
under a `state/` folder of the workspace (alerts state, caches of parsed notes and NLP).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def replacing(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path in `target`'s folder; rename it over `target` when the block
    succeeds, remove it when the block fails. A block that removes the temporary itself
    keeps `target` as it was (a writer that found it had nothing new to say).

    The temporary is `.<stem>.<pid>-<random><suffix>` (mode 0600). A process killed in the
    block (SIGKILL, power loss) cannot clean up, so every call first removes the temporaries
    of `target` (and their `.wal` and other companions) whose process is gone."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem}.{os.getpid()}-", suffix=suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if tmp.exists():
            os.chmod(tmp, file_mode(target))
            os.replace(tmp, target)
    finally:
        for leftover in _starting_with(target.parent, tmp.name):
            leftover.unlink(missing_ok=True)


def _starting_with(folder: Path, prefix: str) -> list[Path]:
    """The entries of `folder` whose name starts with `prefix` (a plain listing: pathlib's
    glob compiled a pattern and built a Path for every entry, on every write)."""
    with os.scandir(folder) as entries:
        return [folder / entry.name for entry in entries if entry.name.startswith(prefix)]


PRIVATE_FOLDER = "state"


def current_umask() -> int:
    """The process's umask, read without changing it (Linux); else set and restored."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def file_mode(target: Path) -> int:
    """0600 for private state (under a `state/` folder), else what the umask gives a new file."""
    if PRIVATE_FOLDER in Path(target).parts[:-1]:
        return 0o600
    return 0o666 & ~current_umask()


_TEMP_MARK = re.compile(r"(?P<pid>\d+)-\w+|\w{8}")


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporaries `replacing` left beside `target` in a process that no longer
    runs (names without a pid come from before pids were recorded: stale too). Returns them."""
    target = Path(target)
    prefix = f".{target.stem}."
    removed = []
    for path in _starting_with(target.parent, prefix):
        # ours: `<pid>-<random>` or, before pids were recorded, mkstemp's 8 random characters;
        # anything else is a sibling's (`.a.b.<pid>-...` when `target` is `a.json`)
        mark = _TEMP_MARK.fullmatch(path.name[len(prefix) :].split(".", 1)[0])
        if mark is None or (mark["pid"] and process_alive(int(mark["pid"]))):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def process_alive(pid: int) -> bool:
    """Whether process `pid` of this machine still runs (ours always does)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def write_text(target: Path, text: str) -> None:
    with replacing(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(target: Path, data: Any) -> None:
    with replacing(target) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")


def read_json_object(path: Path) -> dict:
    """The JSON object `write_json` left in `path`; {} when the file is absent, torn or not an
    object (for state files that only save work: losing one redoes it, never fails)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def file_state(path: Path) -> list[int] | None:
    """A file's [size, modification time in ns], None when absent: what the re-run records
    (`builds.py`, `reruns.py`, `publish/snapshot.py`) compare to tell it unchanged."""
    try:
        stat = Path(path).stat()
    except FileNotFoundError:
        return None
    return [stat.st_size, stat.st_mtime_ns]
