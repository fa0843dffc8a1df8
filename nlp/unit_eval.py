"""Leave-one-corpus-out accuracy on real minutes: `python -m nlp.unit_eval` (`make eval-nlp`).

For every source of the hand labels (`data/labels/minutes/<lang>/labels.jsonl`: four French,
two English) and for AMI (`../shared/corpus/meetings/en/ami_decisions`), the unit classifier
is trained on every other minutes source (both languages; `--ami` adds AMI acts to the
training of the minutes folds) and scored on the one left out, which it never saw. The
current rules are scored on the same units as the baseline: a unit is DECISION when the
rules find a decision in it (they find no ACTION). Reported per source: DECISION and ACTION
precision / recall / F1, and on the decisions found that are real (true positives) the status
accuracy and the actor accuracy (`meeting` or the name, compared folded, determiners dropped,
one containing the other). AMI has no status or actor labels.

The corpus is read from `../shared/corpus`; without it the AMI fold is skipped with a
reason (the minutes folds need only the labels).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nlp.eval import mention_key
from nlp.training.train import (
    AMI_FILE,
    CORPUS,
    attach_rules,
    feature_text,
    load_ami,
    load_minutes_labels,
    train,
)
from nlp.unit_model import actor_of, classify, load_model, ruled_out, rules_decide, unit_decision

SOURCES = (
    ("fr", "ouvroir_lab"),
    ("fr", "neutrinet_asbl"),
    ("fr", "poitiers_collectif"),
    ("fr", "foopgp_association"),
    ("en", "nodejs_tsc"),
    ("en", "python_steering_council"),
)


@dataclass
class Fold:
    tp: dict = field(default_factory=lambda: {"DECISION": 0, "ACTION": 0})
    fp: dict = field(default_factory=lambda: {"DECISION": 0, "ACTION": 0})
    fn: dict = field(default_factory=lambda: {"DECISION": 0, "ACTION": 0})
    status: list = field(default_factory=lambda: [0, 0])
    actor: list = field(default_factory=lambda: [0, 0])
    errors: list = field(default_factory=list)

    def prf(self, label: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def same_actor(gold: str | None, predicted: str) -> bool:
    g, p = mention_key(gold or "meeting"), mention_key(predicted)
    return g == p or (bool(g) and bool(p) and (g in p or p in g))


def score(rows: list[dict], predicted: list[str], with_details: bool = True) -> Fold:
    fold = Fold()
    for row, label in zip(rows, predicted, strict=True):
        gold = row["label"]
        for name in ("DECISION", "ACTION"):
            if label == name and gold == name:
                fold.tp[name] += 1
            elif label == name:
                fold.fp[name] += 1
            elif gold == name:
                fold.fn[name] += 1
        if gold != label:
            fold.errors.append((gold, label, row["text"]))
        if with_details and gold == label == "DECISION":
            decision = unit_decision(row["text"], row["rules"], row["lang"])
            fold.status[0] += decision["status"] == row["status"]
            fold.status[1] += 1
            fold.actor[0] += same_actor(row["actor"], actor_of(decision))
            fold.actor[1] += 1
    return fold


def rules_labels(rows: list[dict]) -> list[str]:
    return ["DECISION" if row["rules"] else "NONE" for row in rows]


def learned_labels(train_rows: list[dict], test_rows: list[dict]) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        model = train(train_rows, Path(tmp) / "model")
        nlp = load_model(model)
        return classify(
            nlp,
            [feature_text(r) for r in test_rows],
            [rules_decide(r["text"], r["rules"]) for r in test_rows],
            lambda i: ruled_out(test_rows[i]["text"], test_rows[i]["lang"]),
        )


def _ratio(pair: list[int]) -> str:
    return f"{pair[0] / pair[1]:.2f} ({pair[1]})" if pair[1] else "–"


def table(results: list[tuple[str, str, int, Fold]]) -> str:
    lines = [
        "| source | method | units | DECISION P / R / F1 | ACTION P / R / F1 "
        "| status acc. | actor acc. |",
        "|---|---|---|---|---|---|---|",
    ]
    for source, method, n, fold in results:
        d = "{:.2f} / {:.2f} / {:.2f}".format(*fold.prf("DECISION"))
        a = "{:.2f} / {:.2f} / {:.2f}".format(*fold.prf("ACTION"))
        status, actor = _ratio(fold.status), _ratio(fold.actor)
        lines.append(f"| {source} | {method} | {n} | {d} | {a} | {status} | {actor} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ami", action="store_true", help="add AMI acts to the training folds")
    parser.add_argument("--only", help="score only this source")
    parser.add_argument("--errors", type=int, default=0, help="print N errors per source")
    parser.add_argument("--out", type=Path, help="write the results as JSON")
    args = parser.parse_args(argv)

    minutes = load_minutes_labels()
    ami: list[dict] = []
    if (CORPUS / AMI_FILE).exists():
        ami = load_ami()
    else:
        print(f"AMI fold skipped: {CORPUS / AMI_FILE} not found (the shared corpus is absent)")
    attach_rules(minutes)
    results = []
    folds = list(SOURCES) + ([("en", "ami_decisions")] if ami else [])
    for lang, source in folds:
        if args.only and source != args.only:
            continue
        if source == "ami_decisions":
            test = ami
            train_rows = minutes
        else:
            test = [r for r in minutes if r["source"] == source]
            train_rows = [r for r in minutes if r["source"] != source]
            if args.ami:
                train_rows = train_rows + ami
        if (args.ami or source == "ami_decisions") and ami and "rules" not in ami[0]:
            attach_rules(ami)
        details = source != "ami_decisions"
        name = f"{lang}/{source}"
        results.append((name, "rules", len(test), score(test, rules_labels(test), details)))
        learned = score(test, learned_labels(train_rows, test), details)
        results.append((name, "learned" + ("+ami" if args.ami else ""), len(test), learned))
        print(table(results[-2:]).splitlines()[-2:][0], file=sys.stderr)
        print(table(results[-1:]).splitlines()[-1], file=sys.stderr)
        if args.errors:
            print(f"\n### errors of the learned classifier on {name}")
            for gold, label, text in learned.errors[: args.errors]:
                print(f"- gold {gold}, predicted {label}: {text[:200]}")
    print(table(results))
    if args.out:
        args.out.write_text(
            json.dumps(
                [
                    {
                        "source": s,
                        "method": m,
                        "units": n,
                        "decision": f.prf("DECISION"),
                        "action": f.prf("ACTION"),
                        "status": f.status,
                        "actor": f.actor,
                    }
                    for s, m, n, f in results
                ],
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
