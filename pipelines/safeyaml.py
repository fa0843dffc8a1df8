"""YAML that people write by hand (`silo.yml`, front matter), loaded strictly; no Dagster.

`yaml.safe_load` builds no objects but accepts duplicate keys (the last silently wins),
expands any number of aliases (nine nested `*a` lists are billions of names to whoever walks
them: an alias bomb) and its errors span several lines. `load` refuses duplicate keys when
asked, refuses more than `max_aliases` aliases while composing (before anything expands),
can leave timestamps as strings (so the caller names the key of a bad date), and raises
`YamlError` with a one-line message that carries the line number.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


MAX_ALIASES = 50  # hand-written files use a few; an alias bomb needs many


class YamlError(ValueError):
    """Not valid YAML, or refused; the message is one line and names the line. `line` is
    1-based in the text given (None when unknown); `problem` is the message without it."""

    def __init__(self, message: str, line: int | None = None, problem: str | None = None):
        super().__init__(message)
        self.line = line
        self.problem = problem or message


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


def _customise(loader: type, unique_keys: bool, dates: bool) -> type:
    if unique_keys:
        loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)
    if not dates:
        loader.yaml_implicit_resolvers = {
            first: [(tag, regex) for tag, regex in resolvers if tag != TIMESTAMP_TAG]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
    return loader


@cache
def _loader(unique_keys: bool, dates: bool, max_aliases: int) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > max_aliases:
                    raise yaml.composer.ComposerError(
                        None,
                        None,
                        f"more than {max_aliases} aliases (*name): refused, an alias bomb "
                        "would expand without bound",
                        self.peek_event().start_mark,
                    )
            return super().compose_node(parent, index)

    return _customise(Loader, unique_keys, dates)


@cache
def _fast_loader(unique_keys: bool, dates: bool) -> type | None:
    """The same loader on libyaml's parser (about 10 times faster; None when PyYAML was built
    without it), for text that cannot hold an alias: the alias count needs the Python one."""
    if not getattr(yaml, "__with_libyaml__", False):
        return None

    class Loader(yaml.CSafeLoader):
        pass

    return _customise(Loader, unique_keys, dates)


def _error(exc: yaml.YAMLError) -> YamlError:
    """A YAML error as one line, `line N, column M: problem (context)`."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    problem = " ".join((problem + (f" ({context})" if context else "")).split())
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    return YamlError(where + problem, mark.line + 1 if mark else None, problem)


def load(
    text: str, *, unique_keys: bool = False, dates: bool = True, max_aliases: int = MAX_ALIASES
) -> Any:
    """Parse `text` like `yaml.safe_load`; `unique_keys` refuses a key repeated in one
    mapping; `dates=False` keeps YYYY-MM-DD values as strings; more than `max_aliases`
    aliases are refused. Raises `YamlError`."""
    fast = _fast_loader(unique_keys, dates) if "*" not in text else None
    loader = fast or _loader(unique_keys, dates, max_aliases)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        raise _error(exc) from exc
    except (ValueError, TypeError) as exc:  # a value the constructors refuse
        raise YamlError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
