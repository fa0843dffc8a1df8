"""The NLP result cache: one SQLite file of JSON results by key, read and written in batches.

`annotate_documents` asks for every key of a call at once and stores the new results in one
transaction, so a call costs a few statements whatever its size (the former layout, one JSON
file per document, cost a file creation per document: 750k files at a 1,000-person year).
A crash mid-write leaves the file as it was before the transaction (SQLite's journal); an
unreadable file is set aside, not fatal: the cache only saves work. The file holds lines of
the documents (what the decision component read), so it is private: created 0600.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

FILE_NAME = "results.sqlite"
_CHUNK = 900  # keys per `in (...)`: under every SQLite build's variable limit
_SCHEMA = "create table if not exists results (key text primary key, result text not null)"


class ResultCache:
    """Results by key under `directory` (None: no cache; every get misses, puts are dropped)."""

    def __init__(self, directory: str | os.PathLike | None):
        self.path = Path(directory) / FILE_NAME if directory else None

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():  # private from its first byte, whatever the umask
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        con = sqlite3.connect(self.path, timeout=60)
        try:
            con.execute(_SCHEMA)
        except sqlite3.DatabaseError:  # not a database (a torn copy, another file): start anew
            con.close()
            self.path.replace(self.path.with_suffix(".unreadable"))
            return self._connect()
        return con

    def get_many(self, keys: Iterable[str]) -> dict[str, dict]:
        """The cached results of those `keys` that have one."""
        wanted = list(dict.fromkeys(keys))
        if self.path is None or not wanted or not self.path.exists():
            return {}
        found: dict[str, dict] = {}
        with closing(self._connect()) as con:
            for at in range(0, len(wanted), _CHUNK):
                chunk = wanted[at : at + _CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"select key, result from results where key in ({marks})"
                for key, text in con.execute(query, chunk):
                    try:
                        found[key] = json.loads(text)
                    except json.JSONDecodeError:  # a bad row is a miss, rewritten by the caller
                        continue
        return found

    def put_many(self, results: dict[str, dict]) -> None:
        """Store `results` (key -> result) in one transaction; a key already there is replaced."""
        if self.path is None or not results:
            return
        rows = [(key, json.dumps(result, ensure_ascii=False)) for key, result in results.items()]
        with closing(self._connect()) as con, con:
            con.executemany("insert or replace into results (key, result) values (?, ?)", rows)
