"""Small text helpers shared by the notes parsers: slugs, normalisation, decoding.

Decoding accepts the encodings minutes really come in (UTF-8, UTF-8 with BOM, Windows-1252,
Latin-1) and refuses what is not text (binary files) or is two encodings glued together
(a UTF-8 file pasted into a Windows-1252 one): guessing there would corrupt names silently.
"""

from __future__ import annotations

import re
import unicodedata

import charset_normalizer

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
# Code pages charset-normalizer may name for non-Latin text that cp1252 would turn to garbage.
_NON_WESTERN = (
    "cp1251",
    "cp1253",
    "cp1255",
    "cp1256",
    "cp866",
    "cp855",
    "koi8",
    "mac_cyrillic",
    "mac_greek",
    "iso8859_5",
    "iso8859_6",
    "iso8859_7",
    "iso8859_8",
    "big5",
    "gb",
    "shift_jis",
    "euc",
    "cp932",
    "cp949",
    "cp950",
    "tis_620",
    "cp874",
)


class DecodeError(ValueError):
    """The bytes are not text in a supported encoding; `line` is 1-based when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Lower case, accents stripped, typographic apostrophes unified, spaces collapsed."""
    text = strip_accents(text).replace("\u2019", "'").replace("\u00a0", " ").lower()
    return " ".join(text.split())


def slugify(text: str, default: str = "section") -> str:
    """The contract's slug: accents stripped, lower case, runs of non `a-z0-9` become `-`."""
    slug = _NON_SLUG.sub("-", strip_accents(text).lower()).strip("-")
    return slug or default


def decode(data: bytes) -> tuple[str, str]:
    """Decode minutes bytes; return (text, encoding name). Raises DecodeError."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 with BOM"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        _refuse_binary_text(text)
        return text, "utf-16"
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise DecodeError("binary file (NUL bytes), not text minutes", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _UTF8_MULTIBYTE.search(data):
            line = data[: exc.start].count(b"\n") + 1
            raise DecodeError(
                "mixed encodings: valid UTF-8 sequences and bytes that are not UTF-8 "
                f"(byte 0x{data[exc.start]:02x})",
                line,
            ) from exc
        text, encoding = _single_byte(data)
    else:
        encoding = "utf-8"
    _refuse_binary_text(text)
    return text, encoding


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DecodeError(
            f"declared {label} but byte 0x{data[exc.start]:02x} is not", line
        ) from exc


def _single_byte(data: bytes) -> tuple[str, str]:
    """Windows-1252 when every byte is defined there (the usual Word export), else Latin-1.

    charset-normalizer is asked first so a file in another code page (Cyrillic, Greek...) is
    refused rather than misread as Western European.
    """
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding.startswith(_NON_WESTERN):
        raise DecodeError(
            f"unsupported encoding {best.encoding} (expected UTF-8, Windows-1252 or Latin-1)"
        )
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _refuse_binary_text(text: str) -> None:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if sample and controls / len(sample) > 0.01:
        raise DecodeError(f"binary file ({controls} control characters in the first block)")
