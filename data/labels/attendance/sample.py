"""Draw the files whose attendance is hand-labelled, per source, reproducibly (seed 7).

    python data/labels/attendance/sample.py [CORPUS]    # default ../shared/corpus/meetings

Per source: up to 20 files whose first 60 lines carry an attendance cue (a deliberately broad
word list: `présen`, `excus`, `absen`, `particip`, `invit`, `attend`, `member`, ...), drawn
round-robin over the years in the file names, plus up to 4 files without any cue as controls
(their labels say whether the cue list missed a list), plus up to 10 more files with a line that
starts with an attendance label (`Présent·e·s :`, `Participants`, `Excusés`, ...; the broad cue
also matches `présentation`, and in `ouvroir_lab` drew mostly files without a list). Each drawn
file is put in the `dev` or `heldout` half alternately in draw order. Prints one JSON object a
line: lang, source, year, cue, file, split. Standard library only; nothing here is read at run time.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

SEED = 7
PER_SOURCE = 20
CONTROLS = 4
SOURCES = {
    "fr": ("ouvroir_lab", "neutrinet_asbl", "poitiers_collectif", "foopgp_association"),
    "en": ("nodejs_tsc", "python_steering_council"),
}
CUE = re.compile(
    r"pr[ée]sen|excus|absen|particip|invit|attend|member|membre|\bwho\b|guest|observ|regrets"
    r"|apolog|joined|rencontre avec|tour de table",
    re.IGNORECASE,
)
EXTRA = 10
LIST_CUE = re.compile(
    r"^\W{0,4}(?:pr[ée]sen(?:t|ts|tes|ces?|t·e·s|t\.e\.s|t\(e\)s)|participant\S*|excus\S*"
    r"|absent\S*|invit[ée]\S*|attendees|present|attendance)\W{0,4}\s*(?::|$)",
    re.IGNORECASE | re.MULTILINE,
)
SUFFIXES = {".md", ".markdown", ".txt", ".rst", ".docx"}


def year(path: Path) -> str:
    m = re.search(r"(?<!\d)(20\d\d)(?!\d)", path.name)
    return m[1] if m else "unknown"


def key(path: Path) -> str:
    return hashlib.sha256(f"{SEED}:{path.name}".encode()).hexdigest()


def round_robin(files: list[Path], n: int) -> list[Path]:
    by_year: dict[str, list[Path]] = {}
    for f in sorted(files, key=key):
        by_year.setdefault(year(f), []).append(f)
    out: list[Path] = []
    while len(out) < n and any(by_year.values()):
        for y in sorted(by_year):
            if by_year[y] and len(out) < n:
                out.append(by_year[y].pop(0))
    return out


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def has_cue(path: Path) -> bool:
    head = text(path).splitlines()[:60]
    return any(CUE.search(line) for line in head)


def sample(corpus: Path) -> list[dict]:
    rows = []
    for lang, sources in SOURCES.items():
        for source in sources:
            files = [p for p in (corpus / lang / source).rglob("*") if p.suffix in SUFFIXES]
            cued = [f for f in files if has_cue(f)]
            rest = [f for f in files if f not in cued]
            drawn = round_robin(cued, PER_SOURCE) + round_robin(rest, CONTROLS)
            listed = [f for f in files if f not in drawn and LIST_CUE.search(text(f))]
            drawn += round_robin(listed, EXTRA)
            for i, f in enumerate(drawn):
                split = "dev" if i % 2 == 0 else "heldout"
                rows.append({"lang": lang, "source": source, "year": year(f), "cue": f in cued,
                             "file": f.relative_to(corpus).as_posix(), "split": split})  # fmt: skip
    return rows


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpus/meetings")
    for row in sample(root):
        print(json.dumps(row, ensure_ascii=False))
