"""Two runs of one workspace: the second is refused with the holder named; a holder killed
with SIGKILL leaves the workspace free (the kernel drops the lock with the process)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from pipelines.lock import WorkspaceBusy, workspace_lock

HOLD = textwrap.dedent(
    """
    import sys, time
    from pipelines.lock import workspace_lock
    with workspace_lock(sys.argv[1]):
        print("held", flush=True)
        time.sleep(120)
    """
)


def _holder(root):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_is_refused_and_a_killed_holder_frees_the_workspace(tmp_path):
    proc = _holder(tmp_path)
    try:
        with pytest.raises(WorkspaceBusy, match=rf"already being run \(pid {proc.pid} on "):
            with workspace_lock(tmp_path):
                pass
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    with workspace_lock(tmp_path) as path:  # free again, nothing to clean up by hand
        assert path.exists()


def test_two_workspaces_are_locked_independently(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with workspace_lock(tmp_path / "a"), workspace_lock(tmp_path / "b"):
        pass
