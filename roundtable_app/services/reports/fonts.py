"""The fonts every printed report embeds, and which of them prints each run of text.

reportlab's standard fonts (Helvetica, ...) cover Latin-1 only: "Olena Коваленко"
printed as "Olena ■■■■■■■■■". Reports instead embed the open-licence fonts shipped in
``resources/fonts`` (see its README): Noto Sans for Latin, Cyrillic, Greek and
Vietnamese, Noto Sans Arabic and Noto Sans Hebrew, and Roundtable Fallback (Droid Sans
Fallback, renamed) for Chinese, Japanese and Korean. No single font covers every
script a name may be written in, so :func:`font_runs` cuts a text into runs and gives
each run the first font of the style's fallback list whose character map holds every
letter of it; :func:`markup` turns that into paragraph markup.

Right-to-left scripts: reportlab shapes text with HarfBuzz (``uharfbuzz``, a
dependency), which joins Arabic letters into their contextual forms and lays out a run
of Arabic or Hebrew right to left. HarfBuzz shapes one word at a time, though, so the
words of a right-to-left run would come out in left-to-right order; the spaces inside
such a run become no-break spaces, which makes the run one word for reportlab, shaped
and reversed as a whole. Such a run does not wrap across lines; digits inside it end
the run (they read left to right).

Registration is lazy (the first report pays ~0.3 s, the app's start pays nothing) and
happens once, under a lock, because reports are written on worker threads.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from roundtable_app.core.errors import RoundtableError

FONT_DIR = Path(__file__).resolve().parents[3] / "resources" / "fonts"

#: The report styles' own fonts (Latin, Cyrillic, Greek, Vietnamese), then the fallbacks.
REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"
ITALIC = "NotoSans-Italic"
ARABIC = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
HEBREW = "NotoSansHebrew"
HEBREW_BOLD = "NotoSansHebrew-Bold"
CJK = "RoundtableFallback"

_FILES: dict[str, str] = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    ITALIC: "NotoSans-Italic.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    HEBREW: "NotoSansHebrew-Regular.ttf",
    HEBREW_BOLD: "NotoSansHebrew-Bold.ttf",
    CJK: "RoundtableFallback.ttf",
}

#: For each style font, the fonts tried in turn for a character it lacks. Italic
#: Arabic, Hebrew and CJK do not exist (nor are they written slanted): upright is right.
FALLBACKS: dict[str, tuple[str, ...]] = {
    REGULAR: (REGULAR, ARABIC, HEBREW, CJK),
    BOLD: (BOLD, ARABIC_BOLD, HEBREW_BOLD, CJK),
    ITALIC: (ITALIC, ARABIC, HEBREW, CJK),
}

#: Font families, so that ``<b>`` and ``<i>`` inside markup find the right face.
_FAMILIES: dict[str, tuple[str, str, str, str]] = {
    REGULAR: (REGULAR, BOLD, ITALIC, BOLD),
    ARABIC: (ARABIC, ARABIC_BOLD, ARABIC, ARABIC_BOLD),
    HEBREW: (HEBREW, HEBREW_BOLD, HEBREW, HEBREW_BOLD),
    CJK: (CJK, CJK, CJK, CJK),
}

_RIGHT_TO_LEFT = frozenset({ARABIC, ARABIC_BOLD, HEBREW, HEBREW_BOLD})
_NO_BREAK_SPACE = "\u00a0"

_lock = threading.Lock()
_cmaps: dict[str, frozenset[int]] = {}


def register_fonts() -> None:
    """Register the report fonts with reportlab (once; safe to call from any thread).

    Raises :class:`RoundtableError` naming the missing files if the installation
    lacks them.
    """
    if _cmaps:
        return
    with _lock:
        if _cmaps:
            return
        missing = [name for name in _FILES.values() if not (FONT_DIR / name).is_file()]
        if missing:
            raise RoundtableError(
                f"The report fonts {', '.join(missing)} are missing from {FONT_DIR}; "
                "reinstall Roundtable to print reports."
            )
        cmaps = {}
        for name, file in _FILES.items():
            font = TTFont(name, str(FONT_DIR / file))
            pdfmetrics.registerFont(font)
            cmaps[name] = frozenset(font.face.charToGlyph)
        for family, (normal, bold, italic, bold_italic) in _FAMILIES.items():
            pdfmetrics.registerFontFamily(
                family, normal=normal, bold=bold, italic=italic, boldItalic=bold_italic
            )
        _print_as_typed()
        _cmaps.update(cmaps)  # last: another thread sees all of them or none


def _print_as_typed() -> None:
    """Shape with the features a name needs, and no optional ligatures.

    reportlab asks HarfBuzz for discretionary ligatures (``dlig``), which print the
    name محمد as the honorific sign ﷴ with vowel marks nobody typed, and for ``liga``,
    which makes "Griffith" copy out of the PDF as "Griﬃth". The joining of Arabic
    letters (``init``, ``medi``, ``fina``, ``rlig``) and kerning stay on. reportlab
    offers no setting for this, so the shared default of its shaping function is set.
    """
    shape = getattr(ttfonts, "shapeFragWord", None)
    defaults = getattr(shape, "__defaults__", None) or ()
    if defaults and isinstance(defaults[0], dict):
        defaults[0].update(kern=True, liga=False, dlig=False)


def covers(font: str, char: str) -> bool:
    """Whether ``font`` (a registered report font) has a glyph for ``char``."""
    register_fonts()
    return ord(char) in _cmaps[font]


@functools.lru_cache(maxsize=8192)
def _font_for(char: str, base: str) -> str | None:
    for font in FALLBACKS.get(base, (base,)):
        if ord(char) in _cmaps.get(font, ()):
            return font
    return None


def _goes_with_neighbours(char: str) -> bool:
    """Spaces, punctuation and symbols stay in the run they are in, if its font has them."""
    return unicodedata.category(char)[0] in "ZPS"


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _bind_right_to_left(text: str) -> str:
    """``text`` with each space between two right-to-left letters made a no-break space."""
    chars = list(text)
    for i, char in enumerate(chars):
        if char != " ":
            continue
        before = next((c for c in reversed(chars[:i]) if c != " " and not _is_mark(c)), "")
        after = next((c for c in chars[i + 1 :] if c != " "), "")
        if before and after and _is_rtl(before) and _is_rtl(after):
            chars[i] = _NO_BREAK_SPACE
    return "".join(chars)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def font_runs(text: str, font: str = REGULAR) -> list[tuple[str, str]]:
    """``text`` cut into ``(font, run)`` pairs, each font having glyphs for its run.

    ``font`` is the style's font (:data:`REGULAR`, :data:`BOLD` or :data:`ITALIC`;
    another registered font is used alone). The text is put in composed form (NFC)
    first, so that "e" + combining marks prints as the one letter "ễ". A character
    that no font has keeps the current font (and prints as a box: there is none to
    pick). Right-to-left runs have the spaces between their words bound (see the
    module's docstring).
    """
    register_fonts()
    text = unicodedata.normalize("NFC", text)
    own = _cmaps.get(font)
    if text and own is not None and own.issuperset(map(ord, text)):
        # The style's own font has every letter (most names): one run, as the loop
        # below would find, without its look-ups for each letter.
        return [(font, _bind_right_to_left(text) if font in _RIGHT_TO_LEFT else text)]
    runs: list[tuple[str, str]] = []
    current: str | None = None
    chars: list[str] = []
    for char in text:
        if current is not None and (
            _is_mark(char) or (_goes_with_neighbours(char) and ord(char) in _cmaps[current])
        ):
            chars.append(char)
            continue
        chosen = _font_for(char, font) or current or font
        if chosen != current and chars:
            assert current is not None
            runs.append((current, "".join(chars)))
            chars = []
        current = chosen
        chars.append(char)
    if chars:
        assert current is not None
        runs.append((current, "".join(chars)))
    return [(f, _bind_right_to_left(run) if f in _RIGHT_TO_LEFT else run) for f, run in runs]


#: Scripts whose letters change shape or order with their neighbours (Hebrew to Myanmar,
#: then Khmer and Mongolian, then Arabic presentation forms): HarfBuzz must lay them out.
_COMPLEX_SCRIPTS = ((0x0590, 0x109F), (0x1780, 0x18AF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


@functools.lru_cache(maxsize=4096)
def _char_needs_shaping(char: str) -> bool:
    code = ord(char)
    return _is_mark(char) or any(low <= code <= high for low, high in _COMPLEX_SCRIPTS)


def needs_shaping(text: str) -> bool:
    """Whether ``text`` holds letters that only print right when shaped by HarfBuzz.

    Latin, Cyrillic, Greek and CJK print right without it (in composed form), and
    shaping every word costs most of a long report's time; Arabic, Hebrew, Indic
    scripts and combining marks need it.
    """
    return any(map(_char_needs_shaping, unicodedata.normalize("NFC", text)))


def plain_text(text: str, font: str = REGULAR) -> str | None:
    """``text`` in composed form if :func:`markup` would leave it as it is (``font``
    prints every letter; nothing to escape; no line break), else None.

    Such a text needs no markup parsing to become a paragraph (see
    :func:`~.styles.quick_para`).
    """
    register_fonts()
    text = unicodedata.normalize("NFC", text)
    if "&" in text or "<" in text or ">" in text or "\n" in text or font in _RIGHT_TO_LEFT:
        return None
    own = _cmaps.get(font)
    if own is None or not own.issuperset(map(ord, text)):
        return None
    return text


def markup(text: str, font: str = REGULAR) -> str:
    """Paragraph markup that prints plain ``text`` as typed, in a paragraph set in ``font``.

    The text is XML-escaped (a name may hold ``&`` or ``<``), line breaks become
    ``<br/>``, and each run that ``font`` cannot print is wrapped in
    ``<font name="...">``.
    """
    parts = []
    for run_font, run in font_runs(text, font):
        escaped = escape(run).replace("\n", "<br/>")
        parts.append(escaped if run_font == font else f'<font name="{run_font}">{escaped}</font>')
    return "".join(parts)
