"""Build and check hand labels of real minutes (../shared/LABELLING.md), unit by unit.

    python -m nlp.labelling sample --corpus DIR --lang fr --units 1600 --seed 7 --out DIR
    python -m nlp.labelling check LABELS.jsonl --corpus DIR
    python -m nlp.labelling agree A.jsonl B.jsonl --out DISAGREEMENTS.jsonl

DIR is the corpus `meetings` folder. The minutes are read from it and never copied into the
repository: worklists go to the `--out` folder given (keep it outside the repository).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from nlp.units import Unit, clean, segment

SOURCES = {
    "fr": ["ouvroir_lab", "neutrinet_asbl", "poitiers_collectif", "foopgp_association"],
    "en": ["nodejs_tsc", "python_steering_council"],
}
LABELS = ("DECISION", "ACTION", "NONE")
STATUSES = ("taken", "postponed", "rejected")
MAX_FILE_UNITS = 120
BATCH_UNITS = 400


# ---- sample -----------------------------------------------------------------------------


def _year(path: Path, text: str) -> str:
    m = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", path.name) or re.search(
        r"^date:\s*['\"]?((19|20)\d{2})", text, re.M
    )
    return m.group(0)[-4:] if m else "unknown"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _file_queue(corpus: Path, lang: str, source: str, rng: random.Random) -> list[Path]:
    """The source's files in drawing order: shuffled within a year, years taken in turn."""
    by_year: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((corpus / lang / source).glob("*.md")):
        by_year[_year(path, _read(path))].append(path)
    years = sorted(by_year)
    for y in years:
        rng.shuffle(by_year[y])
    queue: list[Path] = []
    while any(by_year[y] for y in years):
        for y in years:
            if by_year[y]:
                queue.append(by_year[y].pop())
    return queue


def unit_id(source: str, path: Path | str, line: int) -> str:
    return f"{source}/{Path(path).stem}#{line}"


def _rows(corpus: Path, path: Path, source: str, units: list[Unit]) -> list[dict]:
    rel = path.relative_to(corpus).as_posix()
    return [
        {
            "unit_id": unit_id(source, path, u.line),
            "source": source,
            "file": rel,
            "line": u.line,
            "end_line": u.end_line,
            "kind": u.kind,
            "heading": " > ".join(u.heading),
            "speaker": u.speaker,
            "text": u.text,
        }
        for u in units
    ]


def sample(corpus: Path, lang: str, n_units: int, seed: int, out: Path) -> list[list[dict]]:
    """Whole files, round-robin across the language's sources, until at least n_units."""
    rng = random.Random(seed)
    queues = {s: _file_queue(corpus, lang, s, rng) for s in SOURCES[lang]}
    files: list[list[dict]] = []  # one list of rows per drawn file
    total = 0
    while total < n_units and any(queues.values()):
        for source in SOURCES[lang]:
            while queues[source]:
                path = queues[source].pop(0)
                units = segment(_read(path))
                if not any(u.kind != "heading" for u in units):
                    continue  # empty or headings only
                rows = _rows(corpus, path, source, units[:MAX_FILE_UNITS])
                files.append(rows)
                total += len(rows)
                break
            if total >= n_units:
                break
    batches: list[list[dict]] = [[]]
    target = total / max(1, round(total / BATCH_UNITS))
    for rows in files:
        if batches[-1] and len(batches[-1]) + len(rows) / 2 > target:
            batches.append([])
        batches[-1].extend(rows)
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "worklist.jsonl", [r for rows in files for r in rows])
    for k, batch in enumerate(batches, 1):
        write_jsonl(out / f"batch-{k:02d}.jsonl", batch)
    (out / "batches.md").write_text(_summary(lang, seed, files, batches), encoding="utf-8")
    return batches


def _summary(lang: str, seed: int, files: list[list[dict]], batches: list[list[dict]]) -> str:
    n_units = sum(len(rows) for rows in files)
    lines = [
        f"# Labelling worklist ({lang}, seed {seed})",
        "",
        f"{n_units} units from {len(files)} whole files (at most {MAX_FILE_UNITS} units a file),"
        f" in {len(batches)} batches.",
        "",
        "| batch | source | files | units |",
        "|---|---|---|---|",
    ]
    for k, batch in enumerate(batches, 1):
        units = Counter(r["source"] for r in batch)
        n_files = Counter(s for s, _ in {(r["source"], r["file"]) for r in batch})
        for source in sorted(units):
            lines.append(f"| batch-{k:02d} | {source} | {n_files[source]} | {units[source]} |")
        lines.append(f"| batch-{k:02d} | **all** | {sum(n_files.values())} | {len(batch)} |")
    return "\n".join(lines) + "\n"


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    """The rows of a JSONL file; a line that is not JSON becomes `{"_error": reason}`."""
    rows = []
    for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                rows.append({"_error": f"line {k}: not JSON ({exc.msg})"})
    return rows


# ---- check ------------------------------------------------------------------------------


def check(labels: Path, corpus: Path) -> tuple[list[str], Counter]:
    """Problems found in a labels file (empty when valid) and the label counts per source."""
    problems: list[str] = []
    counts: Counter = Counter()
    seen: set[str] = set()
    segmented: dict[str, dict[int, Unit] | None] = {}
    for row in read_jsonl(labels):
        where = f"{row.get('file', '?')}: {row.get('unit_id', '?')}"
        if "_error" in row:
            problems.append(f"{labels.name}: {row['_error']}")
            continue
        reasons = _schema_problems(row)
        if not reasons:
            uid = row["unit_id"]
            if uid in seen:
                reasons.append("duplicate unit_id")
            seen.add(uid)
            reasons += _corpus_problems(row, corpus, segmented)
        problems += [f"{where}: {r}" for r in reasons]
        if not reasons:
            counts[(row["file"].split("/")[1] if "/" in row["file"] else "?", row["label"])] += 1
    return problems, counts


def _schema_problems(row: dict) -> list[str]:
    reasons = []
    for key, kind in (("unit_id", str), ("file", str), ("line", int), ("heading", str)):
        if not isinstance(row.get(key), kind) or isinstance(row.get(key), bool):
            reasons.append(f"{key} missing or not a {kind.__name__}")
    if not isinstance(row.get("text"), str) or not row.get("text", "").strip():
        reasons.append("text missing or empty")
    label, status, actor = row.get("label"), row.get("status", "missing"), row.get("actor", 0)
    if label not in LABELS:
        reasons.append(f"label {label!r} not in {'|'.join(LABELS)}")
    if label == "DECISION" and status not in STATUSES:
        reasons.append(f"status {status!r} not in {'|'.join(STATUSES)} for a DECISION")
    if label in ("ACTION", "NONE") and status is not None:
        reasons.append(f"status {status!r} should be null for {label}")
    if actor is not None and not (isinstance(actor, str) and actor.strip()):
        reasons.append("actor should be a non-empty string or null")
    return reasons


def _corpus_problems(row: dict, corpus: Path, segmented: dict) -> list[str]:
    rel = row["file"]
    if rel not in segmented:
        path = corpus / rel
        units = segment(_read(path)) if path.is_file() else None
        segmented[rel] = None if units is None else {u.line: u for u in units}
    units = segmented[rel]
    if units is None:
        return [f"file not found in the corpus ({corpus / rel})"]
    parts = Path(rel).parts
    if len(parts) >= 2 and row["unit_id"] != unit_id(parts[1], rel, row["line"]):
        return [f"unit_id does not match file and line ({unit_id(parts[1], rel, row['line'])})"]
    unit = units.get(row["line"])
    if unit is None:
        return [f"no unit starts at line {row['line']} of the file"]
    if clean(row["text"]) != unit.text:
        return [f"text differs from the corpus unit at that line: {unit.text[:80]!r}"]
    return []


# ---- agree ------------------------------------------------------------------------------


def cohen_kappa(a: list[str], b: list[str]) -> float:
    n = len(a)
    if n == 0:
        return float("nan")
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _same_actor(x: str | None, y: str | None) -> bool:
    return (x or "").strip().casefold() == (y or "").strip().casefold()


def agree(path_a: Path, path_b: Path) -> tuple[dict, list[dict]]:
    """Agreement figures on the units both passes labelled, and the disagreements."""
    a = {r["unit_id"]: r for r in read_jsonl(path_a) if "unit_id" in r}
    b = {r["unit_id"]: r for r in read_jsonl(path_b) if "unit_id" in r}
    shared = [uid for uid in a if uid in b]
    la, lb = [a[u].get("label") for u in shared], [b[u].get("label") for u in shared]
    both_dec = [u for u in shared if a[u].get("label") == b[u].get("label") == "DECISION"]
    both_act = [
        u
        for u in shared
        if a[u].get("label") in ("DECISION", "ACTION")
        and b[u].get("label") in ("DECISION", "ACTION")
    ]
    same_status = [u for u in both_dec if a[u].get("status") == b[u].get("status")]
    same_actor = [u for u in both_act if _same_actor(a[u].get("actor"), b[u].get("actor"))]
    stats = {
        "shared_units": len(shared),
        "only_a": len(a) - len(shared),
        "only_b": len(b) - len(shared),
        "label_agreement": _ratio(sum(x == y for x, y in zip(la, lb, strict=True)), len(shared)),
        "label_kappa": round(cohen_kappa(la, lb), 4) if shared else None,
        "status_agreement": _ratio(len(same_status), len(both_dec)),
        "status_units": len(both_dec),
        "actor_agreement": _ratio(len(same_actor), len(both_act)),
        "actor_units": len(both_act),
    }
    disagreements = []
    for u in shared:
        ra, rb = a[u], b[u]
        fields = []
        if ra.get("label") != rb.get("label"):
            fields.append("label")
        elif ra.get("label") == "DECISION" and ra.get("status") != rb.get("status"):
            fields.append("status")
        if u in both_act and not _same_actor(ra.get("actor"), rb.get("actor")):
            fields.append("actor")
        if fields:
            disagreements.append(
                {
                    "unit_id": u,
                    "file": ra.get("file"),
                    "line": ra.get("line"),
                    "text": ra.get("text"),
                    "fields": fields,
                    **{
                        f"{k}_{side}": r.get(k)
                        for side, r in (("a", ra), ("b", rb))
                        for k in ("label", "status", "actor")
                    },
                }
            )
    return stats, disagreements


def _ratio(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


# ---- resolve ----------------------------------------------------------------------------

FINAL_KEYS = ("unit_id", "file", "line", "heading", "text", "label", "status", "actor")
JUDGEMENT = ("label", "status", "actor")


def resolve(path_a: Path, path_b: Path, adjudicated: Path, out: Path) -> dict:
    """Write the labels to keep in the repository from two passes and an adjudication:
    `labels.jsonl` (the final label of every unit, with its text and heading),
    `passes.jsonl` (both passes' judgements, compact), `disagreements.jsonl` (each
    disagreement with its resolution and reason) and `agreement.json`. Raises ValueError
    when a disagreement has no adjudication."""
    a = {r["unit_id"]: r for r in read_jsonl(path_a)}
    b = {r["unit_id"]: r for r in read_jsonl(path_b)}
    judged = {r["unit_id"]: r for r in read_jsonl(adjudicated)}
    stats, disagreements = agree(path_a, path_b)
    missing = [d["unit_id"] for d in disagreements if d["unit_id"] not in judged]
    if missing:
        raise ValueError(f"{adjudicated}: no adjudication for {len(missing)} units: {missing[:3]}")
    final, resolved = [], []
    for uid, row in a.items():
        chosen = judged[uid] if uid in judged else row
        final.append({k: chosen.get(k) if k in JUDGEMENT else row.get(k) for k in FINAL_KEYS})
    for d in disagreements:
        j = judged[d["unit_id"]]
        resolved.append(
            {
                "unit_id": d["unit_id"],
                "fields": d["fields"],
                "a": [d[f"{k}_a"] for k in JUDGEMENT],
                "b": [d[f"{k}_b"] for k in JUDGEMENT],
                "final": [j.get(k) for k in JUDGEMENT],
                "winner": j.get("winner"),
                "reason": j.get("reason"),
            }
        )
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "labels.jsonl", final)
    write_jsonl(
        out / "passes.jsonl",
        [
            {
                "unit_id": u,
                "a": [a[u].get(k) for k in JUDGEMENT],
                "b": [b[u].get(k) for k in JUDGEMENT],
            }
            for u in a
            if u in b
        ],
    )
    write_jsonl(out / "disagreements.jsonl", resolved)
    (out / "agreement.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return stats


# ---- command line -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.labelling", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sample", help="draw whole files into a worklist and batches")
    p.add_argument("--corpus", type=Path, required=True, help="the corpus meetings folder")
    p.add_argument("--lang", choices=sorted(SOURCES), required=True)
    p.add_argument("--units", type=int, default=1600)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("check", help="validate a labels file against the corpus")
    p.add_argument("labels", type=Path)
    p.add_argument("--corpus", type=Path, required=True)
    p = sub.add_parser("agree", help="agreement between two labelling passes")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p.add_argument("--out", type=Path, help="where to write the disagreements (JSONL)")
    p = sub.add_parser("resolve", help="final labels from two passes and an adjudication")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p.add_argument("adjudicated", type=Path)
    p.add_argument("--out", type=Path, required=True, help="folder for labels.jsonl & co")
    args = parser.parse_args(argv)

    if args.command == "sample":
        if not (args.corpus / args.lang).is_dir():
            print(f"no {args.lang} folder in {args.corpus}", file=sys.stderr)
            return 2
        batches = sample(args.corpus, args.lang, args.units, args.seed, args.out)
        n = sum(len(b) for b in batches)
        print(f"{n} units in {len(batches)} batches written to {args.out}")
        print((args.out / "batches.md").read_text(encoding="utf-8"))
        return 0
    if args.command == "check":
        problems, counts = check(args.labels, args.corpus)
        for source in sorted({s for s, _ in counts}):
            per = ", ".join(f"{lab} {counts[(source, lab)]}" for lab in LABELS)
            print(f"{source}: {per}")
        for problem in problems:
            print(f"PROBLEM {problem}", file=sys.stderr)
        print(f"{sum(counts.values())} valid units, {len(problems)} problems")
        return 1 if problems else 0
    if args.command == "resolve":
        stats = resolve(args.a, args.b, args.adjudicated, args.out)
        print(f"final labels of {stats['shared_units']} units written to {args.out}")
        return 0
    stats, disagreements = agree(args.a, args.b)
    for key, value in stats.items():
        print(f"{key}: {value}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_jsonl(args.out, disagreements)
        print(f"{len(disagreements)} disagreements written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
