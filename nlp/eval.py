"""Measure the NLP layer on a labelled set: `python -m nlp.eval [--set DIR] [--out FILE]`.

The sets are `data/labels/synthetic/<set>/` (see `data/labels/README.md`).

Reads `<set>/fr.jsonl` and `<set>/en.jsonl` (whichever exist), one labelled text a line:
`{"id", "lang", "source", "text", "is_decision", "status", "domain", "actors",
"business_terms", "tech_terms"}`, runs `annotate_documents` on the texts and prints, per
language, precision / recall / F1 for decision detection, actor mentions and terms, and the
accuracy of status and domain on the decisions found that are real decisions.

Matching: actor and term strings are compared folded (case, accents), with leading
determiners (`le`, `la`, `the`, `our`...) removed and plurals reduced; a pronoun actor
counts as the person it refers to. Exit code 0 unless the set cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from nlp.text import fold, term_key

# The labelled sets live outside the package, in the checkout: data/labels/synthetic/<set>/.
DEFAULT_SET = Path(__file__).resolve().parents[1] / "data" / "labels" / "synthetic" / "eval"
DETERMINERS = {
    "le",
    "la",
    "l'",
    "les",
    "notre",
    "nos",
    "votre",
    "leur",
    "the",
    "our",
    "their",
    "your",
    "du",
    "de",
    "des",
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: list[str], predicted: list[str]) -> None:
        gold_c, pred_c = Counter(gold), Counter(predicted)
        hit = sum((gold_c & pred_c).values())
        self.tp += hit
        self.fp += sum(pred_c.values()) - hit
        self.fn += sum(gold_c.values()) - hit

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


def mention_key(text: str) -> str:
    """Comparable form of an actor or term string."""
    words = fold(text).replace("'", "' ").split()
    while len(words) > 1 and words[0] in DETERMINERS:
        words = words[1:]
    return " ".join(term_key(w.strip(".,;:()[]")) for w in words)


def read_set(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{number}: not JSON ({exc.msg})") from exc
    return rows


def evaluate(rows: list[dict]) -> dict:
    """Scores for one language's rows; also the list of errors for inspection."""
    from nlp import annotate_documents

    docs = [
        {
            "document_id": row["id"],
            "text": row["text"],
            "kind": row.get("source"),
            "language": row.get("lang"),
            "default_repo": None,
            "jira_base_urls": [],
        }
        for row in rows
    ]
    tables = annotate_documents(docs)
    decisions: dict[str, list[dict]] = {}
    for decision in tables["decisions"]:
        decisions.setdefault(decision["document_id"], []).append(decision)
    terms: dict[tuple[str, str], list[str]] = {}
    for term in tables["terms"]:
        terms.setdefault((term["document_id"], term["label"]), []).append(term["text"])

    detection, actors, business, tech = Score(), Score(), Score(), Score()
    status, domain = Accuracy(), Accuracy()
    errors = []
    for row in rows:
        found = decisions.get(row["id"], [])
        detection.add(["d"] if row["is_decision"] else [], ["d"] if found else [])
        if bool(found) != bool(row["is_decision"]):
            errors.append(f"{row['id']} decision gold={row['is_decision']}: {row['text']}")
        predicted_actors = []
        for decision in found:
            for actor in json.loads(decision["actors"]):
                predicted_actors.append(actor.get("refers_to") or actor["text"])
        gold_actors = [mention_key(a) for a in row.get("actors") or []]
        pred_keys = [mention_key(a) for a in dict.fromkeys(predicted_actors)]
        actors.add(gold_actors, pred_keys)
        if sorted(gold_actors) != sorted(pred_keys):
            errors.append(
                f"{row['id']} actors gold={row.get('actors')} got={predicted_actors}: {row['text']}"
            )
        if row["is_decision"] and found:
            for accuracy, name in ((status, "status"), (domain, "domain")):
                accuracy.total += 1
                if found[0][name] == row[name]:
                    accuracy.right += 1
                else:
                    errors.append(
                        f"{row['id']} {name} gold={row[name]} got={found[0][name]}: {row['text']}"
                    )
        for score, label, gold_key in (
            (business, "BUSINESS_TERM", "business_terms"),
            (tech, "TECH_TERM", "tech_terms"),
        ):
            gold_terms = [mention_key(t) for t in row.get(gold_key) or []]
            found_terms = [mention_key(t) for t in terms.get((row["id"], label), [])]
            score.add(gold_terms, found_terms)
            missed = sorted((Counter(gold_terms) - Counter(found_terms)).elements())
            extra = sorted((Counter(found_terms) - Counter(gold_terms)).elements())
            if missed or extra:
                errors.append(f"{row['id']} {label} missed={missed} extra={extra}")
    return {
        "n": len(rows),
        "DECISION": detection,
        "status": status,
        "domain": domain,
        "DECISION_ACTOR": actors,
        "BUSINESS_TERM": business,
        "TECH_TERM": tech,
        "errors": errors,
    }


def table(results: dict[str, dict]) -> str:
    """Markdown table of the scores per language."""
    lines = [
        "| lang | n | measure | precision | recall | F1 / accuracy | tp | fp | fn |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for lang, res in results.items():
        for name in ("DECISION", "DECISION_ACTOR", "BUSINESS_TERM", "TECH_TERM"):
            s = res[name]
            lines.append(
                f"| {lang} | {res['n']} | {name} | {s.precision:.3f} | {s.recall:.3f} "
                f"| {s.f1:.3f} | {s.tp} | {s.fp} | {s.fn} |"
            )
        for name in ("status", "domain"):
            a = res[name]
            lines.append(
                f"| {lang} | {res['n']} | decision {name} accuracy | | | "
                f"{a.value:.3f} ({a.right}/{a.total}) | | | |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.eval", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--set",
        type=Path,
        default=DEFAULT_SET,
        help="folder holding fr.jsonl and/or en.jsonl (default: data/labels/synthetic/eval)",
    )
    parser.add_argument("--out", type=Path, help="also write the table (and errors) here")
    parser.add_argument("--errors", action="store_true", help="print every error")
    args = parser.parse_args(argv)
    results = {}
    for lang in ("fr", "en"):
        path = args.set / f"{lang}.jsonl"
        if path.exists():
            results[lang] = evaluate(read_set(path))
    if not results:
        print(f"nlp.eval: no fr.jsonl or en.jsonl in {args.set}", file=sys.stderr)
        return 2
    report = table(results)
    print(report)
    errors = [e for res in results.values() for e in res["errors"]]
    if args.errors:
        print("\n".join(errors))
    if args.out:
        args.out.write_text(report + "\n\n" + "\n".join(errors) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
