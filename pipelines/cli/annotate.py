"""`silo annotate [--lang auto|fr|en] [--person NAME]... FILE...`: NLP on text files, as JSON.

For each file: language, terms and shares, the units of minutes the learned classifier kept
(label DECISION or ACTION, status, domain, actors, text), decisions (text, status, domain,
actors), role mentions and references. spaCy is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "annotate", help="tag vocabulary, decisions, actors and references in text files"
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--lang",
        choices=("auto", "fr", "en"),
        default="auto",
        help="language of the files (default: detected per file)",
    )
    p.add_argument("--repo", help="owner/repo that a bare #123 belongs to")
    p.add_argument("--jira-url", action="append", default=[], help="Jira base URL (repeatable)")
    p.add_argument(
        "--person",
        action="append",
        default=[],
        metavar="NAME",
        help="a known person's name, first name or initials, e.g. 'Marie D.' or "
        "'MD' (repeatable): always a name candidate for decision actors",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nlp import annotate_documents

    docs = []
    for path in args.files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"silo annotate: cannot read {path}: {exc}", file=sys.stderr)
            return 2
        docs.append(
            {
                "document_id": str(path),
                "text": text,
                "kind": "minutes",
                "language": None if args.lang == "auto" else args.lang,
                "default_repo": args.repo,
                "jira_base_urls": args.jira_url,
            }
        )
    from nlp.annotate import EXTRA_TABLES, TABLES

    tables = annotate_documents(
        docs, known_people=args.person or None, outputs=TABLES + EXTRA_TABLES
    )
    for doc in docs:
        doc_id = doc["document_id"]
        rows = {
            name: [r for r in table if r["document_id"] == doc_id] for name, table in tables.items()
        }
        ann = rows["annotations"][0]
        print(
            json.dumps(
                {
                    "file": doc_id,
                    "language": ann["language"],
                    "n_words": ann["n_words"],
                    "business_share": ann["business_share"],
                    "tech_share": ann["tech_share"],
                    "terms": [
                        {k: t[k] for k in ("label", "term", "text", "start_char")}
                        for t in rows["terms"]
                    ],
                    "units": [
                        {k: u[k] for k in ("label", "status", "domain", "actors", "line", "text")}
                        for u in rows["units"]
                    ],
                    "decisions": [
                        {
                            "text": d["sentence"],
                            "status": d["status"],
                            "domain": d["domain"],
                            "actors": json.loads(d["actors"]),
                            "attributed_to_meeting": d["attributed_to_meeting"],
                        }
                        for d in rows["decisions"]
                    ],
                    "role_mentions": [
                        {k: r[k] for k in ("text", "role", "start_char")}
                        for r in rows["role_mentions"]
                    ],
                    "references": [
                        {k: r[k] for k in ("ref_type", "raw", "item_id", "start_char")}
                        for r in rows["references"]
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    return 0
