"""Who decided: actor mentions inside one decision sentence.

Returns MENTIONS, not people: `{"text", "kind": person|role|pronoun, "role", "refers_to"}`.
The caller resolves them through the directory. Rules, in order:

1. Role mentions (`silo_roles` spans) and person names: known people from the directory
   (always), runs of capitalised words that are not common words (on French, the model's
   PER entities and PROPN tags help). A capitalised word right after a noun like `client`,
   `customer`, `outil` (`le client Orano`) or before a noun it qualifies is not a person.
2. A mention counts as an actor when it is the subject side of the decision (before the
   cue, not after a preposition like `de`, `pour`, `with`), the agent (`par`, `by`; not
   after `demandé par`, `requested by`), the one a decision noun or a request idiom
   names (`Décision de Marie`, `à la demande du DG`, `at the request of Anna`, `the CFO's
   decision`, `Marie's call`), the one decided with (`décidé avec Marc`), or a trailing
   attribution (`(Marie)`, `— CTO`).
3. `Marie: on part sur Postgres` makes the speaker the actor when the sentence names nobody.
4. `il`/`elle`/`he`/`she` before the cue refers back to the one person named just before
   in the same text; with no such person, nothing is returned.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from nlp.text import fold, is_acronym

PREPOSITIONS = {
    "fr": {"de", "d'", "du", "des", "pour", "avec", "a", "au", "aux", "chez", "sur", "vers",
           "contre", "selon", "entre", "sans", "envers"},
    "en": {"of", "for", "with", "to", "from", "at", "on", "about", "against", "between",
           "without", "towards", "per"},
}
COLLECTIVE_ROLES = {"board"}
AGENT = {"fr": {"par"}, "en": {"by"}}
# `Décision de Marie`, `à la demande du DG`, `at the request of Anna`: the noun before the
# preposition names a decision, so who follows it decided (or asked for it).
DECIDER_NOUNS = {
    "fr": {"decision", "decisions", "arbitrage", "demande", "proposition", "initiative",
           "validation", "accord", "choix", "instruction", "instructions", "consigne",
           "ordre", "requete", "feu", "go", "veto", "aval"},
    "en": {"decision", "decisions", "call", "request", "proposal", "initiative", "approval",
           "instruction", "instructions", "order", "orders", "ruling", "veto", "sign-off",
           "go-ahead", "behest", "direction"},
}
# `the CFO's decision`, `Marie's call` (not `Acme's request`: the asker did not decide).
POSSESSED_DECISIONS = {"decision", "decisions", "call", "ruling", "veto", "approval",
                       "sign-off", "go-ahead", "order", "orders", "instruction", "instructions"}
# `décidé avec Marc`, `agreed with the CTO`: right after one of these cues, `with` names a
# co-decider (`accord trouvé avec Medisys`, `agreement reached with` name a counterpart).
WITH = {"fr": {"avec"}, "en": {"with"}}
DECIDED_WITH = {fold(w) for w in """décidé décidée décidés décidées convenu convenue validé
    validée tranché arbitré acté decided agreed settled validated""".split()}
# `..., annonce le DG.`, `..., the CEO announced.`: a trailing speaker of the decision.
SPEECH_VERBS = {fold(w) for w in """annonce annoncé indique indiqué précise précisé confirme
    confirmé tranche tranché décide décidé explique expliqué rappelle rappelé souligne
    announced announces said says confirmed confirms decided decides explained stated
    noted ruled""".split()}
# `demandée par Acme`, `requested by the customer`: an agent that asked, not decided.
REQUESTED = {fold(w) for w in """demandé demandée demandés demandées réclamé réclamée exigé
    exigée souhaité souhaitée signalé signalée remonté remontée proposé proposée suggéré
    suggérée promis promise requested asked demanded wanted proposed suggested reported
    raised flagged promised""".split()}
# `le client Orano`, `the customer Orano`, `licences Figma`: a capitalised word after
# one of these nouns names a company, product or plan, not a person.
THING_NOUNS = {fold(w) for w in """client clients customer customers prospect prospects
    vendor vendors supplier suppliers fournisseur fournisseurs partner partners partenaire
    partenaires provider prestataire outil outils tool tools plan plans offre offres
    forfait abonnement licence licences license licenses seat seats compte comptes account
    accounts société company groupe group marque brand produit product module service
    integration intégration connecteur connector renouvellement renewal import export
    version release label tag projet project équipe team""".split()}
DETERMINERS = {"le", "la", "l'", "les", "the", "un", "une", "a", "an"}
ARTICLES = {"le", "la", "l'", "les", "the", "un", "une", "an"}  # `a` is also French `à`
PRONOUNS = {"fr": {"il", "elle"}, "en": {"he", "she"}}
TITLES = {"M.", "Mme", "Mlle", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Me"}
NON_PERSON_ENTS = {"ORG", "PRODUCT", "FAC"}  # NER calls many first names MISC or LOC
NAME_JOINERS = {"de", "du", "des", "van", "von", "der", "da", "di", "le", "la", "del"}
# Capitalised words that start sentences or headings and are not names.
NOT_NAMES = frozenset(fold(w) for w in """
    Décision Décisions Décidé Validé Validée Arbitré Tranché Acté Reporté Refusé Rejeté Go On
    Nous Vous Ils Elles Le La Les Un Une Des Ce Cette Pour Après Avant Suite Lors Selon Mais
    Donc Pas Plus Point Sujet Budget Roadmap Migration Lancement Projet Équipe Client Clients
    Validation Accord Option Proposition Prochaine Aujourd Demain Hier Finalement Ok OK
    Decision Decided Agreed Approved Rejected Postponed We They The A An This That These Those
    It Its After Before Following During Per But So No Yes Team Everyone All Both Group Meeting
    Action Actions Item Items Note Notes Outcome Resolution Consensus Today Tomorrow Next Last
    Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday Il Elle Je On He She I You Janvier Février Mars Avril Mai Juin Juillet
    Août Septembre Octobre Novembre Décembre January February March April May June July
    August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov
    Dec Q1 Q2 Q3 Q4 T1 T2 T3 T4 TSC PR PEP API CI SLA Node Python GitHub Jira
""".split())
NAME_PREFIXES = ("Mc", "Mac", "De", "Le", "La", "Di", "Da", "Van", "Von", "O'", "D'")
_TRAILING_ATTRIBUTION = re.compile(r"[(\[—–-]\s*$|[,;:]\s*$")


def _is_name_token(token, lang: str, not_names: frozenset = frozenset()) -> bool:
    text = token.text
    if not (text[:1].isupper() and text.isalpha()) or fold(text) in NOT_NAMES:
        return False
    if fold(text) in not_names or token.ent_type_ in NON_PERSON_ENTS:
        return False
    if (len(text) > 1 and text.isupper()) or is_acronym(text):  # `CTO`, `PRs`: not names
        return False
    if any(c.isupper() for c in text[2:]) and not text.startswith(NAME_PREFIXES):
        return False  # `TypedDict`, `GitLab`: identifiers and products, not names
    return True


def _is_thing(doc, start: int, end: int, sent: Span) -> bool:
    """`le client Orano`, `The Zendesk migration`: a company, product or plan name.

    People take no article in English or French, so an article right before the
    capitalised word also marks a thing."""
    before = doc[start - 1] if start > sent.start else None
    after = doc[end] if end < sent.end else None
    if before is not None and fold(before.text) in THING_NOUNS | ARTICLES:
        return True
    return after is not None and fold(after.text) in THING_NOUNS and (
        before is None or fold(before.text) in DETERMINERS)


def person_spans(sent: Span, lang: str, known: list[tuple[int, int]] | None = None,
                 cue_token: int | None = None,
                 not_names: frozenset = frozenset()) -> list[tuple[int, int]]:
    """(start, end) token offsets (doc-level) of person names in the sentence.

    `known`: token spans of known people (directory forms); always names, and a heuristic
    name run that overlaps one gives way to it unless it contains it (`Marie Dupont`
    contains the known `Marie`).
    `not_names`: folded words that are never names (lexicon terms, cue words).
    A title (`M.`, `Mme`, `Dr`) before a name and an initial after it (`Claire D.`)
    belong to the name.
    """
    known_here = [(s, e) for s, e in known or () if sent.start <= s and e <= sent.end]
    found = [span for span in _heuristic_names(sent, lang, cue_token, not_names)
             if not any(s < span[1] and span[0] < e and not (span[0] <= s and e <= span[1])
                        for s, e in known_here)]
    covered = [span for span in found if any(span[0] <= s and e <= span[1]
                                             for s, e in known_here)]
    found += [(s, e) for s, e in known_here
              if not any(c[0] <= s and e <= c[1] for c in covered)]
    return sorted(set(found))


def _heuristic_names(sent: Span, lang: str, cue_token: int | None,
                     not_names: frozenset) -> list[tuple[int, int]]:
    """Capitalised-word runs that look like person names (see `person_spans`)."""
    doc = sent.doc
    per_ents = {(e.start, e.end) for e in doc.ents if e.label_ in ("PER", "PERSON")}
    found: list[tuple[int, int]] = []
    i = sent.start
    while i < sent.end:
        token = doc[i]
        titled = token.text in TITLES and i + 1 < sent.end and \
            _is_name_token(doc[i + 1], lang, not_names)
        if not titled and not _is_name_token(token, lang, not_names):
            i += 1
            continue
        j = i + 2 if titled else i + 1
        while j < sent.end:
            if _is_name_token(doc[j], lang, not_names):
                j += 1
            elif doc[j].lower_ in NAME_JOINERS and j + 1 < sent.end and \
                    _is_name_token(doc[j + 1], lang, not_names):
                j += 2
            elif len(doc[j].text) == 2 and doc[j].text[0].isupper() and doc[j].text[1] == ".":
                j += 1  # an initial: "Claire D."
            elif doc[j].text == "-" and not doc[j - 1].whitespace_ and j + 1 < sent.end \
                    and not doc[j].whitespace_ and _is_name_token(doc[j + 1], lang, not_names):
                j += 2  # a compound first name: "Anne-Sophie"
            else:
                break
        nxt = doc[j] if j < sent.end else None
        if i == sent.start or (i > sent.start and doc[i - 1].text in "-*•#>|"):
            # A capitalised first word is a name only with some evidence.
            evidence = (titled or j - i > 1 or j == cue_token or (i, j) in per_ents
                        or token.pos_ == "PROPN"
                        or (nxt is not None and (nxt.text in (":", ",", ")", "(")
                                                 or nxt.lower_ in ("et", "and", "a", "ont",
                                                                   "has", "have", "will"))))
            if _possessive_decision(doc, j, sent):
                evidence = True  # "Nina's call: ..."
            if nxt is not None and fold(nxt.text) in PREPOSITIONS.get(lang, ()) \
                    and nxt.lower_ != "a" and not titled and (i, j) not in per_ents:
                evidence = False  # "Achat de la licence", "Upgrade of the runtime"
            if not evidence:
                i = j
                continue
        if not titled and _is_thing(doc, i, j, sent):
            i = j
            continue
        found.append((i, j))
        i = j
    return found


def _role_of(span: Span) -> str | None:
    return span.id_ or None


def _names_the_decider(doc, start: int, end: int, sent: Span, lang: str,
                       cue_start: int) -> bool:
    """After a preposition, the mention still decided: `Décision de Marie`, `à la demande
    du DG`, `at the request of Anna`, `décidé avec Marc`."""
    prep = start - 1
    word = prep - 1
    while word > sent.start and fold(doc[word].text) in DETERMINERS:
        word -= 1
    if word >= sent.start and fold(doc[word].text) in DECIDER_NOUNS.get(lang, set()):
        return True
    return fold(doc[prep].text) in WITH.get(lang, set()) and prep > sent.start and \
        fold(doc[prep - 1].text) in DECIDED_WITH


def _possessive_decision(doc, end: int, sent: Span) -> bool:
    """`the CFO's decision`, `Marie's call`."""
    if end + 1 >= sent.end or doc[end].text not in ("'s", "’s"):
        return False
    return fold(doc[end + 1].text) in POSSESSED_DECISIONS


def _trailing_speaker(doc, start: int, end: int, sent: Span) -> bool:
    """`..., annonce le DG.` / `..., the CEO announced.`: the mention closes the sentence
    with a speech verb, after a comma."""
    rest = [t for t in doc[end:sent.end] if not t.is_punct]
    before = doc[start - 1] if start > sent.start else None
    if before is not None and fold(before.text) in SPEECH_VERBS and not rest:
        return start - 2 >= sent.start and doc[start - 2].text == ","
    return before is not None and before.text == "," and len(rest) == 1 and \
        fold(rest[0].text) in SPEECH_VERBS


def find_actors(sent: Span, lang: str, cue_start: int, speaker: str | None,
                previous_person: str | None, not_names: frozenset = frozenset(),
                known: list[tuple[int, int]] | None = None) -> list[dict]:
    """Actor mentions for the decision in `sent` whose cue starts at token `cue_start`.

    `known`: token spans of known people in the doc (see `person_spans`)."""
    doc = sent.doc
    prepositions = PREPOSITIONS.get(lang, set())
    agents = AGENT.get(lang, set())
    candidates: list[tuple[int, int, str, str | None]] = []
    roles = [s for s in doc.spans.get("ROLE_MENTION", []) if sent.start <= s.start < sent.end]
    for span in roles:
        if span.id_ in COLLECTIVE_ROLES:  # "le COMEX valide": the meeting itself decided
            continue
        candidates.append((span.start, span.end, "role", _role_of(span)))
    taken = {i for s in roles for i in range(s.start, s.end)}
    for start, end in person_spans(sent, lang, known=known, cue_token=cue_start,
                                   not_names=not_names):
        if not taken.intersection(range(start, end)):
            candidates.append((start, end, "person", None))
    actors: list[dict] = []
    for start, end, kind, role in sorted(candidates):
        before = doc[start - 1] if start > sent.start else None
        head_word = fold(before.text) if before is not None else ""
        if _possessive_decision(doc, end, sent) or _trailing_speaker(doc, start, end, sent):
            ok = True
        elif head_word in agents:
            asked = start - 2 >= sent.start and fold(doc[start - 2].text) in REQUESTED
            ok = not asked
        elif head_word in prepositions:
            ok = _names_the_decider(doc, start, end, sent, lang, cue_start)
        elif start < cue_start:
            ok = True
        else:  # after the cue: only a trailing attribution `(Marie)` / `— CTO`
            prefix = doc[sent.start:start].text if start > sent.start else ""
            rest = doc[end:sent.end].text.strip(" .)]")
            ok = bool(_TRAILING_ATTRIBUTION.search(prefix)) and not rest.strip(" .,;:)")
        if ok:
            actors.append({"text": doc[start:end].text, "kind": kind, "role": role,
                           "refers_to": None, "start": start, "end": end})
    if not actors:
        for token in doc[sent.start:cue_start]:
            if fold(token.text) in PRONOUNS.get(lang, set()) and previous_person:
                actors.append({"text": token.text, "kind": "pronoun", "role": None,
                               "refers_to": previous_person, "start": token.i,
                               "end": token.i + 1})
                break
    if not actors and speaker:
        actors.append({"text": speaker, "kind": "person", "role": None, "refers_to": None,
                       "start": None, "end": None})
    return actors
