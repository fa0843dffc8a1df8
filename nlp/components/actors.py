"""Who decided: actor mentions inside one decision sentence.

Returns MENTIONS, not people: `{"text", "kind": person|role|pronoun|body, "role",
"refers_to"}`. The caller resolves them through the directory (a `body`, an institution
outside the meeting found by `nlp.components.bodies`, is never a person). Rules, in order:

1. Role mentions (`silo_roles` spans) and person names: known people from the directory
   (always), runs of capitalised words that are not common words (on French, the model's
   PER entities and PROPN tags help). A capitalised word right after a noun like `client`,
   `customer`, `outil` (`le client Orano`) or before a noun it qualifies is not a person.
   A capitalised word that opens a clause (sentence start, after `:`, `–`, `|`, `;`) is a
   name only with evidence (a following cue verb, `:`, `(`, a second name word...).
2. A mention counts as an actor when it is
   - EXPLICIT: the agent (`par`, `by`, `per`; not after `demandé par`, `requested by`),
     the one a decision noun names (`Décision de Marie`, `the CFO's decision`, `Marie's
     call`), a trailing speaker or attribution (`, annonce le DG.`, `(Marie)`), a
     signature closing the text (`— F. Zahra, DAF`);
   - or on the SUBJECT side of a cue (before it, not after a preposition like `de`,
     `pour`, `with`, and not separated from it by a clause boundary `:` `–` `—` `|` `;`,
     so `CODIR Brocly : Sofiane a tranché` gives Sofiane, not Brocly), or the one a request
     idiom names (`à la demande du DG`), or a co-decider (`décidé avec Marc`).
   When an explicit actor exists, subject-side guesses are dropped (`Ticket refusé par le
   PO` gives the PO). A mention right before a colon at a clause start (`Marie : validé`)
   is kept only when it is a role or looks like a person name.
3. `Marie: on part sur Postgres` makes the speaker the actor when the sentence names nobody.
4. `il`/`elle`/`he`/`she` before the cue refers back to the one person named just before
   in the same text; with no such person, nothing is returned.
5. With a directory (`directory=True`: the caller passed known people), a person name that
   is not a known form is kept only in an explicit slot and when it looks like a full name
   (`Paul Leroy`, `A. Nguyen`, `Mr Okoye`); a single unknown first name is dropped.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from nlp.components.bodies import body_spans
from nlp.resources import ActorWords, BodyWords
from nlp.text import fold, fold_word, is_acronym

# The word lists (prepositions, decider nouns, words that are never names...) are data:
# `nlp/lexicons/<lang>/actors.json`, loaded as `ActorWords` by the silo_decisions factory.
# What stays here is punctuation and labels, the same in every language.
COLLECTIVE_ROLES = {"board"}  # a role id: "le COMEX valide" is the meeting deciding
# Tokens that end a clause: a mention on one side is not the subject of a cue on the other.
CLAUSE_BOUNDARIES = {":", "–", "—", "|", ";", "-", "--"}
DASHES = ("—", "–", "-", "--")
NON_PERSON_ENTS = {"ORG", "PRODUCT", "FAC"}  # NER calls many first names MISC or LOC
_DOTTED_INITIALS = re.compile(r"[A-ZÀ-Ý]\.(?:-?[A-ZÀ-Ý]\.){1,2}")  # A.N., J.-M.
_TRAILING_ATTRIBUTION = re.compile(r"[(\[—–-]\s*$|[,;:]\s*$")


def _is_initial(token) -> bool:
    """`A.`, `J.`: the initial of a first name (`A. Nguyen`)."""
    text = token.text
    return len(text) == 2 and text[0].isupper() and text[1] == "."


def _opens_clause(doc, i: int, sent: Span) -> bool:
    """Token i starts the sentence, a bullet or a clause (after `:`, `–`, `|`, `;`)."""
    return (
        i == sent.start
        or doc[i - 1].text in CLAUSE_BOUNDARIES
        or doc[i - 1].text in ("*", "•", "#", ">")
    )


# Adverbs by their ending (`Ryan: Conservatively agreed`, `Finalement validé`): never names.
_ADVERB = re.compile(
    r"^[a-z]{4,}(?:ally|ively|ately|ously|ently|antly|edly|fully|ingly|ement|amment|emment)$"
)


def _not_name_word(text: str, words: ActorWords, not_names: frozenset) -> bool:
    """A common word (or its plural, `Priorités`) or an adverb, never a name."""
    folded = fold(text)
    if _ADVERB.match(folded):
        return True
    singular = folded[:-1] if folded.endswith("s") and len(folded) > 3 else folded
    return any(w in words.not_names or w in not_names for w in (folded, singular))


def _is_name_token(token, words: ActorWords, not_names: frozenset = frozenset()) -> bool:
    text = token.text
    if _DOTTED_INITIALS.fullmatch(text):
        return True  # `A.N.`, `J.P.`: someone's initials
    parts = text.split("-")  # `Jean-Baptiste`, `Pierre-Louis`: one token, one name
    if not (all(p[:1].isupper() and p.isalpha() for p in parts)) or _not_name_word(
        text, words, not_names
    ):
        return False
    if token.ent_type_ in NON_PERSON_ENTS:
        return False
    if (len(text) > 1 and text.isupper()) or is_acronym(text):  # `CTO`, `PRs`: not names
        return False
    if any(c.isupper() for part in parts for c in part[2:]) and not text.startswith(
        words.name_prefixes
    ):
        return False  # `TypedDict`, `GitLab`: identifiers and products, not names
    return True


def _short_name_part(token, not_names: frozenset) -> bool:
    """`An` in `Nguyen Van An`: inside a name run, a short capitalised word (a function
    word only elsewhere) continues the name unless it is a cue or lexicon word."""
    text = token.text
    return (
        2 <= len(text) <= 3
        and text[0].isupper()
        and text[1:].islower()
        and text.isalpha()
        and fold(text) not in not_names
    )


def _cue_follows(doc, j: int, cue_token: int | None, words: ActorWords) -> bool:
    """The cue comes right after the name run, or after at most three `cue_gap_words`
    (`Ingrid just said no`, `Camille vient de dire non`, `JB a passé`)."""
    if cue_token is None or cue_token < j or cue_token - j > 3:
        return False
    return all(fold_word(t.text) in words.cue_gap_words for t in doc[j:cue_token])


def _initials_deciding(
    doc, i: int, sent: Span, cue_token: int | None, words: ActorWords, not_names: frozenset
) -> bool:
    """`JB approved`, `MD a validé`: 2-3 capitals (not a known acronym or cue word) right
    before the cue or its auxiliary are someone's initials; after an article (`The SC
    accepted`, `le CA a validé`) they are a body's, not a person's."""
    text = doc[i].text
    if (
        not (2 <= len(text) <= 3 and text.isalpha() and text.isupper())
        or fold(text) in words.not_names
        or fold(text) in not_names
        or i + 1 >= sent.end
        or (i > sent.start and fold_word(doc[i - 1].text) in words.articles)
    ):
        return False
    return i + 1 == cue_token or (
        fold_word(doc[i + 1].text) in words.clause_verbs and i + 2 == cue_token
    )


def _is_thing(doc, start: int, end: int, sent: Span, words: ActorWords) -> bool:
    """`le client Orano`, `The Zendesk migration`: a company, product or plan name.

    People take no article in English or French, so an article right before the
    capitalised word also marks a thing."""
    before = doc[start - 1] if start > sent.start else None
    after = doc[end] if end < sent.end else None
    if before is not None and fold_word(before.text) in words.thing_nouns | words.articles:
        return True
    return (
        after is not None
        and fold_word(after.text) in words.thing_nouns
        and (before is None or fold_word(before.text) in words.determiners)
    )


def person_spans(
    sent: Span,
    words: ActorWords,
    known: list[tuple[int, int]] | None = None,
    cue_token: int | None = None,
    not_names: frozenset = frozenset(),
) -> list[tuple[int, int]]:
    """(start, end) token offsets (doc-level) of person names in the sentence.

    `known`: token spans of known people (directory forms); always names, and a heuristic
    name run that overlaps one gives way to it unless it contains it (`Marie Dupont`
    contains the known `Marie`).
    `not_names`: folded words that are never names (lexicon terms, cue words).
    A title (`M.`, `Mme`, `Dr`) before a name and an initial after it (`Claire D.`)
    belong to the name.
    """
    known_here = [(s, e) for s, e in known or () if sent.start <= s and e <= sent.end]
    found = [
        span
        for span in _heuristic_names(sent, words, cue_token, not_names)
        if not any(
            s < span[1] and span[0] < e and not (span[0] <= s and e <= span[1])
            for s, e in known_here
        )
    ]
    covered = [span for span in found if any(span[0] <= s and e <= span[1] for s, e in known_here)]
    found += [(s, e) for s, e in known_here if not any(c[0] <= s and e <= c[1] for c in covered)]
    return sorted(set(found))


def _heuristic_names(
    sent: Span, words: ActorWords, cue_token: int | None, not_names: frozenset
) -> list[tuple[int, int]]:
    """Capitalised-word runs that look like person names (see `person_spans`)."""
    doc = sent.doc
    per_ents = {(e.start, e.end) for e in doc.ents if e.label_ in ("PER", "PERSON")}
    found: list[tuple[int, int]] = []
    i = sent.start
    while i < sent.end:
        token = doc[i]
        titled = (
            (token.text in words.titles or _is_initial(token))
            and i + 1 < sent.end
            and _is_name_token(doc[i + 1], words, not_names)
        )
        if not titled and not _is_name_token(token, words, not_names):
            if _initials_deciding(doc, i, sent, cue_token, words, not_names):
                found.append((i, i + 1))  # `JB approved ...`
            i += 1
            continue
        if not titled and fold_word(token.text) in words.org_heads:  # `Clinique des Lilas`
            i += 1
            while i < sent.end and (
                _is_name_token(doc[i], words, not_names) or doc[i].lower_ in words.name_joiners
            ):
                i += 1
            continue
        j = i + 2 if titled else i + 1
        while j < sent.end:
            if _is_name_token(doc[j], words, not_names):
                j += 1
            elif (
                doc[j].lower_ in words.name_joiners
                and j + 1 < sent.end
                and (
                    _is_name_token(doc[j + 1], words, not_names)
                    or (doc[j].text[0].isupper() and _short_name_part(doc[j + 1], frozenset()))
                )
            ):
                j += 2  # `Marie de Villiers`, `Nguyen Van An`
            elif len(doc[j].text) == 2 and doc[j].text[0].isupper() and doc[j].text[1] == ".":
                j += 1  # an initial: "Claire D."
            elif _short_name_part(
                doc[j], frozenset() if doc[j - 1].lower_ in words.name_joiners else not_names
            ):
                j += 1  # "Nguyen Van An": a short part after a name word
            elif (
                doc[j].text == "-"
                and not doc[j - 1].whitespace_
                and j + 1 < sent.end
                and not doc[j].whitespace_
                and _is_name_token(doc[j + 1], words, not_names)
            ):
                j += 2  # a compound first name: "Anne-Sophie"
            else:
                break
        nxt = doc[j] if j < sent.end else None
        if _opens_clause(doc, i, sent):
            # A capitalised first word is a name only with some evidence.
            evidence = (
                titled
                or j - i > 1
                or _cue_follows(doc, j, cue_token, words)
                or (i, j) in per_ents
                or token.pos_ == "PROPN"
                or (
                    nxt is not None
                    and (nxt.text in (":", ",", ")", "(") or nxt.lower_ in words.name_followers)
                )
            )
            if _possessive_decision(doc, j, sent, words):
                evidence = True  # "Nina's call: ..."
            if i > 0 and doc[i - 1].text in DASHES and all(t.is_punct for t in doc[j : sent.end]):
                evidence = True  # a signature closing the line: "... — Lina"
            if (
                nxt is not None
                and fold_word(nxt.text) in words.prepositions
                and nxt.lower_ != "a"
                and not titled
                and (i, j) not in per_ents
            ):
                evidence = False  # "Achat de la licence", "Upgrade of the runtime"
            if not evidence:
                i = j
                continue
        if not titled and _is_thing(doc, i, j, sent, words):
            i = j
            continue
        if nxt is not None and fold_word(nxt.text) in words.qualified_nouns and j - i == 1:
            i = j  # `Irrevocable decision`, `Premium SLA`
            continue
        found.append((i, j))
        i = j
    return found


def _role_of(span: Span) -> str | None:
    return span.id_ or None


def _decider_noun(doc, start: int, sent: Span, words: ActorWords) -> str:
    """The folded word before the preposition and determiners that precede `start`."""
    word = start - 2
    while word > sent.start and fold_word(doc[word].text) in words.determiners:
        word -= 1
    return fold_word(doc[word].text) if word >= sent.start else ""


def _names_the_decider(doc, start: int, sent: Span, words: ActorWords) -> bool:
    """After a preposition, the mention still decided: `Décision de Marie`, `à la demande
    du DG`, `at the request of Anna`, `décidé avec Marc`."""
    prep = start - 1
    noun = _decider_noun(doc, start, sent, words)
    if noun in words.request_nouns:
        return _request_idiom(doc, start, sent, words)
    if noun in words.decider_nouns:
        return True
    return (
        fold_word(doc[prep].text) in words.with_
        and prep > sent.start
        and fold_word(doc[prep - 1].text) in words.decided_with
    )


def _request_idiom(doc, start: int, sent: Span, words: ActorWords) -> bool:
    """`à la demande de`, `sur proposition du`, `at the request of`: the word before the
    request noun (and its determiners) is one of `request_idioms`."""
    word = start - 2
    while word > sent.start and fold_word(doc[word].text) in words.determiners:
        word -= 1
    word -= 1  # before the noun
    while word > sent.start and fold_word(doc[word].text) in words.articles:  # not `a`: it is `à`
        word -= 1
    return word >= sent.start and fold_word(doc[word].text) in words.request_idioms


def _passive_before(doc, end: int, cue: int, words: ActorWords) -> bool:
    """A `be` auxiliary between the mention and its cue (`Cypress est abandonné`)."""
    return any(fold_word(doc[k].text) in words.passive_aux for k in range(end, min(cue, end + 3)))


def _possessive_decision(doc, end: int, sent: Span, words: ActorWords) -> bool:
    """`the CFO's decision`, `Marie's call`."""
    if end + 1 >= sent.end or doc[end].text not in ("'s", "’s"):
        return False
    return fold_word(doc[end + 1].text) in words.possessed_decisions


def _trailing_speaker(doc, start: int, end: int, sent: Span, words: ActorWords) -> bool:
    """`..., annonce le DG.` / `..., the CEO announced.`: the mention closes the sentence
    with a speech verb, after a comma."""
    rest = [t for t in doc[end : sent.end] if not t.is_punct]
    before = doc[start - 1] if start > sent.start else None
    if before is not None and fold_word(before.text) in words.speech_verbs and not rest:
        return start - 2 >= sent.start and doc[start - 2].text == ","
    return (
        before is not None
        and before.text == ","
        and len(rest) == 1
        and fold_word(rest[0].text) in words.speech_verbs
    )


def _signature_start(sent: Span, candidates: list[tuple[int, int, str, str | None]]) -> int:
    """Token where a closing signature starts (`— F. Zahra, DAF`, `— Greg (CFO)`), else -1.

    A signature is a spaced dash followed only by mentions and `,` `(` `)` `.`; the dash
    may end the sentence before (the sentencizer cuts `... this year. — Greg (CFO)` after
    the dash), then the signature starts at the sentence start."""
    doc = sent.doc
    first = sent.start - 1 if sent.start > 0 and doc[sent.start - 1].text in DASHES else sent.start
    for k in range(sent.end - 1, first - 1, -1):
        if doc[k].text in DASHES and (k == 0 or doc[k - 1].whitespace_):
            covered = {i for s, e, _, _ in candidates if s > k for i in range(s, e)}
            rest = range(k + 1, sent.end)
            if covered and all(i in covered or doc[i].text in ",().;" for i in rest):
                return max(k, sent.start)
            return -1
    return -1


def _in_aside(doc, start: int, end: int, sent: Span, ends: set[int]) -> bool:
    """The mention sits inside a parenthesis before the cue (`PEP 689 (Unstable C API tier)
    ... decided`, `PEP 713 (Callable Modules) ... decided`): an aside, not the subject. Not
    when the parenthesis follows another mention (`ends`: where mentions end), an apposition
    (`Karim (lead dev) a rejeté`, `La DAF (Isabelle) a validé`)."""
    opened = next(
        (k for k in range(start - 1, sent.start - 1, -1) if doc[k].text in ("(", ")")), None
    )
    if opened is None or doc[opened].text != "(" or opened in ends:
        return False
    closed = next((k for k in range(end, sent.end) if doc[k].text in ("(", ")")), None)
    return closed is not None and doc[closed].text == ")"


def _boundary_between(doc, start: int, end: int, words: ActorWords) -> bool:
    """A clause boundary between the mention ending at `start` and the cue at `end`,
    unless the mention is followed by its own verb (`Jérôme a fermé #412 : ...`)."""
    if start < len(doc) and (
        doc[start].pos_ in ("VERB", "AUX") or fold_word(doc[start].text) in words.clause_verbs
    ):
        return False
    return any(doc[k].text in CLAUSE_BOUNDARIES for k in range(start, end))


def person_shaped(text: str, words: ActorWords, not_names: frozenset = frozenset()) -> bool:
    """`Marie`, `Paul Leroy`, `A. Nguyen`, `Mme Lefebvre`: one to three name words, each
    a capital then lower-case letters (or an initial or a title), none a common word."""
    name_words = text.replace("*", "").split()
    if not 1 <= len(name_words) <= 3:
        return False
    for word in name_words:
        if word in words.titles or re.fullmatch(r"[A-ZÀ-Ý]\.", word):
            continue
        if not re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?", word):
            return False
        if fold(word) in words.not_names or fold(word) in not_names:
            return False
    return True


def _full_name(text: str) -> bool:
    """Two name words or more, or an initial or title with a name (`A. Nguyen`, `Mr Okoye`)."""
    return len(text.split()) >= 2


def _candidates(
    sent: Span,
    words: ActorWords,
    cue_start: int | None,
    not_names: frozenset,
    known: list[tuple[int, int]] | None,
    bodies: BodyWords | None = None,
    own_body: tuple[str, ...] = (),
) -> list[tuple[int, int, str, str | None]]:
    """(start, end, kind, role) of every outside body, role mention and person name in the
    sentence (a body's words are neither a role nor a person)."""
    doc = sent.doc
    candidates: list[tuple[int, int, str, str | None]] = []
    roles = [s for s in doc.spans.get("ROLE_MENTION", []) if sent.start <= s.start < sent.end]
    collective = frozenset(
        i for s in roles if s.id_ in COLLECTIVE_ROLES for i in range(s.start, s.end)
    )
    outside = body_spans(sent, bodies, own_body, collective) if bodies else []
    candidates += [(s, e, "body", None) for s, e in outside]
    taken = {i for s, e in outside for i in range(s, e)}
    for span in roles:
        if span.id_ in COLLECTIVE_ROLES:  # "le COMEX valide": the meeting itself decided
            continue
        if not taken.intersection(range(span.start, span.end)):
            candidates.append((span.start, span.end, "role", _role_of(span)))
    taken |= {i for s in roles for i in range(s.start, s.end)}
    for start, end in person_spans(
        sent, words, known=known, cue_token=cue_start, not_names=not_names
    ):
        while start < end and start in taken:  # `Head of Engineering Maya Chen`
            start += 1
        if start < end and not taken.intersection(range(start, end)):
            candidates.append((start, end, "person", None))
    return sorted(candidates)


def signature_actors(
    sent: Span,
    words: ActorWords,
    not_names: frozenset = frozenset(),
    known: list[tuple[int, int]] | None = None,
    directory: bool = False,
    bodies: BodyWords | None = None,
) -> list[dict]:
    """Mentions of a sentence that is only a signature (`— Greg (CFO)` after the decision
    sentence), else []."""
    candidates = _candidates(sent, words, None, not_names, known, bodies)
    if _signature_start(sent, candidates) != sent.start:
        return []
    known_spans = set(known or ())
    return [
        {
            "text": sent.doc[s:e].text,
            "kind": kind,
            "role": role,
            "refers_to": None,
            "start": s,
            "end": e,
        }
        for s, e, kind, role in candidates
        if not (
            directory
            and kind == "person"
            and (s, e) not in known_spans
            and not _full_name(sent.doc[s:e].text)
        )
    ]


def find_actors(
    sent: Span,
    words: ActorWords,
    cue_start: int,
    speaker: str | None,
    previous_person: str | None,
    not_names: frozenset = frozenset(),
    known: list[tuple[int, int]] | None = None,
    cue_tokens: tuple[int, ...] = (),
    directory: bool = False,
    bodies: BodyWords | None = None,
    own_body: tuple[str, ...] = (),
) -> list[dict]:
    """Actor mentions for the decision in `sent` whose cue starts at token `cue_start`.

    `known`: token spans of known people in the doc (see `person_spans`).
    `cue_tokens`: first tokens of the other status cues in the sentence (`on go sur
    Sentry, c'est Mehdi qui a validé`: Mehdi is the subject of the later cue).
    `directory`: the caller passed known people, so unknown names need more evidence.
    `bodies`, `own_body`: outside bodies are found (`nlp.components.bodies`) with these word
    lists, the meeting's own headings staying the meeting."""
    doc = sent.doc
    prepositions = words.prepositions - words.agents
    agents = words.agents
    cues = sorted({cue_start, *cue_tokens})
    candidates = _candidates(sent, words, cue_start, not_names, known, bodies, own_body)
    signature = _signature_start(sent, candidates)
    known_spans = set(known or ())
    ends = {e for _, e, _, _ in candidates}
    found: list[tuple[dict, bool]] = []  # (actor, explicit)
    for start, end, kind, role in candidates:
        before = doc[start - 1] if start > sent.start else None
        head_word = fold_word(before.text) if before is not None else ""
        explicit = ok = False
        if signature >= 0 and start >= signature:
            explicit = True
        elif _possessive_decision(doc, end, sent, words) or _trailing_speaker(
            doc, start, end, sent, words
        ):
            explicit = True
        elif (
            head_word == "("
            and end < sent.end
            and doc[end].text.startswith(")")
            and _decider_noun(doc, start, sent, words) in words.strong_decider_nouns
        ):
            explicit = True  # `Decision (Carlos Ruiz): ...`
        elif head_word in agents:
            asked = start - 2 >= sent.start and fold_word(doc[start - 2].text) in words.requested
            # the agent of a passive cue follows it (`rejected by X`); a `by` before every
            # cue is another verb's (`PEP 649 by Larry Hastings ... decided`)
            explicit = not asked and any(c < start for c in cues)
        elif head_word in prepositions:
            if _names_the_decider(doc, start, sent, words):
                explicit = _decider_noun(doc, start, sent, words) in words.strong_decider_nouns
                ok = True
        elif not _in_aside(doc, start, end, sent, ends) and any(
            start < c
            and not _boundary_between(doc, end, c, words)
            and not _passive_before(doc, end, c, words)
            for c in cues
        ):
            ok = True  # subject side of a cue, in the same clause
        elif (
            _opens_clause(doc, start, sent)
            and end < sent.end
            and doc[end].text == ":"
            and end < cue_start
        ):
            # `Marie : validé`: a speaker at a clause start; `CR COPIL :` is a heading.
            ok = (
                kind == "role"
                or (start, end) in known_spans
                or person_shaped(doc[start:end].text, words, not_names)
            )
        elif start >= cue_start:  # after the cue: only a trailing attribution `(Marie)`
            prefix = doc[sent.start : start].text if start > sent.start else ""
            rest = doc[end : sent.end].text.strip(" .)]")
            explicit = bool(_TRAILING_ATTRIBUTION.search(prefix)) and not rest.strip(" .,;:)")
        if (
            directory
            and kind == "person"
            and (start, end) not in known_spans
            and not (explicit and _full_name(doc[start:end].text))
        ):
            continue  # an unknown name: only a full name in an explicit slot
        if ok or explicit:
            found.append(
                (
                    {
                        "text": doc[start:end].text,
                        "kind": kind,
                        "role": role,
                        "refers_to": None,
                        "start": start,
                        "end": end,
                    },
                    explicit,
                )
            )
    if any(explicit for _, explicit in found):
        actors = [a for a, explicit in found if explicit]
    else:
        actors = [a for a, _ in found]
    if not actors:
        for token in doc[sent.start : cue_start]:
            if fold_word(token.text) in words.pronouns and previous_person:
                actors.append(
                    {
                        "text": token.text,
                        "kind": "pronoun",
                        "role": None,
                        "refers_to": previous_person,
                        "start": token.i,
                        "end": token.i + 1,
                    }
                )
                break
    if not actors and speaker:
        actors.append(
            {
                "text": speaker,
                "kind": "person",
                "role": None,
                "refers_to": None,
                "start": None,
                "end": None,
            }
        )
    return actors
