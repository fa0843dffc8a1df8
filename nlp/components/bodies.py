"""Outside bodies: an institution that is not the meeting, named as a decision's actor.

A municipal council, a town hall, a ministry, a foundation, another association's board
decides (`le conseil municipal a voté ...`, `la mairie a refusé ...`, `The OpenJS Foundation
board approved ...`): the decision is that body's (actor kind `body`), not the meeting's and
not a person's. The rule is a shape over closed word lists (`lexicons/<lang>/bodies.json`):

    [determiner] [qualifiers / capitalised names] HEAD [qualifiers] [de|of + complement]

- HEAD in `outside_heads` (`mairie`, `ministère`, `city`, `foundation`) is outside even bare;
- HEAD in `body_heads` (`conseil`, `commission`, `council`, `board`) only when qualified: an
  adjective of `qualifiers` (`municipal`, `city`), a complement or premodifier holding an
  institution noun (`le bureau de l'association X`, `the OpenJS Foundation board`), or, when
  the head is not part of a generic collective (`roles.jsonl`'s `board`: COMEX, CA, TSC,
  steering council), a capitalised name (`la commission Culture`).
The meeting's own body stays the meeting: a generic collective with only a name
(`the Python Steering Council`), a possessive (`notre conseil`, `our board`), or the body
the meeting's top heading starts with (`own_body`: `Conseil municipal du 6 décembre` makes
`le conseil municipal` the meeting itself).
"""

from __future__ import annotations

from spacy.tokens import Span

from nlp.resources import BodyWords
from nlp.text import fold, fold_word


def _capitalised(token) -> bool:
    text = token.text
    return text[:1].isupper() and any(c.isalpha() for c in text)


def _own(content: list[str], own_body: tuple[str, ...]) -> bool:
    """The body's words (folded, no determiner) open one of the meeting's own headings."""
    phrase = " ".join(content)
    return any(own == phrase or own.startswith(phrase + " ") for own in own_body)


def body_spans(
    sent: Span,
    bodies: BodyWords,
    own_body: tuple[str, ...] = (),
    collective: frozenset[int] = frozenset(),
) -> list[tuple[int, int]]:
    """(start, end) token offsets (doc-level) of the outside bodies named in the sentence.

    `own_body`: folded top headings of the unit (the meeting's own body when one starts with
    the body's words). `collective`: token indices inside a generic collective role span."""
    doc = sent.doc
    heads = bodies.outside_heads | bodies.body_heads
    found: list[tuple[int, int]] = []
    i = sent.start
    while i < sent.end:
        if fold_word(doc[i].text) not in heads:
            i += 1
            continue
        start, end = i, i + 1
        named = adjective = institution = False
        # before the head: qualifiers (`the city council`), names after an article (`the
        # OpenJS Foundation board`; not `CR comité archi :`, a heading's abbreviation)
        while start > sent.start and fold_word(doc[start - 1].text) in bodies.qualifiers:
            adjective, start = True, start - 1
        left = start
        while (
            left > sent.start
            and fold_word(doc[left - 1].text) not in bodies.determiners
            and (_capitalised(doc[left - 1]) or fold_word(doc[left - 1].text) in bodies.qualifiers)
        ):
            left -= 1
        if left < start and left > sent.start:
            if fold_word(doc[left - 1].text) in bodies.determiners - bodies.own_markers:
                named = True
                institution |= any(fold_word(t.text) in heads for t in doc[left:start])
                adjective |= any(fold_word(t.text) in bodies.qualifiers for t in doc[left:start])
                start = left
        # after the head: more head nouns (`Foundation board`, `city council`: the last is
        # the head), qualifiers (`conseil municipal`), names (`la commission Culture`), a
        # `de`/`of` complement
        while end < sent.end:
            word = fold_word(doc[end].text)
            if word in heads:
                institution |= fold_word(doc[end - 1].text) in heads
                adjective |= fold_word(doc[end - 1].text) in bodies.qualifiers
                i = end
            elif word in bodies.qualifiers:
                adjective = True
            elif _capitalised(doc[end]) and word not in bodies.complement_preps:
                named = True
            else:
                break
            end += 1
        if end < sent.end and fold_word(doc[end].text) in bodies.complement_preps:
            k = end + 1
            while k < sent.end and fold_word(doc[k].text) in bodies.determiners:
                k += 1
            if k + 1 < sent.end and doc[k].text.isalpha() and _capitalised(doc[k + 1]):
                k += 1  # `de l'association Vélo Cité`: a common noun before the name
            tail = k
            while tail < sent.end and (
                _capitalised(doc[tail]) or fold_word(doc[tail].text) in heads | bodies.qualifiers
            ):
                institution |= fold_word(doc[tail].text) in heads
                named |= _capitalised(doc[tail])
                tail += 1
            if tail > k:
                end = tail
        head = fold_word(doc[i].text)
        before = fold_word(doc[start - 1].text) if start > sent.start else ""
        outside = (
            head in bodies.outside_heads
            or adjective
            or institution
            or (named and i not in collective)
        )
        content = [fold_word(t.text) for t in doc[start:end]]
        if outside and before not in bodies.own_markers and not _own(content, own_body):
            if before in bodies.determiners - bodies.complement_preps:
                start -= 1  # `le conseil municipal`: the article belongs to the mention
            found.append((start, end))
        i = end
    return found


def own_headings(heading: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """The folded top heading of a unit's heading path (`A > B` or a tuple), where the
    meeting's own body is named (`Conseil municipal du 6 décembre`), as `own_body`."""
    if not heading:
        return ()
    top = heading[0] if isinstance(heading, tuple) else heading.split(" > ")[0]
    return (fold(top).strip(),) if top.strip() else ()
