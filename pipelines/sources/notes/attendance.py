"""Who attended a meeting and who was excused, read from the front matter or the minutes' lines.

Sources, first that has it wins per list:
- front matter `attendees` (or `participants`, `present`) and `absent` (or `absentees`,
  `excused`, `apologies`), as a list or a comma string;
- attendance headings and label lines, also written in a sentence or with a head count
  (`Présents : A, B`, `Étaient présents : A`, `Était excusée : B`, `Present were A and B`,
  `In the room: A`, `Participants (5) :` then one name a line); check boxes inside them
  (`- [x] Marie` present, `- [ ] Paul` absent);
- attendance tables: a header with a name column (`Nom`, `Name`, `Participant`...) and a
  presence column (`Présent`, `Present`, `Statut`, `Absent`...), then one row per person with
  `oui`/`non`, `x`, `✓`, `Yes`/`No`, `Present`/`Absent` (Markdown, .docx, or `|` / tab
  separated plain text).
- role groups, whose comma list is several people (`Council members: A, B, C`, `Observers:`,
  `administrateurs : A, B` inside a `Présence` list), and sentences that introduce a list of
  people (`... nous avons eu le plaisir d'accueillir :`).
The words (per language, every language used on every file) are data: `attendance.json`.
A list ends at the next heading, at a label line that is not attendance (`Sujets : ...`,
`Objet :`, `Link:`, `Labels:`), or at a line naming a section (`Ordre du jour`, `Agenda`).
One list item is one person: the part before a `:` or `,` that describes them.
Names are kept as written minus decoration (bullets, emphasis, `(role)`, `@`, `<e-mail>`, a
civility `M.`/`Mme`/`Mr`/`Dr`..., a title after a comma `, DAF`); a bullet list resumed after a
blank line with another marker (`- A` then `1) Point`) has ended. Counts and collectives
(`+ 36 others`, `toute l'entreprise`, `everyone`) and comments (`pour le point 2`) are not
names. Absence is also read in running text: `Hugo est absent`, `Paul was off sick`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.sources.notes.markup import Line
from pipelines.sources.notes.text import normalise
from pipelines.sources.notes.vocabulary import (
    attendance_label,
    attendance_words,
    fold,
    heading_attendance,
    looks_like_names,
    not_people_label,
    section_kind,
)

CHECKBOX = re.compile(r"^\s*(?:[-*+]\s+)?\[(?P<mark>[ xX✓✔])\]\s*(?P<rest>.*)$")
# "- A", "1) A", and a dash glued to a name ("-Edna Brustein, Conseillère ...")
BULLET = re.compile(r"^\s*(?:(?:[-*+•▪◦]|\d+[.)])\s+|-(?=[^\W\d_]))")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_PAREN = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_HANDLE = re.compile(r"\s*@[\w-]+")
_ANGLE = re.compile(r"\s*@?<[^>]*>")  # "<mail@example.com>", "@<mail@example.com>"
_SPLIT = re.compile(r"\s*(?:[,;/&+]|\bet\b|\band\b)\s*")
_MENTIONS = re.compile(r"\s+(?=@)")  # "@marie @jb", "@Marie Dubois @Paul Martin"
_ROLE_SUFFIX = re.compile(r"\s+[\u2013\u2014-]\s+.*$")
_INITIAL_END = re.compile(r"(?:^|[\s.-])\w\.$")  # "Marie D.", "J-B. R."
# Any "Label : value" line; inside an attendance list one that is not attendance ends it.
_OTHER_LABEL = re.compile(r"^\s*(?:\*\*|__)?[^\W\d][^:|]{0,30}?\s*(?:\*\*|__)?\s*:\s*\S")

# A civility before a name ("M. Antoine Garnier", "Mme Martin", "Dr Lee"); not before an
# initial ("M. R." is someone's initials).
_CIVILITY = re.compile(
    r"^(?:M|MM|Mme|Mmes|Mlle|Mr|Mrs|Ms|Miss|Dr|Pr|Madame|Monsieur|Mademoiselle)\.?\s+"
    r"(?=[^\W\d_][^\s.]+)"
)
# Words that make the text after a comma a title, not another name ("Claire Martin, DAF",
# "Karim Benali, Directeur produit", "Léa Girard, Product manager"), besides the role lexicon
# of the directory (`pipelines/sources/directory/roles.yml`).
_TITLE_WORDS = {
    "directeur", "directrice", "responsable", "head", "chef", "cheffe", "vp", "manager",
    "managers", "lead", "director", "officer", "president", "presidente", "engineer",
    "ingenieur", "ingenieure", "developpeur", "developpeuse", "developer", "designer", "analyst",
    "analyste", "consultant", "consultante", "stagiaire", "intern", "assistant", "assistante",
    "charge", "chargee", "coordinateur", "coordinatrice", "secretaire", "secretary",
    "tresorier", "tresoriere", "chair", "chairman", "chairwoman", "architect", "architecte",
    "comptable", "juriste", "owner", "dsi", "daf", "drh", "dg", "ceo", "cto", "cfo", "coo",
    "cpo", "cmo", "cio", "rssi", "dpo", "pdg", "cso", "cro",
}  # fmt: skip
_DETERMINER = re.compile(r"^(?:le|la|les|l'|the|our|notre|nos|votre|your)\b")
# Counts and collectives in an attendance list ("+ 36 others", "toute l'entreprise",
# "the whole team", "everyone", "néant"): nobody in particular.
_COUNT = re.compile(r"^\+?\s*\d+\b")
_COLLECTIVE = re.compile(
    r"^(?:(?:toute?s?|tous|all|the whole|the entire|whole|entire|l'ensemble de|ensemble de)\s+)?"
    r"(?:l'\s*|(?:le|la|les|the|our|notre|nos)\s+)?(?:entreprise|societe|boite|equipes?|company"
    r"|teams?|staff|org|organisation|organization|monde|personnel|collaborateurs|salaries"
    r"|employees|everyone|everybody|others|autres|other people|hands|service|departement"
    r"|department|tous|toutes|all|none|nobody|personne|aucun|aucune|neant|ras|n/a|na)$"
)
# First words of a comment written among names ("pour le point 2", "joined late").
_COMMENT_STARTS = {
    "pour", "for", "sur", "pendant", "during", "until", "jusqu'a", "jusqu'au", "from", "depuis",
    "only", "seulement", "uniquement", "sauf", "except", "via", "en", "par", "by", "joined",
    "left", "arrived", "arrive", "arrivee", "parti", "partie", "late", "as", "comme", "in",
    "on", "at", "avec", "with", "a", "au", "aux",
}  # fmt: skip
# Absence told in a sentence: "Hugo est absent", "Marie et Paul sont excusés", "Sam was off sick".
_ABSENT_SENTENCE = re.compile(
    r"^(?P<names>[^.!?:]+?)\s+(?:est|sont|etait|etaient|sera|seront|is|are|was|were|will be)\s+"
    r"(?:" + "|".join(re.escape(w) for w in attendance_words("absent_states")) + r")\b"
)

# A word before a name saying when the person came ("puis e-jim"), from `attendance.json`.
_COMMENT_PREFIX = re.compile(
    r"^(?:" + "|".join(re.escape(w) for w in attendance_words("comment_prefixes")) + r")\s+(?=\S)",
    re.IGNORECASE,
)
# The end of a sentence introducing a list of people ("... le plaisir d'accueillir :").
_LIST_INTRO = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(w) for w in attendance_words("list_intros"))
    + r")\s*[*_]{0,2}\s*:\s*[*_]{0,2}\s*$"
)
_URL = re.compile(r"https?://|www\.|\w\.(?:com|org|net|be|fr|io)\b")

# "Hugo est absent" is read in an attendance list or in the first lines, where minutes say who
# is there; later in the body it is news ("Marie est absente jusqu'en mai"), not attendance.
_HEAD_LINES = 12

# Attendance tables: the header words of the name column and of the presence column, and the
# values that mean present or absent in a presence column.
_NAME_HEADERS = {"nom", "noms", "name", "names", "participant", "participants", "qui", "who",
                 "personne", "membre", "membres", "member", "attendee", "attendees",
                 "prenom nom", "nom prenom", "full name", "collaborateur"}  # fmt: skip
_PRESENT_HEADER = re.compile(r"^(?:present|presence|attendance|attended|attending|statut|status"
                             r"|la|here)")  # fmt: skip
_ABSENT_HEADER = re.compile(r"^(?:absent|excuse|apologies)")
_YES = {"oui", "yes", "y", "o", "x", "✓", "✔", "☑", "☒", "true", "1", "p", "ok", "v"}
_NO = {"non", "no", "n", "-", "–", "—", "✗", "✘", "☐", "false", "0", "a", "e", ""}


def clean_name(text: str) -> str:
    """A person as written, minus decoration: `* **Marie Dupont** (CFO) @md` -> `Marie Dupont`."""
    text = BULLET.sub("", text)
    text = _LINK.sub(r"\1", text).replace("**", "").replace("__", "").replace("`", "").strip()
    text = text.lstrip("@")  # Confluence writes mentions as "@Marie Dubois"
    text = _PAREN.sub("", _ANGLE.sub("", text))
    text = _HANDLE.sub("", text)  # Node.js minutes write "Name @handle"
    text = _ROLE_SUFFIX.sub("", text).strip(" :*_\t\\")
    head, comma, tail = text.partition(",")
    if comma and is_title(tail):
        text = head.strip()  # "Claire Martin, DAF"
    text = _CIVILITY.sub("", _COMMENT_PREFIX.sub("", text))
    # keep the dot of an abbreviation ("Marie D."), drop a sentence's full stop
    text = text if _INITIAL_END.search(text) else text.rstrip(" .")
    return "" if not_a_person(text) else text


@lru_cache(maxsize=1)
def _role_mentions() -> frozenset[str]:
    """Every mention of a role in the directory's role lexicon (`daf`, `directeur produit`)."""
    from pipelines.sources.directory.roles import role_lexicon  # lazy: directory imports notes

    return frozenset(m for mentions in role_lexicon().values() for m in mentions)


def is_title(text: str) -> bool:
    """True when `text` is a job title (`DAF`, `Directeur produit`, `Product manager`), the way
    minutes write it after a name and a comma; a role with a determiner (`la DAF`) is a
    mention of a person, not a title."""
    norm = normalise(text).strip(" .;:")
    if not norm or _DETERMINER.match(norm):
        return False
    return norm in _role_mentions() or any(w in _TITLE_WORDS for w in re.split(r"[\s/-]+", norm))


def not_a_person(text: str) -> bool:
    """A count, a collective or a comment written among names: `36 others`, `toute
    l'entreprise`, `the whole team`, `everyone`, `pour le point 2`."""
    norm = normalise(text).strip(" .;:!")
    if not norm or _URL.search(norm) or len(norm.split()) > 6:
        return True
    if _COUNT.match(norm) or _COLLECTIVE.match(norm):
        return True
    first = norm.split()[0]
    return text[:1].islower() and len(norm.split()) > 1 and first in _COMMENT_STARTS


def split_names(text: str) -> list[str]:
    """An inline list of people: split on `,` `;` `/` `&` `+` `et` `and`, and before each
    `@` when the list is mentions (`@marie @jb`, `@Marie Dubois @Paul Martin`)."""
    text = _PAREN.sub("", BULLET.sub("", text))
    parts: list[str] = []
    for part in _SPLIT.split(text):
        stripped = part.strip().lstrip("*_")
        parts += _MENTIONS.split(stripped) if stripped.startswith("@") else [part]
    # a title after a name ("Claire Martin, DAF, Jean Roux, DSI") qualifies it: not a name
    kept = [p for i, p in enumerate(parts) if i == 0 or not is_title(p)]
    return [n for n in (clean_name(p) for p in kept) if n]


def _is_names_line(text: str) -> bool:
    """A short line that may be one name (`Marie Dubois`, `J-B. R.`), not prose."""
    stripped = text.rstrip()
    if len(stripped.split()) > 4:
        return False
    return not stripped.endswith((".", "!", "?")) or bool(_INITIAL_END.search(stripped))


def ends_list(line: Line) -> bool:
    """A line that closes an attendance list: another label (`Sujets : ...`) or a line that
    names a section (`Ordre du jour`, `Agenda`)."""
    text = line.text.strip()
    if BULLET.match(text) or CHECKBOX.match(text):
        return False
    if _OTHER_LABEL.match(text):
        return True
    return section_kind(text.strip("*_ ")) not in (None, "attendance")


def _cells(line: Line) -> list[str] | None:
    """The cells of a table row: Markdown and .docx rows, or plain text split on `|` / tabs."""
    if line.cells is not None:
        return [c.strip() for c in line.cells]
    for sep in ("|", "\t"):
        if line.text.count(sep) >= 1 and not BULLET.match(line.text):
            cells = [c.strip() for c in line.text.strip().strip("|").split(sep)]
            if len(cells) >= 2:
                return cells
    return None


def _table_header(cells: list[str]) -> tuple[int, int | None, int | None] | None:
    """(name column, presence column, absence column) when `cells` is an attendance header."""
    norm = [normalise(c).strip("*_ :") for c in cells]
    name = next((i for i, c in enumerate(norm) if c in _NAME_HEADERS), None)
    if name is None:
        return None
    present = next((i for i, c in enumerate(norm) if i != name and _PRESENT_HEADER.match(c)), None)
    absent = next((i for i, c in enumerate(norm) if i != name and _ABSENT_HEADER.match(c)), None)
    if present is None and absent is None:
        return None
    return name, present, absent


def _mark(value: str) -> bool | None:
    """True (present), False (absent) or None (unreadable) for one presence cell."""
    norm = normalise(value).strip("*_ .")
    if norm in _YES or norm.startswith(("present", "oui", "yes", "en ligne", "remote", "visio")):
        return True
    if norm in _NO or norm.startswith(("absent", "excuse", "non", "no ", "apolog")):
        return False
    return None


def _table_row(header: tuple[int, int | None, int | None], cells: list[str]) -> tuple[str, bool]:
    """(name, present?) for one row of an attendance table; name is "" when unreadable."""
    name_col, present_col, absent_col = header
    name = clean_name(cells[name_col]) if name_col < len(cells) else ""
    is_present: bool | None = None
    if present_col is not None and present_col < len(cells):
        is_present = _mark(cells[present_col])
    if absent_col is not None and absent_col < len(cells) and _mark(cells[absent_col]) is True:
        is_present = False  # an `x` under "Absent"
    if is_present is None:
        return "", False
    return name, is_present


def read_lines(lines: list[Line]) -> tuple[list[str], list[str]]:
    """(attendees, absentees) from attendance headings, label lines, check boxes and tables."""
    found: dict[str, list[str]] = {"present": [], "absent": []}
    mode: str | None = None
    marker: str | None = None  # the marker of the list's last item ("bullet", "number", ...)
    indent: int | None = None  # the indentation of the list's first item
    gap = False  # a blank line since that item
    head_lines = 0  # non-blank lines read so far: absence sentences count only near the top
    table: tuple[int, int | None, int | None] | None = None
    for line in _joined(lines):
        cells = _cells(line) if not line.is_heading else None
        if cells is not None:
            if table is not None:
                if all(not re.sub(r"[-=:+\s]", "", c) for c in cells):
                    continue  # a plain-text rule line under the header
                name, is_present = _table_row(table, cells)
                if name:
                    found["present" if is_present else "absent"].append(name)
                continue
            table = _table_header(cells)
            if table is not None:
                mode = None
                continue
        else:
            table = None
        if line.is_heading:
            mode, marker, indent, gap = heading_attendance(line.text), None, None, False
            label = attendance_label(line.text + " :") if mode else None
            if mode and label and label[1]:
                found[mode] += split_names(label[1])
            elif mode is None and _LIST_INTRO.search(fold(line.text.rstrip(" :*_") + " :")):
                mode = "present"  # "... nous avons eu le plaisir d'accueillir :"
            continue  # any other heading ends the attendance list
        label = attendance_label(line.text)
        if label:
            kind, rest = label
            if rest:
                found[kind] += split_names(rest)
                # a role group inside a list ("administrateurs : A, B") keeps the list open
                mode = mode if mode and not BULLET.match(line.text) else None
            else:
                mode, marker, indent, gap = kind, None, None, False
            continue
        if (
            not mode
            and line.text.rstrip(" *_").endswith(":")
            and _LIST_INTRO.search(fold(line.text))
        ):
            mode, marker, indent, gap = "present", None, None, False
            continue
        absent = absent_in_sentence(line.text) if mode or head_lines < _HEAD_LINES else []
        head_lines += bool(line.text.strip())
        if absent:
            found["absent"] += absent
            continue
        if not mode:
            continue
        if not line.text.strip():
            gap = marker is not None
            continue
        if not_people_label(line.text) or ends_list(line) or (gap and _marker(line.text) != marker):
            mode = None  # a label that is not people, a section, or a new list after a blank
            continue
        marker, gap = _marker(line.text), False
        depth = len(line.text) - len(line.text.lstrip())
        if marker != "plain":
            indent = depth if indent is None else indent
            if depth > indent or re.fullmatch(r"[^,]*:\s*", line.text):
                continue  # a detail under a person ("  * Rôle au sein de la FCI :")
        elif indent is not None and depth > indent:
            continue  # an item's text wrapped onto an indented line
        box = CHECKBOX.match(line.text)
        if box:
            target = "absent" if box["mark"] == " " else mode
            found[target] += [n for n in [clean_name(box["rest"])] if n]
        elif BULLET.match(line.text):
            found[mode] += item_names(line.text)
        elif "," in line.text or ";" in line.text or line.text.lstrip().startswith("@"):
            if names_only(line.text):
                found[mode] += split_names(line.text)
        elif _is_names_line(line.text):
            found[mode] += [n for n in [clean_name(line.text)] if n]
        # other prose inside an attendance list ("N/A, meeting cancelled.") is not a name
    return unique(found["present"]), unique(found["absent"])


def _joined(lines: list[Line]) -> list[Line]:
    """The lines, a label line's list wrapped onto the next lines joined to it (`*Présents :
    A, B, Frédéric` + `Zwikel.*`): joined while the emphasis is open or the line ends with a
    comma."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.is_heading
            and not line.is_heading
            and line.cells is None
            and line.text.strip()
            and not BULLET.match(line.text)
            and (prev.text.count("*") % 2 == 1 or prev.text.rstrip().endswith(","))
            and attendance_label(prev.text)
        ):
            out[-1] = Line(prev.number, prev.text.rstrip() + " " + line.text.strip())
            continue
        out.append(line)
    return out


def _name_like(part: str) -> bool:
    """One part of a list that reads as a person: at most five words once `(...)`, `@handle`
    and emphasis are dropped, each capitalised, an initial, a handle or a joiner; a lone
    lower-case word is a nickname (`tierce`, `e-jim`)."""
    text = _HANDLE.sub("", _PAREN.sub("", part)).strip(" *_.:")
    text = _COMMENT_PREFIX.sub("", text)
    words = text.split()
    if not words or len(words) > 5 or _URL.search(text):
        return False
    return len(words) == 1 or looks_like_names(text)


def names_only(text: str) -> bool:
    """True when every part of an inline list reads as a person (`tierce, E-Jim, Ptrph`), not
    a sentence with commas (`Robert Rochaud exprime l'opposition de la ville, ...`)."""
    parts = [p for p in _SPLIT.split(BULLET.sub("", text)) if p.strip(" *_.")]
    return bool(parts) and all(_name_like(p) for p in parts)


def item_names(text: str) -> list[str]:
    """The person of one list item, one per item: `Michael Dawson @mhdawson (TSC)`; the part
    before the first `:` or `,` when the rest describes them (`-Edna Brustein, Conseillère à la
    recherche, FCI :`, `Martin Sévigny : Directeur des technologies`, `**Corinne Luxembourg** ,
    Maîtresse de conférences`, `Charles, Escape Yourself, Boulevard Grand Cerf`)."""
    body = _PAREN.sub("", BULLET.sub("", text))
    head = re.split(r"\s*[:,;]\s", body + " ", maxsplit=1)[0]
    name = clean_name(head)
    return [name] if name and (_name_like(head) or head == body.strip()) else []


def _marker(text: str) -> str:
    """The kind of list item a line is: "box", "number", "bullet" or "plain"."""
    if CHECKBOX.match(text):
        return "box"
    if re.match(r"^\s*\d+[.)]\s", text):
        return "number"
    return "bullet" if BULLET.match(text) else "plain"


def absent_in_sentence(text: str) -> list[str]:
    """Names a sentence says are absent: `Hugo est absent (malade).`, `Marie et Paul sont
    excusés`, `Sam was off sick today`; [] when no sentence of the line says so."""
    names: list[str] = []
    sentences = re.split(r"(?<=[.!?])\s+", BULLET.sub("", text).strip())
    # a clause after a comma says it too: "Three members met today, Emily and Pablo were away"
    for sentence in [c for s in sentences for c in re.split(r",\s+", s)]:
        m = _ABSENT_SENTENCE.match(fold(sentence))
        if m:
            written = _PAREN.sub("", sentence[: m.end("names")]).strip()
            if looks_like_names(written):
                names += split_names(written)
    return names


def unique(names: list[str]) -> list[str]:
    """Names in first-seen order, duplicates (by normalised form) dropped."""
    seen, out = set(), []
    for name in names:
        key = normalise(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out
