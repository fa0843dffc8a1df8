"""`silo_decisions`: sentences that record an arbitration, with status, domain and actors.

Runs in the full pipeline (French model, or blank English with a sentencizer) on the lines
that passed the cheap cue pre-filter. A sentence is a decision when it has a status cue
(`décidé`, `reporté`, `rejected`...) and no negative cue (question, proposal, `à décider`,
`pas de décision`, conditional wording, joke markers); on French, a verb in the
conditional mood (morphologizer `Mood=Cnd`) also rules it out.

Optional inputs in `doc._.silo_context` (character offsets in this doc): `people`, spans
of known people (`nlp.people`); `tech`, spans of tech terms (the domain falls back to
`technical` on a sentence with one when no domain keyword matches); `own_body`, folded
top headings naming the meeting's own body (`nlp.components.bodies.own_headings`).

`doc._.decisions`: list of dicts `{sentence, start_char, end_char, status, domain, actors,
attributed_to_meeting}`; spans in `doc.spans["DECISION"]` and `["DECISION_ACTOR"]`.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components import text_of
from nlp.components.actors import find_actors, person_shaped, person_spans, signature_actors
from nlp.resources import (
    STATUSES,
    DecisionRules,
    load_actor_words,
    load_body_words,
    load_decision_rules,
    load_terms,
)
from nlp.text import fold, fold_word, speaker_of


def _cues(folded: str, rules: DecisionRules) -> list[tuple[int, int, str]]:
    """Every status cue match as (start, end, status), earliest first (ties: STATUSES order)."""
    found = [
        (m.start(), m.end(), status)
        for status, pattern in rules.cue_candidates(folded)  # most text: none to run
        for m in pattern.finditer(folded)
    ]
    return sorted(found, key=lambda c: (c[0], STATUSES.index(c[2]), -c[1]))


HEADING_CHARS = 40  # `Décision du CPO :`: who decided, between the cue and its colon


def decision_status(folded: str, rules: DecisionRules) -> tuple[str, int] | None:
    """(status, offset of its cue) of the earliest cue in the sentence, else None.

    A taken cue that only introduces a postpone or reject cue (`decided to postpone`,
    `Décision : on reporte`, `validé le report`: only `cue_link` text between them, after
    a short heading up to a colon) gives way to it. A later postpone/reject cue elsewhere
    in the sentence (`Marie tranche : on livre A, B attendra`) does not change an earlier
    taken cue.
    """
    cues = _cues(folded, rules)
    if not cues:
        return None
    start, end, status = cues[0]
    if status == "taken" and rules.cue_link is not None:
        for next_start, _, next_status in cues[1:]:
            gap = folded[end:next_start]
            head, colon, rest = gap.partition(":")
            if colon and len(head) <= HEADING_CHARS:  # `Décision de Marie : report au T3`
                gap = rest
            if next_status != "taken" and next_start >= end and rules.cue_link.match(gap):
                return next_status, next_start
            if next_status != "taken" and next_start >= end and _announces(gap):
                return next_status, next_start
    return status, start


def _announces(gap: str) -> bool:
    """`Sofiane a tranché, le recrutement est repoussé`: the taken cue closes its clause
    (`,` or `:` right after it) and the next cue is in the very next clause, so that
    clause says what was decided. `Marie tranche : on livre A, B attendra` is not this
    (the clause after the colon ends before `attendra`), nor is `J-B a arbitré, A sort en
    juillet et B attendra` (a clause with its own verb comes first: at most 8 words and no
    `et`/`and` between the boundary and the next cue)."""
    match = re.match(r"([^,:]*)[,:](.*)$", gap, re.S)
    if not match:
        return False
    head, rest = match.groups()
    return (
        len(head.split()) <= 1
        and len(rest.split()) <= 8
        and not re.search(r"[,:;|]|\b(et|and|mais|but)\b", rest)
    )


# `decided that we would send out ballots`: `would` reported after a decision cue is the
# sequence of tenses, not a hedge (French has the same exception through the parser's mood).
_REPORTED_WOULD = re.compile(
    r"(\b(?:decided|agreed|determined|concluded)\b(?: that)?(?: [\w'-]+){0,6}?) would\b"
)


def is_negated(folded: str, rules: DecisionRules) -> bool:
    """True when the sentence is a question, pending, conditional, a joke or a proposal.

    A proposal word (`tentative`) does not count when the sentence says the proposal was
    ruled on (`Proposal to swap the ORM rejected`, `sur proposition de la DAF, décidé`).
    """
    folded = _REPORTED_WOULD.sub(r"\1 will", folded)
    if any(p.search(folded) for p in rules.not_decision):
        return True
    return any(p.search(folded) for p in rules.tentative) and not any(
        p.search(folded) for p in rules.ruled_on
    )


# `CR comité archi : ...`, `Security council: ...`, `Ledgerly eng sync, 3 Mar — ...`: a short
# heading names the meeting, not what was arbitrated.
_HEADING = re.compile(r"^[^:|—–]{0,60}?(?::|\s[—–|])\s")
# `ROUT-77 `, `SHOP-1412: `: a ticket key names the item, it is no domain evidence.
_TICKET_KEY = re.compile(r"^\s*[a-z][a-z0-9]*-\d+\s*:?\s*")
# `validée en comité archi`, `as agreed in the payments guild`, `per the security council
# decision`: where the decision was taken, not what it is about.
_VENUE = re.compile(
    r"\b(en|au|du|par le|lors du|in|at|by|per|from) (the |our |le |la )?([\w-]+ ){0,3}?"
    r"(comite|committee|council|guild|review|revue|reunion|meeting|sync|codir|comex|copil)"
    r"( [\w-]+)?\b"
)
# Where the clause that carries the cue ends: what follows is a reason or a consequence
# (`Kubernetes écarté : trop lourd pour une équipe de quatre`, `..., budget épuisé`).
_CLAUSE_END = re.compile(
    r"[,;:|(]|\s[—–-]\s|\b(car|parce que|faute de|because|since|due to|after|apres)\b"
)
# A cue that opens with its own subject (`on reporte`, `we drop`) starts a new clause: the
# heading before it is a meeting title, not the thing decided.
_SUBJECT = re.compile(r"(on|nous|we|i|je|they|ils)\b")
# What may follow a cue in a heading that only labels the line with its maker or venue:
# `Décision de l'équipe infra :`, `Validé par l'équipe archi :`, `Decision from our CTO:`.
_LABEL = re.compile(
    r"\s*(((de|du|des|d'|par|by|from|of|l'|la|le|les|the|our|notre)\b|\(|\w+ ?:).*)?[:|—–]?\s*$"
)
HEADING_WORDS = 7


def _clause(text: str, rules: DecisionRules) -> tuple[str, str]:
    """(`text` up to the end of the clause of its first cue, the rest)."""
    cues = _cues(text, rules)
    end = _CLAUSE_END.search(text, cues[0][1] if cues else 0)
    stop = end.start() if end else len(text)
    return text[:stop], text[stop:]


def _hits(text: str, rules: DecisionRules) -> dict[str, int]:
    """Keyword hits per domain in `text` (each pattern counts once)."""
    return {d: sum(1 for p in rules.domains[d] if p.search(text)) for d in rules.domain_order}


def object_parts(folded: str, rules: DecisionRules) -> tuple[str, str, str]:
    """(object, fallback object, context) of a decision sentence, by weight.

    The object says what was decided; the context (meeting heading, venue, reasons and
    consequences after the cue's clause) says where and why. A ticket key is dropped.
    A short heading (up to a colon, dash or bar) is:
    - context when it is a cue with its maker (`Décision de la DAF :`, `Validé par X :`);
    - the object when it holds the cue (`Kubernetes écarté : trop lourd...`, `Reporté à la
      v5 : ...`, `Priorité abaissée à P3 : ...`); the first clause after it is the fallback
      (`Décision : le chantier X passe en P1`);
    - part of the object when the text after it starts with a bare cue (`Refonte du
      tunnel : repoussée`, `SSH access for the vendor: vetoed`);
    - otherwise context (`Comité produit : on reporte X`, `Security council: Kwame ...`).
    The venue (`validé en comité archi`, `as agreed in the guild`) is always context.
    """
    text = _TICKET_KEY.sub("", folded, count=1)
    heading = _HEADING.match(text)
    if not heading or len(heading.group().split()) > HEADING_WORDS:
        obj, rest = _clause(text, rules)
        return _VENUE.sub(" ", obj), "", rest
    head, after = text[: heading.end()], text[heading.end() :]
    head_cues = _cues(head, rules)
    if (
        head_cues
        and _LABEL.match(head[head_cues[0][1] :])
        and not any(_hits(head[: head_cues[0][1]], rules).values())  # `Priorité abaissée à P3 :`
    ):
        obj, rest = _clause(after, rules)  # `Décision de la DAF : ...`, `Validé par X : ...`
        return _VENUE.sub(" ", obj), "", head + rest
    if head_cues:
        obj, rest = _clause(after, rules)
        return _VENUE.sub(" ", head), _VENUE.sub(" ", obj), rest
    cues = _cues(after, rules)
    if cues and not after[: cues[0][0]].strip() and not _SUBJECT.match(after[cues[0][0] :]):
        obj, rest = _clause(after, rules)
        return _VENUE.sub(" ", head + obj), "", rest
    obj, rest = _clause(after, rules)
    return _VENUE.sub(" ", obj), "", head + rest


def decision_domain(folded: str, rules: DecisionRules, tech_terms: tuple[str, ...] = ()) -> str:
    """The domain of a decision from a small keyword model (`domains` in decisions.json).

    Scored on the parts of `object_parts` in turn (object, fallback object, context): the
    first part with a keyword hit decides, the domain with most hits there winning (ties
    by `domain_order`). A tech-lexicon term (`tech_terms`, folded) in an object part with
    no hit makes it technical. Nothing at all: `roadmap`."""
    obj, fallback, context = object_parts(folded, rules)
    for text in (obj, fallback, context):
        scores = _hits(text, rules)
        best = max(rules.domain_order, key=lambda d: (scores[d], -rules.domain_order.index(d)))
        if scores[best]:
            return best
        if text is not context and any(t and t in text for t in tech_terms):
            return "technical"
    return "roadmap"


# `Décision : aucune. Le sujet est renvoyé au prochain CODIR.`: a line that says no
# decision was made has no decision in its later sentences either.
NO_DECISION = re.compile(
    r"\bdecision\s*:\s*(aucune|none|neant|nothing)\b|"
    r"\b(pas de|aucune|no) decision\b"
)
COMPLEMENTISERS = {"que", "qu'", "that"}
# The small model tags some nouns as conditional verbs (`abonnement`): a conditional verb
# must also end like one.
CONDITIONAL_ENDINGS = ("rais", "rait", "rions", "riez", "raient")


def _conditional(sent: Span, cue_token: int) -> bool:
    """A verb in the conditional mood, except in a clause reported after the cue
    (`a décidé que les tickets seraient assignés`: sequence of tenses, not a hedge)."""
    doc = sent.doc
    for token in sent:
        if (
            token.pos_ in ("VERB", "AUX")
            and "Cnd" in token.morph.get("Mood")
            and fold_word(token.text).endswith(CONDITIONAL_ENDINGS)
        ):
            reported = token.i > cue_token and any(
                doc[k].lower_ in COMPLEMENTISERS for k in range(cue_token, token.i)
            )
            if not reported:
                return True
    return False


def _char_spans_to_tokens(doc: Doc, spans) -> list[tuple[int, int]]:
    """Token (start, end) of character spans given in the doc's context."""
    found = []
    for start, end in spans or ():
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            found.append((span.start, span.end))
    return found


class DecisionFinder:
    def __init__(
        self, lang: str, stop_words: frozenset = frozenset(), actor_words: str | None = None
    ):
        self.rules = load_decision_rules(lang)
        self.words = load_actor_words(lang, actor_words)
        self.bodies = load_body_words(lang)
        # Lexicon words (Redis, Premium...) and cue words (Validé) are never person names.
        words = {fold(w) for term in load_terms(lang) for v in term.variants for w in v.split()}
        self.not_names = (
            frozenset(w for w in words if not self.rules.has_cue(w))
            | self.words.cue_words
            | frozenset(fold(w) for w in stop_words)
        )

    def _speaker(
        self, text: str, known: list[tuple[int, int]], doc: Doc, directory: bool
    ) -> str | None:
        """The line's speaker when it is a known person or, without a directory, looks like
        a person name (not `Validé :`, `CR COPIL :`, `PAY-433 :`, `Weekly :`)."""
        speaker = speaker_of(text)
        if speaker is None:
            return None
        if speaker in {doc[s:e].text for s, e in known}:
            return speaker
        if directory or not person_shaped(speaker, self.words, self.not_names):
            return None
        return speaker

    def _domain(self, sent: Span, tech: list[tuple[int, int]]) -> str:
        """`decision_domain` on the sentence with role mentions blanked (`Head of Customer
        Success` is a person's title, not a customer matter)."""
        chars = list(sent.text)
        for span in sent.doc.spans.get("ROLE_MENTION", []):
            if sent.start <= span.start and span.end <= sent.end:
                for k in range(span.start_char - sent.start_char, span.end_char - sent.start_char):
                    chars[k] = " "
        terms = tuple(fold(text_of(sent.doc)[a:b]) for a, b in tech)
        return decision_domain(fold("".join(chars)), self.rules, terms)

    def _cue_tokens(self, sent: Span, folded: str) -> tuple[int, ...]:
        """First token of every status cue in the sentence."""
        tokens = []
        for start, _, _ in _cues(folded, self.rules):
            char = sent.start_char + start
            tokens.append(next((t.i for t in sent if t.idx + len(t.text) > char), sent.end))
        return tuple(tokens)

    def __call__(self, doc: Doc) -> Doc:
        context = doc._.silo_context or {}
        known = _char_spans_to_tokens(doc, context.get("people"))
        tech_chars = context.get("tech") or []
        directory = bool(context.get("directory"))
        own_body = tuple(context.get("own_body") or ())
        speaker = self._speaker(text_of(doc), known, doc, directory)
        decisions, decision_spans, actor_spans = [], [], []
        previous_person: str | None = speaker
        sentences = list(doc.sents)
        signature = (
            signature_actors(
                sentences[-1], self.words, self.not_names, known, directory, self.bodies
            )
            if len(sentences) > 1
            else []
        )
        no_decision_line = False
        for sent in sentences:
            folded = fold(sent.text)
            found = decision_status(folded, self.rules)
            cue_token = sent.end
            if found:
                cue_char = sent.start_char + found[1]
                cue_token = next((t.i for t in sent if t.idx + len(t.text) > cue_char), sent.end)
            if NO_DECISION.search(folded):
                no_decision_line = True
            if (
                found
                and not no_decision_line
                and not is_negated(folded, self.rules)
                and not _conditional(sent, cue_token)
            ):
                status = found[0]
                actors = find_actors(
                    sent,
                    self.words,
                    cue_token,
                    speaker,
                    previous_person,
                    self.not_names,
                    known,
                    self._cue_tokens(sent, folded),
                    directory,
                    self.bodies,
                    own_body,
                )
                if signature and (not actors or actors[0]["start"] is None):
                    actors = signature  # `Nope, not this year. — Greg (CFO)`
                decision_spans.append(Span(doc, sent.start, sent.end, label="DECISION"))
                for actor in actors:
                    if actor["start"] is not None:
                        actor_spans.append(
                            Span(doc, actor["start"], actor["end"], label="DECISION_ACTOR")
                        )
                tech_here = [(a, b) for a, b in tech_chars if sent.start_char <= a < sent.end_char]
                decisions.append(
                    {
                        "sentence": sent.text.strip(),
                        "start_char": sent.start_char,
                        "end_char": sent.end_char,
                        "status": status,
                        "domain": self._domain(sent, tech_here),
                        "actors": [
                            {k: a[k] for k in ("text", "kind", "role", "refers_to")} for a in actors
                        ],
                        "attributed_to_meeting": not actors,
                    }
                )
            names = person_spans(sent, self.words, not_names=self.not_names, known=known)
            if names:
                start, end = names[-1]
                previous_person = doc[start:end].text
        doc.spans["DECISION"] = decision_spans
        doc.spans["DECISION_ACTOR"] = actor_spans
        doc._.decisions = decisions
        return doc


@Language.factory("silo_decisions", default_config={"lang": "en", "actor_words": None})
def make_decisions(nlp: Language, name: str, lang: str, actor_words: str | None):
    """`actor_words`: a JSON file shaped like `nlp/lexicons/<lang>/actors.json` (None: that
    file) with the words of the actor rules."""
    return DecisionFinder(lang, frozenset(nlp.Defaults.stop_words), actor_words)
