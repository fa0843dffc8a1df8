"""Vocabulary and roles on the fast (blank) pipelines, French and English."""

import pytest

from nlp.pipeline import build_fast, fast_pipeline


def labelled(doc):
    return sorted(
        (s.label_, s.id_, s.text)
        for label in ("BUSINESS_TERM", "TECH_TERM")
        for s in doc.spans[label]
    )


def test_french_terms_match_inflections_acronyms_and_multiword():
    doc = fast_pipeline("fr")(
        "Les coûts serveurs et la dette technique pèsent sur le CA ; "
        "les APIs et la mise en production aussi."
    )
    assert labelled(doc) == [
        ("BUSINESS_TERM", "chiffre d'affaires", "CA"),
        ("BUSINESS_TERM", "coût", "coûts"),
        ("TECH_TERM", "API", "APIs"),
        ("TECH_TERM", "dette technique", "dette technique"),
        ("TECH_TERM", "déploiement", "mise en production"),
        ("TECH_TERM", "serveur", "serveurs"),
    ]


def test_lower_case_ca_is_not_turnover():
    assert labelled(fast_pipeline("fr")("ça marche, ca passe")) == []


def test_shares_and_rates():
    stats = fast_pipeline("en")("Our customers hate the latency of the API.")._.term_stats
    assert stats["business_terms"] == 1 and stats["tech_terms"] == 2
    assert stats["business_share"] == pytest.approx(1 / 3)
    assert stats["n_words"] == 8
    assert stats["tech_per_100_words"] == pytest.approx(25.0)
    empty = fast_pipeline("en")("Nothing here.")._.term_stats
    assert empty["business_share"] is None and empty["tech_share"] is None


def test_extra_lexicons_extend_one_language():
    nlp = build_fast(
        "fr",
        {"fr": {"business": ["panier moyen"], "tech": [{"term": "Snowflake", "variants": ["SF"]}]}},
    )
    assert labelled(nlp("Le panier moyen baisse, SF sature.")) == [
        ("BUSINESS_TERM", "panier moyen", "panier moyen"),
        ("TECH_TERM", "Snowflake", "SF"),
    ]


def test_role_mentions_keep_determiner_and_canonical_role():
    doc = fast_pipeline("fr")("Notre DAF et la directrice commerciale ont vu le CTO à 3 pm.")
    assert [(s.text, s.id_) for s in doc.spans["ROLE_MENTION"]] == [
        ("Notre DAF", "cfo"),
        ("la directrice commerciale", "sales_director"),
        ("le CTO", "cto"),
    ]
    doc = fast_pipeline("en")("The CTO met our product manager.")
    assert [s.id_ for s in doc.spans["ROLE_MENTION"]] == ["cto", "product_manager"]
