"""Known people: find the org directory's surface forms of people in a text.

The lead's code passes the directory's names and aliases (`Marie Dupont`, `Marie`,
`Marie D.`, `MD`, `M. Dupont`) as `annotate_documents(..., known_people=...)`. A match is a
person-name candidate whatever its position or capitalisation:

- initials (2-3 capitals, `MD`, `JPL`) match case-sensitively, whole words only;
- every other form matches case- and accent-insensitively (`marie`, `Hélène` = `Helene`),
  whole words only, any run of spaces between its words; a one-word form that is also a
  common word (`Will`, `May`) must be capitalised in the text.

`people_matcher(forms)` is cached, so the regular expressions are built once per distinct
list, not per document. Pure Python: no spaCy model is loaded here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from nlp.text import common_words, fold

_INITIALS = re.compile(r"^[A-ZÀ-Ý]{2,3}$")


def name_forms(name: str, aliases: Iterable[str] = (), *, first_name: bool = True) -> set[str]:
    """How a text names a directory person: the full name, `First L.`, the declared name
    aliases and, with `first_name`, the first name alone. The one definition: the NLP name
    gazetteer (pipelines/annotation/people.py) and the implicit links (nlp/links.py) use it."""
    tokens = name.split()
    forms = {name, *aliases}
    if first_name and tokens:
        forms.add(tokens[0])
    if len(tokens) > 1:
        forms.add(f"{tokens[0]} {tokens[-1][0]}.")
    return {form for form in forms if form.strip()}


def normalise_forms(known_people: Iterable[str] | None) -> tuple[str, ...]:
    """Sorted, de-duplicated, stripped forms; empty strings and non-strings dropped."""
    if not known_people:
        return ()
    if isinstance(known_people, str):
        raise TypeError("known_people must be an iterable of names, not one string")
    forms = {" ".join(p.split()) for p in known_people if isinstance(p, str) and p.strip()}
    return tuple(sorted(forms))


def _fold_aligned(text: str) -> str:
    """`fold` character by character, so offsets in the result are offsets in `text`."""
    out = []
    for ch in text:
        folded = fold(ch)
        out.append(folded if len(folded) == 1 else ch.lower()[:1] or ch)
    return "".join(out)


def _alternation(forms: list[str]) -> str:
    parts = sorted(
        {r"\s+".join(re.escape(w) for w in f.split()) for f in forms}, key=len, reverse=True
    )
    return "|".join(parts)


class PeopleMatcher:
    """Finds known forms in a text: `find(text)` -> sorted, non-overlapping (start, end)."""

    def __init__(self, forms: tuple[str, ...]):
        initials = [f for f in forms if _INITIALS.match(f)]
        names = [fold(f) for f in forms if not _INITIALS.match(f)]
        self.initials = (
            re.compile(rf"(?<!\w)(?:{_alternation(initials)})(?!\w)") if initials else None
        )
        self.names = re.compile(rf"(?<!\w)(?:{_alternation(names)})(?!\w)") if names else None
        common = common_words() if names else frozenset()
        self.capital_only = frozenset(n for n in names if " " not in n and n in common)

    def find(self, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        if self.initials is not None:
            spans += [m.span() for m in self.initials.finditer(text)]
        if self.names is not None:
            for match in self.names.finditer(_fold_aligned(text)):
                if match.group() in self.capital_only and not text[match.start()].isupper():
                    continue
                spans.append(match.span())
        chosen: list[tuple[int, int]] = []
        for start, end in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            if chosen and start < chosen[-1][1]:
                continue  # overlaps a longer (or earlier) match
            chosen.append((start, end))
        return chosen


@lru_cache(maxsize=8)
def people_matcher(forms: tuple[str, ...]) -> PeopleMatcher | None:
    """The matcher for these normalised forms (None when there are none), built once."""
    return PeopleMatcher(forms) if forms else None
