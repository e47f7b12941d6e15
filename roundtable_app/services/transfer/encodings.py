"""Which encoding a text file is in, and what to do when its lines disagree.

Excel on Windows saves CSV files in cp1252, newer versions and web tools in
UTF-8; a list pasted together from both has lines of each. Read as cp1252
throughout, "José Müller" becomes "JosÃ© MÃ¼ller" without a word. So
:func:`decode` reads a file in one encoding only when every line fits it;
otherwise it raises :class:`MixedEncodingError`, which names the first line
that does not fit and shows it (and a line of the other kind) in each
encoding. The user then chooses: each line in its own encoding
(:data:`MIXED`), or one encoding for every line.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from roundtable_app.core.errors import ValidationError

UTF8 = "utf-8"
CP1252 = "cp1252"
#: Each line in UTF-8 if it is valid UTF-8, else in Windows cp1252.
MIXED = "mixed"

_LABELS = {
    "utf-8-sig": "UTF-8 with byte-order mark",
    UTF8: "UTF-8",
    CP1252: "Windows (cp1252)",
    "latin-1": "Latin-1",
    "utf-16": "UTF-16",
    MIXED: "UTF-8 and Windows (cp1252), line by line",
}
#: The encodings ``--encoding`` names in its help; any other Python codec works too.
SUGGESTED = (MIXED, UTF8, CP1252, "latin-1", "utf-16")
_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")
PREVIEW_CHARS = 70


def encoding_label(encoding: str | None) -> str:
    return _LABELS.get(encoding or "", encoding or "unknown encoding")


def _cp1252(data: bytes) -> str:
    try:
        return data.decode(CP1252)
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 decodes anything.
        return data.decode("latin-1")


def _line_in(raw: bytes, encoding: str) -> str:
    if encoding == CP1252:
        text = _cp1252(raw)
    elif encoding == MIXED:
        text = _decode_mixed(raw)
    else:
        text = raw.decode(encoding, errors="replace")
    text = text.rstrip("\r\n")
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


@dataclass(frozen=True, slots=True)
class SampleLine:
    """A line of the file (``number`` counts from 1) as raw bytes, and which kind it is."""

    number: int
    raw: bytes
    encoding: str

    def shown_in(self, encoding: str) -> str:
        """The line as it reads in ``encoding`` (cut to a preview's length)."""
        return _line_in(self.raw, encoding)


class MixedEncodingError(ValidationError):
    """Some lines of a text file are UTF-8 and others are not: the user must choose.

    ``odd`` is the first line that does not fit the encoding most lines are in
    (``main``); ``other`` is a line that does, so a preview can show what each
    choice does to both.
    """

    def __init__(self, file_name: str, main: str, odd: SampleLine, other: SampleLine) -> None:
        self.file_name = file_name
        self.main = main
        self.odd = odd
        self.other = other
        first, second = sorted((odd, other), key=lambda line: line.number)
        super().__init__(
            f"{file_name} mixes two encodings: line {odd.number} is in "
            f"{encoding_label(odd.encoding)}, but line {other.number} is in "
            f"{encoding_label(other.encoding)}. Read in one encoding, one of them would be "
            "garbled; choose how to read the file.",
            field="encoding",
            cli=f"{file_name} mixes two encodings: line {odd.number} is in "
            f"{encoding_label(odd.encoding)} (“{odd.shown_in(odd.encoding)}”), but line "
            f"{other.number} is in {encoding_label(other.encoding)} "
            f"(“{other.shown_in(other.encoding)}”). Import it again with --encoding mixed "
            f"(each line in its own encoding), or --encoding {first.encoding} or "
            f"--encoding {second.encoding} to read every line in one.",
        )

    @property
    def choices(self) -> tuple[str, ...]:
        """Each line in its own encoding first (it garbles nothing), then each single one."""
        return (MIXED, self.main, self.odd.encoding)

    def samples(self) -> tuple[SampleLine, SampleLine]:
        """The two sample lines in file order."""
        first, second = sorted((self.odd, self.other), key=lambda line: line.number)
        return first, second


def decode(file_name: str, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """``data`` as text and the encoding it was read in (``encoding``, or detected).

    Raises :class:`MixedEncodingError` when no ``encoding`` is given and the
    lines disagree, and :class:`ValidationError` for an unknown ``encoding``.
    """
    if encoding is not None:
        return _decode_as(file_name, data, encoding), encoding
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        try:
            return body.decode(UTF8), "utf-8-sig"
        except UnicodeDecodeError:
            _refuse_mixed(file_name, body, bom=True)
            return _cp1252(body), CP1252  # no line is UTF-8 after all: the mark was wrong
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16, tab-separated.
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode(UTF8), UTF8
    except UnicodeDecodeError:
        pass
    _refuse_mixed(file_name, data, bom=False)
    text = _cp1252(data)
    try:
        data.decode(CP1252)
    except UnicodeDecodeError:
        return text, "latin-1"
    return text, CP1252


def _decode_as(file_name: str, data: bytes, encoding: str) -> str:
    if encoding != MIXED:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ValidationError(
                f"'{encoding}' is not an encoding, so {file_name} cannot be read in it; "
                f"use one of {', '.join(SUGGESTED)}.",
                field="encoding",
            ) from None
        if data.startswith(codecs.BOM_UTF8) and not codec.startswith(("utf-16", "utf-32")):
            data = data[len(codecs.BOM_UTF8) :]  # a UTF-8 mark is no part of the text
    if encoding == MIXED:
        return _decode_mixed(data)
    if codec == CP1252:
        return _cp1252(data)
    # Chosen by the user, who saw what it does to the lines that do not fit it.
    return data.decode(codec, errors="replace")


def _decode_mixed(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    parts: list[str] = []
    for line in data.splitlines(keepends=True):
        try:
            parts.append(line.decode(UTF8))
        except UnicodeDecodeError:
            parts.append(_cp1252(line))
    return "".join(parts)


def _refuse_mixed(file_name: str, data: bytes, *, bom: bool) -> None:
    """Raise :class:`MixedEncodingError` if some non-ASCII lines are UTF-8 and others not."""
    first: dict[str, SampleLine] = {}
    counts = {UTF8: 0, CP1252: 0}
    line, position = 1, 0
    for match in _NON_ASCII_LINE.finditer(data):
        line += data.count(b"\n", position, match.start())
        position = match.start()
        raw = match.group()
        try:
            raw.decode(UTF8)
            kind = UTF8
        except UnicodeDecodeError:
            kind = CP1252
        counts[kind] += 1
        first.setdefault(kind, SampleLine(line, raw, kind))
    if len(first) < 2:
        return
    if bom:
        main = UTF8  # the byte-order mark says what the file meant to be
    elif counts[UTF8] != counts[CP1252]:
        main = max(counts, key=counts.__getitem__)
    else:
        main = min(first.values(), key=lambda sample: sample.number).encoding
    odd = CP1252 if main == UTF8 else UTF8
    raise MixedEncodingError(file_name, main, first[odd], first[main])
