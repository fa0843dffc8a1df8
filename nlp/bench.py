"""Throughput of the NLP layer: `python -m nlp.bench [--words N]`.

Generates a deterministic mix (seeded) of French and English minutes sections, tickets and
PR texts, then times `annotate_documents` (cold, warm cache, two processes) next to plain
`nlp.pipe` with the full French pipeline on the same texts. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time

from nlp.annotate import annotate_documents
from nlp.text import count_words

NAMES = ["Marie", "Paul", "Sophie Martin", "Karim", "Julie", "Antoine", "Sarah", "Tom"]
FR = {
    "decision": [
        "{n} a validé la migration de l'API de facturation vers Postgres.",
        "Le CTO a décidé de reporter la refonte du front au T4.",
        "Go pour la remise de 10 % au client Acme (la directrice commerciale).",
        "Notre DAF refuse le budget cloud supplémentaire.",
    ],
    "filler": [
        "Le point sur les incidents de la semaine : la latence de l'API a doublé.",
        "{n} présente le retour des clients sur le nouveau tableau de bord.",
        "Faut-il revoir la priorisation du backlog avant le prochain sprint ?",
        "Le chiffre d'affaires du trimestre progresse, le churn reste stable.",
        "Les tests de charge montrent une saturation de la base de données.",
        "Voir PAY-{k} et le ticket #{k} pour le détail des erreurs 500.",
    ],
}
EN = {
    "decision": [
        "{n} approved the move of the billing API to Postgres.",
        "The CTO decided to postpone the frontend rewrite to Q4.",
        "We agreed to give Acme a 10% discount on the renewal.",
        "Our CFO rejected the extra cloud budget.",
    ],
    "filler": [
        "Incident review: the API latency doubled after the last deployment.",
        "{n} shared customer feedback on the new dashboard.",
        "Should we revisit the backlog priorities before the next sprint?",
        "Quarterly revenue is up and churn is flat.",
        "Load tests show the database saturating at peak traffic.",
        "See OPS-{k} and acme/app#{k} for the stack traces.",
    ],
}
KINDS = ("minutes", "ticket", "pr", "comment")


def make_corpus(total_words: int, seed: int = 7) -> list[dict]:
    """A deterministic list of documents totalling about `total_words` words."""
    rng = random.Random(seed)
    docs, words = [], 0
    while words < total_words:
        lang = "fr" if rng.random() < 0.6 else "en"
        bank = FR if lang == "fr" else EN
        kind = rng.choice(KINDS)
        n_lines = rng.randint(8, 20) if kind == "minutes" else rng.randint(2, 6)
        lines = []
        for _ in range(n_lines):
            pool = bank["decision"] if rng.random() < 0.12 else bank["filler"]
            line = rng.choice(pool).format(n=rng.choice(NAMES), k=rng.randint(1, 999))
            lines.append(f"- {line}" if kind == "minutes" else line)
        text = "\n".join(lines) if kind == "minutes" else " ".join(lines)
        docs.append(
            {
                "document_id": f"bench:{len(docs)}",
                "text": text,
                "kind": kind,
                "language": lang,
                "default_repo": "acme/app",
                "jira_base_urls": [],
            }
        )
        words += count_words(text)
    return docs


def _timed(label: str, words: int, docs: int, run) -> str:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    return f"| {label} | {docs} | {words:,} | {seconds:.2f} | {words / seconds:,.0f} |"


def plain_pipe(texts: list[str], lang: str = "fr", batch_size: int = 256) -> dict:
    """Words per second of plain `nlp.pipe` with the full pipeline of `lang` over `texts`
    (the reference `make bench` sets the annotation stage against); model loading untimed."""
    from nlp.pipeline import full_pipeline

    nlp = full_pipeline(lang)
    words = sum(count_words(t) for t in texts)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"documents": len(texts), "words": words, "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "words_per_second": round(words / seconds) if seconds else None,
            "words_per_cpu_second": round(words / cpu) if cpu else None}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=60_000, help="size of the mix (words)")
    args = parser.parse_args(argv)
    docs = make_corpus(args.words)
    words = sum(count_words(d["text"]) for d in docs)
    texts = [d["text"] for d in docs]

    from nlp.pipeline import fast_pipeline, full_pipeline
    from nlp.unit_model import load_classifier

    for lang in ("fr", "en"):  # model loading is not throughput: load before timing
        fast_pipeline(lang)
        full_pipeline(lang)
    load_classifier()
    rows = ["| configuration | documents | words | seconds | words/s |", "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as cache:
        rows.append(
            _timed(
                "`annotate_documents`, cold cache",
                words,
                len(docs),
                lambda: annotate_documents(docs, cache_dir=cache),
            )
        )
        rows.append(
            _timed(
                "`annotate_documents`, warm cache (re-run)",
                words,
                len(docs),
                lambda: annotate_documents(docs, cache_dir=cache),
            )
        )
    rows.append(
        _timed(
            "`annotate_documents`, no cache, `n_process=2`",
            words,
            len(docs),
            lambda: annotate_documents(docs, n_process=2),
        )
    )
    french = full_pipeline("fr")
    rows.append(
        _timed(
            "plain `nlp.pipe`, full fr_core_news_sm, batch 256",
            words,
            len(docs),
            lambda: list(french.pipe(texts, batch_size=256)),
        )
    )
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
