"""Implicit links (nlp/links.py): terms, names, passages and the linking rules, on small texts
written here (rules, not accuracy: the demo's plants measure precision and recall)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta

import pytest

from nlp.links import (
    Item,
    Linker,
    LinkSettings,
    Passage,
    TextWords,
    entities,
    name_forms,
    passages,
    terms,
)

T0 = datetime(2026, 3, 2, 9, 0)


def item(item_id: str, title: str, body: str = "", days: float = 0, people=()) -> Item:
    return Item(item_id, T0 + timedelta(days=days), title, body, tuple(people))


def passage(text: str, days: float, doc: str = "notes:m#s", meeting: str = "notes:m") -> Passage:
    return Passage(doc, meeting, "comex", T0 + timedelta(days=days), text)


EXPORT = item(
    "jira:SUP-1",
    "Export CSV en échec pour Laboratoires Durance",
    "L'export CSV des écritures comptables échoue pour le service financier de Laboratoires "
    "Durance (fichier vide).",
)
OTHERS = [
    item("jira:SUP-2", "Connexion SSO impossible pour les comptes Azure", "Erreur 401 au login."),
    item("jira:SUP-3", "Notifications push iOS perdues après la mise à jour", "Depuis la 4.2."),
    item("jira:SUP-4", "Lenteur du planning partagé sur tablette", "Temps de chargement long."),
    item("jira:PLAT-5", "Refonte de l'écran principal du tableau de bord", "Maquettes jointes."),
]
PARAPHRASE = (
    "Le bug d'export qui bloque l'équipe finance de Laboratoires Durance : correctif attendu."
)


def linker(**settings) -> Linker:
    return Linker([EXPORT, *OTHERS], {}, LinkSettings(**settings))


def test_terms_fold_accents_plurals_stop_words_and_the_glossary():
    assert terms("Les factures échouées") == terms("facture echouee")
    assert terms("invoices") == terms("la facturation") == terms("factures")
    assert terms("the outage") == terms("une panne")
    assert not terms("le la les of the and")
    assert "2026" not in terms("en 2026")


def test_names_are_capitalised_words_and_a_first_word_only_when_not_an_ordinary_word():
    text = "Le client Laboratoires Durance attend. Export bloqué chez Berthaud, CSV."
    # `Export` starts a sentence: a name unless the corpus writes `export` in lower case
    assert entities(text, common={"export"}) == {"laboratoires", "durance", "berthaud"}
    assert "export" in entities(text) and "export" not in entities(text, strong_only=True)
    assert entities("Brasserie Lamotte ne paie plus.", strong_only=True) == {"brasserie", "lamotte"}
    assert entities("Berthaud's invoices go out twice.") == {"berthaud"}
    assert entities("On a appelé Quentin Barbier", ignore={"quentin", "barbier"}) == set()


def test_passages_are_the_bullets_and_paragraphs_under_the_heading():
    text = (
        "Points abordés\n- Le bug d'export bloque la finance.\n\nOK.\nRisque sur la base de prod."
    )
    assert passages(text) == ["Le bug d'export bloque la finance.", "Risque sur la base de prod."]


def test_name_forms_leave_out_the_bare_first_name():
    assert name_forms("Quentin Barbier", ["QB"]) == {"quentin barbier", "quentin b."}


def test_a_paraphrase_naming_the_client_links_with_its_evidence():
    [link] = linker().link([passage(PARAPHRASE, 9)])
    assert link.item_id == "jira:SUP-1" and link.meeting_id == "notes:m"
    assert link.score >= LinkSettings().threshold
    # export, and finance ~ comptables (one concept in the glossary)
    assert terms("export finance") <= set(link.matched_terms)
    assert link.shared_entities == ("durance", "laboratoires")
    row = link.row()
    assert json.loads(row["shared_entities"]) == ["durance", "laboratoires"]
    assert row["days_after"] == pytest.approx(9.0)


def test_no_link_before_the_item_existed_or_after_the_window():
    assert linker().link([passage(PARAPHRASE, -3)]) == []
    assert linker(window_days=60).link([passage(PARAPHRASE, 61)]) == []
    assert len(linker(window_days=90).link([passage(PARAPHRASE, 61)])) == 1


def test_the_same_words_about_another_client_do_not_link():
    other = PARAPHRASE.replace("Laboratoires Durance", "Optique Marceau")
    ranked = linker().candidates(passage(other, 9))
    assert ranked[0].item_id == "jira:SUP-1"  # the closest item by words...
    assert ranked[0].score < 0.5  # ...but the names disagree
    assert linker().link([passage(other, 9)]) == []


def test_the_same_client_on_another_subject_does_not_link():
    text = "Laboratoires Durance renouvelle son contrat pour trois ans avec une remise."
    assert linker().link([passage(text, 9)]) == []


def test_a_person_involved_in_the_item_raises_the_score():
    author = item("jira:SUP-9", "Carte des camions figée", "La position ne se met plus à jour.",
                  people=[("quentin.barbier", T0)])  # fmt: skip
    forms = {"quentin.barbier": name_forms("Quentin Barbier")}
    text = "Quentin Barbier remonte que la carte des camions ne bouge plus."
    without = Linker([author, *OTHERS], {}).candidates(passage(text, 4))[0]
    named = Linker([author, *OTHERS], forms).candidates(passage(text, 4))[0]
    assert named.shared_people == ("quentin.barbier",)
    assert named.score == pytest.approx(without.score + LinkSettings().people_bonus, abs=0.1)


def test_a_floor_leaves_out_exactly_the_pairs_scoring_under_it():
    """`candidates(floor)` skips the people of a pair that cannot reach the floor even with
    their bonus: the same links as scoring everything and filtering, people included."""
    involved = [("quentin.barbier", T0), ("zoe.petit", T0 + timedelta(days=30))]
    author = item(
        "jira:SUP-9",
        "Carte des camions figée",
        "La position ne se met plus à jour.",
        people=involved,
    )
    other = item("jira:SUP-8", "Camions : carte lente sur tablette", "Chargement long.")
    forms = {"quentin.barbier": name_forms("Quentin Barbier"), "zoe.petit": name_forms("Zoé Petit")}
    scorer = Linker([author, other, *OTHERS], forms)
    texts = [
        "Quentin Barbier remonte que la carte des camions ne bouge plus.",
        "Zoé Petit remonte que la carte des camions ne bouge plus.",  # involved after: no bonus
        "La carte des camions ne bouge plus sur les tablettes des chauffeurs.",
    ]
    for text in texts:
        every = scorer.candidates(passage(text, 4))
        assert every, text
        for floor in (0.2, 0.35, 0.5, every[0].score, every[0].score + 1e-9):
            kept = [link for link in every if link.score >= floor]
            assert scorer.candidates(passage(text, 4), floor=floor) == kept, (text, floor)


def test_a_passage_links_to_its_best_item_and_a_meeting_keeps_its_best_passage():
    payroll = item(
        "jira:SUP-7",
        "Laboratoires Durance : export des heures pour la paie incomplet",
        "L'export mensuel des heures ne contient pas les équipes de nuit.",
    )
    both = Linker([EXPORT, payroll, *OTHERS])
    found = [
        passage("Chez Laboratoires Durance la paie est bloquée, l'export des heures oublie "
                "les équipes de nuit.", 9, doc="notes:m#a"),
        passage(PARAPHRASE, 9, doc="notes:m#b"),
        passage("Durance : l'export CSV échoue toujours pour la finance.", 9, doc="notes:m#c"),
    ]  # fmt: skip
    links = {k.item_id: k for k in both.link(found)}
    assert set(links) == {"jira:SUP-1", "jira:SUP-7"}
    assert links["jira:SUP-7"].document_id == "notes:m#a"
    # SUP-1 is discussed twice in the meeting: the better-scoring passage is kept
    scores = {p.document_id: both.candidates(p)[0] for p in found[1:]}
    assert all(c.item_id == "jira:SUP-1" for c in scores.values())
    best = max(scores.values(), key=lambda c: c.score)
    assert links["jira:SUP-1"].document_id == best.document_id


def test_a_passage_is_scored_with_what_existed_at_its_time():
    """IDF, a name's rarity and the lower-case words are taken as of the passage: items
    created after it change nothing (so an older passage never needs scoring again), the
    same items created before it do."""
    exports = [
        item(f"jira:SUP-{10 + n}", f"Export CSV lent pour Laboratoires Durance {n}", days=20)
        for n in range(4)
    ]
    as_of = LinkSettings(min_statistics_items=1)
    [alone] = linker(min_statistics_items=1).link([passage(PARAPHRASE, 9)])
    later = Linker([EXPORT, *OTHERS, *exports], {}, as_of).link([passage(PARAPHRASE, 9)])
    assert later == [alone]
    earlier = [dataclasses.replace(i, created_at=T0 + timedelta(days=5)) for i in exports]
    ranked = Linker([EXPORT, *OTHERS, *earlier], {}, as_of).candidates(passage(PARAPHRASE, 9))
    mine = next(link for link in ranked if link.item_id == "jira:SUP-1")
    assert mine.term_score < alone.term_score  # `export` is common by then...
    assert mine.score < alone.score - LinkSettings().entity_bonus / 2  # ...and so is Durance


def test_link_since_scores_only_the_meetings_from_then_on():
    early = passage(PARAPHRASE, 9, doc="notes:a#s", meeting="notes:a")
    late = passage(PARAPHRASE, 12, doc="notes:b#s", meeting="notes:b")
    assert {k.meeting_id for k in linker().link([early, late])} == {"notes:a", "notes:b"}
    since = T0 + timedelta(days=10)
    scorer = linker(min_statistics_items=1)
    assert [k.meeting_id for k in scorer.link([early, late], since=since)] == ["notes:b"]


def test_a_linker_from_a_history_scores_later_passages_as_one_from_every_item():
    """`history_before(cut)` keeps the older items as counts: a linker built from the later
    items and that history scores every passage from `cut + window_days` on the same."""
    titles = [i.title for i in [EXPORT, *OTHERS]]
    spread = [
        item(f"jira:X-{n}", f"{titles[n % 5]} ({n})", "Retour client.", days=n * 1.5)
        for n in range(80)
    ] + [  # a client four items name, three of them before the cut: not a rare name
        item(f"jira:V-{d}", "Planning partagé lent pour Maison Vernet", days=d)
        for d in (10, 20, 30, 60)
    ]
    texts = [  # words no item has: term scores under 1, so every weight shows
        PARAPHRASE + " Relance prévue avec le prestataire.",
        "La connexion SSO est impossible pour les comptes Azure : relance du prestataire.",
    ]
    found = [passage(texts[n % 2], 50 + n, f"notes:m{n}#s", f"notes:m{n}") for n in range(60)]
    found.append(passage("Le planning de Maison Vernet reste lent, relance du prestataire.", 80))
    settings = LinkSettings(min_statistics_items=1, window_days=30)
    full = Linker(spread, {}, settings)
    everything = full.link(found)
    cut = T0 + timedelta(days=40)
    history = full.history_before(cut)
    assert history is not None and history.items == 30
    later = Linker([i for i in spread if i.created_at >= cut], {}, settings, history)
    since = cut + timedelta(days=30)
    assert later.link(found, since=since) == [k for k in everything if k.linked_at >= since]
    assert any(k.linked_at >= since and k.term_score < 1 for k in everything)
    assert Linker(spread).history_before(cut) is None  # 80 items: statistics over all


def test_a_linker_given_known_words_reads_no_text_again_and_links_the_same():
    """`known_words` (a previous linker's `words`, stored as `parts`) stand for the texts
    they hold; the links are those of a linker that read every text."""
    found = [passage(PARAPHRASE, 9)]
    first = linker(min_statistics_items=1)
    stored = {text: words.parts() for text, words in first.words.items()}
    known = {text: TextWords.from_parts(parts) for text, parts in stored.items()}
    assert known == first.words and set(known) >= {EXPORT.title, EXPORT.body}
    again = Linker([EXPORT, *OTHERS], {}, LinkSettings(min_statistics_items=1), known_words=known)
    assert all(again.words[text] is known[text] for text in known)  # taken, not read
    assert again.link(found) == first.link(found) != []
    # what it is given is what it uses: the export's words taken away, nothing links
    blank = TextWords.from_parts([[]] * 5)
    emptied = {**known, EXPORT.title: blank, EXPORT.body: blank}
    assert Linker([EXPORT, *OTHERS], {}, LinkSettings(min_statistics_items=1),
                  known_words=emptied).link(found) == []  # fmt: skip


def test_statistics_wait_for_enough_items():
    """Over a short history (fewer items than `min_statistics_items`) weights and rarities
    are taken over every item, later ones included: a change anywhere reaches every meeting."""
    exports = [
        item(f"jira:SUP-{10 + n}", f"Export CSV lent pour Laboratoires Durance {n}", days=20)
        for n in range(4)
    ]
    [alone] = linker().link([passage(PARAPHRASE, 9)])
    few = Linker([EXPORT, *OTHERS, *exports]).candidates(passage(PARAPHRASE, 9))
    assert next(k for k in few if k.item_id == "jira:SUP-1").score < alone.score
    early = passage(PARAPHRASE, 9, doc="notes:a#s", meeting="notes:a")
    much_later = T0 + timedelta(days=300)
    assert linker().meetings_from([early], much_later) == {"notes:a"}
    # five items, all created at T0: from then on, statistics are as of each passage
    assert linker(min_statistics_items=5).meetings_from([early], much_later) == set()


def test_a_short_passage_is_not_scored():
    assert linker().candidates(passage("Export Durance.", 3)) == []


def test_a_passage_citing_an_item_gets_no_implicit_link():
    cited = PARAPHRASE + " Voir SUP-77."
    assert linker().link([passage(cited, 9)]) == []


# (text, terms, lower-case words, names with `berthaud` ignored and `bref`, `risque` known in
# lower case, names with nothing ignored or known, sure names only)
READINGS = [
    (
        "Export CSV en échec pour Laboratoires Durance",
        {"=error", "=export", "csv", "duranc", "labora"},
        {"echec", "en", "pour"},
        {"durance", "export", "laboratoires"},
        {"durance", "export", "laboratoires"},
        {"durance", "export", "laboratoires"},
    ),
    (
        "- L'export de Durance échoue. Berthaud se plaint; Bref, rien.\n2. Risque majeur: API KPIs",
        {"=export", "api", "bertha", "bref", "duranc", "echoue", "kpi", "majeur", "plaint",
         "rien", "risque"},
        {"de", "echoue", "export", "majeur", "plaint", "rien", "se"},
        {"durance"},
        {"berthaud", "bref", "durance", "risque"},
        {"durance"},
    ),
    (
        "Menuiseries Berthaud: l'Export du 12 (v2) — Salesforce's sync\n* qu'Orange valide",
        {"=export", "=sync", "bertha", "menuis", "orange", "salesf", "valide"},
        {"du", "sync", "v2", "valide"},
        {"export", "menuiseries", "orange", "salesforce"},
        {"berthaud", "export", "menuiseries", "orange", "salesforce"},
        {"menuiseries"},
    ),
    ("", set(), set(), set(), set(), set()),
]  # fmt: skip


@pytest.mark.parametrize(("text", "terms_", "lower", "names", "all_names", "sure"), READINGS)
def test_what_a_text_is_read_as(text, terms_, lower, names, all_names, sure):
    """Bullets, elisions, possessives, sentence starts (a capital after `.`, `:`, `—` or a
    bullet is a name only if the corpus never writes it in lower case, and only a sure one
    when a capital follows), stop words, acronyms, numbers."""
    from nlp.links import lower_case_words

    common, ignore = {"bref", "risque"}, {"berthaud"}
    assert terms(text) == terms_
    assert lower_case_words([text]) == lower
    assert entities(text, ignore, common) == names
    assert entities(text) == all_names
    assert entities(text, ignore, common, strong_only=True) == sure
