"""Acceptance of issue 10 on real minutes: the Node.js TSC's 358 files, declared as a comex
folder in silo.yml, no file edited, with the GitHub items they cite replayed; a plain
`silo run -w` must give at least 97 % of cited items the date of the first meeting citing
them as their first COMEX date.

What is expected is computed here from the files alone, not by the parser: a meeting's date
is the date in its file name; an item is cited where a GitHub issue or pull request URL or an
`owner/repo#N` is written (repository names compared case-insensitively, as GitHub does);
its first citing date is the earliest such file. Every cited item is replayed as a GitHub
issue, in the REST shape the replay client reads (see `pipelines/demo/github_payloads.py`),
raised by one field engineer on 2015-01-02, before any meeting, and never touched again.

One `silo run` over 2015-2026 (one replay window, the NLP step on every section) per test,
80 s each on a quiet machine (see the skip reason): marked `acceptance`, opt-in with
SILO_ACCEPTANCE=1, so `make test` keeps its margin under 15 minutes on a loaded machine; the
lead runs them before a release.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

from pipelines.demo.github_payloads import node_id, stable_int

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "meetings" / "en"
SILO = str(Path(sys.executable).with_name("silo"))
CREATED = "2015-01-02T10:00:00Z"  # before the first meeting (2015-05-27)
AUTHOR = "field-dev"
RUN_SECONDS = 3600

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.corpus,
    pytest.mark.acceptance,
    pytest.mark.skipif(
        os.environ.get("SILO_ACCEPTANCE") != "1",
        reason="a whole `silo run` over 2015-2026 per test (80 s each on a quiet 2-core "
        "machine on 2026-12-05, tens of minutes before the landing recorded one "
        "materialization per window): set SILO_ACCEPTANCE=1 to run them",
    ),
]

_URL = re.compile(
    r"https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+)/(?:issues|pull)/(\d+)", re.IGNORECASE
)
_FULL = re.compile(r"(?<![\w/.-])([A-Za-z0-9][\w-]*)/([\w.-]+?)#(\d+)\b")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # hidden text: not read by anyone


def cited_items(folder: Path, when: re.Pattern) -> dict[str, tuple[str, int, str]]:
    """lower-cased `owner/repo#n` -> (repository as most often written, number, first time
    cited): the earliest `when` match in the names of the files citing it."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    first: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        day = when.search(path.stem).group(0)
        text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
        for owner, repo, number in _URL.findall(text) + _FULL.findall(text):
            repo = repo.removesuffix(".git")
            key = f"{owner}/{repo}#{int(number)}".lower()
            spellings[key.split("#")[0]][f"{owner}/{repo}"] += 1
            first[key] = min(first.get(key, day), day)
    out = {}
    for key, day in first.items():
        repo, number = key.split("#")
        out[key] = (spellings[repo].most_common(1)[0][0], int(number), day)
    return out


def _issue(repo: str, number: int) -> dict:
    """An issue as `GET /repos/{o}/{r}/issues?state=all` lists it."""
    api = f"https://api.github.com/repos/{repo}/issues/{number}"
    iid = stable_int("issue", repo, number)
    uid = stable_int("user", AUTHOR)
    return {
        "url": api,
        "repository_url": f"https://api.github.com/repos/{repo}",
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": f"https://github.com/{repo}/issues/{number}",
        "id": iid,
        "node_id": node_id("Issue", iid),
        "number": number,
        "title": f"Item {number} of {repo}",
        "user": {
            "login": AUTHOR,
            "id": uid,
            "node_id": node_id("User", uid),
            "type": "User",
            "site_admin": False,
        },  # fmt: skip
        "labels": [],
        "state": "open",
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": 0,
        "created_at": CREATED,
        "updated_at": CREATED,
        "closed_at": None,
        "author_association": "MEMBER",
        "body": "",
        "state_reason": None,
    }


DIRECTORY = f"""people:
  - id: field.dev
    name: Field Dev
    team: Core
    side: tech
    level: field
    title: Engineer
    arrived: 2014-01-01
    aliases:
      github: [{AUTHOR}]
owners:
  technical: cto
"""


def build_workspace(root: Path, corpus: Path, items: dict[str, tuple[str, int, str]]) -> None:
    """Minutes copied as they are into notes/comex, declared as in issue 10; GitHub replay."""
    shutil.copytree(corpus, root / "notes" / "comex")
    by_repo: dict[str, list[dict]] = defaultdict(list)
    for repo, number, _ in items.values():
        by_repo[repo].append(_issue(repo, number))
    for repo, issues in by_repo.items():
        folder = root / "replay" / "github" / repo
        folder.mkdir(parents=True)
        (folder / "issues.json").write_text(json.dumps(issues), encoding="utf-8")
    (root / "directory.yml").write_text(DIRECTORY, encoding="utf-8")
    (root / "silo.yml").write_text(
        "workspace: corpus\ntimezone: UTC\nstart_date: 2015-01-01\nlanguages: [en]\n"
        "sources:\n"
        "  github:\n    mode: replay\n    replay_dir: replay/github\n"
        f"    repos: {json.dumps(sorted(by_repo))}\n"
        "  notes:\n    folders:\n      - {path: notes/comex, type: comex}\n"
        "  directory: {file: directory.yml}\n",
        encoding="utf-8",
    )


def first_comex_dates(root: Path) -> dict[str, str]:
    with duckdb.connect(str(root / "warehouse" / "silo_snapshot.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select lower(item_id), cast(cast(first_comex_at as date) as varchar) "
            "from fct_information_flow"
        ).fetchall()
    return {item.removeprefix("github:"): day for item, day in rows}


def _run(tmp_path: Path, corpus: str, when: re.Pattern) -> tuple[int, int, dict]:
    """(cited items whose first COMEX date matches `when` of the first citing file, cited
    items, the misses: key -> (expected, got))."""
    folder = CORPUS / corpus
    if not folder.is_dir():
        pytest.skip(f"corpus folder {folder} is absent (read-only shared corpus not mounted)")
    items = cited_items(folder, when)
    build_workspace(tmp_path, folder, items)
    env = {k: v for k, v in os.environ.items() if k not in ("SILO_WORKSPACE", "DAGSTER_HOME")}
    run = subprocess.run([SILO, "run", "-w", str(tmp_path)], capture_output=True, text=True,
                         env=env, timeout=RUN_SECONDS)  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    got = first_comex_dates(tmp_path)
    misses = {}
    for key, (_, _, expected) in items.items():
        found = got.get(key)
        if found is None or not found.startswith(expected):
            misses[key] = (expected, found)
    right = len(items) - len(misses)
    share = f"{right}/{len(items)} cited items ({right / len(items):.1%})"
    print(f"\n{corpus}: {share} get the first citing meeting's date; "
          f"misses (expected, got): {sorted(misses.items())}")  # fmt: skip
    return right, len(items), misses


def test_nodejs_tsc_cited_items_get_the_first_citing_meeting_date(tmp_path):
    """GIVEN the 358 TSC minutes in a comex folder and the 1,400-odd items they cite WHEN a
    plain `silo run -w` THEN >= 97 % of the items reach COMEX on the day of the first file
    citing them (the date in its name)."""
    right, total, _ = _run(tmp_path, "nodejs_tsc", re.compile(r"\d{4}-\d{2}-\d{2}"))
    assert total > 1000
    assert right / total >= 0.97


def test_python_steering_council_cited_items_reach_comex_in_the_month_first_citing_them(
    tmp_path,
):
    """The Python Steering Council's 48 monthly updates (most named by month only, several
    meetings per file) in a comex folder: the cited items reach COMEX within the month of the
    first update citing them (the first month in its name)."""
    right, total, _ = _run(tmp_path, "python_steering_council", re.compile(r"\d{4}-\d{2}"))
    assert total >= 20
    assert right / total >= 0.9
