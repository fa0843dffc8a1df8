"""Train the unit classifier as spaCy trains it: `python -m nlp.training.train` (`make train`).

Builds `.spacy` files (DocBin) from the hand labels in `data/labels/minutes/<lang>/` (and,
with `--ami`, AMI dialogue acts from `../shared/corpus`), runs `spacy train` through its
Python API with `nlp/training/config.cfg` (fixed seed, fixed number of epochs, so the same
labels give the same model), and writes the last model to `nlp/models/units/`.
Every tenth training unit is the dev set spaCy reports on; it never chooses the model.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from nlp.components.bodies import own_headings
from nlp.labelling import read_jsonl
from nlp.unit_model import LABELS, MODEL_DIR, PRIORS_FILE, features, rule_decisions

ROOT = Path(__file__).resolve().parents[2]
LABEL_DIR = ROOT / "data" / "labels" / "minutes"
CORPUS = ROOT.parent / "shared" / "corpus" / "meetings"
CONFIG = Path(__file__).resolve().parent / "config.cfg"
AMI_FILE = Path("en") / "ami_decisions" / "dialogue_acts.jsonl"


def load_minutes_labels(label_dir: Path = LABEL_DIR) -> list[dict]:
    """Every labelled unit: lang, source, text, heading, label, status, actor."""
    return [
        dict(row, lang=lang, source=row["unit_id"].split("/")[0])
        for lang in ("fr", "en")
        for row in read_jsonl(label_dir / lang / "labels.jsonl")
    ]


def load_ami(corpus: Path = CORPUS) -> list[dict]:
    """AMI dialogue acts as units: DECISION when decision-linked, ACTION when linked to the
    summary's actions only, else NONE; acts with no word are left out."""
    rows = []
    with (corpus / AMI_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            act = json.loads(line)
            if not act["text"].strip():
                continue
            links = act["linked_to"]
            label = "DECISION" if act["decision"] else "ACTION" if "actions" in links else "NONE"
            rows.append(
                {
                    "unit_id": act["da_id"],
                    "meeting": act["meeting"],
                    "lang": "en",
                    "source": "ami_decisions",
                    "text": act["text"],
                    "heading": "",
                    "label": label,
                    "status": "taken" if label == "DECISION" else None,
                    "actor": None,
                }
            )
    return rows


def attach_rules(rows: list[dict]) -> None:
    """Put the current rules' decisions on each row (`rules` key), per language."""
    for lang in ("fr", "en"):
        mine = [r for r in rows if r["lang"] == lang and "rules" not in r]
        found = rule_decisions(
            [r["text"] for r in mine],
            lang,
            lambda i, mine=mine: {"own_body": own_headings(mine[i].get("heading"))},
        )
        for row, decisions in zip(mine, found, strict=True):
            row["rules"] = decisions


def feature_text(row: dict) -> str:
    return features(row["text"], row.get("heading"), row["rules"], row["lang"])


def write_docbin(rows: list[dict], path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("xx")
    bin_ = DocBin(store_user_data=False)
    for row in rows:
        doc = nlp.make_doc(feature_text(row))
        doc.cats = {label: float(label == row["label"]) for label in LABELS}
        bin_.add(doc)
    bin_.to_disk(path)


def train(rows: list[dict], out: Path, *, quiet: bool = True) -> Path:
    """Train on `rows` (with `rules` attached); the trained pipeline is written to `out`."""
    from spacy.cli.train import train as spacy_train

    dev = rows[::10]
    train_rows = [r for i, r in enumerate(rows) if i % 10]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        write_docbin(train_rows, tmp_path / "train.spacy")
        write_docbin(dev, tmp_path / "dev.spacy")
        overrides = {
            "paths.train": str(tmp_path / "train.spacy"),
            "paths.dev": str(tmp_path / "dev.spacy"),
        }
        if quiet:
            import io
            from contextlib import redirect_stderr, redirect_stdout

            with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                spacy_train(CONFIG, tmp_path / "out", overrides=overrides)
        else:
            spacy_train(CONFIG, tmp_path / "out", overrides=overrides)
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(tmp_path / "out" / "model-last", out)
    # The training files' temporary paths are no part of the model: keep it byte-identical.
    config = out / "config.cfg"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'(?m)^(train|dev) = "[^"]*"$', r"\1 = null", text), encoding="utf-8")
    shares = {label: sum(r["label"] == label for r in rows) / len(rows) for label in LABELS}
    (out / PRIORS_FILE).write_text(json.dumps(shares, indent=1) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--ami", action="store_true", help="add AMI dialogue acts")
    args = parser.parse_args(argv)
    rows = load_minutes_labels()
    if args.ami:
        rows += load_ami()
    attach_rules(rows)
    train(rows, args.out, quiet=False)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"trained on {len(rows)} units -> {args.out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
