"""A real PostgreSQL server on 127.0.0.1, started by the test that asks for it: production
Dagster storage (tests/e2e), dbt on PostgreSQL and its loader (pipelines/warehouse_pg.py).

Debian's `postgresql` package (`.ci/run` installs it): the server binaries live in
/usr/lib/postgresql/<version>/bin, off PATH. `initdb` refuses to run as root, so as root the
cluster belongs to the `postgres` user the package creates. Skips with the reason when the
binaries or that user are absent.

Also the suite's order: the longest files first (`LONGEST_FIRST`), so that with `make test`'s
workers (pytest-xdist, a file per worker) they start at once rather than end alone.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    db: str

    def env(self) -> dict[str, str]:
        """The variables pipelines/defs/deploy/dagster.yaml reads."""
        return {
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_USER": self.user,
            "DAGSTER_PG_PASSWORD": "unused-with-trust-auth",
            "DAGSTER_PG_DB": self.db,
        }


def server_binaries() -> Path | None:
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(found[0]).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_server():
    bin_dir = server_binaries()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
        )
    as_user: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="silo-pg-"))
    if os.geteuid() == 0:  # initdb refuses root: run the cluster as the package's user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base)
            pytest.skip("running as root and no 'postgres' user to own the test cluster")
        as_user = ["runuser", "-u", "postgres", "--"]
        os.chmod(base, 0o755)
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data, log, port = base / "data", base / "server.log", free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "dagster", "--auth=trust", "-E", "UTF8")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    try:
        yield PostgresServer(host="127.0.0.1", port=port, user="dagster", db="postgres")
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(base, ignore_errors=True)


# the files that take minutes (pytest's --durations in CI's log), longest first
LONGEST_FIRST = (
    "tests/e2e/test_bench_small.py",
    "tests/reliability/test_pipeline_faults.py",
    "tests/packaging/test_wheel.py",
    "tests/e2e/test_demo_pipeline.py",
    "tests/pipelines/publish/test_privacy.py",
    "tests/pipelines/defs/test_workspace_runs.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    root = Path(str(config.rootpath))

    def order(item) -> int:
        return rank.get(Path(str(item.path)).relative_to(root).as_posix(), len(rank))

    items.sort(key=order)  # stable: every other file keeps its place
