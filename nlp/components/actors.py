"""Who decided: actor mentions inside one decision sentence.

Returns MENTIONS, not people: `{"text", "kind": person|role|pronoun, "role", "refers_to"}`.
The caller resolves them through the directory. Rules, in order:

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

from nlp.text import fold, is_acronym

PREPOSITIONS = {
    "fr": {
        "de",
        "d'",
        "du",
        "des",
        "pour",
        "avec",
        "a",
        "au",
        "aux",
        "chez",
        "sur",
        "vers",
        "contre",
        "selon",
        "entre",
        "sans",
        "envers",
    },
    "en": {
        "of",
        "for",
        "with",
        "to",
        "from",
        "at",
        "on",
        "about",
        "against",
        "between",
        "without",
        "towards",
        "per",
    },
}
COLLECTIVE_ROLES = {"board"}
AGENT = {"fr": {"par"}, "en": {"by", "per"}}
# Tokens that end a clause: a mention on one side is not the subject of a cue on the other.
CLAUSE_BOUNDARIES = {":", "–", "—", "|", ";", "-", "--"}
DASHES = ("—", "–", "-", "--")
# Verb-like words right after a mention that make its clause a sentence, not a heading
# (`Jérôme a fermé #412 : ...`, `Marie has decided: ...`) when the parser gives no POS.
CLAUSE_VERBS = {
    "a",
    "ont",
    "est",
    "sont",
    "avait",
    "has",
    "have",
    "had",
    "is",
    "was",
    "were",
    "will",
    "'s",
    "did",
}
# Decision nouns whose complement is the one who decided (`décision de`, not `demande de`):
# an explicit decider, that wins over subject-side guesses.
STRONG_DECIDER_NOUNS = {
    "decision",
    "decisions",
    "arbitrage",
    "validation",
    "choix",
    "veto",
    "aval",
    "call",
    "ruling",
    "approval",
    "sign-off",
    "go-ahead",
}
# `Décision de Marie`, `à la demande du DG`, `at the request of Anna`: the noun before the
# preposition names a decision, so who follows it decided (or asked for it).
DECIDER_NOUNS = {
    "fr": {
        "decision",
        "decisions",
        "arbitrage",
        "demande",
        "proposition",
        "initiative",
        "validation",
        "accord",
        "choix",
        "instruction",
        "instructions",
        "consigne",
        "ordre",
        "requete",
        "feu",
        "go",
        "veto",
        "aval",
    },
    "en": {
        "decision",
        "decisions",
        "call",
        "request",
        "proposal",
        "initiative",
        "approval",
        "instruction",
        "instructions",
        "order",
        "orders",
        "ruling",
        "veto",
        "sign-off",
        "go-ahead",
        "behest",
        "direction",
    },
}
# `the CFO's decision`, `Marie's call` (not `Acme's request`: the asker did not decide).
POSSESSED_DECISIONS = {
    "decision",
    "decisions",
    "call",
    "ruling",
    "veto",
    "approval",
    "sign-off",
    "go-ahead",
    "order",
    "orders",
    "instruction",
    "instructions",
}
# `décidé avec Marc`, `agreed with the CTO`: right after one of these cues, `with` names a
# co-decider (`accord trouvé avec Medisys`, `agreement reached with` name a counterpart).
WITH = {"fr": {"avec"}, "en": {"with"}}
DECIDED_WITH = {
    fold(w)
    for w in """décidé décidée décidés décidées convenu convenue validé
    validée tranché arbitré acté decided agreed settled validated""".split()
}
# `..., annonce le DG.`, `..., the CEO announced.`: a trailing speaker of the decision.
SPEECH_VERBS = {
    fold(w)
    for w in """annonce annoncé indique indiqué précise précisé confirme
    confirmé tranche tranché décide décidé explique expliqué rappelle rappelé souligne
    announced announces said says confirmed confirms decided decides explained stated
    noted ruled""".split()
}
# `demandée par Acme`, `requested by the customer`: an agent that asked, not decided.
REQUESTED = {
    fold(w)
    for w in """demandé demandée demandés demandées réclamé réclamée exigé
    exigée souhaité souhaitée signalé signalée remonté remontée proposé proposée suggéré
    suggérée promis promise requested asked demanded wanted proposed suggested reported
    raised flagged promised""".split()
}
# `le client Orano`, `the customer Orano`, `licences Figma`: a capitalised word after
# one of these nouns names a company, product or plan, not a person.
THING_NOUNS = {
    fold(w)
    for w in """client clients customer customers prospect prospects
    vendor vendors supplier suppliers fournisseur fournisseurs partner partners partenaire
    partenaires provider prestataire outil outils tool tools plan plans offre offres
    forfait abonnement licence licences license licenses seat seats compte comptes account
    accounts société company groupe group marque brand produit product module service
    integration intégration connecteur connector renouvellement renewal import export
    version release label tag projet project équipe team""".split()
}
DETERMINERS = {"le", "la", "l'", "les", "the", "un", "une", "a", "an"}
ARTICLES = {"le", "la", "l'", "les", "the", "un", "une", "an"}  # `a` is also French `à`
PRONOUNS = {"fr": {"il", "elle"}, "en": {"he", "she"}}
TITLES = {"M.", "Mme", "Mlle", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Me"}
NON_PERSON_ENTS = {"ORG", "PRODUCT", "FAC"}  # NER calls many first names MISC or LOC
NAME_JOINERS = {"de", "du", "des", "van", "von", "der", "da", "di", "le", "la", "del"}
# Capitalised words that start sentences or headings and are not names.
NOT_NAMES = (
    frozenset(
        fold(w)
        for w in """
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
""".split()
    )
    | frozenset(
        fold(w)
        for w in """
    Weekly Daily Hebdo Retro Rétro Standup Sync Review Revue Réunion Comité Committee Council
    Board Statut Status Ticket Tickets Version Release Sprint Démo Demo Agenda Ordre Minutes
    Compte Rendu Kickoff Atelier Workshop Steering Leadership Staff Forum Guild Audit Rapport
    Report Bilan Epic Story Bug Feature Changelog Fix Hotfix Incident Postmortem Sujet Topic
    Choix Choice Engagement Commitment Owner Priorité Priority Scope Périmètre Objet Subject
    Implémente Implements Implement Ajoute Adds Add Supprime Removes Remove Corrige Fixes
    Enforces Closes Closing Migre Migrates Remplace Replaces Passe Bascule Active Enables
    Désactive Disables Bumps Updates Met Mets Rend Refacto Refactor Refactors Bloqué Blocked
    Closed Fermé Won't Nope Ok Okay Merci Thanks Cc Ping
""".split()
    )
    | frozenset(
        fold(w)
        for w in """
    Rappel Reminder Non Premium Pro Business Enterprise Basic Standard Gold Silver Starter
    Plus Free Gratuit Nouvelle Nouveau New Extra Final Finale
""".split()
    )
)
# A capitalised word right before one of these nouns qualifies it (`Irrevocable decision`,
# `Premium SLA`): not a person.
QUALIFIED_NOUNS = {
    "decision",
    "decisions",
    "call",
    "choix",
    "arbitrage",
    "sla",
    "plan",
    "offer",
    "offre",
    "tier",
    "rule",
    "regle",
}
# `Cypress est abandonné`, `the plan was approved`: a mention before a passive cue
# (`be` + participle) is what was decided on, not who decided.
PASSIVE_AUX = {
    "est",
    "sont",
    "etait",
    "etaient",
    "ete",
    "sera",
    "seront",
    "is",
    "are",
    "was",
    "were",
    "been",
    "be",
    "being",
    "gets",
    "got",
}
# Request nouns name who asked, so their complement decided only in an idiom that
# credits the asker with the decision (`à la demande du DG`, `at the request of Anna`);
# `la demande de Hugo est acceptée` names the requester, not the decider.
REQUEST_NOUNS = {
    "demande",
    "proposition",
    "requete",
    "request",
    "proposal",
    "suggestion",
    "initiative",
}
REQUEST_IDIOMS = {"a", "sur", "at", "on"}
_DOTTED_INITIALS = re.compile(r"[A-ZÀ-Ý]\.(?:-?[A-ZÀ-Ý]\.){1,2}")  # A.N., J.-M.
# Nouns that name a place or an organisation when capitalised before a name:
# `Clinique des Lilas`, `Pharmacie Moreau`, `Hôpital Nord`, `Bank of Ireland`.
ORG_HEADS = frozenset(
    fold(w)
    for w in """Clinique Pharmacie Hôpital Hospital Cabinet Mairie
    Banque Bank Université University Lycée Collège École School Laboratoire Labo Institut
    Institute Fondation Foundation Agence Agency Ministère Ministry Caisse Mutuelle Région
    Département Ville City Centre Center Groupe Group""".split()
)
NAME_PREFIXES = ("Mc", "Mac", "De", "Le", "La", "Di", "Da", "Van", "Von", "O'", "D'")
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


def _not_name_word(text: str, not_names: frozenset) -> bool:
    """A common word (or its plural, `Priorités`) that is never a name."""
    folded = fold(text)
    singular = folded[:-1] if folded.endswith("s") and len(folded) > 3 else folded
    return any(w in NOT_NAMES or w in not_names for w in (folded, singular))


def _is_name_token(token, lang: str, not_names: frozenset = frozenset()) -> bool:
    text = token.text
    if _DOTTED_INITIALS.fullmatch(text):
        return True  # `A.N.`, `J.P.`: someone's initials
    parts = text.split("-")  # `Jean-Baptiste`, `Pierre-Louis`: one token, one name
    if not (all(p[:1].isupper() and p.isalpha() for p in parts)) or _not_name_word(text, not_names):
        return False
    if token.ent_type_ in NON_PERSON_ENTS:
        return False
    if (len(text) > 1 and text.isupper()) or is_acronym(text):  # `CTO`, `PRs`: not names
        return False
    if any(c.isupper() for part in parts for c in part[2:]) and not text.startswith(NAME_PREFIXES):
        return False  # `TypedDict`, `GitLab`: identifiers and products, not names
    return True


# Auxiliaries and adverbs that may stand between a name and its cue verb (`Ingrid just
# said no`, `Camille vient de dire non`), not nouns (`Customs paperwork stays out of scope`).
CUE_GAP_WORDS = {
    fold(w)
    for w in """a ont avait vient viennent de d' enfin finalement aussi
    déjà officiellement hier également just already finally also officially yesterday today
    then has have had now""".split()
}


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


def _cue_follows(doc, j: int, cue_token: int | None) -> bool:
    """The cue comes right after the name run, or after at most three CUE_GAP_WORDS
    (`Ingrid just said no`, `Camille vient de dire non`, `JB a passé`)."""
    if cue_token is None or cue_token < j or cue_token - j > 3:
        return False
    return all(fold(t.text) in CUE_GAP_WORDS for t in doc[j:cue_token])


def _initials_deciding(
    doc, i: int, sent: Span, cue_token: int | None, not_names: frozenset
) -> bool:
    """`JB approved`, `MD a validé`: 2-3 capitals (not a known acronym or cue word) right
    before the cue or its auxiliary are someone's initials."""
    text = doc[i].text
    if (
        not (2 <= len(text) <= 3 and text.isalpha() and text.isupper())
        or fold(text) in NOT_NAMES
        or fold(text) in not_names
        or i + 1 >= sent.end
    ):
        return False
    return i + 1 == cue_token or (fold(doc[i + 1].text) in CLAUSE_VERBS and i + 2 == cue_token)


def _is_thing(doc, start: int, end: int, sent: Span) -> bool:
    """`le client Orano`, `The Zendesk migration`: a company, product or plan name.

    People take no article in English or French, so an article right before the
    capitalised word also marks a thing."""
    before = doc[start - 1] if start > sent.start else None
    after = doc[end] if end < sent.end else None
    if before is not None and fold(before.text) in THING_NOUNS | ARTICLES:
        return True
    return (
        after is not None
        and fold(after.text) in THING_NOUNS
        and (before is None or fold(before.text) in DETERMINERS)
    )


def person_spans(
    sent: Span,
    lang: str,
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
        for span in _heuristic_names(sent, lang, cue_token, not_names)
        if not any(
            s < span[1] and span[0] < e and not (span[0] <= s and e <= span[1])
            for s, e in known_here
        )
    ]
    covered = [span for span in found if any(span[0] <= s and e <= span[1] for s, e in known_here)]
    found += [(s, e) for s, e in known_here if not any(c[0] <= s and e <= c[1] for c in covered)]
    return sorted(set(found))


def _heuristic_names(
    sent: Span, lang: str, cue_token: int | None, not_names: frozenset
) -> list[tuple[int, int]]:
    """Capitalised-word runs that look like person names (see `person_spans`)."""
    doc = sent.doc
    per_ents = {(e.start, e.end) for e in doc.ents if e.label_ in ("PER", "PERSON")}
    found: list[tuple[int, int]] = []
    i = sent.start
    while i < sent.end:
        token = doc[i]
        titled = (
            (token.text in TITLES or _is_initial(token))
            and i + 1 < sent.end
            and _is_name_token(doc[i + 1], lang, not_names)
        )
        if not titled and not _is_name_token(token, lang, not_names):
            if _initials_deciding(doc, i, sent, cue_token, not_names):
                found.append((i, i + 1))  # `JB approved ...`
            i += 1
            continue
        if not titled and fold(token.text) in ORG_HEADS:  # `Clinique des Lilas`
            i += 1
            while i < sent.end and (
                _is_name_token(doc[i], lang, not_names) or doc[i].lower_ in NAME_JOINERS
            ):
                i += 1
            continue
        j = i + 2 if titled else i + 1
        while j < sent.end:
            if _is_name_token(doc[j], lang, not_names):
                j += 1
            elif (
                doc[j].lower_ in NAME_JOINERS
                and j + 1 < sent.end
                and (
                    _is_name_token(doc[j + 1], lang, not_names)
                    or (doc[j].text[0].isupper() and _short_name_part(doc[j + 1], frozenset()))
                )
            ):
                j += 2  # `Marie de Villiers`, `Nguyen Van An`
            elif len(doc[j].text) == 2 and doc[j].text[0].isupper() and doc[j].text[1] == ".":
                j += 1  # an initial: "Claire D."
            elif _short_name_part(
                doc[j], frozenset() if doc[j - 1].lower_ in NAME_JOINERS else not_names
            ):
                j += 1  # "Nguyen Van An": a short part after a name word
            elif (
                doc[j].text == "-"
                and not doc[j - 1].whitespace_
                and j + 1 < sent.end
                and not doc[j].whitespace_
                and _is_name_token(doc[j + 1], lang, not_names)
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
                or _cue_follows(doc, j, cue_token)
                or (i, j) in per_ents
                or token.pos_ == "PROPN"
                or (
                    nxt is not None
                    and (
                        nxt.text in (":", ",", ")", "(")
                        or nxt.lower_ in ("et", "and", "a", "ont", "has", "have", "will")
                    )
                )
            )
            if _possessive_decision(doc, j, sent):
                evidence = True  # "Nina's call: ..."
            if i > 0 and doc[i - 1].text in DASHES and all(t.is_punct for t in doc[j : sent.end]):
                evidence = True  # a signature closing the line: "... — Lina"
            if (
                nxt is not None
                and fold(nxt.text) in PREPOSITIONS.get(lang, ())
                and nxt.lower_ != "a"
                and not titled
                and (i, j) not in per_ents
            ):
                evidence = False  # "Achat de la licence", "Upgrade of the runtime"
            if not evidence:
                i = j
                continue
        if not titled and _is_thing(doc, i, j, sent):
            i = j
            continue
        if nxt is not None and fold(nxt.text) in QUALIFIED_NOUNS and j - i == 1:
            i = j  # `Irrevocable decision`, `Premium SLA`
            continue
        found.append((i, j))
        i = j
    return found


def _role_of(span: Span) -> str | None:
    return span.id_ or None


def _decider_noun(doc, start: int, sent: Span) -> str:
    """The folded word before the preposition and determiners that precede `start`."""
    word = start - 2
    while word > sent.start and fold(doc[word].text) in DETERMINERS:
        word -= 1
    return fold(doc[word].text) if word >= sent.start else ""


def _names_the_decider(doc, start: int, end: int, sent: Span, lang: str, cue_start: int) -> bool:
    """After a preposition, the mention still decided: `Décision de Marie`, `à la demande
    du DG`, `at the request of Anna`, `décidé avec Marc`."""
    prep = start - 1
    noun = _decider_noun(doc, start, sent)
    if noun in REQUEST_NOUNS:
        return _request_idiom(doc, start, sent)
    if noun in DECIDER_NOUNS.get(lang, set()):
        return True
    return (
        fold(doc[prep].text) in WITH.get(lang, set())
        and prep > sent.start
        and fold(doc[prep - 1].text) in DECIDED_WITH
    )


def _request_idiom(doc, start: int, sent: Span) -> bool:
    """`à la demande de`, `sur proposition du`, `at the request of`: the word before the
    request noun (and its determiners) is one of REQUEST_IDIOMS."""
    word = start - 2
    while word > sent.start and fold(doc[word].text) in DETERMINERS:
        word -= 1
    word -= 1  # before the noun
    while word > sent.start and fold(doc[word].text) in ARTICLES:  # not `a`: it is `à`
        word -= 1
    return word >= sent.start and fold(doc[word].text) in REQUEST_IDIOMS


def _passive_before(doc, end: int, cue: int) -> bool:
    """A `be` auxiliary between the mention and its cue (`Cypress est abandonné`)."""
    return any(fold(doc[k].text) in PASSIVE_AUX for k in range(end, min(cue, end + 3)))


def _possessive_decision(doc, end: int, sent: Span) -> bool:
    """`the CFO's decision`, `Marie's call`."""
    if end + 1 >= sent.end or doc[end].text not in ("'s", "’s"):
        return False
    return fold(doc[end + 1].text) in POSSESSED_DECISIONS


def _trailing_speaker(doc, start: int, end: int, sent: Span) -> bool:
    """`..., annonce le DG.` / `..., the CEO announced.`: the mention closes the sentence
    with a speech verb, after a comma."""
    rest = [t for t in doc[end : sent.end] if not t.is_punct]
    before = doc[start - 1] if start > sent.start else None
    if before is not None and fold(before.text) in SPEECH_VERBS and not rest:
        return start - 2 >= sent.start and doc[start - 2].text == ","
    return (
        before is not None
        and before.text == ","
        and len(rest) == 1
        and fold(rest[0].text) in SPEECH_VERBS
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


def _boundary_between(doc, start: int, end: int) -> bool:
    """A clause boundary between the mention ending at `start` and the cue at `end`,
    unless the mention is followed by its own verb (`Jérôme a fermé #412 : ...`)."""
    if start < len(doc) and (
        doc[start].pos_ in ("VERB", "AUX") or fold(doc[start].text) in CLAUSE_VERBS
    ):
        return False
    return any(doc[k].text in CLAUSE_BOUNDARIES for k in range(start, end))


def person_shaped(text: str, not_names: frozenset = frozenset()) -> bool:
    """`Marie`, `Paul Leroy`, `A. Nguyen`, `Mme Lefebvre`: one to three name words, each
    a capital then lower-case letters (or an initial or a title), none a common word."""
    words = text.replace("*", "").split()
    if not 1 <= len(words) <= 3:
        return False
    for word in words:
        if word in TITLES or re.fullmatch(r"[A-ZÀ-Ý]\.", word):
            continue
        if not re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?", word):
            return False
        if fold(word) in NOT_NAMES or fold(word) in not_names:
            return False
    return True


def _full_name(text: str) -> bool:
    """Two name words or more, or an initial or title with a name (`A. Nguyen`, `Mr Okoye`)."""
    return len(text.split()) >= 2


def _candidates(
    sent: Span,
    lang: str,
    cue_start: int | None,
    not_names: frozenset,
    known: list[tuple[int, int]] | None,
) -> list[tuple[int, int, str, str | None]]:
    """(start, end, kind, role) of every role mention and person name in the sentence."""
    doc = sent.doc
    candidates: list[tuple[int, int, str, str | None]] = []
    roles = [s for s in doc.spans.get("ROLE_MENTION", []) if sent.start <= s.start < sent.end]
    for span in roles:
        if span.id_ in COLLECTIVE_ROLES:  # "le COMEX valide": the meeting itself decided
            continue
        candidates.append((span.start, span.end, "role", _role_of(span)))
    taken = {i for s in roles for i in range(s.start, s.end)}
    for start, end in person_spans(
        sent, lang, known=known, cue_token=cue_start, not_names=not_names
    ):
        while start < end and start in taken:  # `Head of Engineering Maya Chen`
            start += 1
        if start < end and not taken.intersection(range(start, end)):
            candidates.append((start, end, "person", None))
    return sorted(candidates)


def signature_actors(
    sent: Span,
    lang: str,
    not_names: frozenset = frozenset(),
    known: list[tuple[int, int]] | None = None,
    directory: bool = False,
) -> list[dict]:
    """Mentions of a sentence that is only a signature (`— Greg (CFO)` after the decision
    sentence), else []."""
    candidates = _candidates(sent, lang, None, not_names, known)
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
    lang: str,
    cue_start: int,
    speaker: str | None,
    previous_person: str | None,
    not_names: frozenset = frozenset(),
    known: list[tuple[int, int]] | None = None,
    cue_tokens: tuple[int, ...] = (),
    directory: bool = False,
) -> list[dict]:
    """Actor mentions for the decision in `sent` whose cue starts at token `cue_start`.

    `known`: token spans of known people in the doc (see `person_spans`).
    `cue_tokens`: first tokens of the other status cues in the sentence (`on go sur
    Sentry, c'est Mehdi qui a validé`: Mehdi is the subject of the later cue).
    `directory`: the caller passed known people, so unknown names need more evidence."""
    doc = sent.doc
    prepositions = PREPOSITIONS.get(lang, set()) - AGENT.get(lang, set())
    agents = AGENT.get(lang, set())
    cues = sorted({cue_start, *cue_tokens})
    candidates = _candidates(sent, lang, cue_start, not_names, known)
    signature = _signature_start(sent, candidates)
    known_spans = set(known or ())
    found: list[tuple[dict, bool]] = []  # (actor, explicit)
    for start, end, kind, role in candidates:
        before = doc[start - 1] if start > sent.start else None
        head_word = fold(before.text) if before is not None else ""
        explicit = ok = False
        if signature >= 0 and start >= signature:
            explicit = True
        elif _possessive_decision(doc, end, sent) or _trailing_speaker(doc, start, end, sent):
            explicit = True
        elif (
            head_word == "("
            and end < sent.end
            and doc[end].text.startswith(")")
            and _decider_noun(doc, start, sent) in STRONG_DECIDER_NOUNS
        ):
            explicit = True  # `Decision (Carlos Ruiz): ...`
        elif head_word in agents:
            asked = start - 2 >= sent.start and fold(doc[start - 2].text) in REQUESTED
            explicit = not asked
        elif head_word in prepositions:
            if _names_the_decider(doc, start, end, sent, lang, cue_start):
                explicit = _decider_noun(doc, start, sent) in STRONG_DECIDER_NOUNS
                ok = True
        elif any(
            start < c and not _boundary_between(doc, end, c) and not _passive_before(doc, end, c)
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
                or person_shaped(doc[start:end].text, not_names)
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
            if fold(token.text) in PRONOUNS.get(lang, set()) and previous_person:
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
