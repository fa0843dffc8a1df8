"""`silo_decisions`: sentences that record an arbitration, with status, domain and actors.

Runs in the full pipeline (French model, or blank English with a sentencizer) on the lines
that passed the cheap cue pre-filter. A sentence is a decision when it has a status cue
(`décidé`, `reporté`, `rejected`...) and no negative cue (question, proposal, `à décider`,
`pas de décision`, conditional wording, joke markers); on French, a verb in the
conditional mood (morphologizer `Mood=Cnd`) also rules it out.

`doc._.decisions`: list of dicts `{sentence, start_char, end_char, status, domain, actors,
attributed_to_meeting}`; spans in `doc.spans["DECISION"]` and `["DECISION_ACTOR"]`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components.actors import find_actors, person_spans
from nlp.resources import STATUSES, DecisionRules, load_decision_rules, load_terms
from nlp.text import fold, speaker_of


CUE_WORDS = {
    "fr": "Décidé Décidée Validé Validée Validés Arbitré Tranché Acté Actée Reporté Reportée Refusé "
          "Refusée Rejeté Rejetée Écarté Écartée Abandonné Approuvé Adopté Retenu Gelé Rien "
          "Personne Validation Arbitrage Accord Engagement Priorité Passé Passée Fermé".split(),
    "en": "Decided Agreed Approved Rejected Postponed Deferred Declined Accepted Adopted Nothing "
          "Nobody Approval Agreement Priority Closed Signed".split(),
}


def decision_status(folded: str, rules: DecisionRules) -> tuple[str, int] | None:
    """(status, offset of its cue) of the first status whose cue appears, else None."""
    for status in STATUSES:
        for pattern in rules.status[status]:
            match = pattern.search(folded)
            if match:
                return status, match.start()
    return None


def is_negated(folded: str, rules: DecisionRules) -> bool:
    """True when the sentence is a question, a proposal, pending, conditional or a joke."""
    return any(p.search(folded) for p in rules.not_decision)


def decision_domain(folded: str, rules: DecisionRules, tech_hint: bool = False) -> str:
    """The domain with most keyword hits; ties by `domain_order`; none: technical or roadmap."""
    scores = {d: sum(1 for p in rules.domains[d] if p.search(folded)) for d in rules.domain_order}
    best = max(rules.domain_order, key=lambda d: (scores[d], -rules.domain_order.index(d)))
    if scores[best]:
        return best
    return "technical" if tech_hint else "roadmap"


def _conditional(sent: Span) -> bool:
    return any("Cnd" in t.morph.get("Mood") for t in sent if t.pos_ in ("VERB", "AUX"))


class DecisionFinder:
    def __init__(self, lang: str, stop_words: frozenset = frozenset()):
        self.lang = lang
        self.rules = load_decision_rules(lang)
        cue = self.rules.any_cue()
        # Lexicon words (Redis, Premium...) and cue words (Validé) are never person names.
        words = {fold(w) for term in load_terms(lang) for v in term.variants for w in v.split()}
        self.not_names = frozenset(w for w in words if not cue.search(w)) | frozenset(
            fold(w) for w in CUE_WORDS.get(lang, ())) | frozenset(fold(w) for w in stop_words)

    def __call__(self, doc: Doc) -> Doc:
        speaker = speaker_of(doc.text)
        decisions, decision_spans, actor_spans = [], [], []
        previous_person: str | None = speaker
        for sent in doc.sents:
            folded = fold(sent.text)
            found = decision_status(folded, self.rules)
            if found and not is_negated(folded, self.rules) and not _conditional(sent):
                status, cue_offset = found
                cue_char = sent.start_char + cue_offset
                cue_token = next((t.i for t in sent if t.idx + len(t.text) > cue_char), sent.end)
                actors = find_actors(sent, self.lang, cue_token, speaker, previous_person,
                                     self.not_names)
                decision_spans.append(Span(doc, sent.start, sent.end, label="DECISION"))
                for actor in actors:
                    if actor["start"] is not None:
                        actor_spans.append(Span(doc, actor["start"], actor["end"],
                                                label="DECISION_ACTOR"))
                tech_hint = bool(doc.spans.get("TECH_TERM"))
                decisions.append({
                    "sentence": sent.text.strip(),
                    "start_char": sent.start_char,
                    "end_char": sent.end_char,
                    "status": status,
                    "domain": decision_domain(folded, self.rules, tech_hint),
                    "actors": [{k: a[k] for k in ("text", "kind", "role", "refers_to")}
                               for a in actors],
                    "attributed_to_meeting": not actors,
                })
            names = person_spans(sent, self.lang, not_names=self.not_names)
            if names:
                start, end = names[-1]
                previous_person = doc[start:end].text
        doc.spans["DECISION"] = decision_spans
        doc.spans["DECISION_ACTOR"] = actor_spans
        doc._.decisions = decisions
        return doc


@Language.factory("silo_decisions", default_config={"lang": "en"})
def make_decisions(nlp: Language, name: str, lang: str):
    return DecisionFinder(lang, frozenset(nlp.Defaults.stop_words))
