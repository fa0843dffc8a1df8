"""The hand labels of real minutes kept in data/labels/minutes still match the corpus they
label (read from ../shared/corpus, never copied), and their passes and resolutions agree."""

from pathlib import Path

import pytest

from nlp.labelling import check, read_jsonl

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "data" / "labels" / "minutes"
CORPUS = ROOT.parent / "shared" / "corpus" / "meetings"


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_labels_match_the_corpus_text(lang):
    problems, counts = check(LABELS / lang / "labels.jsonl", CORPUS)
    assert not problems
    assert sum(counts.values()) >= 1500


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_disagreement_between_passes_is_resolved(lang):
    folder = LABELS / lang
    final = {
        row["unit_id"]: [row["label"], row["status"], row["actor"]]
        for row in read_jsonl(folder / "labels.jsonl")
    }
    passes = read_jsonl(folder / "passes.jsonl")
    resolved = {row["unit_id"]: row for row in read_jsonl(folder / "disagreements.jsonl")}
    assert len(passes) == len(final)
    for row in passes:
        if row["unit_id"] in resolved:
            assert final[row["unit_id"]] == resolved[row["unit_id"]]["final"]
            assert resolved[row["unit_id"]]["reason"]
        else:  # the passes agreed: the final label is theirs
            assert final[row["unit_id"]][0] == row["a"][0] == row["b"][0]
