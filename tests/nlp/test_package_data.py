"""The `nlp` package ships every data file it reads: pyproject's package-data globs cover
every file under nlp/ that is not code or documentation, and nothing else."""

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "nlp"
DOCS_AND_CODE = ("*.py", "*.pyc", "README.md")


def _globs() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["tool"]["setuptools"]["package-data"]["nlp"]


def _data_files() -> list[str]:
    return sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and not any(fnmatch(path.name, pattern) for pattern in DOCS_AND_CODE)
    )


def test_every_data_file_is_package_data():
    missing = [f for f in _data_files() if not any(fnmatch(f, g) for g in _globs())]
    assert not missing, f"add to [tool.setuptools.package-data] nlp: {missing}"


def test_every_package_data_glob_matches_a_file():
    empty = [g for g in _globs() if not any(fnmatch(f, g) for f in _data_files())]
    assert not empty, f"package-data globs that match nothing: {empty}"


def test_every_language_has_the_same_data_files():
    names = {
        lang.name: sorted(p.name for p in lang.iterdir())
        for lang in (PACKAGE / "lexicons").iterdir()
    }
    assert len(set(map(tuple, names.values()))) == 1, names
