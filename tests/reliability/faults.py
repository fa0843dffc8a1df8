"""Bad inputs of the fault matrix, planted into a demo workspace; shared by the in-process
cases and the pipeline run. Each bad file is (name, bytes or a writer, reason expected in
its quarantine row); odd file names are good meetings that must land."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx

from pipelines.sources.notes import meeting

GOOD_FRONT = "---\ntitle: {title}\ndate: 2026-01-07\ntype: team\nattendees: [Marie D.]\n---\n\n"
INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)>'

BOMB_FRONT = (
    "---\ntitle: CODIR\ndate: 2026-01-07\n"
    'a: &a ["M", "M", "M", "M", "M", "M", "M", "M", "M"]\n'
    + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdef", "bcdefg", strict=True)
    )
    + "attendees: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n---\n\n## Décisions\n\n- Validé.\n"
)


def _sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)

    return write


def _docx_bomb(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Présents : Marie")
    document.save(str(path))
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(meeting.MAX_DOCX_UNCOMPRESSED // len(block) + 1):
                member.write(block)


def _link_out(path: Path) -> None:
    outside = path.parent.parent / "outside-secret.md"
    outside.write_text(
        GOOD_FRONT.format(title="outside") + "OUTSIDE-MARKER-TEXT\n", encoding="utf-8"
    )
    path.symlink_to(outside)


BAD_MINUTES: dict[str, tuple[bytes | Callable[[Path], None], str]] = {
    "bad-empty.md": (b"", "empty file"),
    "bad-binary.md": (b"# Title\n\x00\x01\x02\x03PK\x00", "binary file"),
    # invalid UTF-8 beside valid UTF-8 (a file with no valid UTF-8 at all is read as
    # Windows-1252, which minutes really come in)
    "bad-invalid-utf8.md": ("---\ntitle: Réunion\ndate: 2026-01-07\n---\n# Réunion\n".encode()
                            + b"\xff\xfe\xc0\xaf\n", "mixed encodings"),
    "bad-huge.md": (_sparse(6 * 1024 * 1024), "file too large"),
    "bad-huge-text.md": ((GOOD_FRONT.format(title="long") + "Le budget est validé.\n" * 60_000)
                         .encode(), "characters"),
    "bad-impossible-date.md": (b"---\ntitle: x\ndate: 2026-13-45\n---\n# x\n",
                               "month must be in 1..12"),
    "bad-yaml-bomb.md": (BOMB_FRONT.encode(), "alias"),
    "bad-corrupt.docx": (b"PK\x03\x04 this is not a zip archive", "not a valid .docx"),
    "bad-zip-bomb.docx": (_docx_bomb, "uncompressed"),
    "bad-link-out.md": (_link_out, "symbolic link leading outside the notes folder"),
}  # fmt: skip

ODD_NAMES = [
    "2026-01-07 réunion d'équipe (v2).md",
    "-rf --no-preserve-root.md",
    "name\nwith a newline.md",
    "x" * 200 + ".md",
    "emoji-🚀-日本語.md",
]


def plant_bad_minutes(folder: Path) -> dict[str, str]:
    """Write the bad files and the oddly named good ones; returns bad name -> reason."""
    for name, (content, _) in BAD_MINUTES.items():
        path = folder / name
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)
    for number, name in enumerate(ODD_NAMES):
        text = GOOD_FRONT.format(title=f"Odd {number}") + f"## Décisions\n\n- Point {number}.\n"
        (folder / name).write_text(text, encoding="utf-8")
    return {name: reason for name, (_, reason) in BAD_MINUTES.items()}


def plant_bad_payloads(replay: Path, days: tuple[str, ...]) -> dict[str, str]:
    """GitHub replay, on issues updated on `days` (ISO dates, so a short window lands them):
    HTML and script in a title, a null user, a 10 MB body. Returns url -> what was planted."""
    planted = {}
    faults = ["HTML in title", "null user", "10 MB body"]
    for issues_path in sorted(replay.glob("*/*/issues.json")):
        issues = json.loads(issues_path.read_text(encoding="utf-8"))
        for issue in issues:
            if not faults or str(issue.get("updated_at", ""))[:10] not in days:
                continue
            fault = faults.pop(0)
            planted[issue["html_url"]] = fault
            if fault == "HTML in title":
                issue["title"] = INJECTION + " " + issue["title"]
            elif fault == "null user":
                issue["user"] = None
            else:
                issue["body"] = ("Une très longue description. " * 12 + "\n\n") * 28_000
        issues_path.write_text(json.dumps(issues), encoding="utf-8")
    assert not faults, f"no issue left in {days} for {faults}"
    return planted


def marker_env(names: list[str]) -> dict[str, str]:
    """A recognisable secret per `*_env` variable name."""
    return {name: f"SILO-SECRET-MARKER-{name}-{os.getpid()}" for name in names}
