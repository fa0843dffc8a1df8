"""nlp.labelling: sample, check and agree on a tiny fake corpus written in tmp_path."""

import pytest

from nlp import labelling
from nlp.labelling import agree, check, cohen_kappa, main, read_jsonl, sample

MINUTES = {
    "fr/alpha/2020-01-07.md": "# Réunion\n\n- Budget voté.\n- Marie : relancer Lucien\n",
    "fr/alpha/2021-03-02.md": "# Réunion\n\nOn part sur Zotero.\n\nSéance levée.\n",
    "fr/alpha/2022-05-10.md": "# Seulement un titre\n",
    "fr/beta/2019_ag.md": "Approbation des comptes\n+ pour 9\n+ contre 0\n+ abstention 1\n",
    "fr/beta/2020_ca.md": "| Qui | Quoi |\n|---|---|\n| Paul | écrire le PV |\n",
}


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "meetings"
    for rel, text in MINUTES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def two_sources(monkeypatch):
    monkeypatch.setitem(labelling.SOURCES, "fr", ["alpha", "beta"])


def write_jsonl(path, rows):
    labelling.write_jsonl(path, rows)
    return path


def label(unit_id, file, line, text, lab="NONE", status=None, actor=None, heading=""):
    return {
        "unit_id": unit_id,
        "file": file,
        "line": line,
        "heading": heading,
        "text": text,
        "label": lab,
        "status": status,
        "actor": actor,
    }


# ---- sample -----------------------------------------------------------------------------


def test_sample_draws_whole_files_from_every_source(corpus, two_sources, tmp_path):
    # GIVEN two sources, one file holding only a heading
    # WHEN every unit is asked for
    sample(corpus, "fr", 100, 7, tmp_path / "out")
    rows = read_jsonl(tmp_path / "out" / "worklist.jsonl")
    # THEN both sources are drawn, whole files only, the headings-only file skipped
    assert {r["source"] for r in rows} == {"alpha", "beta"}
    assert {r["file"] for r in rows} == set(MINUTES) - {"fr/alpha/2022-05-10.md"}
    assert len(rows) == 3 + 3 + 1 + 1  # 2 + 2 units with headings, a vote, a table row


def test_sample_rows_carry_the_unit_fields(corpus, two_sources, tmp_path):
    # GIVEN the fake corpus
    # WHEN it is sampled
    sample(corpus, "fr", 100, 7, tmp_path / "out")
    rows = {r["unit_id"]: r for r in read_jsonl(tmp_path / "out" / "worklist.jsonl")}
    # THEN a row holds id, source, relative file, lines, kind, heading, speaker and text
    assert rows["alpha/2020-01-07#4"] == {
        "unit_id": "alpha/2020-01-07#4",
        "source": "alpha",
        "file": "fr/alpha/2020-01-07.md",
        "line": 4,
        "end_line": 4,
        "kind": "bullet",
        "heading": "Réunion",
        "speaker": "Marie",
        "text": "Marie : relancer Lucien",
    }


def test_sample_stops_once_enough_units_round_robin(corpus, two_sources, tmp_path):
    # GIVEN a small target
    # WHEN it is sampled
    sample(corpus, "fr", 2, 7, tmp_path / "out")
    files = {r["file"] for r in read_jsonl(tmp_path / "out" / "worklist.jsonl")}
    # THEN one file of the first source and none more once the target is met
    assert len(files) == 1


def test_sample_is_deterministic_for_a_seed(corpus, two_sources, tmp_path):
    # GIVEN the same corpus sampled twice with one seed
    sample(corpus, "fr", 4, 7, tmp_path / "a")
    sample(corpus, "fr", 4, 7, tmp_path / "b")
    # WHEN / THEN the worklists are identical
    a, b = (tmp_path / d / "worklist.jsonl" for d in "ab")
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")


def test_sample_batches_never_split_a_file(corpus, two_sources, tmp_path, monkeypatch):
    # GIVEN batches of about two units
    monkeypatch.setattr(labelling, "BATCH_UNITS", 2)
    # WHEN it is sampled
    batches = sample(corpus, "fr", 100, 7, tmp_path / "out")
    # THEN each file lies in one batch, all batches are written and summarised
    owner = {}
    for k, batch in enumerate(batches):
        for row in batch:
            assert owner.setdefault(row["file"], k) == k
    assert len(batches) > 1
    assert (tmp_path / "out" / f"batch-{len(batches):02d}.jsonl").is_file()
    assert "| batch-01 |" in (tmp_path / "out" / "batches.md").read_text(encoding="utf-8")


def test_sample_caps_a_large_file(corpus, two_sources, tmp_path, monkeypatch):
    # GIVEN a cap of two units a file
    monkeypatch.setattr(labelling, "MAX_FILE_UNITS", 2)
    # WHEN it is sampled
    sample(corpus, "fr", 100, 7, tmp_path / "out")
    rows = read_jsonl(tmp_path / "out" / "worklist.jsonl")
    # THEN no file gives more than two units
    assert max(sum(r["file"] == f for r in rows) for f in {r["file"] for r in rows}) == 2


# ---- check ------------------------------------------------------------------------------


def test_check_accepts_valid_labels_and_counts_them(corpus, tmp_path):
    # GIVEN labels matching the corpus
    labels = write_jsonl(
        tmp_path / "labels.jsonl",
        [
            label(
                "alpha/2020-01-07#3",
                "fr/alpha/2020-01-07.md",
                3,
                "Budget voté.",
                "DECISION",
                "taken",
                "meeting",
                "Réunion",
            ),
            label(
                "alpha/2020-01-07#4",
                "fr/alpha/2020-01-07.md",
                4,
                "Marie : relancer Lucien",
                "ACTION",
                actor="Marie",
            ),
            label(
                "beta/2019_ag#1",
                "fr/beta/2019_ag.md",
                1,
                "Approbation des comptes pour 9 contre 0 abstention 1",
                "DECISION",
                "taken",
            ),
        ],
    )
    # WHEN it is checked
    problems, counts = check(labels, corpus)
    # THEN there is no problem and the counts are per source and label
    assert problems == []
    assert counts == {("alpha", "DECISION"): 1, ("alpha", "ACTION"): 1, ("beta", "DECISION"): 1}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"label": "MAYBE"}, "label 'MAYBE' not in"),
        ({"label": "DECISION", "status": None}, "status None not in"),
        ({"status": "taken"}, "status 'taken' should be null for NONE"),
        ({"actor": ""}, "actor should be a non-empty string or null"),
        ({"line": "3"}, "line missing or not a int"),
        ({"text": "Budget refusé."}, "text differs from the corpus unit"),
        ({"line": 2, "unit_id": "alpha/2020-01-07#2"}, "no unit starts at line 2"),
        ({"unit_id": "alpha/2020-01-07#9"}, "unit_id does not match file and line"),
        ({"file": "fr/alpha/gone.md", "unit_id": "alpha/gone#3"}, "file not found"),
    ],
)
def test_check_names_file_unit_and_reason(corpus, tmp_path, change, reason):
    # GIVEN one label broken in one way
    row = label("alpha/2020-01-07#3", "fr/alpha/2020-01-07.md", 3, "Budget voté.") | change
    labels = write_jsonl(tmp_path / "labels.jsonl", [row])
    # WHEN it is checked
    problems, _ = check(labels, corpus)
    # THEN the one problem names the file, the unit and the reason
    assert len(problems) == 1
    assert problems[0].startswith(f"{row['file']}: {row['unit_id']}: ")
    assert reason in problems[0]


def test_check_rejects_a_duplicate_unit(corpus, tmp_path):
    # GIVEN the same unit labelled twice
    row = label("alpha/2020-01-07#3", "fr/alpha/2020-01-07.md", 3, "Budget voté.")
    labels = write_jsonl(tmp_path / "labels.jsonl", [row, row])
    # WHEN it is checked
    problems, _ = check(labels, corpus)
    # THEN the duplicate is a problem
    assert problems == ["fr/alpha/2020-01-07.md: alpha/2020-01-07#3: duplicate unit_id"]


def test_check_command_exits_non_zero_on_a_problem(corpus, tmp_path, capsys):
    # GIVEN a label with a wrong text
    row = label("alpha/2020-01-07#3", "fr/alpha/2020-01-07.md", 3, "Autre chose.")
    labels = write_jsonl(tmp_path / "labels.jsonl", [row])
    # WHEN the command runs
    code = main(["check", str(labels), "--corpus", str(corpus)])
    # THEN it fails and says why on stderr
    assert code == 1
    assert "text differs" in capsys.readouterr().err


# ---- agree ------------------------------------------------------------------------------


def test_cohen_kappa_matches_a_worked_example():
    # GIVEN two raters agreeing on 3 of 4 units with balanced marginals
    a = ["DECISION", "DECISION", "NONE", "NONE"]
    b = ["DECISION", "NONE", "NONE", "NONE"]
    # WHEN / THEN kappa = (0.75 - 0.5) / (1 - 0.5)
    assert cohen_kappa(a, b) == pytest.approx(0.5)


def test_agree_measures_labels_status_and_actor(tmp_path):
    # GIVEN two passes over three shared units and one unit only in A
    f = "fr/alpha/x.md"
    pass_a = [
        label("a#1", f, 1, "t1", "DECISION", "taken", "Meeting"),
        label("a#2", f, 2, "t2", "DECISION", "postponed", "meeting"),
        label("a#3", f, 3, "t3", "ACTION", actor="Marie"),
        label("a#4", f, 4, "t4"),
    ]
    pass_b = [
        label("a#1", f, 1, "t1", "DECISION", "taken", "meeting"),
        label("a#2", f, 2, "t2", "DECISION", "taken", "meeting"),
        label("a#3", f, 3, "t3", "NONE"),
    ]
    a = write_jsonl(tmp_path / "a.jsonl", pass_a)
    b = write_jsonl(tmp_path / "b.jsonl", pass_b)
    # WHEN agreement is measured
    stats, disagreements = agree(a, b)
    # THEN labels agree on 2 of 3, status on 1 of 2 decisions, actor (any case) on 2 of 2
    assert stats["shared_units"] == 3 and stats["only_a"] == 1 and stats["only_b"] == 0
    assert stats["label_agreement"] == pytest.approx(2 / 3, abs=1e-4)
    assert stats["status_agreement"] == 0.5 and stats["status_units"] == 2
    assert stats["actor_agreement"] == 1.0 and stats["actor_units"] == 2
    assert [(d["unit_id"], d["fields"]) for d in disagreements] == [
        ("a#2", ["status"]),
        ("a#3", ["label"]),
    ]


def test_agree_command_writes_the_disagreements(tmp_path, capsys):
    # GIVEN two passes disagreeing on one unit
    a = write_jsonl(tmp_path / "a.jsonl", [label("a#1", "f.md", 1, "t", "ACTION", actor="Paul")])
    b = write_jsonl(tmp_path / "b.jsonl", [label("a#1", "f.md", 1, "t", "ACTION", actor="Marie")])
    out = tmp_path / "dis" / "disagreements.jsonl"
    # WHEN the command runs with --out
    assert main(["agree", str(a), str(b), "--out", str(out)]) == 0
    # THEN the disagreement is written with both sides
    (row,) = read_jsonl(out)
    assert row["fields"] == ["actor"] and (row["actor_a"], row["actor_b"]) == ("Paul", "Marie")
    assert "label_kappa: 1.0" in capsys.readouterr().out


def test_resolve_keeps_agreed_labels_and_the_adjudicated_ones(tmp_path):
    # GIVEN two passes disagreeing on one of two units, and its adjudication
    f = "en/alpha/x.md"
    a = write_jsonl(
        tmp_path / "a.jsonl",
        [label("a#1", f, 1, "t1", "DECISION", "taken", "meeting"), label("a#2", f, 2, "t2")],
    )
    b = write_jsonl(
        tmp_path / "b.jsonl",
        [label("a#1", f, 1, "t1", "DECISION", "taken", "meeting"),
         label("a#2", f, 2, "t2", "ACTION", actor="Ryan")],
    )  # fmt: skip
    judged = write_jsonl(
        tmp_path / "adj.jsonl",
        [{"unit_id": "a#2", "label": "ACTION", "status": None, "actor": "Ryan",
          "winner": "b", "reason": "a task for later"}],
    )  # fmt: skip
    # WHEN the labels are resolved
    labelling.resolve(a, b, judged, tmp_path / "out")
    # THEN the final labels take the agreement, else the adjudication, and keep the unit text
    final = read_jsonl(tmp_path / "out" / "labels.jsonl")
    assert [(r["unit_id"], r["label"], r["actor"], r["text"]) for r in final] == [
        ("a#1", "DECISION", "meeting", "t1"),
        ("a#2", "ACTION", "Ryan", "t2"),
    ]
    (resolved,) = read_jsonl(tmp_path / "out" / "disagreements.jsonl")
    assert resolved["a"] == ["NONE", None, None] and resolved["winner"] == "b"
    assert len(read_jsonl(tmp_path / "out" / "passes.jsonl")) == 2


def test_resolve_refuses_an_unadjudicated_disagreement(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [label("a#1", "f.md", 1, "t", "ACTION", actor="P")])
    b = write_jsonl(tmp_path / "b.jsonl", [label("a#1", "f.md", 1, "t")])
    empty = write_jsonl(tmp_path / "adj.jsonl", [])
    with pytest.raises(ValueError, match="no adjudication for 1 units"):
        labelling.resolve(a, b, empty, tmp_path / "out")
