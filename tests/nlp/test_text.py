"""Text helpers: matching keys, language guess, lines and speakers."""

from nlp.text import detect_language, segments, speaker_of, term_key


def test_term_key_folds_case_accents_and_plurals():
    assert term_key("Coûts") == term_key("cout") == "cout"
    assert term_key("journaux") == "journal"
    assert term_key("dependencies") == "dependency"


def test_term_key_keeps_acronym_case_so_ca_is_not_ca_slang():
    assert term_key("CA") == "CA"
    assert term_key("ça") == "ca"
    assert term_key("APIs") == "API"


def test_detect_language():
    assert detect_language("Le client a validé la proposition pour le lancement.") == "fr"
    assert detect_language("The customer approved the proposal for the launch.") == "en"
    assert detect_language("PAY-12 #3", default="fr") == "fr"


def test_segments_keep_offsets_and_speakers():
    text = "## Décisions\n- Marie : on part sur Postgres\n- Décision : report au T4\n"
    found = segments(text)
    assert [s.speaker for s in found] == [None, "Marie", None]
    for seg in found:
        assert text[seg.start : seg.start + len(seg.text)] == seg.text
    assert speaker_of("Antoine: we should ship it") == "Antoine"


def test_hard_wrapped_prose_is_one_segment_and_blank_lines_split():
    text = "The council discussed it and\ndecided to accept the PEP.\n\nNext item.\n"
    assert [s.text for s in segments(text)] == [
        "The council discussed it and\ndecided to accept the PEP.",
        "Next item.",
    ]


def _fold_by_character(text: str) -> str:
    """`fold` as first written: a test of each character, the reference the table must match."""
    import unicodedata

    text = text.translate(str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"}))
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def test_fold_by_table_is_fold_by_character():
    import random

    from nlp.text import fold, fold_word

    rng = random.Random(5)
    ranges = [(0x20, 0x7F), (0xC0, 0x250), (0x300, 0x370), (0x370, 0x400), (0x1E00, 0x1F00),
              (0x1F00, 0x2000), (0x2010, 0x2030), (0x130, 0x131), (0xAC00, 0xAC20)]  # fmt: skip
    samples = ["Décidé", "L’équipe a tranché", "İstanbul", "ŒUVRE", "`code`", "ǅemal", "\u1fef"]
    for _ in range(3000):
        samples.append(
            "".join(chr(rng.randrange(*rng.choice(ranges))) for _ in range(rng.randrange(1, 12)))
        )
    for text in samples:
        assert fold(text) == fold_word(text) == _fold_by_character(text), text
