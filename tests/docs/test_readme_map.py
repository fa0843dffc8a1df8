"""README's "Where things live" and pipelines/README.md name paths that exist, and every
module of pipelines/ is named in the pipelines map, so the maps cannot drift from the tree."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATH = re.compile(r"`((?:pipelines|nlp|dbt_project|data|tests)/[\w./-]*|[\w-]+\.py|[\w-]+/)`")


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end > 0 else None]


def test_readme_map_names_only_existing_paths():
    table = _section((ROOT / "README.md").read_text(encoding="utf-8"), "## Where things live")
    named = [m for m in PATH.findall(table) if "/" in m.rstrip("/")]
    assert len(named) >= 10
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    missing = [p for p in named if not (ROOT / p).exists() and p not in ignored]
    assert not missing, f"README names paths that do not exist: {missing}"


def test_pipelines_map_names_every_module_and_folder():
    text = (ROOT / "pipelines" / "README.md").read_text(encoding="utf-8")
    table = _section(text, "| path | job |")
    named = set(PATH.findall(table))
    for entry in sorted((ROOT / "pipelines").iterdir()):
        if entry.name.startswith(("_", ".")) or entry.suffix in (".md",):
            continue
        if entry.is_dir() and not any(entry.rglob("*.py")) and entry.name != "dbt_project":
            continue  # a stale folder of caches, not part of the tree
        name = entry.name + ("/" if entry.is_dir() else "")
        assert name in named, f"pipelines/README.md does not say what {name} is"
        assert (ROOT / "pipelines" / name).exists()
