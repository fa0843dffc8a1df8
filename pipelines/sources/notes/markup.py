"""Turn a minutes file into numbered lines, some of them headings with a level.

Every format ends up as the same shape, a list of `Line`, so the meeting parser does not
care where the text came from:
- Markdown: `#` headings, setext headings (`===` / `---` under a line), pipe tables;
- reStructuredText: underlined (and overlined) titles, levels in order of first use; field
  lists (`:Date: ...`) become `Date: ...`;
- plain text: underlined titles and ALL-CAPS short lines;
- .docx: `Title` / `Heading N` (`Titre N`) styles, list paragraphs, tables, in body order.
In every format a short line that is only bold (`**Décisions**`) or only a label ending with a
colon (`Décisions :`) is a heading one level below the last real heading ("pseudo heading").
A two-cell table row `| Date | 2 mars |` becomes `Date : 2 mars`, the way exports from Word,
Confluence or Notion write properties.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines import safeyaml

FRONT_MATTER_FENCE = re.compile(r"^(---|\+\+\+)\s*$")
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_].*?)(?:\*\*|__)\s*:?\s*$")
_LABEL_LINE = re.compile(r"^\s*(?P<text>[^\s\-*+#>|\d][^:]{0,60}?)\s*:\s*$")
_RST_ADORN = re.compile(r"^([=\-~^\"'`#*+_.:<>])\1+\s*$")
_RST_FIELD = re.compile(r"^:(?P<key>[^:]+):\s*(?P<value>.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LIST = re.compile(r"^\s*(?:[-*+•▪◦]|\d+[.)])\s+")

TEXT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
                 ".rst": "rst", ".docx": "docx"}  # fmt: skip


class MarkupError(ValueError):
    """The file cannot be read as its format says; `line` is 1-based when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass
class Line:
    """One line of the document; `level` is set for headings (1 = top)."""

    number: int
    text: str
    level: int | None = None
    pseudo: bool = False  # a bold or label line promoted to a heading
    cells: tuple[str, ...] | None = None  # a table row's cells, as written

    @property
    def is_heading(self) -> bool:
        return self.level is not None


def split_front_matter(text: str) -> tuple[dict | None, str, int]:
    """(front matter mapping or None, the rest, how many lines the front matter used).

    Raises MarkupError when a front matter block is opened but not closed or not YAML.
    """
    lines = text.split("\n")
    if not lines or not FRONT_MATTER_FENCE.match(lines[0]):
        return None, text, 0
    fence = lines[0].strip()
    for index in range(1, len(lines)):
        if lines[index].strip() == fence:
            break
    else:
        raise MarkupError(f"front matter opened with '{fence}' on line 1 is never closed", 1)
    block = "\n".join(lines[1:index])
    try:  # aliases bounded: an alias bomb is refused before anything expands it
        data = safeyaml.load(block) if block.strip() else {}
    except safeyaml.YamlError as exc:
        line = exc.line + 1 if exc.line is not None else 1  # the block starts on line 2
        raise MarkupError(f"front matter is not valid YAML: {exc.problem}", line) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MarkupError(f"front matter must be a mapping of keys, got {type(data).__name__}", 2)
    return data, "\n".join(lines[index + 1 :]), index + 1


def _table_row(text: str) -> str | None:
    """`| a | b |` -> `a : b` (two cells) or `a | b | c`; None for a rule line."""
    if _TABLE_RULE.match(text):
        return None
    cells = [c.strip() for c in text.strip().strip("|").split("|")]
    cells = [c for c in cells if c]
    if len(cells) == 2:
        return f"{cells[0]} : {cells[1]}"
    return " | ".join(cells)


def _promote(lines: list[Line]) -> list[Line]:
    """Give pseudo headings (bold-only or label-only lines) a level under the last heading."""
    last_real = 0
    for line in lines:
        if line.is_heading:
            last_real = line.level
            continue
        m = _BOLD_LINE.match(line.text) or _LABEL_LINE.match(line.text)
        if m and line.cells is None and len(m["text"].split()) <= 8:
            line.level, line.pseudo = last_real + 1, True
            line.text = m["text"].strip()
    return lines


def markdown_lines(text: str, first: int = 1) -> list[Line]:
    raw = text.split("\n")
    out: list[Line] = []
    in_fence = in_comment = False
    for i, content in enumerate(raw):
        number = first + i
        if in_comment or content.lstrip().startswith("<!--"):  # HTML comments hide text
            in_comment = "-->" not in content
            out.append(Line(number, ""))
            continue
        if _FENCE.match(content):
            in_fence = not in_fence
            out.append(Line(number, content))
            continue
        if in_fence:
            out.append(Line(number, content))
            continue
        m = _ATX.match(content)
        if m:
            out.append(Line(number, m[2], level=len(m[1])))
            continue
        setext = _SETEXT.match(content)
        prev = out[-1] if out else None
        if (
            setext
            and prev
            and not prev.is_heading
            and prev.text.strip()
            and not _LIST.match(prev.text)
            and (setext[1][0] == "=" or len(setext[1]) >= 2)
        ):
            prev.level = 1 if setext[1][0] == "=" else 2
            prev.text = prev.text.strip()
            continue
        if content.lstrip().startswith("|") and content.count("|") >= 2:
            row = _table_row(content)
            if row is not None:
                cells = tuple(c.strip() for c in content.strip().strip("|").split("|"))
                out.append(Line(number, row, cells=cells))
            continue
        out.append(Line(number, content.rstrip()))
    return _promote(out)


def rst_lines(text: str, first: int = 1) -> list[Line]:
    raw = text.split("\n")
    out: list[Line] = []
    styles: list[tuple[str, bool]] = []
    i = 0
    while i < len(raw):
        content = raw[i].rstrip()
        nxt = raw[i + 1].rstrip() if i + 1 < len(raw) else ""
        after = raw[i + 2].rstrip() if i + 2 < len(raw) else ""
        # overline + title + underline
        if (
            _RST_ADORN.match(content)
            and nxt.strip()
            and _RST_ADORN.match(after)
            and (after[0] == content[0])
        ):
            style = (content[0], True)
            styles += [style] if style not in styles else []
            out.append(Line(first + i + 1, nxt.strip(), level=styles.index(style) + 1))
            i += 3
            continue
        if (
            content.strip()
            and not _RST_ADORN.match(content)
            and _RST_ADORN.match(nxt)
            and (len(nxt.strip()) >= min(len(content.strip()), 3))
        ):
            style = (nxt[0], False)
            styles += [style] if style not in styles else []
            out.append(Line(first + i, content.strip(), level=styles.index(style) + 1))
            i += 2
            continue
        field = _RST_FIELD.match(content.strip())
        if field:
            content = f"{field['key']}: {field['value']}"
        elif content.strip().startswith(".. "):
            content = ""  # directives and comments carry no minutes text
        out.append(Line(first + i, content))
        i += 1
    return _promote(out)


def text_lines(text: str, first: int = 1) -> list[Line]:
    """Plain text: underlined titles (`===`, `---`) and short ALL-CAPS lines are headings."""
    raw = text.split("\n")
    out: list[Line] = []
    for i, content in enumerate(raw):
        content = content.rstrip()
        prev = out[-1] if out else None
        adorn = _RST_ADORN.match(content)
        if adorn and content[0] in "=-~*" and prev and prev.text.strip() and not prev.is_heading:
            prev.level = 1 if content[0] == "=" else 2
            prev.text = prev.text.strip()
            continue
        stripped = content.strip().rstrip(":").strip()
        letters = [ch for ch in stripped if ch.isalpha()]
        if (
            len(letters) >= 3
            and all(ch.isupper() for ch in letters)
            and len(stripped.split()) <= 8
            and not _LIST.match(content)
        ):
            out.append(Line(first + i, stripped, level=1))
            continue
        out.append(Line(first + i, content))
    return _promote(out)


def too_many_characters(count: int | str, limit: int) -> str:
    return f"too much text: {count} characters > {limit:,} limit for one set of minutes"


def _check_unzipped_size(path: Path, limit: int) -> None:
    """Refuse a .docx whose members add up to more than `limit` bytes once unzipped, from
    the zip's directory, before anything is inflated (zipfile stops a member at its
    declared size, so the declaration cannot lie its way past this check)."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise MarkupError(f"not a valid .docx (Word) file: {exc}") from exc
    if total > limit:
        raise MarkupError(
            f"a .docx that expands to {total / 1e6:.1f} MB uncompressed > "
            f"{limit / 1e6:.1f} MB limit (a zip bomb?)"
        )


def docx_lines(path: Path, max_uncompressed: int, max_chars: int) -> tuple[list[Line], str | None]:
    """Paragraphs and tables of a .docx in body order; returns (lines, core title or None).
    Refused (MarkupError) past `max_uncompressed` bytes unzipped or `max_chars` of text."""
    import docx  # python-docx; imported here so text formats do not pay for it

    _check_unzipped_size(path, max_uncompressed)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise MarkupError(f"not a valid .docx (Word) file: {exc}") from exc
    except Exception as exc:  # lxml and python-docx raise a variety of errors on junk input
        raise MarkupError(f"not a valid .docx (Word) file: {type(exc).__name__}: {exc}") from exc
    out: list[Line] = []
    number = chars = 0

    def add(text: str, level: int | None = None) -> None:
        nonlocal number, chars
        number += 1
        chars += len(text) + 1
        if chars > max_chars:  # stop reading as soon as the budget is spent
            raise MarkupError(too_many_characters(f"more than {max_chars:,}", max_chars))
        out.append(Line(number, text, level=level))

    for block in document.iter_inner_content():
        if hasattr(block, "rows"):  # a table
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    add(f"{cells[0]} : {cells[1]}" if len(cells) == 2 else " | ".join(cells))
                    out[-1].cells = tuple(" ".join(c.text.split()) for c in row.cells)
            continue
        text = block.text.strip()
        style = (block.style.name if block.style is not None else "") or ""
        level = _docx_heading_level(style)
        if not text:
            add("")
        elif level is not None:
            add(text, level)
        elif _docx_is_list(block, style):
            add(f"- {_docx_checkbox(text)}")
        elif all(run.bold for run in block.runs if run.text.strip()) and len(text.split()) <= 8:
            add(f"**{text}**")
        else:
            add(text)
    title = (document.core_properties.title or "").strip() or None
    return _promote(out), title


def _docx_heading_level(style: str) -> int | None:
    name = style.lower()
    if name in ("title", "titre"):
        return 1
    m = re.match(r"(?:heading|titre)\s*(\d)$", name)
    return int(m[1]) + 1 if m else None


def _docx_is_list(paragraph, style: str) -> bool:
    if "list" in style.lower() or "liste" in style.lower():
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None


def _docx_checkbox(text: str) -> str:
    if text[:1] in "☑☒✓✔":
        return "[x] " + text[1:].strip()
    if text[:1] in "☐□":
        return "[ ] " + text[1:].strip()
    return text
