"""YAML that people write by hand (`silo.yml`, front matter), loaded strictly; no Dagster.

`yaml.safe_load` builds no objects but accepts duplicate keys (the last silently wins) and
its errors span several lines. `load` refuses duplicate keys when asked, can leave
timestamps as strings (so the caller names the key of a bad date), and raises `YamlError`
with a one-line message that carries the line number.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class YamlError(ValueError):
    """Not valid YAML, or refused; the message is one line and names the line."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key: SafeLoader reports it
            break
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


@cache
def _loader(unique_keys: bool, dates: bool) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    if unique_keys:
        Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)
    if not dates:
        Loader.yaml_implicit_resolvers = {
            first: [(tag, regex) for tag, regex in resolvers if tag != TIMESTAMP_TAG]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
    return Loader


def one_line(exc: yaml.YAMLError) -> str:
    """A YAML error as `line N, column M: problem`."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    text = f"{where}{problem}" + (f" ({context})" if context else "")
    return " ".join(text.split())


def load(text: str, *, unique_keys: bool = False, dates: bool = True) -> Any:
    """Parse `text` like `yaml.safe_load`; `unique_keys` refuses a key repeated in one
    mapping; `dates=False` keeps YYYY-MM-DD values as strings. Raises `YamlError`."""
    try:
        return yaml.load(text, Loader=_loader(unique_keys, dates))  # noqa: S506 (SafeLoader)
    except yaml.YAMLError as exc:
        raise YamlError(one_line(exc)) from exc
    except (ValueError, TypeError) as exc:  # a value the constructors refuse
        raise YamlError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
