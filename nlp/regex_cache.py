"""Long regular expressions compiled once per machine, not once per process.

spaCy's French language data compiles, when it is imported, one pattern of 1.45 million
characters (the hyphenated words its tokenizer keeps whole, spelled with Unicode letter
classes): about 2 s of CPU in every process that loads French, the largest part of the
model's load. Python keeps compiled patterns only for the life of a process.

`kept_compiles(folder)` is a block inside which `re.compile` of a long pattern reads the
compiled program from `folder` (one file per pattern, its name a hash of the Python build,
the regular-expression engine's version, the flags and the pattern) and builds the pattern
object from it directly; a pattern not found there is compiled as Python does it, then its
program is written there for the next process. The program is Python's own, for this
build only: another Python, or another engine version, finds no file and compiles again.
Nothing else changes: the object is the one `re.compile` would return (a test compares
them). A folder that cannot be read or written is no error; the pattern is compiled.

This reaches into the standard library's private compiler (`re._parser`, `re._compiler`,
`_sre.compile`), as `re` itself does; it is used only where `SUPPORTED` says it was tested.
"""

from __future__ import annotations

import _sre
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

MIN_LENGTH = 20_000  # shorter patterns compile in milliseconds: not worth a file
SUPPORTED = ((3, 11),)  # the Pythons whose re compiler this mirrors, as tested


def default_folder() -> Path:
    """`$SILO_CACHE_DIR/regex`, else `~/.cache/silo-signals/regex` (XDG_CACHE_HOME honoured)."""
    base = os.environ.get("SILO_CACHE_DIR")
    if base:
        return Path(base) / "regex"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "silo-signals" / "regex"


def _file(folder: Path, pattern: str, flags: int) -> Path:
    key = f"{sys.version}\0{_sre.MAGIC}\0{_sre.CODESIZE}\0{flags}\0{pattern}"
    return folder / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


def _program(pattern: str, flags: int) -> tuple:
    """What `re` compiles `pattern` into: the arguments of `_sre.compile` after the pattern
    (as `re._compiler.compile` computes them)."""
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # named opcodes: plain ints
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex,
            tuple(indexgroup))  # fmt: skip


def compile_kept(pattern: str, flags: int, folder: Path) -> re.Pattern:
    """`re.compile(pattern, flags)`, its program read from `folder` or written there."""
    path = _file(folder, pattern, flags)
    try:  # JSON, not pickle: reading the folder can never run code
        final_flags, code, groups, groupindex, indexgroup = json.loads(path.read_bytes())
        return _sre.compile(pattern, final_flags, code, groups, groupindex, tuple(indexgroup))
    except (OSError, ValueError, TypeError, RuntimeError):
        pass  # absent, damaged or not a program: compile
    program = _program(pattern, flags)
    with suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(program), encoding="utf-8")
        partial.replace(path)  # whole or absent, even with two processes at once
    return _sre.compile(pattern, *program)


@contextmanager
def kept_compiles(folder: Path | None = None) -> Iterator[None]:
    """Within the block, `re.compile` of a long pattern goes through `compile_kept`."""
    if sys.version_info[:2] not in SUPPORTED:
        yield
        return
    folder = folder or default_folder()
    original = re.compile

    def compile(pattern, flags=0):
        if isinstance(flags, re.RegexFlag):
            flags = flags.value
        if isinstance(pattern, str) and len(pattern) >= MIN_LENGTH and not flags & re.DEBUG:
            return compile_kept(pattern, flags, folder)
        return original(pattern, flags)

    re.compile = compile
    try:
        yield
    finally:
        re.compile = original
