"""The learned unit classifier on minutes: shipped as package data, fed the rules' verdict,
used by `annotate_documents` on minutes only, and scored leave-one-corpus-out."""

import json

from nlp import annotate_documents
from nlp.unit_eval import Fold, same_actor, score
from nlp.unit_model import LABELS, MODEL_DIR, PRIORS_FILE, features, load_classifier

MINUTES = """# CR du 3 mars

- Marie : relancer Lucien pour le site web
- Approbation du budget : pour 5, contre 0
- Décision : on part sur Postgres, validé par Paul.
- Il fait beau.
"""


def test_the_shipped_classifier_loads_and_knows_the_labels():
    nlp = load_classifier()
    assert set(nlp.get_pipe("textcat").labels) == set(LABELS)
    priors = json.loads((MODEL_DIR / PRIORS_FILE).read_text(encoding="utf-8"))
    assert abs(sum(priors.values()) - 1) < 1e-6


def test_features_carry_the_rules_verdict_and_shapes():
    found = [{"status": "postponed", "attributed_to_meeting": True}]
    text = features("On reporte l'achat.", ("CR", "Achats"), found, "fr")
    assert "zzrule_decision" in text and "zzrule_postponed" in text and "h_achats" in text
    assert "zzowner_will" in features("Mara to write a draft", "", [], "en")
    assert "zzvote" in features("pour 23, contre 0, abstention 8", "", [], "fr")
    assert "zzquestion" in features("Any objections?", "", [], "en")


def test_minutes_are_labelled_per_unit_and_decisions_kept_on_decision_units():
    doc = {"document_id": "m", "text": MINUTES, "kind": "minutes", "language": "fr"}
    tables = annotate_documents([doc], outputs=("decisions", "units"))
    by_line = {u["line"]: u for u in tables["units"]}
    assert by_line[5]["label"] == "DECISION" and by_line[5]["actors"] == ["Paul"]
    assert 6 not in by_line  # "Il fait beau." is NONE, not kept
    decided = [d["sentence"] for d in tables["decisions"]]
    assert "Décision : on part sur Postgres, validé par Paul." in decided
    assert all(d["start_char"] >= MINUTES.index("- Marie") for d in tables["decisions"])


def test_tickets_keep_the_line_path_and_have_no_units():
    doc = {"document_id": "t", "text": MINUTES, "kind": "ticket", "language": "fr"}
    tables = annotate_documents([doc], outputs=("decisions", "units"))
    assert tables["units"] == []
    assert any("Postgres" in d["sentence"] for d in tables["decisions"])


def test_scores_count_each_label_and_actor_matches_fold_determiners():
    rows = [
        {"label": "DECISION", "text": "x", "rules": [], "lang": "en", "status": "taken"},
        {"label": "ACTION", "text": "y", "rules": [], "lang": "en"},
        {"label": "NONE", "text": "z", "rules": [], "lang": "en"},
    ]
    rows[0]["actor"] = "meeting"
    fold: Fold = score(rows, ["DECISION", "NONE", "ACTION"])
    assert fold.prf("DECISION") == (1.0, 1.0, 1.0)
    assert fold.prf("ACTION") == (0.0, 0.0, 0.0)
    assert fold.actor == [1, 1] and fold.status == [1, 1]
    assert same_actor("Le conseil municipal", "conseil municipal")
    assert not same_actor("meeting", "Conservatively")


def test_an_adverb_after_the_speaker_is_not_an_actor():
    text = "# Notes\n\n- Ryan: Conservatively agreed to keep the current release schedule.\n"
    doc = {"document_id": "a", "text": text, "kind": "minutes", "language": "en"}
    (unit,) = annotate_documents([doc], outputs=("units",))["units"]
    assert unit["label"] == "DECISION" and unit["actors"] == ["Ryan"]


def test_a_title_line_is_never_a_learned_decision():
    text = "Weekly Data team — Thursday 12 February 2026 > Agenda\n\n- Il fait beau.\n"
    doc = {"document_id": "w", "text": text, "kind": "minutes", "language": "fr"}
    tables = annotate_documents([doc], outputs=("decisions", "units"))
    assert all(u["line"] != 1 for u in tables["units"] if u["label"] == "DECISION")
    assert tables["decisions"] == []
